"""What a run spent, from its store: the systems' calls, the judges' calls, and the calls outside the
records (failed attempts since replaced, calls cut by a kill)."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .store import RunStore, was_billed

__all__ = ["Spending", "run_spending"]


@dataclass(frozen=True)
class Spending:
    """A run's spending, in USD, at the price table's prices.

    Attributes:
        systems_usd: the billed calls of the systems under test (answers, and failures that may have been billed).
        judges_usd: the rubric and pairwise judges' billed calls.
        lost_usd: failed attempts since replaced by a resumed run, attempts of unknown cost that were
            retried (time-outs), and calls in flight when a run was killed, at their worst case
            (:meth:`~codescribe.evals.store.RunStore.lost`).
        unknown: billed calls whose cost is unknown (no price, no token counts; calls of a model
            without a price that a kill cut), which the totals leave out.
        charged_usd: what the budget charged for those of them it knew a worst case for (their
            worst case, in the records' ``charged_usd`` and ``judge_charged_usd``).
    """

    systems_usd: float
    judges_usd: float
    lost_usd: float
    unknown: int
    charged_usd: float = 0.0

    @property
    def total_usd(self) -> float:
        """Everything known to be spent.

        Returns:
            The sum of the three parts, in USD.

        Examples:
            >>> Spending(0.01, 0.002, 0.25, 0).total_usd
            0.262
        """
        return self.systems_usd + self.judges_usd + self.lost_usd

    def describe(self) -> str:
        """One line for a report.

        Returns:
            The total and its parts, and how many billed calls' costs are unknown.

        Examples:
            >>> Spending(0.0123, 0.002, 0.0, 0).describe()
            'Spent $0.0143: $0.0123 by the systems, $0.0020 by the judges.'
            >>> print(Spending(0.01, 0.0, 0.004, 2).describe())  # doctest: +NORMALIZE_WHITESPACE
            Spent at least $0.0140: $0.0100 by the systems, $0.0040 by earlier attempts and cut calls; 2 billed calls
            have no known cost.
        """
        parts = [f"${self.systems_usd:.4f} by the systems"]
        if self.judges_usd:
            parts.append(f"${self.judges_usd:.4f} by the judges")
        if self.lost_usd:
            parts.append(f"${self.lost_usd:.4f} by earlier attempts and cut calls")
        line = f"Spent {'at least ' if self.unknown else ''}${self.total_usd:.4f}: {', '.join(parts)}"
        if self.unknown:
            line += f"; {self.unknown} billed call{'s have' if self.unknown != 1 else ' has'} no known cost"
            if self.charged_usd:
                line += f" (charged ${self.charged_usd:.4f} at their worst case)"
        return line + "."


def run_spending(run_dir: str | Path) -> Spending:
    """What the run in ``run_dir`` spent, read from its store (read-only).

    Args:
        run_dir: the run's folder (``runs/<run_id>``); a folder without a store spent nothing.

    Returns:
        The run's :class:`Spending`.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> store = RunStore(Path(folder.name) / "smoke-1")
        >>> store.start({"run_id": "smoke-1"})
        >>> answer = {"sample_id": "a|readme|x.py|0", "status": "ok", "cost_usd": 0.01, "judge_cost_usd": 0.002}
        >>> store.finish(answer, None)
        >>> store.finish({"sample_id": "a|readme|y.py|0", "status": "error", "billed": True, "cost_usd": None}, None)
        >>> store.finish({"sample_id": "a|readme|z.py|0", "status": "error", "billed": False}, None)
        >>> store.close()
        >>> run_spending(Path(folder.name) / "smoke-1")
        Spending(systems_usd=0.01, judges_usd=0.002, lost_usd=0.0, unknown=1, charged_usd=0.0)
        >>> folder.cleanup()
    """
    with closing(RunStore(Path(run_dir), read_only=True)) as store:
        records, verdicts, lost, unpriced = store.records(), store.verdicts(), store.lost(), store.lost_unpriced()
    billed = [record for record in records if was_billed(record)]
    systems = [record.get("cost_usd") for record in billed]
    judges = [row["judge_cost_usd"] for row in [*records, *verdicts] if "judge_cost_usd" in row]
    unknown = sum(cost is None for cost in [*systems, *judges]) + unpriced
    charged = [r.get("charged_usd") for r in billed if r.get("cost_usd") is None]
    charged += [r.get("judge_charged_usd") for r in records if "judge_cost_usd" in r and r["judge_cost_usd"] is None]
    return Spending(_known(systems), _known(judges), lost, unknown, _known(charged))


def _known(costs: list[float | None]) -> float:
    return float(sum(cost for cost in costs if cost is not None))
