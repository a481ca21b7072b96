"""Quality scoring: how good a generated document is, measured against what the code really contains.

    report = score_document(markdown, analysis, "readme")
    report.score, report.grade, report.top_suggestion, report.invented_identifiers

A section earns points for its content, not for a keyword: "See installation and usage." earns
nothing for installation or usage. Scoring is deterministic, needs no LLM, and takes a few
milliseconds for a 50 KB document. The rubrics are in :mod:`.rubrics`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from codescribe.engine.analysis.model import FileAnalysis, ImportInfo
from codescribe.engine.doc_types import DOC_TYPES
from codescribe.engine.quality.faults import faults
from codescribe.engine.quality.functions import public_callables, public_classes
from codescribe.engine.quality.identifiers import truthfulness
from codescribe.engine.quality.measures import MEASURES, Measured, unwrap_fence
from codescribe.engine.quality.report import (
    NOTHING_TO_DOCUMENT,
    Criterion,
    CriterionStatus,
    QualityReport,
    build_criteria,
    grade_for,
    mean_quality,
)
from codescribe.engine.quality.report import top_suggestion as _top_suggestion
from codescribe.engine.quality.rubrics import RUBRICS
from codescribe.engine.quality.signatures import false_statements
from codescribe.engine.quality.source import read_source_docs

__all__ = [
    "NOTHING_TO_DOCUMENT",
    "RUBRICS",
    "Criterion",
    "CriterionStatus",
    "QualityReport",
    "grade_for",
    "mean_quality",
    "score_document",
]


def score_document(
    document: str,
    analysis: FileAnalysis,
    doc_type: str,
    *,
    modules: Iterable[str] = (),
    graph: Mapping[str, Collection[str]] | None = None,
) -> QualityReport:
    r"""Score a generated document against the analysis of the code it documents.

    Each criterion of the doc type's rubric (:data:`RUBRICS`; points per doc type add up to 100)
    earns its share of points from what the document really contains, measured against the code:
    a section earns points for its content, not for a keyword; faults a reader trips over (invented
    names, empty sections, repeated paragraphs, sections out of order: :mod:`.faults`) cost points,
    each a line of the breakdown. A document wrapped whole in one code
    fence is read without it; an empty document, or one about an empty file, earns nothing; the
    criteria that measure an API earn nothing when the code has none (a page that documents no API
    is not a complete one). Deterministic, and no LLM is used.

    Args:
        document: Markdown, or for ``"docstrings"`` the rewritten source file.
        analysis: the analysis of the code the document is about.
        doc_type: one of :data:`DOC_TYPES`: ``readme``, ``api``, ``architecture``, ``docstrings``
            or ``module``.
        modules: the names of the other modules of the code's project (``tomli._parser``): a page
            that names them invents nothing.
        graph: the project's import graph (module → the modules it imports): with it, a diagram's
            edge between two modules that do not import each other is an invented claim.

    Returns:
        The report: ``score`` (points out of 100, rounded) and its letter ``grade`` (A from 90, B
        from 80, C from 70, D from 60, else F: :data:`~codescribe.engine.quality.rubrics.GRADE_BANDS`),
        the points per criterion with a suggestion for each shortfall, ``truthfulness`` (0..1: the
        share of the identifiers the document names that the code really has) and the invented
        ones, ``completeness`` (0..1: the share of the sections the code calls for that are there)
        and the missing ones, and the improvement over the code's own health score. Code with nothing
        to document (an empty file; for ``api``, ``module`` and ``docstrings``, one that defines and
        re-exports nothing public) is reported so: ``nothing_to_document`` true, grade
        :data:`NOTHING_TO_DOCUMENT`, improvement 0, and why as the top suggestion; a run's mean
        quality leaves it out.

    Raises:
        ValueError: ``doc_type`` is not one of :data:`DOC_TYPES`.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> report = score_document("# calc\n\nCall `add(1, 2)`; `mul(2, 3)` multiplies.\n", analysis, "readme")
        >>> report.score, report.grade, report.truthfulness, report.invented_identifiers
        (40, 'F', 0.5, ('mul',))
        >>> report.missing_sections, report.improvement
        (('Overview', 'Installation'), 15)
    """
    if doc_type not in MEASURES:
        raise ValueError(f"unknown doc type {doc_type!r}; valid doc types: {', '.join(DOC_TYPES)}")
    document = unwrap_fence(document, doc_type)
    measured = MEASURES[doc_type](document, analysis)
    nothing: str | None = None  # why the code has nothing to document
    if doc_type != "architecture" and _empty(analysis):  # an empty rewrite of an empty file is no fault
        nothing = "The file is empty: there is nothing to document."
        measured = _nothing(measured, measured.shares, nothing)
    elif not document.strip():
        measured = _nothing(measured, measured.shares, "The document is empty.")
    elif doc_type in _API_CRITERIA and not _public_api(analysis):
        nothing = (
            "The code defines nothing public and re-exports nothing (no function, class or constant): "
            "there is nothing to document."
        )
        measured = _nothing(measured, _API_CRITERIA[doc_type], nothing)
    truth, invented = truthfulness(analysis, measured.claims, modules, graph)
    texts = read_source_docs(document, analysis.language.lower()).texts if doc_type == "docstrings" else ()
    false = false_statements(document, analysis) if doc_type in _SIGNATURE_PAGES else []
    breakdown = (
        *build_criteria(RUBRICS[doc_type], measured.shares),
        *faults(document, doc_type, invented, texts, false),
    )
    score = max(0, min(100, int(sum(criterion.points for criterion in breakdown) + 0.5)))
    requirements = measured.requirements
    completeness = sum(1 for _, ok in requirements if ok) / len(requirements) if requirements else 1.0
    input_health = analysis.health_score
    return QualityReport(
        doc_type=doc_type,
        score=score,
        grade=NOTHING_TO_DOCUMENT if nothing else grade_for(score),
        breakdown=breakdown,
        top_suggestion=nothing or _top_suggestion(breakdown),
        truthfulness=round(truth, 4),
        invented_identifiers=invented,
        completeness=round(completeness, 4),
        missing_sections=tuple(label for label, ok in requirements if not ok),
        input_health=input_health,
        improvement=0 if nothing else score - input_health,
        nothing_to_document=nothing is not None,
    )


#: The doc types whose signatures and parameter tables are checked against the code (:mod:`.signatures`).
_SIGNATURE_PAGES = frozenset({"api", "module", "readme"})
#: The criteria that measure the code's public API, per doc type: none of them is met by code without one.
_API_CRITERIA = {
    "api": ("endpoints", "parameters", "returns", "examples", "errors"),
    "module": ("api_coverage", "signatures", "examples"),
    "docstrings": ("coverage", "params", "returns", "examples", "types"),
}


def _public_api(analysis: FileAnalysis) -> bool:
    """Whether the file has something to document: a function the rubrics score (not a protocol
    method such as ``__getattr__``), a public class or a public constant, or names it re-exports
    (``__all__``, ``import X as X``, ``export { X } from``, or a wildcard re-export:
    ``from .core import *``, ``export * from "./core"``)."""
    if public_callables(analysis) or public_classes(analysis) or analysis.exports:
        return True
    return any(v.is_public for v in analysis.variables) or any(_reexports_all(i) for i in analysis.imports)


def _reexports_all(imported: ImportInfo) -> bool:
    """Whether an import hands on every name of a module to the importing module's users (``from .core
    import *``, ``from attr.validators import *``, ``export * from "./core"``; not ``import * as ns``)."""
    return "*" in imported.names and not imported.namespace and imported.runtime


def _nothing(measured: Measured, keys: Iterable[str], reason: str) -> Measured:
    """``measured`` with the criteria ``keys`` at nothing, for ``reason``, and every section missing."""
    shares = {**measured.shares, **dict.fromkeys(keys, (0.0, reason))}
    return Measured(shares, [(label, False) for label, _ in measured.requirements], measured.claims)


def _empty(analysis: FileAnalysis) -> bool:
    return not analysis.lines.code and not (
        analysis.functions or analysis.classes or analysis.variables or analysis.imports
    )
