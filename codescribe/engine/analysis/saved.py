"""Analyses kept on disk, keyed by the file's text, so an unchanged file is never parsed twice.

JSON, not pickle: the folder may be committed or shared through a CI cache, and loading it
must never run code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from ..atomic import write_atomically
from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, LineCounts, Parameter

__all__ = ["AnalysisStore"]

#: Bump when analysers change what they extract: old entries then simply miss.
ANALYSIS_VERSION = "a1"


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
    """``folder/<key>.json`` per analysed file text; tracks the entries a run used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    @staticmethod
    def key(path: str, source: str) -> str:
        return hashlib.sha256(f"{ANALYSIS_VERSION}\0{path}\0{source}".encode(errors="replace")).hexdigest()

    def get(self, key: str) -> FileAnalysis | None:
        try:
            analysis = _from_dict(json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            return None
        self.used.add(key)
        return analysis

    def put(self, key: str, analysis: FileAnalysis) -> None:
        write_atomically(self.folder / f"{key}.json", json.dumps(dataclasses.asdict(analysis)))
        self.used.add(key)

    def prune(self) -> int:
        removed = 0
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
