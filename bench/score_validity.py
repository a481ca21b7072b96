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
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from codescribe.engine.analysis import analyze_source
from codescribe.engine.analysis.model import FileAnalysis
from codescribe.engine.quality import score_document

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
_FENCE = re.compile(r"^```(\w*)[^\n]*\n.*?^```[ \t]*\n?", re.MULTILINE | re.DOTALL)
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
        kept = [line for line in doc.text.split("\n") if not re.match(r"\s*(>>>|\.\.\.)( |$)", line)]
        return re.sub(r"\n[ \t]*Examples?:[ \t]*\n(?=[ \t]*\n|[ \t]*\"\"\")", "\n", "\n".join(kept))
    return _FENCE.sub(lambda m: m.group(0) if m.group(1) == "mermaid" else "", doc.text)


def renamed(doc: Document) -> str:
    for name in _public_names(doc.analysis):
        pattern = re.compile(rf"(`|(?<![\w.])){re.escape(name)}(?=[`(])")
        if pattern.search(doc.text):
            return pattern.sub(rf"\g<1>{name}_gone", doc.text)
    return doc.text


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
    if doc.doc_type == "docstrings":  # a paragraph of one docstring, said twice in it
        for node in ast.walk(ast.parse(doc.text)):
            body = getattr(node, "body", None)
            first = body[0] if isinstance(body, list) and body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                segment = ast.get_source_segment(doc.text, first) or ""
                for paragraph in re.split(r"\n\s*\n", segment):
                    if (
                        len(re.findall(r"[a-z]+", paragraph.lower())) >= 8
                        and '"""' not in paragraph
                        and ">>>" not in paragraph
                    ):
                        return doc.text.replace(paragraph, paragraph + "\n\n" + paragraph.strip("\n"), 1)
        return doc.text
    paragraphs = [p for p in re.split(r"\n\s*\n", doc.text) if len(re.findall(r"[a-z]+", p.lower())) >= 8]
    paragraphs = [p for p in paragraphs if not p.lstrip().startswith(("```", "#", "|", "-", "*", "def ", "class "))]
    paragraphs = [p for p in paragraphs if doc.text.count(p) == 1]  # one said once: its repeat is new
    if not paragraphs:
        return doc.text
    longest = max(paragraphs, key=len)
    return doc.text.replace(longest, longest + "\n\n" + longest.strip("\n"), 1)


def shuffled(doc: Document) -> str:
    head, sections = _sections(doc.text)
    ordered = [s for s in sections if _ORDERED.search(s.partition("\n")[0].lower())]
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
    if doc.doc_type == "docstrings" or _FENCE.search(doc.text):
        return doc.text
    functions = [f for f in doc.analysis.functions if f.is_public]
    if not functions:
        return doc.text
    function = functions[0]
    arguments = ", ".join(p.name for p in function.parameters if p.default is None and p.name != "self")
    module = Path(doc.analysis.path).stem
    call = f"from {module} import {function.name}\n\nresult = {function.name}({arguments})\n"
    return doc.text.rstrip("\n") + f"\n\n## Examples\n\n```{doc.analysis.language}\n{call}```\n"


def documented(doc: Document) -> str:
    if doc.doc_type != "docstrings":
        return doc.text
    tree = ast.parse(doc.text)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and ast.get_docstring(node) is None:
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
#: Which changes apply to which documents (Markdown ones, or a source file's docstrings).
_FOR_SOURCE = {
    "examples removed",
    "function renamed",
    "boilerplate docstrings",
    "paragraph repeated",
    "function documented",
}


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
        base = score_document(doc.text, doc.analysis, doc.doc_type).score
        changes = {**DEGRADATIONS, **IMPROVEMENTS}
        for name, change in changes.items():
            if (doc.doc_type == "docstrings") != (name in _FOR_SOURCE) and name != "paragraph repeated":
                continue
            if name == "boilerplate docstrings" and doc.doc_type != "docstrings":
                continue
            try:
                changed = change(doc)
            except SyntaxError:
                continue
            if changed == doc.text:
                continue
            score = score_document(changed, doc.analysis, doc.doc_type).score
            right = score > base if name in IMPROVEMENTS else score < base
            applied, detected, misses = found[name]
            found[name] = (applied + 1, detected + right, misses if right else [*misses, doc.name])
    return found


def table(found: dict[str, tuple[int, int, list[str]]], documents: int) -> list[str]:
    """The Markdown table of :func:`run`'s result."""
    lines = [
        f"{documents} documents. A change counts where it applies; target: at least {TARGET:.0%} detected.",
        "",
        "| change | kind | applied | detected | rate | misses |",
        "|---|---|---|---|---|---|",
    ]
    for name, (applied, detected, misses) in found.items():
        kind = "improvement" if name in IMPROVEMENTS else "degradation"
        rate = f"{detected / applied:.1%}" if applied else "–"
        shown = ", ".join(misses[:4]) + (f" and {len(misses) - 4} more" if len(misses) > 4 else "")
        lines.append(f"| {name} | {kind} | {applied} | {detected} | {rate} | {shown or '–'} |")
    return lines


def corpus() -> list[Document]:
    """The reference packages' READMEs, Python files and offline pages."""
    from codescribe.engine.generator import DocGenerator
    from reference.harness import LANGUAGE_MODULES, language_module

    documents: list[Document] = []
    generator = DocGenerator(offline=True)
    for language in LANGUAGE_MODULES:
        for package in language_module(language).PACKAGES:
            root = package.fetch()
            outcome = generator.document_project(root, doc_types=["api", "module", "architecture"])
            merged = next((r.analysis for r in outcome.results if r.doc_type == "architecture"), None)
            per_type: dict[str, int] = {}
            for result in outcome.results:
                if result.quality.score == 0 or per_type.get(result.doc_type, 0) >= PAGES_PER_TYPE:
                    continue  # a page about nothing public scores 0: it has nothing to lose
                per_type[result.doc_type] = per_type.get(result.doc_type, 0) + 1
                name = f"{package.name}:{result.path}:{result.doc_type}"
                documents.append(Document(name, result.documentation, result.doc_type, result.analysis))
            readme = next(iter(sorted(root.glob("README.md"))), None)
            if readme is not None and merged is not None:
                documents.append(
                    Document(f"{package.name}:README.md", readme.read_text(encoding="utf-8"), "readme", merged)
                )
            for file in sorted(root.rglob("*.py")):
                text = file.read_text(encoding="utf-8", errors="replace")
                relative = file.relative_to(root).as_posix()
                analysis = analyze_source(text, relative)
                if text.count('"""') >= 4 and score_document(text, analysis, "docstrings").score > 0:
                    documents.append(Document(f"{package.name}:{relative}", text, "docstrings", analysis))
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
