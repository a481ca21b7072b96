"""A file larger than the context budget reaches the model truncated, and the result says so."""

from __future__ import annotations

from codescribe.engine.generator import DocGenerator
from codescribe.llm import LLMConfig, create_provider
from codescribe.llm.tokens import TEMPLATE_TOKENS
from tests.scripted_server import ScriptedLLMServer


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


def test_the_prompt_size_is_what_is_sent_and_a_budget_holds_it() -> None:
    # A file rewritten in pieces sends each piece with its own prompt around it: far more than the file (the
    # issue's 108 KB file sent 171 KB and crossed a $0.04 budget reserved on the file's length plus a margin).
    from codescribe.llm import ModelPrice, PriceTable
    from codescribe.llm.budget import CostBudget
    from codescribe.llm.providers.openai import OpenAIProvider

    source = "".join(f"def f{i}(x, y=None):\n    return x\n\n" for i in range(2_000))
    with ScriptedLLMServer(text="def f0(x, y=None):\n    return x\n") as server:
        config = LLMConfig(
            provider="openai", base_url=server.openai_url, api_key="k", model="priced", max_retries=0, max_tokens=100
        )
        prices = PriceTable({"priced": ModelPrice(input=1.0, output=1.0, cache_write=1.25, cache_read=0.1)})
        generator = DocGenerator(OpenAIProvider(config, prices=prices), context_budget_tokens=1_000)
        tokens, calls = generator.prompt_size(source, doc_type="docstrings", filename="calc.py")
        generator.generate_documentation(source, doc_type="docstrings", filename="calc.py")
        bodies = [request.body for request in server.requests]
    sent = sum(len(message["content"].encode()) for body in bodies for message in body["messages"])
    assert (tokens, calls) == (sent + calls * TEMPLATE_TOKENS, len(bodies))  # a token per byte sent, and the template's
    assert calls > 1
    assert tokens > len(source) + 12_000  # more than the old reservation's margin
    worst = CostBudget(None).worst_case(generator.provider, tokens, calls)  # type: ignore[arg-type]
    # priced at the cache-write rate, the dearer, per token of every prompt, and max_tokens out per call
    assert worst == (tokens * 1.25 + calls * 100 * 1.0) / 1_000_000
    assert not CostBudget(worst * 0.99).reserve("calc.py", generator.provider, tokens, calls)  # type: ignore[arg-type]


def test_a_budget_holds_text_whose_characters_are_several_tokens_each() -> None:
    """helper-23's F6: an emoji is 4 bytes, and SmolLM2 spent 2.99 tokens on each; a budget that counted a token
    a character was crossed ($0.30 spent of $0.25). A byte-level tokenizer spends at most a token per byte."""
    source = '"""' + "🙂" * 5_000 + '"""' + "\n\ndef smile():\n    return 1\n"
    with ScriptedLLMServer(text="# Smile") as server:
        config = LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="m", max_retries=0)
        generator = DocGenerator(create_provider(config))
        tokens, _ = generator.prompt_size(source, doc_type="readme", filename="smile.py")
    assert tokens >= 4 * 5_000  # what a byte-level tokenizer may spend on the emoji alone
