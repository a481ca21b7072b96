"""Retries that may be billed hold their own reservation before they go.

A call's reservation in a :class:`~codescribe.llm.budget.CostBudget` covers one attempt. An
attempt that fails after the provider may have billed it (a time-out, which the server may have
worked through; an error after usage was reported; see :func:`~codescribe.llm.budget.failed_cost`)
uses that cover up, so the retry that follows reserves its own worst case first, under
:func:`retry_key`, as soon as the attempt has failed. When the budget cannot cover it, the retry is
neither waited for nor made: the call ends in :class:`RetryNotCovered`, an :class:`LLMError` that
is not retried.

The caller (an evaluation's sample, a site's page) opens a :class:`CallAttempts` around each call
(:func:`attempts_of`); the :class:`CoveredAttempts` limiter, entered around every attempt by the
provider layer, finds it through a context variable (each call runs in its own task, so each sees
its own). When the call is over, :meth:`CallAttempts.settlement` says what each extra reservation
cost: an attempt whose cost is unknown counts at its worst case; the others cost nothing beyond the
call's own cost (a provider folds the usage of failed attempts into the answer's).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType

from .budget import failed_cost
from .errors import LLMError
from .providers.base import AttemptLimiter

__all__ = [
    "CallAttempts",
    "CoveredAttempts",
    "ReserveRetry",
    "RetryNotCovered",
    "attempts_of",
    "earlier_keys",
    "retry_key",
]


#: ``await reserve(key)``: whether the budget allows one more attempt of the call, held under ``key``.
ReserveRetry = Callable[[str], Awaitable[bool]]

_RETRY = "|retry"
_CURRENT: ContextVar[CallAttempts | None] = ContextVar("codescribe_call_attempts", default=None)


def retry_key(key: str, number: int) -> str:
    """The key of the reservation of a call's ``number``-th retry that needed one.

    Args:
        key: the call's own reservation key (a sample id, or its judge key).
        number: 1 for the first such retry, 2 for the next.

    Returns:
        ``key`` followed by ``|retry`` and the number.

    Examples:
        >>> retry_key("llamacpp|readme|add.py|0", 1)
        'llamacpp|readme|add.py|0|retry1'
    """
    return f"{key}{_RETRY}{number}"


def earlier_keys(key: str) -> list[str]:
    """The keys a retry's call held before ``key``: its own, and its earlier retries'.

    A retry does not wait for them to be settled (they are settled once the call is over).

    Args:
        key: a reservation key.

    Returns:
        the earlier keys of the same call when ``key`` is a :func:`retry_key`; else none.

    Examples:
        >>> earlier_keys("s|readme|a.py|0|retry2")
        ['s|readme|a.py|0', 's|readme|a.py|0|retry1']
        >>> earlier_keys("s|readme|a.py|0")
        []
    """
    call, _, number = key.rpartition(_RETRY)
    if not call or not number.isdigit():
        return []
    return [call, *(retry_key(call, n) for n in range(1, int(number)))]


class RetryNotCovered(LLMError):
    """A call's attempt failed after it may have been billed, and the budget cannot cover a retry.

    It carries the failed attempt's message, type and status, and is never retried.

    Args:
        error: the attempt's error.

    Examples:
        >>> from codescribe.llm.errors import ErrorType
        >>> error = RetryNotCovered(LLMError("Request timed out.", error_type=ErrorType.TIMEOUT))
        >>> error.error_type, error.is_retryable()
        (<ErrorType.TIMEOUT: 'TIMEOUT'>, False)
    """

    def __init__(self, error: LLMError) -> None:
        super().__init__(
            f"{error.message} Not retried: the budget cannot cover another attempt.",
            error_type=error.error_type,
            provider=error.provider,
            operation=error.operation,
            status_code=error.status_code,
            request_id=error.request_id,
            original_error=error,
        )
        self.metadata = error.metadata
        self.retries = error.retries

    def is_retryable(self) -> bool:
        """Never: the budget cannot cover another attempt.

        Returns:
            ``False``.
        """
        return False


@dataclass
class CallAttempts:
    """The attempts of one call that costs money, and the reservations its retries made.

    Attributes:
        key: the call's reservation key.
        reserve: how a retry asks the budget for one call's worst case, under the key it is given.
        max_retries: how many retries the provider makes at most (``None``: unknown, so a retryable
            failure is taken to be retried).
        extra: the keys of the retries' reservations, in order.
        unknown: failed attempts whose cost is unknown (time-outs, mostly).
        spent: failed attempts that may have been billed, of any cost.
        failures: failed attempts.
    """

    key: str
    reserve: ReserveRetry
    max_retries: int | None = None
    extra: list[str] = field(default_factory=list)
    unknown: int = 0
    spent: int = 0
    failures: int = 0

    async def after(self, error: BaseException | None) -> None:
        """Count a failed attempt that may have been billed; when a retry may follow and every
        reservation is used up, reserve for the retry now, before it is waited for.

        Args:
            error: how the attempt ended (``None``: it succeeded).

        Raises:
            RetryNotCovered: the budget cannot cover the retry; raised in place of ``error`` (which
                it carries), so the retry is neither waited for nor made.
        """
        if not isinstance(error, LLMError) or isinstance(error, RetryNotCovered):
            return
        billed, cost = failed_cost(error)
        self.spent += billed
        self.unknown += billed and cost is None
        self.failures += 1
        retried = error.is_retryable() and (self.max_retries is None or self.failures <= self.max_retries)
        if not retried or self.spent < 1 + len(self.extra):
            return
        key = retry_key(self.key, len(self.extra) + 1)
        if not await self.reserve(key):
            raise RetryNotCovered(error)
        self.extra.append(key)

    def settlement(self, error: LLMError | None) -> dict[str, float | None]:
        """What each retry's reservation cost, once the call is over.

        The call's own reservation is settled with the call (its answer's cost, or the error's);
        an extra one counts its worst case (``None``) for each other failed attempt of unknown
        cost, and ``0.0`` for the rest (their cost is in the call's, or they cost nothing).

        Args:
            error: how the call ended (``None``: an answer).

        Returns:
            ``{retry key: cost in USD, or None for "count its worst case"}``.

        Examples:
            >>> from codescribe.llm.errors import ErrorType
            >>> async def grant(key: str) -> bool:
            ...     return True
            >>> attempts = CallAttempts("s|readme|a.py|0", grant)
            >>> timeout = LLMError("timed out", error_type=ErrorType.TIMEOUT)
            >>> import asyncio
            >>> async def two_time_outs_then_an_answer() -> None:
            ...     for error in (timeout, timeout, None):
            ...         await attempts.after(error)
            >>> asyncio.run(two_time_outs_then_an_answer())
            >>> attempts.settlement(None)
            {'s|readme|a.py|0|retry1': None, 's|readme|a.py|0|retry2': None}
        """
        unknown = self.unknown
        if error is not None and failed_cost(error) == (True, None):
            unknown -= 1  # the call's own reservation counts it
        return {key: None if index < unknown else 0.0 for index, key in enumerate(self.extra)}


class CoveredAttempts:
    """A limiter entered around every attempt: ``limiter`` (a
    :class:`~codescribe.evals.limits.SystemLimiter`) around it, then, when it fails, the call's
    :class:`CallAttempts` reserves what a retry needs.

    Outside :func:`attempts_of` (a call nobody pays for) it is ``limiter`` alone.

    Args:
        limiter: the system's limiter, or ``None``.

    Examples:
        >>> import asyncio
        >>> asyncio.run(CoveredAttempts(None).__aenter__())
    """

    def __init__(self, limiter: AttemptLimiter | None) -> None:
        self.limiter = limiter

    async def __aenter__(self) -> None:
        if self.limiter is not None:
            await self.limiter.__aenter__()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.limiter is not None:
            await self.limiter.__aexit__(kind, error, trace)
        attempts = _CURRENT.get()
        if attempts is not None:
            await attempts.after(error)  # may raise RetryNotCovered in the error's place


@contextlib.contextmanager
def attempts_of(attempts: CallAttempts | None) -> Iterator[CallAttempts | None]:
    """Make ``attempts`` the current call's, for the :class:`CoveredAttempts` its attempts enter.

    Args:
        attempts: the call's attempts; ``None`` for a call nobody pays for.

    Yields:
        ``attempts``.

    Examples:
        >>> with attempts_of(None) as attempts:
        ...     print(attempts)
        None
    """
    token = _CURRENT.set(attempts)
    try:
        yield attempts
    finally:
        _CURRENT.reset(token)
