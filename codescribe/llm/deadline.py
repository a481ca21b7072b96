"""``LLM_TIMEOUT`` as a deadline: each attempt of a call, streaming or not, ends within it.

The SDKs' ``timeout`` bounds each wait for the network (to connect, for the next bytes), so a server
that sends a byte every few seconds holds a call for as long as it likes. CodeScribe bounds the whole
attempt as well: an async attempt runs under :func:`asyncio.timeout`, which cancels the request (and
closes its connection); a sync attempt runs on a worker thread the caller stops waiting for at the
deadline, and the answer it is reading (:class:`OpenAnswers`) is closed: its connection ends, and the
thread with it.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from .config import ENV
from .errors import ErrorType, LLMError

__all__ = ["DeadlinePassed", "OpenAnswers", "overdue", "run_within"]

T = TypeVar("T")


class DeadlinePassed(Exception):
    """An attempt was not done by its deadline (raised by :func:`run_within`).

    Args:
        worker: the thread still running the attempt (``None`` where there is none).

    Attributes:
        worker: the thread still running the attempt (``None`` where there is none).

    Examples:
        >>> DeadlinePassed().worker is None
        True
    """

    def __init__(self, worker: threading.Thread | None = None) -> None:
        super().__init__()
        self.worker = worker


def run_within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``'s result (or exception), if it is done within ``seconds``.

    ``call`` runs on a daemon thread, in a copy of the caller's context (``contextvars``); when the
    deadline passes first, the caller gets :class:`DeadlinePassed` and the thread is left to end on its own.

    Args:
        seconds: the deadline, from now, in seconds.
        call: the work; it must not need the calling thread.

    Returns:
        What ``call`` returned.

    Raises:
        DeadlinePassed: ``call`` was still running after ``seconds`` (its ``worker`` is the thread).
        BaseException: whatever ``call`` raised, unchanged.

    Examples:
        >>> run_within(5, lambda: 1 + 1)
        2
        >>> import time
        >>> run_within(0.01, lambda: time.sleep(1))
        Traceback (most recent call last):
        ...
        codescribe.llm.deadline.DeadlinePassed
    """
    outcome: list[tuple[bool, object]] = []
    done = threading.Event()
    context = contextvars.copy_context()

    def work() -> None:
        try:
            outcome.append((True, context.run(call)))
        except BaseException as exc:  # handed to the caller as it is
            outcome.append((False, exc))
        finally:
            done.set()

    worker = threading.Thread(target=work, name="codescribe-attempt", daemon=True)
    worker.start()
    if not done.wait(seconds):
        raise DeadlinePassed(worker)
    ok, value = outcome[0]
    if not ok:
        raise value  # type: ignore[misc]  # an exception, as stored
    return value  # type: ignore[return-value]  # call's result, as stored


def overdue(seconds: float, *, provider: str, operation: str, output_started: bool) -> LLMError:
    """The :class:`LLMError` of an attempt that passed its deadline: ``TIMEOUT``, retried like one
    unless text had reached the caller.

    Args:
        seconds: the deadline that passed (``LLMConfig.timeout``).
        provider: the provider's name.
        operation: ``generate`` or ``stream``.
        output_started: whether text had reached the caller's callback.

    Returns:
        The error, its message naming the deadline and the setting that sets it.

    Examples:
        >>> print(overdue(3, provider="openai", operation="stream", output_started=False))
        [openai] TIMEOUT: stream failed: no complete answer within 3 s (LLM_TIMEOUT is a deadline for each attempt). \
Raise LLM_TIMEOUT, or try again later.
    """
    return LLMError(
        f"{operation} failed: no complete answer within {seconds:g} s ({ENV.TIMEOUT} is a deadline for each "
        f"attempt). Raise {ENV.TIMEOUT}, or try again later.",
        error_type=ErrorType.TIMEOUT,
        provider=provider,
        operation=operation,
        output_started=output_started,
    )


class OpenAnswers:
    """The answers sync attempts are reading, by worker thread, so that a deadline can close one.

    A worker thread cannot be stopped from outside, but the answer it reads can be closed: the SDK's
    response (``with_streaming_response``) or stream, whose ``close()`` ends the connection, and the
    worker's next read fails. An answer that opens after its attempt's deadline is closed at once.

    Examples:
        >>> class Answer:
        ...     closed = False
        ...     def close(self):
        ...         self.closed = True
        >>> answers, answer = OpenAnswers(), Answer()
        >>> answers.hold(answer)
        >>> answers.abandon(threading.current_thread())  # the deadline passed: the answer is closed
        >>> answer.closed
        True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[threading.Thread, Any] = {}
        self._late: weakref.WeakSet[threading.Thread] = weakref.WeakSet()

    def hold(self, answer: Any) -> None:
        """Keep ``answer`` (anything with ``close()``) as the current thread's until :meth:`release`.

        Args:
            answer: the SDK's response or stream being read.

        Raises:
            DeadlinePassed: this thread's attempt is past its deadline already (``answer`` is closed).
        """
        thread = threading.current_thread()
        with self._lock:
            if thread not in self._late:
                self._open[thread] = answer
                return
        answer.close()
        raise DeadlinePassed

    def release(self) -> None:
        """Forget the current thread's answer (it was read, or failed)."""
        with self._lock:
            self._open.pop(threading.current_thread(), None)

    def abandon(self, worker: threading.Thread) -> None:
        """``worker``'s attempt is past its deadline: close the answer it reads, and any it opens later.

        Args:
            worker: the attempt's thread (:attr:`DeadlinePassed.worker`).
        """
        with self._lock:
            self._late.add(worker)
            answer = self._open.pop(worker, None)
        if answer is not None:
            with contextlib.suppress(Exception):  # a close that fails leaves the SDK's own time-out
                answer.close()
