"""The checks ``codescribe eval report`` turns into exit code 1: a quality floor and a baseline run.

A gate holds only on what it can see: a system with a sample that did not finish (an error, over
budget) fails it, since its mean is over the samples that did; and a baseline is compared on the samples
both runs finished (same system, doc type, file and repeat), so that another corpus or another doc type
is never read as a drop.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SAMPLE", "quality_gates"]

#: The columns that name one sample across runs.
SAMPLE = ["system", "doc_type", "file", "repeat"]


def quality_gates(
    frame: pd.DataFrame,
    *,
    fail_under: float | None = None,
    baseline: pd.DataFrame | None = None,
    tolerance: float = 2.0,
) -> list[str]:
    """Why the run fails its gates, one line per fault; empty when it passes (or no gate is asked).

    Args:
        frame: the run's samples (:func:`~codescribe.evals.reporting.load_results`).
        fail_under: the lowest mean quality (0-100 points) a system may have; ``None``: no floor.
        baseline: an earlier run's samples; each system's mean quality on the samples both runs
            finished may drop at most ``tolerance`` points from the baseline's on the same samples.
        tolerance: quality points a system may lose against ``baseline``.

    Returns:
        Lines such as ``"gpt: quality 61.2 < 70"``, ``"gpt: 1 of 3 samples did not finish"`` (with
        what they ended in) or ``"gpt: quality 70.1 fell from 78.4 on 12 samples both runs finished"``.

    Examples:
        >>> import pandas as pd
        >>> run = pd.DataFrame({"system": ["a", "a"], "doc_type": ["readme"] * 2, "file": ["x.py", "y.py"],
        ...                     "repeat": [0, 0], "status": ["ok", "error"], "quality": [80.0, None],
        ...                     "error_type": [None, "TIMEOUT"]})
        >>> [line.partition(" (")[0] for line in quality_gates(run, fail_under=70)]
        ['a: 1 of 2 samples did not finish']
        >>> quality_gates(run, baseline=run.assign(quality=[90.0, None]))[1]
        'a: quality 80.0 fell from 90.0 on 1 sample both runs finished'
    """
    if fail_under is None and baseline is None:
        return []
    failed = _unfinished(frame)
    ok = frame[frame["status"] == "ok"]
    if fail_under is not None:
        for system in sorted(frame["system"].unique()):
            quality = ok.loc[ok["system"] == system, "quality"].astype(float).mean()
            if not math.isnan(quality) and quality < fail_under:  # no quality at all: named as unfinished
                failed.append(f"{system}: quality {quality:.1f} < {fail_under:g}")
    if baseline is not None:
        failed += _against(ok, set(frame["system"]), baseline, tolerance)
    return failed


def _unfinished(frame: pd.DataFrame) -> list[str]:
    lines = []
    for system, rows in frame.groupby("system", sort=True):
        missed = rows[rows["status"] != "ok"]
        if len(missed):
            kinds = missed["error_type"].fillna(missed["status"]).value_counts()
            ended = ", ".join(f"{kind} ×{count}" for kind, count in kinds.items())
            if len(missed) == len(rows):
                lines.append(f"{system}: none of its {len(rows)} samples finished ({ended}), so it has no quality")
            else:
                lines.append(f"{system}: {len(missed)} of {len(rows)} samples did not finish ({ended})")
    return lines


def _against(ok: pd.DataFrame, systems: set[str], baseline: pd.DataFrame, tolerance: float) -> list[str]:
    before = baseline[baseline["status"] == "ok"] if not baseline.empty else baseline
    if before.empty:
        return ["the baseline has no finished sample to compare with: choose a baseline run that succeeded"]
    failed = []
    for system in sorted(set(before["system"])):
        if system not in systems:
            failed.append(f"{system}: in the baseline, not in this run")
            continue
        now_rows, was_rows = ok[ok["system"] == system], before[before["system"] == system]
        if now_rows.empty and not was_rows.empty:
            failed.append(f"{system}: no sample succeeded, so no quality (it was {was_rows['quality'].mean():.1f})")
            continue
        shared = now_rows.merge(was_rows, on=SAMPLE, suffixes=("", "_baseline"))
        if shared.empty:
            failed.append(f"{system}: no finished sample in common with the baseline (another corpus or doc type?)")
            continue
        now, was = shared["quality"].astype(float).mean(), shared["quality_baseline"].astype(float).mean()
        if now < was - tolerance:
            count = f"{len(shared)} sample{'s' if len(shared) != 1 else ''}"
            failed.append(f"{system}: quality {now:.1f} fell from {was:.1f} on {count} both runs finished")
    return failed
