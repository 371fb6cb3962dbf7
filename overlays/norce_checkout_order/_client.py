"""``OrderClient`` and ``AsyncOrderClient``: the three order operations.

Each call runs in the same phases: validate the input against the generated
models, let the generated layer build the request, add the client's headers,
send, and turn the answer into an ``UpdateResult`` or an exception.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType, TracebackType
from typing import Any, Self

import httpx
import msgspec

from . import _config
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    ValidationError,
    request_id,
    status_error,
)
from ._generated import models
from ._generated.rest.api.orders import (
    update_checkout_order_cart,
    update_checkout_order_customer_billing,
    update_checkout_order_state,
)
from ._generated.rest.types import UNSET
from ._validation import to_json_data, unencodable_error, validate
from ._version import __version__

__all__ = ["DEFAULT_TIMEOUT", "AsyncOrderClient", "OrderClient", "UpdateResult"]

logger = logging.getLogger("norce_checkout_order")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""Connecting may take 5 s; reading, writing and waiting for the pool 30 s."""

USER_AGENT = (
    f"norce-checkout-order/{__version__} httpx/{httpx.__version__} "
    f"python/{platform.python_version()}"
)


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """How the server took a change: done (200) or accepted (202)."""

    status_code: int
    response: httpx.Response = field(repr=False, compare=False)
    request_id: str | None = None

    @property
    def accepted(self) -> bool:
        """True for 202: taken for processing, and a later request may win."""
        return self.status_code == 202

    @property
    def done(self) -> bool:
        """True for 200: the change is applied."""
        return self.status_code == 200


# The generated endpoint modules; each builds its operation's request.
_STATE: ModuleType = update_checkout_order_state
_CART: ModuleType = update_checkout_order_cart
_BILLING: ModuleType = update_checkout_order_customer_billing


@dataclass(frozen=True, slots=True)
class _CheckedBody:
    """A validated body, in the shape the generated endpoints serialize.

    The generated code sends ``body.to_dict()``. Handing it the checked
    struct's own JSON form skips a second conversion through its attrs models,
    which would also rewrite values (a date-time's ``Z`` as ``+00:00``): what
    goes out is exactly what was validated.
    """

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.data


def _header_value(name: str, value: str, *, secret: bool = False) -> str:
    """``value`` if HTTP can carry it as a header, else a ConfigurationError."""
    if value.isascii() and value.isprintable() and value == value.strip():
        return value
    shown = "the value given" if secret else repr(value)
    message = (
        f"`{name}` must be printable ASCII without surrounding spaces to travel "
        f"in a header; {shown} is not (non-ASCII letters, line breaks, spaces)."
    )
    raise ConfigurationError(message)


def build_headers(settings: _config.Settings) -> dict[str, str]:
    """The headers every request carries besides the tenant headers."""
    key = _header_value("api_key", settings.api_key.strip(), secret=True)
    token = key if key[:7].lower() == "bearer " else f"Bearer {key}"
    return {"Authorization": token, "User-Agent": USER_AGENT}


