"""Worker processes for big runs: one event loop per core, each running samples concurrently.

A sample spends most of its CPU in the SDK call and in scoring, and one Python process uses
one core; so a run of hundreds of samples is shared among worker processes. The runner stays
the one scheduler: it decides when a sample starts (each system's concurrency and rate limit),
answers the workers' budget reservations, and alone writes the results store. A worker only
executes the samples it is handed::

    runner → worker   ("run", SampleKey)            start this sample
                      ("granted", sample_id, bool)  the answer to a reservation
                      ("stop",)                     no more samples: exit
    worker → runner   ("reserve", sample_id, system, prompt_chars)
                      ("record", sample_id, record)
                      ("failed", sample_id, traceback)  a bug, not a failed call: the run stops

A worker whose runner dies (even by ``kill -9``) reads the end of its pipe and exits; the
samples it had in hand were never stored, so a resumed run makes them again. When a worker
dies, the runner retires it and places the samples it held on the others (a sample that
outlives two workers is recorded as a ``WORKER`` error); the run fails only when no worker is
left. A failure that is a bug comes back as :class:`WorkerDied`, its traceback redacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..llm.errors import redact
from .execute import RunSetup, SampleExecutor, SampleKey
from .execute import sample_id as sample_id_of

__all__ = ["START_METHOD", "WorkerDied", "WorkerLost", "WorkerPool"]

#: How workers start: ``None`` forks on Linux (they inherit the imported SDKs: fast) and spawns
#: elsewhere (macOS and Windows, where forking a process with threads is unsafe or impossible).
START_METHOD: str | None = None


class WorkerDied(RuntimeError):
    """A sample failed inside a worker for a reason that is a bug (its traceback is the message)."""


class WorkerLost(RuntimeError):
    """The worker a sample was given to exited before the sample's record came back."""

    def __init__(self, worker: int, reason: str) -> None:
        super().__init__(reason)
        self.worker = worker


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the chosen context
    connection: Connection
    pending: dict[str, asyncio.Future[dict[str, Any]]]
    alive: bool = True


class WorkerPool:
    """``count`` worker processes; :meth:`run` executes one sample on the least busy one."""

    def __init__(self, count: int, setup: RunSetup, reserve: Callable[[str, str, int], bool]) -> None:
        self.setup = setup
        self.reserve = reserve
        self.count = count
        self.workers: list[_Worker] = []

    def start(self) -> None:
        """Start the workers (call from the thread that runs the event loop, before any other thread starts)."""
        _reap_stopped()
        method = START_METHOD or ("fork" if sys.platform == "linux" else "spawn")
        forking = method == "fork"
        context: Any = multiprocessing.get_context(method)
        loop = asyncio.get_running_loop()
        try:
            self._start(context, forking, loop)
        except BaseException:  # a fork refused half-way: no worker is left behind
            for worker in self.workers:
                loop.remove_reader(worker.connection.fileno())
                worker.process.kill()
                worker.process.join()
                worker.connection.close()
            self.workers.clear()
            raise

    def _start(self, context: Any, forking: bool, loop: asyncio.AbstractEventLoop) -> None:
        for index in range(self.count):
            ours, theirs = context.Pipe()
            # A forked worker inherits the runner's ends of its pipes, and would never read the
            # end of its own if it kept them open: it closes them first.
            inherited = [*(worker.connection for worker in self.workers), ours] if forking else []
            process = context.Process(target=_work, args=(theirs, self.setup, index, inherited), daemon=True,
                                      name=f"codescribe-eval-{index}")  # fmt: skip
            process.start()
            theirs.close()
            worker = _Worker(process, ours, {})
            self.workers.append(worker)
            loop.add_reader(ours.fileno(), self._readable, worker)

    async def run(self, key: SampleKey, sample_id: str, index: int) -> dict[str, Any]:
        """The record of one sample, made by worker ``index``."""
        worker = self.workers[index]
        if worker.alive:
            try:
                worker.connection.send(("run", key))
            except OSError:
                self._lost(worker)
        if not worker.alive:
            raise WorkerLost(index, self._reason(worker))
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        worker.pending[sample_id] = future
        return await future

    def _readable(self, worker: _Worker) -> None:
        try:
            while worker.connection.poll():
                message = worker.connection.recv()
                kind, sample_id = message[0], message[1]
                if kind == "reserve":
                    worker.connection.send(("granted", sample_id, self.reserve(sample_id, message[2], message[3])))
                elif kind == "record":
                    worker.pending.pop(sample_id).set_result(message[2])
                elif kind == "failed":
                    failure = WorkerDied(f"sample {sample_id} failed in a worker:\n{message[2]}")
                    worker.pending.pop(sample_id).set_exception(failure)
        except (EOFError, OSError):
            self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        """``worker`` exited: the samples it held fail with :class:`WorkerLost` (the runner places them again)."""
        if not worker.alive:
            return
        asyncio.get_running_loop().remove_reader(worker.connection.fileno())
        worker.alive = False
        worker.process.join(timeout=1)  # it is gone already: this only reads its exit code
        index = self.workers.index(worker)
        for future in worker.pending.values():
            if not future.done():
                future.set_exception(WorkerLost(index, self._reason(worker)))
        worker.pending.clear()

    @staticmethod
    def _reason(worker: _Worker) -> str:
        return f"the worker process {worker.process.name} exited (code {worker.process.exitcode})"

    async def close(self) -> None:
        """Tell the workers to stop, and return: each closes its clients and exits on its own, and is
        reaped when the next pool starts (one still running then is killed) or, at the latest,
        when this process exits. Waiting for them cost a run about 10 ms, every result being in."""
        loop = asyncio.get_running_loop()
        for worker in self.workers:
            if worker.alive:
                loop.remove_reader(worker.connection.fileno())
                with contextlib.suppress(OSError):  # it may be gone already
                    worker.connection.send(("stop",))
            worker.connection.close()  # a worker that missed "stop" reads the end of the pipe: it exits too
            _stopped.append(worker.process)
        self.workers.clear()


