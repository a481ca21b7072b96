"""The budget's token bound holds for a real tokenizer: llama-server's ``/tokenize`` (SmolLM2's byte-level
BPE) never counts more tokens than :func:`~codescribe.llm.tokens.max_prompt_tokens` allows, on text a
character count underrates (helper-23's F6: 2.99 tokens an emoji), and on code."""

from __future__ import annotations

import json
import random
import urllib.request
from pathlib import Path

import pytest

from codescribe.llm.tokens import TEMPLATE_TOKENS, max_prompt_tokens
from codescribe.testing.local_server import LocalLLMServer

from .conftest import LIVE_KEY

pytestmark = pytest.mark.live

#: Kinds of text, each of a few thousand characters: emoji, rare CJK, mixed scripts, random code points, code.
TEXTS = {
    "emoji": "".join(chr(0x1F600 + i % 80) for i in range(3_000)),
    "rare CJK": "".join(chr(0x20000 + i * 7 % 40_000) for i in range(3_000)),
    "mixed scripts": "Ωμέγα кириллица עברית العربية हिन्दी 한국어 ไทย " * 60,
    "random code points": "".join(chr(random.Random(7).randrange(0x20, 0x2FFFF)) for _ in range(3_000))
    .encode("utf-8", "surrogatepass")
    .decode("utf-8", "replace"),
    "python": Path(__file__).read_text(),
}


def tokens(server: LocalLLMServer, text: str) -> int:
    """How many tokens the server's tokenizer makes of ``text``."""
    request = urllib.request.Request(
        f"{server.url}/tokenize",
        data=json.dumps({"content": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {LIVE_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(json.load(response)["tokens"])


@pytest.mark.parametrize("kind", list(TEXTS))
def test_no_text_makes_more_tokens_than_the_bound(live_server: LocalLLMServer, kind: str) -> None:
    text = TEXTS[kind]
    counted = tokens(live_server, text)

    assert counted <= max_prompt_tokens(text) - TEMPLATE_TOKENS
    if kind == "emoji":
        assert counted > len(text)  # the case a token a character did not bound
