"""The API's payloads as msgspec structs, generated from ``openapi.yaml``.

Build a ``Cart`` or an ``Address`` here and pass it to a client, or use these
types to decode and check the same payloads elsewhere::

    import msgspec
    from norce_checkout_order.models import Cart

    cart = msgspec.json.decode(raw_json, type=Cart)

Every schema of the spec is here under its own name, and every field under
its JSON name; a schema or field added to the spec appears here after
``nox -s codegen``, with no edit to this file.
"""

from ._generated import models as _models
from ._generated.models import *  # noqa: F403  (the generated module is the API)

# The generated module sets no __all__; its own classes and aliases are the
# public ones, less the base class it defines for its settings.
__all__ = [
    name
    for name, value in sorted(vars(_models).items())
    if getattr(value, "__module__", None) == _models.__name__
    and value is not _models.Struct
]
