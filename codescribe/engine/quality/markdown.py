"""Markdown read into sections by heading, and measures of whether a section has real content.

Only what scoring needs, read from markdown-it-py's CommonMark tokens (tables enabled):
headings, code blocks (fenced or indented), list items (nested too), table rows and paragraphs.
A section's ``blocks`` include those of its sub-sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal

from markdown_it import MarkdownIt

from codescribe.engine.quality.rubrics import (
    PLACEHOLDER_WORDS,
    RICH_DISTINCT_WORDS,
    RICH_LIST_ITEMS,
    RICH_WORDS,
    SECTION_SYNONYMS,
    STOPWORDS,
)

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = [
    "SYNONYM_PATTERNS",
    "Block",
    "ContentLevel",
    "MarkdownDoc",
    "Section",
    "code_has_content",
    "content_level",
    "parse_markdown",
    "words_of",
]

BlockKind = Literal["prose", "list", "table", "code"]
ContentLevel = Literal["rich", "thin", "empty"]

_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
#: The link and tag patterns exclude their own opening character from what they scan, so that a run of ``[``
#: or ``<`` costs linear time, not quadratic (each start would otherwise scan to the end of the text).
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: Possessive (``*+``): a long run of blanks before other text is read once, not once per way to split it.
_EMPTY_CODE_LINE = re.compile(r"^\s*+(?:(?:#|//|--|;)\s*+)?(?:\.\.\.|…|pass|todo\b.*|tbd\b.*)?\s*+$", re.IGNORECASE)
_LOREM = re.compile(r"\blorem\s+ipsum\b", re.IGNORECASE)
_TITLE_NOISE = re.compile(r"[`*_~\[\]()]")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a Markdown document: a paragraph, a list item, a table row or a code block.

    Attributes:
        kind: ``prose`` (a paragraph), ``list`` (a list item's paragraph), ``table`` (a row, its
            cells joined by `` | ``) or ``code`` (fenced or indented).
        text: the block's text (Markdown inline syntax kept; a code block's final newline removed).
        language: the info string's first word of a fenced code block, lower-cased; ``""`` when none.
        cells: a table row's cells, each as written (a cell may hold ``|`` escaped as ``\\|``); ``()`` otherwise.
    """

    kind: BlockKind
    text: str
    #: The info string of a fenced code block, lower-cased ("" when none).
    language: str = ""
    cells: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """The text under one heading (or, for the preamble, before the first heading).

    Attributes:
        level: 1-6 for headings, 0 for the text before the first heading.
        title: the heading's text (inline Markdown kept); ``""`` for the preamble.
        own: the blocks before the first sub-heading.
        blocks: the own blocks and every sub-section's blocks.
        parent: the index of the enclosing section in ``MarkdownDoc.sections``; ``None`` for a
            top-level one.
        subtitles: the titles of every sub-section.
    """

    #: 1-6 for headings, 0 for the text before the first heading.
    level: int
    title: str
    #: Blocks before the first sub-heading.
    own: tuple[Block, ...]
    #: Own blocks and every sub-section's blocks.
    blocks: tuple[Block, ...]
    #: Index of the enclosing section in ``MarkdownDoc.sections`` (None for top-level ones).
    parent: int | None
    #: Titles of every sub-section.
    subtitles: tuple[str, ...] = ()

    @property
    def code_blocks(self) -> tuple[Block, ...]:
        r"""The section's code blocks, its sub-sections' included.

        Returns:
            The ``code`` blocks of :attr:`blocks`, in order.

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> [block.text for block in doc.sections[1].code_blocks]
            ['pip install calc']
        """
        return tuple(block for block in self.blocks if block.kind == "code")


