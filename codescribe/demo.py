"""``make demo``: the provider layer working offline, through both protocols.

Starts a real llama-server on loopback (SmolLM2-135M, a tiny model: its prose is weak, the
traffic is real), then generates through the ``openai`` and the ``anthropic`` provider,
configured by environment variables exactly as a user would, streaming the text and
printing each generation's metadata. Nothing leaves this machine and no key is needed.
"""

from __future__ import annotations

import logging
import sys

from .llm import Generation, LLMError, create_provider_from_env
from .llm.local_server import LocalLLMServer, LocalServerError

SYSTEM_PROMPT = (
    "You are CodeScribe, a technical writer. Document Python code for other developers: "
    "say what the code is for, then how to call it. Be brief."
)
CODE = """def add(a: int, b: int) -> int:
    return a + b"""
PROMPT = f"Write a one-paragraph docstring for this function:\n\n{CODE}"
FIELDS = ("provider", "model", "input_tokens", "output_tokens", "cache_read_tokens", "was_cached",
          "latency_ms", "ttft_ms", "cost_usd", "finish_reason", "retries")  # fmt: skip


def _show(result: Generation) -> None:
    data = result.metadata.to_dict()
    for field in FIELDS:
        value = data[field]
        shown = f"{value:.1f}" if isinstance(value, float) and field.endswith("_ms") else value
        print(f"    {field:<18} {shown}")


def _run(protocol: str, server: LocalLLMServer) -> None:
    env = {
        "LLM_PROVIDER": protocol,
        "LLM_BASE_URL": server.openai_url if protocol == "openai" else server.anthropic_url,
        "LLM_MODEL": "smollm2",
        "LLM_API_KEY": "demo-key",
        "LLM_MAX_TOKENS": "80",
    }
    settings = " ".join(f"{key}={value}" for key, value in env.items() if key != "LLM_API_KEY")
    print(f"\n== {protocol} protocol  ({settings})")
    provider = create_provider_from_env(env)
    print("  streaming: ", end="", flush=True)
    streamed = provider.generate_with_streaming(
        PROMPT, lambda chunk: print(chunk, end="", flush=True), system_prompt=SYSTEM_PROMPT
    )
    print()
    _show(streamed)
    again = provider.generate(PROMPT, system_prompt=SYSTEM_PROMPT)
    print(f"  the same prompt again, not streamed: {again.metadata.cache_read_tokens} prompt tokens "
          f"read from the server's cache, {again.metadata.latency_ms:.0f} ms")  # fmt: skip


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="  note: %(message)s", stream=sys.stdout)
    print("CodeScribe demo: the provider layer against a real local LLM server (offline).")
    try:
        with LocalLLMServer(api_key="demo-key") as server:
            print(f"llama-server is up at {server.url} (model: {server.model_path.name})")
            for protocol in ("openai", "anthropic"):
                _run(protocol, server)
    except (LocalServerError, LLMError) as exc:
        print(f"\ndemo failed: {exc}", file=sys.stderr)
        return 1
    print("\nBoth protocols generated through one interface. Cloud providers work the same way "
          "with LLM_PROVIDER and a key.")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
