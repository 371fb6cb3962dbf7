"""A local Norce Order server: the three operations, over real HTTP, on loopback.

Every request is validated against the packaged ``openapi.yaml`` by
openapi-core, so the server cannot drift from the contract the client is
generated from. Orders live in memory, per merchant and channel. Creating and
reading orders is not part of the API; tests and the demo do it in-process
through ``LocalOrderServer.create_order`` and ``get_order``.

Tests can make it misbehave: ``inject`` answers the next requests to an
operation with a given status, headers and body, delays them, or cuts their
connection.

Answers, where the vendor's documentation is silent, are choices made here:
a bad token is 401 with a ``BaseError``; a request the spec refuses is 400 with
RFC 7807 ``ProblemDetails`` (as ASP.NET services answer model-binding
failures); an unknown order is 404 ``order-not-found``; a cart or billing
change outside ``checkout`` is 400 ``order-not-editable``.
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import json
import logging
import secrets
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self
from urllib.parse import unquote

import uvicorn
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .._spec import openapi_spec

__all__ = ["DEFAULT_API_KEY", "Fault", "LocalOrderServer"]

logger = logging.getLogger("norce_checkout_order.testing")

DEFAULT_API_KEY = "local-test-key"
"""The token a ``LocalOrderServer`` accepts unless it is given another."""

# The API's paths below the server's base path, by their last segments.
BASE_PATH = "/checkout/order"
ORDERS_PATH = "/api/v0/checkout/orders/"
OPERATIONS = {
    "state": ("state",),
    "cart": ("cart",),
    "billing": ("customer", "billing"),
}

_STARTUP_TIMEOUT = 10.0


def load_spec() -> dict[str, Any]:
    """The packaged ``openapi.yaml``, with a server entry for this host.

    The spec's servers are the vendor's hosts; openapi-core matches a request
    against them, so a relative server is added for requests sent here.
    """
    spec: dict[str, Any] = yaml.safe_load(openapi_spec())
    spec["servers"] = [*spec.get("servers", []), {"url": BASE_PATH}]
    return spec


@dataclass
class _SpecRequest:
    """A request as openapi-core reads it, with the path kept percent-encoded.

    Starlette routes on the decoded path, where an order id holding ``%2F``
    would become two segments; the raw path keeps it one.
    """

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None


def _problem(status: int, title: str, detail: str) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status, media_type="application/problem+json")


def _error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"code": code, "message": message}, status)


@dataclass(frozen=True)
class Fault:
    """What the server does instead of answering one request normally."""

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    drop: bool = False

    def response(self) -> Response:
        if self.drop:
            return _CutResponse()
        return Response(self.body, self.status or 200, headers=dict(self.headers))


class _ExpectedCuts(logging.Filter):
    """Keeps uvicorn from reporting the cuts ``inject(drop=True)`` asks for."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


