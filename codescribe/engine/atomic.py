"""Writing a file whole or not at all: what every part of CodeScribe that writes to disk uses."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = ["write_atomically", "write_bytes_atomically"]


def write_atomically(path: Path, text: str, encoding: str = "utf-8") -> None:
    r"""Write ``text`` to ``path`` whole or not at all, even if the process is killed mid-write.

    The text goes first to a hidden sibling, ``.<name>.<process id>.partial`` (processes writing the
    same file each have their own), which :func:`os.replace` then renames over ``path`` in one step:
    readers see the old file or the new one, never half of either. Missing parent folders are
    created. A write that fails removes the ``.partial`` file (a kill -9 may leave it), and never
    leaves a half-written ``path``.
    A file replaced keeps its permission bits (an executable script stays executable); a symbolic
    link stays a link, and the file it points to is replaced.

    Args:
        path: the file to write; an existing file is replaced.
        text: the whole content.
        encoding: the encoding it is written in (a Python source's own, for a rewrite of it).

    Raises:
        OSError: the folder cannot be created, or the file cannot be written or replaced
            (``PermissionError``, ``IsADirectoryError`` when ``path`` is a folder, a full disk ...).
        UnicodeEncodeError: ``text`` has characters ``encoding`` cannot hold (nothing is written).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     target = Path(folder) / "docs" / "README.md"
        ...     write_atomically(target, "# Title\n")
        ...     print(repr(target.read_text(encoding="utf-8")), [p.name for p in target.parent.iterdir()])
        '# Title\n' ['README.md']
    """
    write_bytes_atomically(path, text.encode(encoding))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """:func:`write_atomically` for bytes (a Parquet file, say); a write that fails removes its
    ``.partial`` file.

    Args:
        path: the file to write; an existing file is replaced.
        data: the whole content.

    Raises:
        OSError: the folder cannot be created, or the file cannot be written or replaced; its
            ``filename`` is ``path`` (not the ``.partial`` file), its ``strerror`` the reason.
    """
    path = path.resolve() if path.is_symlink() else path  # a link stays a link: its target is rewritten
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")  # processes may write the same file
    try:
        try:
            partial.write_bytes(data)
        except FileNotFoundError:  # the first file of its folder
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
        with contextlib.suppress(FileNotFoundError):  # a new file keeps the umask's mode
            os.chmod(partial, stat.S_IMODE(path.stat().st_mode))  # an executable script stays executable
        os.replace(partial, path)
    except BaseException as failure:  # a full disk, a kill's KeyboardInterrupt: no half file is left behind either
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(failure, OSError) and failure.filename == str(partial):  # name the file the user asked for
            raise type(failure)(failure.errno, failure.strerror, str(path)) from failure
        raise