def _check_timeout(timeout: object) -> httpx.Timeout:
    """An ``httpx.Timeout`` from a positive number of seconds or a Timeout."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if (
        isinstance(timeout, int | float)
        and not isinstance(timeout, bool)
        and 0 < timeout < float("inf")
    ):
        return httpx.Timeout(timeout)
    message = (
        "`timeout` must be a positive number of seconds or an httpx.Timeout; "
        f"got {timeout!r}."
    )
    raise ConfigurationError(message)


def _check_http_client(http_client: object, expected: type[Any]) -> None:
    """Refuse a sync client for the async client and the other way round."""
    if http_client is not None and not isinstance(http_client, expected):
        message = (
            f"`http_client` must be an {expected.__module__}.{expected.__name__}; "
            f"got {type(http_client).__name__}."
        )
        raise ConfigurationError(message)


def _check_order_id(order_id: object) -> str:
    """The order id as a plain str that can travel as one path segment."""
    # A str subclass could render itself otherwise when the URL is built.
    plain = str.__str__(order_id) if isinstance(order_id, str) else None
    # "." and ".." would be read as path steps and move the request.
    if plain is None or plain in {"", ".", ".."} or not plain.isprintable():
        message = (
            "`order_id` must be a non-empty string of printable characters such "
            f"as 'o_yClTSySjyAuuBjmiBlHCjuEcTf'; got {order_id!r}."
        )
        raise ValidationError(message, field="order_id")
    try:
        plain.encode("utf-8")
    except UnicodeEncodeError:
        message = f"`order_id` holds characters UTF-8 cannot encode: {order_id!r}."
        raise ValidationError(message, field="order_id") from None
    return plain


class _BaseClient:
    """What both clients share: settings, request building, answer mapping."""

    _http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        *,
        environment: str | None,
        slug: str | None,
        base_url: str | None,
        api_key: str | None,
        merchant: str | None,
        channel: str | None,
        adapter_id: str | None,
        timeout: httpx.Timeout | float,
    ) -> None:
        settings = _config.resolve(
            environment=environment,
            slug=slug,
            base_url=base_url,
            api_key=api_key,
            merchant=merchant,
            channel=channel,
            adapter_id=adapter_id,
        )
        self._settings = settings
        self._headers = build_headers(settings)
        self._tenant = {
            "x_merchant": _header_value("merchant", settings.merchant),
            "x_channel": _header_value("channel", settings.channel),
            "x_adapterid": UNSET
            if settings.adapter_id is None
            else _header_value("adapter_id", settings.adapter_id),
        }
        self._timeout = _check_timeout(timeout)
        # Proxy variables (HTTP_PROXY...) would carry a loopback request, and
        # the token in it, in clear text to the proxy: not for loopback.
        loopback = _config.is_loopback(httpx.URL(settings.base_url).host)
        self._http_options: dict[str, Any] = {
            "follow_redirects": False,
            "trust_env": not loopback,
        }

    @property
    def base_url(self) -> str:
        """Where requests go, up to and including ``/checkout/order``."""
        return self._settings.base_url

    def __repr__(self) -> str:
        s = self._settings
        return (
            f"{type(self).__name__}(base_url={s.base_url!r}, merchant={s.merchant!r}, "
            f"channel={s.channel!r}, adapter_id={s.adapter_id!r})"
        )

    def _state_body(self, status: models.OrderStatus | str) -> Any:
        checked = validate(models.OrderStatus, status, name="status")
        return models.StateRequest(currentStatus=checked)

    def _build(
        self, endpoint: ModuleType, order_id: str, body: msgspec.Struct, name: str
    ) -> httpx.Request:
        """Let the generated layer build the request, then add our headers."""
        data = to_json_data(body, name=name)
        kwargs = endpoint._get_kwargs(
            _check_order_id(order_id), body=_CheckedBody(data), **self._tenant
        )
        headers = {**self._headers, **kwargs.pop("headers")}
        url = self._settings.base_url + kwargs.pop("url")
        method = kwargs.pop("method").upper()

        try:
            request = self._http.build_request(
                method, url, headers=headers, timeout=self._timeout, **kwargs
            )
        except httpx.InvalidURL as exc:
            message = f"`order_id` does not fit in a URL: {exc}."
            raise ValidationError(message, field="order_id") from exc
        except (ValueError, TypeError, RecursionError) as exc:
            # The JSON encoder refused the body: a NaN, a lone surrogate,
            # a key that is not text deep in `attributes`, too deep a nesting.
            raise unencodable_error(data, exc, name=name) from exc
        logger.debug("Built %s %s", method, url)
        return request

    def _finish(self, response: httpx.Response) -> UpdateResult:
        """An UpdateResult for a 2xx answer; the matching exception otherwise."""
        request = response.request
        logger.info(
            "%s %s answered %s", request.method, request.url, response.status_code
        )
        if not response.is_success:
            raise status_error(response, secret=self._settings.api_key)
        return UpdateResult(response.status_code, response, request_id(response))


def _transport_error(exc: httpx.HTTPError, request: httpx.Request) -> Exception:
    """The package's exception for a request that got no usable answer."""
    kind = (
        APITimeoutError
        if isinstance(exc, httpx.TimeoutException)
        else (APIConnectionError)
    )
    message = f"{request.method} {request.url} failed: {type(exc).__name__}: {exc}"
    return kind(message, request=request)


