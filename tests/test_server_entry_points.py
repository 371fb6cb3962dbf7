"""The local server from a shell command and from the packaged pytest fixture."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

from conftest import loaded_by_import, seed
from norce_checkout_order import OrderClient
from norce_checkout_order.testing import DEFAULT_API_KEY, LocalOrderServer


def test_the_command_serves_until_interrupted() -> None:
    command = [
        sys.executable, "-m", "norce_checkout_order.testing",
        "--port", "0", "--order", "norce:1:o_cli", "--order", "acme:2",
    ]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        base_url = re.search(r"(http://127\.0\.0\.1:\d+/checkout/order)", lines[0])
        assert base_url, lines

        with OrderClient(
            base_url=base_url.group(1),
            api_key=DEFAULT_API_KEY,
            merchant="norce",
            channel="1",
        ) as client:
            result = client.update_cart("o_cli", seed("cart"))

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0

    assert result.status_code == 200
    assert lines[1] == f"Send the token: Authorization: Bearer {DEFAULT_API_KEY}\n"
    assert lines[2].startswith("Order o_cli for x-merchant=norce x-channel=1")
    assert lines[3].startswith("Order o_")
    assert "x-merchant=acme" in lines[3]


def test_the_packaged_pytest_fixture_serves(
    norce_order_server: LocalOrderServer,
) -> None:
    order_id = norce_order_server.create_order("norce", "1")

    with OrderClient(
        base_url=norce_order_server.base_url,
        api_key=norce_order_server.api_key,
        merchant="norce",
        channel="1",
    ) as client:
        client.update_state(order_id, "processing")

    stored = norce_order_server.get_order("norce", "1", order_id)
    assert stored["state"]["currentStatus"] == "processing"


def test_the_pytest_plugin_loads_none_of_the_server_until_asked() -> None:
    """pytest loads the plugin wherever the package is installed, the server
    extra or not: it must import nothing of the server's."""
    watched = ("uvicorn", "starlette", "openapi_core", "norce_checkout_order.testing")

    assert loaded_by_import("norce_checkout_order._pytest_plugin", watched) == []
    assert "uvicorn" in loaded_by_import("norce_checkout_order.testing", watched)
