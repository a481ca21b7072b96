"""Does the quality score move with quality? A metamorphic suite over real and generated documents.

Each document is scored as it is, then after each degradation that must lower its score (a
section's content removed, every example removed, a mentioned function renamed to one that does not
exist, the API section emptied, boilerplate docstrings, a broken diagram, a repeated paragraph,
sections out of order) and each improvement that must raise it (an example added, an undocumented
function documented). A change counts when it applies (it changed the document); it is detected
when the score moved the right way. The table goes to ``bench/RESULTS.md``.

The documents: the READMEs of the reference packages (real ones), the Python files of those
packages with their authors' docstrings (``docstrings``), and the offline engine's ``api``,
``module`` and ``architecture`` pages for them.

Run: ``.venv/bin/python -m bench.score_validity`` (about a minute; the packages come from
``make reference``'s cache).
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from markdown_it import MarkdownIt

from codescribe.engine.analysis import analyze_source
from codescribe.engine.analysis.model import FileAnalysis
from codescribe.engine.quality import score_document
from codescribe.engine.quality.rubrics import NON_CODE_LANGUAGES

RESULTS = Path(__file__).with_name("RESULTS.md")
START, END = "<!-- score-validity:start -->", "<!-- score-validity:end -->"
TARGET = 0.95
#: Generated pages kept per package and doc type (the first ones that score above 0).
PAGES_PER_TYPE = 12


@dataclass(frozen=True)
class Document:
    """A document to score: its text, type and the analysis of the code it is about."""

    name: str
    text: str
    doc_type: str
    analysis: FileAnalysis


_H2 = re.compile(r"^## ", re.MULTILINE)
_WORDS = re.compile(r"[a-z]+")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>\w*)[^\n]*\n.*?^(?P=indent)```[ \t]*\n?", re.MULTILINE | re.DOTALL)
_ORDERED = re.compile(
    r"overview|introduction|install|usage|quick ?start|example|components|data flow|design|licen[cs]e"
)


def _sections(text: str) -> tuple[str, list[str]]:
    parts = _H2.split(text)
    return parts[0], ["## " + part for part in parts[1:]]


def _public_names(analysis: FileAnalysis) -> list[str]:
    names = [f.name for f in analysis.functions if f.is_public]
    names += [c.name for c in analysis.classes if c.is_public]
    return [name for name in names if len(name) > 2]


# -- degradations of Markdown ---------------------------------------------------------------------


def empty_section(doc: Document) -> str:
    head, sections = _sections(doc.text)
    for index, section in enumerate(sections):
        title, _, body = section.partition("\n")
        if body.strip():
            sections[index] = title + "\n\n"
            return head + "".join(sections)
    return doc.text


def no_examples(doc: Document) -> str:
    if doc.doc_type == "docstrings":
        return _edit_docstrings(doc.text, _without_examples)
    page = doc.doc_type in ("api", "module")
    return _FENCE.sub(lambda m: "" if _is_example(doc.text, m, page) else m.group(0), doc.text)


_HEADING_BEFORE = re.compile(r"^#{1,6} `[^\n]*\n\s*\Z", re.MULTILINE)  # an entry's heading: `name`
_INSTALL = re.compile(r"\b(?:pip|npm|yarn|pnpm|cargo|go|mvn|brew)\s+(?:install|add|get)\b|<dependency>")


def _is_example(text: str, fence: re.Match[str], page: bool) -> bool:
    """An example is a code block that is not output or a diagram (a non-code language), an install
    command, or, on a reference page, the signature right under a heading."""
    if fence.group("lang") in NON_CODE_LANGUAGES or _INSTALL.search(fence.group(0)):
        return False
    return not (page and _HEADING_BEFORE.search(text[max(0, fence.start() - 300) : fence.start()]))


_EXAMPLE_HEADER = re.compile(r"^([ \t]*)(?:Examples?|Usage|Example usage)[ \t]*:{0,2}[ \t]*$", re.IGNORECASE)
_RULE = re.compile(r"^[ \t]*-{3,}[ \t]*$")


def _without_examples(lines: list[str]) -> list[str]:
    """A docstring's lines without its example sections, ``>>>`` sessions and code blocks."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        header = _EXAMPLE_HEADER.match(line)
        stripped = line.strip()
        if header:  # the section: every line indented under it (or, NumPy style, up to the next header)
            indent = len(header.group(1))
            numpy = index + 1 < len(lines) and bool(_RULE.match(lines[index + 1]))
            index += 2 if numpy else 1
            body = next((line for line in lines[index:] if line.strip()), "")
            flush = not numpy and len(body) - len(body.lstrip()) <= indent  # its body not indented: a paragraph
            started = False
            while index < len(lines):
                following = lines[index]
                depth = len(following) - len(following.lstrip())
                if numpy and index + 1 < len(lines) and _RULE.match(lines[index + 1]):
                    break
                if flush and started and not following.strip():
                    break
                if not numpy and not flush and following.strip() and depth <= indent:
                    break
                started = started or bool(following.strip())
                index += 1
        elif stripped.startswith(">>>"):  # a session: up to the next blank line
            while index < len(lines) and lines[index].strip():
                index += 1
        elif stripped.startswith(("```", "~~~")) or stripped.startswith(".. code"):
            fence = stripped[:3]
            index += 1
            while index < len(lines) and not (
                lines[index].strip().startswith(fence) if fence in ("```", "~~~") else lines[index].strip() == ""
            ):
                index += 1
            index += 1
        else:
            kept.append(line)
            index += 1
    return kept


