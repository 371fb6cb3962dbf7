"""Per-client and per-call options, and clients derived with other defaults."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import httpx
import pytest
from conftest import FAKE_TOKEN, Recorder, mock_client
from norce_checkout_order import (
    DEFAULT_MAX_RETRIES,
    ConfigurationError,
    InternalServerError,
    NorceCheckoutError,
)
from norce_checkout_order._retries import RetryDecider, retry_after


def test_extra_headers_per_call_win_and_are_not_kept(recorder: Recorder) -> None:
    extra = {"x-channel": "2", "X-Trace": "abc"}

    with mock_client(recorder) as client:
        client.update_state("o_1", "checkout", extra_headers=extra)
        client.update_state("o_1", "checkout")

    first, second = recorder.requests
    assert (first.headers["x-channel"], first.headers["x-trace"]) == ("2", "abc")
    assert (second.headers["x-channel"], "x-trace" in second.headers) == ("1", False)
    assert extra == {"x-channel": "2", "X-Trace": "abc"}


def test_default_headers_go_with_every_request(recorder: Recorder) -> None:
    with mock_client(recorder, default_headers={"X-Shop": "s1"}) as client:
        client.update_cart("o_1", {})
        client.update_billing("o_1", {}, extra_headers={"x-shop": "s2"})

    assert [r.headers["x-shop"] for r in recorder.requests] == ["s1", "s2"]


def test_a_derived_client_shares_the_pool_and_leaves_its_parent_alone(
    recorder: Recorder,
) -> None:
    with mock_client(recorder, default_headers={"X-Shop": "s1"}) as parent:
        child = parent.with_options(
            headers={"X-Shop": "s2", "X-New": "1"}, timeout=3.0, max_retries=0
        )
        child.update_state("o_1", "checkout")
        child.close()  # the shared pool stays open for the parent
        parent.update_state("o_1", "checkout")

    by_child, by_parent = recorder.requests
    assert child._http is parent._http
    assert (by_child.headers["x-shop"], by_child.headers["x-new"]) == ("s2", "1")
    assert by_parent.headers["x-shop"] == "s1"
    assert "x-new" not in by_parent.headers
    assert by_child.extensions["timeout"]["read"] == 3.0
    assert by_parent.extensions["timeout"]["read"] == 30.0
    assert parent._max_retries == DEFAULT_MAX_RETRIES
    assert child._max_retries == 0


def test_timeouts_per_call(recorder: Recorder) -> None:
    with mock_client(recorder, timeout=httpx.Timeout(9.0, connect=1.0)) as client:
        client.update_state("o_1", "checkout")
        client.update_state("o_1", "checkout", timeout=0.5)

    assert recorder.requests[0].extensions["timeout"] == {
        "connect": 1.0,
        "read": 9.0,
        "write": 9.0,
        "pool": 9.0,
    }
    assert recorder.requests[1].extensions["timeout"]["read"] == 0.5


def test_retries_per_client_and_per_call() -> None:
    failing = Recorder(lambda request: httpx.Response(503))

    with mock_client(failing, max_retries=4) as client:
        with pytest.raises(InternalServerError):
            client.update_state("o_1", "checkout")
        with pytest.raises(InternalServerError):
            client.update_state("o_1", "checkout", max_retries=0)

    assert len(failing.requests) == 5 + 1


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [
        ("max_retries", -1, "`max_retries`"),
        ("max_retries", 1.5, "`max_retries`"),
        ("max_retries", True, "`max_retries`"),
        ("timeout", -2, "`timeout`"),
        ("extra_headers", {"x-merchant": "nörce"}, "header 'x-merchant'"),
        ("extra_headers", {"x-a": "1\r\nx-b: 2"}, "header 'x-a'"),
        ("extra_headers", {"bad name": "1"}, "header 'bad name'"),
        ("extra_headers", {"x-a": 1}, "header 'x-a'"),
    ],
)
def test_bad_call_options_name_the_option_and_send_nothing(
    recorder: Recorder, option: str, value: object, hint: str
) -> None:
    with mock_client(recorder) as client, pytest.raises(ConfigurationError) as caught:
        client.update_state("o_1", "checkout", **{option: value})  # type: ignore[arg-type]

    assert hint in str(caught.value)
    assert recorder.requests == []


def test_a_bad_authorization_header_is_refused_without_showing_it(
    recorder: Recorder,
) -> None:
    with mock_client(recorder) as client, pytest.raises(ConfigurationError) as caught:
        client.update_state(
            "o_1", "checkout", extra_headers={"Authorization": f"Bearer {FAKE_TOKEN}\n"}
        )

    assert FAKE_TOKEN not in str(caught.value)


def test_with_options_checks_its_values(recorder: Recorder) -> None:
    with mock_client(recorder) as client:
        with pytest.raises(ConfigurationError, match="`max_retries`"):
            client.with_options(max_retries=-1)
        with pytest.raises(ConfigurationError, match="`timeout`"):
            client.with_options(timeout=0)


NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("0", 0.0),
        ("-4", 0.0),
        ("Thu, 03 Dec 2026 12:00:10 GMT", 10.0),
        ("Thu, 03 Dec 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("inf", math.inf),
        ("1" + "0" * 400, math.inf),
        ("nan", None),
        ("", None),
        ("120, 120", 120.0),
        ("5, Thu, 03 Dec 2026 12:00:20 GMT", 20.0),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(value: str, seconds: float | None) -> None:
    response = httpx.Response(429, headers={"retry-after": value})

    assert retry_after(response, now=NOW) == seconds


def test_a_header_sent_twice_counts_at_its_longest() -> None:
    response = httpx.Response(503, headers=[("retry-after", "2"), ("retry-after", "9")])

    assert retry_after(response, now=NOW) == 9.0


@pytest.mark.parametrize(
    ("wait", "budget", "decision"),
    [("1", 60.0, 1.0), ("20", 10.0, False), (None, 60.0, True), (None, 5.0, False)],
)
def test_no_retry_starts_past_the_budget(
    wait: str | None, budget: float, decision: bool | float
) -> None:
    headers = {} if wait is None else {"retry-after": wait}
    response = httpx.Response(
        503, headers=headers, request=httpx.Request("PUT", "https://x.example")
    )
    error = InternalServerError("503", response=response, body="")

    assert RetryDecider(budget=budget)(error) == decision


@pytest.mark.parametrize("wiring", ["own client", "caller's client"])
def test_headers_are_the_same_however_the_client_is_wired(
    recorder: Recorder, wiring: str
) -> None:
    """The client's own httpx client carries the fixed headers; a caller's
    client gets them with each request: what goes out must not differ."""
    extra = (
        {}
        if wiring == "own client"
        else {"http_client": httpx.Client(transport=recorder.transport)}
    )

    with mock_client(recorder, adapter_id="a1", **extra) as client:
        client.update_state("o_1", "checkout")
        client.update_state("o_1", "checkout", extra_headers={"X-Channel": "9"})
        derived = client.with_options(headers={"x-merchant": "other"})
        derived.update_cart("o_1", {})

    plain, overridden, from_derived = (r.headers for r in recorder.requests)
    for headers in (plain, overridden, from_derived):
        assert headers["authorization"] == f"Bearer {FAKE_TOKEN}"
        assert headers["x-adapterid"] == "a1"
        assert headers["content-type"] == "application/json"
        assert headers.get_list("x-channel") in (["1"], ["9"])
    assert (plain["x-merchant"], plain["x-channel"]) == ("norce", "1")
    assert overridden["x-channel"] == "9"
    assert (from_derived["x-merchant"], from_derived["x-channel"]) == ("other", "1")


def test_transport_and_http_client_together_are_refused(recorder: Recorder) -> None:
    with pytest.raises(ConfigurationError, match="`transport` or `http_client`"):
        mock_client(
            recorder,
            transport=recorder.transport,
            http_client=httpx.Client(transport=recorder.transport),
        )


@pytest.mark.parametrize("name", ["authorization", "AUTHORIZATION", "Authorization"])
def test_an_authorization_default_header_replaces_the_token_in_any_case(
    recorder: Recorder, name: str
) -> None:
    with mock_client(recorder, default_headers={name: "Bearer other-token-123"}) as c:
        c.update_state("o_1", "checkout")

    assert recorder.last.headers.get_list("authorization") == ["Bearer other-token-123"]


def test_a_short_test_key_does_not_garble_messages() -> None:
    failing = Recorder(lambda request: httpx.Response(401, json={"message": "wrong"}))

    with (
        mock_client(failing, api_key="k") as client,
        pytest.raises(NorceCheckoutError) as caught,
    ):
        client.update_state("o_1", "checkout")

    assert "wrong" in str(caught.value)
