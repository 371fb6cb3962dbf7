"""What goes on the wire: headers, paths, and bodies that conform to the spec."""

from __future__ import annotations

import httpx
import pytest
from conftest import FAKE_TOKEN, Recorder, mock_client, seed
from norce_checkout_order import OrderStatus, __version__
from norce_checkout_order.models import Address, Cart, Item, Price

BASE = "https://customer-slug.api-se.playground.norce.tech/checkout/order"


def test_every_request_carries_auth_tenant_and_user_agent(recorder: Recorder) -> None:
    with mock_client(recorder, adapter_id="qliro_checkout_adapter") as client:
        client.update_state("o_1", "checkout")

    headers = recorder.last.headers
    assert headers["authorization"] == f"Bearer {FAKE_TOKEN}"
    assert headers["x-merchant"] == "norce"
    assert headers["x-channel"] == "1"
    assert headers["x-adapterid"] == "qliro_checkout_adapter"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith(f"norce-checkout-order/{__version__} ")


def test_adapter_header_is_left_out_when_not_set(recorder: Recorder) -> None:
    with mock_client(recorder) as client:
        client.update_state("o_1", "checkout")

    assert "x-adapterid" not in recorder.last.headers


@pytest.mark.parametrize("key", [f"Bearer {FAKE_TOKEN}", f"bearer {FAKE_TOKEN}"])
def test_a_key_with_its_bearer_prefix_is_not_prefixed_twice(
    recorder: Recorder, key: str
) -> None:
    with mock_client(recorder, api_key=key) as client:
        client.update_state("o_1", "checkout")

    assert recorder.last.headers["authorization"] == key


@pytest.mark.parametrize(
    ("method", "argument", "path"),
    [
        ("update_state", "checkout", "state"),
        ("update_cart", {}, "cart"),
        ("update_billing", {}, "customer/billing"),
    ],
)
def test_each_operation_puts_to_its_path(
    recorder: Recorder, method: str, argument: object, path: str
) -> None:
    with mock_client(recorder) as client:
        getattr(client, method)("o_yClTSySjyAuuBjmiBlHCjuEcTf", argument)

    assert recorder.last.method == "PUT"
    assert str(recorder.last.url) == (
        f"{BASE}/api/v0/checkout/orders/o_yClTSySjyAuuBjmiBlHCjuEcTf/{path}"
    )


@pytest.mark.parametrize(
    ("order_id", "segment"),
    [
        ("a/b", "a%2Fb"),
        ("50%", "50%25"),
        ("%2F", "%252F"),
        ("a b", "a%20b"),
        ("a?b#c", "a%3Fb%23c"),
        ("../x", "..%2Fx"),
        ("ö", "%C3%B6"),
    ],
)
def test_order_ids_travel_as_one_segment_encoded_once(
    recorder: Recorder, order_id: str, segment: str
) -> None:
    with mock_client(recorder) as client:
        client.update_state(order_id, "checkout")

    raw_path = recorder.last.url.raw_path.decode()
    assert raw_path == f"/checkout/order/api/v0/checkout/orders/{segment}/state"


def test_state_accepts_the_enum_or_its_value(recorder: Recorder) -> None:
    with mock_client(recorder) as client:
        client.update_state("o_1", OrderStatus.processing)
        client.update_state("o_1", "accepted")
        client.update_state("o_1", "Completed")

    assert [recorder.body(i) for i in range(3)] == [
        {"currentStatus": "processing"},
        {"currentStatus": "accepted"},
        {"currentStatus": "completed"},
    ]


def test_the_seed_cart_goes_out_as_sent(recorder: Recorder) -> None:
    cart = seed("cart")

    with mock_client(recorder) as client:
        client.update_cart("o_1", cart)

    assert recorder.body() == cart
    assert recorder.body()["items"][0]["items"] == [{}]
    assert recorder.body()["attributes"] == {"property1": None, "property2": None}


def test_the_vendors_billing_example_is_sent_in_the_specs_case(
    recorder: Recorder,
) -> None:
    billing = seed("billing")
    assert billing["type"] == "Person"

    with mock_client(recorder) as client:
        client.update_billing("o_1", billing)

    assert recorder.body() == {**billing, "type": "person"}


def test_models_are_accepted_as_well_as_dicts(recorder: Recorder) -> None:
    cart = Cart(
        items=[Item(name="T-Shirt XL", quantity=2, price=Price(includingVat=1234))]
    )

    with mock_client(recorder) as client:
        client.update_cart("o_1", cart)
        client.update_billing("o_1", Address(country="se", givenName="R"))

    assert recorder.body(0) == {
        "items": [
            {"name": "T-Shirt XL", "quantity": 2, "price": {"includingVat": 1234}}
        ]
    }
    assert recorder.body(1) == {"givenName": "R", "country": "se"}


def test_a_caller_supplied_http_client_is_used_and_left_open(
    recorder: Recorder,
) -> None:
    http = httpx.Client(transport=recorder.transport, headers={"x-extra": "kept"})

    with mock_client(recorder, http_client=http) as client:
        client.update_state("o_1", "checkout")

    assert not http.is_closed
    assert recorder.last.headers["x-extra"] == "kept"
    assert recorder.last.headers["authorization"] == f"Bearer {FAKE_TOKEN}"
    http.close()
