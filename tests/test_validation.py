"""Bad input raises a ValidationError naming the field, and nothing is sent."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Recorder, mock_client, seed
from norce_checkout_order import NorceCheckoutError, ValidationError
from norce_checkout_order.models import Address, Item


def cart_with(**item: Any) -> dict[str, Any]:
    return {"items": [{"name": "T-Shirt XL", **item}]}


@pytest.mark.parametrize(
    ("method", "argument", "field", "shown"),
    [
        ("update_state", "bogus", "status", "'checkout', 'processing'"),
        ("update_state", 3, "status", "got 3"),
        ("update_state", None, "status", "got None"),
        ("update_cart", cart_with(quantity="2"), "cart.items[0].quantity", "Expected `int`"),
        ("update_cart", cart_with(price={"includingVat": "12"}), "cart.items[0].price.includingVat", "got '12'"),
        ("update_cart", cart_with(productType="phyzical"), "cart.items[0].productType", "'physical', 'digital'"),
        ("update_cart", cart_with(items=[{"upsell": "yes"}]), "cart.items[0].items[0].upsell", "Expected `bool`"),
        ("update_cart", {"discounts": [{"type": "free"}]}, "cart.discounts[0].type", "'item', 'shipping'"),
        ("update_cart", {"attributes": ["not", "an", "object"]}, "cart.attributes", "Expected `object`"),
        ("update_cart", {"itemz": []}, "cart.itemz", "not a field of the spec"),
        ("update_cart", [], "cart", "must be a Cart or a dict"),
        ("update_cart", "{}", "cart", "got str"),
        ("update_billing", {"country": "Sweden"}, "address.country", "'Sweden'"),
        ("update_billing", {"country": "S1"}, "address.country", "^[A-Za-z]{2}$"),
        ("update_billing", {"type": "persn"}, "address.type", "'person', 'organization'"),
        ("update_billing", {"givenName": 5}, "address.givenName", "Expected `str`"),
        ("update_billing", Address(country="Sweden"), "address.country", "'Sweden'"),
        ("update_cart", {"total": {"includingVat": float("nan")}}, "cart.total.includingVat", "must be finite"),
        ("update_cart", cart_with(vatRate=float("inf")), "cart.items[0].vatRate", "got inf"),
        ("update_cart", {"attributes": {"a": object()}}, "cart", "JSON cannot carry"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_sends_nothing(
    recorder: Recorder, method: str, argument: object, field: str, shown: str
) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError) as caught:
        getattr(client, method)("o_1", argument)

    assert caught.value.field == field
    assert f"`{field}" in str(caught.value)
    assert shown in str(caught.value)
    assert isinstance(caught.value, NorceCheckoutError)
    assert isinstance(caught.value, ValueError)
    assert recorder.requests == []


@pytest.mark.parametrize(
    "order_id", ["", ".", "..", None, 42, "\ud800", "x" * 70_000, "a\nb", "\x00"]
)
def test_an_order_id_a_url_cannot_carry_as_one_segment_is_refused(
    recorder: Recorder, order_id: Any
) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError) as caught:
        client.update_state(order_id, "checkout")

    assert caught.value.field == "order_id"
    assert recorder.requests == []


def test_a_long_bad_value_is_shortened_in_the_message(recorder: Recorder) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError) as caught:
        client.update_billing("o_1", {"country": "S" * 500})

    assert len(str(caught.value)) < 300


def test_an_ambiguous_or_unknown_case_is_not_guessed(recorder: Recorder) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError):
        client.update_billing("o_1", {"type": "Persona"})

    assert recorder.requests == []


def test_the_vendors_examples_are_accepted(recorder: Recorder) -> None:
    with mock_client(recorder) as client:
        client.update_state("o_1", seed("state")["currentStatus"])
        client.update_cart("o_1", seed("cart"))
        client.update_billing("o_1", seed("billing"))
        client.update_billing("o_1", {"country": "se", "type": "ORGANIZATION"})

    assert len(recorder.requests) == 4
    assert recorder.body()["type"] == "organization"


def test_the_callers_dict_is_not_changed(recorder: Recorder) -> None:
    billing = seed("billing")
    before = repr(billing)

    with mock_client(recorder) as client:
        client.update_billing("o_1", billing)

    assert repr(billing) == before


class SafeString(str):
    """Like a template engine's marked-safe string."""

    def __str__(self) -> str:
        return "rendered otherwise"


def test_a_model_inside_a_dict_is_checked_too(recorder: Recorder) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError) as caught:
        client.update_cart("o_1", {"items": [Item(quantity="abc")]})  # type: ignore[arg-type]

    assert caught.value.field == "cart.items[0].quantity"
    assert recorder.requests == []


def test_str_subclasses_travel_as_their_text(recorder: Recorder) -> None:
    with mock_client(recorder) as client:
        client.update_billing(SafeString("o_1"), {"givenName": SafeString("Rosa")})

    assert recorder.last.url.path.endswith("/orders/o_1/customer/billing")
    assert recorder.body() == {"givenName": "Rosa"}


@pytest.mark.parametrize(
    ("argument", "field"),
    [
        ({"givenName": "bad \ud800"}, "address.givenName"),
        ({"attributes": {"a": {"b": ["\udfff"]}}}, "address.attributes.a.b[0]"),
        ({"attributes": {"a": {("tuple", "key"): 1}}}, "address"),
    ],
)
def test_values_json_cannot_encode_are_named(
    recorder: Recorder, argument: dict[str, Any], field: str
) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError) as caught:
        client.update_billing("o_1", argument)

    assert caught.value.field == field
    assert recorder.requests == []


def test_too_deep_a_nesting_is_a_validation_error(recorder: Recorder) -> None:
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"items": [deep]}
    looped: dict[str, Any] = {}
    looped["self"] = looped

    with mock_client(recorder) as client:
        with pytest.raises(ValidationError, match="nested too deeply"):
            client.update_cart("o_1", deep)
        with pytest.raises(ValidationError, match="nested too deeply"):
            client.update_cart("o_1", {"attributes": looped})

    assert recorder.requests == []


def test_after_folding_the_case_the_real_problem_is_named(recorder: Recorder) -> None:
    with mock_client(recorder) as client, pytest.raises(ValidationError) as caught:
        client.update_billing("o_1", {"type": "Person", "country": "SWE"})

    assert caught.value.field == "address.country"


def test_a_model_with_the_vendors_case_is_accepted(recorder: Recorder) -> None:
    with mock_client(recorder) as client:
        client.update_billing("o_1", Address(type="Person"))  # type: ignore[arg-type]

    assert recorder.body() == {"type": "person"}


def test_free_form_attributes_are_sent_as_json_would_carry_them(
    recorder: Recorder,
) -> None:
    """Keys become text and NaN or infinity null, as JSON has nothing else;
    in the typed number fields the same values are refused instead."""
    attributes = {1: "x", "a": [1, float("-inf")], "b": float("nan")}

    with mock_client(recorder) as client:
        client.update_cart("o_1", {"attributes": attributes})

    assert recorder.body() == {"attributes": {"1": "x", "a": [1, None], "b": None}}
