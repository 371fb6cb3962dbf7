"""When a request is sent again, and after how long.

Every operation of this API is a PUT that replaces a whole sub-resource of the
order (its state, its cart, its billing address). Sending the same request
twice leaves the order as sending it once, so a request that got no answer, or
an answer that says "try again", is repeated without any risk of doing the
change twice.

One hazard remains, as with any client that retries over HTTP: an attempt
that timed out may still reach the server after its retry did, and so land
after a different change sent in the meantime. Where two changes to the same
part of an order follow each other closely, send the second only after the
first returned, and consider ``max_retries=0`` for the first.

The waiting is stamina's (exponential backoff with jitter, a bound on attempts
and on total time); this module only decides what is worth another attempt.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from ._exceptions import APIConnectionError, APIStatusError

if TYPE_CHECKING:
    import stamina

logger = logging.getLogger("norce_checkout_order")

DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt, unless a client or a call says otherwise."""

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Answers that say the same request may succeed later."""

RETRY_AFTER_CAP = 30.0
"""A ``Retry-After`` longer than this, in seconds, ends the retrying: the call
raises at once and the caller decides, rather than block for minutes."""

RETRY_BUDGET = 60.0
"""No retry starts later than this many seconds after the first try."""

# Backoff before retry n: min(8, 0.5 * 2 ** (n - 1) + up to 0.5 of jitter).
WAIT_INITIAL, WAIT_MAX, WAIT_JITTER = 0.5, 8.0, 0.5


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds the server asked to wait (delta-seconds or an HTTP-date).

    A header sent twice, or folded into ``120, 120``, counts at its longest;
    a number too large for a float is infinite, which no cap admits.
    """
    waits = [
        wait
        for value in response.headers.get_list("retry-after")
        for wait in _parse_retry_after(value.strip(), now or datetime.now(UTC))
    ]
    return max(waits) if waits else None


def _parse_retry_after(value: str, now: datetime) -> list[float]:
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return [] if math.isnan(seconds) else [max(seconds, 0.0)]
    # Imported here, like stamina below: only a failed call needs either, and
    # importing the package stays fast (see benchmarks/bench.py, B4).
    from email.utils import parsedate_to_datetime  # noqa: PLC0415

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        # Not one value: perhaps two folded into one line.
        parts = value.split(",")
        if len(parts) == 1:
            return []
        return [w for part in parts for w in _parse_retry_after(part.strip(), now)]
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    return [max((when - now).total_seconds(), 0.0)]


class RetryDecider:
    """stamina's backoff hook for one call: which failures are worth a retry.

    It remembers the last cause, so that the retry itself can be logged with
    it, and keeps every retry inside the call's time budget.
    """

    def __init__(self, budget: float = RETRY_BUDGET) -> None:
        self.cause = ""
        self._deadline = time.monotonic() + budget

    def __call__(self, exc: Exception) -> bool | float:
        if isinstance(exc, APIConnectionError):
            self.cause = type(exc).__name__
            return self._within_budget(WAIT_MAX + WAIT_JITTER, "with backoff")
        if not (
            isinstance(exc, APIStatusError) and exc.status_code in RETRYABLE_STATUSES
        ):
            logger.debug("Not retryable: %s", type(exc).__name__)
            return False

        self.cause = f"status {exc.status_code}"
        wait = retry_after(exc.response)
        if wait is None:
            return self._within_budget(WAIT_MAX + WAIT_JITTER, "with backoff")
        if wait > RETRY_AFTER_CAP:
            logger.debug(
                "Not retrying: Retry-After %.0fs is over the %.0fs cap",
                wait,
                RETRY_AFTER_CAP,
            )
            return False
        if not self._within_budget(wait, f"after Retry-After {wait:.1f}s"):
            return False
        # A float tells stamina to wait exactly that long this once.
        return wait or 0.001

    def _within_budget(self, longest_wait: float, how: str) -> bool:
        """Whether a retry after ``longest_wait`` still starts in the budget.

        stamina checks its own time limit only before waiting, so a long wait
        could start a retry after it; this check counts the wait too.
        """
        if time.monotonic() + longest_wait > self._deadline:
            logger.debug("Not retrying: %s would start past the budget", self.cause)
            return False
        logger.debug("Retryable: %s, %s", self.cause, how)
        return True


def retrying(max_retries: int, decider: RetryDecider) -> Iterator[stamina.Attempt]:
    """stamina's attempts for one call: ``max_retries`` retries at most."""
    return iter(_context(max_retries, decider))


def async_retrying(
    max_retries: int, decider: RetryDecider
) -> AsyncIterator[stamina.Attempt]:
    """The same, for ``async for``."""
    return aiter(_context(max_retries, decider))


def _context(max_retries: int, decider: RetryDecider) -> Any:
    # Any: the iterator's class is private to stamina; callers see Attempt.
    import stamina  # noqa: PLC0415  (see retry_after: import time)

    return stamina.retry_context(
        on=decider,
        attempts=max_retries + 1,
        timeout=RETRY_BUDGET,
        wait_initial=WAIT_INITIAL,
        wait_max=WAIT_MAX,
        wait_jitter=WAIT_JITTER,
    )


def log_retry(
    attempt: stamina.Attempt, request: httpx.Request, of: int, why: str
) -> None:
    """WARNING for every attempt after the first, with what caused it."""
    if attempt.num > 1:
        logger.warning(
            "Retrying %s %s (attempt %d of %d) after %s",
            request.method,
            request.url,
            attempt.num,
            of,
            why,
        )
