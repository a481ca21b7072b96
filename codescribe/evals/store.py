"""A run's store: one SQLite database (``<run>/run.sqlite``, WAL mode) beside ``run.json``.

It holds the samples' records, their documents, the pairwise verdicts and the budget's
reservations. A sample's record, its document and the release of its reservations are written in
one transaction, so a run killed at any moment (``kill -9``) holds every finished sample whole and
nothing half: a resumed run skips the samples that succeeded and makes the others. A reservation is
committed before its call may go; one still there when a run resumes was a call in flight at the
kill, which may have been billed, so it is kept as spent (``lost``), at its worst case.

Records are stored as JSON (their fields change with the schema version, :data:`SCHEMA_VERSION`);
``codescribe.evals.reporting`` reads them into pandas.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..progress import get_logger

if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = ["DATABASE", "SCHEMA_VERSION", "RunStore", "was_billed"]

log = get_logger("codescribe.evals")

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
CREATE TABLE IF NOT EXISTS unpriced (key TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS lost_unpriced (key TEXT NOT NULL);
"""


#: A sample's result: the first success is kept; a failure (error, over budget) gives way to a new attempt.
_STORE_RESULT = """
INSERT INTO results VALUES (?, ?) ON CONFLICT (sample_id) DO UPDATE SET record = excluded.record
WHERE NOT json_valid(results.record) OR COALESCE(json_extract(results.record, '$.status'), '') != 'ok'
"""
#: What a failed attempt about to be replaced was billed (its call's and its judge's), kept as spent.
_KEEP_FAILED_ATTEMPTS_COST = """
INSERT INTO lost SELECT sample_id,
    COALESCE(json_extract(record, '$.cost_usd'), json_extract(record, '$.charged_usd'), 0)
    + COALESCE(json_extract(record, '$.judge_cost_usd'), json_extract(record, '$.judge_charged_usd'), 0)
FROM results WHERE sample_id = ? AND json_valid(record) AND COALESCE(json_extract(record, '$.status'), '') != 'ok'
"""


def was_billed(record: Mapping[str, Any]) -> bool:
    """Whether a sample's own call may have been billed: an answer that was not read from the eval's
    response cache, or an error whose call may have been billed (its ``billed`` field, set from
    :func:`codescribe.llm.budget.failed_cost`; a record without it counts when it holds a cost).

    Args:
        record: the sample's record, a dict or a pandas row (a field it lacks may be missing, ``None`` or NaN).

    Returns:
        ``True`` when its ``cost_usd`` belongs to what the run spent.

    Examples:
        >>> was_billed({"status": "ok"}), was_billed({"status": "ok", "response_cached": True})
        (True, False)
        >>> was_billed({"status": "error", "billed": True}), was_billed({"status": "over_budget"})
        (True, False)
    """
    if _given(record.get("response_cached")) and bool(record.get("response_cached")):
        return False
    status = record.get("status")
    if status == "ok":
        return True
    billed = record.get("billed")
    return status == "error" and (bool(billed) if _given(billed) else _given(record.get("cost_usd")))


