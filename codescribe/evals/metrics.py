"""How a generated document is scored: the quality rubric, and overlap with human docstrings.

Overlap is measured where it means something: for the ``docstrings`` doc type on files that
carry their own docstrings, the input has those docstrings removed, and what the model
writes for each function is compared with what its authors wrote (BLEU via sacrebleu,
ROUGE-L F1 via rouge-score).
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any

__all__ = ["parse_judge_score", "parse_pairwise_verdict", "reference_overlap", "rouge_l", "strip_python_docstrings"]


def strip_python_docstrings(source: str) -> str:
    """``source`` without its function and class docstrings (module docstring kept)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    spans: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and ast.get_docstring(node):
            first = node.body[0]
            if len(node.body) == 1:
                continue  # the docstring is the whole body: removing it would break the code
            if first.lineno != node.lineno:
                spans.append((first.lineno - 1, first.end_lineno or first.lineno))
    for start, end in sorted(spans, reverse=True):
        del lines[start:end]
    return "".join(lines)


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 of a candidate against a reference, as Google's ``rouge-score`` computes it.

    Text is tokenised the way ROUGE-1.5.5 does it (lower-cased, split on non-alphanumerics, no
    stemming); the F1 combines precision and recall of their longest common subsequence.

    Args:
        candidate: The generated text.
        reference: The human-written text it is compared with.

    Returns:
        The F1, from 0.0 (nothing in common, or either text empty) to 1.0 (the same tokens).

    Examples:
        >>> round(rouge_l("return the area", "Return the area of a rectangle."), 3)
        0.667
    """
    return float(_rouge_scorer().score(reference, candidate)["rougeL"].fmeasure)


@lru_cache(maxsize=1)
def _rouge_scorer() -> Any:
    from rouge_score.rouge_scorer import RougeScorer

    return RougeScorer(["rougeL"])


def _docstrings(source: str) -> dict[str, str]:
    from ..engine.analysis.python import analyze_python

    try:
        analysis = analyze_python(source, "<overlap>")
    except (SyntaxError, ValueError):
        return {}
    found = {f.qualname: f.docstring for f in analysis.all_functions if f.docstring}
    found.update({c.name: c.docstring for c in analysis.classes if c.docstring})
    return {name: text for name, text in found.items() if text}


def reference_overlap(original: str, generated: str) -> dict[str, Any]:
    """Mean BLEU (0-1) and ROUGE-L over the functions the authors documented, or ``None``s."""
    references = _docstrings(original)
    candidates = _docstrings(generated)
    pairs = [(candidates.get(name, ""), text) for name, text in references.items()]
    if not pairs:
        return {"bleu": None, "rouge_l": None, "reference_functions": 0}
    import sacrebleu

    bleu = [sacrebleu.sentence_bleu(candidate, [reference]).score / 100 for candidate, reference in pairs]
    rouge = [rouge_l(candidate, reference) for candidate, reference in pairs]
    return {"bleu": sum(bleu) / len(bleu), "rouge_l": sum(rouge) / len(rouge), "reference_functions": len(pairs)}


_SCORE = re.compile(r"SCORE:\s*([1-5])\b", re.IGNORECASE)


def parse_judge_score(answer: str) -> int | None:
    """The 1-5 score on the judge's last ``SCORE: n`` line, or ``None`` when it gave none."""
    found = _SCORE.findall(answer)
    return int(found[-1]) if found else None


_VERDICT = re.compile(r"^\W*winner\W*:\W*(1|2|tie)\b", re.IGNORECASE | re.MULTILINE)


def parse_pairwise_verdict(answer: str) -> str | None:
    """``"1"``, ``"2"`` or ``"tie"`` from the judge's last ``WINNER:`` line; ``None`` without one."""
    found = _VERDICT.findall(answer)
    return found[-1].lower() if found else None
