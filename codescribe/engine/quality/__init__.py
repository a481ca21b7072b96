"""Quality scoring: how good a generated document is, measured against what the code really contains.

    report = score_document(markdown, analysis, "readme")
    report.score, report.grade, report.top_suggestion, report.invented_identifiers

A section earns points for its content, not for a keyword: "See installation and usage." earns
nothing for installation or usage. Scoring is deterministic, needs no LLM, and takes a few
milliseconds for a 50 KB document. The rubrics are in :mod:`.rubrics`.
"""

from __future__ import annotations

from codescribe.engine.analysis.model import FileAnalysis
from codescribe.engine.doc_types import DOC_TYPES
from codescribe.engine.quality.identifiers import truthfulness
from codescribe.engine.quality.measures import MEASURES, Measured, unwrap_fence
from codescribe.engine.quality.report import Criterion, CriterionStatus, QualityReport, build_criteria, grade_for
from codescribe.engine.quality.report import top_suggestion as _top_suggestion
from codescribe.engine.quality.rubrics import RUBRICS

__all__ = ["RUBRICS", "Criterion", "CriterionStatus", "QualityReport", "grade_for", "score_document"]


def score_document(document: str, analysis: FileAnalysis, doc_type: str) -> QualityReport:
    """Score a generated document against the analysis of the code it documents.

    ``document`` is Markdown, or for ``"docstrings"`` the rewritten source file. ``doc_type`` is
    one of :data:`DOC_TYPES`: "readme", "api", "architecture", "docstrings" or "module".

    Raises:
        ValueError: ``doc_type`` is not one of :data:`DOC_TYPES`.
    """
    if doc_type not in MEASURES:
        raise ValueError(f"unknown doc type {doc_type!r}; valid doc types: {', '.join(DOC_TYPES)}")
    document = unwrap_fence(document, doc_type)
    measured = MEASURES[doc_type](document, analysis)
    if not document.strip():
        measured = Measured(
            dict.fromkeys(measured.shares, (0.0, "The document is empty.")),
            [(label, False) for label, _ in measured.requirements],
            measured.claims,
        )
    breakdown = build_criteria(RUBRICS[doc_type], measured.shares)
    score = max(0, min(100, int(sum(criterion.points for criterion in breakdown) + 0.5)))
    truth, invented = truthfulness(analysis, measured.claims)
    requirements = measured.requirements
    completeness = sum(1 for _, ok in requirements if ok) / len(requirements) if requirements else 1.0
    input_health = analysis.health_score
    return QualityReport(
        doc_type=doc_type,
        score=score,
        grade=grade_for(score),
        breakdown=breakdown,
        top_suggestion=_top_suggestion(breakdown),
        truthfulness=round(truth, 4),
        invented_identifiers=invented,
        completeness=round(completeness, 4),
        missing_sections=tuple(label for label, ok in requirements if not ok),
        input_health=input_health,
        improvement=score - input_health,
    )
