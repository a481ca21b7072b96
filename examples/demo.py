"""``make demo`` (``python examples/demo.py``): CodeScribe's main job, offline, on its embedded defaults.

1. Documents a sample project (Python, JavaScript, TypeScript, Go, Java and Rust) and
   CodeScribe itself with the offline engine: no key, no network. Prints where the pages
   are and the quality of each.
2. Documents one file through a real local LLM server (llama-server with SmolLM2-135M, a
   tiny model: its prose is weak, the traffic is real) through both the OpenAI and the
   Anthropic protocol, configured by environment variables as a user would.
3. Compares the offline engine with the local model over both protocols on a slice of the
   evaluation corpus, and prints the report (the numbers are what was measured).
"""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

from codescribe.engine.generator import DocGenerator, DocResult
from codescribe.engine.output import quality_table, write_result
from codescribe.llm import LLMError, create_provider_from_env
from codescribe.testing.local_server import DEFAULT_MODEL_PATH, LocalLLMServer, LocalServerError, find_binary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "engine" / "fixtures"
OUTPUT = Path("demo-output")


def _offline() -> None:
    generator = DocGenerator(offline=True)
    for name, source, doc_types in (
        ("sample-project", SAMPLE, ["module", "docstrings", "architecture"]),
        ("codescribe", ROOT / "codescribe", ["module", "architecture"]),
    ):
        out = OUTPUT / name
        outcome = generator.document_project(
            source, doc_types=doc_types, on_result=functools.partial(write_result, out)
        )
        print(
            f"\n== {name}: {len(outcome.results)} documents in {outcome.seconds:.1f} s, "
            f"{len(outcome.errors)} failed -> {out}/"
        )
        print(quality_table(outcome.results))
        for failed, reason in outcome.errors.items():
            print(f"  failed: {failed}: {reason}")


def _through(protocol: str, server: LocalLLMServer) -> DocResult:
    env = {
        "LLM_PROVIDER": f"{protocol}-compatible",  # a local server: no key needed
        "LLM_BASE_URL": server.openai_url if protocol == "openai" else server.anthropic_url,
        "LLM_MODEL": "smollm2",
        "LLM_MAX_TOKENS": "120",
    }
    print(f"\n== {protocol} protocol: " + " ".join(f"{k}={v}" for k, v in env.items()))
    generator = DocGenerator(create_provider_from_env(env))
    code = (SAMPLE / "python" / "inventory.py").read_text()
    print("  ", end="")
    result = generator.generate_documentation_streaming(
        code,
        lambda chunk: print(chunk.replace("\n", "\n   "), end="", flush=True),
        doc_type="readme",
        filename="inventory.py",
    )
    meta, quality = result.metadata, result.quality
    print(
        f"\n   -> quality {quality.score} ({quality.grade}), truthfulness {quality.truthfulness:.0%}; "
        f"{meta['input_tokens']} input + {meta['output_tokens']} output tokens, "
        f"{meta['cache_read_tokens']} read from the server's cache; {meta['latency_ms']:.0f} ms, "
        f"first token after {meta['ttft_ms']:.0f} ms"
    )
    return result


def _compare(server: LocalLLMServer) -> None:
    """The evaluation harness: the offline engine vs the local model over both protocols."""
    from codescribe.evals.reporting import write_report
    from codescribe.evals.runner import EvalRunner
    from codescribe.evals.suite import load_suite

    suite = load_suite(ROOT / "evals" / "suites" / "local-llm.yaml")
    urls = {"openai-compatible": server.openai_url, "anthropic-compatible": server.anthropic_url}
    systems = [s.model_copy(update={"base_url": urls.get(s.provider, s.base_url)}) for s in suite.systems]
    suite = suite.model_copy(update={"systems": systems})
    print(f"\n== evaluation: {', '.join(s.name for s in systems)} on {suite.corpus.limit} corpus files")
    summary = EvalRunner(suite, runs_dir=OUTPUT / "runs").run()
    paths = write_report(summary.run_dir)
    print(paths["markdown"].read_text(encoding="utf-8"))
    print(f"report: {paths['html']}")


def main() -> int:
    logging.basicConfig(level=logging.ERROR, format="  note: %(message)s", stream=sys.stdout)
    print("CodeScribe demo: documenting code offline, then through a real local LLM server.")
    _offline()
    try:
        with LocalLLMServer() as server:
            print(f"\nllama-server is up at {server.url} (model: {server.model_path.name})")
            for protocol in ("openai", "anthropic"):
                _through(protocol, server)
            _compare(server)
            binary = find_binary()
    except (LocalServerError, LLMError) as exc:
        print(f"\ndemo failed: {exc}", file=sys.stderr)
        return 1
    sample = (SAMPLE / "python" / "inventory.py").relative_to(ROOT)
    print(
        f"\nThe pages are in {OUTPUT.resolve()}/.\n\nTo try the local model yourself, from {ROOT}:\n"
        f"  {binary} -m {DEFAULT_MODEL_PATH} --port 8080 --alias smollm2 &\n"
        f"  LLM_PROVIDER=llamacpp LLM_MODEL=smollm2 .venv/bin/codescribe generate {sample} --stream\n"
        "Cloud providers work the same way: LLM_PROVIDER=anthropic and ANTHROPIC_API_KEY, say."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
