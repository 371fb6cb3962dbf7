"""The demo, as the README runs it, locally and against a configured tenant."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import CHANNEL, FAKE_TOKEN, MERCHANT, ROOT, seed
from norce_checkout_order.testing import LocalOrderServer

DEMO = ROOT / "examples" / "demo.py"


def run_demo(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORCE_CHECKOUT_")}
    return subprocess.run(
        [sys.executable, str(DEMO), *args],
        env={**env, **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_demo_sends_three_calls_and_prints_the_stored_order() -> None:
    done = run_demo()

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    calls = [line for line in lines if line.startswith("PUT ")]
    assert [call.rsplit(" -> ", 1)[1] for call in calls] == ["200 OK"] * 3
    assert [call.split()[1].split("/orders/")[1].split("/", 1)[1] for call in calls] == [
        "state", "cart", "customer/billing",
    ]  # fmt: skip
    stored = json.loads(done.stdout.split("Stored order:\n", 1)[1])
    assert stored["cart"] == seed("cart")
    assert stored["customer"]["billing"] == {**seed("billing"), "type": "person"}


def test_the_demo_sends_to_a_configured_tenant(server: LocalOrderServer) -> None:
    order_id = server.create_order(MERCHANT, CHANNEL)

    done = run_demo(
        "--order-id",
        order_id,
        NORCE_CHECKOUT_BASE_URL=server.base_url,
        NORCE_CHECKOUT_API_KEY=FAKE_TOKEN,
        NORCE_CHECKOUT_MERCHANT=MERCHANT,
        NORCE_CHECKOUT_CHANNEL=CHANNEL,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.count("-> 200 OK") == 3
    assert FAKE_TOKEN not in done.stdout + done.stderr
    assert server.get_order(MERCHANT, CHANNEL, order_id)["cart"] == seed("cart")


def test_the_demo_reports_a_failure_without_a_traceback(
    server: LocalOrderServer,
) -> None:
    done = run_demo(
        "--order-id",
        "o_missing",
        NORCE_CHECKOUT_BASE_URL=server.base_url,
        NORCE_CHECKOUT_API_KEY=FAKE_TOKEN,
        NORCE_CHECKOUT_MERCHANT=MERCHANT,
        NORCE_CHECKOUT_CHANNEL=CHANNEL,
    )

    assert done.returncode == 1
    assert done.stderr.startswith("NotFoundError: ")
    assert "Traceback" not in done.stderr
