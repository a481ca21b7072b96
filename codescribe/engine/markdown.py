r"""Code and docstrings written into Markdown pages without breaking them.

Three places break a page: code in prose (a backtick inside a code span ends it), code in a table
(a ``|`` starts a new cell, even inside a code span, in GitHub-flavoured Markdown and in
Python-Markdown's tables), and a docstring pasted as it is (a Google ``Args:`` section runs on as one
paragraph; a reST underline of ``~`` opens a code fence; ``:class:`Foo``` shows its role). The
Jinja filters ``code``, ``cell``, ``doc_parts`` and ``roles`` of the prompt templates come from here.
"""

from __future__ import annotations

import functools
import html
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from codescribe.engine.quality.docstyle import SPHINX_ROLE as _ROLE

__all__ = [
    "DocParts",
    "cell",
    "code",
    "code_block",
    "doc_parts",
    "fence_name",
    "first_paragraph",
    "inline_roles",
    "listed",
    "without_raw_html",
]

_MARKDOWN_CHARACTERS = frozenset("\\`*_[]|")
#: Roles that name a standard, shown as Sphinx shows them (``:rfc:`5891``` is "RFC 5891").
_STANDARD_ROLES = {"rfc": "RFC", "pep": "PEP"}
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.]){3,}\s*$")
_DOUBLE_BACKTICKS = re.compile(r"``([^`]+)``")
_DIRECTIVE = re.compile(r"^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\w*)\s*$")
#: Any other reST directive or comment line: ``.. versionadded:: 1.5``, ``.. note::``, ``.. _label:``.
_OTHER_DIRECTIVE = re.compile(r"^(\s*)\.\.(?:\s+([\w-]+)::\s*(.*?)\s*|\s.*|)$")
#: Sphinx's version notes, as its English output words them.
_VERSION_NOTES = {
    "versionadded": "Added in version",
    "versionchanged": "Changed in version",
    "deprecated": "Deprecated since version",
}
#: Directives whose block is code: Sphinx's doctest extension shows ``testcode`` and ``testoutput``.
_CODE_DIRECTIVES = {"testcode": "python", "testoutput": "text", "doctest": "python", "math": "math"}
#: Admonitions, shown as a bold label before their text.
_ADMONITIONS = frozenset(
    {"note", "warning", "tip", "hint", "important", "caution", "attention", "danger", "error", "seealso", "todo"}
)


def code(text: str) -> str:
    """``text`` as an inline code span that nothing in it can end.

    The span's fence is one backtick longer than the longest run of backticks in the text, with a
    space inside when the text starts or ends with one (CommonMark, section 6.1). Text holding
    ``<!`` is written as an HTML ``<code>`` element instead: MkDocs 1.6's Markdown raises on
    ``<![`` (an unfinished marked section to its HTML parser) even inside a code span.

    Args:
        text: code on one line (a line break is written as a space).

    Returns:
        The code span.

    Examples:
        >>> code("sep: str = ' '"), code("a`b"), code("`x`")
        ("`sep: str = ' '`", '``a`b``', '`` `x` ``')
        >>> code('pattern = "(?<!a)b*"')
        '<code>pattern = "(?&lt;!a)b&#42;"</code>'
    """
    text = text.replace("\n", " ")
    if "<!" in text:  # MkDocs' Markdown stops the build at "<![" even inside a code span: write the HTML
        escaped = html.escape(text, quote=False)  # and Markdown's own characters as entities, read by none
        return "<code>" + "".join(f"&#{ord(c)};" if c in _MARKDOWN_CHARACTERS else c for c in escaped) + "</code>"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def cell(text: str) -> str:
    r"""``text`` made safe for one cell of a Markdown table: pipes escaped, lines joined.

    Args:
        text: the cell's Markdown (code spans included: a pipe ends a cell even inside one).

    Returns:
        The text with ``|`` as ``\|`` and line breaks as spaces.

    Examples:
        >>> cell("`str | None`")
        '`str \\| None`'
    """
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")


def listed(names: Iterable[str], shown: int = 6) -> str:
    """The first ``shown`` names, comma-separated, and how many more there are when some are left out.

    Args:
        names: the names, in the order to show them.
        shown: how many to show at most.

    Returns:
        ``"a, b, and 2 more"``; ``""`` for no names.

    Examples:
        >>> listed(["f1", "f2", "f3", "f4"], 2), listed(["f1", "f2"], 2), listed([])
        ('f1, f2, and 2 more', 'f1, f2', '')
    """
    names = list(names)
    more = f", and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


