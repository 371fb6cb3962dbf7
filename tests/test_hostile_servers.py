"""Servers that misbehave in ways the local server does not: the client stays
bounded in time and memory and keeps the token out of everything it raises."""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import time
import traceback
from collections.abc import Iterator

import httpx
import pytest
from conftest import FAKE_TOKEN, Recorder, loaded_by_import, mock_client
from norce_checkout_order import (
    APIConnectionError,
    APITimeoutError,
    AsyncOrderClient,
    ClientClosedError,
    InternalServerError,
    NorceCheckoutError,
)
from norce_checkout_order.testing import LocalOrderServer


def trickle(pause: float) -> Iterator[bytes]:
    """A body that never ends, a byte at a time."""
    while True:
        time.sleep(pause)
        yield b"x"


def test_a_trickled_body_ends_in_a_timeout() -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=trickle(0.02)))

    with (
        mock_client(recorder, timeout=0.05, max_retries=0) as client,
        pytest.raises(APITimeoutError, match=r"longer than 0\.2s in all"),
    ):
        client.update_state("o_1", "checkout")


def test_an_endless_body_is_cut_at_the_size_limit() -> None:
    endless = iter(lambda: b"x" * 65536, None)
    recorder = Recorder(lambda request: httpx.Response(200, content=endless))

    with (
        mock_client(recorder, max_retries=0) as client,
        pytest.raises(APIConnectionError, match="larger than 8388608 bytes"),
    ):
        client.update_state("o_1", "checkout")


async def test_async_trickled_headers_end_in_a_timeout() -> None:
    async def headers_forever(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(b"HTTP/1.1 200 OK\\r\\n")
        try:
            while True:
                writer.write(b"X")
                await writer.drain()
                await asyncio.sleep(0.02)
        except (ConnectionError, asyncio.CancelledError):
            writer.close()

    server = await asyncio.start_server(headers_forever, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with (
        server,
        AsyncOrderClient(
            base_url=f"http://127.0.0.1:{port}",
            api_key=FAKE_TOKEN,
            merchant="norce",
            channel="1",
            timeout=0.05,
            max_retries=0,
        ) as client,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await client.update_state("o_1", "checkout")

    assert time.monotonic() - started < 5  # bounded, not a speed claim


@pytest.mark.parametrize("charset", ["zlib", "rot13", "idna", "punycode", "nope"])
def test_a_body_in_a_charset_no_codec_reads_is_kept(charset: str) -> None:
    recorder = Recorder(
        lambda request: httpx.Response(
            503,
            content=b"\\xff<html>down</html>",
            headers={"content-type": f"text/html; charset={charset}"},
        )
    )

    with mock_client(recorder) as client, pytest.raises(InternalServerError) as caught:
        client.update_state("o_1", "checkout")

    assert "down" in caught.value.body
    assert len(recorder.requests) == 3  # and it was retried like any 503


@pytest.mark.parametrize("key", [FAKE_TOKEN, f"Bearer {FAKE_TOKEN}", f" {FAKE_TOKEN} "])
def test_the_token_is_redacted_from_every_word_the_server_says(key: str) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401,
            json={"code": FAKE_TOKEN, "message": f"token {FAKE_TOKEN} expired"},
            headers={"x-request-id": FAKE_TOKEN},
            extensions={"reason_phrase": f"Bearer {FAKE_TOKEN}".encode()},
        )

    with (
        mock_client(Recorder(echo), api_key=key) as client,
        pytest.raises(NorceCheckoutError) as caught,
    ):
        client.update_state("o_1", "checkout")

    error = caught.value
    shown = [str(error), repr(error), "".join(traceback.format_exception(error))]
    shown += [str(getattr(error, name)) for name in ("code", "message", "request_id")]
    assert all(FAKE_TOKEN not in text for text in shown)


def test_a_transport_error_that_echoes_the_token_is_scrubbed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    def broken(request: httpx.Request) -> httpx.Response:
        echoed = request.headers["authorization"]
        raise httpx.RemoteProtocolError(
            f"illegal header line: {echoed}", request=request
        )

    with (
        mock_client(Recorder(broken)) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.update_state("o_1", "checkout")

    cause = caught.value.__cause__
    assert isinstance(cause, httpx.RemoteProtocolError)
    shown = [str(caught.value), "".join(traceback.format_exception(caught.value))]
    shown += [str(dict(cause.request.headers))]
    shown += [str(record.__dict__) for record in caplog.records]
    assert all(FAKE_TOKEN not in text for text in shown)


def test_a_closed_client_and_its_derived_clients_say_so(recorder: Recorder) -> None:
    client = mock_client(recorder)
    derived = client.with_options(max_retries=0)
    client._http.close()

    with pytest.raises(ClientClosedError, match="closed"):
        client.update_state("o_1", "checkout")
    with pytest.raises(ClientClosedError):
        derived.update_state("o_1", "checkout")
    assert recorder.requests == []


def test_a_callers_client_auth_does_not_replace_the_token(recorder: Recorder) -> None:
    http = httpx.Client(transport=recorder.transport, auth=("proxyuser", "pw"))

    with mock_client(recorder, http_client=http) as client:
        client.update_state("o_1", "checkout")

    assert recorder.last.headers["authorization"] == f"Bearer {FAKE_TOKEN}"
    http.close()


def test_the_local_server_leaves_logging_as_it_found_it() -> None:
    quiet = logging.getLogger("an.application.logger")
    quiet.disabled = True

    with LocalOrderServer():
        pass

    assert quiet.disabled


def test_a_compressed_answer_is_held_to_a_smaller_size() -> None:
    noise = gzip.compress(os.urandom(70_000))  # does not shrink: over 64 KiB
    recorder = Recorder(
        lambda request: httpx.Response(
            500, content=iter([noise]), headers={"content-encoding": "gzip"}
        )
    )

    with (
        mock_client(recorder, max_retries=0) as client,
        pytest.raises(APIConnectionError, match="larger than 65536 bytes"),
    ):
        client.update_state("o_1", "checkout")


def test_importing_the_package_leaves_the_generated_layer_unloaded() -> None:
    watched = ("norce_checkout_order._generated.rest", "stamina", "attrs")

    assert loaded_by_import("norce_checkout_order", watched) == []