class OrderClient(_BaseClient):
    """A client of the Order Management API, for synchronous code.

    Pass ``environment`` (``"playground"``, ``"stage"`` or ``"production"``)
    with ``slug``, or ``base_url``; and ``api_key``, ``merchant``,
    ``channel`` and optionally ``adapter_id``. Each falls back to its
    ``NORCE_CHECKOUT_<NAME>`` environment variable. ``timeout`` is seconds or
    an ``httpx.Timeout``; ``http_client`` an ``httpx.Client`` of yours to send
    through (auth and tenant headers are still added). Use the client as a
    context manager, or call ``close()``, to release its connections.
    """

    _http: httpx.Client

    def __init__(
        self,
        *,
        environment: str | None = None,
        slug: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        merchant: str | None = None,
        channel: str | None = None,
        adapter_id: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> None:
        _check_http_client(http_client, httpx.Client)
        super().__init__(
            environment=environment,
            slug=slug,
            base_url=base_url,
            api_key=api_key,
            merchant=merchant,
            channel=channel,
            adapter_id=adapter_id,
            timeout=timeout,
        )
        # A caller's client is the caller's to close; ours is closed by us.
        self._owns_http = http_client is None
        self._http = (
            httpx.Client(**self._http_options) if http_client is None else http_client
        )

    def update_state(
        self, order_id: str, status: models.OrderStatus | str
    ) -> UpdateResult:
        """Move the order to ``status`` (an ``OrderStatus`` or its value)."""
        return self._call(_STATE, order_id, self._state_body(status), "status")

    def update_cart(
        self, order_id: str, cart: models.Cart | Mapping[str, Any]
    ) -> UpdateResult:
        """Replace the order's cart with ``cart`` (a ``Cart`` or its JSON as a dict)."""
        checked = validate(models.Cart, cart, name="cart")
        return self._call(_CART, order_id, checked, "cart")

    def update_billing(
        self, order_id: str, address: models.Address | Mapping[str, Any]
    ) -> UpdateResult:
        """Set the customer's billing address (an ``Address`` or a dict)."""
        checked = validate(models.Address, address, name="address")
        return self._call(_BILLING, order_id, checked, "address")

    def _call(
        self, endpoint: ModuleType, order_id: str, body: msgspec.Struct, name: str
    ) -> UpdateResult:
        request = self._build(endpoint, order_id, body, name)

        try:
            response = self._http.send(request)
        except httpx.HTTPError as exc:  # transport, decoding, redirect loops
            raise _transport_error(exc, request) from exc

        return self._finish(response)

    def close(self) -> None:
        """Close the connections this client holds (not a caller's client)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncOrderClient(_BaseClient):
    """The asynchronous twin of ``OrderClient``, with the same settings."""

    _http: httpx.AsyncClient

    def __init__(
        self,
        *,
        environment: str | None = None,
        slug: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        merchant: str | None = None,
        channel: str | None = None,
        adapter_id: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        _check_http_client(http_client, httpx.AsyncClient)
        super().__init__(
            environment=environment,
            slug=slug,
            base_url=base_url,
            api_key=api_key,
            merchant=merchant,
            channel=channel,
            adapter_id=adapter_id,
            timeout=timeout,
        )
        # A caller's client is the caller's to close; ours is closed by us.
        self._owns_http = http_client is None
        self._http = (
            httpx.AsyncClient(**self._http_options)
            if http_client is None
            else http_client
        )

    async def update_state(
        self, order_id: str, status: models.OrderStatus | str
    ) -> UpdateResult:
        """Move the order to ``status`` (an ``OrderStatus`` or its value)."""
        return await self._call(_STATE, order_id, self._state_body(status), "status")

    async def update_cart(
        self, order_id: str, cart: models.Cart | Mapping[str, Any]
    ) -> UpdateResult:
        """Replace the order's cart with ``cart`` (a ``Cart`` or its JSON as a dict)."""
        checked = validate(models.Cart, cart, name="cart")
        return await self._call(_CART, order_id, checked, "cart")

    async def update_billing(
        self, order_id: str, address: models.Address | Mapping[str, Any]
    ) -> UpdateResult:
        """Set the customer's billing address (an ``Address`` or a dict)."""
        checked = validate(models.Address, address, name="address")
        return await self._call(_BILLING, order_id, checked, "address")

    async def _call(
        self, endpoint: ModuleType, order_id: str, body: msgspec.Struct, name: str
    ) -> UpdateResult:
        request = self._build(endpoint, order_id, body, name)

        try:
            response = await self._http.send(request)
        except httpx.HTTPError as exc:  # transport, decoding, redirect loops
            raise _transport_error(exc, request) from exc

        return self._finish(response)

    async def aclose(self) -> None:
        """Close the connections this client holds (not a caller's client)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
