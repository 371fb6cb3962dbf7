"""Shared fixtures: the seed's payloads, a local server, a recording transport."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina
from norce_checkout_order import OrderClient
from norce_checkout_order.testing import LocalOrderServer

ROOT = Path(__file__).resolve().parent.parent
MERCHANT, CHANNEL = "norce", "1"
FAKE_TOKEN = "s3cr3t-planted-token-9f8e7d"


def seed(name: str) -> Any:
    """The seed's request body ``state``, ``cart`` or ``billing``."""
    path = ROOT / "examples" / f"seed_{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's NORCE_CHECKOUT_* variables out of every test."""
    for name in list(__import__("os").environ):
        if name.startswith("NORCE_CHECKOUT_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _no_backoff() -> Iterator[None]:
    """Retries happen as configured, without the waits between them."""
    with stamina.set_testing(True, attempts=100, cap=True):
        yield


@pytest.fixture(scope="session")
def server() -> Iterator[LocalOrderServer]:
    """One local Norce Order server for the session; tests create own orders."""
    with LocalOrderServer(api_key=FAKE_TOKEN) as running:
        yield running


@pytest.fixture
def order_id(server: LocalOrderServer) -> str:
    """A fresh order in checkout for the default merchant and channel."""
    return server.create_order(MERCHANT, CHANNEL)


@pytest.fixture
def client(server: LocalOrderServer) -> Iterator[OrderClient]:
    """An OrderClient talking to the local server over real HTTP."""
    with OrderClient(
        base_url=server.base_url, api_key=FAKE_TOKEN, merchant=MERCHANT, channel=CHANNEL
    ) as made:
        yield made


class Recorder:
    """An httpx MockTransport that records requests and answers as told."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self._answer = answer
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self._answer(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


@pytest.fixture
def recorder() -> Recorder:
    """A transport answering 200 to everything, remembering each request."""
    return Recorder(lambda request: httpx.Response(200))


def mock_client(recorder: Recorder, **settings: Any) -> OrderClient:
    """An OrderClient sending through ``recorder``; settings override defaults."""
    options: dict[str, Any] = {
        "base_url": "https://customer-slug.api-se.playground.norce.tech/checkout/order",
        "api_key": FAKE_TOKEN,
        "merchant": MERCHANT,
        "channel": CHANNEL,
        **settings,
    }
    if "http_client" not in options:
        options["transport"] = recorder.transport
    return OrderClient(**options)


def loaded_by_import(module: str, watched: tuple[str, ...]) -> list[str]:
    """Which of the ``watched`` modules (and their submodules) importing
    ``module`` loads, in a fresh interpreter."""
    code = (
        f"import sys, {module}; "
        f"print(sorted(m for m in sys.modules if m.startswith({watched!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(done.stdout.replace("'", '"'))
    return loaded
