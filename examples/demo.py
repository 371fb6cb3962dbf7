"""The seed's three requests, sent through ``OrderClient``.

With no ``NORCE_CHECKOUT_*`` target set, it starts a local Norce Order server
on a free loopback port, creates an order there, sends the three requests and
prints the order as the server stored it.

With a real tenant configured (``NORCE_CHECKOUT_ENVIRONMENT`` and
``NORCE_CHECKOUT_SLUG``, or ``NORCE_CHECKOUT_BASE_URL``, plus the API key,
merchant and channel), it sends the same requests there, to the order named by
``--order-id`` or ``NORCE_CHECKOUT_DEMO_ORDER_ID``: this API cannot create
orders.

Run it with ``nox -s demo``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from norce_checkout_order import NorceCheckoutError, OrderClient, UpdateResult

SEED = Path(__file__).resolve().parent
MERCHANT, CHANNEL = "norce", "1"


def load(name: str) -> Any:
    """One of the seed's request bodies, as the vendor's documentation shows it."""
    return json.loads((SEED / f"seed_{name}.json").read_text(encoding="utf-8"))


def report(result: UpdateResult) -> None:
    """One line per call: method, path, status."""
    request, reason = result.response.request, result.response.reason_phrase
    path = request.url.raw_path.decode()
    print(f"{request.method} {path} -> {result.status_code} {reason}")


def send_seed_requests(client: OrderClient, order_id: str) -> None:
    """State ``checkout``, the seed's whole cart, the seed's billing address."""
    report(client.update_state(order_id, load("state")["currentStatus"]))
    report(client.update_cart(order_id, load("cart")))
    report(client.update_billing(order_id, load("billing")))


def configured_remotely() -> bool:
    """Whether the environment names a target other than the local server."""
    return any(
        os.environ.get(f"NORCE_CHECKOUT_{name}")
        for name in ("ENVIRONMENT", "SLUG", "BASE_URL")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--order-id",
        default=os.environ.get("NORCE_CHECKOUT_DEMO_ORDER_ID"),
        help="the order to change on a configured tenant",
    )
    args = parser.parse_args(argv)

    try:
        if configured_remotely():
            if not args.order_id:
                print(
                    "Set --order-id or NORCE_CHECKOUT_DEMO_ORDER_ID.", file=sys.stderr
                )
                return 2
            with OrderClient() as client:
                print(f"Sending to {client.base_url}")
                send_seed_requests(client, args.order_id)
            return 0

        # Imported here: a real tenant needs no local server and its extra.
        from norce_checkout_order.testing import LocalOrderServer  # noqa: PLC0415

        with LocalOrderServer() as server:
            order_id = server.create_order(MERCHANT, CHANNEL)
            print(f"Local Norce Order server at {server.base_url}, order {order_id}")
            with OrderClient(
                base_url=server.base_url,
                api_key=server.api_key,
                merchant=MERCHANT,
                channel=CHANNEL,
            ) as client:
                send_seed_requests(client, order_id)
            stored = server.get_order(MERCHANT, CHANNEL, order_id)
        print("Stored order:")
        print(json.dumps(stored, indent=2, ensure_ascii=False))
        return 0
    except NorceCheckoutError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