@dataclass(frozen=True, slots=True)
class MarkdownDoc:
    """A Markdown document read into sections by heading (see :func:`parse_markdown`).

    Attributes:
        sections: ``sections[0]`` is the preamble (level 0); the rest follow the headings in order.
        inline_code: the contents of every inline code span outside code blocks (headings included).
        title_index: the index of the document's title, the first heading, when it is an H1; else ``None``.
    """

    #: ``sections[0]`` is the preamble (level 0); the rest follow the headings in order.
    sections: tuple[Section, ...]
    #: Contents of every inline code span outside fenced code (headings included).
    inline_code: tuple[str, ...]
    #: Index of the document's title: the first heading, when it is an H1.
    title_index: int | None

    @property
    def headings(self) -> tuple[Section, ...]:
        r"""The sections that have a heading: every one but the preamble.

        Returns:
            ``sections[1:]``.

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> [(section.level, section.title) for section in doc.headings]
            [(1, 'Calc'), (2, 'Install'), (2, 'Usage'), (3, 'Details')]
        """
        return self.sections[1:]

    @property
    def code_blocks(self) -> tuple[Block, ...]:
        r"""Every code block of the document, in order.

        Returns:
            The code blocks.

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> doc.code_blocks
            (Block(kind='code', text='pip install calc', language='bash', cells=()),)
        """
        return tuple(block for block in self.blocks if block.kind == "code")

    @property
    def blocks(self) -> tuple[Block, ...]:
        r"""Every block of the document, in order.

        Returns:
            The blocks.

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> [block.kind for block in doc.blocks]
            ['prose', 'prose', 'code', 'list', 'list', 'table', 'table']
        """
        return tuple(block for section in self.sections for block in section.own)

    @property
    def lead(self) -> tuple[Block, ...]:
        r"""The text before the first sub-section: the preamble and the title's own paragraphs.

        Returns:
            The preamble's blocks, then the title's own blocks (only the preamble's when there is no
            H1 title).

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> [block.text for block in doc.lead]
            ['Intro.', 'Adds numbers.']
        """
        if self.title_index is None:
            return self.sections[0].own
        return self.sections[0].own + self.sections[self.title_index].own

    def sections_of_kind(self, kind: str) -> tuple[Section, ...]:
        r"""Sections whose heading is one of the kind's synonyms (never the document's title).

        The synonyms are :data:`~codescribe.engine.quality.rubrics.SECTION_SYNONYMS`, matched as whole
        words of the lower-cased title (``Quick start`` is a usage heading).

        Args:
            kind: a key of ``SECTION_SYNONYMS``: ``overview``, ``installation``, ``usage``,
                ``components``, ``data_flow`` or ``design``.

        Returns:
            The sections, in order.

        Raises:
            KeyError: ``kind`` is not one of them.

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> [section.title for section in doc.sections_of_kind("installation")]
            ['Install']
        """
        pattern = SYNONYM_PATTERNS[kind]
        return tuple(
            section
            for index, section in enumerate(self.sections)
            if index and index != self.title_index and pattern.search(normalise_title(section.title))
        )

    def best_of_kind(self, kind: str, ignore: frozenset[str] = frozenset()) -> tuple[ContentLevel, Section | None]:
        r"""The fullest section of a kind, and how much content it has.

        Content is measured by :func:`content_level`, the heading's own words and the kind's
        synonyms set aside; the first of equally full sections wins.

        Args:
            kind: a key of :data:`~codescribe.engine.quality.rubrics.SECTION_SYNONYMS`.
            ignore: more lower-case words that say nothing in such a section.

        Returns:
            ``(level, section)``; ``("empty", None)`` when the document has no section of the kind.

        Raises:
            KeyError: ``kind`` is not a key of ``SECTION_SYNONYMS``.

        Examples:
            >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
            >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
            >>> doc = parse_markdown(text)
            >>> level, section = doc.best_of_kind("usage")
            >>> level, section.title, doc.best_of_kind("design")
            ('rich', 'Usage', ('empty', None))
        """
        ignore = ignore | synonym_words(kind)
        found = [(content_level(s.blocks, ignore | words_of(s.title)), s) for s in self.sections_of_kind(kind)]
        return max(found, key=lambda pair: _RANK[pair[0]], default=("empty", None))  # max keeps the first of equals


_RANK: dict[ContentLevel, int] = {"empty": 0, "thin": 1, "rich": 2}
#: Each section kind's synonyms, as whole words (not part of a longer or hyphenated word) of a normalised title.
SYNONYM_PATTERNS = {
    kind: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(word) for word in words) + r")(?![\w-])")
    for kind, words in SECTION_SYNONYMS.items()
}
_SYNONYM_WORDS = {kind: frozenset(_WORD.findall(" ".join(words))) for kind, words in SECTION_SYNONYMS.items()}


