"""What scoring returns: a :class:`QualityReport` made of :class:`Criterion` lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from codescribe.engine.quality.rubrics import GRADE_BANDS, CriterionSpec

__all__ = ["Criterion", "CriterionStatus", "QualityReport", "build_criteria", "grade_for"]

CriterionStatus = Literal["complete", "partial", "missing"]
_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric line: the points a document earned for it, and what would earn the rest."""

    name: str
    points: float
    max_points: float
    status: CriterionStatus
    suggestion: str | None

    @property
    def lost(self) -> float:
        return self.max_points - self.points

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class QualityReport:
    """How good one generated document is, and how much better than the code's own documentation."""

    doc_type: str
    #: 0-100, the sum of the breakdown's points.
    score: int
    grade: str
    breakdown: tuple[Criterion, ...]
    #: The suggestion of the criterion that lost the most points (None when nothing was lost).
    top_suggestion: str | None
    #: 0..1: share of the identifiers the document mentions that the code really has.
    truthfulness: float
    invented_identifiers: tuple[str, ...]
    #: 0..1: share of the sections the code calls for (Args, Returns, Raises, Examples ...) that are there.
    completeness: float
    missing_sections: tuple[str, ...]
    #: The input code's own health score (``FileAnalysis.health_score``).
    input_health: int
    #: ``score - input_health``.
    improvement: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        return {
            "doc_type": self.doc_type,
            "score": self.score,
            "grade": self.grade,
            "breakdown": [criterion.to_dict() for criterion in self.breakdown],
            "top_suggestion": self.top_suggestion,
            "truthfulness": self.truthfulness,
            "invented_identifiers": list(self.invented_identifiers),
            "completeness": self.completeness,
            "missing_sections": list(self.missing_sections),
            "input_health": self.input_health,
            "improvement": self.improvement,
        }


def grade_for(score: int) -> str:
    """The letter grade of a 0-100 score: A from 90, B from 80, C from 70, D from 60, else F."""
    for lowest, grade in GRADE_BANDS:
        if score >= lowest:
            return grade
    return "F"


def build_criteria(
    specs: Sequence[CriterionSpec], measured: Mapping[str, tuple[float, str | None]]
) -> tuple[Criterion, ...]:
    """Turn measured shares (0..1, with an optional detail for the suggestion) into criteria."""
    criteria = []
    for spec in specs:
        share, detail = measured[spec.key]
        share = min(1.0, max(0.0, share))
        points = round(spec.max_points * share, 1)
        status: CriterionStatus
        if share >= 1.0 - _EPSILON:
            status, suggestion = "complete", None
        else:
            status = "missing" if points <= 0 else "partial"
            suggestion = f"{spec.suggestion} {detail}" if detail else spec.suggestion
        criteria.append(Criterion(spec.name, points, float(spec.max_points), status, suggestion))
    return tuple(criteria)


def top_suggestion(criteria: Sequence[Criterion]) -> str | None:
    """The suggestion of the criterion that lost the most points; the first one wins a tie."""
    best: Criterion | None = None
    for criterion in criteria:
        if criterion.suggestion and criterion.lost > _EPSILON and (best is None or criterion.lost > best.lost):
            best = criterion
    return best.suggestion if best else None
