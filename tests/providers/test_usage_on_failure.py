"""A call that fails part way keeps what it used: the tokens reported and the text delivered, priced.

From ../shared/cases/usage-lost-midstream (peer: openai/openai-agents-python #1973): an Anthropic stream
reports its input in ``message_start``, streams text, then sends an ``overloaded_error`` event. The
error is classified by the provider's own error type, not the HTTP 200 it came under, and the usage
stays on the error, on the eval record and in the budget.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from codescribe.evals.reporting import load_results
from codescribe.evals.runner import EvalRunner
from codescribe.evals.suite import Suite
from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from tests.scripted_server import Reply, ScriptedLLMServer

OVERLOADED = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
KEY = "not-a-real-key"


def anthropic(server: ScriptedLLMServer, retries: int = 0) -> Any:
    return create_provider(
        LLMConfig(
            provider="anthropic", base_url=server.url, model="claude-sonnet-5-5", api_key=KEY, max_retries=retries
        )
    )


@pytest.mark.parametrize("asynchronous", [False, True])
def test_an_error_event_after_text_keeps_the_usage_and_is_a_server_error(asynchronous: bool) -> None:
    chunks: list[str] = []
    with ScriptedLLMServer(text=" ".join(["word"] * 40), input_tokens=5000, output_tokens=900) as server:
        server.push(Reply(stream_error=OVERLOADED))
        provider = anthropic(server, retries=2)

        def call() -> object:
            if asynchronous:
                return asyncio.run(provider.agenerate_with_streaming("Document this.", chunks.append))
            return provider.generate_with_streaming("Document this.", chunks.append)

        with pytest.raises(LLMError) as caught:
            call()

    error = caught.value
    assert error.error_type is ErrorType.SERVER_ERROR  # overloaded_error, though the status was 200
    assert chunks, "text reached the caller"
    assert len(server.requests) == 1, "not retried once text was shown"
    assert error.metadata is not None
    assert error.metadata.input_tokens == 5000
    assert error.metadata.output_tokens >= len("".join(chunks)) // 4  # the delivered text, at least
    assert error.metadata.cost_usd is not None
    assert error.metadata.cost_usd > 0
    assert error.to_dict()["cost_usd"] == error.metadata.cost_usd


class FailsBeforeText(ScriptedLLMServer):
    """Reports its input, then an error event before any text: retryable, and billed all the same."""

    def __init__(self, failures: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failures = failures

    def anthropic_stream(self, request: dict[str, Any]) -> list[tuple[str | None, dict[str, Any] | str]]:
        events = super().anthropic_stream(request)
        if len(self.requests) <= self.failures:
            return [events[0], ("error", OVERLOADED)]
        return events


def test_failed_attempts_are_counted_in_the_answer_and_in_the_final_error() -> None:
    with FailsBeforeText(failures=1, input_tokens=1000, output_tokens=10) as server:
        answer = anthropic(server, retries=2).generate_with_streaming("Document this.")
    assert answer.metadata.retries == 1
    assert answer.metadata.input_tokens == 2000  # the failed attempt's input was billed too

    with FailsBeforeText(failures=5, input_tokens=1000, output_tokens=10) as server, pytest.raises(LLMError) as caught:
        anthropic(server, retries=2).generate_with_streaming("Document this.")
    assert caught.value.error_type is ErrorType.SERVER_ERROR
    assert caught.value.metadata is not None
    assert caught.value.metadata.input_tokens == 3000  # three attempts


def test_a_cut_stream_keeps_what_it_reported() -> None:
    class Cut(ScriptedLLMServer):
        def anthropic_stream(self, request: dict[str, Any]) -> list[tuple[str | None, dict[str, Any] | str]]:
            return super().anthropic_stream(request)[:5]  # no message_delta, no message_stop

    with (
        Cut(text="one two three four five six", chunks=6, input_tokens=700) as server,
        pytest.raises(LLMError) as caught,
    ):
        anthropic(server).generate_with_streaming("Document this.", lambda chunk: None)
    assert caught.value.error_type is ErrorType.NETWORK
    assert caught.value.metadata is not None
    assert caught.value.metadata.input_tokens == 700


def test_an_eval_of_failing_streams_records_and_charges_what_they_used(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (corpus / "manifest.yaml").write_text("- {path: calc.py, language: python, size: small, lines: 2}\n")
    with ScriptedLLMServer(text=" ".join(["doc"] * 400), chunks=20, input_tokens=3000, output_tokens=1200) as server:
        server.push(*[Reply(stream_error=OVERLOADED) for _ in range(6)])
        system = {"provider": "anthropic", "model": "claude-sonnet-5-5", "base_url": server.url, "concurrency": 2}
        suite = Suite.model_validate(
            {"name": "midstream", "systems": [system], "repeats": 6, "budget_usd": 5.0, "stream": True}
        )
        with pytest.MonkeyPatch.context() as env:
            env.setenv("ANTHROPIC_API_KEY", KEY)
            run = EvalRunner(suite, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    frame = load_results(run.run_dir)
    assert set(frame["status"]) == {"error"}
    assert (frame["input_tokens"] == 3000).all()
    assert (frame["cost_usd"] > 0).all()
    assert run.spent_usd == pytest.approx(frame["cost_usd"].sum())
    assert run.spent_usd > 0
