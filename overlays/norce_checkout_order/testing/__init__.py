"""Test against a local Norce Order server instead of the real service.

Needs the ``server`` extra: ``pip install 'norce-checkout-order[server]'``.
Start it from a test with ``LocalOrderServer`` (a context manager), or from a
shell with ``python -m norce_checkout_order.testing``.
"""

from ._server import DEFAULT_API_KEY, LocalOrderServer

__all__ = ["DEFAULT_API_KEY", "LocalOrderServer"]