def synonym_words(kind: str) -> frozenset[str]:
    """The words of a section kind's synonyms: what a section of that kind may say without saying anything.

    Args:
        kind: a key of :data:`~codescribe.engine.quality.rubrics.SECTION_SYNONYMS`.

    Returns:
        Every word of the kind's synonyms.

    Raises:
        KeyError: ``kind`` is not a key of ``SECTION_SYNONYMS``.

    Examples:
        >>> sorted(synonym_words("installation"))[:4]
        ['getting', 'install', 'installation', 'installing']
    """
    return _SYNONYM_WORDS[kind]


def normalise_title(title: str) -> str:
    """A heading's text as synonyms are matched against it: lower case, no Markdown marks, single spaces.

    Args:
        title: a heading's text.

    Returns:
        The title with backticks, ``*``, ``_``, ``~``, brackets and parentheses made spaces, lower-cased,
        its runs of whitespace made one space, stripped.

    Examples:
        >>> normalise_title("**Quick**  `Start` (v2)")
        'quick start v2'
    """
    return " ".join(_TITLE_NOISE.sub(" ", title).lower().split())


def words_of(text: str) -> frozenset[str]:
    """The distinct words of a text, lower-cased.

    A word starts with a letter and goes on with letters, digits, ``_``, ``'`` or ``-``.

    Args:
        text: any text.

    Returns:
        The words.

    Examples:
        >>> sorted(words_of("The API's 2 calls: add_one, e.g."))
        ['add_one', "api's", 'calls', 'e', 'g', 'the']
    """
    return frozenset(word.lower() for word in _WORD.findall(text))


def _prose_words(text: str) -> list[str]:
    text = _URL.sub(" ", _LINK.sub(r"\1", _IMAGE.sub(" ", text)))
    return [word.lower() for word in _WORD.findall(_TAG.sub(" ", text).replace("`", " "))]


def code_has_content(code: str) -> bool:
    r"""Whether a code block has content: some line is more than blank, a bare comment, ``...`` or ``pass``.

    A line holding only ``TODO ...`` or ``TBD ...`` (commented or not) is empty too.

    Args:
        code: the code block's text.

    Returns:
        ``True`` when some line has content.

    Examples:
        >>> code_has_content("# TODO\n...\npass\n"), code_has_content("add(1, 2)")
        (False, True)
    """
    return any(not _EMPTY_CODE_LINE.match(line) for line in code.splitlines())


def content_level(blocks: Iterable[Block], ignore: frozenset[str] = frozenset()) -> ContentLevel:
    """How much a section says: rich, thin or empty.

    Rich is RICH_WORDS words of prose (RICH_DISTINCT_WORDS of them distinct, stopwords aside), a
    non-empty code block, an inline command, or RICH_LIST_ITEMS list items / table rows. Thin is
    something, but less. Empty is nothing once ``ignore`` (the heading's own words), stopwords and
    placeholders (TODO, lorem ipsum, HTML comments) and a block said again are set aside. The thresholds are in
    :mod:`~codescribe.engine.quality.rubrics` (15 words, 6 distinct, 2 items).

    Args:
        blocks: the section's blocks.
        ignore: lower-case words that say nothing here (the heading's own words, the kind's synonyms).

    Returns:
        ``rich``, ``thin`` or ``empty``.

    Examples:
        >>> content_level([Block("prose", "See installation.")])
        'thin'
        >>> content_level([Block("prose", "See installation.")], frozenset({"installation"}))
        'empty'
        >>> content_level([Block("code", "pip install calc", "bash")])
        'rich'
    """
    total = 0
    meaningful: set[str] = set()
    items = 0
    said: set[str] = set()
    for block in blocks:
        if block.text in said:
            continue  # said again, it says nothing more
        said.add(block.text)
        if block.kind == "code":
            if code_has_content(block.text):
                return "rich"
            continue
        if _LOREM.search(block.text):
            continue
        for span in _INLINE_CODE.finditer(block.text) if "`" in block.text else ():
            if " " in span.group(2).strip():
                command = [w for w in _WORD.findall(span.group(2).lower()) if w not in ignore]
                if len([w for w in command if w not in PLACEHOLDER_WORDS and w not in STOPWORDS]) >= 2:
                    return "rich"  # an inline command (`pip install textkit`) is as good as a code block
        words = [w for w in _prose_words(block.text) if w not in ignore and w not in PLACEHOLDER_WORDS]
        content = [w for w in words if w not in STOPWORDS]
        total += len(words)
        meaningful.update(content)
        if block.kind in ("list", "table") and content:
            items += 1
        if (total >= RICH_WORDS and len(meaningful) >= RICH_DISTINCT_WORDS) or items >= RICH_LIST_ITEMS:
            return "rich"
    return "thin" if meaningful else "empty"