def _given(value: object) -> bool:
    """Whether a record's field holds a value (not missing, ``None`` or a pandas NaN)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


class RunStore:
    """The store of the run in ``run_dir`` (created on :meth:`start`, read by the other methods).

    Making one opens nothing: the database is opened on first use and kept open until
    :meth:`close`. Reading a run that has no database yet gives empty results.

    Args:
        run_dir: the run's folder, ``<runs_dir>/<run_id>``.
        read_only: open the database read-only (reports, notebooks): nothing is created or
            changed, and the writing methods raise ``sqlite3.OperationalError``.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> store = RunStore(Path(folder.name) / "smoke-1")
        >>> store.start({"run_id": "smoke-1", "suite": {"name": "smoke"}})
        >>> store.finish({"sample_id": "offline|readme|add.py|0", "status": "ok", "quality": 88}, "# add\\n")
        >>> store.completed()
        {'offline|readme|add.py|0'}
        >>> store.close()
        >>> report = RunStore(Path(folder.name) / "smoke-1", read_only=True)
        >>> [record["quality"] for record in report.records()]
        [88]
        >>> report.close()
        >>> folder.cleanup()
    """

    def __init__(self, run_dir: Path, *, read_only: bool = False) -> None:
        self.run_dir = run_dir
        self.path = run_dir / DATABASE
        self.read_only = read_only
        self._db: sqlite3.Connection | None = None
        self._lock: BaseFileLock | None = None

    def start(self, description: dict[str, Any]) -> None:
        """Create the run's folder, ``run.json`` (kept from the first attempt) and the database.

        Args:
            description: what the run is (id, suite, corpus, start time), written as JSON to
                ``run.json`` when that file does not exist yet; values JSON cannot hold are written
                as their ``str``.

        A run has one writer: the store holds the run folder's lock (``run.lock``) until
        :meth:`close`, and a second process that starts the same run is refused.

        Raises:
            ValueError: the folder holds a run written by an older CodeScribe (``results.jsonl``),
                which this one cannot resume; or another process is writing the run now.
            sqlite3.OperationalError: the store was opened ``read_only`` and has no database yet.

        Examples:
            >>> import json, tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.exists(), json.loads((store.run_dir / "run.json").read_text())
            (True, {'run_id': 'smoke-1'})
            >>> store.close()
            >>> folder.cleanup()
        """
        if (self.run_dir / "results.jsonl").is_file() and not self.exists():
            raise ValueError(
                f"{self.run_dir} holds a run written by an older CodeScribe (results.jsonl), which this version "
                "cannot resume or report on: start a new run (without --run-id)."
            )
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._hold_lock()
        info = self.run_dir / "run.json"
        if not info.exists():
            info.write_text(json.dumps(description, indent=2, default=str), encoding="utf-8")
        self._connection()

    def _hold_lock(self) -> None:
        """Take the run's lock, or refuse: another process is writing this run (its id is named)."""
        from filelock import FileLock, Timeout

        owner = self.run_dir / "run.owner"
        lock = FileLock(self.run_dir / "run.lock", timeout=0)
        try:
            lock.acquire()
        except Timeout:
            other = owner.read_text(encoding="utf-8").strip() if owner.is_file() else "another process"
            raise ValueError(
                f"{self.run_dir}: {other} is writing this run now. Wait for it to finish (then run again to "
                "resume), or start another run."
            ) from None
        owner.write_text(f"process {os.getpid()}\n", encoding="utf-8")
        self._lock = lock

    def exists(self) -> bool:
        """Whether the run has a database (a run folder that was started).

        Returns:
            ``True`` when ``run_dir/run.sqlite`` is a file.

        Examples:
            >>> RunStore(Path("no/such/run")).exists()
            False
        """
        return self.path.is_file()

    # -- samples -------------------------------------------------------------------------------

    def finish(
        self, record: dict[str, Any], document: str | None, settled: Iterable[str] = (), lost: Iterable[str] = ()
    ) -> None:
        """Store a finished sample in one transaction: its record, its document (if kept), and the
        release of its reservations (``settled`` keys), so a kill never leaves one without the others.
        Reservations in ``lost`` (retries after attempts of unknown cost) move to the spent ledger.

        The record is stored as JSON with ``schema`` (:data:`SCHEMA_VERSION`) added. A sample
        that already succeeded keeps its first record, while its document is replaced; a sample
        whose stored attempt failed (an error, or over budget) gets the new record, and what the
        failed attempt was billed stays counted in :meth:`keep_lost_reservations`.

        Args:
            record: the sample's record; it must have a ``sample_id``.
            document: the generated document, or ``None`` when it is not kept.
            settled: the keys of the reservations to delete (the sample's call, its judge call).
            lost: the keys of the reservations kept as spent, at their worst case (see
                :meth:`~codescribe.evals.attempts.CallAttempts.settlement`).

        Raises:
            KeyError: ``record`` has no ``sample_id``.
            sqlite3.OperationalError: the store was opened ``read_only``.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.reserve("offline|readme|add.py|0", 0.02)
            >>> store.finish({"sample_id": "offline|readme|add.py|0", "status": "ok"}, "# add\\n",
            ...              settled=["offline|readme|add.py|0"])
            >>> store.documents(), store.keep_lost_reservations()
            ({'offline|readme|add.py|0': '# add\\n'}, 0.0)
            >>> store.close()
            >>> folder.cleanup()
        """
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        with self._connection() as db:
            # An earlier attempt that failed is replaced; what it was billed moves to the spent ledger.
            db.execute(_KEEP_FAILED_ATTEMPTS_COST, (record["sample_id"],))
            db.execute(_STORE_RESULT, (record["sample_id"], line))
            if document is not None:
                db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?)", (record["sample_id"], document))
            for key in lost:
                db.execute("INSERT INTO lost SELECT key, usd FROM reservations WHERE key = ?", (key,))
                db.execute("INSERT INTO lost_unpriced SELECT key FROM unpriced WHERE key = ?", (key,))
            for table in ("reservations", "unpriced"):
                db.executemany(f"DELETE FROM {table} WHERE key = ?", [(key,) for key in [*settled, *lost]])

    def records(self) -> list[dict[str, Any]]:
        """Every finished sample's record, in the order they finished.

        Returns:
            a list of records (dicts decoded from JSON, each with its ``schema`` version); empty
            when the run has no database. A record that is not a JSON object is left out, with a
            warning naming its sample.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.finish({"sample_id": "a|readme|x.py|0", "status": "error", "error_type": "INPUT"}, None)
            >>> store.records()
            [{'schema': 2, 'sample_id': 'a|readme|x.py|0', 'status': 'error', 'error_type': 'INPUT'}]
            >>> store.close()
            >>> folder.cleanup()
        """
        records = []
        for sample_id, text in self._read("SELECT sample_id, record FROM results ORDER BY rowid"):
            try:
                record = json.loads(text)
            except ValueError:
                record = None
            if not isinstance(record, dict):  # changed by hand, or by a failing disk
                log.warning(
                    "%s: the record of %s is damaged; left out (a resumed run makes it again)", self.run_dir, sample_id
                )
                continue
            records.append(record)
        return records

    def completed(self) -> set[str]:
        """The ids of the samples that succeeded (``status`` ``ok``): a resumed run makes the others again.

        Returns:
            a set of sample ids; empty when the run has no database.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.finish({"sample_id": "a|readme|x.py|0", "status": "ok"}, None)
            >>> store.finish({"sample_id": "a|readme|y.py|0", "status": "error", "error_type": "NETWORK"}, None)
            >>> store.completed()
            {'a|readme|x.py|0'}
            >>> store.close()
            >>> folder.cleanup()
        """
        return {
            row[0]
            for row in self._read(
                "SELECT sample_id FROM results WHERE json_valid(record) AND json_extract(record, '$.status') = 'ok'"
            )
        }

    def documents(self) -> dict[str, str]:
        """Each kept document, by sample id.

        Returns:
            a dict from sample id to the document's text (Markdown, or source with docstrings);
            empty when the run has no database or kept no document.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.finish({"sample_id": "a|readme|x.py|0", "status": "ok"}, "# x\\n")
            >>> store.documents()
            {'a|readme|x.py|0': '# x\\n'}
            >>> store.close()
            >>> folder.cleanup()
        """
        return dict(self._read("SELECT sample_id, document FROM documents"))

    # -- pairwise verdicts -----------------------------------------------------------------------

    def add_verdict(self, record: dict[str, Any]) -> None:
        """Store a pairwise verdict and release its reservation (keyed by its ``pair_id``), together.

        The verdict is stored as JSON with ``schema`` (:data:`SCHEMA_VERSION`) added; a pair
        already judged keeps its first verdict.

        Args:
            record: the verdict; it must have a ``pair_id``.

        Raises:
            KeyError: ``record`` has no ``pair_id``.
            sqlite3.OperationalError: the store was opened ``read_only``.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.add_verdict({"pair_id": "a|b|readme|x.py|0", "winner": "a"})
            >>> store.verdicts()
            [{'schema': 2, 'pair_id': 'a|b|readme|x.py|0', 'winner': 'a'}]
            >>> store.close()
            >>> folder.cleanup()
        """
        line = json.dumps({"schema": SCHEMA_VERSION, **record}, default=str, ensure_ascii=False)
        with self._connection() as db:
            db.execute("INSERT OR IGNORE INTO verdicts VALUES (?, ?)", (record["pair_id"], line))
            db.execute("DELETE FROM reservations WHERE key = ?", (record["pair_id"],))

    def verdicts(self) -> list[dict[str, Any]]:
        """Every pairwise verdict, in the order they were made.

        Returns:
            a list of verdicts (dicts decoded from JSON, each with its ``schema`` version); empty
            when the run has no database or no pair was judged.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.verdicts()
            []
            >>> store.close()
            >>> folder.cleanup()
        """
        return [json.loads(row[0]) for row in self._read("SELECT record FROM verdicts ORDER BY rowid")]

    # -- the budget's reservations ---------------------------------------------------------------

    def reserve(self, key: str, usd: float | None) -> None:
        """Record a reservation of ``usd`` (a call's worst case) before its call may go.

        Args:
            key: the reservation's key (a sample id, its :func:`~codescribe.evals.execute.judge_key`,
                or a pair id); a second reservation under the same key replaces the first.
            usd: the most the call may cost, in USD; ``None`` when that is unknown (the model has no
                price): a call killed in flight then counts as a billed call of unknown cost.

        Raises:
            sqlite3.OperationalError: the store was opened ``read_only``.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.reserve("a|readme|x.py|0", 0.25)
            >>> store.keep_lost_reservations()  # as if the run had been killed mid-call
            0.25
            >>> store.close()
            >>> folder.cleanup()
        """
        with self._connection() as db:
            if usd is None:
                db.execute("INSERT OR REPLACE INTO unpriced VALUES (?)", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO reservations VALUES (?, ?)", (key, usd))

    def release(self, key: str) -> None:
        """Drop a reservation whose call failed before costing anything.

        Args:
            key: the reservation's key; a key with no reservation is ignored.

        Raises:
            sqlite3.OperationalError: the store was opened ``read_only``.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.reserve("a|readme|x.py|0", 0.25)
            >>> store.release("a|readme|x.py|0")
            >>> store.keep_lost_reservations()
            0.0
            >>> store.close()
            >>> folder.cleanup()
        """
        with self._connection() as db:
            db.execute("DELETE FROM reservations WHERE key = ?", (key,))
            db.execute("DELETE FROM unpriced WHERE key = ?", (key,))

    def lost_unpriced(self) -> int:
        """How many calls outside the records had no known worst case (a model without a price):
        in flight when a run was killed, or still in flight; read-only.

        Returns:
            The count (0 for none, and for a run with no database).
        """
        if not self.exists():
            return 0
        [(count,)] = self._read("SELECT (SELECT COUNT(*) FROM lost_unpriced) + (SELECT COUNT(*) FROM unpriced)")
        return int(count)

    def lost(self) -> float:
        """What calls outside the records cost: failed attempts since replaced, attempts that timed
        out before a retry, and calls in flight when a run was killed (kept, or still held, at their
        worst case); read-only.

        Returns:
            USD (``0.0`` for none, and for a run with no database).
        """
        if not self.exists():
            return 0.0
        [(total,)] = self._read(
            "SELECT (SELECT COALESCE(SUM(usd), 0) FROM lost) + (SELECT COALESCE(SUM(usd), 0) FROM reservations)"
        )
        return float(total)

    def keep_lost_reservations(self) -> float:
        """Move the reservations left by an earlier attempt (calls in flight when it was killed) to
        the spent ledger for good, and return USD the ledger holds: what they may have cost, and what
        failed attempts that a later one replaced were billed (see :meth:`finish`).

        Call it once, when a run starts or resumes, before any new reservation is made: every
        reservation still in the store is taken as lost.

        Returns:
            the total of every lost reservation the run has had, in USD (``0.0`` for none).

        Raises:
            sqlite3.OperationalError: the store was opened ``read_only``.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.reserve("a|readme|x.py|0", 0.25)
            >>> store.keep_lost_reservations(), store.keep_lost_reservations()
            (0.25, 0.25)
            >>> store.close()
            >>> folder.cleanup()
        """
        with self._connection() as db:
            db.execute("INSERT INTO lost SELECT key, usd FROM reservations")
            db.execute("DELETE FROM reservations")
            db.execute("INSERT INTO lost_unpriced SELECT key FROM unpriced")
            db.execute("DELETE FROM unpriced")
            (total,) = db.execute("SELECT COALESCE(SUM(usd), 0) FROM lost").fetchone()
        return float(total)

    # -- the connection --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database (a later call opens it again) and let go of the run's lock.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> store = RunStore(Path(folder.name) / "smoke-1")
            >>> store.start({"run_id": "smoke-1"})
            >>> store.close()
            >>> store.completed()  # opens the database again
            set()
            >>> store.close()
            >>> folder.cleanup()
        """
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

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
