"""Analyses kept on disk, keyed by the file's text, so an unchanged file is never parsed twice.

JSON, not pickle: the folder may be committed or shared through a CI cache, and loading it
must never run code.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..cache import ContentCache, cache_key
from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, LineCounts, Parameter

__all__ = ["AnalysisStore"]

#: Bump when analysers change what they extract: old entries then simply miss.
ANALYSIS_VERSION = "a2"


def _function(data: dict[str, Any]) -> FunctionInfo:
    return FunctionInfo(
        **{
            **data,
            "parameters": tuple(Parameter(**p) for p in data["parameters"]),
            "decorators": tuple(data["decorators"]),
            "raises": tuple(data["raises"]),
        }
    )


def _from_dict(data: dict[str, Any]) -> FileAnalysis:
    classes = tuple(
        ClassInfo(
            **{
                **c,
                "bases": tuple(c["bases"]),
                "decorators": tuple(c["decorators"]),
                "methods": tuple(_function(m) for m in c["methods"]),
            }
        )
        for c in data["classes"]
    )
    return FileAnalysis(
        **{
            **data,
            "functions": tuple(_function(f) for f in data["functions"]),
            "classes": classes,
            "imports": tuple(ImportInfo(**{**i, "names": tuple(i["names"])}) for i in data["imports"]),
            "exports": tuple(data["exports"]),
            "lines": LineCounts(**data["lines"]),
            "warnings": tuple(data["warnings"]),
        }
    )


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
        data = self.cache.get(key)
        try:
            return None if data is None else _from_dict(data)
        except (TypeError, KeyError):
            return None

    def put(self, key: str, analysis: FileAnalysis) -> None:
        """Store ``analysis`` under ``key``."""
        self.cache.put(key, dataclasses.asdict(analysis))

    def prune(self) -> int:
        """Delete the analyses the run did not use; returns how many."""
        return self.cache.prune()
