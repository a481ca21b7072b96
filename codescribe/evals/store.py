"""The results store: one JSON line per finished sample, appended and synced, never rewritten.

A run survives ``kill -9``: each line is flushed and fsynced before the next sample starts,
a torn last line is ignored on reading, and a resumed run skips the samples already there
(a sample id appearing twice is read once), so nothing is lost and nothing counted twice.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

__all__ = ["SCHEMA_VERSION", "ResultStore"]

#: Bumped when a sample's fields change meaning; recorded in every line.
SCHEMA_VERSION = 1


class ResultStore:
    """``<runs_dir>/<run_id>/results.jsonl`` plus ``run.json`` describing the run."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.path = run_dir / "results.jsonl"
        self._lock = threading.Lock()
        self._file: TextIO | None = None

    def start(self, description: dict[str, Any]) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        info = self.run_dir / "run.json"
        if not info.exists():
            info.write_text(json.dumps(description, indent=2, default=str), encoding="utf-8")

    def records(self) -> Iterator[dict[str, Any]]:
        """Every complete record, each sample id once (the first complete one wins)."""
        seen: set[str] = set()
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line torn by a kill mid-write
            sample = record.get("sample_id")
            if isinstance(record, dict) and sample not in seen:
                seen.add(sample)
                yield record

    def completed(self) -> set[str]:
        return {record["sample_id"] for record in self.records()}

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        with self._lock:
            file = self._open()
            file.write(line + "\n")
            file.flush()
            os.fsync(file.fileno())

    def _open(self) -> TextIO:
        if self._file is None:
            torn = self.path.is_file() and self.path.stat().st_size > 0 and not self._ends_with_newline()
            self._file = self.path.open("a", encoding="utf-8")
            if torn:
                self._file.write("\n")  # close a line torn by a kill, so the next record stands alone
        return self._file

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as file:
            file.seek(-1, os.SEEK_END)
            return file.read(1) == b"\n"
