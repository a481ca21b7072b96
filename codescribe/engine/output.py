"""Writing documents to disk: where each goes, and never half a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_atomically

if TYPE_CHECKING:
    from .generator import DocResult

__all__ = ["output_path", "quality_table", "write_result"]


def output_path(out: Path, result: DocResult, name: str | None = None) -> Path:
    """``<out>/<path>.<type>.md``; the rewritten source itself for docstrings; one ARCHITECTURE.md."""
    relative = name or result.path
    if result.doc_type == "docstrings":
        return out / relative
    if result.doc_type == "architecture":
        return out / "ARCHITECTURE.md"
    return out / f"{relative}.{result.doc_type}.md"


def write_result(out: Path, result: DocResult, name: str | None = None) -> Path:
    """Write atomically: a document is either complete on disk or not there at all."""
    target = output_path(out, result, name)
    write_atomically(target, result.documentation)
    return target


def quality_table(results: list[DocResult]) -> str:
    """A plain-text table of every document's quality, for terminals."""
    header = f"{'file':<34} {'type':<12} {'score':>5} {'grade':>5} {'truthful':>8} {'complete':>8} {'improves':>8}"
    rows = [header, "-" * len(header)]
    for result in results:
        q = result.quality
        rows.append(
            f"{result.path[-34:]:<34} {result.doc_type:<12} {q.score:>5} {q.grade:>5} "
            f"{q.truthfulness:>8.0%} {q.completeness:>8.0%} {q.improvement:>+8}"
        )
    return "\n".join(rows)
