"""The retry policy: tenacity, engaged only after a call has failed.

The first attempt runs bare, so a call that succeeds pays nothing for retries (no tenacity
``Retrying`` is built for it; this module imports tenacity only at the first retry). When it fails with a
retryable :class:`LLMError`, tenacity takes over: the failed attempt counts as attempt one,
waits are exponential with jitter, a server's ``retry-after`` is honoured, and the total
wait is capped: no retry once the waits reach ``max_total_wait``, and a ``retry-after``
longer than the time left ends the retries at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..progress import get_logger
from .errors import LLMError

if TYPE_CHECKING:  # tenacity is imported at the first retry: most processes never need it
    from tenacity import RetryCallState
    from tenacity.wait import wait_exponential_jitter

__all__ = ["RetryPolicy"]

T = TypeVar("T")
logger = get_logger("codescribe.llm")


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, LLMError) and exc.is_retryable()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry a failed call.

    Attributes:
        max_retries: retries after the first attempt (0: none).
        initial_wait: seconds before the first retry, doubled at each retry (plus jitter).
        max_wait: the most seconds one wait lasts (a ``retry-after`` is honoured as given).
        max_total_wait: seconds of waiting after which no further retry is made; a ``retry-after``
            beyond what is left ends the retries at once. A backoff wait is not shortened to fit, so
            the waits together can pass it by up to one wait (``max_wait``).
        jitter: up to this many random seconds added to each exponential wait.
        sleep: how a synchronous call waits, given seconds; ``None``: tenacity's default (``time.sleep``).
            Tests pass a recorder.
        asleep: how an async call waits, given seconds; ``None``: tenacity's default (``asyncio.sleep``).

    Each retry is logged as a warning on the ``codescribe.llm`` logger. Providers build theirs from
    ``LLMConfig.max_retries`` (``LLMProvider.retry_policy``).

    Examples:
        >>> policy = RetryPolicy(max_retries=5, max_total_wait=60.0)
        >>> policy.max_retries, policy.initial_wait
        (5, 1.0)
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

    def _retrying(self, first_error: LLMError, *, asynchronous: bool) -> Any:
        """tenacity's ``Retrying`` (``AsyncRetrying``) for a call that failed once with ``first_error``;
        ``first_error`` itself is raised when it is not retryable or ``max_retries`` is 0."""
        if not first_error.is_retryable() or self.max_retries == 0:
            raise first_error
        from tenacity import AsyncRetrying, Retrying, retry_if_exception
        from tenacity.wait import wait_exponential_jitter

        sleep: Any = self.asleep if asynchronous else self.sleep
        return (AsyncRetrying if asynchronous else Retrying)(
            stop=self._stop,
            wait=self._honour_retry_after(
                wait_exponential_jitter(multiplier=self.initial_wait, max=self.max_wait, jitter=self.jitter)
            ),
            retry=retry_if_exception(_retryable),
            before_sleep=self._log,
            reraise=True,
            **({} if sleep is None else {"sleep": sleep}),
        )

    def run(self, call: Callable[[], T], first_error: LLMError) -> tuple[T, int]:
        """Retry ``call`` after it failed once with ``first_error``; return its result and the retry count.

        ``first_error`` counts as the first attempt. Another attempt follows only while the last
        error is retryable (:meth:`LLMError.is_retryable`), fewer than ``max_retries`` retries were
        made, and the waits so far leave room under ``max_total_wait`` (for a ``retry-after``, room
        for all of it).

        Args:
            call: makes the attempt again, with no arguments; it should raise :class:`LLMError`
                when it fails (any other exception ends the retries and propagates unchanged).
            first_error: how the first attempt failed.

        Returns:
            A tuple ``(result, retries)``: what ``call`` returned, and how many retries that took (1 or more).

        Raises:
            LLMError: ``first_error`` itself when it is not retryable or ``max_retries`` is 0; else
                the last attempt's error once the retries end, with ``retries`` set on it.

        Examples:
            >>> from codescribe.llm.errors import ErrorType
            >>> answers = iter([LLMError("busy", error_type=ErrorType.SERVER_ERROR), "done"])
            >>> def call():
            ...     answer = next(answers)
            ...     if isinstance(answer, LLMError):
            ...         raise answer
            ...     return answer
            >>> policy = RetryPolicy(max_retries=3, sleep=lambda seconds: None)  # no real waiting
            >>> policy.run(call, LLMError("busy", error_type=ErrorType.SERVER_ERROR))
            ('done', 2)
        """
        retrying = self._retrying(first_error, asynchronous=False)
        pending: list[LLMError] = [first_error]

        def attempt() -> T:
            if pending:
                raise pending.pop()
            return call()

        try:
            result = retrying(attempt)
        except LLMError as error:
            error.retries = retrying.statistics["attempt_number"] - 1
            raise
        return result, retrying.statistics["attempt_number"] - 1

    async def arun(self, call: Callable[[], Awaitable[T]], first_error: LLMError) -> tuple[T, int]:
        """The async twin of :meth:`run`: retry the coroutine ``call`` after it failed once with ``first_error``.

        Waits go through ``asleep`` (``asyncio.sleep`` by default), so the event loop runs on meanwhile.

        Args:
            call: makes the attempt again, with no arguments, returning an awaitable; it should raise
                :class:`LLMError` when it fails (any other exception ends the retries and propagates).
            first_error: how the first attempt failed.

        Returns:
            A tuple ``(result, retries)``: what ``call`` returned, and how many retries that took (1 or more).

        Raises:
            LLMError: ``first_error`` itself when it is not retryable or ``max_retries`` is 0; else
                the last attempt's error once the retries end, with ``retries`` set on it.

        Examples:
            >>> import asyncio
            >>> from codescribe.llm.errors import ErrorType
            >>> async def call():
            ...     return "done"
            >>> async def no_wait(seconds):
            ...     pass
            >>> policy = RetryPolicy(asleep=no_wait)
            >>> asyncio.run(policy.arun(call, LLMError("timed out", error_type=ErrorType.TIMEOUT)))
            ('done', 1)
        """
        retrying = self._retrying(first_error, asynchronous=True)
        pending: list[LLMError] = [first_error]

        async def attempt() -> T:
            if pending:
                raise pending.pop()
            return await call()

        try:
            result: T = await retrying(attempt)
        except LLMError as error:
            error.retries = retrying.statistics["attempt_number"] - 1
            raise
        return result, retrying.statistics["attempt_number"] - 1
