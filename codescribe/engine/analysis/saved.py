"""Analyses kept on disk, keyed by the file's text, so an unchanged file is never parsed twice.

JSON, not pickle: the folder may be committed or shared through a CI cache, and loading it
must never run code.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..cache import ContentCache, cache_key
from .model import FileAnalysis

__all__ = ["AnalysisStore", "parser_versions"]

#: Bump when analysers change what they extract: old entries then simply miss.
ANALYSIS_VERSION = "a17"


#: The parsers whose versions decide what an analysis finds (tree-sitter and its grammars).
_PARSERS = tuple(
    f"tree-sitter{suffix}" for suffix in ("", "-go", "-java", "-javascript", "-python", "-rust", "-typescript")
)


@lru_cache(maxsize=1)
def parser_versions() -> tuple[tuple[str, str], ...]:
    """The installed versions of the parsers analysis uses, and of Python's own (its :mod:`ast`).

    Part of every analysis's key: upgrading a grammar can change what it reads, and old entries
    then simply miss.

    Returns:
        ``(distribution, version)`` pairs; ``"missing"`` for a parser that is not installed.

    Examples:
        >>> dict(parser_versions())["tree-sitter"] != "missing"
        True
    """
    import platform
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "missing"

    return (("python", platform.python_version()), *((name, version(name)) for name in _PARSERS))


@lru_cache(maxsize=1)
def _schema() -> Any:
    """The pydantic adapter that turns stored JSON back into a :class:`FileAnalysis`, checking every field."""
    from pydantic import TypeAdapter

    return TypeAdapter(FileAnalysis)


class AnalysisStore:
    r"""Analyses by file text, in a :class:`~codescribe.engine.cache.ContentCache` under ``folder``.

    Args:
        folder: the cache's folder for analyses (created on the first :meth:`put`).

    Attributes:
        cache: the content cache the analyses are kept in, as JSON.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "def add(a, b):\n    return a + b\n"
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = AnalysisStore(Path(folder))
        ...     key = AnalysisStore.key("calc.py", code)
        ...     if store.get(key) is None:
        ...         store.put(key, analyze_source(code, "calc.py"))
        ...     print([function.name for function in store.get(key).functions])
        ['add']
    """

    def __init__(self, folder: Path) -> None:
        self.cache = ContentCache(folder)

    @property
    def used(self) -> set[str]:
        r"""The keys a run read or wrote (the rest go at :meth:`prune`).

        The same set as the cache's :attr:`~codescribe.engine.cache.ContentCache.used`: reading it
        returns that set itself (not a copy), and assigning replaces it, to start over or to keep
        more entries at the next :meth:`prune`.

        Args:
            keys: (when assigned) the keys to count as used from now on.

        Returns:
            The keys of the entries read (found) or written since the store was made or the set
            last assigned.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     store = AnalysisStore(Path(folder))
            ...     key = AnalysisStore.key("a.py", "x = 1\n")
            ...     store.put(key, analyze_source("x = 1\n", "a.py"))
            ...     print(store.used == {key})
            ...     store.used = set()
            ...     print(store.used)
            True
            set()
        """
        return self.cache.used

    @used.setter
    def used(self, keys: set[str]) -> None:
        self.cache.used = keys

    @staticmethod
    def key(path: str, source: str) -> str:
        r"""The key of ``source`` analysed as the file ``path`` (and of this analyser version).

        A change to the text, the path, :data:`ANALYSIS_VERSION` or a parser's version (:func:`parser_versions`)
        gives another key (see
        :func:`~codescribe.engine.cache.cache_key`).

        Args:
            path: the file's path, as it is recorded in the analysis.
            source: the file's text.

        Returns:
            64 lower-case hex digits.

        Examples:
            >>> key = AnalysisStore.key("calc.py", "x = 1\n")
            >>> len(key), key == AnalysisStore.key("other.py", "x = 1\n")
            (64, False)
        """
        return cache_key(ANALYSIS_VERSION, parser_versions(), path, source)

    def get(self, key: str) -> FileAnalysis | None:
        r"""The stored analysis, or ``None`` (missing, damaged or of another shape: analyse again).

        Every field is checked as the JSON is read back; nothing is ever raised for a bad entry. An
        entry that is JSON (even of another shape) is added to :attr:`used`.

        Args:
            key: the entry's key, as :meth:`key` makes it.

        Returns:
            The :class:`FileAnalysis` stored under ``key``, or ``None`` on a miss.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     store = AnalysisStore(Path(folder))
            ...     key = AnalysisStore.key("a.py", "x = 1\n")
            ...     missing = store.get(key)
            ...     store.cache.put(key, {"path": 1})
            ...     print(missing, store.get(key))
            None None
        """
        from pydantic import ValidationError

        data = self.cache.get(key)
        try:
            return None if data is None else _schema().validate_python(data)
        except ValidationError:
            return None

    def put(self, key: str, analysis: FileAnalysis) -> None:
        r"""Store ``analysis`` under ``key``, as JSON, replacing any entry there; ``key`` joins :attr:`used`.

        Args:
            key: the entry's key, as :meth:`key` makes it.
            analysis: the analysis to keep.

        Raises:
            OSError: the entry cannot be written.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     store = AnalysisStore(Path(folder))
            ...     analysis = analyze_source("def f():\n    pass\n", "f.py")
            ...     store.put(AnalysisStore.key("f.py", "def f():\n    pass\n"), analysis)
            ...     print(store.get(AnalysisStore.key("f.py", "def f():\n    pass\n")) == analysis)
            True
        """
        self.cache.put(key, _schema().dump_python(analysis, mode="json"))

    def prune(self, keep: Collection[str] = (), *, written_before: float | None = None) -> int:
        """Delete the analyses the run did not use: the entries whose key is not in :attr:`used` nor ``keep``.

        See :meth:`~codescribe.engine.cache.ContentCache.prune`: only files shaped like entries are
        touched, in a folder the store owns.

        Args:
            keep: more keys to keep (those another site sharing the cache still uses).
            written_before: delete only entries last written before this time (``time.time()``): see
                :meth:`~codescribe.engine.cache.ContentCache.prune`.

        Returns:
            How many entries were deleted.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     store = AnalysisStore(Path(folder))
            ...     store.put(AnalysisStore.key("a.py", ""), analyze_source("", "a.py"))
            ...     later = AnalysisStore(Path(folder))
            ...     print(later.prune(), later.prune())
            1 0
        """
        return self.cache.prune(keep, written_before=written_before)
