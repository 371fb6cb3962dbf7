"""The language-neutral vectors in vectors/, replayed against the local server.

A client in another language replays the same file; here the requests go out
raw, through httpx, so that the vectors check the server and the spec, and
the Python client is checked against the same expectations elsewhere.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import CHANNEL, FAKE_TOKEN, MERCHANT, ROOT
from norce_checkout_order.testing import LocalOrderServer

VECTORS = json.loads((ROOT / "vectors" / "order-api.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = VECTORS["cases"]


def send(
    server: LocalOrderServer, order_id: str, request: dict[str, Any]
) -> httpx.Response:
    headers = dict(request["headers"])
    if request.get("auth", True):
        headers["authorization"] = f"Bearer {FAKE_TOKEN}"
    return httpx.request(
        request["method"],
        server.base_url + request["path"].replace("{order_id}", order_id),
        headers=headers,
        content=json.dumps(request["body"]).encode(),
    )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(server: LocalOrderServer, case: dict[str, Any]) -> None:
    order_id = server.create_order(MERCHANT, CHANNEL)
    for given in case.get("given", []):
        assert send(server, order_id, given).is_success

    response = send(server, order_id, case["request"])

    expect = case["expect"]
    assert response.status_code == expect["status"], response.text
    for key, value in expect.get("body", {}).items():
        assert response.json()[key] == value


def test_the_vectors_hold_no_secret_and_cover_the_seed() -> None:
    requests = [r for case in CASES for r in [*case.get("given", []), case["request"]]]
    names = [case["name"] for case in CASES]

    assert all("authorization" not in map(str.lower, r["headers"]) for r in requests)
    assert [name for name in names if name.startswith("seed:")] == [
        "seed: move the order to checkout",
        "seed: replace the cart",
        "seed: set the billing address",
    ]