@dataclass(frozen=True, slots=True)
class DocParts:
    """A docstring split for a reference page: its Markdown, and what it says about each parameter.

    Attributes:
        body: the description, as Markdown.
        sections: the Returns (Yields), Raises and Example sections, as Markdown.
        params: each documented parameter's description (one line of Markdown), by name.
        returns: whether it has a Returns (or Yields) section.
        raises: whether it has a Raises section.
        types: each parameter's type as the doc states it (``@param {Object} options``), by name.
        optional: the parameters the doc marks optional (JSDoc's ``[options]``, ``[long=false]``), with
            the default it states (``""`` for none).
    """

    body: str = ""
    sections: str = ""
    params: dict[str, str] = field(default_factory=dict)
    returns: bool = False
    raises: bool = False
    types: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)

    def documented_as(self, name: str, position: int) -> str:
        r"""The name the doc gives a parameter: its own, or for a destructured one (``{ a, b }``, which JSDoc
        documents under a name of its choosing, ``options`` or ``root0``) the doc's parameter at its position.

        Args:
            name: the parameter as the code writes it.
            position: its index among the function's parameters.

        Returns:
            The doc's name for it (``name`` itself when the doc has no better one).

        Examples:
            >>> parts = doc_parts("Area.\n@param {object} root0\n@param {number} root0.width", "javascript")
            >>> parts.documented_as("{ width }", 0), parts.documented_as("height", 1)
            ('root0', 'height')
        """
        if name in self.params or name[:1] not in "{[":
            return name
        top = [documented for documented in self.params if "." not in documented]
        return top[position] if position < len(top) else name

    def members(self, name: str) -> list[str]:
        r"""The doc's entries for the properties of parameter ``name`` (``@param root0.width``), in order.

        Args:
            name: the parameter's name in the doc.

        Returns:
            The dotted names.

        Examples:
            >>> doc_parts("@param {object} o\n@param {number} o.width", "javascript").members("o")
            ['o.width']
        """
        return [documented for documented in self.params if documented.startswith(name + ".")]

    @property
    def text(self) -> str:
        """The whole docstring as Markdown: description, parameters as a list, then the sections.

        Returns:
            Markdown, for a docstring shown without a parameter table (a class's, a module's).
        """
        typed = {name: f" ({code(kind)})" for name, kind in self.types.items()}
        params = "\n".join(f"- {code(name)}{typed.get(name, '')}: {text}" for name, text in self.params.items())
        blocks = (self.body, f"**Parameters:**\n\n{params}" if params else "", self.sections)
        return "\n\n".join(block for block in blocks if block)


def doc_parts(text: str | None, language: str = "python") -> DocParts:
    r"""A docstring or doc comment as Markdown: sections as lists, reST roles and titles converted.

    Python docstrings are read by docstring_parser (Google, NumPy or reST, whichever finds the most
    sections, as :func:`~codescribe.engine.quality.docstyle.read_docstring` does); returns and
    raises become lists, examples a ``python`` code block, and the parameters' entries are handed
    back apart, for the page's parameter table. In the prose, reST roles (``:class:`~pkg.Foo```)
    become code spans, double backticks single ones, a ``.. code-block::`` a fenced block, a doctest
    block (``>>>`` lines and their output, up to a blank line) a ``python`` block, and an underlined
    title a bold line; underscores that CommonMark would read as emphasis (``__init__``) are escaped
    outside code. JSDoc and Javadoc tags are read the same way (``@param {T} name description``,
    ``@returns``, ``@throws``, ``@example``; ``{@link X}`` and ``{@code x}`` become code spans). A
    code block after the first words of a Returns section or a tag stays a block; in a parameter's
    or an exception's one-line entry it becomes a code span. rustdoc and Go doc comments are
    Markdown already (but for Go's underscores, escaped as above); their ``# Heading`` sections (``#
    Errors``, ``# Panics``, ``# Examples``) become bold titles, so they do not open a new chapter of
    the page; rustdoc's ``* `name` - text`` entries under ``# Arguments`` go to the parameter table,
    its untagged fences are Rust, and lines it hides in examples (``# use x;``) are hidden.

    Args:
        text: the docstring, cleaned (``inspect.cleandoc``); ``None`` or empty for none.
        language: the language of the file it comes from.

    Returns:
        The parts; an empty body for no docstring.

    Examples:
        >>> text = "Add two numbers.\n\nArgs:\n    a (int): The first.\n    b: The second."
        >>> parts = doc_parts(text + "\n\nReturns:\n    int: The sum.")
        >>> print(parts.body, parts.sections, sep="\n")
        Add two numbers.
        **Returns:** `int`: The sum.
        >>> parts.params
        {'a': 'The first.', 'b': 'The second.'}
        >>> doc_parts("See :class:`~rich.text.Text` and ``str``.").body
        'See `Text` and `str`.'
        >>> parts = doc_parts("Opens it.\n\n# Errors\n\nWhen [`io::Error`] occurs.", "rust")
        >>> print(parts.body, parts.sections, parts.raises, sep="\n")
        Opens it.
        **Errors:**
        <BLANKLINE>
        When `io::Error` occurs.
        True
    """
    if not text:
        return DocParts()
    if language in _TAGGED_LANGUAGES:
        return _tagged_parts(text, fence_name(language))
    if language in ("rust", "go"):
        return _headed_parts(text, language)
    if language != "python":
        return DocParts(text)
    from codescribe.engine.quality.docstyle import read_docstring

    reading = read_docstring(text)
    if reading is None or not reading.meta:
        return DocParts(_prose(text))
    short, long = reading.short_description, reading.long_description
    if short and long and not reading.blank_after_short_description:  # a summary that runs on to a second line
        short, long = f"{short}\n{long}", None
    description = [_prose(part).strip() for part in (short, long) if part]
    blocks: list[str] = []
    returns = [returned for returned in reading.many_returns if returned.type_name or returned.description]
    for returned in returns:  # an empty ``:return:`` says nothing
        kind = "Yields" if returned.is_generator else "Returns"
        typed = code(returned.type_name) if returned.type_name else ""
        blocks.append(_labelled(kind, typed, _prose(returned.description or "")))
    raises = [f"- {code(r.type_name or 'Exception')}: {_inline(r.description)}" for r in reading.raises]
    if raises:
        blocks.append("**Raises:**\n\n" + "\n".join(raises))
    for example in reading.examples:
        snippet = "\n".join(part for part in (example.snippet, example.description) if part)
        if snippet:
            blocks.append("**Example:**\n\n" + code_block(snippet.strip(), "python"))
    entries = [(name.strip().lstrip("*"), p) for p in reading.params for name in p.arg_name.split(",")]
    params = {name: _inline(p.description) for name, p in entries}
    types = {name: p.type_name for name, p in entries if p.type_name}
    sections = "\n\n".join(block for block in blocks if block.strip())
    # A Python signature says which parameters are optional; the doc's "optional" adds nothing.
    return DocParts("\n\n".join(description), sections, params, bool(returns), bool(reading.raises), types)


