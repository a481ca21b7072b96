"""An evaluation against the real local model, over both protocols, with a pairwise judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.evals.reporting import load_pairwise, load_results
from codescribe.evals.runner import EvalRunner
from codescribe.evals.suite import Suite
from codescribe.testing.local_server import LocalLLMServer

from .conftest import LIVE_KEY

pytestmark = pytest.mark.live


def tiny_corpus(folder: Path) -> Path:
    """Two small files: the live server's context is 2,048 tokens, shared by its slots."""
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "add.py").write_text('def add(a: int, b: int) -> int:\n    """Sum."""\n    return a + b\n')
    (corpus / "greet.py").write_text('def greet(name: str) -> str:\n    return f"Hello, {name}!"\n')
    (corpus / "manifest.yaml").write_text(
        "- {path: add.py, language: python, size: small, lines: 3}\n"
        "- {path: greet.py, language: python, size: small, lines: 2}\n"
    )
    return corpus


def test_an_evaluation_of_the_local_model_over_both_protocols(
    live_server: LocalLLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", LIVE_KEY)
    monkeypatch.setenv("LLM_BASE_URL", live_server.openai_url)
    monkeypatch.setenv("LLM_MAX_TOKENS", "48")  # the judge's answers too
    system = {"model": "smollm2", "concurrency": 2, "max_tokens": 48}
    suite = Suite.model_validate(
        {
            "name": "live",
            "systems": [
                {**system, "provider": "openai-compatible", "base_url": live_server.openai_url},
                {**system, "provider": "anthropic-compatible", "base_url": live_server.anthropic_url},
            ],
            "doc_types": ["readme"],
            "repeats": 2,
            "judge": {"provider": "openai-compatible", "model": "smollm2", "mode": "pairwise"},
        }
    )

    run = EvalRunner(suite, runs_dir=tmp_path / "runs", corpus_dir=tiny_corpus(tmp_path)).run()

    frame = load_results(run.run_dir)
    assert len(frame) == 8
    # SmolLM2 (135M) often talks to the limit: a cut answer is an error of its own kind, its tokens counted
    failed = frame[frame["status"] != "ok"]
    assert set(failed["error_type"]) <= {"TRUNCATED"}, failed[["error_type", "error"]].drop_duplicates().to_string()
    assert (failed["output_tokens"] == 48).all()
    assert (frame["input_tokens"] > 0).all()
    assert (frame["output_tokens"] > 0).all()
    assert frame["ttft_ms"].notna().all()
    assert (frame["cost_usd"] == 0).all(), "a local server costs nothing"
    verdicts = load_pairwise(run.run_dir)  # pairs of finished answers only: none when no pair finished
    if verdicts is not None:
        assert len(verdicts) <= 4
        assert (verdicts["winner"].notna() | verdicts["judge_error"].notna()).all(), "each pair: a verdict or a reason"
