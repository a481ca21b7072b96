"""The doc types CodeScribe writes: the one list the prompts, rubrics, command line, suites and plugin read."""

from __future__ import annotations

__all__ = ["DOC_TYPES", "check_doc_type"]

#: Each has a system and a user template in ``prompts/<doc type>/`` and a rubric in ``quality``.
DOC_TYPES: tuple[str, ...] = ("readme", "api", "architecture", "docstrings", "module")


def check_doc_type(doc_type: str) -> str:
    """Check that ``doc_type`` is one CodeScribe writes, and hand it back.

    Args:
        doc_type: the name to check, exactly as listed in :data:`DOC_TYPES` (lower case).

    Returns:
        ``doc_type`` itself, unchanged.

    Raises:
        ValueError: it is not one of :data:`DOC_TYPES`; the message lists the doc types there are.

    Examples:
        >>> check_doc_type("readme")
        'readme'
        >>> check_doc_type("blog")
        Traceback (most recent call last):
        ...
        ValueError: Unknown doc type 'blog': choose one of readme, api, architecture, docstrings, module.
    """
    if doc_type not in DOC_TYPES:
        raise ValueError(f"Unknown doc type {doc_type!r}: choose one of {', '.join(DOC_TYPES)}.")
    return doc_type
