"""A system's limits on its calls: how many in flight, how many a minute, and backing off.

Every attempt of a call enters its system's :class:`SystemLimiter` (the provider layer does it
around each attempt, retries included; see :data:`codescribe.llm.providers.base.AttemptLimiter`):

- a slot among ``concurrency`` calls in flight (a count and a queue of waiting attempts, as
  :class:`asyncio.Semaphore` keeps them, so that the limit can move);
- then a turn of the rate limit: ``rpm`` calls a minute through aiolimiter's leaky bucket,
  holding two calls at most (see :func:`_rate_limiter`), so the calls go out evenly spaced from
  the first: providers document enforcing a per-minute limit per second, and a burst at the
  start would meet 429s;
- with ``adaptive=True``, additive increase / multiplicative decrease on the provider's own
  signals: a 429 or 529 halves the calls allowed in flight (once per wave of calls: the other
  calls that started before the decrease do not halve it again), and each success adds
  ``1 / limit`` back, up to ``concurrency`` (about one more call per round of answers).
"""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType

from aiolimiter import AsyncLimiter

from ..llm.errors import ErrorType, LLMError

__all__ = ["BACK_OFF_STATUSES", "SystemLimiter"]

#: HTTP statuses that say "too many requests": 429 (rate limit) and 529 (Anthropic's overloaded).
BACK_OFF_STATUSES = frozenset({429, 529})


class SystemLimiter:
    """``async with limiter:`` around one attempt of a call (see the module docstring).

    Args:
        concurrency: the most calls in flight at once (at least 1).
        rpm: calls a minute at most, spaced evenly; ``None`` for no rate limit.
        adaptive: back off on 429/529 and grow back on success (AIMD), never above ``concurrency``.

    Raises:
        ValueError: ``concurrency`` below 1, or ``rpm`` not above 0.

    Examples:
        >>> import asyncio
        >>> limiter = SystemLimiter(concurrency=2, rpm=600)
        >>> async def call() -> int:
        ...     async with limiter:
        ...         return limiter.in_flight
        >>> asyncio.run(call()), limiter.in_flight
        (1, 0)
    """

    def __init__(self, concurrency: int, rpm: float | None = None, *, adaptive: bool = False) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, not {concurrency}")
        if rpm is not None and rpm <= 0:
            raise ValueError(f"rpm must be above 0 (or None for no rate limit), not {rpm}")
        self.concurrency = concurrency
        self.adaptive = adaptive
        #: Calls allowed in flight now: ``concurrency``, or less after a back-off.
        self.limit = float(concurrency)
        self.in_flight = 0
        #: How many times the limit was halved: an attempt that began before the last halving
        #: was part of the wave that caused it.
        self.decreases = 0
        self._rate = _rate_limiter(rpm) if rpm else None
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._began: dict[asyncio.Task[object] | None, int] = {}

    async def __aenter__(self) -> None:
        await self._take_slot()
        try:
            if self._rate is not None:
                await self._rate.acquire()
        except BaseException:
            self._give_back()
            raise
        self._began[asyncio.current_task()] = self.decreases

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        began = self._began.pop(asyncio.current_task(), self.decreases)
        if self.adaptive:
            if _says_back_off(error):
                if began == self.decreases:
                    self.limit = max(1.0, self.limit / 2)
                    self.decreases += 1
            elif kind is None:
                self.limit = min(float(self.concurrency), self.limit + 1 / self.limit)
        self._give_back()

    async def _take_slot(self) -> None:
        """Wait for a slot among the calls allowed in flight (first come, first served)."""
        if not self._waiting and self.in_flight < self._allowed():
            self.in_flight += 1
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await turn  # the slot is counted for us when the turn is given
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._give_back()  # given the slot, then cancelled: pass it on
            raise

    def _give_back(self) -> None:
        """Free a slot, and hand slots to waiting attempts while the limit allows."""
        self.in_flight -= 1
        while self._waiting and self.in_flight < self._allowed():
            turn = self._waiting.popleft()
            if not turn.done():  # a waiter cancelled meanwhile is skipped
                self.in_flight += 1
                turn.set_result(None)

    def _allowed(self) -> int:
        return max(1, int(self.limit))


def _rate_limiter(rpm: float) -> AsyncLimiter:
    """``rpm`` calls a minute, holding at most two calls (and never more than a second's worth).

    A bucket of one call would lose the time each wake-up overshoots, for good: a queue of calls
    behind it runs about 10% under the rate (measured, ``bench/eval_realistic.py``). Two absorb it,
    and send no burst a provider enforcing its limit per second would refuse.
    """
    burst = min(2.0, max(1.0, rpm / 60))
    return AsyncLimiter(burst, burst * 60 / rpm)


def _says_back_off(error: BaseException | None) -> bool:
    """Whether the provider said to slow down (429, 529 overloaded, or a rate-limit error type)."""
    if not isinstance(error, LLMError):
        return False
    return error.error_type is ErrorType.RATE_LIMIT or error.status_code in BACK_OFF_STATUSES
