"""Test against a local Norce Order server instead of the real service.

Needs the ``server`` extra: ``pip install 'norce-checkout-order[server]'``.
Start it from a test with ``LocalOrderServer`` (a context manager), or from a
shell with ``python -m norce_checkout_order.testing``.
"""

try:
    from ._server import DEFAULT_API_KEY, LocalOrderServer
except ImportError as exc:  # pragma: no cover - needs an install without the extra
    message = (
        f"The local server needs the `server` extra ({exc.name} is missing): "
        "install norce-checkout-order[server], e.g. pip install '.[server]' "
        "from a clone of the project."
    )
    raise ImportError(message, name=exc.name) from exc

__all__ = ["DEFAULT_API_KEY", "LocalOrderServer"]
