"""CPU work of the async API, off the event loop: analysis, the offline engine's rendering, scoring.

The async methods (:meth:`~codescribe.engine.generator.DocGenerator.agenerate_documentation` ...) would
otherwise hold their event loop for as long as a large file takes to analyse and score: an HTTP service
(``codescribe serve``) would answer no one else meanwhile. Work on a large input goes to one worker thread
per process, one piece at a time: the interpreter runs one thread's Python at a time anyway, and Python
3.11's ``ast`` is not safe to use from two threads at once (CPython gh-106905: "AST constructor recursion
depth mismatch"). Work on a small input (under :data:`INLINE_CHARS`) stays on the loop while the worker is
idle: it takes about a millisecond, less than a hop to the thread and back under the GIL
(``bench/http_api.py``: at 20 clients, offloading every request added 40 ms at p50); while the worker is
busy, it queues behind, so that CodeScribe's CPU work runs on one thread at a time. Parsing Python is
guarded on its own as well (:func:`parse_python`): the sync API may be called from any thread.
"""

from __future__ import annotations

import ast
import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal, ParamSpec, TypeVar, overload

__all__ = ["INLINE_CHARS", "literal_eval", "off_the_loop", "parse_python"]

P = ParamSpec("P")
T = TypeVar("T")

#: Inputs shorter than this (characters of code or of a document) are worked on in the event loop itself.
INLINE_CHARS = 20_000


class _Worker:
    """One thread for CPU work, and a count of the jobs given to it and not done."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codescribe-cpu")
        self.lock = threading.Lock()
        self.outstanding = 0  # while there are any, no work runs beside the worker

    def admit(self, small: bool) -> bool:
        """Whether work may run in the calling thread (small, and the worker idle); else it is counted."""
        with self.lock:
            if small and self.outstanding == 0:
                return True
            self.outstanding += 1
            return False

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """Run ``call`` on the worker, in the caller's context; the count drops when it ends or is cancelled."""
        future = self.executor.submit(self._counted, contextvars.copy_context(), call)
        future.add_done_callback(self._uncount_if_cancelled)
        return future

    def _counted(self, context: contextvars.Context, call: Callable[[], T]) -> T:
        try:
            return context.run(call)
        finally:
            with self.lock:
                self.outstanding -= 1

    def _uncount_if_cancelled(self, future: Future[Any]) -> None:
        if future.cancelled():  # cancelled before it ran: _counted never counted it down
            with self.lock:
                self.outstanding -= 1


_WORKER = _Worker()


async def off_the_loop(size: int, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work(*args, **kwargs)``, on CodeScribe's CPU worker thread while the event loop goes on, when its
    input is large; in the caller's loop when it is small and the worker idle.

    The caller's context variables go with it (as with :func:`asyncio.to_thread`).

    Args:
        size: the input's size in characters (the code, the document): under :data:`INLINE_CHARS`, ``work``
            runs here, unless the worker is busy (two threads never parse at once).
        work: the function.
        args: its positional arguments.
        kwargs: its keyword arguments.

    Returns:
        What ``work`` returned.

    Raises:
        BaseException: whatever ``work`` raised, unchanged.

    Examples:
        >>> asyncio.run(off_the_loop(3, sum, [1, 2, 3])), asyncio.run(off_the_loop(10**6, sum, [1, 2, 3]))
        (6, 6)
    """
    if _WORKER.admit(small=size < INLINE_CHARS):
        return work(*args, **kwargs)
    return await asyncio.wrap_future(_WORKER.submit(functools.partial(work, *args, **kwargs)))


_PARSING = threading.Lock()
#: How many times :func:`parse_python` parses a source whose parse a thread outside CodeScribe upset.
_PARSE_TRIES = 3


@overload
def parse_python(source: str | bytes, filename: str = ..., mode: Literal["exec"] = ...) -> ast.Module: ...


@overload
def parse_python(source: str | bytes, filename: str = ..., *, mode: Literal["eval"]) -> ast.Expression: ...


def parse_python(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """:func:`ast.parse`, in one thread at a time.

    Python 3.11 keeps the state of its AST conversion per interpreter, not per thread: two threads parsing at
    once can fail with "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905). Every
    parse of Python source in CodeScribe goes through here (or through :func:`literal_eval`, which parses here).
    Code outside CodeScribe in the same process (another MkDocs plugin, the caller's own threads) does not take
    the lock, so that error, which says nothing of the source, is answered by parsing again (up to
    :data:`_PARSE_TRIES` times in all).

    Args:
        source: the source text.
        filename: the name its errors give.
        mode: ``exec`` for a module, ``eval`` for an expression.

    Returns:
        The tree (an :class:`ast.Module`, or an :class:`ast.Expression` for ``eval``).

    Raises:
        SyntaxError: the source does not parse.
        RecursionError: the source nests deeper than the parser can go.

    Examples:
        >>> type(parse_python("x = 1")).__name__, type(parse_python("1 + 2", mode="eval")).__name__
        ('Module', 'Expression')
    """
    with _PARSING:
        for _ in range(_PARSE_TRIES - 1):
            try:
                return ast.parse(source, filename=filename, mode=mode)
            except SystemError as error:
                if "recursion depth mismatch" not in str(error):
                    raise
        return ast.parse(source, filename=filename, mode=mode)


def literal_eval(text: str) -> Any:
    """:func:`ast.literal_eval` of a string, parsed by :func:`parse_python` (one thread at a time).

    :func:`ast.literal_eval` given a string parses it with :func:`ast.parse` itself, outside the lock: on Python
    3.11 that raced a parse in another thread (the live click test failed so).

    Args:
        text: a Python literal's source (``"'x'"``, ``"[1, 2]"``); leading spaces and tabs are ignored, as
            :func:`ast.literal_eval` ignores them.

    Returns:
        The literal's value.

    Raises:
        ValueError: ``text`` is an expression, not a literal.
        TypeError: the literal holds an unhashable key (``{[]: 1}``).
        SyntaxError: ``text`` does not parse.
        RecursionError: ``text`` nests deeper than the parser can go.
        MemoryError: ``text`` is too large to evaluate.

    Examples:
        >>> literal_eval(" ['a', 1]"), literal_eval("'doc'")
        (['a', 1], 'doc')
    """
    return ast.literal_eval(parse_python(text.lstrip(" \t"), mode="eval"))
