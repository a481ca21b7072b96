"""The doc types CodeScribe writes: the one list the prompts, rubrics, command line, suites and plugin read."""

from __future__ import annotations

__all__ = ["DOC_TYPES", "check_doc_type"]

#: Each has a system and a user template in ``prompts/<doc type>/`` and a rubric in ``quality``.
DOC_TYPES: tuple[str, ...] = ("readme", "api", "architecture", "docstrings", "module")


def check_doc_type(doc_type: str) -> str:
    """``doc_type`` itself, if it is one of :data:`DOC_TYPES`.

    Raises:
        ValueError: it is not; the message lists the doc types there are.
    """
    if doc_type not in DOC_TYPES:
        raise ValueError(f"Unknown doc type {doc_type!r}: choose one of {', '.join(DOC_TYPES)}.")
    return doc_type
