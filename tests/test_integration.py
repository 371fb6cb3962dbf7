"""OrderClient and AsyncOrderClient against the local server, over real HTTP."""

from __future__ import annotations

import httpx
import pytest
from conftest import CHANNEL, FAKE_TOKEN, MERCHANT, seed
from norce_checkout_order import (
    AsyncOrderClient,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OrderClient,
)
from norce_checkout_order._generated.rest import client as rest_client
from norce_checkout_order._generated.rest.api.orders import update_checkout_order_state
from norce_checkout_order._generated.rest.models import OrderStatus, State
from norce_checkout_order.testing import LocalOrderServer

TENANT = {"x-merchant": MERCHANT, "x-channel": CHANNEL}


def raw_put(
    server: LocalOrderServer,
    path: str,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A PUT that bypasses the client, to see what the server itself refuses."""
    return httpx.put(
        f"{server.base_url}/api/v0/checkout/orders/{path}",
        content=body,
        headers={
            "authorization": f"Bearer {FAKE_TOKEN}",
            "content-type": "application/json",
            **(TENANT if headers is None else headers),
        },
    )


def test_the_seed_requests_round_trip(
    client: OrderClient, server: LocalOrderServer, order_id: str
) -> None:
    results = [
        client.update_state(order_id, "checkout"),
        client.update_cart(order_id, seed("cart")),
        client.update_billing(order_id, seed("billing")),
    ]

    stored = server.get_order(MERCHANT, CHANNEL, order_id)
    assert [result.status_code for result in results] == [200, 200, 200]
    assert all(result.done for result in results)
    assert stored["state"]["currentStatus"] == "checkout"
    assert stored["cart"] == seed("cart")
    assert stored["cart"]["items"][0]["items"] == [{}]
    assert stored["cart"]["attributes"] == {"property1": None, "property2": None}
    assert stored["customer"]["billing"] == {**seed("billing"), "type": "person"}


async def test_the_async_client_does_the_same(
    server: LocalOrderServer, order_id: str
) -> None:
    async with AsyncOrderClient(
        base_url=server.base_url, api_key=FAKE_TOKEN, merchant=MERCHANT, channel=CHANNEL
    ) as client:
        state = await client.update_state(order_id, "checkout")
        cart = await client.update_cart(order_id, seed("cart"))
        billing = await client.update_billing(order_id, seed("billing"))
        with pytest.raises(NotFoundError):
            await client.update_state("o_missing", "checkout")

    stored = server.get_order(MERCHANT, CHANNEL, order_id)
    assert (state.status_code, cart.status_code, billing.status_code) == (200, 200, 200)
    assert stored["cart"] == seed("cart")
    assert stored["customer"]["billing"]["givenName"] == "Rosalinainho"


def test_state_changes_are_recorded_in_order(
    client: OrderClient, server: LocalOrderServer, order_id: str
) -> None:
    for status in ("processing", "checkout", "processing", "accepted", "completed"):
        client.update_state(order_id, status)

    transitions = server.get_order(MERCHANT, CHANNEL, order_id)["state"]["transitions"]
    assert [t["status"] for t in transitions] == [
        "checkout", "processing", "checkout", "processing", "accepted", "completed",
    ]  # fmt: skip


def test_an_unknown_order_is_not_found(client: OrderClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.update_cart("o_does_not_exist", seed("cart"))

    assert caught.value.code == "order-not-found"
    assert caught.value.message == "Order with id:o_does_not_exist not found."


def test_orders_are_kept_per_merchant_and_channel(
    server: LocalOrderServer, order_id: str
) -> None:
    with (
        OrderClient(
            base_url=server.base_url, api_key=FAKE_TOKEN, merchant=MERCHANT, channel="2"
        ) as other_channel,
        pytest.raises(NotFoundError),
    ):
        other_channel.update_state(order_id, "checkout")


def test_a_wrong_token_is_refused(server: LocalOrderServer, order_id: str) -> None:
    with (
        OrderClient(
            base_url=server.base_url,
            api_key="wrong",
            merchant=MERCHANT,
            channel=CHANNEL,
        ) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.update_state(order_id, "checkout")

    assert caught.value.status_code == 401
    assert server.get_order(MERCHANT, CHANNEL, order_id)["cart"] is None


def test_cart_and_billing_change_only_in_checkout(
    client: OrderClient, server: LocalOrderServer, order_id: str
) -> None:
    client.update_cart(order_id, {"reference": "first"})
    client.update_state(order_id, "processing")

    with pytest.raises(BadRequestError) as cart_refused:
        client.update_cart(order_id, {"reference": "second"})
    with pytest.raises(BadRequestError):
        client.update_billing(order_id, seed("billing"))

    stored = server.get_order(MERCHANT, CHANNEL, order_id)
    assert cart_refused.value.code == "order-not-editable"
    assert stored["cart"] == {"reference": "first"}
    assert stored["customer"]["billing"] is None


def test_an_order_id_with_a_slash_reaches_its_own_order(
    client: OrderClient, server: LocalOrderServer
) -> None:
    order_id = server.create_order(MERCHANT, CHANNEL, "o_a/b c%")

    client.update_cart(order_id, {"reference": "slashed"})

    assert server.get_order(MERCHANT, CHANNEL, order_id)["cart"] == {
        "reference": "slashed"
    }


@pytest.mark.parametrize(
    ("headers", "body", "detail"),
    [
        ({"x-channel": CHANNEL}, b'{"currentStatus": "checkout"}', "x-merchant"),
        ({"x-merchant": MERCHANT}, b'{"currentStatus": "checkout"}', "x-channel"),
        (TENANT, b'{"currentStatus": "nope"}', "nope"),
        (TENANT, b"{broken", ""),
        (TENANT, b'{"currentStatus": "checkout", "transitions": []}', "transitions"),
    ],
)  # fmt: skip
def test_the_server_refuses_what_the_spec_refuses(
    server: LocalOrderServer,
    order_id: str,
    headers: dict[str, str],
    body: bytes,
    detail: str,
) -> None:
    response = raw_put(server, f"{order_id}/state", body, headers)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]
    assert server.get_order(MERCHANT, CHANNEL, order_id)["state"]["currentStatus"] == (
        "checkout"
    )


def test_the_server_binds_to_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        LocalOrderServer(host="0.0.0.0")  # noqa: S104


def test_the_generated_layer_works_on_its_own(
    server: LocalOrderServer, order_id: str
) -> None:
    http = rest_client.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {FAKE_TOKEN}"}
    )
    with http:
        response = update_checkout_order_state.sync_detailed(
            order_id,
            client=http,
            body=State(current_status=OrderStatus.PROCESSING),
            x_merchant=MERCHANT,
            x_channel=CHANNEL,
        )

    assert response.status_code == 200
    assert server.get_order(MERCHANT, CHANNEL, order_id)["state"]["currentStatus"] == (
        "processing"
    )


def test_proxy_variables_never_carry_a_loopback_request(
    monkeypatch: pytest.MonkeyPatch, server: LocalOrderServer, order_id: str
) -> None:
    # A proxy that is not there: a request sent through it would fail.
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")

    with OrderClient(
        base_url=server.base_url, api_key=FAKE_TOKEN, merchant=MERCHANT, channel=CHANNEL
    ) as client:
        result = client.update_state(order_id, "processing")

    assert result.status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "word"),
    [
        (b'{"total": {"includingVat": NaN}}', 400, "NaN"),
        (b'{"reference": "caf\xe9"}', 400, "not JSON"),
        (b"[" * 50_000 + b"]" * 50_000, 400, "not JSON"),
    ],
)
def test_the_server_refuses_bodies_that_are_not_strict_json(
    server: LocalOrderServer, order_id: str, body: bytes, status: int, word: str
) -> None:
    response = raw_put(server, f"{order_id}/cart", body)

    assert response.status_code == status
    assert word in response.text
    assert server.get_order(MERCHANT, CHANNEL, order_id)["cart"] is None


def test_a_state_change_needs_a_status(server: LocalOrderServer, order_id: str) -> None:
    response = raw_put(server, f"{order_id}/state", b"{}")

    assert response.status_code == 400
    assert response.json()["code"] == "status-required"


def test_the_server_listens_on_ipv6_loopback_too() -> None:
    with LocalOrderServer(host="::1", api_key=FAKE_TOKEN) as server:
        order_id = server.create_order(MERCHANT, CHANNEL)
        with OrderClient(
            base_url=server.base_url,
            api_key=FAKE_TOKEN,
            merchant=MERCHANT,
            channel=CHANNEL,
        ) as client:
            client.update_state(order_id, "processing")

    assert server.base_url.startswith("http://[::1]:")
