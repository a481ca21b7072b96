"""What scoring returns: a :class:`QualityReport` made of :class:`Criterion` lines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from codescribe.engine.quality.rubrics import GRADE_BANDS, CriterionSpec

__all__ = [
    "NOTHING_TO_DOCUMENT",
    "Criterion",
    "CriterionStatus",
    "QualityReport",
    "build_criteria",
    "grade_for",
    "mean_quality",
]

CriterionStatus = Literal["complete", "partial", "missing", "fault"]
_EPSILON = 1e-9
#: The grade of a document about code with nothing to document (no letter: it is left out of means).
NOTHING_TO_DOCUMENT = "n/a"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric line: the points a document earned for it, and what would earn the rest.

    Attributes:
        name: the criterion's name (``Overview``, ``Parameters`` ...).
        points: the points earned, rounded to one decimal.
        max_points: the points the criterion is worth.
        status: ``complete`` (every point), ``partial`` (some), ``missing`` (none), or ``fault`` for a
            fault's line (negative points, ``max_points`` 0: see :mod:`~codescribe.engine.quality.faults`).
        suggestion: what to do to earn the rest; ``None`` when complete.
    """

    name: str
    points: float
    max_points: float
    status: CriterionStatus
    suggestion: str | None

    @property
    def lost(self) -> float:
        """The points the document did not earn.

        Returns:
            ``max_points - points`` (0.0 when complete).

        Examples:
            >>> Criterion("Overview", 12.5, 20.0, "partial", "Say what the code does.").lost
            7.5
        """
        return self.max_points - self.points

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the criterion.

        Returns:
            A dict with keys ``name``, ``points``, ``max_points``, ``status`` and ``suggestion``.

        Examples:
            >>> Criterion("Overview", 20.0, 20.0, "complete", None).to_dict()
            {'name': 'Overview', 'points': 20.0, 'max_points': 20.0, 'status': 'complete', 'suggestion': None}
        """
        return asdict(self)


@dataclass(frozen=True, slots=True)
class QualityReport:
    """How good one generated document is, and how much better than the code's own documentation.

    Attributes:
        doc_type: the doc type whose rubric scored the document.
        score: points out of 100, the sum of the breakdown's points rounded to a whole number.
        grade: the letter of the score (see :func:`grade_for`); :data:`NOTHING_TO_DOCUMENT` when the
            code has nothing to document.
        breakdown: a criterion per line of the rubric, in the rubric's order.
        top_suggestion: the suggestion of the criterion that lost the most points; ``None`` when
            nothing was lost.
        truthfulness: 0..1, the share of the identifiers the document mentions that the code really
            has (1.0 when it mentions none).
        invented_identifiers: the names the document mentions that the code does not have, sorted.
        completeness: 0..1, the share of the sections the code calls for (Args, Returns, Raises,
            Examples ...) that are there.
        missing_sections: the sections the code calls for that are not there (``"add: Returns"``).
        input_health: the input code's own health score (``FileAnalysis.health_score``), points out of 100.
        improvement: ``score - input_health``, in points (negative when the document scores lower);
            0 when the code has nothing to document.
        nothing_to_document: the code has nothing this doc type documents (an empty file; code that
            defines and re-exports nothing public): the score is no grade of the document, and a
            run's mean leaves it out (:func:`mean_quality`).
    """

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
    #: ``score - input_health`` (0 when the code has nothing to document).
    improvement: int
    #: The code has nothing this doc type documents: left out of a run's mean quality.
    nothing_to_document: bool = False

    def to_dict(self) -> dict[str, Any]:
        r"""A JSON-ready dict (tuples become lists).

        Returns:
            Every field by name; ``breakdown`` as a list of :meth:`Criterion.to_dict` dicts.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality import score_document
            >>> report = score_document("", analyze_source("X = 1\n", "calc.py"), "readme")
            >>> data = report.to_dict()
            >>> data["score"], data["grade"], len(data["breakdown"]), data["missing_sections"]
            (0, 'F', 5, ['Overview', 'Installation'])
        """
        # asdict keeps tuples as tuples: JSON wants lists (the keys keep their order when replaced)
        return asdict(self) | {
            "breakdown": [criterion.to_dict() for criterion in self.breakdown],
            "invented_identifiers": list(self.invented_identifiers),
            "missing_sections": list(self.missing_sections),
        }


def mean_quality(reports: Iterable[QualityReport]) -> float | None:
    r"""The mean score of documents, those about code with nothing to document left out.

    Args:
        reports: the documents' quality reports.

    Returns:
        The mean of the scores of the reports whose code has something to document; ``None`` when
        none has.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> from codescribe.engine.quality import score_document
        >>> empty = score_document("# m\n\nNothing.\n", analyze_source("", "m.py"), "api")
        >>> full = score_document("", analyze_source("X = 1\n", "calc.py"), "readme")
        >>> empty.nothing_to_document, mean_quality([empty, full]), mean_quality([empty])
        (True, 0.0, None)
    """
    scores = [report.score for report in reports if not report.nothing_to_document]
    return sum(scores) / len(scores) if scores else None


def grade_for(score: int) -> str:
    """The letter grade of a score: A from 90, B from 80, C from 70, D from 60, else F.

    The bands are :data:`~codescribe.engine.quality.rubrics.GRADE_BANDS`.

    Args:
        score: points out of 100.

    Returns:
        ``A``, ``B``, ``C``, ``D`` or ``F``.

    Examples:
        >>> [grade_for(score) for score in (100, 90, 89, 60, 59, 0)]
        ['A', 'A', 'B', 'D', 'F', 'F']
    """
    return next((grade for lowest, grade in GRADE_BANDS if score >= lowest), "F")


def build_criteria(
    specs: Sequence[CriterionSpec], measured: Mapping[str, tuple[float, str | None]]
) -> tuple[Criterion, ...]:
    """Turn measured shares into criteria: points earned, status and suggestion per rubric line.

    A share is clamped to 0..1 and earns that share of the criterion's points (rounded to one
    decimal). A criterion short of its full share gets the rubric's suggestion, followed by the
    measured detail when there is one.

    Args:
        specs: the rubric's lines, in order (one of :data:`~codescribe.engine.quality.rubrics.RUBRICS`).
        measured: ``(share, detail or None)`` by criterion key; every spec's key must be there.

    Returns:
        A criterion per spec, in the specs' order.

    Raises:
        KeyError: a spec's key is missing from ``measured``.

    Examples:
        >>> from codescribe.engine.quality.rubrics import RUBRICS
        >>> shares = {"coverage": (1.0, None), "params": (0.5, "Incomplete: `add`."), "returns": (1.0, None)}
        >>> shares |= {"examples": (0.0, None), "types": (1.2, None)}
        >>> for criterion in build_criteria(RUBRICS["docstrings"], shares):
        ...     print(criterion.name, criterion.points, criterion.status)
        Docstring coverage 30.0 complete
        Parameters 12.5 partial
        Returns 20.0 complete
        Examples 0.0 missing
        Types 10.0 complete
    """
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
    """The suggestion of the criterion that lost the most points; the first one wins a tie.

    Args:
        criteria: the criteria of one report.

    Returns:
        That suggestion; ``None`` when no criterion lost points (or none that did has a suggestion).

    Examples:
        >>> top_suggestion([
        ...     Criterion("Overview", 15.0, 20.0, "partial", "Say what the code does."),
        ...     Criterion("Usage", 10.0, 20.0, "partial", "Add examples."),
        ... ])
        'Add examples.'
        >>> top_suggestion([Criterion("Overview", 20.0, 20.0, "complete", None)]) is None
        True
    """
    lost = [criterion for criterion in criteria if criterion.suggestion and criterion.lost > _EPSILON]
    best = max(lost, key=lambda criterion: criterion.lost, default=None)  # max keeps the first of equals
    return best.suggestion if best else None
