"""Faults a real provider sends, injected on the loopback server, through every surface.

The faults are the kinds of issue 13 that the local llama-server cannot be made to produce: an
error object under status 200, an error event inside a stream after text was shown, a
``retry-after`` that is not a number (``nan``), an overload status (529). Each goes through the
provider (both protocols; streaming and not; sync and async), ``codescribe generate``, an eval run
and a ``mkdocs build``. The outcome is the same everywhere: an ``LLMError`` of a known type, a
failed file or sample, a page that is never the broken answer; never a success, never a crash, and
the usage a failed stream reported is kept.
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest

from codescribe.cli import main
from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from tests.scripted_server import Reply, ScriptedLLMServer

KEY = "not-a-real-key"
PROTOCOLS = ["openai", "anthropic"]
MODELS = {"openai": "gpt-6.1-sol", "anthropic": "claude-sonnet-5-5"}
#: Each fault as each protocol's server sends it, and the error type it must become.
FAULTS: dict[str, tuple[dict[str, Reply], ErrorType]] = {
    "error body under 200": (
        {
            "openai": Reply(200, body={"error": {"message": "The server is overloaded.", "type": "server_error"}}),
            "anthropic": Reply(200, body={"type": "error", "error": {"type": "overloaded_error", "message": "Busy"}}),
        },
        ErrorType.SERVER_ERROR,
    ),
    "retry-after nan": ({name: Reply(429, headers={"retry-after": "nan"}) for name in PROTOCOLS}, ErrorType.RATE_LIMIT),
    "overloaded 529": ({name: Reply(529) for name in PROTOCOLS}, ErrorType.SERVER_ERROR),
}
MID_STREAM = {  # an error event after text, as each protocol writes it
    "openai": {"error": {"message": "The server had an error.", "type": "server_error"}},
    "anthropic": {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
}
TEXT = "# calc\n\n## Overview\n\nA module that adds numbers with `add`.\n"


def _base_url(server: ScriptedLLMServer, name: str) -> str:
    return server.openai_url if name == "openai" else server.url


def _provider(server: ScriptedLLMServer, name: str) -> Any:
    config = LLMConfig(provider=name, base_url=_base_url(server, name), model=MODELS[name], api_key=KEY, max_retries=0)
    return create_provider(config)


def _call(provider: Any, mode: str, chunks: list[str]) -> Any:
    prompt = "Document add(a, b)."
    if mode == "sync":
        return provider.generate(prompt)
    if mode == "async":
        return asyncio.run(provider.agenerate(prompt))
    if mode == "stream":
        return provider.generate_with_streaming(prompt, chunks.append)
    return asyncio.run(provider.agenerate_with_streaming(prompt, chunks.append))


@pytest.mark.parametrize("mode", ["sync", "async", "stream", "async stream"])
@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("name", PROTOCOLS)
def test_the_provider_raises_a_typed_error_for_every_fault(name: str, fault: str, mode: str) -> None:
    replies, expected = FAULTS[fault]
    chunks: list[str] = []
    with ScriptedLLMServer(text=TEXT) as server:
        server.push(replies[name])
        with pytest.raises(LLMError) as caught:
            _call(_provider(server, name), mode, chunks)

    assert caught.value.error_type is expected
    assert caught.value.provider == name
    assert KEY not in str(caught.value)


@pytest.mark.parametrize("mode", ["stream", "async stream"])
@pytest.mark.parametrize("name", PROTOCOLS)
def test_an_error_event_after_text_is_an_error_that_keeps_the_usage(name: str, mode: str) -> None:
    chunks: list[str] = []
    with ScriptedLLMServer(text=TEXT * 5, input_tokens=4000) as server:
        server.push(Reply(stream_error=MID_STREAM[name]))
        with pytest.raises(LLMError) as caught:
            _call(_provider(server, name), mode, chunks)

    assert caught.value.error_type is ErrorType.SERVER_ERROR
    assert chunks, "text had reached the caller"
    used = caught.value.metadata
    assert used is not None
    assert used.output_tokens > 0  # the text delivered is counted
    if name == "anthropic":  # its stream reports the input first (message_start); OpenAI's only at the end
        assert used.input_tokens == 4000


#: (fault, streaming): every fault both ways, and an error event, which exists only in a stream.
CLI_CASES = [*((fault, stream) for fault in FAULTS for stream in (False, True)), ("error event mid-stream", True)]


@pytest.mark.parametrize(("fault", "stream"), CLI_CASES)
@pytest.mark.parametrize("name", PROTOCOLS)
def test_generate_fails_the_file_and_writes_nothing(
    name: str, fault: str, stream: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, capsys: Any
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LLM_API_KEY", KEY)
    with ScriptedLLMServer(text=TEXT) as server:
        reply = Reply(stream_error=MID_STREAM[name]) if fault not in FAULTS else FAULTS[fault][0][name]
        server.push(reply)
        monkeypatch.setenv("LLM_BASE_URL", _base_url(server, name))
        arguments = ["generate", str(source / "calc.py"), "-p", name, "-m", MODELS[name], "-t", "readme"]
        # ``--stream`` prints as it comes, and writes to --out once the text is whole
        code = main([*arguments, *(["--stream"] if stream else []), "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 1, "the file failed (exit 1), the configuration is fine (not 2)"  # trial of issue 13: 2 streamed
    assert "calc.py [readme]: FAILED: " in err
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in err
    assert KEY not in err


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("name", PROTOCOLS)
def test_an_eval_records_every_fault_as_a_failed_sample_with_its_usage(
    name: str, stream: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codescribe.evals.reporting import load_results, write_report
    from codescribe.evals.runner import EvalRunner
    from codescribe.evals.suite import Suite

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    manifest = []
    for number in range(4):
        (corpus / f"m{number}.py").write_text(f"def f{number}(a):\n    return a\n")
        manifest.append(f"- path: m{number}.py\n  language: python\n  project: faults\n  size: small\n")
    (corpus / "manifest.yaml").write_text("".join(manifest))
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LLM_API_KEY", KEY)
    with ScriptedLLMServer(text=TEXT * 3, input_tokens=3000) as server:
        faults = [reply[name] for reply, _ in FAULTS.values()]
        server.push(*(faults + ([Reply(stream_error=MID_STREAM[name])] if stream else [Reply(529)])))
        system = {"provider": name, "model": MODELS[name], "base_url": _base_url(server, name), "concurrency": 1}
        suite = Suite.model_validate({"name": "faults", "systems": [system], "doc_types": ["readme"], "stream": stream})
        run = EvalRunner(suite, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    frame = load_results(run.run_dir)
    assert len(frame) == 4
    assert (frame["status"] == "error").all()
    assert frame["error_type"].isin(["SERVER_ERROR", "RATE_LIMIT"]).all()
    if stream and name == "anthropic":  # the failed stream's reported input is on its record
        assert frame["input_tokens"].max() == 3000
    assert write_report(run.run_dir)["markdown"].read_text().count("no sample succeeded") == 1


@pytest.mark.parametrize("on_error", ["fallback", "fail"])
@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_mkdocs_build_never_publishes_a_broken_answer(
    name: str, on_error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "calc.py").write_text('"""Adding."""\n\n\ndef add(a, b):\n    return a + b\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Calc\n")
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(f"""
            site_name: Calc
            plugins:
              - codescribe:
                  source: src
                  provider: {name}
                  model: {MODELS[name]}
                  doc_types: [module]
                  on_error: {on_error}
        """)
    )
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LLM_API_KEY", KEY)
    with ScriptedLLMServer(text="# calc\n\nWritten by the broken model.\n") as server:
        server.push(FAULTS["error body under 200"][0][name])
        monkeypatch.setenv("LLM_BASE_URL", _base_url(server, name))
        config = load_config(str(tmp_path / "mkdocs.yml"))
        if on_error == "fail":
            with pytest.raises(Abort):  # the plugin's PluginError stops the build
                build(config)
            return
        build(config)

    page = next((tmp_path / "site").rglob("calc/index.html")).read_text()
    assert "Written by the broken model" not in page
    assert "add" in page  # the offline engine's page stands in
