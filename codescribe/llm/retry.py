"""The retry policy: tenacity, engaged only after a call has failed.

The first attempt runs bare, so a call that succeeds pays nothing for retries (no tenacity
``Retrying`` is built for it; DESIGN.md has the measured cost). When it fails with a
retryable :class:`LLMError`, tenacity takes over: the failed attempt counts as attempt one,
waits are exponential with jitter, a server's ``retry-after`` is honoured, and the total
wait is capped: a ``retry-after`` longer than the time left ends the retries at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import LLMError

if TYPE_CHECKING:  # tenacity is imported at the first retry: most processes never need it
    from tenacity import RetryCallState
    from tenacity.wait import wait_exponential_jitter

__all__ = ["RetryPolicy"]

T = TypeVar("T")
logger = logging.getLogger("codescribe.llm")


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, LLMError) and exc.is_retryable()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry a failed call.

    Attributes:
        max_retries: retries after the first attempt (0: none).
        initial_wait: seconds before the first retry, doubled at each retry (plus jitter).
        max_wait: the most seconds one wait lasts (a ``retry-after`` is honoured as given).
        max_total_wait: the most seconds all waits together last; a ``retry-after`` beyond what is
            left ends the retries at once.
        jitter: up to this many random seconds added to each exponential wait.
        sleep: how a synchronous call waits (default: ``time.sleep``); tests pass a recorder.
        asleep: how an async call waits (default: ``asyncio.sleep``).
    """

    max_retries: int = 3
    initial_wait: float = 1.0
    max_wait: float = 30.0
    max_total_wait: float = 120.0
    jitter: float = 1.0
    sleep: Callable[[float], None] | None = None
    asleep: Callable[[float], Awaitable[None]] | None = None

    @staticmethod
    def _honour_retry_after(backoff: wait_exponential_jitter) -> Callable[[RetryCallState], float]:
        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, LLMError) and error.retry_after is not None:
                return error.retry_after  # the server said when; _stop already checked it fits
            return float(backoff(state))

        return wait

    def _stop(self, state: RetryCallState) -> bool:
        if state.attempt_number > self.max_retries:
            return True
        error = state.outcome.exception() if state.outcome else None
        time_left = self.max_total_wait - (state.idle_for or 0.0)
        retry_after = error.retry_after if isinstance(error, LLMError) and error.retry_after else 0.0
        return retry_after > time_left or time_left <= 0

    def _log(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        logger.warning("%s; retry %d/%d in %.1fs", error, state.attempt_number, self.max_retries, wait)

    def _settings(self) -> dict[str, Any]:
        from tenacity import retry_if_exception
        from tenacity.wait import wait_exponential_jitter

        return {
            "stop": self._stop,
            "wait": self._honour_retry_after(
                wait_exponential_jitter(multiplier=self.initial_wait, max=self.max_wait, jitter=self.jitter)
            ),
            "retry": retry_if_exception(_retryable),
            "before_sleep": self._log,
            "reraise": True,
        }

    def run(self, call: Callable[[], T], first_error: LLMError) -> tuple[T, int]:
        """Retry ``call`` after it failed once with ``first_error``; return (result, retries)."""
        if not first_error.is_retryable() or self.max_retries == 0:
            raise first_error
        pending: list[LLMError] = [first_error]

        def attempt() -> T:
            if pending:
                raise pending.pop()
            return call()

        from tenacity import Retrying

        settings = self._settings()
        if self.sleep is not None:
            settings["sleep"] = self.sleep
        retrying = Retrying(**settings)
        try:
            result = retrying(attempt)
        except LLMError as error:
            error.retries = retrying.statistics["attempt_number"] - 1
            raise
        return result, retrying.statistics["attempt_number"] - 1

    async def arun(self, call: Callable[[], Awaitable[T]], first_error: LLMError) -> tuple[T, int]:
        """The async twin of :meth:`run`."""
        if not first_error.is_retryable() or self.max_retries == 0:
            raise first_error
        pending: list[LLMError] = [first_error]

        async def attempt() -> T:
            if pending:
                raise pending.pop()
            return await call()

        from tenacity import AsyncRetrying

        settings = self._settings()
        if self.asleep is not None:
            settings["sleep"] = self.asleep
        retrying = AsyncRetrying(**settings)
        try:
            result: T = await retrying(attempt)
        except LLMError as error:
            error.retries = retrying.statistics["attempt_number"] - 1
            raise
        return result, retrying.statistics["attempt_number"] - 1
