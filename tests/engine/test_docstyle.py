"""Docstrings and doc comments read into what they document, in every style CodeScribe accepts."""

from __future__ import annotations

import pytest

from codescribe.engine.quality.docstyle import parse_comment, parse_docstring

GOOGLE = """Send it.

Args:
    url (str): Where to.
    timeout: Seconds to wait.
    errors: How to handle them (an entry called "errors", not a section).

Keyword Args:
    retries (int): How many times.

Returns:
    Response: What came back.

Raises:
    ValueError: On a bad URL.

Examples:
    >>> send("x")
"""

NUMPY = """Send it.

Parameters
----------
url, mirror : str
    Where to.
timeout
    Seconds to wait.

Returns
-------
Response
    What came back.

Raises
------
ValueError
    On a bad URL.
"""

SPHINX = """Send it.

:param str url: Where to.
:param timeout: Seconds to wait.
:type timeout: float
:returns: What came back.
:rtype: Response
:raises ValueError: On a bad URL.
"""

RUSTDOC = """Send it.

# Arguments

* `url` - Where to.

# Errors

When the URL is bad.

# Examples

```
send("x");
```
"""


@pytest.mark.parametrize(
    ("text", "params", "typed", "returns_typed", "examples"),
    [
        (GOOGLE, {"url", "timeout", "errors", "retries"}, {"url", "retries"}, True, True),
        (NUMPY, {"url", "mirror", "timeout"}, {"url", "mirror"}, True, False),
        (SPHINX, {"url", "timeout"}, {"url", "timeout"}, True, False),
        (RUSTDOC, {"url"}, set(), False, True),
    ],
    ids=["google", "numpy", "sphinx", "rustdoc"],
)
def test_each_style_is_read_into_its_sections(
    text: str, params: set[str], typed: set[str], returns_typed: bool, examples: bool
) -> None:
    info = parse_docstring(text)

    assert info.params == params
    assert info.typed_params == typed
    assert info.returns is (text is not RUSTDOC)
    assert info.returns_typed is returns_typed
    assert info.raises is True
    assert info.examples is examples


def test_a_section_header_without_a_body_counts_for_nothing() -> None:
    info = parse_docstring("Send it.\n\nArgs:\n\nReturns:\n\nRaises:\n")

    assert (info.params, info.returns, info.raises) == (frozenset(), False, False)


def test_prose_that_looks_like_a_return_type_is_not_one() -> None:
    info = parse_docstring("Count.\n\nReturns:\n    The number of things, at least one.\n")

    assert info.returns is True
    assert info.returns_typed is False


def test_jsdoc_tags_and_destructured_parameters() -> None:
    info = parse_comment(
        "Render.\n@param {Object} props - The props.\n@param props.items - The rows.\n"
        "@returns {Element} The list.\n@throws {TypeError} On bad rows.\n@example\nrender({items: []})"
    )

    assert info.params == {"props", "items"}
    assert info.typed_params == {"props"}
    assert (info.returns, info.returns_typed, info.raises, info.examples) == (True, True, True, True)


def test_a_rewrite_is_read_by_the_same_analysis_as_the_source_even_when_it_is_broken() -> None:
    """A syntax error in one function does not hide the docstrings of the others (tree-sitter reads around it)."""
    from codescribe.engine.quality.source import read_source_docs

    rewritten = (
        'def add(a: int, b: int) -> int:\n    """Add.\n\n    Args:\n        a: one.\n        b: two.\n    """\n'
        "    return a + b\n\n\ndef broken(:\n    pass\n\n\n"
        "class Box:\n    def get(self, key: str):\n"
        '        """Get.\n\n        Args:\n            key: which.\n        """\n'
    )

    docs = read_source_docs(rewritten, "python")

    assert docs.by_qualname["add"].params == {"a", "b"}
    assert docs.by_qualname["Box.get"].params == {"key"}
    assert {"add", "Box", "Box.get"} <= set(docs.definitions)
    assert {"add:a", "add:b", "add:return", "Box.get:key"} <= docs.annotated


# python-slugify 8.0.4, slugify/slugify.py: reST fields with the type after the name, and an empty ``:return:``.
SLUGIFY_REST = """Truncate a string.

:param string (str): string for modification
:param word_boundary (bool):
:param **kwargs (dict): extra options
:return:
"""


def test_rest_fields_with_the_type_after_the_name_are_read_as_name_and_type() -> None:
    from codescribe.engine.markdown import doc_parts

    info = parse_docstring(SLUGIFY_REST)
    assert info.params == info.typed_params == {"string", "word_boundary", "kwargs"}
    assert not info.returns  # an empty ``:return:`` documents nothing
    parts = doc_parts(SLUGIFY_REST)
    assert parts.params["string"] == "string for modification"
    assert parts.types == {"string": "str", "word_boundary": "bool", "kwargs": "dict"}
    assert parts.sections == ""
    assert not parts.returns
    returned = doc_parts("Make a slug.\n\n:param text (str): initial text\n:return (str):")
    assert returned.sections == "**Returns:** `str`"
    assert returned.returns
    assert parse_docstring("Make.\n\n:return (str): the slug.").returns_typed


def test_a_sphinx_role_in_a_type_is_read_as_the_type() -> None:
    # Trial of issue 12 (rich's docstrings): `console (:class:`~rich.console.Console`): ...` lost its entry
    # (the role's colons ended the type), and reST types kept their roles on the page.
    from codescribe.engine.markdown import doc_parts

    text = (
        "Render.\n\nArgs:\n    console (:class:`~rich.console.Console`): The console.\n"
        "    width (Optional[:class:`int`], optional): The width.\n\n"
        "Returns:\n    :class:`~rich.segment.Segment`: The segments."
    )

    info = parse_docstring(text)
    parts = doc_parts(text)

    assert info.params == {"console", "width"}
    assert info.returns_typed
    assert parts.params == {"console": "The console.", "width": "The width."}
    assert parts.types == {"console": "Console", "width": "Optional[int]"}
    assert "**Returns:** `Segment`: The segments." in parts.sections
    rest = doc_parts("Grow.\n\n:param size: by how much\n:type size: :py:class:`float`\n:rtype: :class:`Box`")
    assert rest.types == {"size": "float"}
    assert "`Box`" in rest.sections
    assert ":class:" not in rest.sections
