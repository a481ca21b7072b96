"""A run's store: one SQLite database (``<run>/run.sqlite``, WAL mode) beside ``run.json``.

It holds the samples' records, their documents, the pairwise verdicts and the budget's
reservations. A sample's record, its document and the release of its reservations are written in
one transaction, so a run killed at any moment (``kill -9``) holds every finished sample whole and
nothing half: a resumed run skips the samples it finds and makes the others. A reservation is
committed before its call may go; one still there when a run resumes was a call in flight at the
kill, which may have been billed, so it is kept as spent (``lost``), at its worst case.

Records are stored as JSON (their fields change with the schema version, :data:`SCHEMA_VERSION`);
``codescribe.evals.reporting`` reads them into pandas.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["DATABASE", "SCHEMA_VERSION", "RunStore"]

#: The database file of a run.
DATABASE = "run.sqlite"
#: Bumped when a sample's fields change meaning; recorded in every record.
SCHEMA_VERSION = 2

_TABLES = """
CREATE TABLE IF NOT EXISTS results (sample_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (sample_id TEXT PRIMARY KEY, document TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS verdicts (pair_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reservations (key TEXT PRIMARY KEY, usd REAL NOT NULL);
CREATE TABLE IF NOT EXISTS lost (key TEXT NOT NULL, usd REAL NOT NULL);
"""


class RunStore:
    """The store of the run in ``run_dir`` (created on :meth:`start`, read by the other methods).

    Args:
        run_dir: the run's folder, ``<runs_dir>/<run_id>``.
    """

    def __init__(self, run_dir: Path, *, read_only: bool = False) -> None:
        self.run_dir = run_dir
        self.path = run_dir / DATABASE
        self.read_only = read_only
        self._db: sqlite3.Connection | None = None

    def start(self, description: dict[str, Any]) -> None:
        """Create the run's folder, ``run.json`` (kept from the first attempt) and the database.

        Raises:
            ValueError: the folder holds a run written by an older CodeScribe (``results.jsonl``),
                which this one cannot resume.
        """
        if (self.run_dir / "results.jsonl").is_file() and not self.exists():
            raise ValueError(
                f"{self.run_dir} holds a run written by an older CodeScribe (results.jsonl), which this version "
                "cannot resume or report on: start a new run (without --run-id)."
            )
        self.run_dir.mkdir(parents=True, exist_ok=True)
        info = self.run_dir / "run.json"
        if not info.exists():
            info.write_text(json.dumps(description, indent=2, default=str), encoding="utf-8")
        self._connection()

    def exists(self) -> bool:
        """Whether the run has a database (a run folder that was started)."""
        return self.path.is_file()

    # -- samples -------------------------------------------------------------------------------

    def finish(self, record: dict[str, Any], document: str | None, settled: Iterable[str] = ()) -> None:
        """Store a finished sample in one transaction: its record, its document (if kept), and the
        release of its reservations (``settled`` keys), so a kill never leaves one without the others."""
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        with self._connection() as db:
            db.execute("INSERT OR IGNORE INTO results VALUES (?, ?)", (record["sample_id"], line))
            if document is not None:
                db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?)", (record["sample_id"], document))
            db.executemany("DELETE FROM reservations WHERE key = ?", [(key,) for key in settled])

    def records(self) -> list[dict[str, Any]]:
        """Every finished sample's record, in the order they finished."""
        return [json.loads(row[0]) for row in self._read("SELECT record FROM results ORDER BY rowid")]

    def completed(self) -> set[str]:
        """The ids of the finished samples."""
        return {row[0] for row in self._read("SELECT sample_id FROM results")}

    def documents(self) -> dict[str, str]:
        """Each kept document, by sample id."""
        return dict(self._read("SELECT sample_id, document FROM documents"))

    # -- pairwise verdicts -----------------------------------------------------------------------

    def add_verdict(self, record: dict[str, Any]) -> None:
        """Store a pairwise verdict and release its reservation (keyed by its ``pair_id``), together."""
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        with self._connection() as db:
            db.execute("INSERT OR IGNORE INTO verdicts VALUES (?, ?)", (record["pair_id"], line))
            db.execute("DELETE FROM reservations WHERE key = ?", (record["pair_id"],))

    def verdicts(self) -> list[dict[str, Any]]:
        """Every pairwise verdict, in the order they were made."""
        return [json.loads(row[0]) for row in self._read("SELECT record FROM verdicts ORDER BY rowid")]

    # -- the budget's reservations ---------------------------------------------------------------

    def reserve(self, key: str, usd: float) -> None:
        """Record a reservation of ``usd`` (a call's worst case) before its call may go."""
        with self._connection() as db:
            db.execute("INSERT OR REPLACE INTO reservations VALUES (?, ?)", (key, usd))

    def release(self, key: str) -> None:
        """Drop a reservation whose call failed before costing anything."""
        with self._connection() as db:
            db.execute("DELETE FROM reservations WHERE key = ?", (key,))

    def keep_lost_reservations(self) -> float:
        """Move the reservations left by an earlier attempt (calls in flight when it was killed) to
        the spent ledger for good, and return USD they and earlier ones hold: what they may have cost."""
        with self._connection() as db:
            db.execute("INSERT INTO lost SELECT key, usd FROM reservations")
            db.execute("DELETE FROM reservations")
            (total,) = db.execute("SELECT COALESCE(SUM(usd), 0) FROM lost").fetchone()
        return float(total)

    # -- the connection --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database (a later call opens it again)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None and self.read_only:  # a report: nothing is created or changed
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        if self._db is None:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path)
            db.execute("PRAGMA journal_mode=WAL")  # readers (a report, a notebook) never block the run
            db.execute("PRAGMA synchronous=NORMAL")  # a commit survives a killed process
            db.executescript(_TABLES)
            self._db = db
        return self._db

    def _read(self, query: str) -> list[tuple[Any, ...]]:
        if self._db is None and not self.exists():
            return []
        return self._connection().execute(query).fetchall()
