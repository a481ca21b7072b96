"""The progress bar of long jobs (a folder, a suite, the judge's pairs): tqdm, on a terminal only."""

from __future__ import annotations

from typing import Any

__all__ = ["progress_bar"]


def progress_bar(total: int, enabled: bool, *, unit: str, desc: str) -> Any:
    """A tqdm bar over ``total`` steps, or ``None`` when not ``enabled`` or there is nothing to do.

    The bar writes to standard error and is cleared when closed (``leave=False``); tqdm is imported
    only when a bar is made. Callers pass ``enabled=sys.stderr.isatty()`` (the CLI does), and
    update and close the bar when there is one.

    Args:
        total: how many steps the job has.
        enabled: whether to show a bar at all.
        unit: what one step is, shown after the counts (``"doc"``, ``"pair"`` ...).
        desc: the label before the bar (``"documenting"`` ...).

    Returns:
        A ``tqdm.tqdm`` bar, or ``None`` when ``enabled`` is false or ``total`` is 0.

    Examples:
        >>> progress_bar(10, False, unit="doc", desc="documenting") is None
        True
        >>> progress_bar(0, True, unit="doc", desc="documenting") is None
        True
        >>> bar = progress_bar(3, True, unit="doc", desc="documenting")
        >>> bar.total
        3
        >>> bar.close()
    """
    if not enabled or total == 0:
        return None
    from tqdm import tqdm  # imported only when a bar is shown

    return tqdm(total=total, unit=unit, desc=desc, leave=False)
