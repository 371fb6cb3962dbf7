"""Use the installed wheel as a dependent project would, from outside the repo.

Run by `nox -s consume` in a fresh virtual environment: the seed's three calls
against the packaged local server, the packaged spec, the version, the types.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata, resources
from pathlib import Path

import norce_checkout_order
from norce_checkout_order import OrderClient, openapi_spec
from norce_checkout_order.testing import LocalOrderServer


def main(seed_dir: Path, spec_path: Path) -> None:
    location = Path(norce_checkout_order.__file__).resolve()
    assert "site-packages" in location.parts, location

    package = resources.files("norce_checkout_order")
    assert package.joinpath("py.typed").is_file()
    assert openapi_spec() == spec_path.read_text("utf-8")
    assert norce_checkout_order.__version__ == metadata.version("norce-checkout-order")

    bodies = {
        name: json.loads((seed_dir / f"seed_{name}.json").read_text("utf-8"))
        for name in ("state", "cart", "billing")
    }
    with LocalOrderServer() as server:
        order_id = server.create_order("norce", "1")
        with OrderClient(
            base_url=server.base_url,
            api_key=server.api_key,
            merchant="norce",
            channel="1",
        ) as client:
            results = [
                client.update_state(order_id, bodies["state"]["currentStatus"]),
                client.update_cart(order_id, bodies["cart"]),
                client.update_billing(order_id, bodies["billing"]),
            ]
        stored = server.get_order("norce", "1", order_id)

    assert [result.status_code for result in results] == [200, 200, 200]
    assert stored["cart"] == bodies["cart"]
    print(f"Installed {norce_checkout_order.__version__} at {location.parent}")
    print("Three calls answered 200; the packaged spec is the repository's.")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
