"""The speed goals, measured: `nox -s bench`.

Each pair runs side by side in this one process, alternating which goes first,
and the ratio of each round is kept; what is printed is the median ratio, the
median absolute figures beside it, and the machine. No test asserts a time:
a goal missed shows here, as MISSED, and the exit status is 1.

    B1  OrderClient.update_state            vs httpx.Client.put(json=...)   <= 1.05
    B2  OrderClient.update_cart, 200 items  vs httpx.Client.put(json=...)   <= 1.00
    B3  100 concurrent AsyncOrderClient.update_state vs raw httpx.AsyncClient,
        throughput against the local server on loopback                    >= 0.95
    B4  import norce_checkout_order         vs import httpx, fresh process  <= 1.50
    B5  nox -s codegen, virtualenv already built, absolute                  <= 10 s

B1 and B2 send through an in-memory httpx.MockTransport, so they measure the
client's own cost: validation, request building, retries' bookkeeping.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from norce_checkout_order import AsyncOrderClient, OrderClient
from norce_checkout_order.testing import LocalOrderServer

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://customer-slug.api-se.playground.norce.tech/checkout/order"
TOKEN = "bench-token"  # noqa: S105  (a made-up token for an in-memory transport)
HEADERS = {"x-merchant": "norce", "x-channel": "1"}


@dataclass
class Result:
    """One benchmark: the median ratio against its baseline, and the goal."""

    name: str
    what: str
    ratio: float
    ours: str
    baseline: str
    goal: float
    higher_is_better: bool = False

    @property
    def met(self) -> bool:
        if self.higher_is_better:
            return self.ratio >= self.goal
        return self.ratio <= self.goal

    def line(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        verdict = "met" if self.met else "MISSED"
        return (
            f"{self.name}  {self.what:<44} {self.ratio:6.3f}  (goal {sign} "
            f"{self.goal:g}, {verdict})  ours {self.ours}, baseline {self.baseline}"
        )


def cart(items: int = 200) -> dict[str, Any]:
    """A cart of ``items`` lines with bundles, discounts and attributes."""
    seed = json.loads((ROOT / "examples" / "seed_cart.json").read_text("utf-8"))
    line = seed["items"][0]
    lines = []
    for n in range(items):
        item = json.loads(json.dumps(line))
        item["id"] = f"ci_{n:06d}"
        item["sku"] = f"A{n:06d}"
        item["items"] = [{"sku": f"B{n:06d}", "quantity": 1, "productType": "physical"}]
        item["attributes"] = {"line": n, "gift": n % 2 == 0, "note": None}
        lines.append(item)
    return {**seed, "items": lines}


def paired(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    *,
    calls: int,
    rounds: int,
) -> tuple[float, float, float]:
    """Median ratio and median per-call seconds of two sync callables."""
    ratios, ours_times, base_times = [], [], []
    for round_ in range(rounds):
        order = [("ours", ours), ("base", baseline)]
        if round_ % 2:
            order.reverse()
        took: dict[str, float] = {}
        for name, function in order:
            started = time.perf_counter()
            for _ in range(calls):
                function()
            took[name] = (time.perf_counter() - started) / calls
        ratios.append(took["ours"] / took["base"])
        ours_times.append(took["ours"])
        base_times.append(took["base"])
    return (
        statistics.median(ratios),
        statistics.median(ours_times),
        statistics.median(base_times),
    )


def micro(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs/call"


def b1_b2(rounds: int) -> list[Result]:
    """The client's own cost, on an in-memory transport."""
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    raw = httpx.Client(transport=transport)
    client = OrderClient(
        base_url=BASE_URL,
        api_key=TOKEN,
        merchant="norce",
        channel="1",
        transport=transport,
    )
    url = f"{BASE_URL}/api/v0/checkout/orders/o_bench"
    raw_headers = {**HEADERS, "Authorization": f"Bearer {TOKEN}"}
    body = cart()

    def raw_state() -> object:
        return raw.put(
            f"{url}/state", json={"currentStatus": "checkout"}, headers=raw_headers
        )

    def raw_cart() -> object:
        return raw.put(f"{url}/cart", json=body, headers=raw_headers)

    results = []
    ratio, ours, base = paired(
        lambda: client.update_state("o_bench", "checkout"),
        raw_state,
        calls=400,
        rounds=rounds,
    )
    results.append(
        Result(
            "B1",
            "update_state, in-memory transport",
            ratio,
            micro(ours),
            micro(base),
            1.05,
        )
    )
    ratio, ours, base = paired(
        lambda: client.update_cart("o_bench", body), raw_cart, calls=40, rounds=rounds
    )
    results.append(
        Result(
            "B2",
            "update_cart, 200 items as a dict",
            ratio,
            micro(ours),
            micro(base),
            1.0,
        )
    )
    return results


