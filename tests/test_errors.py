"""Non-2xx answers and failed connections map onto the exception tree."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import FAKE_TOKEN, Recorder, mock_client
from norce_checkout_order import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NorceCheckoutError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

BASE_ERROR = b'{"code": "order-not-found", "message": "Order with id:o_1 not found."}'


def answering(
    status: int, content: bytes = b"", headers: dict[str, str] | None = None
) -> Recorder:
    """A transport that answers every request the same way."""
    return Recorder(
        lambda request: httpx.Response(status, content=content, headers=headers)
    )


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_each_status_has_its_exception(status: int, kind: type[APIStatusError]) -> None:
    recorder = answering(status, BASE_ERROR, {"x-request-id": "req-42"})

    with mock_client(recorder) as client, pytest.raises(kind) as caught:
        client.update_state("o_1", "checkout")

    error = caught.value
    assert type(error) is kind
    assert error.status_code == status
    assert error.code == "order-not-found"
    assert error.message == "Order with id:o_1 not found."
    assert error.request_id == "req-42"
    assert error.request.method == "PUT"
    assert error.response.status_code == status
    assert f"answered {status}" in str(error)
    assert "order-not-found: Order with id:o_1 not found." in str(error)


@pytest.mark.parametrize(
    ("content", "body", "code", "message", "shown"),
    [
        (BASE_ERROR, {"code": "order-not-found", "message": "Order with id:o_1 not found."}, "order-not-found", "Order with id:o_1 not found.", "order-not-found"),
        (b'{"type": "about:blank", "title": "Bad", "status": 400, "detail": "No."}', {"type": "about:blank", "title": "Bad", "status": 400, "detail": "No."}, "about:blank", "No.", "No."),
        (b"", "", None, None, "(empty body)"),
        (b"<html><body>502 Bad Gateway</body></html>", "<html><body>502 Bad Gateway</body></html>", None, None, "<html>"),
        (b'{"code": "trunc', '{"code": "trunc', None, None, '{"code": "trunc'),
        (b"[1, 2]", [1, 2], None, None, "[1,2]"),
        (b'{"code": 5, "message": null}', {"code": 5, "message": None}, None, None, '{"code":5'),
        (b"plain words", "plain words", None, None, "plain words"),
        (b"\xff\xfe broken", "\ufffd\ufffd broken", None, None, "broken"),
    ],
)  # fmt: skip
def test_any_body_is_kept_decoded_or_raw(
    content: bytes, body: object, code: str | None, message: str | None, shown: str
) -> None:
    recorder = answering(400, content, {"content-type": "text/html"})

    with mock_client(recorder) as client, pytest.raises(BadRequestError) as caught:
        client.update_cart("o_1", {})

    assert caught.value.body == body
    assert caught.value.code == code
    assert caught.value.message == message
    assert shown in str(caught.value)


def test_a_huge_error_page_is_cut_short_in_the_message() -> None:
    recorder = answering(502, b"<html>" + b"x" * 100_000 + b"</html>")

    with mock_client(recorder) as client, pytest.raises(InternalServerError) as caught:
        client.update_state("o_1", "checkout")

    assert len(str(caught.value)) < 400
    assert len(caught.value.body) > 100_000


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.RemoteProtocolError("dropped"), APIConnectionError),
        (httpx.ReadTimeout("slow"), APITimeoutError),
        (httpx.ConnectTimeout("slow"), APITimeoutError),
        (httpx.PoolTimeout("busy"), APITimeoutError),
    ],
)
def test_transport_failures_are_connection_errors(
    failure: httpx.TransportError, kind: type[APIConnectionError]
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    with mock_client(Recorder(fail)) as client, pytest.raises(kind) as caught:
        client.update_state("o_1", "checkout")

    assert caught.value.__cause__ is failure
    assert caught.value.request.method == "PUT"
    assert isinstance(caught.value, NorceCheckoutError)
    assert not isinstance(caught.value, APIError)


@pytest.mark.parametrize("status", [200, 202, 204])
def test_success_reports_whether_the_change_is_done_or_accepted(status: int) -> None:
    recorder = answering(status, headers={"x-correlation-id": "c-1"})

    with mock_client(recorder) as client:
        result = client.update_state("o_1", "checkout")

    assert result.status_code == status
    assert result.done is (status == 200)
    assert result.accepted is (status == 202)
    assert result.request_id == "c-1"
    assert result.response.status_code == status


def test_a_body_that_fails_to_decode_is_a_connection_error() -> None:
    recorder = answering(200, b"not gzip at all", {"content-encoding": "gzip"})

    with mock_client(recorder) as client, pytest.raises(APIConnectionError) as caught:
        client.update_state("o_1", "checkout")

    assert isinstance(caught.value.__cause__, httpx.DecodingError)


def test_a_redirect_loop_of_a_callers_client_is_a_connection_error() -> None:
    loop = Recorder(
        lambda request: httpx.Response(302, headers={"location": str(request.url)})
    )
    http = httpx.Client(transport=loop.transport, follow_redirects=True)

    with (
        mock_client(loop, http_client=http) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.update_state("o_1", "checkout")

    assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)
    http.close()


def test_json_nested_too_deep_to_decode_is_kept_as_text() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000

    with (
        mock_client(answering(400, deep)) as client,
        pytest.raises(BadRequestError) as caught,
    ):
        client.update_state("o_1", "checkout")

    assert caught.value.body == deep.decode()


def test_the_servers_words_are_cut_cleaned_and_redacted() -> None:
    message = f"line one\nline two \x1b[31m{FAKE_TOKEN} " + "x" * 5000
    recorder = answering(400, json.dumps({"code": "bad", "message": message}).encode())

    with mock_client(recorder) as client, pytest.raises(BadRequestError) as caught:
        client.update_state("o_1", "checkout")

    text = str(caught.value)
    assert caught.value.message == message.replace(FAKE_TOKEN, "[redacted]")
    assert "\n" not in text
    assert "\x1b" not in text
    assert FAKE_TOKEN not in text
    assert "[redacted]" in text
    assert len(text) < 400
