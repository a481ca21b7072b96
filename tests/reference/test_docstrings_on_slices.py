"""Offline docstrings on the recorded slices of 14 real packages in six languages: every file is
rewritten with documentation only, and JSDoc carries the declared types."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from codescribe.engine.analysis import detect_language, read_source
from codescribe.engine.generator import DocGenerator
from codescribe.engine.rewrite import pieces

DATA = Path(__file__).parent / "data"
FILES = sorted(f for f in DATA.glob("*/src/**/*") if f.is_file() and detect_language(f) is not None)
GENERATOR = DocGenerator(offline=True)


def without_docstrings(code: str) -> str:
    """The module's syntax tree without docstrings, read apart from CodeScribe's own check."""
    tree = ast.parse(code.removeprefix("\ufeff"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [  # type: ignore[attr-defined]
                s
                for s in body
                if not (
                    isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)
                )
            ]
    return ast.dump(tree)


def is_subsequence(lines: list[str], within: list[str]) -> bool:
    """Every line of the original is in the rewrite, in order, byte for byte: lines were only added."""
    rest = iter(within)
    return all(any(line == other for other in rest) for line in lines)


def test_the_slices_cover_six_languages() -> None:
    assert {detect_language(f) for f in FILES} >= {"python", "javascript", "typescript", "go", "java", "rust"}


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(DATA)))
def test_offline_docstrings_change_documentation_only(file: Path) -> None:
    source, _ = read_source(file, exact=True)
    result = GENERATOR.generate_documentation(source, doc_type="docstrings", filename=file.name)

    assert result.error is None
    if detect_language(file) == "python":
        assert without_docstrings(result.documentation) == without_docstrings(source)
    assert is_subsequence(source.splitlines(keepends=True), result.documentation.splitlines(keepends=True))
    assert "{True}" not in result.documentation
    for declared in re.findall(r"@returns \{([^}]*)\} the result\.", result.documentation):
        assert declared in source, f"{declared!r} is not a type the file declares"


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(DATA)))
def test_pieces_cover_the_file_and_keep_definitions_whole(file: Path) -> None:
    source, _ = read_source(file, exact=True)
    language = detect_language(file)
    assert language is not None
    found = pieces(source, language, 3_000)

    assert "".join(source[p.start : p.end] for p in found) == source
    for piece in found:
        text = source[piece.start : piece.end]
        previous = source[: piece.start].rstrip().rsplit("\n", 1)[-1].strip()
        assert not previous.startswith(("#[", "@", "///", "/**")), "attributes and doc comments stay with their item"
        if language == "python":
            ast.parse(text.removeprefix("\ufeff"))  # whole statements only
        lines_before = source[: piece.start].split("\n")
        assert lines_before[-1] == "", "a piece starts at the start of a line"