class _CutResponse(Response):
    """Starts an answer, then ends the connection halfway through its body.

    An ASGI app cannot close a connection outright; a body shorter than its
    Content-Length is how a dropped connection looks to the client.
    """

    def __init__(self) -> None:
        super().__init__(b"", 200, headers={"content-length": "64"})

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": b"{", "more_body": True})


class LocalOrderServer:
    """A Norce Order server on loopback, started in a background thread.

    Use it as a context manager, or call ``start()`` and ``stop()``::

        with LocalOrderServer() as server:
            order_id = server.create_order("norce", "1")
            client = OrderClient(base_url=server.base_url, api_key=server.api_key,
                                 merchant="norce", channel="1")
    """

    def __init__(
        self, *, api_key: str = DEFAULT_API_KEY, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            message = f"`host` must be a loopback address; got {host!r}."
            raise ValueError(message)
        self.api_key = api_key
        self._host, self._port = host, port
        self._orders: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._hits: Counter[str] = Counter()
        self._openapi = OpenAPI.from_dict(load_spec())
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(
            routes=[
                Route(BASE_PATH + "/{rest:path}", self._handle, methods=["PUT"]),
            ]
        )

    def __repr__(self) -> str:
        return f"LocalOrderServer(base_url={self.base_url!r})"

    # -- orders, in-process ------------------------------------------------

    def create_order(
        self, merchant: str, channel: str, order_id: str | None = None
    ) -> str:
        """Add an order in ``checkout`` and return its id."""
        order_id = order_id or "o_" + secrets.token_urlsafe(18)
        order = {
            "id": order_id,
            "state": {"currentStatus": "checkout", "transitions": []},
            "cart": None,
            "customer": {"billing": None},
        }
        self._record_transition(order, "checkout")
        with self._lock:
            self._orders[merchant, channel, order_id] = order
        return order_id

    def get_order(self, merchant: str, channel: str, order_id: str) -> dict[str, Any]:
        """A copy of the order as stored; KeyError if there is none."""
        with self._lock:
            return copy.deepcopy(self._orders[merchant, channel, order_id])

    # -- faults, for tests ------------------------------------------------

    def inject(
        self,
        operation: str,
        *,
        times: int = 1,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | Mapping[str, Any] = b"",
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        """Misbehave on the next ``times`` requests to ``operation``.

        ``operation`` is ``"state"``, ``"cart"`` or ``"billing"``. Each such
        request waits ``delay`` seconds, then is answered with ``status``,
        ``headers`` and ``body`` without touching the order, or has its
        connection cut (``drop``). With only a ``delay`` it is then handled
        as usual: a slow server.
        """
        if operation not in OPERATIONS:
            message = (
                f"`operation` must be one of {sorted(OPERATIONS)}; got {operation!r}."
            )
            raise ValueError(message)
        if isinstance(body, Mapping):
            body = json.dumps(body)
        encoded = body.encode() if isinstance(body, str) else body
        fault = Fault(status, dict(headers or {}), encoded, delay, drop)
        with self._lock:
            self._faults[operation].extend([fault] * times)

    def reset_faults(self) -> None:
        """Forget the faults not used yet, so that the next test starts clean."""
        with self._lock:
            self._faults.clear()

    def hits(self, operation: str) -> int:
        """How many requests to ``operation`` arrived, faulted ones included."""
        with self._lock:
            return self._hits[operation]

    def _next_fault(self, operation: str) -> Fault | None:
        with self._lock:
            self._hits[operation] += 1
            queue = self._faults[operation]
            return queue.popleft() if queue else None

    @staticmethod
    def _record_transition(order: dict[str, Any], status: str) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        order["state"]["currentStatus"] = status
        order["state"]["transitions"].append({"status": status, "timeStamp": stamp})

    # -- HTTP -------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path", b"").decode("latin-1").split("?")[0]
        path = raw_path.removeprefix(BASE_PATH)
        body = await request.body()

        name = _operation_name(path)
        fault = self._next_fault(name) if name else None
        if fault is not None:
            await asyncio.sleep(fault.delay)
            if fault.status is not None or fault.drop:
                return fault.response()

        refusal = self._refusal(request, path, body)
        if refusal is not None:
            return refusal

        segments = path.removeprefix(ORDERS_PATH).split("/")
        order_id, operation = unquote(segments[0]), tuple(segments[1:])
        merchant, channel = request.headers["x-merchant"], request.headers["x-channel"]
        with self._lock:
            order = self._orders.get((merchant, channel, order_id))
            if order is None:
                message = f"Order with id:{order_id} not found."
                return _error(404, "order-not-found", message)
            return self._apply(order, operation, json.loads(body))

    def _refusal(self, request: Request, path: str, body: bytes) -> Response | None:
        """The answer to a request with a bad token or outside the spec."""
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "unauthorized", "The bearer token is missing or wrong.")

        # Strict JSON first: Python's parser would take NaN and Infinity.
        try:
            json.loads(body, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            return _problem(400, "The body is not JSON.", str(exc)[:200])

        spec_request = _SpecRequest(
            host_url=str(request.base_url).rstrip("/"),
            path=BASE_PATH + path,
            method=request.method.lower(),
            parameters=RequestParameters(
                query=request.query_params,
                header=request.headers,
                cookie=request.cookies,
            ),
            content_type=request.headers.get(
                "content-type", "application/octet-stream"
            ),
            body=body,
        )
        result = self._openapi.unmarshal_request(spec_request)
        if result.errors:
            detail = _describe(result.errors)
            return _problem(400, "The request does not fit the spec.", detail)
        return None

    def _apply(
        self, order: dict[str, Any], operation: tuple[str, ...], payload: Any
    ) -> Response:
        """Change the order as the operation says, if its state allows."""
        status = order["state"]["currentStatus"]
        if operation == OPERATIONS["state"]:
            if "currentStatus" not in payload:
                message = "A state change needs `currentStatus`."
                return _error(400, "status-required", message)
            self._record_transition(order, payload["currentStatus"])
        elif status != "checkout":
            message = f"Order with id:{order['id']} is in {status}, not checkout."
            return _error(400, "order-not-editable", message)
        elif operation == OPERATIONS["cart"]:
            order["cart"] = payload
        else:
            order["customer"]["billing"] = payload
        return Response(status_code=200)

    # -- lifecycle --------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The URL to pass as a client's ``base_url``."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}{BASE_PATH}"

    def start(self) -> Self:
        """Bind, serve in a background thread, and return once it answers."""
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        # Rebinding a port a stopped server left in TIME_WAIT is fine.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]

        # log_config=None: uvicorn would otherwise reconfigure the process's
        # logging (and re-enable loggers the application turned off).
        # A long keep-alive: a pooled connection the server closes while
        # idle makes a test's next request fail for no reason of its own.
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            lifespan="off",
            log_config=None,
            timeout_keep_alive=60,
        )
        uvicorn_errors = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _ExpectedCuts) for f in uvicorn_errors.filters):
            uvicorn_errors.addFilter(_ExpectedCuts())
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()

        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                message = f"The local order server did not start on {self.base_url}."
                raise RuntimeError(message)
            time.sleep(0.01)
        logger.info("Local order server listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(_STARTUP_TIMEOUT)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _operation_name(path: str) -> str | None:
    """``state``, ``cart`` or ``billing`` for a path of the API, else None."""
    steps = tuple(path.removeprefix(ORDERS_PATH).split("/")[1:])
    return next((name for name, tail in OPERATIONS.items() if tail == steps), None)


def _refuse_constant(name: str) -> Any:
    message = f"{name} is not a JSON number"
    raise ValueError(message)


def _describe(errors: Iterable[Exception]) -> str:
    """The validator's findings, with the schema errors behind each."""
    parts = []
    for error in errors:
        parts.append(str(error))
        for cause in getattr(error.__cause__, "schema_errors", ()) or ():
            where = "/".join(str(step) for step in cause.path)
            parts.append(f"{where or 'body'}: {cause.message}")
    return "; ".join(parts)
