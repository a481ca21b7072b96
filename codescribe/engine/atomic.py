"""Writing a file whole or not at all: what every part of CodeScribe that writes to disk uses."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, even if the process is killed mid-write."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")  # processes may write the same file
    try:
        partial.write_text(text, encoding="utf-8")
    except FileNotFoundError:  # the first file of its folder
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
