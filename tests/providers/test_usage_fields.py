"""Usage a server reports is parsed defensively: a count that is no count gives an unknown cost, never a crash,
a negative cost or a made-up price."""

from __future__ import annotations

from typing import Any

import pytest

from codescribe.llm import LLMConfig, ModelPrice, PriceTable
from codescribe.llm.providers.openai import OpenAIProvider
from tests.scripted_server import Reply, ScriptedLLMServer

from .mock_transport import (
    anthropic_message,
    anthropic_stream,
    json_reply,
    mocked_provider,
    openai_completion,
    openai_stream,
    sse_reply,
)


def completion(usage: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "priced",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Docs."}, "finish_reason": "stop"}],
        "usage": usage,
    }


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": "NaN", "completion_tokens": 5, "total_tokens": 5},
        {"prompt_tokens": -1000, "completion_tokens": 5, "total_tokens": -995},
        # Trial of issue 13: 10^30 tokens were priced ($1.25e25 spent against a $5 budget), then crashed the report.
        {"prompt_tokens": 10**30, "completion_tokens": 5, "total_tokens": 10**30 + 5},
        {
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "total_tokens": 15,
            "prompt_tokens_details": {"cached_tokens": 500},
        },
    ],
)
def test_usage_that_is_no_count_gives_an_unknown_cost(usage: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    prices = PriceTable({"priced": ModelPrice(input=1.0, output=1.0, cache_write=1.0, cache_read=0.1)})
    with ScriptedLLMServer() as server:
        server.push(Reply(body=completion(usage)))
        config = LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="priced", max_retries=0)
        result = OpenAIProvider(config, prices=prices).generate("Document it.")

    assert result.text == "Docs."
    assert result.metadata.cost_usd is None
    assert min(result.metadata.input_tokens, result.metadata.output_tokens, result.metadata.cache_read_tokens) >= 0
    assert "sent usage that is no count" in caplog.text


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
def test_counts_sent_as_digit_strings_are_read_alike_on_both_protocols(protocol: str) -> None:
    """Trial of issue 13: the OpenAI SDK reads ``"100"`` as 100, and Anthropic's answer used to cost unknown."""
    if protocol == "openai":
        body = {**openai_completion("gpt-4o"), "usage": {"prompt_tokens": "100", "completion_tokens": "20"}}
    else:
        body = {**anthropic_message("claude-sonnet-4-5"), "usage": {"input_tokens": "100", "output_tokens": "20"}}
    provider = mocked_provider(protocol, json_reply(body))
    assert provider.price is not None, "a priced model"

    result = provider.generate("Document it.")

    assert (result.metadata.input_tokens, result.metadata.output_tokens) == (100, 20)
    price = provider.price
    assert result.metadata.cost_usd == pytest.approx((100 * price.input + 20 * price.output) / 1e6)


@pytest.mark.parametrize(
    ("protocol", "usage"),
    [
        ("openai", "lots"),
        ("openai", [1, 2, 3]),
        ("openai", {"prompt_tokens": 10, "completion_tokens": 5, "prompt_tokens_details": "lots"}),
        ("anthropic", "lots"),
        ("anthropic", [1, 2, 3]),
    ],
)
def test_a_usage_that_is_no_object_keeps_the_answer_at_an_unknown_cost(
    protocol: str, usage: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Trial of issue 13: a usage of "lots" raised AttributeError inside the provider: the billed answer was
    # thrown away as an UNKNOWN error, and its call was not counted.
    body = openai_completion("gpt-4o") if protocol == "openai" else anthropic_message("claude-sonnet-4-5")
    provider = mocked_provider(protocol, json_reply({**body, "usage": usage}))

    result = provider.generate("Document it.")

    assert result.text
    assert result.metadata.cost_usd is None
    assert result.metadata.usage is not None
    assert "sent usage that is no count" in caplog.text


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
def test_more_output_than_max_tokens_allows_is_no_count(protocol: str, caplog: pytest.LogCaptureFixture) -> None:
    # Trial of issue 13: a server reporting 900,000 output tokens for max_tokens 100 crossed budget_usd 36 times.
    if protocol == "openai":
        body = {**openai_completion("gpt-4o"), "usage": {"prompt_tokens": 10, "completion_tokens": 900_000}}
    else:
        body = {**anthropic_message("claude-sonnet-4-5"), "usage": {"input_tokens": 10, "output_tokens": 900_000}}
    provider = mocked_provider(protocol, json_reply(body), max_tokens=100)

    result = provider.generate("Document it.")

    assert result.text
    assert result.metadata.cost_usd is None
    assert "more than the request's max_tokens (100)" in caplog.text


def _openai_without_usage() -> Any:
    completion = openai_completion("gpt-4o")
    del completion["usage"]
    return json_reply(completion)


NO_COUNTS = {
    # A server that sends no usage object at all.
    "openai answer without usage": ("openai", False, _openai_without_usage()),
    # A stream that ends after its finish_reason, before the usage chunk and [DONE] (its text is whole).
    "openai stream cut before its usage": ("openai", True, sse_reply(openai_stream("gpt-4o")[:-2])),
    # A stream whose final count is null: message_start's output count (1) is a placeholder.
    "anthropic stream with a null final count": (
        "anthropic",
        True,
        sse_reply(
            [
                *anthropic_stream("claude-sonnet-4-5")[:-2],
                (
                    "message_delta",
                    {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": None}},
                ),
                ("message_stop", {"type": "message_stop"}),
            ]
        ),
    ),
    # Usage whose counts are null.
    "anthropic usage with null counts": (
        "anthropic",
        False,
        json_reply({**anthropic_message("claude-sonnet-4-5"), "usage": {"input_tokens": None, "output_tokens": None}}),
    ),
}


@pytest.mark.parametrize("case", list(NO_COUNTS))
def test_an_answer_without_token_counts_has_an_unknown_cost_not_zero(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Trial of issue 13: a priced model's answer with no usage was billed at $0.0000.
    name, stream, reply = NO_COUNTS[case]
    provider = mocked_provider(name, reply)
    assert provider.price is not None, "a priced model"

    result = provider.generate_with_streaming("Document it.", lambda _: None) if stream else provider.generate("Doc.")

    assert result.text
    assert result.metadata.cost_usd is None
    assert "sent no token counts" in caplog.text
