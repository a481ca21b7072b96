"""``codescribe serve`` in front of the real llama-server, over both protocols, called with curl.

The operator allows two providers that both reach llama-server: ``openai`` (``LLM_*``: its OpenAI-compatible
``/v1/chat/completions``) and ``anthropic`` (``ANTHROPIC_API_KEY`` and the Anthropic SDK's own
``ANTHROPIC_BASE_URL``: its ``/v1/messages``). ``X-LLM-Provider`` picks one per request, and the metadata says
which answered.
"""

from __future__ import annotations

import json

import pytest

from codescribe.testing.local_server import LocalLLMServer

from ..server.support import ServeProcess
from ..server.test_serve import answer, sse
from .conftest import LIVE_KEY

pytestmark = pytest.mark.live
CODE = "def add(a, b):\n    return a + b\n"


@pytest.fixture(scope="module")
def served(live_server: LocalLLMServer) -> ServeProcess:
    env = {
        "LLM_PROVIDER": "openai",
        "LLM_BASE_URL": live_server.openai_url,
        "LLM_API_KEY": LIVE_KEY,
        "LLM_MODEL": "smollm2",
        "LLM_MAX_TOKENS": "300",
        "ANTHROPIC_API_KEY": LIVE_KEY,
        "ANTHROPIC_BASE_URL": live_server.url,
        "CODESCRIBE_ALLOWED_PROVIDERS": "openai,anthropic",
        "CODESCRIBE_ALLOWED_MODELS": "smollm2",
    }
    with ServeProcess(**env) as process:
        yield process
    assert LIVE_KEY not in process.log  # nor in any line of the access log


def post(served: ServeProcess, path: str, provider: str) -> tuple[int, str]:
    request = json.dumps({"code": CODE, "docType": "api", "filename": "calc.py"})
    headers = ["-H", "content-type: application/json", "-H", f"X-LLM-Provider: {provider}"]
    return answer(served.curl("-N", *headers, "-H", "X-LLM-Model: smollm2", "-d", request, f"{served.url}{path}"))


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_generate_through_the_service_reaches_llama_server_over_the_chosen_protocol(
    served: ServeProcess, provider: str
) -> None:
    # SmolLM2 samples: an answer often runs past LLM_MAX_TOKENS, which is a 502 TRUNCATED (issue 13: a cut answer
    # is no document). Measured through the provider layer, 3 of 6 answers to this request ran past 300 tokens on
    # openai (1 of 6 on anthropic), and three tries failed the live suite now and then; eight rarely all run over.
    for _ in range(8):
        status, body = post(served, "/api/generate", provider)
        assert LIVE_KEY not in body
        if status != 502:
            break
        assert json.loads(body)["error"]["type"] == "TRUNCATED", body
    assert status == 200, body
    generated = json.loads(body)
    assert generated["documentation"].strip()
    assert generated["metadata"]["provider"] == provider
    assert generated["metadata"]["model"] == "smollm2"
    assert generated["metadata"]["outputTokens"] > 0  # the server's count, over its protocol
    assert generated["metadata"]["inputTokens"] > 0


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_stream_through_the_service_carries_llama_servers_text(served: ServeProcess, provider: str) -> None:
    status, body = post(served, "/api/generate-stream", provider)

    assert status == 200, body
    assert LIVE_KEY not in body
    events = sse(body)
    names = [name for name, _ in events]
    assert names[0] == "connected"
    assert events[0][1]["provider"] == provider
    assert "chunk" in names
    assert "".join(data["text"] for name, data in events if name == "chunk").strip()  # llama-server's own words
    # a cut at LLM_MAX_TOKENS is an error event (issue 13: a cut answer is no document), else complete
    assert names[-1] in {"complete", "error"}
    if names[-1] == "complete":
        assert events[-1][1]["metadata"]["provider"] == provider
        assert events[-1][1]["metadata"]["outputTokens"] > 0
    else:
        assert events[-1][1]["type"] == "TRUNCATED", events[-1]
