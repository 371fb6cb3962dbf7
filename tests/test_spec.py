"""openapi.yaml is a valid spec and says what the vendor documents."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml
from conftest import ROOT
from norce_checkout_order import openapi_spec, openapi_spec_file
from openapi_spec_validator import validate

SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
SCHEMAS = SPEC["components"]["schemas"]
OPERATIONS = {
    "/api/v0/checkout/orders/{order_id}/state": ("UpdateCheckoutOrderState", "State"),
    "/api/v0/checkout/orders/{order_id}/cart": ("UpdateCheckoutOrderCart", "Cart"),
    "/api/v0/checkout/orders/{order_id}/customer/billing": (
        "UpdateCheckoutOrderCustomerBilling",
        "Address",
    ),
}


def test_spec_is_valid_openapi() -> None:
    validate(SPEC)


@pytest.mark.parametrize("path", OPERATIONS)
def test_operation_matches_reference(path: str) -> None:
    operation_id, schema = OPERATIONS[path]
    item = SPEC["paths"][path]
    put = item["put"]
    params = {p["$ref"].rsplit("/", 1)[1] for p in item["parameters"]}
    body = put["requestBody"]

    assert put["operationId"] == operation_id
    assert params == {"OrderId", "Merchant", "Channel", "AdapterId"}
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"]["$ref"].endswith(schema)
    assert set(put["responses"]) == {"200", "202", "400", "401", "404", "500"}


def test_headers_and_security() -> None:
    params = SPEC["components"]["parameters"]
    required = {
        p["name"]: p["required"] for p in params.values() if p["in"] == "header"
    }

    assert required == {"x-merchant": True, "x-channel": True, "x-adapterid": False}
    bearer = SPEC["components"]["securitySchemes"]["Bearer"]
    assert (bearer["type"], bearer["in"], bearer["name"]) == (
        "apiKey",
        "header",
        "Authorization",
    )
    assert SPEC["security"] == [{"Bearer": []}]


def test_servers_cover_the_three_environments_with_a_slug() -> None:
    urls = [server["url"] for server in SPEC["servers"]]

    assert urls == [
        "https://{slug}.api-se.playground.norce.tech/checkout/order",
        "https://{slug}.api-se.stage.norce.tech/checkout/order",
        "https://{slug}.api-se.norce.tech/checkout/order",
    ]
    assert all("slug" in server["variables"] for server in SPEC["servers"])


@pytest.mark.parametrize(
    ("schema", "fields"),
    [
        ("State", {"currentStatus", "transitions"}),
        ("Transition", {"status", "timeStamp"}),
        ("Cart", {"reference", "items", "discounts", "total", "attributes"}),
        (
            "Item",
            {
                "id", "reference", "name", "sku", "productType", "items", "url",
                "imageUrl", "quantity", "unit", "price", "total", "originalTotal",
                "vatRate", "discounts", "logistics", "upsell", "attributes",
            },
        ),
        ("Logistics", {"weight", "height", "width", "length", "tags", "shippingDate"}),
        (
            "Discount",
            {"type", "name", "reference", "description", "code", "value", "attributes"},
        ),
        ("Price", {"includingVat", "excludingVat"}),
        (
            "Address",
            {
                "type", "givenName", "familyName", "careOf", "reference",
                "organizationName", "streetAddress", "streetAddress2", "postalCode",
                "city", "region", "country", "phone", "email",
                "nationalIdentificationNumber", "organizationIdentificationNumber",
                "attributes",
            },
        ),
        ("BaseError", {"code", "message"}),
        ("ProblemDetails", {"type", "title", "status", "detail", "instance"}),
    ],
)  # fmt: skip
def test_schema_has_every_documented_field(schema: str, fields: set[str]) -> None:
    assert set(SCHEMAS[schema]["properties"]) == fields
    assert "required" not in SCHEMAS[schema]


@pytest.mark.parametrize(
    ("schema", "values"),
    [
        ("OrderStatus", ["checkout", "processing", "accepted", "completed", "declined", "removed"]),
        ("DiscountType", ["item", "shipping"]),
        ("CustomerType", ["person", "organization"]),
        ("ProductType", ["physical", "digital", "giftCard", "bundle"]),
    ],
)  # fmt: skip
def test_enums(schema: str, values: list[str]) -> None:
    assert SCHEMAS[schema]["enum"] == values


def test_formats_patterns_and_read_only_members() -> None:
    item, address = SCHEMAS["Item"]["properties"], SCHEMAS["Address"]["properties"]

    assert address["country"]["pattern"] == "^[A-Za-z]{2}$"
    assert item["quantity"]["format"] == "int32"
    assert item["vatRate"]["format"] == "double"
    assert item["items"]["items"]["$ref"] == "#/components/schemas/Item"
    assert SCHEMAS["State"]["properties"]["transitions"]["readOnly"] is True
    assert SCHEMAS["Transition"]["properties"]["timeStamp"]["readOnly"] is True
    assert SCHEMAS["Transition"]["properties"]["timeStamp"]["format"] == "date-time"


def test_attributes_admit_any_json_value() -> None:
    assert SCHEMAS["Attributes"]["additionalProperties"] == {}
    for schema in ("Cart", "Item", "Discount", "Address"):
        ref = SCHEMAS[schema]["properties"]["attributes"]["$ref"]
        assert ref == "#/components/schemas/Attributes"


def test_packaged_spec_is_this_spec() -> None:
    with resources.as_file(openapi_spec_file()) as path:
        from_file = path.read_text("utf-8")

    assert openapi_spec() == (ROOT / "openapi.yaml").read_text("utf-8")
    assert from_file == openapi_spec()
