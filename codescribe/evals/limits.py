"""Each system's limits, kept across worker processes: calls in flight, and calls per minute.

A system's ``concurrency`` bounds the calls in flight, not the work around them: a sample
reads, analyses and renders before its call and scores after it without holding a slot, so
the next call starts the moment one ends. With several workers, a system's concurrency and
rate are split among them (:func:`split`), so the sums never exceed the suite's limits;
:class:`Placement` hands each worker a few samples more than its slots, ready to start.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType

__all__ = ["CallGate", "Placement", "RateLimit", "split"]


def split(total: int, parts: int) -> list[int]:
    """``total`` shared as evenly as whole numbers allow: ``split(5, 2) == [3, 2]``."""
    return [total // parts + (index < total % parts) for index in range(parts)]


class RateLimit:
    """Spaces call starts ``60 / rpm`` seconds apart (no limit for ``None``)."""

    def __init__(self, rpm: float | None) -> None:
        self.interval = 60.0 / rpm if rpm else 0.0
        self.next_start = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self.next_start)
        self.next_start = start + self.interval  # claimed before sleeping: no lock needed
        if start > now:
            await asyncio.sleep(start - now)


class CallGate:
    """``async with gate:`` around one call: a slot of ``concurrency``, then the rate's turn."""

    def __init__(self, concurrency: int, rpm: float | None) -> None:
        self.slots = asyncio.Semaphore(concurrency)
        self.rate = RateLimit(rpm)

    async def __aenter__(self) -> None:
        await self.slots.acquire()
        try:
            await self.rate.wait()
        except BaseException:
            self.slots.release()
            raise

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.slots.release()


def headroom(slots: int) -> int:
    """Samples a worker holds beyond its slots, ready to start when a call ends."""
    return max(1, slots // 4) if slots else 0


class Placement:
    """Which worker takes a system's next sample: one with room, the least loaded.

    ``slots[worker][system]`` is the worker's share of the system's concurrency; a worker
    holds at most that many samples plus :func:`headroom` of the system at once.
    """

    def __init__(self, slots: list[dict[str, int]]) -> None:
        self.limits = [{system: share + headroom(share) for system, share in worker.items()} for worker in slots]
        self.in_hand = [dict.fromkeys(worker, 0) for worker in slots]
        systems = {system for worker in slots for system in worker}
        self.room = {system: asyncio.Semaphore(sum(limit.get(system, 0) for limit in self.limits))
                     for system in systems}  # fmt: skip

    async def take(self, system: str) -> int:
        """Wait for room, then the worker the sample goes to."""
        await self.room[system].acquire()
        open_workers = [index for index, limit in enumerate(self.limits)
                        if self.in_hand[index][system] < limit.get(system, 0)]  # fmt: skip
        worker = min(open_workers, key=lambda index: self.in_hand[index][system] / self.limits[index][system])
        self.in_hand[worker][system] += 1
        return worker

    def give_back(self, system: str, worker: int) -> None:
        self.in_hand[worker][system] -= 1
        self.room[system].release()
