"""The one content-addressed cache: JSON entries named by the hash of everything they depend on.

The MkDocs plugin's pages, the analyses of unchanged files and an evaluation's answers are all
kept here, each under its own folder. A key is the SHA-256 of its parts (:func:`cache_key`), so a
change to any part (source text, prompt version, provider, model, settings) makes a new entry and
an old one is never served for it. Entries are plain JSON, never pickle: a cache folder may be
committed or shared through CI, and loading it must never run code. An entry is written whole or
not at all, so a killed process leaves no half entry; a damaged one reads as a miss.

A cache writes and deletes only in a folder it owns: one it made, marked by a :data:`MARKER` file (a
folder from before markers, holding only entries, is adopted). A folder holding anything else (a
project's own files, with ``cache_dir: .``) is refused with :class:`ForeignFolderError`, never
written into or pruned.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .markers import CACHE_MARKER as MARKER

__all__ = ["MARKER", "ContentCache", "ForeignFolderError", "cache_key"]

_MARKER_TEXT = "A CodeScribe cache: every file here was written by CodeScribe. Delete the folder to clear it.\n"
_HEX = frozenset("0123456789abcdef")


class ForeignFolderError(ValueError):
    """A cache was given a folder that holds files CodeScribe did not write; the message says what to do."""


def cache_key(*parts: object) -> str:
    """The key of an entry: the SHA-256 of ``parts``, in hex.

    Each part is hashed as text (a ``str`` as it is, anything else, ``None`` and numbers included, as
    its ``repr``), encoded as UTF-8 (unencodable characters replaced) and followed by a NUL byte, so
    that ``("ab", "c")`` and ``("a", "bc")`` differ. The order of the parts matters.

    Args:
        *parts: everything the entry depends on (source text, prompt version, provider, model ...).

    Returns:
        64 lower-case hex digits.

    Examples:
        >>> import hashlib
        >>> cache_key("a") == hashlib.sha256(b"a" + bytes(1)).hexdigest()
        True
        >>> cache_key("ab", "c") == cache_key("a", "bc")
        False
        >>> cache_key(None, 1) == cache_key("None", "1")
        True
        >>> len(cache_key("def f(): pass", "p1-052cc5732d"))
        64
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part if isinstance(part, str) else repr(part)).encode("utf-8", errors="replace"))
        digest.update(b"\0")
    return digest.hexdigest()