_TAGGED_LANGUAGES = ("javascript", "typescript", "tsx", "java")
#: The names Markdown fences use for languages that are not fenced by their own name.
_FENCE = {"javascript": "js", "typescript": "ts"}


#: A fenced block's opening line: its fence (backticks or tildes, three or more) and its info string.
_FENCE_OPENING = re.compile(r"^(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*\n")
_BACKTICK_RUN = re.compile(r"`{3,}")


def code_block(text: str, language: str) -> str:
    r"""A fenced code block holding ``text``, whatever fences ``text`` holds itself.

    An example that is a fenced block already (the mkdocstrings convention) is taken out of its fence, and
    the block's fence is longer than any run of backticks inside, so that none closes it early (CommonMark:
    a closing fence is at least as long as the opening one).

    Args:
        text: the code (or a fenced block of it).
        language: the fence's language name, unless ``text``'s own fence names one.

    Returns:
        The block, without a final newline.

    Examples:
        >>> print(code_block("```python\nadd(1, 2)  # 3\n```", "text"))
        ```python
        add(1, 2)  # 3
        ```
        >>> print(code_block('s = "```"', "python"))
        ````python
        s = "```"
        ````
    """
    body = text.strip("\n")
    opened = _FENCE_OPENING.match(body)
    if opened and body.rstrip().endswith("\n" + opened[1]):
        language = opened[2] or language
        body = body[opened.end() : body.rstrip().rfind("\n")]
    longest = max((len(run) for run in _BACKTICK_RUN.findall(body)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def fence_name(language: str) -> str:
    """The name a Markdown code fence gives a language's code.

    Args:
        language: an analysis language name (``python``, ``typescript``, ``tsx``, ``go`` ...).

    Returns:
        ``js`` for JavaScript, ``ts`` for TypeScript, else the language's own name.

    Examples:
        >>> fence_name("typescript"), fence_name("rust")
        ('ts', 'rust')
    """
    return _FENCE.get(language, language)


_TAG = re.compile(r"^\s*@(\w+)\b\s?(.*)$")
#: ``@param {T} name - text``; JSDoc's optional ``[name]`` and ``[name=default]`` (https://jsdoc.app/tags-param).
_TAG_PARAM = re.compile(
    r"^(?:\[\s*(?P<optional>[\w$.]+)\s*(?:=\s*(?P<default>[^\]]*?))?\s*\]|(?P<name>[\w$.]+))"
    r"\s*(?:-\s+)?(?P<text>.*)$",
    re.DOTALL,
)


def _typed(content: str) -> tuple[str | None, str]:
    """A tag's ``{type}`` (braces balanced: ``{{ a: number }}`` is an object type) and the rest.

    Examples:
        >>> _typed("{{ a: number; b?: string }} root0 - the options")
        ('{ a: number; b?: string }', 'root0 - the options')
        >>> _typed("each value")
        (None, 'each value')
    """
    if not content.startswith("{"):
        return None, content
    depth = 0
    for index, char in enumerate(content):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return content[1:index].strip(), content[index + 1 :].lstrip()
    return None, content  # unbalanced: no type


_INLINE_TAG = re.compile(r"\{@(?:link|linkplain|code|literal)\s+([^}]*)\}")


def _read_param(
    kind: str | None, param: re.Match[str], params: dict[str, str], types: dict[str, str], optional: dict[str, str]
) -> None:
    """One ``@param``: its description, its type and whether (and with what default) it is optional."""
    name = param["optional"] or param["name"]
    params[name] = _one_line(_inline_tags(param["text"]))
    if kind:
        types[name] = kind
    if param["optional"]:
        optional[name] = (param["default"] or "").strip()


def _type_parameter(tag: str, content: str) -> str | None:
    """A type parameter's tag (``@param <T>``, ``@template T``, ``@typeParam T``) as a list entry, else ``None``."""
    typed = _TYPE_PARAMETER.match(content) if tag == "param" else None
    if tag in ("template", "typeParam", "typeparam"):
        typed = _TEMPLATE.match(content)
    if typed is None:
        return None
    said = _one_line(_inline_tags(typed["text"]))
    return f"- {code(typed['name'])}" + (f": {said}" if said else "")


def _split_tags(text: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """A JSDoc or Javadoc comment's description lines, and each ``@tag`` with its lines."""
    body: list[str] = []
    tags: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _TAG.match(line)
        if match:
            tags.append((match.group(1), [match.group(2)]))
        elif tags:
            tags[-1][1].append(line)
        else:
            body.append(line)
    return body, tags


def _tagged_parts(text: str, fence: str) -> DocParts:
    """A JSDoc or Javadoc comment's description and tags, read into :class:`DocParts`."""
    body, tags = _split_tags(text)
    params: dict[str, str] = {}
    types: dict[str, str] = {}
    optional: dict[str, str] = {}
    blocks: list[str] = []
    raises: list[str] = []
    generic: list[str] = []
    returns = False
    for tag, lines in tags:
        content = "\n".join(lines).strip()
        if entry := _type_parameter(tag, content):
            generic.append(entry)
        elif tag in ("param", "arg", "argument") and (param := _TAG_PARAM.match(_typed(content)[1])):
            _read_param(_typed(content)[0], param, params, types, optional)
        elif tag in ("returns", "return", "yields", "yield"):
            returns = True
            stated, rest = _typed(content)
            kind = code(stated) if stated else ""
            title = "Yields" if tag.startswith("yield") else "Returns"
            blocks.append(_labelled(title, kind, _inline_tags(rest)))
        elif tag in ("throws", "exception"):
            name, _, rest = content.removeprefix("{").partition("}" if content.startswith("{") else " ")
            raises.append(f"- {code(name.strip())}: {_one_line(_inline_tags(rest))}")
        elif tag == "example":
            blocks.append("**Example:**\n\n" + _example(content, fence))
        elif content:
            blocks.append(_labelled(tag.capitalize(), "", _inline_tags(content)))
    if generic:  # Javadoc's ``@param <T>``, JSDoc's ``@template T``, TSDoc's ``@typeParam T``
        blocks.insert(0, "**Type parameters:**\n\n" + "\n".join(generic))
    if raises:
        blocks.append("**Raises:**\n\n" + "\n".join(raises))
    description = _inline_tags("\n".join(body).strip())
    return DocParts(description, "\n\n".join(blocks), params, returns, bool(raises), types, optional)


#: Javadoc's ``@param <T> text`` documents a type parameter (its ``<>`` would be an HTML tag on the page).
_TYPE_PARAMETER = re.compile(r"<\s*(?P<name>[\w$]+)\s*>\s*(?P<text>.*)", re.DOTALL)
#: JSDoc's ``@template T text`` (or ``@template {Bound} T``) and TSDoc's ``@typeParam T - text``.
_TEMPLATE = re.compile(r"(?:\{[^}]*\}\s*)?(?P<name>[\w$]+)(?:\s*,\s*[\w$]+)*\s*(?:-\s*)?(?P<text>.*)", re.DOTALL)
_HASH_HEADING = re.compile(r"^#{1,4}[ \t]+(\S.*?)[ \t]*#*[ \t]*$")
_HASH_ENTRY = re.compile(r"^\s*[-*+]\s+`?\*{0,2}([A-Za-z_$][\w$]*)`?\s*(?::|[-–]{1,2})\s*(.*)$")
_FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w,+-]*)")
#: rustdoc's fence attributes that still mean Rust code (https://doc.rust-lang.org/rustdoc/write-documentation/documentation-tests.html).
#: An intra-doc link written without a target: rustdoc's ``[`Error`]``, Go's ``[io.Reader]`` (Go 1.19).
_DOC_LINK = {
    "rust": re.compile(r"\[(`[^`\]\n]+`)\](?![(\[:])"),
    "go": re.compile(r"\[(\*?[A-Za-z_][\w.]*)\](?![(\[:])"),
}
_RUST_ATTRIBUTES = frozenset(
    {"", "rust", "ignore", "no_run", "should_panic", "compile_fail", "edition2015", "edition2018", "edition2021"}
)


def _headed_parts(text: str, language: str) -> DocParts:
    """A rustdoc or Go doc comment: ``# Heading`` sections as bold titles, Rust examples as Rust."""
    body: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fence = ""  # the open fence's marker, while inside one
    rust_block = False
    for raw in text.splitlines():
        line, opened = raw, _FENCE_OPEN.match(raw)
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            elif rust_block and (line.strip() == "#" or line.lstrip().startswith("# ")):
                continue  # rustdoc hides it in the rendered example
            elif rust_block and line.lstrip().startswith("##"):
                line = line.replace("##", "#", 1)
        elif opened:
            fence = opened.group(2)
            attributes = set(opened.group(3).split(","))
            rust_block = language == "rust" and attributes <= _RUST_ATTRIBUTES
            if rust_block:
                line = f"{opened.group(1)}{fence}rust"
        elif heading := _HASH_HEADING.match(line):
            sections.append((heading.group(1), []))
            continue
        elif language == "rust" or not line[:1].isspace():  # an indented Go line is code
            line = _DOC_LINK[language].sub(lambda link: code(link.group(1).strip("`")), line)
            if language == "go":  # plain text, where __init__ is a name (rustdoc is Markdown: left as written)
                line = _between(_KEPT_AS_WRITTEN, line, _escape_underscores)
        (sections[-1][1] if sections else body).append(line)
    params: dict[str, str] = {}
    blocks: list[str] = []
    for title, lines in sections:
        if title.lower() in ("arguments", "parameters", "params") and (
            entries := [entry for line in lines if (entry := _HASH_ENTRY.match(line))]
        ):
            params.update((entry.group(1), entry.group(2).strip()) for entry in entries)  # links read above
            continue
        content = "\n".join(lines).strip("\n")  # an indented first line is Go code: keep its indent
        blocks.append(f"**{title}:**\n\n{content}" if content.strip() else f"**{title}**")
    titles = {title.lower() for title, _ in sections}
    returns = bool(titles & {"returns", "return value", "return"})
    raises = bool(titles & {"errors", "panics", "raises"})
    return DocParts("\n".join(body).strip("\n"), "\n\n".join(blocks), params, returns, raises)


def _inline_tags(text: str) -> str:
    return _literal_underscores(_INLINE_TAG.sub(lambda match: code(match.group(1).strip()), text))


def _example(content: str, fence: str) -> str:
    """An ``@example``: its code as a block; as Markdown when it holds fenced code and more (TSDoc's words and
    fences, or several fences)."""
    tops = [token for token in _blocks().parse(content) if token.map and not token.level]
    if len(tops) > 1 and any(token.type == "fence" for token in tops):
        return _inline_tags(content)
    return code_block(content, fence)


def inline_roles(text: str) -> str:
    """One line of reST prose as Markdown: roles and double backticks become code spans.

    Args:
        text: prose (a summary line, a table cell).

    Returns:
        The text with ``:role:`target``` and ````code```` as Markdown code spans.

    Examples:
        >>> inline_roles("Wraps :class:`~httpx.Client` (see ``send``).")
        'Wraps `Client` (see `send`).'
    """
    return _roles(text)


def first_paragraph(text: str | None) -> str:
    r"""A docstring's first paragraph of prose, on one line, as Markdown: for a summary or a table cell.

    reST directives are read as :func:`doc_parts` reads them, so a docstring that opens with
    ``.. testsetup::`` or a version note is summed up by its first paragraph of words.

    Args:
        text: the docstring, cleaned; ``None`` or empty for none.

    Returns:
        The paragraph with its line breaks as spaces and reST roles as code spans; ``""`` when the
        text holds no paragraph of prose.

    Examples:
        >>> first_paragraph(".. versionadded:: 1.2\n\nParse a :class:`Version`\nstring.\n\nMore.")
        'Parse a `Version` string.'
        >>> first_paragraph(".. testsetup::\n\n   import six\n")
        ''
        >>> first_paragraph("Request prototype.\n@public")
        'Request prototype.'
    """
    for part in re.split(r"\n[ \t]*\n", _prose(text or "")):
        paragraph = _BLOCK_TAG.split(part.strip(), maxsplit=1)[0].strip()  # a JSDoc ``@public`` ends the prose
        if paragraph and not paragraph.startswith(("```", "*Added in", "*Changed in", "*Deprecated since")):
            return " ".join(line.strip() for line in paragraph.splitlines())
    return ""


#: A JSDoc, Javadoc or TSDoc block tag opening a line (``@public``, ``@param``): the description ends there.
_BLOCK_TAG = re.compile(r"^@[A-Za-z]", re.MULTILINE)


def _inline(text: str | None) -> str:
    return _one_line(_prose(text or ""))


def _labelled(label: str, stated: str, text: str) -> str:
    r"""A section's entry: ``**label:**``, what is ``stated`` (a type) and the first paragraph of the Markdown
    ``text`` on its line, then text's other blocks (a code example, more paragraphs) below, as written.

    Examples:
        >>> print(_labelled("Returns", "`str`", "The id.\n\n```js\nmake()\n```"))
        **Returns:** `str`: The id.
        <BLANKLINE>
        ```js
        make()
        ```
    """
    lines = text.strip("\n").splitlines()
    first = next((token for token in _blocks().parse("\n".join(lines)) if token.map), None)
    ends = first.map[1] if first is not None and first.map and first.type == "paragraph_open" else 0
    said = " ".join(line.strip() for line in lines[:ends])
    more = "\n".join(lines[ends:]).strip("\n")
    entry = f"**{label}:** " + (f"{stated}: {said}" if stated and said else stated or said)
    return entry.rstrip() + (f"\n\n{more}" if more else "")


def _one_line(text: str) -> str:
    """Markdown on one line, for a table cell or a list entry: each code block as a code span, the rest joined."""
    if "\n" not in text.strip():
        return text.strip()
    lines = text.splitlines()
    pieces = []
    for token in _blocks().parse(text):
        if token.level or token.map is None:
            continue
        if token.type in ("fence", "code_block"):
            pieces.append(code(token.content.strip("\n")))
        else:
            pieces.append(" ".join(line.strip() for line in lines[token.map[0] : token.map[1]] if line.strip()))
    return " ".join(piece for piece in pieces if piece)


def _prose(text: str) -> str:
    """reST in a docstring's prose made Markdown: roles, double backticks, code directives, titles, doctest
    blocks; underscores that would be emphasis (``__init__``) written literally; fenced blocks kept as written."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    fence = ""  # the open fence's marker, while inside one
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        opened = None if fence else _FENCE_OPEN.match(line)
        if fence or opened:  # a fenced block is code, as written
            if opened:
                fence = opened.group(2)
            elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            out.append(line)
            index += 1
            continue
        directive = _DIRECTIVE.match(line)
        if directive:  # the indented block after ``.. code-block:: python`` is the code
            end = _block_end(lines, index + 1, len(directive.group(1)))
            body = "\n".join(lines[index + 1 : end]).strip("\n")
            out.append(f"```{directive.group(2)}\n{textwrap.dedent(body)}\n```")
            index = end
            continue
        if _DOCTEST.match(line) and not _in_indented_block(lines, index):
            index = _doctest_block(lines, index, out)
            continue
        other = _OTHER_DIRECTIVE.match(line)
        if other:
            index = _directive(other, lines, index + 1, out)
            continue
        if line.strip() and _UNDERLINE.match(following) and len(following.strip()) >= len(line.strip()) - 1:
            out.append(f"**{_roles(line.strip())}**")  # a reST title: not a Markdown fence or rule
            index += 2
            continue
        if _UNDERLINE.match(line) and line.strip()[0] in "~`":
            index += 1  # a stray underline of ~ or ` would open a code fence
            continue
        out.append(_roles(line))
        index += 1
    return _literal_underscores("\n".join(out))


#: A doctest example's first line (Python's ``doctest`` and reST's doctest blocks): ``>>>`` and a space or nothing.
_DOCTEST = re.compile(r"^(\s*)>>>(?:\s|$)")


def _in_indented_block(lines: list[str], index: int) -> bool:
    """Whether ``lines[index]`` goes on an indented block (a literal block's code) begun on the line before."""
    before = lines[index - 1] if index else ""
    return bool(before.strip()) and len(before) - len(before.lstrip()) >= 4 and not _DOCTEST.match(before)


def _doctest_block(lines: list[str], index: int, out: list[str]) -> int:
    """Write the doctest block starting at ``lines[index]`` to ``out`` as a fenced Python block.

    Markdown would read each ``>>>`` as three nested block quotes. As in reST and Python's ``doctest``, the
    block is its examples and their output and ends at a blank line (or a line indented less than its
    first). Returns the index of the line after the block.
    """
    indent = len(lines[index]) - len(lines[index].lstrip())
    end = index + 1
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) >= indent:
        end += 1
    if out and out[-1].strip():
        out.append("")  # a paragraph of its own, apart from the prose before (and the summary)
    out.append(code_block(textwrap.dedent("\n".join(lines[index:end])), "python"))
    if end < len(lines) and lines[end].strip():
        out.append("")
    return end


def _directive(match: re.Match[str], lines: list[str], index: int, out: list[str]) -> int:
    """Write one reST directive (its indented block read from ``lines[index:]``) as Markdown to ``out``.

    Version notes and admonitions become a labelled paragraph, doctest blocks a fenced block; what
    Sphinx does not show (``testsetup``, comments, targets) and directives with no Markdown form
    (``image``, ``autofunction``, ...) are left out. Returns the index of the line after the block.
    """
    name, argument = match.group(2) or "", match.group(3) or ""
    end = _block_end(lines, index, len(match.group(1)))
    while end > index and not lines[end - 1].strip():  # the blank lines after the block still part paragraphs
        end -= 1
    body = textwrap.dedent("\n".join(lines[index:end]).strip("\n"))
    body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(":"))  # its options
    if name in _VERSION_NOTES:
        version, _, said = argument.partition(" ")
        text = " ".join(part for part in (said, body.replace("\n", " ")) if part)
        out.append(f"*{_VERSION_NOTES[name]} {version}" + (f":* {_roles(text)}" if text else ".*"))
    elif name in _ADMONITIONS:
        label = "See also" if name == "seealso" else name.capitalize()
        text = " ".join(part for part in (argument, body) if part)
        out.append(f"**{label}:** {_prose(text)}")
    elif name in _CODE_DIRECTIVES and body.strip():
        out.append(f"```{_CODE_DIRECTIVES[name]}\n{body.strip()}\n```")
    return end


