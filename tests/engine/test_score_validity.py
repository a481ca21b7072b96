"""The score-validity suite (``bench/score_validity.py``), run offline on documents the bench does not see.

The bench runs on the 14 reference packages (``make reference``'s downloads); this runs the same
degradations and improvements on CodeScribe's own code (its Python files with their docstrings,
the offline engine's pages about it, its README and site pages) and on the six-language fixtures
of the engine's tests. Every kind that applies must be
detected on at least 95% of the documents it changes, as the bench's target says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score_validity import DEGRADATIONS, IMPROVEMENTS, TARGET, documents_of, run
from codescribe.engine.analysis import analyze_source
from codescribe.engine.quality import score_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def found() -> dict[str, tuple[int, int, list[str]]]:
    markdown = [ROOT / "README.md", *sorted((ROOT / "site").glob("*.md"))]
    own = documents_of("codescribe", ROOT / "codescribe", markdown)
    return run([*own, *documents_of("fixtures", ROOT / "tests" / "engine" / "fixtures", [])])


@pytest.mark.parametrize("change", [*DEGRADATIONS, *IMPROVEMENTS])
def test_every_kind_of_change_moves_the_score_the_right_way(
    change: str, found: dict[str, tuple[int, int, list[str]]]
) -> None:
    applied, detected, misses = found[change]

    if applied == 0:
        pytest.skip(f"{change!r} changes none of CodeScribe's own documents")
    assert detected / applied >= TARGET, f"{change}: {detected}/{applied}; missed {misses}"


def test_the_suite_applies_most_kinds_to_real_documents(found: dict[str, tuple[int, int, list[str]]]) -> None:
    """A suite whose changes apply to nothing proves nothing."""
    applied = {change for change, (count, _, _) in found.items() if count >= 20}

    assert {"section emptied", "examples removed", "function renamed", "API emptied"} <= applied
    assert {"boilerplate docstrings", "paragraph repeated"} <= applied


def test_a_docstrings_run_that_added_nothing_scores_low_and_says_why() -> None:
    code = "def add(a, b):\n    return a + b\n\n\nclass Box:\n    def grow(self, by):\n        return by\n"
    analysis = analyze_source(code, "calc.py")
    boilerplate = code.replace("    return a + b", '    """Add."""\n    return a + b')

    for document in (code, boilerplate):
        report = score_document(document, analysis, "docstrings")
        assert report.grade == "F"
        assert "signature): `Box`, `Box.grow`, `add`" in (report.top_suggestion or "")
