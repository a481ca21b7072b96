"""Code and docstrings on the offline pages: Markdown that renders, and says what the docstring says.

The snippets are rich 13.9.4's and httpx 0.27.2's own code; the pages are parsed with markdown-it-py
(the CommonMark parser with GitHub's tables) to check that tables keep their columns and no fence opens.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from codescribe.engine.analysis import analyze_source
from codescribe.engine.offline import DocRequest, OfflineEngine

# rich/console.py (abridged): a default with quotes and a newline escape, a union with a pipe.
CONSOLE = '''"""Rich console.

Using the console
~~~~~~~~~~~~~~~~~

Print with :meth:`~rich.console.Console.print`, see ``Console``.
"""


def render_str(text: str, *, style: "str | Style" = "", end: str = "\\n", sep: str = " ") -> "Text":
    """Convert a string to a Text instance.

    Args:
        text (str): Text to render.
        style (Union[str, Style], optional): Style to apply. Defaults to "".

    Returns:
        ConsoleRenderable: Renderable object.
    """
    return Text(text)


class Console:
    """A high level console interface."""

    def __init__(self, width: int | None = None) -> None:
        self.width = width
        """Width of the console, or None to detect it."""
'''


def _page(doc_type: str) -> str:
    analysis = analyze_source(CONSOLE, "rich/console.py")
    return OfflineEngine().document(DocRequest(doc_type, analysis, CONSOLE))


def _table_rows(page: str) -> list[list[str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    rows: list[list[str]] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            cells = []
            for inner in tokens[index + 1 :]:
                if inner.type == "tr_close":
                    break
                if inner.type == "inline":
                    cells.append(inner.content)
            rows.append(cells)
    return rows


def test_every_table_row_keeps_its_columns_and_the_defaults_as_written() -> None:
    for doc_type in ("api", "module"):
        rows = _table_rows(_page(doc_type))
        assert rows
        assert {len(row) for row in rows} == {len(rows[0])}, doc_type
        assert ["`style`", "`str | Style`", '`""`', 'Style to apply. Defaults to "".'] in rows
        assert ["`end`", "`str`", '`"\\n"`', "—"] in rows


def test_a_rest_underline_opens_no_code_block_and_roles_become_code() -> None:
    page = _page("module")
    tokens = MarkdownIt("commonmark").parse(page)
    fences = [token.content for token in tokens if token.type == "fence"]
    assert all("Print with" not in fence for fence in fences)
    assert "**Using the console**" in page
    assert "Print with `print`, see `Console`." in page


def test_sections_are_lists_and_attributes_are_shown() -> None:
    page = _page("api")
    assert "**Returns:** `ConsoleRenderable`: Renderable object." in page
    assert "Args:" not in page
    assert "- `width`: Width of the console, or None to detect it." in page  # not `width = width`
    assert "**Returns:** `None`" not in page


def test_jsdoc_and_javadoc_tags_become_the_table_and_sections() -> None:
    from codescribe.engine.markdown import doc_parts

    # express 4.22.3 lib/response.js (res.status) and commons-io's IOUtils.toString, abridged.
    express = doc_parts("Set status `code`.\n\n@param {Number} code\n@return {ServerResponse}\n@public", "javascript")
    assert express.body == "Set status `code`."
    assert express.params == {"code": ""}
    assert express.types == {"code": "Number"}  # the table's Type column
    # ms 2.1.3 index.js: JSDoc's optional `[options]`, and a default in brackets.
    ms = doc_parts(
        "Parse.\n\n@param {String|Number} val\n@param {Object} [options]\n@param {Boolean} [long=false]", "javascript"
    )
    assert ms.optional == {"options": "", "long": "false"}
    assert express.sections == "**Returns:** `ServerResponse`"
    javadoc = doc_parts(
        "Gets the contents of an {@code InputStream} as a String.\n"
        "@param input  the {@code InputStream} to read from\n@return the requested String\n"
        "@throws NullPointerException if the input is null",
        "java",
    )
    assert javadoc.body == "Gets the contents of an `InputStream` as a String."
    assert javadoc.params == {"input": "the `InputStream` to read from"}
    assert javadoc.returns
    assert javadoc.raises
    assert "- `NullPointerException`: if the input is null" in javadoc.sections


def test_rest_directives_become_markdown_or_are_left_out() -> None:
    # attrs 26.1.0 ``default_if_none`` and six 1.17.0's doctest set-up, abridged: a summary over two
    # lines, version notes, an admonition, standards' roles and Sphinx's hidden doctest blocks.
    from codescribe.engine.markdown import doc_parts, first_paragraph

    text = (
        "A converter that replaces ``None`` values by *default* or the result\nof *factory*.\n\n"
        "See :rfc:`5891` and :pep:`8`.\n\n.. versionadded:: 18.2.0\n\n"
        ".. versionchanged:: 19.1\n   Accepts *factory*.\n\n.. note::\n   Careful with :class:`~attr.Factory`.\n\n"
        ".. testsetup::\n\n   import six\n\n.. image:: x.png\n   :alt: a picture\n\n"
        "Args:\n    default: The value.\n        .. deprecated:: 2.0 Use *factory*."
    )
    parts = doc_parts(text)
    assert parts.body.split("\n\n") == [
        "A converter that replaces `None` values by *default* or the result\nof *factory*.",
        "See RFC 5891 and PEP 8.",
        "*Added in version 18.2.0.*",
        "*Changed in version 19.1:* Accepts *factory*.",
        "**Note:** Careful with `Factory`.",
    ]
    assert parts.params == {"default": "The value. *Deprecated since version 2.0:* Use *factory*."}
    assert first_paragraph(".. testsetup::\n\n   import six\n\nSix is a Python 2 and 3 library.") == (
        "Six is a Python 2 and 3 library."
    )
    assert first_paragraph(".. versionadded:: 1.0\n") == ""


def test_a_constructor_without_a_docstring_takes_its_arguments_from_the_class() -> None:
    # Trial of issue 12 (rich 15.0 panel.py): the class documents the arguments under Args, and the
    # __init__ table said "—" for each, under "Undocumented in the source".
    from codescribe.engine.analysis import analyze_source
    from codescribe.engine.offline import DocRequest, OfflineEngine

    code = (
        'class Panel:\n    """A box around content.\n\n    Args:\n        renderable: what goes in the box.\n'
        '        title: the title, shown at the top.\n    """\n\n'
        '    def __init__(self, renderable: str, title: str = "") -> None:\n        self.renderable = renderable\n'
    )
    page = OfflineEngine().document(DocRequest("api", analyze_source(code, "panel.py"), code))

    assert "| `renderable` | `str` | required | what goes in the box. |" in page
    assert "Makes a `Panel`; its arguments are described with the class." in page
    assert "Undocumented" not in page


