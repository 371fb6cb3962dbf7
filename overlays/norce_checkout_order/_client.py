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
from ._validation import non_finite_error, to_json_data, validate
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
    if value.isascii() and value.isprintable():
        return value
    shown = "the value given" if secret else repr(value)
    message = (
        f"`{name}` must be printable ASCII to travel in a header; "
        f"{shown} holds other characters (non-ASCII letters or line breaks)."
    )
    raise ConfigurationError(message)


def build_headers(settings: _config.Settings) -> dict[str, str]:
    """The headers every request carries besides the tenant headers."""
    key = _header_value("api_key", settings.api_key.strip(), secret=True)
    token = key if key[:7].lower() == "bearer " else f"Bearer {key}"
    return {"Authorization": token, "User-Agent": USER_AGENT}


def _check_order_id(order_id: object) -> str:
    if not isinstance(order_id, str) or order_id in {"", ".", ".."}:
        # "." and ".." would be read as path steps and move the request.
        message = (
            "`order_id` must be a non-empty string such as "
            f"'o_yClTSySjyAuuBjmiBlHCjuEcTf'; got {order_id!r}."
        )
        raise ValidationError(message, field="order_id")
    return order_id


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
        timeout: httpx.Timeout | float | None,
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
        self._timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)

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
        except ValueError as exc:  # the JSON encoder refuses NaN and infinity
            error = non_finite_error(data, name=name)
            if error is None:
                raise
            raise error from exc
        logger.debug("Built %s %s", method, url)
        return request

    def _finish(self, response: httpx.Response) -> UpdateResult:
        """An UpdateResult for a 2xx answer; the matching exception otherwise."""
        request = response.request
        logger.info(
            "%s %s answered %s", request.method, request.url, response.status_code
        )
        if not response.is_success:
            raise status_error(response)
        return UpdateResult(response.status_code, response, request_id(response))


def _transport_error(exc: httpx.TransportError, request: httpx.Request) -> Exception:
    """The package's exception for a request that got no answer."""
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
        timeout: httpx.Timeout | float | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
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
            httpx.Client(follow_redirects=False) if http_client is None else http_client
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
        except httpx.TransportError as exc:
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
        timeout: httpx.Timeout | float | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
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
            httpx.AsyncClient(follow_redirects=False)
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
        except httpx.TransportError as exc:
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