def _edit_docstrings(source: str, edit: Callable[[list[str]], list[str]]) -> str:
    """``source`` with each docstring's inner lines passed through ``edit`` (quotes and code kept)."""
    lines = source.split("\n")
    spans = []
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if _is_docstring(first) and first.end_lineno and first.end_lineno > first.lineno + 1:
            spans.append((first.lineno, first.end_lineno))
    for start, end in sorted(spans, reverse=True):  # the lines strictly between the quotes' lines
        lines[start : end - 1] = edit(lines[start : end - 1])
    return "\n".join(lines)


def renamed(doc: Document) -> str:
    for name in _public_names(doc.analysis):
        pattern = re.compile(rf"(`|(?<![\w./:-])){re.escape(name)}(?=[`(])")
        gone = name[:-1] + "_gone!" if name.endswith("!") else name + "_gone"  # a Rust macro keeps its !
        if doc.doc_type != "docstrings" and pattern.search(doc.text):
            return pattern.sub(rf"\g<1>{gone}", doc.text)
        if doc.doc_type == "docstrings":  # in the docstrings only: the code keeps its names
            changed = _edit_docstrings(doc.text, functools.partial(_renamed_lines, pattern, gone))
            if changed != doc.text:
                return changed
    return doc.text


def _renamed_lines(pattern: re.Pattern[str], gone: str, lines: list[str]) -> list[str]:
    return pattern.sub(rf"\g<1>{gone}", "\n".join(lines)).split("\n")


def _is_docstring(node: ast.AST | None) -> TypeGuard[ast.Expr]:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def api_emptied(doc: Document) -> str:
    if doc.doc_type in ("api", "module"):
        head, sections = _sections(doc.text)
        kept = [s for s in sections if not re.match(r"## .*`", s)]
        return head + "".join(s.partition("\n")[0] + "\n\n" if s.startswith("## ") and "`" in s else s for s in kept)
    head, sections = _sections(doc.text)
    for index, section in enumerate(sections):
        title = section.partition("\n")[0].lower()
        if re.search(r"\b(api|reference|functions|classes)\b", title) and section.partition("\n")[2].strip():
            sections[index] = section.partition("\n")[0] + "\n\n"
            return head + "".join(sections)
    return doc.text