OVERLOADED = """/**
 * Parses the input.
 * @param {{ a: number; b?: number }} root0 - the options
 * @param {number} root0.a - the first
 * @param {number} [root0.b=2] - the second
 * @param {...string} rest - more
 * @returns {number} the sum.
 */
export function parse({ a, b = 2 }: { a: number; b?: number }, ...rest: string[]): number {
  return a + b + rest.length;
}

/**
 * Counts up.
 * @yields {number} each value.
 */
export function* counter(start: number): Generator<number> {
  yield start;
}

/** Echoes. */
export function over(a: string): string;
export function over(a: number): number;
export function over(a: any): any {
  return a;
}
"""


def test_jsdoc_of_destructured_parameters_generators_and_overloads_is_read() -> None:
    # Issue 12's list: a destructured parameter's `root0.a` entries, a type with braces, `@yields {T}`, and
    # TypeScript overloads (whose implementation signature callers never see: the Handbook's Function Overloads).
    analysis = analyze_source(OVERLOADED, "parse.ts")
    page = OfflineEngine().document(DocRequest("api", analysis, OVERLOADED))
    rows = _table_rows(page)

    assert ["`{ a, b = 2 }`", "`{ a: number; b?: number }`", "required", "the options"] in rows
    assert ["`.a`", "`number`", "required", "the first"] in rows
    assert ["`.b`", "`number`", "`2`", "the second"] in rows
    assert "**Param:**" not in page
    assert "**Yields:** `number`: each value." in page
    assert "over(a: string): string\nover(a: number): number\n```" in page
    assert "over(a: any)" not in page
    assert ["`a`", "`string`", "required", "—"] in rows


def _module_page(source: str, path: str) -> str:
    return OfflineEngine().document(DocRequest("module", analyze_source(source, path), source))


# packaging 24.1 version.py (abridged): doctests with no ``Examples:`` header, in prose and after a reST field.
PACKAGING = '''def parse(version: str) -> "Version":
    """Parse the given version string.

    >>> parse('1.0.dev1')
    <Version('1.0.dev1')>

    :param version: The version string to parse.
    :raises InvalidVersion: When the version string is not a valid version.
    """


def compare(a, b):
    """Compare two versions.
    >>> compare('1', '2')
    -1

    :returns: -1, 0 or 1.
        >>> compare('2', '1')
        1
    """
'''


