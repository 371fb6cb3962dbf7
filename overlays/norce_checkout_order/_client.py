"""``OrderClient`` and ``AsyncOrderClient``: the three order operations.

Each call runs in the same phases: validate the input against the generated
models, let the generated layer build the request, add the client's headers,
send (again, as the retry policy in ``_retries`` allows), and turn the answer
into an ``UpdateResult`` or an exception.
"""

from __future__ import annotations

import copy
import functools
import importlib
import logging
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from types import ModuleType, TracebackType
from typing import Any, Generic, NamedTuple, Self, TypeVar

import anyio
import httpx
import msgspec

from . import _config
from ._exceptions import (
    REDACTED,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    NorceCheckoutError,
    ValidationError,
    clean,
    redact,
    request_id,
    status_error,
)
from ._generated import models
from ._options import (
    DEFAULT_TIMEOUT,
    build_headers,
    check_http_client,
    check_max_retries,
    check_timeout,
    check_transport,
    header_value,
    merge_headers,
)
from ._retries import (
    DEFAULT_MAX_RETRIES,
    RetryDecider,
    async_retrying,
    log_retry,
    retrying,
)
from ._validation import check_enum, encode_checked

__all__ = ["AsyncOrderClient", "OrderClient", "UpdateResult"]

Headers = Mapping[str, str]
Timeout = httpx.Timeout | float

logger = logging.getLogger("norce_checkout_order")


class UpdateResult(NamedTuple):
    """How the server took a change: done (200) or accepted (202)."""

    status_code: int
    response: httpx.Response

    def __repr__(self) -> str:
        return f"UpdateResult(status_code={self.status_code})"

    @property
    def request_id(self) -> str | None:
        """The request or correlation id the server sent, if any."""
        return request_id(self.response)

    @property
    def accepted(self) -> bool:
        """True for 202: taken for processing, and a later request may win."""
        return self.status_code == 202

    @property
    def done(self) -> bool:
        """True for 200: the change is applied."""
        return self.status_code == 200


# The generated endpoint modules, each building its operation's request.
_STATE = "update_checkout_order_state"
_CART = "update_checkout_order_cart"
_BILLING = "update_checkout_order_customer_billing"


@functools.cache
def _endpoint(name: str) -> ModuleType:
    """A generated endpoint module, imported when first used.

    The generated layer brings attrs and a model class per schema; loading it
    on the first call rather than at import keeps ``import norce_checkout_order``
    close to ``import httpx`` (benchmarks/bench.py, B4).
    """
    return importlib.import_module(f"{__package__}._generated.rest.api.orders.{name}")


# Each status's body, encoded once: update_state is the call made most often.
_STATE_BODIES = {
    status.value: msgspec.json.encode(models.StateRequest(currentStatus=status))
    for status in models.OrderStatus
}