def broken_diagram(doc: Document) -> str:
    def breaking(match: re.Match[str]) -> str:
        return re.sub(r"(-->\s*)(\w+)", r"\1end", match.group(0), count=1)

    return re.sub(r"```mermaid\n.*?```", breaking, doc.text, flags=re.DOTALL)


def duplicated(doc: Document) -> str:
    if doc.doc_type == "docstrings":  # a paragraph of a docstring a reader sees, said twice in it
        for first in _api_docstrings(ast.parse(doc.text)):
            segment = ast.get_source_segment(doc.text, first) or ""
            for paragraph in re.split(r"\n\s*\n", segment):
                if len(_WORDS.findall(paragraph.lower())) >= 8 and '"""' not in paragraph and ">>>" not in paragraph:
                    return doc.text.replace(paragraph, paragraph + "\n\n" + paragraph.strip("\n"), 1)
        return doc.text
    lines = doc.text.split("\n")
    paragraphs = []  # Markdown's paragraphs (not a list's, a quote's or a table's), each said once
    for token in MarkdownIt("commonmark").enable("table").parse(doc.text):
        if token.type == "paragraph_open" and token.level == 0 and token.map:
            text = "\n".join(lines[token.map[0] : token.map[1]])
            if len(_WORDS.findall(text.lower())) >= 8 and doc.text.count(text) == 1:
                paragraphs.append(text)
    if not paragraphs:
        return doc.text
    longest = max(paragraphs, key=len)
    return doc.text.replace(longest, longest + "\n\n" + longest, 1)


def _api_docstrings(tree: ast.Module) -> Iterable[ast.Expr]:
    """The docstrings of the module and of its classes, functions and methods: what its reference shows."""
    nodes: list[ast.AST] = [tree]
    while nodes:
        node = nodes.pop(0)
        body = getattr(node, "body", [])
        first = body[0] if body else None
        if _is_docstring(first):
            yield first
        if isinstance(node, ast.Module | ast.ClassDef):
            nodes += [child for child in body if isinstance(child, _DEFINITIONS)]


def shuffled(doc: Document) -> str:
    head, sections = _sections(doc.text)
    titles = [section.partition("\n")[0] for section in sections]
    ordered = [title for title in titles if "`" not in title and _ORDERED.search(title.lower())]
    if len(ordered) < 2:
        return doc.text
    return head + "".join(reversed(sections))


def boilerplate(doc: Document) -> str:
    tree = ast.parse(doc.text)
    lines = doc.text.split("\n")
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and not node.name.startswith("_"):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                spans.append((first.lineno, first.end_lineno or first.lineno, first.col_offset, node.name))
    for start, end, column, name in sorted(spans, reverse=True):
        words = re.sub(r"(?<!^)(?=[A-Z])|_", " ", name).strip().capitalize()
        lines[start - 1 : end] = [" " * column + f'"""{words}."""']
    return "\n".join(lines)


# -- improvements ---------------------------------------------------------------------------------


def example_added(doc: Document) -> str:
    """A reference page: an example, with values, added under the first public function that has none."""
    if doc.doc_type not in ("api", "module"):
        return doc.text
    for function in doc.analysis.functions:
        heading = re.search(rf"^#{{2,3}} `{re.escape(function.name)}`[^\n]*\n", doc.text, re.MULTILINE)
        if not function.is_public or heading is None:
            continue
        fence = _FENCE.search(doc.text, heading.end())
        following = re.compile(r"^#{1,3} ", re.MULTILINE).search(doc.text, heading.end())
        if fence is None or (following is not None and following.start() < fence.start()):
            continue  # no signature block of its own
        section = doc.text[fence.end() : following.start() if following else len(doc.text)]
        if "```" in section or re.search(r"example|^    \S", section, re.IGNORECASE | re.MULTILINE):
            continue  # it has an example already
        calls = re.compile(rf"(?<![\w$]){re.escape(function.name)}\(")
        if sum(len(calls.findall(block.group(0))) for block in _FENCE.finditer(doc.text)) > 1:
            continue  # an example elsewhere on the page calls it
        values = ", ".join(
            _value(p.annotation, doc.analysis.language) for p in function.parameters if p.default is None
        )
        if not values:
            continue  # a call without arguments shows nothing its signature does not
        example = f"\nExample:\n\n```{fence.group('lang')}\n{function.name}({values})\n```\n"
        return doc.text[: fence.end()] + example + doc.text[fence.end() :]
    return doc.text


