"""Every cache key holds everything that changes what is cached: each input, changed alone, changes the key.

The MkDocs page cache is tested by building sites (``tests/mkdocs/test_plugin.py``); the eval response
cache end to end in ``tests/evals/test_harness.py``. Here the keys themselves, input by input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.engine.analysis.saved import AnalysisStore
from codescribe.engine.generator import DocGenerator
from codescribe.engine.writers import ModelWriter
from codescribe.evals.execute import response_key
from codescribe.llm.factory import create_provider_from_env

BASE = {"LLM_PROVIDER": "openai", "LLM_API_KEY": "not-a-real-key", "LLM_MODEL": "gpt-6.1-sol"}


def _generator(
    env: dict[str, str], prompts: Path | None = None, budget: int = 50_000, **settings: object
) -> DocGenerator:
    writer = ModelWriter(create_provider_from_env({**BASE, **env}, **settings))
    return DocGenerator(writer=writer, prompts=prompts, context_budget_tokens=budget)


def _custom_prompts(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    (folder / "user").mkdir(parents=True)
    (folder / "user" / "readme.md.j2").write_text("Document {{ filename }} in one line.\n{{ code }}\n")
    return folder


AZURE = {"LLM_PROVIDER": "azure", "AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com"}
#: Each writer setting, as (the environment before, the environment after, settings after).
WRITER_CHANGES: dict[str, tuple[dict[str, str], dict[str, str], dict[str, object]]] = {
    "provider": ({}, {"LLM_PROVIDER": "anthropic"}, {}),
    "model": ({}, {"LLM_MODEL": "gpt-6.2-sol"}, {}),
    "base_url": ({}, {"LLM_BASE_URL": "http://127.0.0.1:9/v1"}, {}),
    "max_tokens": ({}, {"LLM_MAX_TOKENS": "321"}, {}),
    "temperature": ({}, {}, {"temperature": 0.7}),
    "option": (AZURE, {**AZURE, "AZURE_OPENAI_API_VERSION": "2025-04-01-preview"}, {}),
}


@pytest.mark.parametrize("change", [*WRITER_CHANGES, "prompts", "budget", "doc_type", "filename", "code"])
def test_the_eval_response_key_changes_with_each_input(change: str, tmp_path: Path) -> None:
    before_env, after_env, settings = WRITER_CHANGES.get(change, ({}, {}, {}))
    before = response_key(_generator(before_env), "readme", "calc.py", "x = 1\n")
    generator = _generator(
        after_env,
        prompts=_custom_prompts(tmp_path) if change == "prompts" else None,
        budget=1_000 if change == "budget" else 50_000,
        **settings,
    )
    doc_type = "api" if change == "doc_type" else "readme"
    filename = "other.py" if change == "filename" else "calc.py"
    after = response_key(generator, doc_type, filename, "x = 2\n" if change == "code" else "x = 1\n")

    assert after != before
    assert "not-a-real-key" not in repr(generator.writer.identity)


def test_the_eval_response_key_holds_no_key_and_ignores_it() -> None:
    one = response_key(_generator({}), "readme", "calc.py", "x = 1\n")
    other = response_key(_generator({"LLM_API_KEY": "not-a-real-key-either"}), "readme", "calc.py", "x = 1\n")

    assert one == other  # the key sends no secret into a file name, and a rotated key keeps the cache


@pytest.mark.parametrize("change", ["path", "source", "analysis_version", "parser"])
def test_the_analysis_store_key_changes_with_each_input(change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from codescribe.engine.analysis import saved

    before = AnalysisStore.key("pkg/calc.py", "x = 1\n")
    if change == "analysis_version":
        monkeypatch.setattr(saved, "ANALYSIS_VERSION", "a-next")
    if change == "parser":
        monkeypatch.setattr(saved, "parser_versions", lambda: (("tree-sitter", "99.0"),))
    after = AnalysisStore.key(
        "pkg/other.py" if change == "path" else "pkg/calc.py", "x = 2\n" if change == "source" else "x = 1\n"
    )

    assert after != before
