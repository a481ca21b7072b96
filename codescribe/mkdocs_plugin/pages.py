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
    """The key of a page: the hash of everything it depends on (see :func:`cache_key`).

    Args:
        parts: everything the page depends on, as text: the plugin passes the cache format, the
            writer's identity and the prompts' version, then the doc type, the source file's path
            and its text (or, for an architecture page, the project's structure).

    Returns:
        the SHA-256 of the parts, as 64 hex digits; parts are separated, so ``("ab", "c")`` and
        ``("a", "bc")`` give different keys.

    Examples:
        >>> key = page_key("page-v1", "module", "shop.py", "def total(): ...")
        >>> len(key), key == page_key("page-v1", "module", "shop.py", "def total(): ...")
        (64, True)
        >>> page_key("ab", "c") == page_key("a", "bc")
        False
    """
    return cache_key(*parts)


@dataclass(frozen=True)
class CachedPage:
    """A generated page and what the badge needs to say about it.

    Attributes:
        markdown: the page's Markdown, as the writer returned it (the badge is added when rendered).
        score: its quality score, 0-100.
        grade: its quality grade, ``A`` to ``F``.
        provider: the provider that wrote it (``offline`` for the offline engine).
        model: the model that wrote it (``templates`` for the offline engine).
        generated: the date it was generated, ISO 8601 (``YYYY-MM-DD``).
        fallback_reason: why the configured provider did not write it (a failure, the budget);
            ``None`` when it did.

    Examples:
        >>> CachedPage("# shop\\n", 88, "B", "offline", "templates", "2026-11-25").fallback_reason is None
        True
    """

    markdown: str
    score: int
    grade: str
    provider: str
    model: str
    generated: str
    fallback_reason: str | None = None


class PageCache(ContentCache):
    """Pages in a :class:`~codescribe.engine.cache.ContentCache`; tracks which entries a build used.

    Args:
        folder: where the entries live, ``<folder>/<first two hex digits>/<key>.json`` (created on
            the first :meth:`put_page`).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = tempfile.TemporaryDirectory()
        >>> cache = PageCache(Path(folder.name))
        >>> cache.put_page("ab" * 32, CachedPage("# shop\\n", 88, "B", "offline", "templates", "2026-11-25"))
        >>> cache.prune()  # entries this build did not use: none
        0
        >>> folder.cleanup()
    """

    def get_page(self, key: str) -> CachedPage | None:
        """The cached page of ``key``, or ``None`` (missing or damaged: generate it again).

        A page found is marked as used by this build (see :attr:`used`), so pruning keeps it.

        Args:
            key: the page's key (see :func:`page_key`).

        Returns:
            the :class:`CachedPage`, or ``None`` when there is no entry, it is not valid JSON, or
            its fields are not a page's.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> folder = tempfile.TemporaryDirectory()
            >>> cache = PageCache(Path(folder.name))
            >>> key = page_key("page-v1", "module", "shop.py", "def total(): ...")
            >>> cache.get_page(key) is None
            True
            >>> cache.put_page(key, CachedPage("# shop\\n", 88, "B", "offline", "templates", "2026-11-25"))
            >>> cache.get_page(key).grade
            'B'
            >>> folder.cleanup()
        """
        data: Any = self.get(key)
        try:
            return None if data is None else CachedPage(**data)
        except TypeError:
            return None

    def put_page(self, key: str, page: CachedPage) -> None:
        """Store ``page`` under ``key``, whole or not at all.

        The entry is JSON (the page's fields), written atomically and marked as used by this build.

        Args:
            key: the page's key (see :func:`page_key`); an entry already there is replaced.
            page: the page to store.

        Raises:
            OSError: the cache folder cannot be created or written.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> folder = tempfile.TemporaryDirectory()
            >>> cache = PageCache(Path(folder.name))
            >>> key = page_key("page-v1", "module", "shop.py", "def total(): ...")
            >>> cache.put_page(key, CachedPage("# shop\\n", 88, "B", "offline", "templates", "2026-11-25"))
            >>> cache.path(key).relative_to(folder.name).parts[0] == key[:2], key in cache.used
            (True, True)
            >>> folder.cleanup()
        """
        self.put(key, asdict(page))
