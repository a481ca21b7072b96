"""Compatible-server rows (``llamacpp``, ``anthropic-compatible``) against a real llama-server.

They are the OpenAI and Anthropic providers with a row's constants: their own name, no key
required, a true zero cost. Recorded from a real llama-server.
"""

from __future__ import annotations

from typing import Any

import pytest

from codescribe.llm import LLMConfig, create_provider
from codescribe.llm.providers.base import LLMProvider

from .cassette_reading import response_json

pytestmark = pytest.mark.vcr

ROWS = {"llamacpp": "openai_url", "anthropic-compatible": "anthropic_url"}
PROMPT = "Name one use of a Python dictionary, in one sentence."


def make_provider(name: str, server: Any) -> LLMProvider:
    # The recording server wants a key; a keyless user would simply leave api_key out.
    return create_provider(
        LLMConfig(
            provider=name,
            base_url=getattr(server, ROWS[name]),
            model="smollm2",
            api_key=server.api_key,
            max_tokens=24,
            max_retries=0,
        )
    )


@pytest.mark.parametrize("name", ROWS)
def test_generate_under_the_rows_name_at_zero_cost(name: str, llm_server: Any, vcr: Any) -> None:
    result = make_provider(name, llm_server).generate(PROMPT)

    usage = response_json(vcr)["usage"]
    assert result.text.strip()
    assert result.metadata.provider == name
    assert result.metadata.cost_usd == 0.0
    assert result.metadata.output_tokens == usage.get("completion_tokens", usage.get("output_tokens"))


@pytest.mark.parametrize("name", ROWS)
def test_stream_under_the_rows_name(name: str, llm_server: Any, vcr: Any) -> None:
    chunks: list[str] = []

    result = make_provider(name, llm_server).generate_with_streaming(PROMPT, chunks.append)

    assert "".join(chunks) == result.text
    assert result.metadata.provider == name


@pytest.mark.parametrize("name", ROWS)
async def test_async_under_the_rows_name(name: str, llm_server: Any, vcr: Any) -> None:
    result = await make_provider(name, llm_server).agenerate(PROMPT)

    assert result.text.strip()
    assert result.metadata.provider == name


def test_llamacpp_sends_max_tokens_which_every_local_server_reads(llm_server: Any, vcr: Any) -> None:
    make_provider("llamacpp", llm_server).generate(PROMPT)

    body = vcr.requests[0].body.decode()
    assert '"max_tokens":24' in body
    assert "max_completion_tokens" not in body
