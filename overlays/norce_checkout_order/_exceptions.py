"""
Every exception the client raises, under one root::

    NorceCheckoutError
    ├── ConfigurationError        (also ValueError) bad client settings
    ├── ValidationError           (also ValueError) bad input, nothing was sent
    ├── ClientClosedError         (also RuntimeError) the client was closed
    ├── APIConnectionError        the request did not get an answer
    │   └── APITimeoutError
    └── APIError                  the server answered, and not with success
        └── APIStatusError        carries the response and its status code
            ├── BadRequestError           400
            ├── AuthenticationError       401
            ├── PermissionDeniedError     403
            ├── NotFoundError             404
            ├── ConflictError             409
            ├── UnprocessableEntityError  422
            ├── RateLimitError            429
            └── InternalServerError       5xx

No message or repr holds the API token: requests are described by method and
URL only, and a server's words are cleaned of it. (``request.headers`` does
hold it, as httpx keeps it; httpx masks it in that repr.)
"""

from __future__ import annotations

from typing import Any, overload

import httpx
import msgspec

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NorceCheckoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "ValidationError",
]

# Headers that may carry an id the vendor's support can trace a request by.
# The API documents none, so every common spelling is read, first match wins.
REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "correlation-id",
    "traceparent",
)


class NorceCheckoutError(Exception):
    """The root of every exception this package raises."""


class ConfigurationError(NorceCheckoutError, ValueError):
    """A client setting is missing or invalid; the message names the fix."""


class ClientClosedError(NorceCheckoutError, RuntimeError):
    """The client was closed (or the client it was derived from)."""


class ValidationError(NorceCheckoutError, ValueError):
    """A value passed to a call does not fit the spec; nothing was sent."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field
        """Where the problem is, as a path: ``cart.items[0].quantity``."""


class APIConnectionError(NorceCheckoutError):
    """The request could not be sent or no answer came back."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout ran out."""


class APIError(NorceCheckoutError):
    """The server answered with an error; ``body`` is what it sent, decoded.

    ``secret`` is removed from the server's words kept here, in case the
    server echoes the token back.
    """

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request,
        body: Any,
        secret: str | None = None,
    ) -> None:
        super().__init__(message)
        self.request = request
        self.body = body
        """The decoded JSON body, or the raw text when it was not JSON."""
        code, text = error_fields(body)
        self.code = redact(code, secret)
        """The server's ``code``, when its body had one."""
        self.message = redact(text, secret)
        """The server's ``message`` (or ``detail``), when its body had one."""


class APIStatusError(APIError):
    """An answer with a 4xx or 5xx status."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        secret: str | None = None,
    ) -> None:
        super().__init__(message, request=response.request, body=body, secret=secret)
        self.response = response
        self.status_code = response.status_code
        self.request_id = redact(request_id(response), secret)


class BadRequestError(APIStatusError):
    """400: the server refused the request as malformed or not allowed."""


class AuthenticationError(APIStatusError):
    """401: the API token is missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the token may not do this."""


class NotFoundError(APIStatusError):
    """404: no order has that id for this merchant and channel."""


class ConflictError(APIStatusError):
    """409: the order changed underneath the request."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but its content refused."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """5xx: the server or a gateway in front of it failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_SHORTEST_SECRET = 8
REDACTED = "[redacted]"

# How much of a body that is not JSON goes into a message; a gateway's HTML
# page would otherwise fill a log.
_RAW_TEXT_LIMIT = 200


def error_fields(body: Any) -> tuple[str | None, str | None]:
    """``code`` and ``message`` of a BaseError body, else of a ProblemDetails."""
    if not isinstance(body, dict):
        return None, None
    texts = {k: v for k, v in body.items() if isinstance(v, str) and v}
    code = texts.get("code") or texts.get("type")
    message = texts.get("message") or texts.get("detail") or texts.get("title")
    return code, message


def request_id(response: httpx.Response) -> str | None:
    """The first request or correlation id header the server sent, if any."""
    headers = response.headers
    return next((headers[h] for h in REQUEST_ID_HEADERS if h in headers), None)


def decode_body(response: httpx.Response) -> Any:
    """The body as JSON when it parses, else its text ('' when empty)."""
    content = response.content
    if not content:
        return ""
    try:
        return msgspec.json.decode(content)
    except (msgspec.DecodeError, RecursionError):
        pass
    try:
        return content.decode(response.charset_encoding or "utf-8")
    except Exception:  # a charset can name any codec, and a codec raise anything
        return content.decode("utf-8", errors="replace")


@overload
def redact(text: str, secret: str | None) -> str: ...
@overload
def redact(text: None, secret: str | None) -> None: ...
def redact(text: str | None, secret: str | None) -> str | None:
    """``text`` with every occurrence of ``secret`` replaced.

    A secret shorter than ``_SHORTEST_SECRET`` is left alone: real tokens are
    long, and replacing a short test key such as ``k`` wherever those letters
    stand would garble every message.
    """
    if text is None or not secret or len(secret) < _SHORTEST_SECRET:
        return text
    return text.replace(secret, REDACTED)


def clean(text: str, secret: str | None) -> str:
    """``text`` cut short, on one line, and without ``secret``.

    The server's words go into a message that lands in logs: a newline or a
    terminal escape must not forge a log line, and a server that echoes the
    token must not put it there.
    """
    text = redact(text, secret)
    if len(text) > _RAW_TEXT_LIMIT:
        text = text[: _RAW_TEXT_LIMIT - 3] + "..."
    return "".join(char if char.isprintable() else " " for char in text)


def status_error(
    response: httpx.Response, *, secret: str | None = None
) -> APIStatusError:
    """The exception for a non-success answer, whatever its body holds."""
    body = decode_body(response)
    status = response.status_code
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError

    code, message = error_fields(body)
    if code or message:
        detail = ": ".join(part for part in (code, message) if part)
    elif isinstance(body, str):
        detail = body or "(empty body)"
    else:
        detail = msgspec.json.encode(body).decode()
    detail = clean(detail, secret)
    reason = clean(response.reason_phrase, secret)

    request = response.request
    text = f"{request.method} {request.url} answered {status} {reason}: {detail}"
    return cls(text, response=response, body=body, secret=secret)