def _roles(line: str) -> str:
    def role(match: re.Match[str]) -> str:
        shown = match.group(2) or match.group(3) or ""
        if match.group(1) in _STANDARD_ROLES:
            return f"{_STANDARD_ROLES[match.group(1)]} {shown.strip()}"
        return code(shown.rsplit(".", 1)[-1] if match.group(0).count("~") else shown)

    return _DOUBLE_BACKTICKS.sub(lambda m: code(m.group(1)), _ROLE.sub(role, line))


def _block_end(lines: list[str], index: int, indent: int) -> int:
    """Where the block indented deeper than ``indent`` that starts at ``lines[index]`` ends (blank lines in it)."""
    while index < len(lines) and (not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent):
        index += 1
    return index


#: Where raw HTML starts in CommonMark (spec 0.31, "Raw HTML" and "HTML blocks"): a tag, a closing tag, a
#: comment, a processing instruction or a declaration. Python-Markdown starts it at the same characters.
_RAW_HTML = re.compile(r"<(?=[A-Za-z/!?])")
#: An autolink that stays one: a web or mail address (a ``javascript:`` one is escaped like a tag).
_SAFE_AUTOLINK = re.compile(r"<(?:https?|mailto):[^\s<>]*>", re.IGNORECASE)
#: What raw HTML or a link starts with: a text without any holds neither.
_MAY_HOLD_MARKUP = re.compile(r"<|\]\(|\]:")
#: A code span on one line: a run of backticks, then text, then a run of the same length.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


