"""The API token never reaches a log record, a repr or an exception message."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
from conftest import FAKE_TOKEN, Recorder, mock_client
from norce_checkout_order import (
    AsyncOrderClient,
    ConfigurationError,
    NorceCheckoutError,
    OrderClient,
)
from norce_checkout_order.testing import LocalOrderServer


def failures() -> list[Recorder]:
    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"failed sending {request.headers}")

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"slow {request.headers}")

    echo = f'{{"code": "x", "message": "echoed {FAKE_TOKEN}"}}'.encode()
    answers = iter([503, 429, 200])
    return [
        Recorder(lambda request: httpx.Response(401, content=b"")),
        Recorder(lambda request: httpx.Response(400, content=echo)),
        Recorder(lambda request: httpx.Response(500, content=b"<html>oops</html>")),
        Recorder(lambda request: httpx.Response(next(answers))),  # two retries
        Recorder(lambda request: httpx.Response(200)),
        Recorder(drop),
        Recorder(slow),
    ]


def test_no_path_leaks_the_token(caplog: pytest.LogCaptureFixture) -> None:
    """Success, each error, each retry: the planted token shows nowhere."""
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    for recorder in failures():
        with mock_client(recorder) as client:
            seen.append(repr(client))
            try:
                result = client.update_state("o_1", "checkout")
            except NorceCheckoutError as exc:
                trace = "".join(traceback.format_exception(exc))
                seen.extend([str(exc), repr(exc), trace, str(exc.args)])
                seen.append(str(getattr(exc, "message", "")))
                seen.append(str(dict(exc.request.headers)))  # type: ignore[attr-defined]
            else:
                # A result holds the request as sent; httpx masks its token
                # in reprs. Errors hand out the request with the token removed.
                seen.extend([repr(result), repr(result.response.request.headers)])

    seen.extend(record.getMessage() for record in caplog.records)
    seen.extend(str(record.__dict__) for record in caplog.records)
    assert any(record.levelname == "WARNING" for record in caplog.records)
    assert len(seen) > 20
    assert all(FAKE_TOKEN not in text for text in seen)


def test_a_real_round_trip_logs_no_token(
    caplog: pytest.LogCaptureFixture, server: LocalOrderServer, order_id: str
) -> None:
    caplog.set_level(logging.DEBUG)

    with OrderClient(
        base_url=server.base_url, api_key=FAKE_TOKEN, merchant="norce", channel="1"
    ) as client:
        client.update_state(order_id, "checkout")

    assert any("answered 200" in record.getMessage() for record in caplog.records)
    assert all(FAKE_TOKEN not in record.getMessage() for record in caplog.records)


def test_settings_reprs_hide_the_key() -> None:
    client = AsyncOrderClient(
        environment="stage", slug="acme", api_key=FAKE_TOKEN, merchant="m", channel="1"
    )

    assert FAKE_TOKEN not in repr(client)
    assert FAKE_TOKEN not in repr(client._settings)


def test_a_bad_key_error_does_not_echo_the_key() -> None:
    with pytest.raises(ConfigurationError) as caught:
        OrderClient(
            environment="stage", slug="acme", api_key=f"{FAKE_TOKEN}\u00e9",
            merchant="m", channel="1",
        )  # fmt: skip

    assert FAKE_TOKEN not in str(caught.value)