def test_bare_doctests_are_code_blocks_not_block_quotes() -> None:
    # Trial 34: each ``>>>`` line was pasted as Markdown, three nested block quotes with the prompts gone.
    from codescribe.engine.markdown import first_paragraph

    page = _module_page(PACKAGING, "packaging/version.py")
    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    fences = [token.content for token in tokens if token.type == "fence"]

    assert not [token for token in tokens if token.type == "blockquote_open"]
    assert ">>> parse('1.0.dev1')\n<Version('1.0.dev1')>\n" in fences
    assert ">>> compare('1', '2')\n-1\n" in fences  # no blank line after the summary
    assert ">>> compare('2', '1')\n1\n" in fences  # in a field's description
    assert first_paragraph("Compare two versions.\n>>> compare('1', '2')\n-1") == "Compare two versions."


# nanoid 5.0.7 index.d.ts (customAlphabet, abridged), and TSDoc's @example of words and a fence.
NANOID = """/**
 * Generate secure unique ID with custom alphabet.
 *
 * @param alphabet Alphabet used to generate the ID.
 * @param defaultSize Size of the ID, as in
 * ```js
 * nanoid(10)
 * ```
 * @returns A random string generator.
 *
 * ```js
 * const { customAlphabet } = require('nanoid')
 * nanoid() //=> "8ё56а"
 * ```
 * @example
 * Here is one:
 * ```ts
 * customAlphabet('abc')()
 * ```
 */
export function customAlphabet(alphabet: string, defaultSize?: number): (size?: number) => string
"""


def test_code_blocks_in_jsdoc_tags_stay_blocks() -> None:
    # Trial 34: the example after @returns was flattened onto the Returns line, fences and all.
    page = _module_page(NANOID, "index.d.ts")
    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    fences = {token.content: token.info for token in tokens if token.type == "fence"}
    inline = [token.content for token in tokens if token.type == "inline"]

    assert fences["const { customAlphabet } = require('nanoid')\nnanoid() //=> \"8ё56а\"\n"] == "js"
    assert "**Returns:** A random string generator." in inline
    assert fences["customAlphabet('abc')()\n"] == "ts"  # not a fence inside a fence
    assert "Here is one:" in inline
    assert ["`defaultSize`", "`number`", "`undefined`", "Size of the ID, as in `nanoid(10)`"] in _table_rows(page)


# attrs 24.2.0 _make.py's Attribute (abridged), with Markdown the docstring means, and a Go doc comment.
ATTRS = '''class Attribute:
    """*Read-only* representation of an attribute.

    - ``alias`` (`str`): The __init__ parameter name, after any _private
      prefix is stripped (``__attrs_init__`` too); see [the hooks](https://a.org/__hooks__).

    ::

        Attribute(__init__=True)
    """
'''


def test_underscores_of_names_in_prose_are_not_emphasis() -> None:
    # Trial 34: __init__ rendered as a bold "init".
    from codescribe.engine.markdown import doc_parts

    html = MarkdownIt("commonmark").render(_module_page(ATTRS, "attr/_make.py"))

    assert "<strong>" not in html
    assert "The __init__ parameter name, after any _private" in html
    assert "<em>Read-only</em>" in html  # emphasis the docstring means
    assert "<code>__attrs_init__</code>" in html  # code spans as they were
    assert '<a href="https://a.org/__hooks__">' in html
    assert "Attribute(__init__=True)" in html  # code blocks as they were
    go = MarkdownIt("commonmark").render(doc_parts("Wrap sets __cause__.\n\n\terr := __wrap__(e)\n", "go").body)
    assert "Wrap sets __cause__." in go
    assert "err := __wrap__(e)" in go


def test_a_function_sits_under_a_heading_for_functions_not_under_the_constants() -> None:
    # the outline (a page's table of contents) puts each heading under the last shallower one before it
    source = "LIMIT = 10\n\n\ndef parse(text: str) -> int:\n    return int(text)\n\n\nclass Parser:\n"
    source += "    def run(self) -> None:\n        pass\n"
    analysis = analyze_source(source, "mod.py")
    for doc_type in ("api", "module", "readme"):
        page = OfflineEngine().document(DocRequest(doc_type, analysis, source))
        tokens = MarkdownIt("commonmark").parse(page)
        headings = [(int(t.tag[1]), tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
        parents: dict[str, str | None] = {}
        for index, (level, text) in enumerate(headings):
            parents[text] = next((t for lvl, t in reversed(headings[:index]) if lvl < level), None)
        assert parents["`parse`"] not in ("Constants and variables", "`Parser`"), (doc_type, headings)
        assert parents["`run`"] == "`Parser`", (doc_type, headings)
