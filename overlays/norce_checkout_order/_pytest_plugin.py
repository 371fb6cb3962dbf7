"""A pytest fixture for the local Norce Order server, registered on install.

``norce_order_server`` starts one ``LocalOrderServer`` per test session and
stops it at the end; ``norce_order_faults`` is that server for a test that
injects faults, cleaned of the ones left unused when the test ends.

The server's packages (the ``server`` extra) are imported only when a test
asks for a fixture, so installing the client alone never breaks a test run;
that is also why this module lives outside ``testing``, whose import starts
the server's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing import LocalOrderServer


@pytest.fixture(scope="session")
def norce_order_server() -> Iterator[LocalOrderServer]:
    """A running local Norce Order server; create orders with ``create_order``."""
    from .testing import LocalOrderServer  # noqa: PLC0415  (see the docstring)

    with LocalOrderServer() as server:
        yield server


@pytest.fixture
def norce_order_faults(
    norce_order_server: LocalOrderServer,
) -> Iterator[LocalOrderServer]:
    """The same server, its unused faults forgotten when the test ends."""
    yield norce_order_server
    norce_order_server.reset_faults()
