"""Both protocols for real against llama-server, configured the way a user would: by env.

Run with ``make test-live`` (it builds llama-server once and fetches the model).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import vcr

from codescribe.engine.generator import DocGenerator
from codescribe.llm import ErrorType, LLMError, create_provider_from_env
from codescribe.testing.local_server import LocalLLMServer

from .conftest import LIVE_KEY

pytestmark = pytest.mark.live

PROTOCOLS = ["openai", "anthropic"]
SYSTEM = "You are a terse technical writer. " * 20
PROMPT = "Write one sentence about a function that adds two numbers."


def env_for(name: str, server: LocalLLMServer, **extra: str) -> dict[str, str]:
    return {
        "LLM_PROVIDER": name,
        "LLM_BASE_URL": server.openai_url if name == "openai" else server.anthropic_url,
        "LLM_MODEL": "smollm2",
        "LLM_API_KEY": LIVE_KEY,
        "LLM_MAX_TOKENS": "32",
        **extra,
    }


def server_usage(cassette: Any) -> dict[str, Any]:
    """The usage the server put in its (last) response, JSON or SSE."""
    text = cassette.responses[-1]["body"]["string"]
    text = text.decode() if isinstance(text, bytes) else text
    if not text.startswith(("data:", "event:")):
        return dict(json.loads(text)["usage"])
    usage: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith("data:") and "[DONE]" not in line:
            event = json.loads(line[5:])
            usage.update(event.get("message", {}).get("usage", {}))
            usage.update(event.get("usage") or {})
    return usage


def observed(tmp_path: Path) -> Any:
    """Pass traffic through to the real server while keeping a copy to compare with."""
    return vcr.VCR(record_mode="all").use_cassette(str(tmp_path / "observed.yaml"))


@pytest.mark.parametrize("name", PROTOCOLS)
def test_generate_from_env_reports_the_servers_token_counts(
    name: str, live_server: LocalLLMServer, tmp_path: Path
) -> None:
    provider = create_provider_from_env(env_for(name, live_server))

    with observed(tmp_path) as cassette:
        result = provider.generate(PROMPT, system_prompt=SYSTEM)

    usage = server_usage(cassette)
    assert result.text.strip()
    assert result.metadata.provider == name
    assert result.metadata.input_tokens == usage["prompt_tokens" if name == "openai" else "input_tokens"]
    assert result.metadata.output_tokens == usage["completion_tokens" if name == "openai" else "output_tokens"]


@pytest.mark.parametrize("name", PROTOCOLS)
def test_streaming_from_env_reports_the_servers_token_counts(
    name: str, live_server: LocalLLMServer, tmp_path: Path
) -> None:
    provider = create_provider_from_env(env_for(name, live_server))
    chunks: list[str] = []

    with observed(tmp_path) as cassette:
        result = provider.generate_with_streaming(PROMPT, chunks.append, system_prompt=SYSTEM)

    usage = server_usage(cassette)
    assert len(chunks) > 1
    assert "".join(chunks) == result.text
    assert result.metadata.output_tokens == usage["completion_tokens" if name == "openai" else "output_tokens"]
    assert result.metadata.ttft_ms is not None


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_async_and_async_streaming(name: str, live_server: LocalLLMServer) -> None:
    provider = create_provider_from_env(env_for(name, live_server))
    chunks: list[str] = []

    plain = await provider.agenerate(PROMPT, system_prompt=SYSTEM)
    streamed = await provider.agenerate_with_streaming(PROMPT, chunks.append, system_prompt=SYSTEM)

    assert plain.text.strip()
    assert "".join(chunks) == streamed.text
    assert streamed.metadata.output_tokens > 0


@pytest.mark.parametrize("name", PROTOCOLS)
def test_shared_prefix_is_read_from_cache(name: str, live_server: LocalLLMServer) -> None:
    provider = create_provider_from_env(env_for(name, live_server))

    provider.generate(PROMPT, system_prompt=SYSTEM)
    second = provider.generate(PROMPT, system_prompt=SYSTEM)

    assert second.metadata.was_cached
    assert second.metadata.cache_read_tokens > 0


@pytest.mark.parametrize("name", PROTOCOLS)
def test_wrong_key_is_auth_error(name: str, live_server: LocalLLMServer) -> None:
    provider = create_provider_from_env(env_for(name, live_server, LLM_API_KEY="not-the-key"))

    with pytest.raises(LLMError) as caught:
        provider.generate(PROMPT)

    assert caught.value.error_type is ErrorType.AUTH
    assert caught.value.status_code == 401
    assert "not-the-key" not in str(caught.value)


@pytest.mark.parametrize("name", PROTOCOLS)
def test_oversized_prompt_is_context_length_error(name: str, live_server: LocalLLMServer) -> None:
    provider = create_provider_from_env(env_for(name, live_server))

    with pytest.raises(LLMError) as caught:
        provider.generate("word " * 3000)

    assert caught.value.error_type is ErrorType.CONTEXT_LENGTH


def test_a_file_the_servers_context_refuses_is_rewritten_in_smaller_pieces(live_server: LocalLLMServer) -> None:
    # helper-24's trial: a 25 KB file fitted the 24,000-token budget but not llama-server's context, and the run
    # failed with CONTEXT_LENGTH. Here the server's context is 2,048 tokens; the file is about 2,600.
    body = "def helper_{i}(value):\n    total = value + {i}\n    return total * 2 + {i}\n\n\n"
    source = "".join(body.format(i=i) for i in range(110))
    provider = create_provider_from_env(env_for("openai", live_server, LLM_MAX_RETRIES="0"))
    generator = DocGenerator(provider)

    result = generator.generate_documentation(source, doc_type="docstrings", filename="helpers.py")

    assert result.metadata.get("pieces", 1) > 1  # sent again in pieces the server took
    assert result.error_type != "CONTEXT_LENGTH"
    names = [f.name for f in ast.parse(result.documentation).body]  # type: ignore[attr-defined]
    assert names == [f"helper_{i}" for i in range(110)]
