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

from ..engine.cpu import parse_python

__all__ = ["parse_judge_score", "parse_pairwise_verdict", "reference_overlap", "rouge_l", "strip_python_docstrings"]


def strip_python_docstrings(source: str) -> str:
    r"""``source`` without its function and class docstrings (module docstring kept).

    This is what the model is given when its docstrings are to be compared with the authors'. Each
    docstring's lines are removed whole (anything else on them too); other lines are kept as they
    are. Two kinds of docstring stay: one that is the whole body of its function or class (removing
    it would break the code), and one on the same line as its ``def`` or ``class``. Functions and
    classes nested at any depth are stripped too.

    Args:
        source: Python source text.

    Returns:
        The text with those docstrings' lines removed.

    Raises:
        SyntaxError: ``source`` does not parse (null bytes included).

    Examples:
        >>> code = "'''Geometry.'''\n\ndef area(w, h):\n    '''Return the area.'''\n    return w * h\n\n"
        >>> code += "class Box:\n    def stub(self):\n        '''Only a docstring.'''\n"
        >>> print(strip_python_docstrings(code))
        '''Geometry.'''
        <BLANKLINE>
        def area(w, h):
            return w * h
        <BLANKLINE>
        class Box:
            def stub(self):
                '''Only a docstring.'''
        <BLANKLINE>
    """
    tree = parse_python(source)
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
    r"""Mean BLEU (0-1) and ROUGE-L over the functions the authors documented, or ``None``s.

    Each docstring of ``original`` (top-level functions, methods by ``Class.method``, and top-level
    classes) is compared with the docstring of the same name in ``generated``: BLEU with sacrebleu's
    ``sentence_bleu`` (divided by 100), ROUGE-L with :func:`rouge_l`. A name ``generated`` does not
    document, or a ``generated`` that does not parse, counts as an empty candidate: 0 for both.

    Args:
        original: the Python source as its authors wrote it, with their docstrings.
        generated: the same source with the model's docstrings.

    Returns:
        ``{"bleu": float | None, "rouge_l": float | None, "reference_functions": int}``: the means,
        each from 0.0 to 1.0, over the ``reference_functions`` docstrings of ``original``; both
        means are ``None`` (and the count 0) when ``original`` documents nothing or does not parse.

    Raises:
        ImportError: sacrebleu or rouge-score (the ``evals`` extra) is not installed, and
            ``original`` has docstrings.
        RecursionError: either source nests too deeply to analyse.
        MemoryError: either source nests so deeply that Python's parser gives up.

    Examples:
        >>> original = "def area(w, h):\n    '''Return the area of a rectangle.'''\n    return w * h\n"
        >>> generated = "def area(w, h):\n    '''Return the area.'''\n    return w * h\n"
        >>> overlap = reference_overlap(original, generated)
        >>> round(overlap["bleu"], 3), round(overlap["rouge_l"], 3), overlap["reference_functions"]
        (0.302, 0.667, 1)
        >>> reference_overlap("def area(w, h):\n    return w * h\n", generated)
        {'bleu': None, 'rouge_l': None, 'reference_functions': 0}
    """
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
    r"""The 1-5 score on the judge's last ``SCORE: n`` line, or ``None`` when it gave none.

    ``SCORE:`` may be in any case and anywhere in a line; the digit must be 1 to 5 and not be
    followed by another letter or digit (``SCORE: 10`` is no score; ``SCORE: 4.5`` reads as 4).

    Args:
        answer: the judge's whole reply.

    Returns:
        The last score given, from 1 to 5, or ``None`` when there is none.

    Examples:
        >>> parse_judge_score("Clear, but misses the errors.\nSCORE: 3")
        3
        >>> parse_judge_score("score: 2 at first ... SCORE: 4"), parse_judge_score("SCORE: 7")
        (4, None)
    """
    found = _SCORE.findall(answer)
    return int(found[-1]) if found else None


_VERDICT = re.compile(r"^\W*winner\W*:\W*(1|2|tie)\b", re.IGNORECASE | re.MULTILINE)


def parse_pairwise_verdict(answer: str) -> str | None:
    r"""``"1"``, ``"2"`` or ``"tie"`` from the judge's last ``WINNER:`` line; ``None`` without one.

    The line must start with ``WINNER`` (any case; Markdown such as ``**Winner:**`` is allowed
    around it), then a colon and ``1``, ``2`` or ``TIE``.

    Args:
        answer: the judge's whole reply.

    Returns:
        ``"1"`` or ``"2"`` (the document shown first or second), ``"tie"``, or ``None`` when no line
        gives a verdict.

    Examples:
        >>> parse_pairwise_verdict("WINNER: 1 at first; on reflection\n**Winner:** 2")
        '2'
        >>> parse_pairwise_verdict("Both fine.\nWINNER: TIE"), parse_pairwise_verdict("The winner: 1")
        ('tie', None)
    """
    found = _VERDICT.findall(answer)
    return found[-1].lower() if found else None