class _EncodedBody(NamedTuple):
    """A checked body, already encoded, for the generated endpoints to send.

    The generated code (see generator/templates/) sends a body's
    ``encoded_json`` as it is when it has one. The body was encoded and then
    checked as those very bytes, so what goes out is what was checked, and
    attrs' to_dict() and the json module, several times slower than msgspec,
    are left out.
    """

    encoded_json: bytes


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


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _BaseClient(Generic[HttpT, TransportT]):
    """What both clients share: settings, request building, answer mapping."""

    _http: HttpT
    _http_class: type[Any]  # the httpx client class this client drives
    _settings: _config.Settings
    _headers: dict[str, str]
    _secret: str
    _tenant: dict[str, str]
    _timeout: httpx.Timeout
    _max_retries: int
    _owns_http: bool

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
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: HttpT | None = None,
        transport: TransportT | None = None,
    ) -> None:
        check_http_client(http_client, self._http_class)
        check_transport(transport, http_client)
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
        self._headers = build_headers(settings, default_headers)
        # The bare token, as it travels: what must never show anywhere.
        sent = next(v for k, v in self._headers.items() if k.lower() == "authorization")
        self._secret = sent.removeprefix("Bearer ").strip()
        self._tenant = {
            "x_merchant": header_value("merchant", settings.merchant),
            "x_channel": header_value("channel", settings.channel),
        }
        if settings.adapter_id is not None:
            self._tenant["x_adapterid"] = header_value(
                "adapter_id", settings.adapter_id
            )
        self._timeout = check_timeout(timeout)
        self._max_retries = check_max_retries(max_retries)

        # A caller's client is the caller's to close; ours is closed by us.
        self._owns_http = http_client is None
        if http_client is not None:
            self._bake({}, None)
            self._http = http_client
            return
        # Headers and timeout that never change are set once on our own httpx
        # client. Proxy variables (HTTP_PROXY...) would carry a loopback
        # request, and the token in it, in clear text to the proxy: not there.
        self._bake(self._own_client_headers(), self._timeout)
        loopback = _config.is_loopback(httpx.URL(settings.base_url).host)
        self._http = self._http_class(
            headers=self._baked,
            timeout=self._timeout,
            transport=transport,
            follow_redirects=False,
            trust_env=not loopback,
        )

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

    def with_options(
        self,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        headers: Headers | None = None,
    ) -> Self:
        """A client like this one with other defaults, sharing its connections.

        This client is not changed. Closing the new one leaves the shared
        connections open: close the client they came from.
        """
        derived = copy.copy(self)
        derived._owns_http = False
        derived._headers = merge_headers(self._headers, headers)
        derived._bake(self._baked, self._baked_timeout)
        if timeout is not None:
            derived._timeout = check_timeout(timeout)
        if max_retries is not None:
            derived._max_retries = check_max_retries(max_retries)
        return derived

    def _bake(self, headers: Mapping[str, str], timeout: httpx.Timeout | None) -> None:
        """Note what the httpx client sends by default, to leave it out of
        each request: httpx merges per-request headers one at a time."""
        self._baked, self._baked_timeout = headers, timeout
        self._unbaked = {k: v for k, v in self._headers.items() if headers.get(k) != v}
        self._own_names = {name.lower() for name in self._headers}

    def _own_client_headers(self) -> dict[str, str]:
        """Every header this client sends unchanged: set once on its own
        httpx client. The generated layer says which ones it adds."""
        body = _EncodedBody(b"{}")
        kwargs = _endpoint(_STATE)._get_kwargs("any", body=body, **self._tenant)
        return merge_headers(kwargs["headers"], self._headers)

    def _state_body(self, status: models.OrderStatus | str) -> bytes:
        if type(status) is str or type(status) is models.OrderStatus:
            known = _STATE_BODIES.get(status)
            if known is not None:
                return known
        checked = check_enum(models.OrderStatus, status, name="status")
        return msgspec.json.encode(models.StateRequest(currentStatus=checked))

    def _build(
        self, call: _Call, extra_headers: Headers | None, timeout: httpx.Timeout
    ) -> httpx.Request:
        """Let the generated layer build the request, then add our headers."""
        kwargs = _endpoint(call.endpoint)._get_kwargs(
            _check_order_id(call.order_id),
            body=_EncodedBody(call.body),
            **self._tenant,
        )
        # The generated headers, less those the client's own httpx client sends
        # anyway and those the caller set for this client (the caller wins).
        baked, own = self._baked, self._own_names
        headers = {
            k: v
            for k, v in kwargs.pop("headers").items()
            if baked.get(k) != v and k.lower() not in own
        }
        headers.update(self._unbaked)
        if extra_headers:
            headers = merge_headers(headers, extra_headers)
        url = self._settings.base_url + kwargs.pop("url")
        method = kwargs.pop("method").upper()

        if timeout is not self._baked_timeout:
            kwargs["timeout"] = timeout
        try:
            request = self._http.build_request(method, url, headers=headers, **kwargs)
        except httpx.InvalidURL as exc:
            message = f"`order_id` does not fit in a URL: {exc}."
            raise ValidationError(message, field="order_id") from exc
        logger.debug("Built %s %s", method, url)
        return request

    def _retries(self, max_retries: int | None) -> int:
        return (
            self._max_retries if max_retries is None else check_max_retries(max_retries)
        )

    def _finish(self, response: httpx.Response) -> UpdateResult:
        """An UpdateResult for a 2xx answer; the matching exception otherwise."""
        request = response.request
        logger.info(
            "%s %s answered %s", request.method, request.url, response.status_code
        )
        if not response.is_success:
            raise status_error(response, secret=self._secret)
        return UpdateResult(response.status_code, response)

    def _check_open(self, request: httpx.Request) -> None:
        if self._http.is_closed:
            message = (
                f"{request.method} {request.url} not sent: its httpx client is "
                "closed (this client's, the one it was derived from, or yours)."
            )
            raise ClientClosedError(message)

    def _failed(self, exc: Exception, request: httpx.Request) -> Exception:
        """The package's exception for a request that got no usable answer."""
        _scrub(exc, self._secret)
        kind = (
            APITimeoutError
            if isinstance(exc, httpx.TimeoutException | TimeoutError)
            else APIConnectionError
        )
        # anyio's deadline says nothing of itself: say what ran out.
        said = str(exc) or "the attempt's whole time ran out"
        what = clean(f"{type(exc).__name__}: {said}", self._secret)
        message = f"{request.method} {request.url} failed: {what}"
        return kind(message, request=request)


