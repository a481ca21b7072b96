"""The evaluation harness: suites, runs that survive kills, scorers and reports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codescribe.cli import main
from codescribe.evals.metrics import reference_overlap, rouge_l, strip_python_docstrings
from codescribe.evals.reporting import load_results, paired_comparison, summarize, write_report
from codescribe.evals.runner import EvalRunner
from codescribe.evals.spending import run_spending
from codescribe.evals.store import RunStore
from codescribe.evals.suite import Suite, SuiteError, load_suite
from codescribe.llm import LLMError
from tests.scripted_server import Reply, ScriptedLLMServer

FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "fixtures"
DOCUMENTED = '''"""Geometry helpers."""


def area(width: float, height: float) -> float:
    """Return the area of a rectangle of the given width and height."""
    return width * height


def perimeter(width: float, height: float) -> float:
    """Return the perimeter of a rectangle."""
    if width < 0 or height < 0:
        raise ValueError("negative side")
    return 2 * (width + height)
'''


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    entries = []
    for language, name in [("python", "inventory.py"), ("go", "store.go"), ("javascript", "cart.js")]:
        target = folder / language / name
        target.parent.mkdir(parents=True)
        target.write_text((FIXTURES / language / name).read_text())
        entries.append(f"- {{path: {language}/{name}, language: {language}, size: small, lines: 1}}")
    (folder / "python" / "geometry.py").write_text(DOCUMENTED)
    entries.append("- {path: python/geometry.py, language: python, size: small, lines: 14, has_reference_docs: true}")
    (folder / "manifest.yaml").write_text("\n".join(entries) + "\n")
    return folder


def suite(**changes: object) -> Suite:
    data: dict[str, object] = {"name": "t", "systems": [{"provider": "offline"}], "doc_types": ["readme", "docstrings"]}
    data.update(changes)
    return Suite.model_validate(data)


def write_suite(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(text)
    return path


def test_bad_suites_name_the_file_and_the_field(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match=r"suite.yaml: systems: Field required"):
        load_suite(write_suite(tmp_path, "name: x\n"))
    with pytest.raises(SuiteError, match=r"systems.0.concurrency"):
        load_suite(write_suite(tmp_path, "name: x\nsystems: [{provider: offline, concurrency: 0}]\n"))
    with pytest.raises(SuiteError, match=r"repeated: offline"):
        load_suite(write_suite(tmp_path, "name: x\nsystems: [{provider: offline}, {provider: offline}]\n"))
    with pytest.raises(SuiteError, match=r"colour: Extra inputs are not permitted"):
        load_suite(write_suite(tmp_path, "name: x\nsystems: [{provider: offline}]\ncolour: red\n"))
    with pytest.raises(SuiteError, match="cannot read"):
        load_suite(tmp_path / "missing.yaml")


def test_the_bundled_suites_are_valid() -> None:
    suites = sorted((Path(__file__).resolve().parents[2] / "evals" / "suites").glob("*.yaml"))

    assert suites
    for path in suites:
        assert load_suite(path).systems


def test_an_offline_run_records_every_sample_with_its_measures(corpus: Path, tmp_path: Path) -> None:
    summary = EvalRunner(suite(), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    frame = load_results(summary.run_dir)
    assert summary.samples == len(frame) == 8
    assert set(frame["status"]) == {"ok"}
    assert frame["quality"].between(0, 100).all()
    assert (frame["cost_usd"] == 0.0).all()
    overlap = frame[(frame["file"] == "python/geometry.py") & (frame["doc_type"] == "docstrings")].iloc[0]
    assert 0.0 <= overlap["bleu"] <= 1.0
    assert overlap["reference_functions"] == 2
    assert frame[frame["file"] == "go/store.go"]["bleu"].isna().all()


def test_a_resumed_run_finishes_each_sample_exactly_once(corpus: Path, tmp_path: Path) -> None:
    first = EvalRunner(suite(), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    kept = list(load_results(first.run_dir)["sample_id"][:3])
    with sqlite3.connect(first.run_dir / "run.sqlite") as db:  # as if killed after three samples
        db.execute(f"DELETE FROM results WHERE sample_id NOT IN ({', '.join('?' * len(kept))})", kept)

    again = EvalRunner(suite(), runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()

    assert again.skipped_done == 3
    assert again.samples == 5
    frame = load_results(first.run_dir)
    assert len(frame) == 8
    assert frame["sample_id"].is_unique
    assert set(kept) <= set(frame["sample_id"])


def test_a_run_is_not_resumed_with_another_suite(corpus: Path, tmp_path: Path) -> None:
    first = EvalRunner(suite(), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    before = load_results(first.run_dir)

    other = suite(doc_types=["readme", "api"], repeats=2)
    with pytest.raises(
        ValueError, match=r"another suite, corpus or settings \(it differs in: doc_types, repeats\)"
    ) as refused:
        EvalRunner(other, runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()

    assert first.run_id in str(refused.value)
    assert load_results(first.run_dir).equals(before)  # nothing was added to the run
    again = EvalRunner(suite(), runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()
    assert again.samples == 0  # the same suite resumes as before


def test_a_run_is_not_resumed_with_another_corpus_or_environment(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: a resume with --corpus elsewhere and LLM_MAX_TOKENS=50 was accepted, and one
    # run held samples of two corpora made with 4,000 and 50 max tokens.
    spec = suite(systems=[scripted_system(server)], doc_types=["readme"])
    first = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    resume = {"runs_dir": tmp_path / "runs", "run_id": first.run_id, "corpus_dir": corpus}

    monkeypatch.setenv("LLM_MAX_TOKENS", "50")
    with pytest.raises(ValueError, match=r"it differs in: system_settings\)"):
        EvalRunner(spec, **resume).run()
    monkeypatch.delenv("LLM_MAX_TOKENS")
    (corpus / "python" / "geometry.py").write_text(DOCUMENTED.replace("rectangle", "square"))
    with pytest.raises(ValueError, match=r"it differs in: corpus_files\)"):
        EvalRunner(spec, **resume).run()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedLLMServer]:
    with ScriptedLLMServer(text="# Doc\n\n## Overview\n\nAbout `add_item`.\n") as running:
        monkeypatch.setenv("LLM_API_KEY", "k")
        yield running


def scripted_system(server: ScriptedLLMServer, **extra: object) -> dict[str, object]:
    return {"provider": "openai", "model": "gpt-6.1-sol", "base_url": server.openai_url, "concurrency": 4, **extra}


def test_faults_end_as_results_or_recorded_errors(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_MAX_RETRIES", "2")
    monkeypatch.setenv("LLM_TIMEOUT", "0.5")
    server.push(
        Reply(429, headers={"retry-after": "0.1"}),
        Reply(529),
        Reply(500),
        Reply(500),
        Reply(delay=1.0),
        Reply(delay=1.0),
        Reply(400, body={"error": {"message": "bad"}}),
    )
    run = EvalRunner(
        suite(systems=[scripted_system(server, concurrency=1)], doc_types=["readme"]),
        runs_dir=tmp_path / "runs",
        corpus_dir=corpus,
    ).run()

    frame = load_results(run.run_dir)
    assert len(frame) == 4
    assert set(frame["status"]) <= {"ok", "error"}
    # A sample retrying waits without its slot, so another sample's call may take the next
    # scripted reply: which sample meets which fault depends on the backoff's jitter.
    assert (1 + frame["retries"]).sum() == len(server.requests) >= 7, "every attempt is counted"
    assert frame["retries"].sum() >= 3, "429, 529, 500 and time-outs are retried"
    assert "VALIDATION" in set(frame["error_type"].dropna()), "a 400 is not retried"
    assert set(frame["error_type"].dropna()) <= {"SERVER_ERROR", "TIMEOUT", "VALIDATION", "RATE_LIMIT"}


def test_the_budget_is_never_crossed(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    budget = 0.10
    with ScriptedLLMServer(input_tokens=2_000, output_tokens=1_000) as expensive:  # $0.014 a call at gpt-6.1-sol
        system = scripted_system(expensive, concurrency=1, max_tokens=1_000)
        run = EvalRunner(
            suite(systems=[system], budget_usd=budget, doc_types=["readme", "api"]),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        ).run()

    frame = load_results(run.run_dir)
    spent = frame["cost_usd"].fillna(0).sum()
    assert spent == pytest.approx(run.spent_usd)
    assert spent <= budget
    assert (frame["status"] == "ok").sum() >= 2
    assert (frame["status"] == "over_budget").sum() >= 1
    assert set(frame["status"]) == {"ok", "over_budget"}


def test_report_summary_paired_comparison_and_html(corpus: Path, tmp_path: Path, server: ScriptedLLMServer) -> None:
    run = EvalRunner(
        suite(systems=[{"provider": "offline"}, scripted_system(server)], doc_types=["readme"]),
        runs_dir=tmp_path / "runs",
        corpus_dir=corpus,
    ).run()

    frame = load_results(run.run_dir)
    table = summarize(frame).set_index("system")
    comparison = paired_comparison(frame, "offline", "openai/gpt-6.1-sol")
    paths = write_report(run.run_dir)

    assert table.loc["offline", "quality_mean"] > table.loc["openai/gpt-6.1-sol", "quality_mean"]
    assert table.loc["offline", "quality_ci_low"] <= table.loc["offline", "quality_mean"]
    assert table.loc["openai/gpt-6.1-sol", "cost_per_1000_docs_usd"] > 0
    assert comparison.pairs == 4
    assert comparison.mean_difference < 0
    assert 0 < comparison.p_value <= 1
    html = paths["html"].read_text()
    assert html.count("data:image/png;base64,") == 2
    assert "Paired comparisons" in paths["markdown"].read_text()
    assert paths["parquet"].stat().st_size > 0


def test_a_report_of_systems_that_share_one_sample_compares_that_one(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """helper-23's F2: with one sample in common, scipy's permutation test refused (it asks for two), and
    ``eval report`` and ``make demo`` died; one pair has an exact p-value of 1 and no interval."""
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    for _ in range(3):
        server.push(Reply(500, body={"error": {"type": "server_error", "message": "down"}}))
    spec = suite(systems=[{"provider": "offline"}, scripted_system(server, concurrency=1)], doc_types=["readme"])
    run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    comparison = paired_comparison(load_results(run.run_dir), "offline", "openai/gpt-6.1-sol")
    paths = write_report(run.run_dir)

    assert (comparison.pairs, comparison.p_value) == (1, 1.0)
    assert "Paired comparisons" in paths["markdown"].read_text()
    assert main(["eval", "report", str(run.run_dir), "--fail-under", "10"]) == 1  # three samples did not finish


def test_the_html_report_shows_a_hostile_label_as_text(corpus: Path, tmp_path: Path) -> None:
    label = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    spec = suite(systems=[{"provider": "offline"}, {"provider": "offline", "label": label}], doc_types=["readme"])
    run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    html = write_report(run.run_dir)["html"].read_text()

    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_report_cli_fails_under_a_threshold(corpus: Path, tmp_path: Path) -> None:
    run = EvalRunner(suite(doc_types=["readme"]), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    assert main(["eval", "report", str(run.run_dir), "--fail-under", "10"]) == 0
    assert main(["eval", "report", str(run.run_dir), "--fail-under", "101"]) == 1


def test_a_killed_cli_run_resumes_with_every_sample_once(corpus: Path, tmp_path: Path) -> None:
    with ScriptedLLMServer(text="# Doc\n\nText.\n", latency=0.3) as slow:
        suite_file = write_suite(
            tmp_path,
            f"name: kill\nsystems: [{{provider: openai, model: gpt-6.1-sol, "
            f"base_url: '{slow.openai_url}', concurrency: 1}}]\ndoc_types: [readme, api, module]\n"
            "repeats: 2\n",
        )
        env = {**os.environ, "LLM_API_KEY": "k"}
        command = [
            sys.executable,
            "-m",
            "codescribe.cli",
            "eval",
            "run",
            str(suite_file),
            "--runs-dir",
            str(tmp_path / "runs"),
            "--run-id",
            "killed",
            "--corpus",
            str(corpus),
        ]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        store = RunStore(tmp_path / "runs" / "killed")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not store.exists() or len(store.completed()) < 3):
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        before = len(store.completed())
        store.close()

        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)

    frame = load_results(tmp_path / "runs" / "killed")
    assert 3 <= before < 24
    assert finished.returncode == 0, finished.stderr
    assert len(frame) == 24
    assert frame["sample_id"].is_unique


def test_overlap_scores_compare_generated_docstrings_with_the_authors() -> None:
    stripped = strip_python_docstrings(DOCUMENTED)
    perfect = reference_overlap(DOCUMENTED, DOCUMENTED)
    nothing = reference_overlap(DOCUMENTED, stripped)

    assert '"""Return the area' not in stripped
    assert '"""Geometry helpers."""' in stripped
    assert perfect["bleu"] == pytest.approx(1.0)
    assert perfect["rouge_l"] == pytest.approx(1.0)
    assert nothing["bleu"] == 0.0
    assert rouge_l("return the area", "return the area of a rectangle") == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_an_llm_judge_grades_each_document(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(text="Accurate, with examples.\nSCORE: 4") as judge_server:
        monkeypatch.setenv("LLM_BASE_URL", judge_server.openai_url)
        run = EvalRunner(
            suite(doc_types=["readme"], judge={"provider": "openai", "model": "gpt-6.1-sol"}),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        ).run()
        prompts = [request.body["messages"] for request in judge_server.requests]

    frame = load_results(run.run_dir)
    assert list(frame["judge_score"]) == [4, 4, 4, 4]
    assert summarize(frame).iloc[0]["judge_score"] == 4
    assert "SCORE: <1-5>" in prompts[0][0]["content"]
    assert '<document doc_type="readme">' in prompts[0][1]["content"]


def test_judge_scores_are_read_from_the_last_score_line() -> None:
    from codescribe.evals.metrics import parse_judge_score

    assert parse_judge_score("Good.\nSCORE: 5") == 5
    assert parse_judge_score("SCORE: 2 at first... then\nscore: 3") == 3
    assert parse_judge_score("No verdict.") is None
    assert parse_judge_score("SCORE: 9") is None


def test_with_30_percent_faults_every_sample_ends_as_a_result_or_a_recorded_error(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    monkeypatch.setenv("LLM_TIMEOUT", "1")
    with ScriptedLLMServer(text="# Doc\n\nText.\n", fault_rate=0.3, seed=7) as flaky:
        run = EvalRunner(
            suite(systems=[scripted_system(flaky, concurrency=8)], doc_types=["readme", "api", "module"], repeats=3),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        ).run()
        requests = len(flaky.requests)

    frame = load_results(run.run_dir)
    assert len(frame) == 36
    assert frame["sample_id"].is_unique
    assert set(frame["status"]) <= {"ok", "error"}
    assert frame["retries"].sum() > 0
    assert requests > 36, "faults were retried"
    assert (frame["status"] == "ok").mean() > 0.8, "most faults are transient and retried away"
    assert frame[frame["status"] == "ok"]["ttft_ms"].notna().all(), "streamed: time to first token recorded"


def test_the_reports_statistics_agree_with_their_textbook_values() -> None:
    import math

    import pandas as pd

    from codescribe.evals.reporting import _sign_test, paired_comparison

    # the exact two-sided sign test, by hand: P(X <= 1) for X ~ Binomial(10, 1/2), doubled
    assert _sign_test(9, 1) == pytest.approx(2 * (math.comb(10, 0) + math.comb(10, 1)) / 2**10)
    assert _sign_test(5, 5) == pytest.approx(1.0)
    rows = [
        {
            "system": system,
            "status": "ok",
            "doc_type": "readme",
            "file": f"f{n}.py",
            "repeat": 0,
            "quality": 50 + n + (10 if system == "b" else 0),
        }
        for n in range(12)
        for system in ("a", "b")
    ]
    better = paired_comparison(pd.DataFrame(rows), "a", "b")
    same = paired_comparison(pd.DataFrame(rows), "a", "a")

    assert better.mean_difference == 10
    assert better.ci_low == better.ci_high == 10, "every difference is 10: so is every resample's mean"
    assert better.p_value < 0.01, "12 differences of one sign: 2 of 4,096 sign patterns are as extreme"
    assert same.p_value == 1.0


def test_a_suites_corpus_dir_is_relative_to_the_suite_file(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "suites"
    folder.mkdir()
    relative = Path("..") / corpus.relative_to(tmp_path)
    loaded = load_suite(write_suite(folder, f"name: x\nsystems: [{{provider: offline}}]\ncorpus_dir: {relative}\n"))

    assert Path(str(loaded.corpus_dir)).resolve() == corpus.resolve()


def test_run_inside_a_running_loop_says_to_await_arun(corpus: Path, tmp_path: Path) -> None:
    async def inside() -> None:
        EvalRunner(suite(), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    with pytest.raises(RuntimeError, match=r"await runner\.arun\(\)"):
        asyncio.run(inside())


def test_a_suite_whose_provider_cannot_be_built_leaves_no_run_behind(corpus: Path, tmp_path: Path) -> None:
    spec = suite(systems=[{"provider": "offlin"}])

    with pytest.raises(LLMError, match="Unknown provider 'offlin'"):
        EvalRunner(spec, runs_dir=tmp_path / "runs", run_id="r", corpus_dir=corpus).run()

    assert not (tmp_path / "runs" / "r").exists()


@pytest.mark.parametrize("change", ["model", "base_url", "max_tokens", "label"])
def test_the_response_cache_never_serves_an_answer_made_under_other_settings(
    change: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(text="# First\n\nFrom the first.") as first, ScriptedLLMServer(text="# Second") as second:
        before = {**scripted_system(first), "label": "system"}
        after = {
            **before,
            **{
                "model": {"model": "gpt-6.2-sol"},
                "base_url": {"base_url": second.openai_url},
                "max_tokens": {"max_tokens": 321},
                "label": {"label": "same-settings-other-label"},
            }[change],
        }

        def run(system: dict[str, object]) -> Path:
            spec = suite(systems=[system], doc_types=["readme"], cache=True)
            return EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run().run_dir

        run(before)
        calls = len(first.requests) + len(second.requests)
        changed = load_results(run(after))
        calls_after = len(first.requests) + len(second.requests)
        repeated = load_results(run(after))

    if change == "label":  # the label only names the system: the answer's settings are the same
        assert changed["response_cached"].all()
        assert calls_after == calls
    else:
        assert not changed["response_cached"].any(), "a changed setting makes new calls"
        assert calls_after == 2 * calls
    assert repeated["response_cached"].all(), "the same settings again: every answer from the cache"
    # Trial of issue 13: a cached sample kept the first call's cost and latency, so sums and percentiles lied.
    assert (repeated["cost_usd"] == 0).all()
    assert repeated["latency_ms"].isna().all()


def test_a_report_on_a_run_whose_every_sample_failed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``shared/cases/report-all-failed``: the report used to end in a KeyError traceback."""
    monkeypatch.setenv("LLM_API_KEY", "k")
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    nobody = {"provider": "openai", "model": "gpt-6.1-sol", "base_url": "http://127.0.0.1:9/v1"}
    run = EvalRunner(suite(systems=[nobody], doc_types=["readme"]), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    code = main(["eval", "report", str(run.run_dir)])
    summary = summarize(load_results(run.run_dir)).set_index("system")

    assert code == 0
    assert run.errors == run.samples == 4
    assert summary.loc["openai/gpt-6.1-sol", "ok"] == 0
    assert summary.loc["openai/gpt-6.1-sol", "error_rate"] == 1


def test_a_run_written_by_an_older_version_is_not_silently_restarted(corpus: Path, tmp_path: Path) -> None:
    old = tmp_path / "runs" / "old"
    old.mkdir(parents=True)
    (old / "results.jsonl").write_text('{"sample_id": "x", "status": "ok"}\n')

    with pytest.raises(ValueError, match=r"older CodeScribe \(results\.jsonl\).*start a new run"):
        EvalRunner(suite(), runs_dir=tmp_path / "runs", run_id="old", corpus_dir=corpus).run()

    assert not (old / "run.sqlite").exists()


def test_writers_with_other_azure_deployments_have_other_identities() -> None:
    from codescribe.engine.writers import ModelWriter
    from codescribe.llm import LLMConfig, create_provider

    def writer(deployment: str) -> ModelWriter:
        options = {"endpoint": "https://r.example", "deployment": deployment}
        return ModelWriter(create_provider(LLMConfig(provider="azure-openai", api_key="k", options=options)))

    assert writer("a").identity != writer("b").identity
    assert "k" not in writer("a").identity, "never the key"


def test_a_bad_corpus_manifest_names_the_file_and_the_entry(tmp_path: Path) -> None:
    from codescribe.evals.corpus import load_corpus

    (tmp_path / "manifest.yaml").write_text("- {path: a.py, language: python, size: huge, lines: -3}\n")

    with pytest.raises(
        ValueError, match=r"manifest\.yaml: not a valid corpus manifest: entry 1: size: .*entry 1: lines"
    ):
        load_corpus(tmp_path)


def test_the_budget_never_refuses_a_call_over_reservations_still_in_flight(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ../shared/cases/usage-lost-midstream: with room for one worst case at a time, four calls in
    # flight at once used to refuse three; they wait for the first to settle at its (small) real cost.
    from codescribe.llm import LLMConfig, create_provider
    from codescribe.llm.budget import CostBudget

    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(input_tokens=200, output_tokens=100) as cheap:
        system = scripted_system(cheap, concurrency=4, max_tokens=1_000)
        config = LLMConfig(provider="openai", model="gpt-6.1-sol", api_key="k", max_tokens=1_000)
        largest = max(len(p.read_text()) for p in corpus.rglob("*.*") if p.suffix != ".yaml")
        worst = CostBudget(None).worst_case(create_provider(config), largest)
        run = EvalRunner(
            suite(systems=[system], budget_usd=1.5 * worst, doc_types=["readme"]),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        ).run()

    frame = load_results(run.run_dir)
    assert set(frame["status"]) == {"ok"}, "every call fits once the ones before it settle"
    assert run.spent_usd <= 1.5 * worst


def test_a_report_on_a_run_where_every_sample_failed_says_so(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # ../shared/cases/report-all-failed (peer: stanfordnlp/dspy PR #1193): a KeyError traceback before.
    server.push(*[Reply(400, body={"error": {"message": "bad request"}}) for _ in range(8)])
    run = EvalRunner(
        suite(systems=[scripted_system(server)], doc_types=["readme"]), runs_dir=tmp_path / "runs", corpus_dir=corpus
    ).run()

    assert main(["eval", "report", str(run.run_dir), "--fail-under", "50"]) == 1

    out, err = capsys.readouterr()
    assert "`openai/gpt-6.1-sol`: no sample succeeded (4 of 4: VALIDATION ×4)" in out
    assert "nan" not in out.lower()
    assert "openai/gpt-6.1-sol: none of its 4 samples finished (VALIDATION ×4), so it has no quality" in err
    html = (run.run_dir / "report" / "report.html").read_text()
    assert "NaN" not in html
    assert 'class="wide"' in html  # the wide table scrolls instead of overflowing the page


def test_the_response_cache_never_serves_another_models_answer(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ../shared/cases/eval-cache-other-model (peer: promptfoo PR #1181): one label, the model and URL changed.
    monkeypatch.setenv("LLM_API_KEY", "k")
    with (
        ScriptedLLMServer(text="# Inventory\n\nWritten by MODEL-ONE.\n") as one,
        ScriptedLLMServer(text="# Inventory\n\nWritten by MODEL-TWO.\n") as two,
    ):
        documents = []
        for model, server in (("gpt-6.1-sol", one), ("gpt-5.4", two)):
            system = {**scripted_system(server, concurrency=1), "model": model, "label": "docs-bot"}
            spec = suite(systems=[system], doc_types=["readme"], cache=True, keep_documents=True)
            run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
            frame = load_results(run.run_dir)
            assert not frame["response_cached"].any()
            documents.append(set(RunStore(run.run_dir, read_only=True).documents().values()))

    assert two.requests, "the second model was asked"
    assert all("MODEL-ONE" in doc for doc in documents[0])
    assert all("MODEL-TWO" in doc for doc in documents[1])


def test_eval_run_exits_1_when_samples_have_no_result(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, capsys: pytest.CaptureFixture[str]
) -> None:
    offline = write_suite(tmp_path, "name: ok\nsystems: [{provider: offline}]\ndoc_types: [readme]\n")
    assert main(["eval", "run", str(offline), "--runs-dir", str(tmp_path / "runs"), "--corpus", str(corpus)]) == 0

    server.push(*[Reply(400, body={"error": {"message": "bad request"}}) for _ in range(8)])
    failing = tmp_path / "failing.yaml"
    failing.write_text(
        f"name: failing\nsystems: [{{provider: openai, model: gpt-6.1-sol, base_url: '{server.openai_url}'}}]\n"
        "doc_types: [readme]\n"
    )
    code = main(["eval", "run", str(failing), "--runs-dir", str(tmp_path / "runs"), "--corpus", str(corpus)])

    assert code == 1
    assert "4 samples have no result" in capsys.readouterr().err


def test_a_report_on_a_run_with_no_finished_sample_or_one_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty, one = RunStore(tmp_path / "empty-1"), RunStore(tmp_path / "one-1")
    empty.start({"run_id": "empty-1"})
    one.start({"run_id": "one-1"})
    record = {"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80}
    one.finish({**record, "breakdown": {"Overview": 20.0}}, "# x\n")
    empty.close()
    one.close()

    assert main(["eval", "report", str(tmp_path / "empty-1")]) == 1
    said = capsys.readouterr()
    assert "No sample of this run has finished" in said.out
    assert "--run-id empty-1" in said.out
    assert "no sample has finished" in said.err
    assert "No sample of this run has finished" in (tmp_path / "empty-1" / "report" / "report.html").read_text()
    assert main(["eval", "report", str(tmp_path / "one-1"), "--fail-under", "70"]) == 0
    summary = (tmp_path / "one-1" / "report" / "summary.md").read_text()
    assert "| a | 1 | 1 | 0 | 80 |" in summary  # one sample: a mean, and no interval to claim


def test_a_baseline_counts_a_system_that_now_fails_every_sample_as_a_regression(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial of issue 13: a system with a quality before and none now (NaN) passed `--baseline`.
    before, now = RunStore(tmp_path / "before-1"), RunStore(tmp_path / "now-1")
    for store in (before, now):
        store.start({"run_id": store.run_dir.name})
    before.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80}, None)
    now.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "error", "error_type": "NETWORK"}, None)
    before.close()
    now.close()

    assert main(["eval", "report", str(now.run_dir), "--baseline", str(before.run_dir)]) == 1
    assert "regression: a: no sample succeeded, so no quality (it was 80.0)" in capsys.readouterr().err
    assert main(["eval", "report", str(before.run_dir), "--baseline", str(before.run_dir)]) == 0
    # Trial of issue 13: an empty baseline gave a KeyError traceback; a baseline system this run
    # lacks passed in silence.
    empty, other = RunStore(tmp_path / "empty-1"), RunStore(tmp_path / "other-1")
    empty.start({"run_id": "empty-1"})
    other.start({"run_id": "other-1"})
    other.finish({"sample_id": "b|readme|x.py|0", "system": "b", "status": "ok", "quality": 80}, None)
    empty.close()
    other.close()
    capsys.readouterr()
    assert main(["eval", "report", str(before.run_dir), "--baseline", str(empty.run_dir)]) == 1
    assert "has no finished sample to compare with" in capsys.readouterr().err
    assert main(["eval", "report", str(before.run_dir), "--baseline", str(other.run_dir)]) == 1
    assert "regression: b: in the baseline, not in this run" in capsys.readouterr().err


def test_the_gates_fail_on_unfinished_samples_and_compare_only_the_samples_both_runs_finished(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial of issue 13: with 1 of 3 samples failed, `--fail-under 10 --baseline` exited 0; a baseline over
    # other files was read as a drop ("quality 15.0 fell from 91.3").
    def record(file: str, status: str = "ok", quality: float | None = 80.0) -> dict[str, object]:
        return {
            "sample_id": f"a|readme|{file}|0",
            "system": "a",
            "doc_type": "readme",
            "file": file,
            "repeat": 0,
            "status": status,
            "quality": quality,
            **({"error_type": "TIMEOUT"} if status != "ok" else {}),
        }

    base, new, other = (RunStore(tmp_path / name) for name in ("base-1", "new-1", "other-1"))
    for store in (base, new, other):
        store.start({"run_id": store.run_dir.name})
    for file in ("x.py", "y.py", "z.py"):
        base.finish(record(file, quality=90.0 if file == "z.py" else 80.0), None)
    new.finish(record("x.py"), None)
    new.finish(record("y.py"), None)
    new.finish(record("z.py", "error", None), None)
    other.finish(record("go.go", quality=20.0), None)
    for store in (base, new, other):
        store.close()

    assert main(["eval", "report", str(new.run_dir), "--fail-under", "10"]) == 1
    assert "regression: a: 1 of 3 samples did not finish (TIMEOUT ×1)" in capsys.readouterr().err
    assert main(["eval", "report", str(base.run_dir), "--baseline", str(new.run_dir)]) == 0, "80 against 80 on x, y"
    capsys.readouterr()
    assert main(["eval", "report", str(other.run_dir), "--baseline", str(base.run_dir)]) == 1
    said = capsys.readouterr().err
    assert "a: no finished sample in common with the baseline" in said
    assert "fell from" not in said


def test_a_run_without_a_budget_still_counts_what_it_spent(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer
) -> None:
    # Trial of issue 13: with no budget_usd, the summary said "$0.0000 spent" after paid calls.
    spec = suite(systems=[scripted_system(server)], doc_types=["readme"])
    run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    cost = load_results(run.run_dir)["cost_usd"].sum()
    assert cost > 0
    assert run.spent_usd == pytest.approx(cost)


def test_a_run_of_unknown_cost_says_so_instead_of_zero(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial of issue 13: a model missing from the price table made `eval run` print "$0.0000 spent".
    import yaml

    spec = suite(systems=[scripted_system(server, model="not-in-the-price-table")], doc_types=["readme"])
    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump(spec.model_dump(mode="json", exclude_none=True)))

    code = main(["eval", "run", str(path), "--runs-dir", str(tmp_path / "runs"), "--corpus", str(corpus)])

    line = capsys.readouterr().out
    assert code == 0
    assert "at least $0.0000 spent;" in line
    assert "billed calls of unknown cost, not counted" in line


def test_a_resumed_run_makes_the_failed_samples_again(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: errored samples counted as done, so a resume made nothing and exited 0.
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    server.push(*[Reply(503) for _ in range(4)])
    spec = suite(systems=[scripted_system(server, concurrency=1)], doc_types=["readme"])
    first = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    again = EvalRunner(spec, runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()
    last = EvalRunner(spec, runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()

    assert (first.errors, again.samples, again.errors, again.skipped_done) == (4, 4, 0, 0)
    assert (last.samples, last.skipped_done) == (0, 4)
    frame = load_results(first.run_dir)
    assert len(frame) == 4
    assert set(frame["status"]) == {"ok"}


def test_a_failed_attempt_replaced_by_a_new_one_stays_counted_as_spent(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "run-1")
    store.start({"run_id": "run-1"})
    failed = {"sample_id": "a|readme|x.py|0", "status": "error", "error_type": "NETWORK", "cost_usd": 0.25}
    store.finish({**failed, "judge_cost_usd": 0.5}, None)
    store.finish({"sample_id": "a|readme|x.py|0", "status": "ok", "quality": 80, "cost_usd": 0.125}, "# x\n")
    store.finish({"sample_id": "a|readme|x.py|0", "status": "ok", "quality": 10, "cost_usd": 9.0}, "# y\n")

    assert [record["quality"] for record in store.records()] == [80], "a success is kept, once"
    assert store.keep_lost_reservations() == 0.75
    store.close()


def test_report_numbers_are_written_out_never_in_scientific_notation(tmp_path: Path) -> None:
    # Trial of issue 13: a 19-second latency read "1.92e+04" in the summary table.
    store = RunStore(tmp_path / "slow-1")
    store.start({"run_id": "slow-1"})
    slow = {"system": "a", "status": "ok", "quality": 80, "latency_ms": 19234.5, "cost_usd": 0.0000123}
    store.finish({**slow, "sample_id": "a|readme|x.py|0"}, None)
    store.close()

    summary = write_report(store.run_dir)["markdown"].read_text()

    assert "e+0" not in summary
    assert "e-0" not in summary
    assert "| 19200 | 19200 | 0.0000123 |" in summary


def test_a_call_that_timed_out_is_charged_at_its_worst_case(
    corpus: Path, tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: six calls reached the server and timed out; the run said "$0.0000 spent".
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LLM_TIMEOUT", "0.2")
    server.push(*[Reply(delay=1.0) for _ in range(4)])
    spec = suite(systems=[scripted_system(server, concurrency=1)], doc_types=["readme"], budget_usd=10.0)
    run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    frame = load_results(run.run_dir)
    assert set(frame["error_type"]) == {"TIMEOUT"}
    assert run.spent_usd > 0, "the server may have done the work: its worst case is spent"


def _one_file_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "geometry.py").write_text(DOCUMENTED)
    (folder / "manifest.yaml").write_text("- {path: geometry.py, language: python, size: small, lines: 14}\n")
    return folder


def _timing_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, retries: int) -> Path:
    """A one-file corpus, with calls that time out after 0.3 s and are retried ``retries`` times."""
    monkeypatch.setenv("LLM_API_KEY", "k")
    monkeypatch.setenv("LLM_TIMEOUT", "0.3")
    monkeypatch.setenv("LLM_MAX_RETRIES", str(retries))
    return _one_file_corpus(tmp_path)


def _worst_case(system: dict[str, object], corpus: Path) -> float:
    from codescribe.evals.execute import build_generator
    from codescribe.evals.suite import SystemSpec
    from codescribe.llm.budget import CostBudget

    generator = build_generator(SystemSpec.model_validate(system))
    assert generator.provider is not None
    chars, calls = generator.prompt_size(DOCUMENTED, doc_type="readme", filename="geometry.py")
    return CostBudget(None).worst_case(generator.provider, chars, calls)


def test_a_retry_after_a_time_out_is_reserved_before_it_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A time-out may be billed (the server worked on), at a cost nobody knows: the retry that
    # follows used to go on the first attempt's reservation, so three retried time-outs could
    # spend four worst cases under a budget that held one.
    corpus = _timing_out(tmp_path, monkeypatch, retries=3)
    with ScriptedLLMServer() as server:
        server.push(*[Reply(delay=1.0)] * 4)
        system = scripted_system(server, concurrency=1, max_tokens=1_000)
        worst = _worst_case(system, corpus)
        run = EvalRunner(
            suite(systems=[system], budget_usd=2.5 * worst, doc_types=["readme"]),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        ).run()
        requests = len(server.requests)

    [record] = load_results(run.run_dir).to_dict("records")
    assert requests == 2, "the second retry would cross the budget: it is not made"
    assert record["error_type"] == "TIMEOUT"
    assert "Not retried: the budget cannot cover another attempt" in record["error"]
    assert run.spent_usd == pytest.approx(2 * worst), "both time-outs count at their worst case"
    spending = run_spending(run.run_dir)
    assert spending.lost_usd == pytest.approx(worst), "the retried time-out is in the report"
    assert spending.unknown == 1, "and the last one is a billed call of unknown cost"


async def _killed_mid_call(runner: EvalRunner, server: ScriptedLLMServer) -> None:
    """Run ``runner`` until its first call reaches ``server``, then cancel it there (as a kill would)."""
    task = asyncio.create_task(runner.arun())
    while not server.requests:
        await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def test_a_run_without_a_budget_killed_mid_call_still_counts_the_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reservations used to be stored only under a budget_usd, so a run killed mid-call forgot a
    # call the provider may have billed.
    monkeypatch.setenv("LLM_API_KEY", "k")
    corpus = _one_file_corpus(tmp_path)
    with ScriptedLLMServer(latency=5.0) as slow:
        system = scripted_system(slow, concurrency=1, max_tokens=1_000)
        worst = _worst_case(system, corpus)
        runner = EvalRunner(
            suite(systems=[system], doc_types=["readme"]), runs_dir=tmp_path / "runs", corpus_dir=corpus, run_id="r"
        )
        asyncio.run(_killed_mid_call(runner, slow))

    assert run_spending(tmp_path / "runs" / "r").lost_usd == pytest.approx(worst)


def test_two_retries_that_each_wait_for_the_others_room_are_refused_not_stuck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: two samples in flight both timed out; each retry waited for the other's
    # reservation to be freed, which only its own end would free: the run hung for good.
    corpus = _timing_out(tmp_path, monkeypatch, retries=2)
    with ScriptedLLMServer() as server:
        server.push(*[Reply(delay=1.0)] * 6)
        system = scripted_system(server, concurrency=2, max_tokens=1_000)
        worst = _worst_case(system, corpus)
        runner = EvalRunner(
            suite(systems=[system], budget_usd=2.5 * worst, doc_types=["readme"], repeats=2),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        )
        run = asyncio.run(asyncio.wait_for(runner.arun(), 60))  # a guard against a hang, not a timing
        requests = len(server.requests)

    frame = load_results(run.run_dir)
    assert requests == 2, "neither retry fits beside the other sample's time-out"
    assert list(frame["error"].str.contains("Not retried")) == [True, True]
    assert run.spent_usd <= 2.5 * worst


def test_a_retry_the_budget_cannot_cover_is_neither_logged_nor_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Trial of issue 13: the refused retry was still logged ("retry 1/2 in 1.8s"), waited for, and
    # recorded as a retry.
    corpus = _timing_out(tmp_path, monkeypatch, retries=2)
    with ScriptedLLMServer() as server:
        server.push(Reply(delay=1.0))
        system = scripted_system(server, concurrency=1, max_tokens=1_000)
        worst = _worst_case(system, corpus)
        run = EvalRunner(
            suite(systems=[system], budget_usd=1.5 * worst, doc_types=["readme"]),
            runs_dir=tmp_path / "runs",
            corpus_dir=corpus,
        ).run()

    [record] = load_results(run.run_dir).to_dict("records")
    assert record["retries"] == 0
    assert "Not retried" in record["error"]
    assert not [r for r in caplog.records if "retry 1/" in r.getMessage()]


def test_a_resumed_run_still_counts_a_time_out_at_its_worst_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: a time-out's unknown cost was counted as $0 once the resumed run replaced its
    # record, so each resume made one more call: five calls under a budget that held one.
    corpus = _timing_out(tmp_path, monkeypatch, retries=0)
    with ScriptedLLMServer() as server:
        server.push(*[Reply(delay=1.0)] * 5)
        system = scripted_system(server, concurrency=1, max_tokens=1_000)
        worst = _worst_case(system, corpus)
        spec = suite(systems=[system], budget_usd=1.5 * worst, doc_types=["readme"])
        runs = [EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, run_id="r").run() for _ in range(3)]
        requests = len(server.requests)

    assert requests == 1, "the budget holds one worst case, and the first call's time-out used it"
    assert [run.over_budget for run in runs] == [0, 1, 1]
    spending = run_spending(tmp_path / "runs" / "r")
    assert spending.total_usd + spending.charged_usd == pytest.approx(worst)


def test_the_baseline_gate_fails_a_system_that_finished_nothing(tmp_path: Path) -> None:
    # Trial of issue 13: with --baseline alone, a system whose every sample failed passed (exit 0),
    # and so did any run compared with a baseline that finished nothing.
    import pandas as pd

    from codescribe.evals.gates import quality_gates

    def run(statuses: list[str]) -> pd.DataFrame:
        ok = [status == "ok" for status in statuses]
        return pd.DataFrame(
            {
                "system": ["a"] * len(statuses),
                "doc_type": ["readme"] * len(statuses),
                "file": [f"{i}.py" for i in range(len(statuses))],
                "repeat": [0] * len(statuses),
                "status": statuses,
                "quality": [80.0 if good else None for good in ok],
                "error_type": [None if good else "AUTH" for good in ok],
            }
        )

    good, failed = run(["ok", "ok"]), run(["error", "error"])

    refused = quality_gates(failed, baseline=good)
    assert refused[0] == "a: none of its 2 samples finished (AUTH ×2), so it has no quality"
    assert quality_gates(good, baseline=failed) == [
        "the baseline has no finished sample to compare with: choose a baseline run that succeeded"
    ]
    assert quality_gates(good, baseline=good) == []


def test_a_killed_call_of_a_model_without_a_price_is_still_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: its worst case is unknown, so nothing was stored, and after a kill the report
    # said "Spent $0.0000" with no call of unknown cost.
    monkeypatch.setenv("LLM_API_KEY", "k")
    corpus = _one_file_corpus(tmp_path)
    with ScriptedLLMServer(latency=5.0) as slow:
        system = {**scripted_system(slow, concurrency=1), "model": "not-in-the-price-table"}
        runner = EvalRunner(
            suite(systems=[system], doc_types=["readme"]), runs_dir=tmp_path / "runs", corpus_dir=corpus, run_id="r"
        )
        asyncio.run(_killed_mid_call(runner, slow))

    spending = run_spending(tmp_path / "runs" / "r")
    assert spending.unknown == 1
    assert "at least" in spending.describe()


def test_a_second_writer_of_the_same_run_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 14: two `eval run --run-id r` at once both ran every sample and together crossed the budget.
    monkeypatch.setenv("LLM_API_KEY", "k")
    corpus = _one_file_corpus(tmp_path)
    with ScriptedLLMServer(latency=2.0) as slow:
        spec = suite(systems=[scripted_system(slow, concurrency=1)], doc_types=["readme"])

        def runner() -> EvalRunner:
            return EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, run_id="r")

        async def both() -> str:
            first = asyncio.create_task(runner().arun())
            while not slow.requests:
                await asyncio.sleep(0.01)
            try:
                await runner().arun()
            except ValueError as refused:
                return str(refused)
            finally:
                await first
            return "not refused"

        message = asyncio.run(both())
        requests = len(slow.requests)

    assert f"process {os.getpid()} is writing this run now" in message
    assert requests == 1
    assert len(load_results(tmp_path / "runs" / "r")) == 1