def _value(annotation: str | None, language: str) -> str:
    """A literal for a parameter of that type: a number, a flag or a string."""
    kind = (annotation or "").lower()
    if re.search(r"\b(int|i32|i64|u32|u64|usize|long|number|float|f64|double)\b", kind):
        return "2"
    if re.search(r"\bbool", kind):
        return "True" if language.lower() == "python" else "true"
    return '"example"'


def documented(doc: Document) -> str:
    if doc.doc_type != "docstrings":
        return doc.text
    tree = ast.parse(doc.text)
    for node in tree.body:
        overload = any("overload" in ast.unparse(decorator) for decorator in getattr(node, "decorator_list", []))
        if (
            isinstance(node, ast.FunctionDef)
            and not node.name.startswith("_")
            and not overload  # an @overload stub: its implementation's docstring is the one read
            and ast.get_docstring(node) is None
        ):
            if not node.body or node.body[0].lineno == node.lineno:
                continue
            indent = " " * node.body[0].col_offset
            params = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
            entries = "".join(f"{indent}    {p}: the {p.replace('_', ' ')} it works on.\n" for p in params)
            doc_text = f'{indent}"""Does the work of {node.name}, step by step, and reports back.\n\n'
            doc_text += f"{indent}Args:\n{entries}\n" if entries else ""
            doc_text += f'{indent}Returns:\n{indent}    What it computed.\n{indent}"""\n'
            lines = doc.text.split("\n")
            lines.insert(node.body[0].lineno - 1, doc_text.rstrip("\n"))
            return "\n".join(lines)
    return doc.text


DEGRADATIONS: dict[str, Callable[[Document], str]] = {
    "section emptied": empty_section,
    "examples removed": no_examples,
    "function renamed": renamed,
    "API emptied": api_emptied,
    "boilerplate docstrings": boilerplate,
    "broken diagram": broken_diagram,
    "paragraph repeated": duplicated,
    "sections out of order": shuffled,
}
IMPROVEMENTS: dict[str, Callable[[Document], str]] = {"example added": example_added, "function documented": documented}
#: Which documents each change applies to: Markdown pages, or source files with their docstrings.
APPLIES = {
    "section emptied": {"markdown"},
    "examples removed": {"markdown", "source"},
    "function renamed": {"markdown", "source"},
    "API emptied": {"markdown"},
    "boilerplate docstrings": {"source"},
    "broken diagram": {"markdown"},
    "paragraph repeated": {"markdown", "source"},
    "sections out of order": {"markdown"},
    "example added": {"markdown"},
    "function documented": {"source"},
}


def points(doc: Document, text: str) -> float:
    """The score of ``text`` as ``doc``'s type, before it is rounded to whole points."""
    report = score_document(text, doc.analysis, doc.doc_type)
    return max(0.0, min(100.0, sum(criterion.points for criterion in report.breakdown)))


def outcomes(doc: Document) -> Iterable[tuple[str, float, float]]:
    """``(change, score before, score after)`` for every change that applies to ``doc`` and changes it."""
    kind = "source" if doc.doc_type == "docstrings" else "markdown"
    base = points(doc, doc.text)
    for name, change in {**DEGRADATIONS, **IMPROVEMENTS}.items():
        if kind not in APPLIES[name]:
            continue
        try:
            changed = change(doc)
        except SyntaxError:
            continue
        if changed != doc.text:
            yield name, base, points(doc, changed)