class _Call(NamedTuple):
    """One call's operation and checked input."""

    endpoint: str
    order_id: str
    body: bytes


MAX_ANSWER_BYTES = 8 * 1024 * 1024
"""The API answers with no body or a short error; more than this is refused."""

MAX_COMPRESSED_BYTES = 64 * 1024
"""A compressed answer inflates up to about a thousand times as it is decoded;
this much of it stays well within memory."""


def _attempt_limit(timeout: httpx.Timeout) -> float | None:
    """The longest one attempt may take, in seconds; None if unbounded.

    httpx times each phase (connect, write, each read, pool) on its own, so a
    server that trickles bytes could hold a call for ever; their sum bounds
    the whole attempt instead.
    """
    total = 0.0
    for phase in (timeout.connect, timeout.write, timeout.read, timeout.pool):
        if phase is None:
            return None
        total += phase
    return total


class _Bounded(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An answer's body stream that stops past the size and time bounds.

    It takes the place of the response's stream before httpx reads it, so
    that httpx's own ``read()`` does the reading and the decoding.
    """

    def __init__(
        self, response: httpx.Response, started: float, limit: float | None
    ) -> None:
        self._response = response
        self._stream: Any = response.stream
        self._started, self._limit = started, limit
        self._size, self._cap = 0, 0

    def _count(self, chunk: bytes) -> bytes:
        self._size += len(chunk)
        if self._size > self._cap:
            if not self._cap:  # the first bytes: the only time headers are read
                encoding = self._response.headers.get("content-encoding", "")
                plain = encoding.lower() in {"", "identity"}
                self._cap = MAX_ANSWER_BYTES if plain else MAX_COMPRESSED_BYTES
            if self._size > self._cap:
                message = f"the answer is larger than {self._cap} bytes"
                raise httpx.RemoteProtocolError(message)
        if self._limit is not None and time.monotonic() - self._started > self._limit:
            message = f"the answer took longer than {self._limit:g}s in all"
            raise httpx.ReadTimeout(message)
        return chunk

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            yield self._count(chunk)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield self._count(chunk)

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        await self._stream.aclose()


def _redact(request: httpx.Request) -> None:
    """Take the token out of a request that is handed to the caller."""
    if "authorization" in request.headers:
        request.headers["Authorization"] = REDACTED


def _scrub(exc: Exception, secret: str) -> None:
    """Remove the token from an httpx exception before it is chained.

    A malformed answer can echo request headers into httpx's own message,
    which would put the token in a traceback of ours. (The request the
    exception keeps is ours, redacted in place when the call ends.)
    """
    exc.args = tuple(redact(a, secret) if isinstance(a, str) else a for a in exc.args)


class OrderClient(_BaseClient[httpx.Client, httpx.BaseTransport]):
    """A client of the Order Management API, for synchronous code.

    Pass ``environment`` (``"playground"``, ``"stage"`` or ``"production"``)
    with ``slug``, or ``base_url``; and ``api_key``, ``merchant``,
    ``channel`` and optionally ``adapter_id``. Each falls back to its
    ``NORCE_CHECKOUT_<NAME>`` environment variable. ``timeout`` is seconds or
    an ``httpx.Timeout``; ``max_retries`` how often a failed request is sent
    again (0: never); ``default_headers`` extra headers for every request;
    ``http_client`` an ``httpx.Client`` of yours to send through (auth and
    tenant headers are still added), or ``transport`` an httpx transport for
    the client's own ``httpx.Client`` (``httpx.MockTransport`` in tests). Use
    the client as a context manager, or call ``close()``, to release its
    connections.

    Each call takes ``extra_headers``, ``timeout`` and ``max_retries`` too, for
    that call alone.
    """

    _http_class = httpx.Client

    def update_state(
        self,
        order_id: str,
        status: models.OrderStatus | str,
        *,
        extra_headers: Headers | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
    ) -> UpdateResult:
        """Move the order to ``status`` (an ``OrderStatus`` or its value)."""
        call = _Call(_STATE, order_id, self._state_body(status))
        return self._call(call, extra_headers, timeout, max_retries)

    def update_cart(
        self,
        order_id: str,
        cart: models.Cart | Mapping[str, Any],
        *,
        extra_headers: Headers | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
    ) -> UpdateResult:
        """Replace the order's cart with ``cart`` (a ``Cart`` or its JSON as a dict)."""
        call = _Call(_CART, order_id, encode_checked(models.Cart, cart, name="cart"))
        return self._call(call, extra_headers, timeout, max_retries)

    def update_billing(
        self,
        order_id: str,
        address: models.Address | Mapping[str, Any],
        *,
        extra_headers: Headers | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
    ) -> UpdateResult:
        """Set the customer's billing address (an ``Address`` or a dict)."""
        checked = encode_checked(models.Address, address, name="address")
        call = _Call(_BILLING, order_id, checked)
        return self._call(call, extra_headers, timeout, max_retries)

    def _call(
        self,
        call: _Call,
        extra_headers: Headers | None,
        timeout: Timeout | None,
        max_retries: int | None,
    ) -> UpdateResult:
        timeout = self._timeout if timeout is None else check_timeout(timeout)
        request = self._build(call, extra_headers, timeout)
        limit = _attempt_limit(timeout)
        retries = self._retries(max_retries)
        decider = RetryDecider()

        try:
            try:
                return self._send(request, limit)
            except (APIConnectionError, APIStatusError) as first:
                if not retries:
                    raise
                return self._retry(request, limit, first, retries, decider)
        except NorceCheckoutError:
            _redact(request)  # errors hand the request out; it will not be sent again
            raise

    def _retry(
        self,
        request: httpx.Request,
        limit: float | None,
        first: NorceCheckoutError,
        retries: int,
        decider: RetryDecider,
    ) -> UpdateResult:
        """Further attempts after ``first`` failed, as stamina schedules them.

        The first attempt runs outside stamina, so a call that succeeds at once
        costs nothing of it; here it is replayed as stamina's first attempt,
        for stamina to decide on and to wait after.
        """
        for attempt in retrying(retries, decider):
            with attempt:
                if attempt.num == 1:
                    raise first
                log_retry(attempt, request, retries + 1, decider.cause)
                return self._send(request, limit)
        raise AssertionError  # pragma: no cover - stamina re-raises the last error

    def _send(self, request: httpx.Request, limit: float | None) -> UpdateResult:
        """One attempt: send, read a bounded answer, map it."""
        self._check_open(request)
        started = time.monotonic()

        try:
            # auth=None: a caller's http_client must not replace our token.
            response = self._http.send(request, stream=True, auth=None)
            try:
                response.stream = _Bounded(response, started, limit)
                response.read()
            finally:
                response.close()
        except httpx.HTTPError as exc:  # transport, decoding, redirects
            raise self._failed(exc, request) from exc

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


class AsyncOrderClient(_BaseClient[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """The asynchronous twin of ``OrderClient``, with the same settings."""

    _http_class = httpx.AsyncClient

    async def update_state(
        self,
        order_id: str,
        status: models.OrderStatus | str,
        *,
        extra_headers: Headers | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
    ) -> UpdateResult:
        """Move the order to ``status`` (an ``OrderStatus`` or its value)."""
        call = _Call(_STATE, order_id, self._state_body(status))
        return await self._call(call, extra_headers, timeout, max_retries)

    async def update_cart(
        self,
        order_id: str,
        cart: models.Cart | Mapping[str, Any],
        *,
        extra_headers: Headers | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
    ) -> UpdateResult:
        """Replace the order's cart with ``cart`` (a ``Cart`` or its JSON as a dict)."""
        call = _Call(_CART, order_id, encode_checked(models.Cart, cart, name="cart"))
        return await self._call(call, extra_headers, timeout, max_retries)

    async def update_billing(
        self,
        order_id: str,
        address: models.Address | Mapping[str, Any],
        *,
        extra_headers: Headers | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
    ) -> UpdateResult:
        """Set the customer's billing address (an ``Address`` or a dict)."""
        checked = encode_checked(models.Address, address, name="address")
        call = _Call(_BILLING, order_id, checked)
        return await self._call(call, extra_headers, timeout, max_retries)

    async def _call(
        self,
        call: _Call,
        extra_headers: Headers | None,
        timeout: Timeout | None,
        max_retries: int | None,
    ) -> UpdateResult:
        timeout = self._timeout if timeout is None else check_timeout(timeout)
        request = self._build(call, extra_headers, timeout)
        limit = _attempt_limit(timeout)
        retries = self._retries(max_retries)
        decider = RetryDecider()

        try:
            try:
                return await self._send(request, limit)
            except (APIConnectionError, APIStatusError) as first:
                if not retries:
                    raise
                return await self._retry(request, limit, first, retries, decider)
        except NorceCheckoutError:
            _redact(request)  # errors hand the request out; it will not be sent again
            raise

    async def _retry(
        self,
        request: httpx.Request,
        limit: float | None,
        first: NorceCheckoutError,
        retries: int,
        decider: RetryDecider,
    ) -> UpdateResult:
        """Further attempts after ``first`` failed, as stamina schedules them."""
        async for attempt in async_retrying(retries, decider):
            with attempt:
                if attempt.num == 1:
                    raise first
                log_retry(attempt, request, retries + 1, decider.cause)
                return await self._send(request, limit)
        raise AssertionError  # pragma: no cover - stamina re-raises the last error

    async def _send(self, request: httpx.Request, limit: float | None) -> UpdateResult:
        """One attempt: send, read a bounded answer, map it."""
        self._check_open(request)
        started = time.monotonic()

        try:
            # Unlike a blocking socket, a coroutine can be stopped mid-read:
            # here the whole attempt, headers included, is bounded.
            with anyio.fail_after(limit):
                # auth=None: a caller's http_client must not replace our token.
                response = await self._http.send(request, stream=True, auth=None)
                try:
                    response.stream = _Bounded(response, started, limit)
                    await response.aread()
                finally:
                    await response.aclose()
        except (httpx.HTTPError, TimeoutError) as exc:
            raise self._failed(exc, request) from exc

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
