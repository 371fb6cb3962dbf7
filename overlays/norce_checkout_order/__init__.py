"""Python client for the Norce Checkout Order Management API.

>>> from norce_checkout_order import OrderClient
>>> with OrderClient(environment="playground", slug="customer-slug") as client:
...     client.update_state("o_yClTSySjyAuuBjmiBlHCjuEcTf", "checkout")

Settings not passed come from ``NORCE_CHECKOUT_<NAME>`` environment variables.
The payload models live in ``norce_checkout_order.models``.
"""

from ._client import AsyncOrderClient, OrderClient, UpdateResult
from ._config import ENVIRONMENTS
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    NorceCheckoutError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    ValidationError,
)
from ._generated.models import OrderStatus
from ._options import DEFAULT_TIMEOUT
from ._retries import DEFAULT_MAX_RETRIES
from ._spec import openapi_spec, openapi_spec_file
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ENVIRONMENTS",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncOrderClient",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NorceCheckoutError",
    "NotFoundError",
    "OrderClient",
    "OrderStatus",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "UpdateResult",
    "ValidationError",
    "__version__",
    "openapi_spec",
    "openapi_spec_file",
]
