"""The OpenAPI document this package was generated from, as shipped in it."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

SPEC_NAME = "openapi.yaml"


def openapi_spec_file() -> Traversable:
    """The packaged ``openapi.yaml``, for tools that read the contract.

    Use ``importlib.resources.as_file`` on it where a real path is needed.
    """
    return resources.files(__package__).joinpath(SPEC_NAME)


def openapi_spec() -> str:
    """The text of the packaged ``openapi.yaml``: the exact contract spoken."""
    return openapi_spec_file().read_text(encoding="utf-8")