@functools.cache
def _blocks() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def without_raw_html(text: str) -> str:
    r"""A Markdown page with its raw HTML shown as text, and its code as it was.

    Markdown passes raw HTML through to the page: a docstring's or a model's ``<script>``, ``<iframe>`` or
    ``<img onerror=...>`` would run in whatever site renders the file. Each ``<`` that would open HTML becomes
    ``&lt;``, which CommonMark renderers and Python-Markdown (MkDocs) alike show as ``<``, and a link's
    destination with a scheme other than ``http``, ``https`` or ``mailto`` (``javascript:``, ``data:`` ...)
    becomes ``#``. Code blocks (fenced or indented, as markdown-it-py finds them) and code spans are left as
    they are, and so are web and mail autolinks.

    Args:
        text: the Markdown.

    Returns:
        The Markdown with no raw HTML; ``text`` itself when it has none.

    Examples:
        >>> print(without_raw_html("Add <b>two</b> numbers <img src=x onerror=alert(1)>, `List<T>`, a < b."))
        Add &lt;b>two&lt;/b> numbers &lt;img src=x onerror=alert(1)>, `List<T>`, a < b.
        >>> print(without_raw_html("[guide](https://x.org/a_(b)) [run](JaVa&#83;cript:alert(1)) [f](path/to.md)"))
        [guide](https://x.org/a_(b)) [run](#) [f](path/to.md)
        >>> print(without_raw_html("```html\n<b>kept</b>\n```\n\nSee <https://example.com>."))
        ```html
        <b>kept</b>
        ```
        <BLANKLINE>
        See <https://example.com>.
    """
    if not _MAY_HOLD_MARKUP.search(text):
        return text
    code = _code_lines(text)
    lines = text.splitlines(keepends=True)
    return "".join(line if number in code else _escape_line(line) for number, line in enumerate(lines))


