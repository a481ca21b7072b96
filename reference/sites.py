"""Issue 11's "must show" on six packages fetched fresh: every file documented, ``estimate`` and
``generate`` agreeing, and a built MkDocs site without a broken table.

For rich, httpx, express, zod, cobra and anyhow (the corpus entries of the language modules), with
the offline engine: the files CodeScribe finds under the package's root (and how many of them got
a syntax warning: all of them are valid code), the documents ``estimate``
plans and ``generate`` writes for ``module`` and ``architecture``, and the HTML of ``mkdocs build``
with the plugin, where a table that did not parse shows as a paragraph starting with ``|`` and a
table that parsed wrong as rows of different lengths. Then a docstrings run over every file: how
many files were given documentation, how many rewrites the documentation-only check refused (the
file is then left as it was), and how many JSDoc types read ``{True}`` instead of the declared type.

Run: ``python -m reference sites`` (``make reference`` runs it after ``record``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from reference.harness import LANGUAGE_MODULES, Package, language_module

NAMES = ("rich", "httpx", "express", "zod", "cobra", "anyhow")
DOC_TYPES = ["module", "architecture"]
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<t[hd][ >]")


def packages() -> list[Package]:
    """The six packages, from the language modules' corpus."""
    found = {p.name: p for language in LANGUAGE_MODULES for p in language_module(language).PACKAGES}
    return [found[name] for name in NAMES]


def broken_tables(html: str) -> int:
    """How many tables of a page did not come out as tables, or came out with ragged rows.

    Args:
        html: one built page.

    Returns:
        Paragraphs that start with ``|`` (Markdown a table parser gave up on) plus tables whose rows
        have different numbers of cells.
    """
    raw = sum(1 for text in _PARAGRAPH.findall(html) if text.lstrip().startswith("|"))
    ragged = sum(
        1 for table in _TABLE.findall(html) if len({len(_CELL.findall(row)) for row in _ROW.findall(table)}) > 1
    )
    return raw + ragged


def check(package: Package) -> dict[str, Any]:
    """Files, estimated and generated documents, built pages and broken tables of one package."""
    from codescribe.engine.analysis.project import analyze_project
    from codescribe.engine.estimate import estimate_run
    from codescribe.engine.generator import DocGenerator

    root = package.fetch()
    project = analyze_project(root)
    estimate = estimate_run(root, provider="offline", doc_types=DOC_TYPES)
    outcome = DocGenerator(offline=True).document_project(root, doc_types=DOC_TYPES)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "docs").mkdir()
        (site / "docs" / "index.md").write_text(f"# {package.name}\n")
        (site / "mkdocs.yml").write_text(
            f"site_name: {package.name}\nplugins:\n  - codescribe:\n      source: {root}\n"
            f"      provider: offline\n      doc_types: [module, architecture]\n      cache_dir: {site / 'cache'}\n"
        )
        mkdocs = Path(sys.executable).with_name("mkdocs")
        subprocess.run([str(mkdocs), "build", "-q"], cwd=site, check=True, env={"NO_MKDOCS_2_WARNING": "1"})
        pages = list((site / "site" / "reference").rglob("*.html"))
        broken = sum(broken_tables(page.read_text(encoding="utf-8")) for page in pages)
    rewrites = DocGenerator(offline=True).document_project(root, doc_types=["docstrings"])
    return {
        "package": package.key,
        "files": len(project.files),
        "unreadable": len(project.errors),
        "syntax warnings": sum(
            any("syntax errors" in w for w in analysis.warnings) for analysis in project.files.values()
        ),
        "estimate": estimate.documents,
        "generate": len(outcome.results) + len(outcome.errors),
        "pages": len(pages),
        "broken tables": broken,
        "docstrings: rewritten": sum(
            1 for r in rewrites.results if r.documentation != (root / r.path).read_bytes().decode("utf-8")
        ),
        "refused": len(rewrites.errors),
        "`{True}` types": sum(r.documentation.count("{True}") for r in rewrites.results),
    }


def table() -> list[str]:
    """The Markdown table of :func:`check` over the six packages."""
    rows = [check(package) for package in packages()]
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[column]) for column in columns) + " |" for row in rows]
    return lines
