"""The page cache: one JSON file per generated page, named by the hash of what it depends on.

A key covers the source text, the prompt version, the doc type and the provider/model, so
an unchanged source costs no call and any change to those makes a new entry. Entries not
used by a build are pruned after it. The folder is plain files: commit it, or keep it in a
CI cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..engine.cache import ContentCache, cache_key

__all__ = ["CachedPage", "PageCache", "page_key"]


def page_key(*parts: str) -> str:
    """The key of a page: the hash of everything it depends on (see :func:`cache_key`)."""
    return cache_key(*parts)


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


class PageCache(ContentCache):
    """Pages in a :class:`~codescribe.engine.cache.ContentCache`; tracks which entries a build used."""

    def get_page(self, key: str) -> CachedPage | None:
        """The cached page of ``key``, or ``None`` (missing or damaged: generate it again)."""
        data: Any = self.get(key)
        try:
            return None if data is None else CachedPage(**data)
        except TypeError:
            return None

    def put_page(self, key: str, page: CachedPage) -> None:
        """Store ``page`` under ``key``, whole or not at all."""
        self.put(key, asdict(page))
