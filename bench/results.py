"""What every benchmark here shares: the machine's description, and its section of RESULTS.md."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

__all__ = ["RESULTS", "machine", "progress", "publish", "replace_section"]

RESULTS = Path(__file__).resolve().with_name("RESULTS.md")


def machine() -> str:
    """``Linux 6.x, <CPU model>, N cores``."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores"


def replace_section(document: str, heading: str, text: str) -> str:
    """``document`` with its section headed ``heading`` replaced by ``text`` (appended if absent).

    The section runs to the next line starting with ``# `` or ``## ``, or to the end of the file;
    the rest of the document is kept byte for byte.
    """
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        if not document.strip():
            return text
        return document + ("" if document.endswith("\n") else "\n") + "\n" + text
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("# ", "## "))), len(lines))
    after = "".join(lines[end:])
    return "".join(lines[:start]) + text + ("\n" + after if after else "")


def progress(message: str) -> None:
    """A line of progress, on standard error (the report goes to standard output)."""
    print(message, file=sys.stderr, flush=True)


def publish(path: Path, heading: str, text: str, extra: str = "") -> None:
    """Put ``text`` in ``path`` as its section headed ``heading`` (see :func:`replace_section`), and
    print it, followed by ``extra`` (a profile listing, say) when there is one."""
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(replace_section(previous, heading, text), encoding="utf-8")
    print(text)
    if extra:
        print(extra)
    progress(f"Updated the section {heading!r} of {path}")
