"""``python -m norce_checkout_order.testing``: run a local Norce Order server."""

from __future__ import annotations

import argparse
import contextlib
import threading

from ._server import DEFAULT_API_KEY, LocalOrderServer


def main(argv: list[str] | None = None) -> None:
    """Serve on loopback until interrupted, with the orders asked for."""
    parser = argparse.ArgumentParser(
        description="Run a local Norce Order server on loopback, for tests."
    )
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free one")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="accepted token")
    parser.add_argument(
        "--order",
        action="append",
        default=[],
        metavar="MERCHANT:CHANNEL[:ORDER_ID]",
        help="create an order in checkout at start (repeatable)",
    )
    args = parser.parse_args(argv)
    orders = [spec.split(":", 2) for spec in args.order]
    if any(len(parts) < 2 or not all(parts) for parts in orders):
        parser.error("--order takes MERCHANT:CHANNEL or MERCHANT:CHANNEL:ORDER_ID")

    server = LocalOrderServer(api_key=args.api_key, port=args.port)
    try:
        server.start()
    except OSError as exc:
        parser.exit(1, f"Cannot listen on port {args.port}: {exc.strerror}.\n")

    try:
        print(f"Serving the Norce Order API at {server.base_url}", flush=True)
        print(f"Send the token: Authorization: Bearer {args.api_key}")
        for merchant, channel, *rest in orders:
            order_id = server.create_order(merchant, channel, *rest)
            print(f"Order {order_id} for x-merchant={merchant} x-channel={channel}")
        print("Press Ctrl+C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
