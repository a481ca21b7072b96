"""A file larger than the context budget reaches the model truncated, and the result says so."""

from __future__ import annotations

from codescribe.engine.generator import DocGenerator
from codescribe.llm import LLMConfig, create_provider
from codescribe.testing.scripted_server import ScriptedLLMServer


def test_a_5_mb_file_is_truncated_to_the_budget_with_a_note() -> None:
    source = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(200_000))
    with ScriptedLLMServer(text="# Huge\n\nDocs.") as server:
        provider = create_provider(
            LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="gpt-6.1-sol", max_retries=0)
        )
        generator = DocGenerator(provider, context_budget_tokens=2_000)

        result = generator.generate_documentation(source, doc_type="readme", filename="huge.py")

        sent = server.requests[0].body["messages"][1]["content"]
    assert len(source) > 5_000_000
    assert len(sent) < 20_000
    assert "truncated to fit the context budget" in sent
    assert any("truncated to 8,000 characters" in warning for warning in result.warnings)
    assert result.documentation == "# Huge\n\nDocs."
