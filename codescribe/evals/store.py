"""The results store: one JSON line per finished sample, appended, never rewritten.

A run survives ``kill -9``: each line is handed to the operating system as soon as its sample
ends (what a killed process wrote stays written), a torn last line is ignored on reading, and
a resumed run skips the samples already there (a sample id appearing twice is read once), so
nothing is lost and nothing counted twice. The file is fsynced when the store closes; a power
cut before that may lose the last lines, and a resumed run makes those samples again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

__all__ = ["BUDGET_FILE", "DOCUMENTS_FILE", "PAIRWISE_FILE", "SCHEMA_VERSION", "ResultStore", "documents_store"]

#: Bumped when a sample's fields change meaning; recorded in every line.
SCHEMA_VERSION = 1
#: A run's pairwise judge verdicts, one record per ``pair_id``, beside ``results.jsonl``.
PAIRWISE_FILE = "pairwise.jsonl"
#: A run's documents, ``{"sample_id", "document"}`` per line, each written before its result.
DOCUMENTS_FILE = "documents.jsonl"
#: A budgeted run's reservations, ``{"key", "reserved": usd}`` before each call is allowed, and
#: what a resume must count as spent for a call that was in flight when the run was killed.
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
        self._file: TextIO | None = None

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
        """Write ``record`` as one line and hand it to the operating system (it survives a kill)."""
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        file = self._open()
        file.write(line + "\n")
        file.flush()

    def _open(self) -> TextIO:
        if self._file is None:
            torn = self.path.is_file() and self.path.stat().st_size > 0 and not self._ends_with_newline()
            self._file = self.path.open("a", encoding="utf-8")
            if torn:
                self._file.write("\n")  # close a line torn by a kill, so the next record stands alone
        return self._file

    def close(self) -> None:
        """Sync the file to disk and close it (a later :meth:`append` opens it again)."""
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
