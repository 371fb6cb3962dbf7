"""The changes apply_changes.py made reach users, after regeneration alone.

Run only by `nox -s spec_change`, against the package built from a changed
copy of the project (the names below do not exist in the real spec).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import msgspec
import pytest
from norce_checkout_order import OrderClient, OrderStatus, models
from norce_checkout_order._generated.rest.api.orders import (
    update_checkout_order_cart,
    update_checkout_order_customer_billing,
    update_checkout_order_state,
)
from norce_checkout_order.testing import LocalOrderServer


@pytest.fixture
def setup() -> Iterator[tuple[LocalOrderServer, OrderClient, str]]:
    with (
        LocalOrderServer() as server,
        OrderClient(
            base_url=server.base_url, api_key=server.api_key, merchant="m", channel="1"
        ) as client,
    ):
        yield server, client, server.create_order("m", "1")


def test_the_new_address_field_is_validated_and_sent(
    setup: tuple[LocalOrderServer, OrderClient, str],
) -> None:
    server, client, order_id = setup
    address = msgspec.convert({"middleName": "Maria"}, models.Address)

    client.update_billing(order_id, address)

    assert server.get_order("m", "1", order_id)["customer"]["billing"] == {
        "middleName": "Maria"
    }
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"middleName": 5}, models.Address)


def test_the_new_status_is_known_and_sent(
    setup: tuple[LocalOrderServer, OrderClient, str],
) -> None:
    server, client, order_id = setup

    client.update_state(order_id, OrderStatus("onHold"))

    assert server.get_order("m", "1", order_id)["state"]["currentStatus"] == "onHold"


def test_the_new_header_reaches_the_generated_layer_and_the_wire(
    setup: tuple[LocalOrderServer, OrderClient, str],
) -> None:
    _, client, order_id = setup
    modules = [
        update_checkout_order_state,
        update_checkout_order_cart,
        update_checkout_order_customer_billing,
    ]

    result = client.update_state(
        order_id, "checkout", extra_headers={"x-request-id": "req-7d1f"}
    )

    for module in modules:
        assert "x_request_id" in inspect.signature(module.sync_detailed).parameters
    assert result.response.request.headers["x-request-id"] == "req-7d1f"
