"""Analyses kept on disk, keyed by the file's text, so an unchanged file is never parsed twice.

JSON, not pickle: the folder may be committed or shared through a CI cache, and loading it
must never run code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..cache import ContentCache, cache_key
from .model import FileAnalysis

__all__ = ["AnalysisStore"]

#: Bump when analysers change what they extract: old entries then simply miss.
ANALYSIS_VERSION = "a2"


@lru_cache(maxsize=1)
def _schema() -> Any:
    """The pydantic adapter that turns stored JSON back into a :class:`FileAnalysis`, checking every field."""
    from pydantic import TypeAdapter

    return TypeAdapter(FileAnalysis)


class AnalysisStore:
    """Analyses by file text, in a :class:`~codescribe.engine.cache.ContentCache` under ``folder``.

    Args:
        folder: the cache's folder for analyses.
    """

    def __init__(self, folder: Path) -> None:
        self.cache = ContentCache(folder)

    @property
    def used(self) -> set[str]:
        """The keys a run read or wrote (the rest go at :meth:`prune`)."""
        return self.cache.used

    @used.setter
    def used(self, keys: set[str]) -> None:
        self.cache.used = keys

    @staticmethod
    def key(path: str, source: str) -> str:
        """The key of ``source`` analysed as the file ``path`` (and of this analyser version)."""
        return cache_key(ANALYSIS_VERSION, path, source)

    def get(self, key: str) -> FileAnalysis | None:
        """The stored analysis, or ``None`` (missing, damaged or of another shape: analyse again)."""
        from pydantic import ValidationError

        data = self.cache.get(key)
        try:
            return None if data is None else _schema().validate_python(data)
        except ValidationError:
            return None

    def put(self, key: str, analysis: FileAnalysis) -> None:
        """Store ``analysis`` under ``key``."""
        self.cache.put(key, _schema().dump_python(analysis, mode="json"))

    def prune(self) -> int:
        """Delete the analyses the run did not use; returns how many."""
        return self.cache.prune()
