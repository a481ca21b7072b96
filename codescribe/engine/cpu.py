"""CPU work of the async API, off the event loop: analysis, the offline engine's rendering, scoring.

The async methods (:meth:`~codescribe.engine.generator.DocGenerator.agenerate_documentation` ...) would
otherwise hold their event loop for as long as a large file takes to analyse and score: an HTTP service
(``codescribe serve``) would answer no one else meanwhile. The work goes to one worker thread per process,
one piece at a time: the interpreter runs one thread's Python at a time anyway, and Python 3.11's ``ast``
is not safe to use from two threads at once (CPython gh-106905: "AST constructor recursion depth mismatch").
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["off_the_loop"]

P = ParamSpec("P")
T = TypeVar("T")

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codescribe-cpu")


async def off_the_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work(*args, **kwargs)``, run on CodeScribe's CPU worker thread while the event loop goes on.

    The caller's context variables go with it (as with :func:`asyncio.to_thread`).

    Args:
        work: the function.
        args: its positional arguments.
        kwargs: its keyword arguments.

    Returns:
        What ``work`` returned.

    Raises:
        BaseException: whatever ``work`` raised, unchanged.

    Examples:
        >>> asyncio.run(off_the_loop(sum, [1, 2, 3]))
        6
    """
    context = contextvars.copy_context()
    call = functools.partial(context.run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_WORKER, call)
