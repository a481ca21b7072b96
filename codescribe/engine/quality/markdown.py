"""Markdown read into sections by heading, and measures of whether a section has real content.

Only what scoring needs, read from markdown-it-py's CommonMark tokens (tables enabled):
headings, code blocks (fenced or indented), list items (nested too), table rows and paragraphs.
A section's ``blocks`` include those of its sub-sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
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

_HTML_COMMENT = re.compile(r"<!--[\s\S]*?-->")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_EMPTY_CODE_LINE = re.compile(r"^\s*(?:(?:#|//|--|;)\s*)?(?:\.\.\.|…|pass|todo\b.*|tbd\b.*)?\s*$", re.IGNORECASE)
_LOREM = re.compile(r"\blorem\s+ipsum\b", re.IGNORECASE)
_TITLE_NOISE = re.compile(r"[`*_~\[\]()]")


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str
    #: The info string of a fenced code block, lower-cased ("" when none).
    language: str = ""


@dataclass(frozen=True, slots=True)
class Section:
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
        return tuple(block for block in self.blocks if block.kind == "code")

    def text_outside_code(self) -> str:
        return "\n".join(block.text for block in self.blocks if block.kind != "code")


@dataclass(frozen=True, slots=True)
class MarkdownDoc:
    #: ``sections[0]`` is the preamble (level 0); the rest follow the headings in order.
    sections: tuple[Section, ...]
    #: Contents of every inline code span outside fenced code (headings included).
    inline_code: tuple[str, ...]
    #: Index of the document's title: the first heading, when it is an H1.
    title_index: int | None

    @property
    def headings(self) -> tuple[Section, ...]:
        return self.sections[1:]

    @property
    def code_blocks(self) -> tuple[Block, ...]:
        return self.sections[0].code_blocks + tuple(
            block for section in self.headings if section.parent is None for block in section.code_blocks
        )

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.sections[0].blocks + tuple(
            block for section in self.headings if section.parent is None for block in section.blocks
        )

    @property
    def lead(self) -> tuple[Block, ...]:
        """The text before the first sub-section: the preamble and the title's own paragraphs."""
        if self.title_index is None:
            return self.sections[0].own
        return self.sections[0].own + self.sections[self.title_index].own

    def sections_of_kind(self, kind: str) -> tuple[Section, ...]:
        """Sections whose heading is one of the kind's synonyms (never the document's title)."""
        pattern = _SYNONYM_PATTERNS[kind]
        return tuple(
            section
            for index, section in enumerate(self.sections)
            if index and index != self.title_index and pattern.search(normalise_title(section.title))
        )

    def best_of_kind(self, kind: str) -> tuple[ContentLevel, Section | None]:
        """The fullest section of a kind, and how much content it has ("empty" with None when there is none)."""
        best: tuple[ContentLevel, Section | None] = ("empty", None)
        ignore = synonym_words(kind)
        for section in self.sections_of_kind(kind):
            level = content_level(section.blocks, ignore | words_of(section.title))
            if best[1] is None or _RANK[level] > _RANK[best[0]]:
                best = (level, section)
        return best


_RANK: dict[ContentLevel, int] = {"empty": 0, "thin": 1, "rich": 2}
_SYNONYM_PATTERNS = {
    kind: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(word) for word in words) + r")(?![\w-])")
    for kind, words in SECTION_SYNONYMS.items()
}
_SYNONYM_WORDS = {kind: frozenset(_WORD.findall(" ".join(words))) for kind, words in SECTION_SYNONYMS.items()}


def synonym_words(kind: str) -> frozenset[str]:
    return _SYNONYM_WORDS[kind]


def normalise_title(title: str) -> str:
    return " ".join(_TITLE_NOISE.sub(" ", title).lower().split())


def words_of(text: str) -> frozenset[str]:
    return frozenset(word.lower() for word in _WORD.findall(text))


def _prose_words(text: str) -> list[str]:
    text = _URL.sub(" ", _LINK.sub(r"\1", _IMAGE.sub(" ", text)))
    return [word.lower() for word in _WORD.findall(_TAG.sub(" ", text).replace("`", " "))]


def code_has_content(code: str) -> bool:
    """A code block counts when some line is more than blank, a bare comment, ``...`` or ``pass``."""
    return any(not _EMPTY_CODE_LINE.match(line) for line in code.splitlines())


def content_level(blocks: Iterable[Block], ignore: frozenset[str] = frozenset()) -> ContentLevel:
    """How much a section says: rich, thin or empty.

    Rich is RICH_WORDS words of prose (RICH_DISTINCT_WORDS of them distinct, stopwords aside), a
    non-empty code block, an inline command, or RICH_LIST_ITEMS list items / table rows. Thin is
    something, but less. Empty is nothing once ``ignore`` (the heading's own words), stopwords and
    placeholders (TODO, lorem ipsum, HTML comments) are set aside.
    """
    total = 0
    meaningful: set[str] = set()
    items = 0
    for block in blocks:
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


def parse_markdown(text: str) -> MarkdownDoc:
    """Read Markdown into sections (one per heading, after a level-0 preamble).

    The structure is CommonMark's, as markdown-it-py parses it (tables included): nested lists,
    indented code and fences inside list items are read as what they are.
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

    for token in _parser().parse(_HTML_COMMENT.sub("", text)):
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
            drafts[-1].own.append(Block("table", " | ".join(row)))
    return _assemble(drafts, tuple(inline))


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
