"""CPU work of the async API off the event loop, and never on two threads at once.

Python 3.11's ``ast`` is not thread-safe (CPython gh-106905): the live click test failed with "AST constructor
recursion depth mismatch" when a small file was analysed in the loop's thread while a large one was on the worker.
"""

from __future__ import annotations

import asyncio
import threading

from codescribe.engine.cpu import INLINE_CHARS, off_the_loop


def test_small_work_runs_in_the_loop_and_large_work_on_the_worker() -> None:
    async def main() -> tuple[str, str]:
        here = await off_the_loop(1, lambda: threading.current_thread().name)
        there = await off_the_loop(INLINE_CHARS, lambda: threading.current_thread().name)
        return here, there

    here, there = asyncio.run(main())

    assert here == threading.current_thread().name
    assert there.startswith("codescribe-cpu")


def test_small_work_waits_behind_the_worker_rather_than_run_beside_it() -> None:
    started, release = threading.Event(), threading.Event()
    overlapped: list[bool] = []

    def large() -> str:
        started.set()
        release.wait(timeout=10)
        return threading.current_thread().name

    def small() -> str:
        overlapped.append(started.is_set() and not release.is_set())  # running while the large one runs?
        return threading.current_thread().name

    async def main() -> tuple[str, str, str]:
        first = asyncio.create_task(off_the_loop(INLINE_CHARS, large))
        await asyncio.to_thread(started.wait, 10)
        second = asyncio.create_task(off_the_loop(1, small))
        await asyncio.sleep(0.05)  # the small job had its chance to run here, in the loop: it must not take it
        release.set()
        return await first, await second, await off_the_loop(1, lambda: threading.current_thread().name)

    large_on, small_on, afterwards = asyncio.run(main())

    assert overlapped == [False]
    assert large_on.startswith("codescribe-cpu")
    assert small_on.startswith("codescribe-cpu")  # queued behind the large one
    assert afterwards == threading.current_thread().name  # the worker idle again: small work stays in the loop
