"""An answer that is no finished document (empty, or cut at max_tokens) fails its document on every surface:
never written, never cached, never an ``ok`` record, never exit 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codescribe.cli import main
from codescribe.engine.generator import DocGenerator
from codescribe.llm import LLMConfig, create_provider
from tests.scripted_server import Reply, ScriptedLLMServer

CODE = "def add(a, b):\n    return a + b\n"


def completion(content: str, finish_reason: str) -> dict[str, Any]:
    """An OpenAI chat completion as a server sends it (https://platform.openai.com/docs/api-reference/chat)."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 32, "total_tokens": 42},
    }


@pytest.mark.parametrize(
    ("content", "finish_reason", "error_type"),
    [("# add\n\nAdds a", "length", "TRUNCATED"), ("", "stop", "EMPTY"), ("  \n", "stop", "EMPTY")],
)
@pytest.mark.parametrize("doc_type", ["readme", "docstrings"])
def test_an_unfinished_answer_fails_its_document(
    content: str, finish_reason: str, error_type: str, doc_type: str
) -> None:
    with ScriptedLLMServer() as server:
        server.push(Reply(body=completion(content, finish_reason)))
        config = LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="m", max_retries=0)
        result = DocGenerator(create_provider(config)).generate_documentation(CODE, doc_type=doc_type, filename="a.py")

    assert result.error_type == error_type
    assert result.error is not None
    assert result.error.startswith("a.py: ")
    if doc_type == "docstrings":
        assert result.documentation == CODE  # the rewrite hands back the original


def test_the_command_line_writes_nothing_of_a_cut_answer_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.py").write_text(CODE)
    with ScriptedLLMServer() as server:
        server.push(Reply(body=completion("# add\n\nAdds a", "length")), Reply(body=completion("", "stop")))
        monkeypatch.setenv("LLM_BASE_URL", server.openai_url)
        monkeypatch.setenv("LLM_API_KEY", "not-a-real-key")
        arguments = ["generate", str(tmp_path / "a.py"), "-p", "openai", "-m", "m", "-t", "readme", "-t", "api"]
        code = main([*arguments, "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 1
    assert not (tmp_path / "out").exists()
    assert "[readme]: FAILED: a.py: the answer was cut at the output limit (32 tokens)" in err
    assert "[api]: FAILED: a.py: the model answered nothing" in err


def test_a_refused_project_document_is_named_by_its_project(tmp_path: Path) -> None:
    # The architecture page belongs to no one file: its failure is reported under the project's name, as an
    # error raised while writing it is, not under an empty path (" [architecture]").
    project = tmp_path / "calc"
    project.mkdir()
    (project / "a.py").write_text(CODE)
    with ScriptedLLMServer() as server:
        server.push(Reply(body=completion("", "stop")))
        config = LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="m", max_retries=0)
        outcome = DocGenerator(create_provider(config)).document_project(project, doc_types=["architecture"])

    assert [result.doc_type for result in outcome.refused] == ["architecture"]
    assert list(outcome.errors) == ["calc [architecture]"]
