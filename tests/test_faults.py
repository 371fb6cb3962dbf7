"""Faults over real HTTP: each kind, on each operation, with and without luck.

The local server misbehaves on request; the client either succeeds within its
retry budget or raises the matching error, never hangs, and the order holds
what the last successful call set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import stamina
from conftest import CHANNEL, FAKE_TOKEN, MERCHANT, seed
from norce_checkout_order import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncOrderClient,
    BadRequestError,
    InternalServerError,
    NorceCheckoutError,
    OrderClient,
    RateLimitError,
)
from norce_checkout_order.testing import LocalOrderServer

# Each operation: the call, a body, and how to read back what it set.
OPERATIONS: dict[str, tuple[str, Any, Callable[[dict[str, Any]], Any]]] = {
    "state": ("update_state", "processing", lambda o: o["state"]["currentStatus"]),
    "cart": ("update_cart", seed("cart"), lambda o: o["cart"]),
    "billing": (
        "update_billing",
        {**seed("billing"), "type": "person"},
        lambda o: o["customer"]["billing"],
    ),
}
EXPECTED = {
    "state": "processing",
    "cart": seed("cart"),
    "billing": OPERATIONS["billing"][1],
}

# Each fault a client meets, and the error it ends in when it never clears.
FAULTS: dict[str, tuple[dict[str, Any], type[NorceCheckoutError]]] = {
    "408": ({"status": 408}, APIStatusError),
    "429 retry-after": ({"status": 429, "headers": {"retry-after": "1"}}, RateLimitError),
    "500 base error": ({"status": 500, "body": {"code": "boom", "message": "Boom."}}, InternalServerError),
    "502 html": ({"status": 502, "body": "<html><h1>Bad Gateway</h1></html>", "headers": {"content-type": "text/html"}}, InternalServerError),
    "503 retry-after date": ({"status": 503, "headers": {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}}, InternalServerError),
    "504 empty": ({"status": 504}, InternalServerError),
    "slow": ({"delay": 0.6}, APITimeoutError),
    "dropped": ({"drop": True}, APIConnectionError),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _clean_faults(server: LocalOrderServer) -> Iterator[None]:
    """Faults a test left unused do not reach the next test."""
    yield
    server.reset_faults()


def make_client(server: LocalOrderServer, **options: Any) -> OrderClient:
    return OrderClient(
        base_url=server.base_url,
        api_key=FAKE_TOKEN,
        merchant=MERCHANT,
        channel=CHANNEL,
        timeout=0.2,
        **options,
    )


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_fault_that_clears_within_the_budget_is_survived(
    server: LocalOrderServer, order_id: str, operation: str, fault: str
) -> None:
    method, body, read = OPERATIONS[operation]
    before = server.hits(operation)
    server.inject(operation, times=2, **FAULTS[fault][0])

    with make_client(server) as client:
        result = getattr(client, method)(order_id, body)

    assert result.status_code == 200
    assert server.hits(operation) - before == 3
    assert read(server.get_order(MERCHANT, CHANNEL, order_id)) == EXPECTED[operation]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_fault_that_outlasts_the_budget_raises_and_changes_nothing(
    server: LocalOrderServer, order_id: str, operation: str, fault: str
) -> None:
    method, body, read = OPERATIONS[operation]
    before_order = server.get_order(MERCHANT, CHANNEL, order_id)
    before = server.hits(operation)
    options, error = FAULTS[fault]
    server.inject(operation, times=3, **options)

    with make_client(server) as client, pytest.raises(error) as caught:
        getattr(client, method)(order_id, body)

    assert type(caught.value) is error or error is APIStatusError
    assert server.hits(operation) - before == 3
    if not options.get("delay"):  # a slow request still lands, later
        after = read(server.get_order(MERCHANT, CHANNEL, order_id))
        assert after == read(before_order)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_errors_that_a_retry_cannot_fix_are_not_retried(
    server: LocalOrderServer, order_id: str, operation: str
) -> None:
    method, body, _ = OPERATIONS[operation]
    before = server.hits(operation)
    server.inject(operation, status=400, body={"code": "nope", "message": "No."})

    with make_client(server) as client, pytest.raises(BadRequestError):
        getattr(client, method)(order_id, body)

    assert server.hits(operation) - before == 1


def test_zero_retries_per_client_and_per_call(
    server: LocalOrderServer, order_id: str
) -> None:
    before = server.hits("state")
    server.inject("state", times=4, status=503)

    with make_client(server, max_retries=0) as client:
        with pytest.raises(InternalServerError):
            client.update_state(order_id, "processing")
        with pytest.raises(InternalServerError):
            client.update_state(order_id, "processing", max_retries=1)
        result = client.update_state(order_id, "processing", max_retries=5)

    assert result.status_code == 200
    assert server.hits("state") - before == 1 + 2 + 2


def test_a_retry_after_beyond_the_cap_is_not_waited_for(
    server: LocalOrderServer, order_id: str
) -> None:
    before = server.hits("cart")
    server.inject("cart", status=429, headers={"retry-after": "3600"})

    with make_client(server) as client, pytest.raises(RateLimitError) as caught:
        client.update_cart(order_id, seed("cart"))

    assert server.hits("cart") - before == 1
    assert caught.value.response.headers["retry-after"] == "3600"


def test_retry_after_is_honoured_and_each_retry_warns(
    server: LocalOrderServer, order_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="norce_checkout_order")
    server.inject("state", status=429, headers={"retry-after": "1"})
    server.inject("state", status=503)

    with stamina.set_testing(False), make_client(server) as client:
        client.update_state(order_id, "processing")

    ours = [r for r in caplog.records if r.name == "norce_checkout_order"]
    warnings = [r.getMessage() for r in ours if r.levelno == logging.WARNING]
    decisions = [r.getMessage() for r in ours if r.levelno == logging.DEBUG]
    assert len(warnings) == 2
    assert warnings[0].endswith("(attempt 2 of 3) after status 429")
    assert warnings[1].endswith("(attempt 3 of 3) after status 503")
    assert "Retryable: status 429, after Retry-After 1.0s" in decisions
    assert "Retryable: status 503, with backoff" in decisions
    assert all(FAKE_TOKEN not in r.getMessage() for r in caplog.records)


def test_a_call_cannot_hang_past_its_timeouts_and_budget(
    server: LocalOrderServer, order_id: str
) -> None:
    server.inject("billing", times=10, delay=5.0)

    with make_client(server, max_retries=1) as client, pytest.raises(APITimeoutError):
        client.update_billing(order_id, seed("billing"), timeout=0.1)

    assert server.hits("billing") >= 2


async def test_the_async_client_survives_the_same_faults(
    server: LocalOrderServer, order_id: str
) -> None:
    server.inject("cart", status=502, body="<html>down</html>")
    server.inject("cart", drop=True)
    server.inject("state", delay=1.0)

    async with AsyncOrderClient(
        base_url=server.base_url,
        api_key=FAKE_TOKEN,
        merchant=MERCHANT,
        channel=CHANNEL,
        timeout=0.25,
    ) as client:
        cart, state = await asyncio.gather(
            client.update_cart(order_id, seed("cart")),
            client.update_state(order_id, "processing"),
        )
        server.inject("billing", times=3, status=503)
        with pytest.raises(InternalServerError):
            await client.update_billing(order_id, seed("billing"))

    stored = server.get_order(MERCHANT, CHANNEL, order_id)
    assert (cart.status_code, state.status_code) == (200, 200)
    assert stored["cart"] == seed("cart")
    assert stored["customer"]["billing"] is None


def test_faults_name_a_known_operation(server: LocalOrderServer) -> None:
    with pytest.raises(ValueError, match="`operation`"):
        server.inject("carts", status=500)


def test_the_raw_answer_of_a_fault_is_what_was_asked(
    server: LocalOrderServer, order_id: str
) -> None:
    server.inject("state", status=418, headers={"x-test": "1"}, body="teapot")

    response = httpx.put(
        f"{server.base_url}/api/v0/checkout/orders/{order_id}/state", content=b"{}"
    )

    assert (response.status_code, response.headers["x-test"], response.text) == (
        418,
        "1",
        "teapot",
    )