@dataclass(slots=True)
class _Draft:
    level: int
    title: str
    own: list[Block]


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


@lru_cache(maxsize=4)
def parse_markdown(text: str) -> MarkdownDoc:
    r"""Read Markdown into sections (one per heading, after a level-0 preamble).

    The structure is CommonMark's (https://spec.commonmark.org), as markdown-it-py parses it, with
    GitHub Flavored Markdown's tables enabled: nested lists, indented code and fences inside list
    items are read as what they are. HTML comments are removed first. The last few documents read are
    kept (the result is immutable): scoring one document reads it once, not once per measure.

    Args:
        text: the Markdown document.

    Returns:
        The sections, the inline code spans and the title's index.

    Examples:
        >>> text = "Intro.\n\n# Calc\n\nAdds numbers.\n\n## Install\n\n```bash\npip install calc\n```\n\n"
        >>> text += "## Usage\n\n- add\n- mul\n\n### Details\n\n| op | does |\n|---|---|\n| add | sums |\n"
        >>> doc = parse_markdown(text)
        >>> [(section.level, section.title, section.parent) for section in doc.sections]
        [(0, '', None), (1, 'Calc', None), (2, 'Install', 1), (2, 'Usage', 1), (3, 'Details', 3)]
        >>> doc.title_index, doc.sections[3].subtitles
        (1, ('Details',))
    """
    drafts = [_Draft(0, "", [])]
    inline: list[str] = []
    in_heading = in_cell = False
    in_item = 0
    row: list[str] = []

    def take(token: Token) -> None:
        """An inline token: a heading's title, a table cell, or a paragraph (of prose or of a list item)."""
        inline.extend(child.content.strip() for child in token.children or () if child.type == "code_inline")
        if in_heading:
            drafts[-1].title = token.content.strip()
        elif in_cell:
            row.append(token.content.strip())
        elif token.content.strip():
            drafts[-1].own.append(Block("list" if in_item else "prose", token.content))

    for token in _parser().parse(_without_comments(text)):
        kind = token.type
        if kind == "inline":
            take(token)
        elif kind in ("heading_open", "heading_close"):
            in_heading = kind == "heading_open"
            if in_heading:
                drafts.append(_Draft(int(token.tag[1]), "", []))
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = kind.endswith("_open")
        elif kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind in ("fence", "code_block"):
            language = token.info.split()[0].lower() if token.info.strip() else ""
            drafts[-1].own.append(Block("code", token.content.removesuffix("\n"), language))
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            drafts[-1].own.append(Block("table", " | ".join(row), cells=tuple(row)))
    return _assemble(drafts, tuple(inline))


def _without_comments(text: str) -> str:
    """``text`` without its HTML comments (``<!-- ... -->``), in linear time: an unclosed comment is kept as
    text (a lazy regular expression would scan from every ``<!--`` to the end: quadratic)."""
    kept: list[str] = []
    at = 0
    while (start := text.find("<!--", at)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        kept.append(text[at:start])
        at = end + 3
    kept.append(text[at:])
    return "".join(kept)


def _assemble(drafts: Sequence[_Draft], inline: tuple[str, ...]) -> MarkdownDoc:
    parents: list[int | None] = [None]
    stack: list[int] = []
    for index, draft in enumerate(drafts[1:], start=1):
        while stack and drafts[stack[-1]].level >= draft.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    # Sub-sections follow their parent in document order, so a section's blocks are its own
    # followed by those of every later section until one at the same or a higher level.
    sections = []
    for index, draft in enumerate(drafts):
        blocks, subtitles = list(draft.own), []
        if index:
            following = index + 1
            while following < len(drafts) and drafts[following].level > draft.level:
                blocks.extend(drafts[following].own)
                subtitles.append(drafts[following].title)
                following += 1
        section = Section(draft.level, draft.title, tuple(draft.own), tuple(blocks), parents[index], tuple(subtitles))
        sections.append(section)
    title_index = 1 if len(drafts) > 1 and drafts[1].level == 1 else None
    return MarkdownDoc(tuple(sections), inline, title_index)