class ContentCache:
    """JSON entries under ``folder/<first two hex digits>/<key>.json``; remembers which a run used.

    Args:
        folder: where the entries live (created on the first :meth:`put`).

    Attributes:
        folder: where the entries live.
        used: the keys read (found) or written since this object was made; :meth:`prune` keeps only
            these. Assign a new set to start over.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     cache = ContentCache(Path(folder))
        ...     key = cache_key("source text", "p1")
        ...     cache.put(key, {"score": 88})
        ...     print(cache.get(key), cache.get(cache_key("other")))
        {'score': 88} None
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: The keys read or written since this object was made (or since it was reset).
        self.used: set[str] = set()
        self._owned = False

    def claim(self) -> None:
        """Make the folder this cache's own, or refuse it: done before the first write, and by surfaces
        that want to say so before any work.

        A new or empty folder is created with the :data:`MARKER` file; a marked folder is taken as it is;
        an unmarked one is adopted (marked) only when everything in it is shaped like this cache's files
        (entries, ``.partial`` files, other CodeScribe caches, the MkDocs plugin's page index).

        Raises:
            ForeignFolderError: the folder holds a file or folder CodeScribe did not write.
            OSError: the folder or its marker cannot be written.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     _ = (Path(folder) / "mkdocs.yml").write_text("site_name: Mine\\n")
            ...     ContentCache(Path(folder)).claim()  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            codescribe.engine.cache.ForeignFolderError: ... is not a CodeScribe cache: it holds mkdocs.yml, ...
        """
        if self._owned:
            return
        if not (self.folder / MARKER).is_file():
            if stranger := self._stranger():
                raise ForeignFolderError(
                    f"{self.folder} is not a CodeScribe cache: it holds {stranger}, which CodeScribe did not write. "
                    "Give the cache a folder of its own (a new or empty one; the plugin's default is "
                    ".cache/codescribe): CodeScribe replaces and deletes files in it."
                )
            write_atomically(self.folder / MARKER, _MARKER_TEXT)
        self._owned = True

    def _stranger(self) -> str | None:
        """The name of the first file or folder in :attr:`folder` a cache did not write, or ``None``."""
        return _stranger_in(self.folder, depth=2) if self.folder.is_dir() else None

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` lives (whether or not it exists).

        Args:
            key: the entry's key, as :func:`cache_key` makes it; its first two characters name
                the sub-folder.

        Returns:
            ``folder/<key[:2]>/<key>.json``.

        Examples:
            >>> from pathlib import Path
            >>> ContentCache(Path("cache")).path("ab12").as_posix()
            'cache/ab/ab12.json'
        """
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any:
        """Read the entry of ``key``; a found entry is added to :attr:`used`.

        A missing, unreadable or damaged entry (not JSON) is a miss, never an error.

        Args:
            key: the entry's key, as :func:`cache_key` makes it.

        Returns:
            The decoded JSON (a dict, list, str, number, bool), or ``None`` on a miss; an entry that
            holds JSON ``null`` also reads as ``None``.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     cache = ContentCache(Path(folder))
            ...     cache.put("ab" * 32, [1, 2])
            ...     cache.path("cd" * 32).parent.mkdir()
            ...     _ = cache.path("cd" * 32).write_text("{not json")
            ...     print(cache.get("ab" * 32), cache.get("cd" * 32), cache.get("ef" * 32))
            [1, 2] None None
        """
        try:
            value = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` as the entry of ``key``, whole or not at all, and add ``key`` to :attr:`used`.

        The file is written atomically (:func:`~codescribe.engine.atomic.write_atomically`), as UTF-8
        JSON; an existing entry is replaced. Tuples come back as lists.

        Args:
            key: the entry's key, as :func:`cache_key` makes it.
            value: anything :func:`json.dumps` can encode (dicts with string keys, lists, strings,
                numbers, booleans, ``None``).

        Raises:
            TypeError: ``value`` holds something JSON cannot encode (a set, a ``Path`` ...).
            ValueError: ``value`` refers to itself (a circular reference).
            OSError: the entry cannot be written.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     cache = ContentCache(Path(folder))
            ...     cache.put("ab" * 32, {"pair": (1, 2)})
            ...     print(cache.get("ab" * 32), cache.path("ab" * 32).parent.name)
            {'pair': [1, 2]} ab
        """
        self.claim()
        write_atomically(self.path(key), json.dumps(value, ensure_ascii=False))
        self.used.add(key)

    def prune(self, keep: Collection[str] = (), *, written_before: float | None = None) -> int:
        """Delete the entries not in :attr:`used` nor in ``keep``: what no run needs any more.

        Only a folder the cache owns (marked: see :meth:`claim`) is pruned, and only files shaped like
        entries are ever touched: ``<2 hex digits>/<64 hex digits>.json`` whose name starts with its
        folder's. Other files, and the (possibly empty) sub-folders, stay.

        Args:
            keep: more keys to keep: those other users of a shared cache still need (another site's).
            written_before: delete only entries last written before this time (``time.time()``, seconds):
                the start of the run, so that entries another run sharing the cache wrote meanwhile stay.

        Returns:
            How many entries were deleted.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     cache = ContentCache(Path(folder))
            ...     cache.put("ab" * 32, "kept")
            ...     cache.put("cd" * 32, "dropped")
            ...     cache.used = {"ab" * 32}
            ...     print(cache.prune(), cache.get("ab" * 32), cache.get("cd" * 32))
            1 kept None
        """
        if not (self.folder / MARKER).is_file():
            return 0  # never ours to delete from
        removed, keep = 0, frozenset(keep)
        for path in self.folder.glob("[0-9a-f][0-9a-f]/*.json"):
            if _is_entry(path, path.parent.name) and path.stem not in self.used and path.stem not in keep:
                if written_before is not None and _written_since(path, written_before):
                    continue
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _stranger_in(folder: Path, depth: int) -> str | None:
    """The first file or folder in ``folder`` not shaped like a cache's (see :meth:`ContentCache.claim`);
    ``depth`` more levels of caches nested in it (the plugin's analyses, in ``analysis/``) are looked into."""
    for child in folder.iterdir():
        name = child.name
        if child.is_dir() and not child.is_symlink():
            if (child / MARKER).is_file() or (name == "sites" and _all(child, _is_index)):
                continue
            if len(name) == 2 and set(name) <= _HEX and _all(child, functools.partial(_is_entry, folder=name)):
                continue
            if depth > 0 and _stranger_in(child, depth - 1) is None:
                continue
        elif child.is_file() and (name in (MARKER, "index.json") or _is_partial(name)):
            continue
        return name
    return None


def _written_since(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime >= moment
    except OSError:  # gone already
        return True


def _is_entry(path: Path, folder: str) -> bool:
    """Whether ``path`` is named like an entry of the sub-folder ``folder``: ``<64 hex digits>.json``."""
    stem = path.stem
    return (
        path.suffix == ".json" and len(stem) == 64 and stem.startswith(folder) and set(stem) <= _HEX
    ) or _is_partial(path.name)


def _is_index(path: Path) -> bool:
    return path.suffix == ".json" or _is_partial(path.name)


def _is_partial(name: str) -> bool:
    """A file :func:`~codescribe.engine.atomic.write_atomically` was writing when its process was killed."""
    return name.startswith(".") and name.endswith(".partial")


def _all(folder: Path, test: Callable[[Path], bool]) -> bool:
    return all(child.is_file() and test(child) for child in folder.iterdir())
