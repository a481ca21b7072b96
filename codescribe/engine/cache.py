"""The one content-addressed cache: JSON entries named by the hash of everything they depend on.

The MkDocs plugin's pages, the analyses of unchanged files and an evaluation's answers are all
kept here, each under its own folder. A key is the SHA-256 of its parts (:func:`cache_key`), so a
change to any part (source text, prompt version, provider, model, settings) makes a new entry and
an old one is never served for it. Entries are plain JSON, never pickle: a cache folder may be
committed or shared through CI, and loading it must never run code. An entry is written whole or
not at all, so a killed process leaves no half entry; a damaged one reads as a miss.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .atomic import write_atomically

__all__ = ["ContentCache", "cache_key"]


def cache_key(*parts: object) -> str:
    """The SHA-256 (hex) of ``parts``, each as text, separated so that ``("ab", "c")`` and
    ``("a", "bc")`` differ. ``None`` and numbers take part as their ``repr``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part if isinstance(part, str) else repr(part)).encode("utf-8", errors="replace"))
        digest.update(b"\0")
    return digest.hexdigest()


class ContentCache:
    """JSON entries under ``folder/<first two hex digits>/<key>.json``; remembers which a run used.

    Args:
        folder: where the entries live (created on the first :meth:`put`).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: The keys read or written since this object was made (or since it was reset).
        self.used: set[str] = set()

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` lives."""
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any:
        """The entry of ``key`` (decoded JSON), or ``None`` when there is none or it is damaged."""
        try:
            value = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (anything JSON can hold) as the entry of ``key``, whole or not at all."""
        write_atomically(self.path(key), json.dumps(value, ensure_ascii=False))
        self.used.add(key)

    def prune(self) -> int:
        """Delete the entries not in :attr:`used`; returns how many. Only files shaped like entries
        (``<2 hex>/<64 hex>.json``) are ever touched."""
        removed = 0
        for path in self.folder.glob("[0-9a-f][0-9a-f]/*.json"):
            if len(path.stem) == 64 and path.stem.startswith(path.parent.name) and path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
