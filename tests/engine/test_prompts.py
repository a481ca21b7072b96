"""Prompt templates: the shared prefix comes first, and users can override any of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codescribe.engine import DOC_TYPES
from codescribe.engine.analysis import analyze_source
from codescribe.engine.prompts import PromptSet

ANALYSIS = analyze_source("def add(a: int, b: int) -> int:\n    return a + b\n", "calc.py")
CONTEXT = {
    "analysis": ANALYSIS,
    "code": "def add(a, b): ...",
    "truncated": "",
    "repo_map": "calc:\n  def add",
    "language": "python",
}


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_doc_type_puts_the_repo_map_in_the_system_prompt_and_the_code_in_the_user_prompt(doc_type: str) -> None:
    system, user = PromptSet().messages(doc_type, **CONTEXT)

    assert "<repo_map>" in system
    assert "def add(a, b)" not in system
    assert "def add(a, b): ..." in user
    assert "add(a: int, b: int) -> int" in user


def test_the_prompt_lists_constants_fields_enum_members_properties_and_overloads() -> None:
    source = """import enum
from dataclasses import dataclass
from typing import overload

MAX_ITEMS = 10

class Color(enum.Enum):
    RED = "red"

@dataclass
class Item:
    sku: str
    quantity: int = 0

    @property
    def empty(self) -> bool:
        return not self.quantity

@overload
def parse(x: int) -> int: ...
@overload
def parse(x: str) -> str: ...
def parse(x):
    return x
"""
    analysis = analyze_source(source, "shop.py")
    _, user = PromptSet().messages("api", **{**CONTEXT, "analysis": analysis, "code": source})
    listing = user.split("<source")[0]

    for line in (
        "- constant MAX_ITEMS = 10",
        '  - enum member RED = "red"',
        "  - field sku: str",
        "  - field quantity: int = 0",
        "  - property empty() -> bool",
        "- overload parse(x: int) -> int",
        "- overload parse(x: str) -> str",
    ):
        assert line in listing.splitlines()


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


def test_compiled_templates_are_shared_by_the_folders_prompt_sets_and_an_edit_still_shows(tmp_path: Path) -> None:
    (tmp_path / "readme").mkdir()
    template = tmp_path / "readme" / "system.j2"
    template.write_text("First style for {{ analysis.path }}.")
    PromptSet(tmp_path).messages("readme", **CONTEXT)
    cached = PromptSet(tmp_path).environment.cache.keys()  # Jinja's compiled templates: (loader, name)
    compiled = {name for _, name in cached}

    later = PromptSet(tmp_path)  # made after the first use
    first, _ = later.messages("readme", **CONTEXT)
    template.write_text("Second style for {{ analysis.path }}.")
    os.utime(template, (template.stat().st_atime, template.stat().st_mtime + 5))  # a later modification time
    second, _ = later.messages("readme", **CONTEXT)

    assert {"readme/system.j2", "readme/user.j2"} <= compiled
    assert later.environment is PromptSet(tmp_path).environment
    assert later.environment is not PromptSet().environment
    assert (first, second) == ("First style for calc.py.\n", "Second style for calc.py.\n")


def test_an_override_added_to_a_users_folder_later_is_used(tmp_path: Path) -> None:
    """The environment is shared per folder, but not past a change in which templates the folder has."""
    before, _ = PromptSet(tmp_path).messages("readme", **CONTEXT)  # the bundled system template
    (tmp_path / "readme").mkdir()
    (tmp_path / "readme" / "system.j2").write_text("House style for {{ analysis.path }}.")
    after, _ = PromptSet(tmp_path).messages("readme", **CONTEXT)

    assert before.startswith("You are CodeScribe")
    assert after == "House style for calc.py.\n"
