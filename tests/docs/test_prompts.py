"""Prompt templates: the shared prefix comes first, and users can override any of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.docs.analysis import analyze_source
from codescribe.docs.prompts import DOC_TYPES, PromptSet

ANALYSIS = analyze_source("def add(a: int, b: int) -> int:\n    return a + b\n", "calc.py")
CONTEXT = {"analysis": ANALYSIS, "code": "def add(a, b): ...", "truncated": "", "repo_map": "calc:\n  def add",
           "language": "python"}  # fmt: skip


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_doc_type_puts_the_repo_map_in_the_system_prompt_and_the_code_in_the_user_prompt(doc_type: str) -> None:
    system, user = PromptSet().messages(doc_type, **CONTEXT)

    assert "<repo_map>" in system
    assert "def add(a, b)" not in system
    assert "def add(a, b): ..." in user
    assert "add(a: int, b: int) -> int" in user


def test_a_users_folder_overrides_only_what_it_has(tmp_path: Path) -> None:
    (tmp_path / "readme").mkdir()
    (tmp_path / "readme" / "system.j2").write_text("House style for {{ analysis.path }}.")
    prompts = PromptSet(tmp_path)

    system, user = prompts.messages("readme", **CONTEXT)
    api_system, _ = prompts.messages("api", **CONTEXT)

    assert system == "House style for calc.py.\n"
    assert "def add(a, b): ..." in user
    assert api_system.startswith("You are CodeScribe")
    assert prompts.version != PromptSet().version


def test_a_missing_folder_or_doc_type_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        PromptSet(tmp_path / "nope")
    with pytest.raises(ValueError, match="choose one of"):
        PromptSet().messages("poem", **CONTEXT)
