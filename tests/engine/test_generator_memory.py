"""An evaluation asks about the same file many times: it is analysed and its prompts rendered once."""

from __future__ import annotations

from typing import Any

import pytest

from codescribe.engine.generator import DocGenerator
from codescribe.engine.prompts import PromptSet
from codescribe.llm import LLMConfig, create_provider
from tests.scripted_server import ScriptedLLMServer

SOURCE = "def add(a, b):\n    return a + b\n"


def test_repeated_requests_render_the_prompts_once_and_send_the_same_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    original = PromptSet.messages

    def counting(self: PromptSet, doc_type: str, **context: Any) -> tuple[str, str]:
        rendered.append(doc_type)
        return original(self, doc_type, **context)

    monkeypatch.setattr(PromptSet, "messages", counting)
    with ScriptedLLMServer(text="# Add\n\nAdds numbers.") as server:
        provider = create_provider(
            LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="gpt-6.1-sol", max_retries=0)
        )
        generator = DocGenerator(provider)
        for _ in range(3):
            generator.generate_documentation(SOURCE, doc_type="readme", filename="add.py")
        generator.generate_documentation(SOURCE, doc_type="api", filename="add.py")
        generator.generate_documentation(SOURCE + "\n# changed\n", doc_type="readme", filename="add.py")
        bodies = [request.body["messages"] for request in server.requests]

    assert rendered == ["readme", "api", "readme"]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[3] != bodies[0]
    assert bodies[4] != bodies[0]
    assert "# changed" in bodies[4][1]["content"]


def test_each_event_loop_closes_the_async_client_it_opened(tmp_path: Any) -> None:
    """``document_project`` runs its own event loop, as ``mkdocs serve`` does on every rebuild: the
    provider's async client of that loop is closed with it, never left open behind a dead loop."""
    (tmp_path / "add.py").write_text(SOURCE)
    closed: list[object] = []
    with ScriptedLLMServer(text="# Add\n\nAdds numbers.") as server:
        provider = create_provider(
            LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="gpt-6.1-sol", max_retries=0)
        )
        made = provider._make_client

        def tracked(asynchronous: bool) -> Any:
            client = made(asynchronous)
            original_close = client.close

            async def close() -> None:
                closed.append(client)
                await original_close()

            client.close = close
            return client

        provider._make_client = tracked  # type: ignore[method-assign]
        generator = DocGenerator(provider)
        first = generator.document_project(tmp_path)
        second = generator.document_project(tmp_path)

    assert not first.errors
    assert not second.errors
    assert len(closed) == 2, "one client per run, each closed before its loop ended"
    assert closed[0] is not closed[1]
    assert all(client.is_closed() for client in closed)
