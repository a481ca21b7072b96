"""The results store: one JSON line per finished sample, appended and synced, never rewritten.

A run survives ``kill -9``: each line is handed to the operating system as soon as its sample
ends (what a killed process wrote stays written), a torn last line is ignored on reading, and
a resumed run skips the samples already there (a sample id appearing twice is read once), so
nothing is lost and nothing counted twice. A background thread fsyncs the file after each
batch of lines (a group commit: one fsync, at most every :data:`SYNC_INTERVAL`, covers every
line written since the last), so the event loop never waits for the disk; a power cut may lose
the lines of the last moments, and a resumed run makes those samples again.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

logger = logging.getLogger("codescribe.evals")

__all__ = ["BUDGET_FILE", "DOCUMENTS_FILE", "PAIRWISE_FILE", "SCHEMA_VERSION", "ResultStore", "documents_store"]

#: Seconds between a store's background fsyncs at most: lines written meanwhile share the next one
#: (one fsync and one thread wake-up per line cost the runner 0.1 ms a line).
SYNC_INTERVAL = 0.05
#: Bumped when a sample's fields change meaning; recorded in every line.
SCHEMA_VERSION = 1
#: A run's pairwise judge verdicts, one record per ``pair_id``, beside ``results.jsonl``.
PAIRWISE_FILE = "pairwise.jsonl"
#: A run's documents, ``{"sample_id", "document"}`` per line, each written before its result.
DOCUMENTS_FILE = "documents.jsonl"
#: A budgeted run's reservations, ``{"key", "reserved": usd}`` before each call is allowed, and
#: ``{"key", "lost": usd}`` for an attempt whose worker died: what a resume must count as spent.
BUDGET_FILE = "budget.jsonl"


class ResultStore:
    """``<runs_dir>/<run_id>/results.jsonl`` plus ``run.json`` describing the run.

    ``name`` and ``key`` serve other stores of a run the same way (``pairwise.jsonl``, one
    record per ``pair_id``).
    """

    def __init__(self, run_dir: Path, name: str = "results.jsonl", key: str = "sample_id") -> None:
        self.run_dir = run_dir
        self.path = run_dir / name
        self.key = key
        self._lock = threading.Lock()
        self._file: TextIO | None = None
        self._written = threading.Event()  # lines were written since the last fsync
        self._stopping = threading.Event()
        self._closing = False
        self._syncer: threading.Thread | None = None

    def start(self, description: dict[str, Any]) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        info = self.run_dir / "run.json"
        if not info.exists():
            info.write_text(json.dumps(description, indent=2, default=str), encoding="utf-8")

    def lines(self) -> Iterator[dict[str, Any]]:
        """Every complete record with a key, in the order written (a line torn by a kill is skipped)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line torn by a kill mid-write
            if isinstance(record, dict) and record.get(self.key) is not None:
                yield record

    def records(self) -> Iterator[dict[str, Any]]:
        """Every complete record, each key (sample id) once (the first complete one wins)."""
        seen: set[str] = set()
        for record in self.lines():
            if record[self.key] not in seen:
                seen.add(record[self.key])
                yield record

    def latest(self) -> dict[str, dict[str, Any]]:
        """The last complete record of each key: a sample redone after a kill supersedes what the
        killed attempt left (documents, written before their result)."""
        return {record[self.key]: record for record in self.lines()}

    def completed(self) -> set[str]:
        return {record[self.key] for record in self.records()}

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        with self._lock:
            file = self._open()
            file.write(line + "\n")
            file.flush()
        if not self._written.is_set():  # setting it again would only take its lock
            self._written.set()

    def _sync_in_background(self, descriptor: int) -> None:
        while True:
            self._written.wait()
            self._written.clear()
            try:
                os.fsync(descriptor)
            except OSError as exc:  # the lines are written; only their trip to the disk is in doubt
                logger.warning("%s: fsync failed (%s); the records are written but may not be on disk yet",
                               self.path, exc)  # fmt: skip
            if self._closing:
                return  # close() makes the last fsync
            self._stopping.wait(SYNC_INTERVAL)  # let lines gather for the next one (close() cuts this short)

    def _open(self) -> TextIO:
        if self._file is None:
            torn = self.path.is_file() and self.path.stat().st_size > 0 and not self._ends_with_newline()
            self._file = self.path.open("a", encoding="utf-8")
            if torn:
                self._file.write("\n")  # close a line torn by a kill, so the next record stands alone
            self._closing = False
            self._stopping.clear()
            self._syncer = threading.Thread(target=self._sync_in_background, args=(self._file.fileno(),),
                                            name="codescribe-results-fsync", daemon=True)  # fmt: skip
            self._syncer.start()
        return self._file

    def close(self) -> None:
        """Wait for the last fsync, then close the file."""
        if self._syncer is not None:
            self._closing = True
            self._stopping.set()
            self._written.set()
            self._syncer.join()
            self._syncer = None
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as file:
            file.seek(-1, os.SEEK_END)
            return file.read(1) == b"\n"


def documents_store(run_dir: Path) -> ResultStore:
    return ResultStore(run_dir, DOCUMENTS_FILE)