def b3(rounds: int) -> Result:
    """Throughput of 100 concurrent calls against the local server."""
    with LocalOrderServer(api_key=TOKEN) as server:
        order_id = server.create_order("norce", "1")
        url = f"{server.base_url}/api/v0/checkout/orders/{order_id}/state"
        headers = {**HEADERS, "Authorization": f"Bearer {TOKEN}"}

        async def run() -> tuple[float, float, float]:
            limits = httpx.Limits(max_connections=100)
            async with (
                httpx.AsyncClient(limits=limits) as raw,
                AsyncOrderClient(
                    base_url=server.base_url,
                    api_key=TOKEN,
                    merchant="norce",
                    channel="1",
                    http_client=httpx.AsyncClient(limits=limits),
                ) as client,
            ):

                async def ours() -> object:
                    return await client.update_state(order_id, "checkout")

                async def baseline() -> object:
                    response = await raw.put(
                        url, json={"currentStatus": "checkout"}, headers=headers
                    )
                    response.raise_for_status()
                    return response

                async def burst(call: Callable[[], Awaitable[object]]) -> float:
                    started = time.perf_counter()
                    await asyncio.gather(*(call() for _ in range(100)))
                    return 100 / (time.perf_counter() - started)

                await burst(ours)  # warm both connection pools
                await burst(baseline)
                ratios, ours_rates, base_rates = [], [], []
                for round_ in range(rounds):
                    if round_ % 2:
                        base_rate, ours_rate = await burst(baseline), await burst(ours)
                    else:
                        ours_rate, base_rate = await burst(ours), await burst(baseline)
                    ratios.append(ours_rate / base_rate)
                    ours_rates.append(ours_rate)
                    base_rates.append(base_rate)
                return (
                    statistics.median(ratios),
                    statistics.median(ours_rates),
                    statistics.median(base_rates),
                )

        ratio, ours, base = asyncio.run(run())
    return Result(
        "B3", "100 concurrent update_state, loopback server", ratio,
        f"{ours:,.0f} calls/s", f"{base:,.0f} calls/s", 0.95, higher_is_better=True,
    )  # fmt: skip


def import_seconds(module: str) -> float:
    """How long importing ``module`` takes in a fresh interpreter."""
    code = (
        f"import time; t = time.perf_counter(); import {module}; "
        "print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def b4(rounds: int) -> Result:
    ratios, ours_times, base_times = [], [], []
    for round_ in range(rounds):
        pair = ["norce_checkout_order", "httpx"]
        if round_ % 2:
            pair.reverse()
        took = {module: import_seconds(module) for module in pair}
        ratios.append(took["norce_checkout_order"] / took["httpx"])
        ours_times.append(took["norce_checkout_order"])
        base_times.append(took["httpx"])
    return Result(
        "B4", "import norce_checkout_order vs import httpx", statistics.median(ratios),
        f"{statistics.median(ours_times) * 1000:.1f} ms",
        f"{statistics.median(base_times) * 1000:.1f} ms", 1.5,
    )  # fmt: skip


def b5(rounds: int) -> Result:
    """`nox -s codegen` with its virtualenv already built: absolute seconds."""
    nox = [sys.executable, "-m", "nox", "--reuse-existing-virtualenvs", "-s", "codegen"]
    subprocess.run(nox, cwd=ROOT, check=True, capture_output=True)  # builds the venv
    command = [*nox, "--no-install"]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return Result(
        "B5",
        "nox -s codegen, venv already built (seconds)",
        median,
        f"{median:.2f} s",
        "-",
        10.0,
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with_model = Path("/proc/cpuinfo")
    if with_model.exists():
        for line in with_model.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, httpx {httpx.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="paired rounds each")
    parser.add_argument("--only", nargs="*", default=[], help="e.g. B1 B3")
    args = parser.parse_args(argv)
    wanted = {name.upper() for name in args.only}

    print(f"Machine: {machine()}")
    print(f"Median of {args.rounds} paired rounds; ratio = ours / baseline "
          "(B3: throughput ours / baseline; B5: seconds).")  # fmt: skip
    results: list[Result] = []
    if not wanted or wanted & {"B1", "B2"}:
        results += [r for r in b1_b2(args.rounds) if not wanted or r.name in wanted]
    if not wanted or "B3" in wanted:
        results.append(b3(args.rounds))
    if not wanted or "B4" in wanted:
        results.append(b4(args.rounds))
    if not wanted or "B5" in wanted:
        results.append(b5(max(3, args.rounds // 5)))

    for result in results:
        print(result.line())
    return 0 if all(result.met for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
