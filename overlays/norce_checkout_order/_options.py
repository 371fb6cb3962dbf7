"""Per-client and per-call options: headers, timeouts, retries, the transport.

Each check raises a ConfigurationError that names the option and its fix
before anything is sent.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from typing import Any

import httpx

from ._config import Settings
from ._exceptions import ConfigurationError
from ._version import __version__

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""Connecting may take 5 s; reading, writing and waiting for the pool 30 s."""

USER_AGENT = (
    f"norce-checkout-order/{__version__} httpx/{httpx.__version__} "
    f"python/{'.'.join(map(str, sys.version_info[:3]))}"
)

# A header name is an RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def header_value(name: str, value: object, *, secret: bool = False) -> str:
    """``value`` if HTTP can carry it as a header, else a ConfigurationError."""
    if (
        isinstance(value, str)
        and value.isascii()
        and value.isprintable()
        and value == value.strip()
    ):
        return value
    shown = "the value given" if secret else repr(value)
    message = (
        f"`{name}` must be printable ASCII text without surrounding spaces to "
        f"travel in a header; {shown} is not (non-ASCII letters, line breaks, "
        "spaces, or not text)."
    )
    raise ConfigurationError(message)


def build_headers(
    settings: Settings, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The headers every request carries besides the tenant headers.

    The caller's ``extra`` headers win over these defaults; neither the
    settings nor ``extra`` is changed.
    """
    key = header_value("api_key", settings.api_key.strip(), secret=True)
    token = key if key[:7].lower() == "bearer " else f"Bearer {key}"
    headers = {"Authorization": token, "User-Agent": USER_AGENT}
    return merge_headers(headers, extra)


def merge_headers(
    base: Mapping[str, str], extra: Mapping[str, str] | None
) -> dict[str, str]:
    """A new dict of ``base`` with ``extra`` checked and laid over it.

    Names compare without case, as HTTP's do: an ``authorization`` in
    ``extra`` replaces ``Authorization``.
    """
    merged = dict(base)
    for name, value in (extra or {}).items():
        given: object = name  # typed str, but callers' dicts hold anything
        if not (isinstance(given, str) and _TOKEN.fullmatch(given)):
            message = (
                f"`header {name!r}` is not a valid header name: use letters, "
                "digits and hyphens, like 'X-Trace-Id'."
            )
            raise ConfigurationError(message)
        secret = name.lower() == "authorization"
        checked = header_value(f"header {name!r}", value, secret=secret)
        for existing in [key for key in merged if key.lower() == name.lower()]:
            del merged[existing]
        merged[name] = checked
    return merged


def check_timeout(timeout: object) -> httpx.Timeout:
    """An ``httpx.Timeout`` from a positive number of seconds or a Timeout."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if (
        isinstance(timeout, int | float)
        and not isinstance(timeout, bool)
        and 0 < timeout < math.inf
    ):
        return httpx.Timeout(timeout)
    message = (
        "`timeout` must be a positive number of seconds or an httpx.Timeout; "
        f"got {timeout!r}."
    )
    raise ConfigurationError(message)


def check_max_retries(max_retries: object) -> int:
    """``max_retries`` if it is a whole number from 0 (no retries) up."""
    if (
        isinstance(max_retries, int)
        and not isinstance(max_retries, bool)
        and max_retries >= 0
    ):
        return max_retries
    message = (
        "`max_retries` must be a whole number, 0 to turn retries off; "
        f"got {max_retries!r}."
    )
    raise ConfigurationError(message)


def check_http_client(http_client: object, expected: type[Any]) -> None:
    """Refuse a sync client for the async client and the other way round."""
    if http_client is not None and not isinstance(http_client, expected):
        message = (
            f"`http_client` must be an {expected.__module__}.{expected.__name__}; "
            f"got {type(http_client).__name__}."
        )
        raise ConfigurationError(message)


def check_transport(transport: object, http_client: object) -> None:
    """A transport is for the client's own httpx client, not beside another."""
    if transport is not None and http_client is not None:
        message = (
            "Pass `transport` or `http_client`, not both: give the transport to "
            "your httpx client instead."
        )
        raise ConfigurationError(message)
