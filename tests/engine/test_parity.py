"""``DocGenerator``'s four ways to document a file take the same arguments and give the same document."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from codescribe import DocGenerator

METHODS = [
    "generate_documentation",
    "generate_documentation_streaming",
    "agenerate_documentation",
    "agenerate_documentation_streaming",
]
CODE = 'def area(width: float, height: float) -> float:\n    """The area."""\n    return width * height\n'


def keywords(name: str) -> dict[str, Any]:
    signature = inspect.signature(getattr(DocGenerator, name))
    return {
        key: (parameter.default, parameter.annotation)
        for key, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_the_four_methods_take_the_same_keywords() -> None:
    expected = keywords("generate_documentation")
    assert expected, "keyword-only options"
    for name in METHODS[1:]:
        assert keywords(name) == expected, name


def call(generator: DocGenerator, name: str, **options: Any) -> Any:
    method = getattr(generator, name)
    arguments = (CODE, lambda text: None) if "streaming" in name else (CODE,)
    outcome = method(*arguments, **options)
    return asyncio.run(outcome) if inspect.iscoroutine(outcome) else outcome


@pytest.mark.parametrize("name", METHODS)
def test_a_misspelled_keyword_is_an_error_everywhere(name: str) -> None:
    with pytest.raises(TypeError, match="doc_typ"):
        call(DocGenerator(offline=True), name, doc_typ="api")


def test_the_four_methods_give_the_same_document() -> None:
    generator = DocGenerator(offline=True)
    documents = {name: call(generator, name, doc_type="api", filename="area.py").documentation for name in METHODS}

    assert len(set(documents.values())) == 1
    assert "area(width: float, height: float) -> float" in documents["generate_documentation"]