def run(documents: Iterable[Document]) -> dict[str, tuple[int, int, list[str]]]:
    """Apply every change to every document it applies to.

    Args:
        documents: the documents.

    Returns:
        For each change: (documents it applied to, documents where the score moved the right way,
        the names of the misses).
    """
    found: dict[str, tuple[int, int, list[str]]] = {name: (0, 0, []) for name in (*DEGRADATIONS, *IMPROVEMENTS)}
    for doc in documents:
        for name, base, score in outcomes(doc):
            right = score > base if name in IMPROVEMENTS else score < base
            applied, detected, misses = found[name]
            found[name] = (applied + 1, detected + right, misses if right else [*misses, doc.name])
    return found


def table(found: dict[str, tuple[int, int, list[str]]], documents: int) -> list[str]:
    """The Markdown table of :func:`run`'s result."""
    lines = [
        f"{documents} documents. A change counts where it applies (it changed the document); it is detected when "
        f"the score, before rounding to whole points, moved the right way. Target: at least {TARGET:.0%} detected.",
        "",
        "| change | kind | applied | detected | rate | misses |",
        "|---|---|---|---|---|---|",
    ]
    for name, (applied, detected, misses) in found.items():
        kind = "improvement" if name in IMPROVEMENTS else "degradation"
        rate = f"{detected / applied:.1%}" if applied else "–"
        shown = ", ".join(misses)
        lines.append(f"| {name} | {kind} | {applied} | {detected} | {rate} | {shown or '–'} |")
    return lines


def documents_of(
    name: str, root: Path, markdown: Iterable[Path], pages_per_type: int = PAGES_PER_TYPE
) -> list[Document]:
    """The documents of one project: its offline pages, its Markdown files and its Python files' docstrings.

    Args:
        name: the project's name, the prefix of every document's name.
        root: the project's source folder.
        markdown: Markdown files about it (its README), scored as READMEs of the whole project.
        pages_per_type: offline pages kept per doc type (the first that score above 0: a page
            about nothing public has nothing to lose).

    Returns:
        The documents.
    """
    from codescribe.engine.generator import DocGenerator

    documents: list[Document] = []
    outcome = DocGenerator(offline=True).document_project(root, doc_types=["api", "module", "architecture"])
    merged = next((r.analysis for r in outcome.results if r.doc_type == "architecture"), None)
    per_type: dict[str, int] = {}
    for result in outcome.results:
        if result.quality.score == 0 or per_type.get(result.doc_type, 0) >= pages_per_type:
            continue
        per_type[result.doc_type] = per_type.get(result.doc_type, 0) + 1
        documents.append(
            Document(f"{name}:{result.path}:{result.doc_type}", result.documentation, result.doc_type, result.analysis)
        )
    if merged is not None:
        documents += [
            Document(f"{name}:{file.name}", file.read_text(encoding="utf-8"), "readme", merged) for file in markdown
        ]
    for file in sorted(root.rglob("*.py")):
        text = file.read_text(encoding="utf-8", errors="replace")
        relative = file.relative_to(root).as_posix()
        analysis = analyze_source(text, relative)
        if text.count('"""') >= 4 and score_document(text, analysis, "docstrings").score > 0:
            documents.append(Document(f"{name}:{relative}", text, "docstrings", analysis))
    return documents


def corpus() -> list[Document]:
    """The reference packages' READMEs, Python files and offline pages."""
    from reference.harness import LANGUAGE_MODULES, language_module

    documents: list[Document] = []
    for language in LANGUAGE_MODULES:
        for package in language_module(language).PACKAGES:
            root = package.fetch()
            documents += documents_of(package.name, root, sorted(root.glob("README.md")))
    return documents


def main() -> int:
    documents = corpus()
    found = run(documents)
    lines = table(found, len(documents))
    print("\n".join(lines))
    text = RESULTS.read_text(encoding="utf-8")
    block = "\n".join([START, "Run: `.venv/bin/python -m bench.score_validity`.", "", *lines, END])
    if START in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Does the quality score move with quality?\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