#: Workers told to stop, not reaped yet.
_stopped: list[Any] = []


def _reap_stopped(grace: float = 1.0) -> None:
    """Reap the workers of earlier runs (killing any still running after ``grace`` seconds)."""
    while _stopped:
        process = _stopped.pop()
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join()


# -- inside a worker ---------------------------------------------------------------------------


def _work(connection: Connection, setup: RunSetup, index: int, inherited: list[Connection]) -> None:
    for runner_end in inherited:
        runner_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle; it stops us
    asyncio._set_running_loop(None)  # forked inside the runner's loop: this process runs its own
    asyncio.run(_serve(connection, SampleExecutor(setup, index)))


async def _serve(connection: Connection, executor: SampleExecutor) -> None:
    loop = asyncio.get_running_loop()
    secrets = executor.secrets()
    grants: dict[str, asyncio.Future[bool]] = {}
    running: set[asyncio.Task[None]] = set()
    finished = loop.create_future()

    async def reserve(sample_id: str, system: str, prompt_chars: int) -> bool:
        grants[sample_id] = loop.create_future()
        connection.send(("reserve", sample_id, system, prompt_chars))
        return await grants[sample_id]

    async def run(key: SampleKey) -> None:
        sample_id = sample_id_of(key, executor.files[key.file])
        try:
            record = await executor.run(key, reserve)
        except Exception:
            connection.send(("failed", sample_id, redact(traceback.format_exc(), secrets)))
        else:
            connection.send(("record", sample_id, record))

    def readable() -> None:
        try:
            while connection.poll():
                message = connection.recv()
                if message[0] == "run":
                    task = loop.create_task(run(message[1]))
                    running.add(task)
                    task.add_done_callback(running.discard)
                elif message[0] == "granted":
                    grants.pop(message[1]).set_result(message[2])
                elif not finished.done():  # "stop"
                    finished.set_result(None)
        except (EOFError, OSError):  # the runner is gone
            if not finished.done():
                finished.set_result(None)

    loop.add_reader(connection.fileno(), readable)
    gc.freeze()  # what was built so far lives as long as the worker
    await finished
    loop.remove_reader(connection.fileno())
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    await executor.aclose()
