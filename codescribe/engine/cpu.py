"""CPU work of the async API, off the event loop: analysis, the offline engine's rendering, scoring.

The async methods (:meth:`~codescribe.engine.generator.DocGenerator.agenerate_documentation` ...) would
otherwise hold their event loop for as long as a large file takes to analyse and score: an HTTP service
(``codescribe serve``) would answer no one else meanwhile. Work on a large input goes to one worker thread
per process, one piece at a time: the interpreter runs one thread's Python at a time anyway, and Python
3.11's ``ast`` is not safe to use from two threads at once (CPython gh-106905: "AST constructor recursion
depth mismatch"). Work on a small input (under :data:`INLINE_CHARS`) stays on the loop: it takes about a
millisecond, less than a hop to the thread and back under the GIL (``bench/http_api.py``: at 20 clients,
offloading every request added 40 ms at p50).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["INLINE_CHARS", "off_the_loop"]

P = ParamSpec("P")
T = TypeVar("T")

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codescribe-cpu")
#: Inputs shorter than this (characters of code or of a document) are worked on in the event loop itself.
INLINE_CHARS = 20_000


async def off_the_loop(size: int, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work(*args, **kwargs)``, on CodeScribe's CPU worker thread while the event loop goes on, when its
    input is large; in the caller's loop when it is small.

    The caller's context variables go with it (as with :func:`asyncio.to_thread`).

    Args:
        size: the input's size in characters (the code, the document): under :data:`INLINE_CHARS`, ``work``
            runs here.
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
    if size < INLINE_CHARS:
        return work(*args, **kwargs)
    context = contextvars.copy_context()
    call = functools.partial(context.run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_WORKER, call)
