"""Make three realistic changes to an openapi.yaml, for `nox -s spec_change`.

A new optional field on Address, a new OrderStatus value, and a new optional
header on every operation: the kind of change a vendor ships in a minor
release. Usage: ``python apply_changes.py path/to/openapi.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

NEW_HEADER = {
    "name": "x-request-id",
    "in": "header",
    "required": False,
    "description": "An id the caller picks to trace the request by.",
    "schema": {"type": "string"},
    "example": "req-7d1f",
}


def change(spec: dict[str, Any]) -> None:
    """Apply the three changes in place."""
    schemas = spec["components"]["schemas"]
    schemas["Address"]["properties"]["middleName"] = {
        "type": "string",
        "description": "The customer's middle name.",
        "example": "Maria",
    }
    schemas["OrderStatus"]["enum"].append("onHold")

    spec["components"]["parameters"]["RequestId"] = NEW_HEADER
    for item in spec["paths"].values():
        item["parameters"].append({"$ref": "#/components/parameters/RequestId"})


def main() -> None:
    path = Path(sys.argv[1])
    spec = yaml.safe_load(path.read_text("utf-8"))
    change(spec)
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
    print(f"Changed {path}: Address.middleName, OrderStatus onHold, x-request-id")


if __name__ == "__main__":
    main()
