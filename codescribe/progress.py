"""The progress bar of long jobs (a folder, a suite, the judge's pairs): tqdm, on a terminal only."""

from __future__ import annotations

from typing import Any

__all__ = ["progress_bar"]


def progress_bar(total: int, enabled: bool, *, unit: str, desc: str) -> Any:
    """A tqdm bar over ``total`` steps, or ``None`` when not ``enabled`` or there is nothing to do."""
    if not enabled or total == 0:
        return None
    from tqdm import tqdm  # imported only when a bar is shown

    return tqdm(total=total, unit=unit, desc=desc, leave=False)