def _code_lines(text: str) -> set[int]:
    """The numbers of the lines of Markdown ``text`` that code blocks hold (fenced or indented, their fences too)."""
    lines: set[int] = set()
    for token in _blocks().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def _escape_line(line: str) -> str:
    return _between(_CODE_SPAN, line, _escape_prose) if _MAY_HOLD_MARKUP.search(line) else line


def _between(pattern: re.Pattern[str], text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to what lies between the matches of ``pattern``; the matches are kept."""
    pieces, at = [], 0
    for found in pattern.finditer(text):
        pieces += [change(text[at : found.start()]), found.group()]
        at = found.end()
    return "".join(pieces) + change(text[at:])


def _escape_prose(text: str) -> str:
    escaped = _between(_SAFE_AUTOLINK, text, lambda prose: _RAW_HTML.sub("&lt;", prose))
    if "](" not in escaped and "]:" not in escaped:
        return escaped
    escaped = _INLINE_LINK.sub(lambda found: found[1] + _safe_destination(found[2]), escaped)
    return _REFERENCE.sub(lambda found: found[1] + _safe_destination(found[2]), escaped)


#: An inline link's or image's destination: ``](`` then ``<...>``, or text with balanced parentheses.
_INLINE_LINK = re.compile(r"(\]\(\s*)(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
#: A link reference definition's destination: ``[label]: destination``.
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)")
#: Schemes a page's link may have (a destination with no scheme is a path or an anchor, and fine too).
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _safe_destination(destination: str) -> str:
    """``destination``, or ``#`` when it would take a browser anywhere but a web or mail address or a path:
    ``javascript:``, ``data:``, ``vbscript:``, ``file:`` ..., however it is spelled (entities, case, control
    characters, which browsers drop from URLs)."""
    plain = re.sub(r"[\x00-\x20]", "", html.unescape(destination.strip("<>")))
    scheme = _SCHEME.match(plain)
    return "#" if scheme and scheme[1].lower() not in _SAFE_SCHEMES else destination


#: What prose keeps as written when its underscores are made literal: a code span, an autolink or a tag, a
#: link's destination, a web address.
_KEPT_AS_WRITTEN = re.compile(_CODE_SPAN.pattern + r"|<[^<>\n]*>|\]\([^)\n]*\)|\b[A-Za-z][\w+.-]*://\S+")
#: A run of underscores (none before it); :func:`_literal_underscores` reads what stands on either side.
_UNDERSCORES = re.compile(r"(?<!_)_+")


def _literal_underscores(text: str) -> str:
    r"""Markdown with each run of underscores that could open or close emphasis escaped, outside code.

    A docstring's ``__init__`` is a name (reST, Javadoc and Go doc comments have no ``_`` emphasis), but
    CommonMark reads the underscores at a word's edge as emphasis and shows a bold "init". Underscores
    inside a word (``snake_case``) emphasise nothing and are left alone, as are code blocks and spans,
    links' destinations and web addresses; an escaped underscore stays escaped, so the text can be passed
    through again.

    Examples:
        >>> print(_literal_underscores("Set by __init__, not `__call__` or _private_names."))
        Set by \_\_init\_\_, not `__call__` or \_private_names.
        >>> _literal_underscores(_literal_underscores("a __b__")) == _literal_underscores("a __b__")
        True
    """
    if "_" not in text:
        return text
    code_lines = _code_lines(text)
    lines = text.splitlines(keepends=True)
    return "".join(
        line if number in code_lines or "_" not in line else _between(_KEPT_AS_WRITTEN, line, _escape_underscores)
        for number, line in enumerate(lines)
    )


def _escape_underscores(prose: str) -> str:
    def escaped(run: re.Match[str]) -> str:
        before = prose[run.start() - 1] if run.start() else " "
        after = prose[run.end()] if run.end() < len(prose) else " "
        inside_a_word = before.isalnum() and after.isalnum()
        return run.group() if inside_a_word or before == "\\" else "\\_" * len(run.group())

    return _UNDERSCORES.sub(escaped, prose)
