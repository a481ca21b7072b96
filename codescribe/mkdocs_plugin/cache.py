"""The page cache: one JSON file per generated page, named by the hash of what it depends on.

A key covers the source text, the prompt version, the doc type and the provider/model, so
an unchanged source costs no call and any change to those makes a new entry. Entries not
used by a build are pruned after it. The folder is plain files: commit it, or keep it in a
CI cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..engine.atomic import write_atomically

__all__ = ["CachedPage", "PageCache", "page_key"]


def page_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", errors="replace"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedPage:
    """A generated page and what the badge needs to say about it."""

    markdown: str
    score: int
    grade: str
    provider: str
    model: str
    generated: str
    fallback_reason: str | None = None


class PageCache:
    """Content-addressed pages under ``folder``; tracks which entries a build used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedPage | None:
        path = self._path(key)
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            page = CachedPage(**data)
        except (OSError, ValueError, TypeError):
            return None  # missing, or damaged by an interrupted write: regenerate it
        self.used.add(key)
        return page

    def put(self, key: str, page: CachedPage) -> None:
        write_atomically(self._path(key), json.dumps(asdict(page)))  # whole or absent, even if killed
        self.used.add(key)

    def prune(self) -> int:
        """Delete entries this build did not use; return how many."""
        removed = 0
        for path in self.folder.glob("[0-9a-f][0-9a-f]/*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
