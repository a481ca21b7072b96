"""A report counts every billed call: failed calls that were billed raise the cost per document, and the
run's total spend (systems, judges, earlier attempts) is printed."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from codescribe.evals.reporting import load_results, summarize, write_report
from codescribe.evals.store import RunStore


def _run(tmp_path: Path) -> Path:
    run_dir = tmp_path / "runs" / "r-1"
    store = RunStore(run_dir)
    store.start({"run_id": "r-1"})
    store.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80, "cost_usd": 0.01}, None)
    # A stream cut part way: billed, no document.
    store.finish(
        {"sample_id": "a|readme|y.py|0", "system": "a", "status": "error", "billed": True, "cost_usd": 0.03}, None
    )
    # Refused before any call: not billed.
    store.finish({"sample_id": "a|readme|z.py|0", "system": "a", "status": "error", "billed": False}, None)
    store.finish(
        {
            "sample_id": "b|readme|x.py|0",
            "system": "b",
            "status": "ok",
            "quality": 70,
            "cost_usd": 0.02,
            "judge_cost_usd": 0.005,
        },
        None,
    )
    store.finish(
        {
            "sample_id": "b|readme|y.py|0",
            "system": "b",
            "status": "ok",
            "quality": 70,
            "cost_usd": 0.02,
            "response_cached": True,
        },
        None,
    )
    store.reserve("b|readme|z.py|0", 0.25)  # in flight when the run was killed
    store.close()
    return run_dir


def test_a_billed_failure_raises_the_cost_per_document(tmp_path: Path) -> None:
    # Trial of issue 13: the cost per document was the mean over the answers, so a provider whose streams
    # were cut after being billed looked as cheap as one whose were not.
    summary = summarize(load_results(_run(tmp_path))).set_index("system")

    assert summary.loc["a", "spent_usd"] == pytest.approx(0.04)
    assert summary.loc["a", "cost_per_doc_usd"] == pytest.approx(0.04)
    assert summary.loc["b", "spent_usd"] == pytest.approx(0.02), "an answer read from the response cache is free"
    assert summary.loc["b", "cost_per_doc_usd"] == pytest.approx(0.01)


def test_a_billed_call_of_unknown_cost_makes_the_cost_unknown(tmp_path: Path) -> None:
    run_dir = tmp_path / "r-2"
    store = RunStore(run_dir)
    store.start({"run_id": "r-2"})
    store.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80, "cost_usd": 0.01}, None)
    store.finish({"sample_id": "a|readme|y.py|0", "system": "a", "status": "error", "billed": True}, None)
    store.close()

    summary = summarize(load_results(run_dir)).set_index("system")

    assert summary.isna().loc["a", "spent_usd"]
    assert summary.isna().loc["a", "cost_per_doc_usd"]


def test_the_report_says_what_the_run_spent(tmp_path: Path) -> None:
    paths = write_report(_run(tmp_path))

    line = "Spent $0.3150: $0.0600 by the systems, $0.0050 by the judges, $0.2500 by earlier attempts and cut calls."
    assert line in paths["markdown"].read_text()
    assert line in paths["html"].read_text()


@pytest.mark.parametrize("damage", ["null", '{"sample_id": "a|readme|y.py|0", "sta'])
def test_a_damaged_record_is_named_left_out_and_made_again(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Trial of issue 13: a record of `null` (changed by hand, or a failing disk) gave the report a traceback.
    import sqlite3

    run_dir = _run(tmp_path)
    with closing(sqlite3.connect(run_dir / "run.sqlite")) as db, db:
        db.execute("UPDATE results SET record = ? WHERE sample_id = 'a|readme|y.py|0'", (damage,))

    frame = load_results(run_dir)
    store = RunStore(run_dir)
    redo = "a|readme|y.py|0" not in store.completed()
    store.finish({"sample_id": "a|readme|y.py|0", "system": "a", "status": "ok", "quality": 75}, None)

    assert "a|readme|y.py|0" not in set(frame["sample_id"])
    assert "the record of a|readme|y.py|0 is damaged" in caplog.text
    assert redo
    assert "a|readme|y.py|0" in store.completed()
    store.close()
