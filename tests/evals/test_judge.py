"""The LLM judge: pairwise verdicts in a random order, kept documents, and judge calls on the budget."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from codescribe.evals.metrics import parse_pairwise_verdict
from codescribe.evals.reporting import load_documents, load_pairwise, load_results, pairwise_verdicts, write_report
from codescribe.evals.runner import EvalRunner, RunSummary
from codescribe.evals.suite import SuiteError, load_suite
from tests.scripted_server import Reply, ScriptedLLMServer

from .test_harness import corpus, scripted_system, suite, write_suite

__all__ = ["corpus"]  # the fixture, imported for pytest

SCRIPTED_DOC = "# Doc\n\n## Overview\n\nAbout `add_item`.\n"
FIRST_DOCUMENT = re.compile(r'<document number="1"[^>]*>\n(.*?)\n</document>', re.DOTALL)


def test_pairwise_verdicts_follow_the_shown_order_and_a_resume_judges_nothing_twice(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(text=SCRIPTED_DOC) as model, ScriptedLLMServer(text="Clearer.\nWINNER: 1") as judge:
        spec = suite(
            systems=[{"provider": "offline"}, scripted_system(model)],
            doc_types=["readme"],
            repeats=2,
            judge={"provider": "openai", "model": "gpt-6.1-sol", "mode": "pairwise", "seed": 3},
        )
        monkeypatch.setenv("LLM_BASE_URL", judge.openai_url)
        first = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
        shown = [FIRST_DOCUMENT.search(request.body["messages"][1]["content"]) for request in judge.requests]
        again = EvalRunner(spec, runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()
        calls_after_resume = len(judge.requests)

    verdicts = load_pairwise(first.run_dir)
    assert verdicts is not None
    scripted = "openai/gpt-6.1-sol"
    assert first.pairs == len(verdicts) == 8
    assert verdicts["pair_id"].is_unique
    assert set(verdicts["shown_first"]) == {"offline", scripted}, "both orders are drawn"
    assert (verdicts["winner"] == verdicts["shown_first"]).all(), "the judge's '1' is the document shown first"
    shown_scripted = sum(bool(match and "About `add_item`" in match.group(1)) for match in shown)
    assert shown_scripted == (verdicts["shown_first"] == scripted).sum()
    assert again.pairs == 0
    assert calls_after_resume == len(shown) == 8
    [summary] = pairwise_verdicts(verdicts)
    assert summary.judged == summary.a_wins + summary.b_wins == 8
    assert summary.first_shown_won == 1.0
    assert "the document shown first won 100%" in write_report(first.run_dir)["markdown"].read_text()


def test_every_document_is_kept_and_a_redone_sample_keeps_its_new_one(corpus: Path, tmp_path: Path) -> None:
    run = EvalRunner(suite(doc_types=["readme", "docstrings"]), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    frame = load_results(run.run_dir)
    documents = load_documents(run.run_dir)
    # A sample whose record is gone (as if never finished) with a stale document left: it is redone,
    # and its new document replaces the stale one.
    redone = str(frame["sample_id"].iloc[-1])
    with sqlite3.connect(run.run_dir / "run.sqlite") as db:
        db.execute("DELETE FROM results WHERE sample_id = ?", (redone,))
        db.execute("UPDATE documents SET document = 'stale' WHERE sample_id = ?", (redone,))
    again = EvalRunner(
        suite(doc_types=["readme", "docstrings"]), runs_dir=tmp_path / "runs", run_id=run.run_id, corpus_dir=corpus
    ).run()

    assert set(documents) == set(frame["sample_id"])
    assert all(text.strip() for text in documents.values())
    assert "document" not in frame, "documents are kept apart from the results"
    assert again.samples == 1
    assert load_documents(run.run_dir)[redone] == documents[redone]


def test_pairwise_needs_two_systems_and_kept_documents(tmp_path: Path) -> None:
    judge = "judge: {provider: openai, mode: pairwise}\n"
    one = write_suite(tmp_path, f"name: x\nsystems: [{{provider: offline}}]\n{judge}")
    with pytest.raises(SuiteError, match="pairwise compares systems: list at least two"):
        load_suite(one)
    two = write_suite(
        tmp_path,
        "name: x\nsystems: [{provider: offline}, {provider: offline, label: again}]\n"
        f"keep_documents: false\n{judge}",
    )
    with pytest.raises(SuiteError, match="keep_documents must be true"):
        load_suite(two)


def test_verdicts_are_read_from_the_last_winner_line() -> None:
    assert parse_pairwise_verdict("Both fine.\nWINNER: TIE") == "tie"
    assert parse_pairwise_verdict("WINNER: 1 at first; on reflection\n**Winner:** 2") == "2"
    assert parse_pairwise_verdict("I cannot decide.") is None


def test_judge_calls_are_on_the_budget(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    budget = 0.05
    with ScriptedLLMServer(text="Fine.\nSCORE: 4", input_tokens=2_000, output_tokens=1_000) as judge:
        monkeypatch.setenv("LLM_BASE_URL", judge.openai_url)
        monkeypatch.setenv("LLM_MAX_TOKENS", "1000")
        judge_spec = {"provider": "openai", "model": "gpt-6.1-sol"}
        spec = suite(doc_types=["readme", "api"], budget_usd=budget, judge=judge_spec)
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
        calls = len(judge.requests)

    frame = load_results(run.run_dir)
    judged = frame["judge_score"].notna()
    assert run.spent_usd == pytest.approx(frame["judge_cost_usd"].fillna(0).sum())
    assert run.spent_usd <= budget
    assert calls == judged.sum() >= 1
    assert set(frame.loc[~judged, "judge_error"]) == {"BUDGET"}
    assert json.loads((run.run_dir / "run.json").read_text())["suite"]["budget_usd"] == budget


def test_a_system_may_not_take_the_judges_name(tmp_path: Path) -> None:
    named = write_suite(tmp_path, "name: x\nsystems: [{provider: offline, label: judge}]\n")
    with pytest.raises(SuiteError, match="`judge` names the suite's judge"):
        load_suite(named)


def test_a_rubric_judge_keeps_its_concurrency(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(text="Fine.\nSCORE: 3", latency=0.05) as judge:
        monkeypatch.setenv("LLM_BASE_URL", judge.openai_url)
        spec = suite(
            doc_types=["readme", "api"],
            repeats=2,
            judge={"provider": "openai", "model": "gpt-6.1-sol", "concurrency": 1},
        )
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
        most = judge.max_in_flight

    assert most == 1
    assert set(load_results(run.run_dir)["judge_score"]) == {3}


def _judged_run(
    corpus: Path, tmp_path: Path, judge: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch, **changes: object
) -> RunSummary:
    """A run of the readme of every corpus file by a priced system, one call at a time, each document
    graded by a rubric judge on ``judge``."""
    monkeypatch.setenv("LLM_BASE_URL", judge.openai_url)  # the judge's; the system names its own
    with ScriptedLLMServer(text=SCRIPTED_DOC, input_tokens=200, output_tokens=100) as model:
        spec = suite(
            systems=[scripted_system(model, concurrency=1)],
            doc_types=["readme"],
            judge={"provider": "openai", "model": "gpt-6.1-sol"},
            **changes,
        )
        return EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()


def test_a_judge_call_is_not_refused_over_its_own_samples_finished_call(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: the sample's answer still held its worst case ($1 of output at 100,000
    # max tokens) when its judge call asked for room, so a budget of $1.50 refused every judge.
    monkeypatch.setenv("LLM_API_KEY", "k")
    monkeypatch.setenv("LLM_MAX_TOKENS", "100000")
    with ScriptedLLMServer(text="Fine.\nSCORE: 4", input_tokens=300, output_tokens=20) as judge:
        run = _judged_run(corpus, tmp_path, judge, monkeypatch, budget_usd=1.5)

    frame = load_results(run.run_dir)
    assert set(frame["status"]) == {"ok"}
    assert set(frame["judge_score"]) == {4}
    assert run.spent_usd == pytest.approx(frame["cost_usd"].sum() + frame["judge_cost_usd"].sum())
    assert run.judge_errors == 0


def test_a_judge_call_that_fails_after_being_billed_is_counted(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: a refused judge call (billed: 300 tokens in, 20 out) counted nothing.
    monkeypatch.setenv("LLM_API_KEY", "k")
    refusal = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-6.1-sol",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": None, "refusal": "No."}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 300, "completion_tokens": 20, "total_tokens": 320},
    }
    with ScriptedLLMServer() as judge:
        judge.push(*[Reply(body=refusal) for _ in range(4)])
        run = _judged_run(corpus, tmp_path, judge, monkeypatch)

    frame = load_results(run.run_dir)
    assert set(frame["judge_error"]) == {"CONTENT_FILTER"}
    assert (frame["judge_cost_usd"] > 0).all()
    assert run.judge_errors == 4
    assert run.spent_usd == pytest.approx(frame["cost_usd"].sum() + frame["judge_cost_usd"].sum())
