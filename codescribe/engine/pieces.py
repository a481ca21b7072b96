"""A docstrings rewrite of a file too big for one prompt, a few whole definitions at a time.

The file is cut into runs of top-level definitions that fit the context budget
(:func:`~codescribe.engine.rewrite.pieces`); each run is asked for on its own, its answer checked
and merged into that run alone, and the runs joined again. A definition bigger than the budget by
itself is left as it is, with a warning: nothing of the file is lost, or cut to fit.
"""

from __future__ import annotations

from typing import Any

from .analysis import analyze_source
from .offline import DocRequest
from .rewrite import CodeChangedError, Piece, apply_answer, pieces

__all__ = ["join_answers", "split_request"]

#: The usage figures of an answer that add up over the pieces of a file.
_SUMMED = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "latency_ms")


def split_request(request: DocRequest, budget: int) -> list[tuple[Piece, DocRequest | None]] | None:
    r"""The requests for the pieces of a docstrings request too big for one prompt.

    Args:
        request: the whole file's docstrings request.
        budget: the most characters of source one prompt carries.

    Returns:
        ``None`` when the file fits (or the doc type is not ``docstrings``); else each piece with
        its request (``extra["part"]`` says which lines it is), or ``None`` for a piece that is one
        definition too big by itself.

    Examples:
        >>> code = "def a():\n    return 1\n\n\ndef b():\n    return 2\n"
        >>> request = DocRequest("docstrings", analyze_source(code, "ab.py"), code)
        >>> [part.extra["part"] for _, part in split_request(request, 30)]
        ['lines 1-2 of 6', 'lines 3-6 of 6']
    """
    if request.doc_type != "docstrings" or len(request.source) <= budget:
        return None
    language = request.analysis.language
    total = len(request.source.removesuffix("\n").split("\n"))
    found: list[tuple[Piece, DocRequest | None]] = []
    for piece in pieces(request.source, language, budget):
        if not piece.fits:
            found.append((piece, None))
            continue
        text = request.source[piece.start : piece.end]
        analysis = analyze_source(text.removeprefix("\ufeff"), request.analysis.path, language)
        part = f"lines {piece.first_line}-{piece.last_line} of {total}"
        found.append((piece, DocRequest("docstrings", analysis, text, request.project, extra={"part": part})))
    return found


def join_answers(
    request: DocRequest,
    parts: list[tuple[Piece, DocRequest | None]],
    answers: list[tuple[str, dict[str, Any]] | None],
) -> tuple[str, dict[str, Any]]:
    r"""The whole file from its pieces' answers, each merged into its own piece, and their metadata.

    Args:
        request: the whole file's request.
        parts: what :func:`split_request` gave.
        answers: each piece's ``(answer, metadata)``, ``None`` for a piece that was not sent.

    Returns:
        ``(text, metadata)``: the file with each piece's documentation merged in (a piece whose
        answer changed code, or that was not sent, is its original text), and the last answer's
        metadata with the token counts, latency and cost summed over the pieces, plus ``pieces``
        (how many), ``refused_pieces`` (``"lines a-b: why"`` for each refused answer) and
        ``skipped_pieces`` (``"lines a-b"`` for each piece too big to send).
    """
    texts: list[str] = []
    refused: list[str] = []
    skipped: list[str] = []
    metadata: dict[str, Any] = {}
    costs: list[float | None] = []
    for (piece, part), answer in zip(parts, answers, strict=True):
        original = request.source[piece.start : piece.end]
        lines = f"lines {piece.first_line}-{piece.last_line}"
        if part is None or answer is None:
            texts.append(original)
            skipped.append(lines)
            continue
        text, meta = answer
        costs.append(meta.get("cost_usd"))
        metadata = {**meta, **{key: metadata.get(key, 0) + (meta.get(key) or 0) for key in _SUMMED}}
        try:
            texts.append(apply_answer(text, original, request.analysis.language))
        except CodeChangedError as error:
            texts.append(original)
            refused.append(f"{lines}: {error.reason}")
    cost = None if any(c is None for c in costs) else sum(c for c in costs if c is not None)
    metadata = {**metadata, "cost_usd": cost, "pieces": len(parts)}
    return "".join(texts), {**metadata, "refused_pieces": refused, "skipped_pieces": skipped}
