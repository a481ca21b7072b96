"""Each system's limits, kept across worker processes: calls in flight, and calls per minute.

A system's ``concurrency`` bounds the calls in flight, not the work around them: a sample
reads, analyses and renders before its call and scores after it without holding a slot, so
the next call starts the moment one ends. With several workers, a system's concurrency and
rate are split among them (:func:`split`), so the sums never exceed the suite's limits;
:class:`Placement` hands each worker more samples than its slots: some ready to start, others
scoring. Scoring waits in a :class:`Lane` for a lull in the answers.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Coroutine, Iterable
from types import TracebackType
from typing import Any

__all__ = ["RAMP_INTERVAL", "CallGate", "Lane", "NoWorkerLeft", "Placement", "Spacing", "headroom", "run_all", "split"]


async def run_all(jobs: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run ``jobs`` concurrently; if one fails, cancel the others and wait for them before raising
    its error (so nothing is still writing after the caller has closed its stores)."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def split(total: int, parts: int) -> list[int]:
    """``total`` shared as evenly as whole numbers allow: ``split(5, 2) == [3, 2]``."""
    return [total // parts + (index < total % parts) for index in range(parts)]


class Spacing:
    """Spaces starts ``interval`` seconds apart: all of them, or only the first ``count``."""

    def __init__(self, interval: float, count: int | None = None) -> None:
        self.interval = interval
        self.left = count
        self.next_start = 0.0

    @classmethod
    def per_minute(cls, rpm: float | None) -> Spacing:
        """A rate limit: ``rpm`` starts a minute (no limit for ``None``)."""
        return cls(60.0 / rpm if rpm else 0.0)

    async def wait(self) -> None:
        if not self.interval or self.left == 0:
            return
        if self.left is not None:
            self.left -= 1
        now = time.monotonic()
        start = max(now, self.next_start)
        self.next_start = start + self.interval  # claimed before sleeping: no lock needed
        if start > now:
            await asyncio.sleep(start - now)


#: Seconds between the starts of a gate's first wave of calls (see :class:`CallGate`): about what
#: one call's request costs the client to build and send.
RAMP_INTERVAL = 0.001


class CallGate:
    """``async with gate:`` around one call: a slot of ``concurrency``, then the rate's turn; on
    leaving, with a :class:`Lane`, the turn of the work that follows the call (its scoring).

    With ``ramp``, the first ``concurrency`` calls start ``ramp`` seconds apart rather than at
    once. Started together, each call's request was built and then left waiting for its
    connection while the others were built, so they all went out at the end, late, in one
    burst, and their answers came back as one; spaced, each goes out as soon as it is built.
    """

    def __init__(self, concurrency: int, rpm: float | None, lane: Lane | None = None, *, ramp: float = 0.0) -> None:
        self.slots = asyncio.Semaphore(concurrency)
        self.rate = Spacing.per_minute(rpm)
        self.ramp = Spacing(ramp, count=concurrency)
        self.lane = lane

    async def __aenter__(self) -> None:
        await self.slots.acquire()
        try:
            await self.ramp.wait()
            await self.rate.wait()
        except BaseException:
            self.slots.release()
            raise

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.slots.release()
        if self.lane is not None and kind is None:  # a failed or cancelled call goes on at once
            await self.lane.turn()


class Lane:
    """Where the CPU work that follows a call (scoring: a millisecond or so) waits, so that answers
    are read and the next calls sent first. Each gate has its own (a system's samples never wait
    behind another's).

    Answers come in bursts: a wave of calls that started together ends together. Scored as each
    answer came, a burst held the next calls back by tens of milliseconds, and the bursts grew.
    So the work waits its turn, one at a time, until no call has ended for ``quiet`` seconds: in
    the lull after a burst. It never waits longer than ``patience``, nor while more than
    ``backlog`` samples are waiting (it then goes at once, one per turn of the loop): samples
    waiting here hold a place in their worker, so ``backlog`` is the gate's :func:`headroom`.
    """

    def __init__(self, backlog: int, *, quiet: float = 0.002, patience: float = 0.05) -> None:
        self.backlog = backlog
        self.quiet = quiet
        self.patience = patience
        self.waiting = 0
        self.last_end = 0.0
        self._lock = asyncio.Lock()
        self._nap: asyncio.Future[None] | None = None  # the wait for a lull, cut short by a full backlog

    async def turn(self) -> None:
        """Return when the work after a call that has just ended may run."""
        self.last_end = time.monotonic()
        self.waiting += 1
        if self.waiting > self.backlog and self._nap is not None:
            _wake(self._nap)  # the sample waiting for a lull goes now
        try:
            async with self._lock:
                await asyncio.sleep(0)  # a turn of the loop: the call waiting for the slot goes out first
                give_up = time.monotonic() + self.patience
                while self.waiting <= self.backlog:
                    now = time.monotonic()
                    calm = now - self.last_end
                    if calm >= self.quiet or now >= give_up:
                        break
                    await self._doze(min(self.quiet - calm, give_up - now))
        finally:
            self.waiting -= 1

    async def _doze(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self._nap = nap = loop.create_future()
        timer = loop.call_later(seconds, _wake, nap)
        try:
            await nap
        finally:
            timer.cancel()
            self._nap = None


def _wake(nap: asyncio.Future[None]) -> None:
    if not nap.done():
        nap.set_result(None)


def headroom(slots: int) -> int:
    """Samples a worker holds beyond its slots: ready to start when a call ends, or being scored
    (its :class:`Lane` holds back no more than these, so the calls in flight stay at the slots)."""
    return max(1, slots // 4) if slots else 0


class NoWorkerLeft(RuntimeError):
    """Every worker that could run a system's samples has exited."""


class Placement:
    """Which worker takes a system's next sample: one with room, the least loaded.

    ``slots[worker][system]`` is the worker's share of the system's concurrency; a worker
    holds at most that many samples plus :func:`headroom` of the system at once. A worker that
    has exited is retired: it gets nothing more, and its share goes to no one (the suite's
    limits hold), so the others carry on at their own pace.
    """

    def __init__(self, slots: list[dict[str, int]]) -> None:
        self.limits = [{system: share + headroom(share) for system, share in worker.items()} for worker in slots]
        self.in_hand = [dict.fromkeys(worker, 0) for worker in slots]
        self.waiting: dict[str, deque[asyncio.Future[None]]] = {}

    async def take(self, system: str) -> int:
        """Wait for room, then the worker the sample goes to."""
        while True:
            open_workers = [index for index, limit in enumerate(self.limits)
                            if self.in_hand[index].get(system, 0) < limit.get(system, 0)]  # fmt: skip
            if open_workers:
                worker = min(open_workers, key=lambda index: self.in_hand[index][system] / self.limits[index][system])
                self.in_hand[worker][system] += 1
                return worker
            if not any(limit.get(system, 0) for limit in self.limits):
                raise NoWorkerLeft(f"every worker process that could run {system} has exited")
            turn = asyncio.get_running_loop().create_future()
            self.waiting.setdefault(system, deque()).append(turn)
            await turn

    def give_back(self, system: str, worker: int) -> None:
        self.in_hand[worker][system] -= 1
        self._wake(system)

    def retire(self, worker: int) -> None:
        """``worker`` has exited: place nothing more on it (waiters look again, or learn none is left)."""
        self.limits[worker] = dict.fromkeys(self.limits[worker], 0)
        for system in list(self.waiting):
            self._wake(system, everyone=True)

    def _wake(self, system: str, *, everyone: bool = False) -> None:
        queue = self.waiting.get(system)
        while queue:
            turn = queue.popleft()
            if not turn.done():
                turn.set_result(None)
                if not everyone:
                    return
