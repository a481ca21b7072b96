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
        write_atomically(self.path(key), json.dumps(value, ensure_ascii=False))
        self.used.add(key)

    def prune(self) -> int:
        """Delete the entries not in :attr:`used`: what a run no longer needs.

        Only files shaped like entries are ever touched: ``<2 hex digits>/<64 characters>.json`` whose
        name starts with its folder's. Other files, and the (possibly empty) sub-folders, stay.

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
        removed = 0
        for path in self.folder.glob("[0-9a-f][0-9a-f]/*.json"):
            if len(path.stem) == 64 and path.stem.startswith(path.parent.name) and path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
