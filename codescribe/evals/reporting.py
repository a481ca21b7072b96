"""Reports on a run: pandas tables, paired comparisons, Markdown and a self-contained HTML page.

pandas, scipy and matplotlib are imported only here, when a report is asked for. The statistics
are scipy's: ``scipy.stats.bootstrap`` (percentile intervals), ``permutation_test`` (paired
sign flips) and ``binomtest`` (the exact sign test), each with a fixed seed, so a report is the
same every time it is made.
"""

from __future__ import annotations

import base64
import io
import json
import math
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.atomic import write_atomically, write_bytes_atomically
from .spending import run_spending
from .store import DATABASE, RunStore, was_billed

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PairedComparison",
    "PairwiseVerdicts",
    "load_documents",
    "load_pairwise",
    "load_results",
    "paired_comparison",
    "pairwise_verdicts",
    "summarize",
    "write_report",
]

#: The columns the reports read; a run that lacks some (every sample failed, say) gets them empty.
REPORTED_COLUMNS = (
    "sample_id",
    "system",
    "status",
    "doc_type",
    "file",
    "repeat",
    "quality",
    "breakdown",
    "truthfulness",
    "completeness",
    "bleu",
    "judge_score",
    "latency_ms",
    "cost_usd",
    "cache_hit",
    "error_type",
)
BOOTSTRAP_SAMPLES = 2_000
SEED = 20261125


def load_results(run_dir: str | Path) -> pd.DataFrame:
    """Every sample of a run as one row (``breakdown`` as a dict column).

    Args:
        run_dir: the run's folder (``runs/<run_id>``), holding ``run.sqlite``; opened read-only.

    Returns:
        a DataFrame with one row per finished sample, in the order they finished, and a column per
        record field (see :meth:`~codescribe.evals.execute.SampleExecutor.run`; ``schema`` is the
        store's schema version). Every column of :data:`REPORTED_COLUMNS` is there, empty (NaN)
        where no record has it (a run whose samples all failed has no measures).

    Raises:
        FileNotFoundError: ``run_dir`` has no ``run.sqlite``.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> store = RunStore(Path(folder.name) / "smoke-1")
        >>> store.start({"run_id": "smoke-1"})
        >>> store.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80,
        ...               "breakdown": {"Overview": 20.0}}, "# x\\n")
        >>> store.finish({"sample_id": "b|readme|x.py|0", "system": "b", "status": "error",
        ...               "error_type": "TIMEOUT"}, None)
        >>> store.close()
        >>> frame = load_results(Path(folder.name) / "smoke-1")
        >>> frame["system"].tolist(), frame["status"].tolist(), frame["breakdown"][0]
        (['a', 'b'], ['ok', 'error'], {'Overview': 20.0})
        >>> folder.cleanup()
    """
    import pandas as pd

    with closing(_store(run_dir)) as store:
        frame = pd.DataFrame.from_records(store.records())
    missing = [column for column in REPORTED_COLUMNS if column not in frame.columns]
    return frame.reindex(columns=[*frame.columns, *missing])  # a run whose samples all failed has no measures


def _store(run_dir: str | Path) -> RunStore:
    store = RunStore(Path(run_dir), read_only=True)
    if not store.exists():
        raise FileNotFoundError(f"{run_dir}: no {DATABASE}; is this a run folder (runs/<run_id>)?")
    return store


def _bootstrap_ci(values: list[float]) -> tuple[float, float]:
    """The 95% percentile bootstrap interval of the mean of ``values`` (NaN for fewer than two)."""
    if len(values) < 2:
        return (float("nan"), float("nan"))
    if len(set(values)) == 1:  # every resample has the same mean
        return (values[0], values[0])
    import numpy as np
    from scipy import stats

    result = stats.bootstrap(
        (np.asarray(values),),
        np.mean,
        n_resamples=BOOTSTRAP_SAMPLES,
        method="percentile",
        confidence_level=0.95,
        rng=np.random.default_rng(SEED),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def summarize(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per system: quality with a bootstrap 95% interval, latency, cost, cache hits, errors.

    The measures are over the system's ``ok`` samples. The interval of the mean quality is
    scipy's percentile bootstrap (``scipy.stats.bootstrap``, 2,000 resamples, seeded: see the
    module docstring); NaN with fewer than two ``ok`` samples.

    Args:
        frame: the samples, as :func:`load_results` gives them.

    Returns:
        a DataFrame with one row per system, sorted by name, and the columns ``system``,
        ``samples`` (all the system's samples), ``ok``, ``error_rate`` (the share not ``ok``:
        errors and over-budget samples alike), ``quality_mean``, ``quality_ci_low``,
        ``quality_ci_high`` (0-100 quality points), ``truthfulness``, ``completeness`` and ``bleu``
        (means, 0-1), ``judge_score`` (mean, 1-5), ``latency_p50_ms``, ``latency_p95_ms`` (median
        and 95th percentile, milliseconds),
        ``spent_usd`` (what the system's billed calls cost, failed ones included: see
        :func:`~codescribe.evals.store.was_billed`), ``cost_per_doc_usd`` (``spent_usd`` over the
        ``ok`` samples), ``cost_per_1000_docs_usd`` (USD; each NaN unless every billed call's cost is
        known) and ``cache_hit_rate`` (the share of ``ok`` samples that read the provider's prompt
        cache). A measure no sample has is NaN. An empty ``frame`` gives an empty DataFrame
        without columns.

    Raises:
        KeyError: ``frame`` lacks a column it reads (``system``, ``status``, ``quality``,
            ``truthfulness``, ``completeness``, ``latency_ms``, ``cache_hit``); :func:`load_results`
            always has them.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "system": ["a", "a", "b"], "status": ["ok", "ok", "error"], "quality": [80, 90, None],
        ...     "truthfulness": [1.0, 0.9, None], "completeness": [1.0, 1.0, None],
        ...     "latency_ms": [120.0, 180.0, None], "cost_usd": [0.002, 0.004, None], "cache_hit": [False, True, None],
        ... })
        >>> summary = summarize(frame)
        >>> columns = ["system", "samples", "ok", "error_rate", "quality_mean", "latency_p50_ms", "cost_per_doc_usd"]
        >>> print(summary[columns].to_string())
          system  samples  ok  error_rate  quality_mean  latency_p50_ms  cost_per_doc_usd
        0      a        2   2         0.0          85.0           150.0             0.003
        1      b        1   0         1.0           NaN             NaN               NaN
    """
    import pandas as pd

    rows = []
    for system, group in frame.groupby("system", sort=True):
        ok = group[group["status"] == "ok"]
        quality = [float(q) for q in ok["quality"]]
        low, high = _bootstrap_ci(quality)
        billed = group[group.apply(was_billed, axis=1)] if len(group) else group
        costs = billed["cost_usd"] if "cost_usd" in billed else pd.Series([float("nan")] * len(billed))
        spent = float(costs.sum()) if costs.notna().all() else float("nan")
        per_doc = spent / len(ok) if len(ok) else float("nan")
        rows.append(
            {
                "system": system,
                "samples": len(group),
                "ok": len(ok),
                "error_rate": 1 - len(ok) / len(group) if len(group) else float("nan"),
                "quality_mean": sum(quality) / len(quality) if quality else float("nan"),
                "quality_ci_low": low,
                "quality_ci_high": high,
                "truthfulness": ok["truthfulness"].mean() if len(ok) else float("nan"),
                "completeness": ok["completeness"].mean() if len(ok) else float("nan"),
                "bleu": ok["bleu"].mean() if "bleu" in ok else float("nan"),  # the mean skips the missing
                "judge_score": ok["judge_score"].mean() if "judge_score" in ok else float("nan"),
                "latency_p50_ms": ok["latency_ms"].quantile(0.5) if len(ok) else float("nan"),
                "latency_p95_ms": ok["latency_ms"].quantile(0.95) if len(ok) else float("nan"),
                "spent_usd": spent,
                "cost_per_doc_usd": per_doc,
                "cost_per_1000_docs_usd": per_doc * 1000,
                "cache_hit_rate": ok["cache_hit"].mean() if len(ok) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PairedComparison:
    """System ``b`` minus system ``a`` on the samples both finished, as :func:`paired_comparison` makes it.

    Attributes:
        a: the baseline system's name.
        b: the compared system's name.
        pairs: how many samples (doc type, file, repeat) both finished ``ok`` with the metric known.
        mean_difference: the mean of ``b - a`` over those samples, in the metric's units (quality
            points, 0-100, for ``quality``); NaN without pairs.
        ci_low: the low end of its 95% percentile bootstrap interval; NaN without pairs or with one.
        ci_high: the high end of that interval.
        p_value: the two-sided p-value of a paired permutation (sign-flip) test; NaN without pairs.
        metric: the column compared (``quality`` by default).
    """

    a: str
    b: str
    pairs: int
    mean_difference: float
    ci_low: float
    ci_high: float
    p_value: float
    metric: str = "quality"

    def describe(self) -> str:
        """One line for a report: the mean difference, its interval and the p-value.

        Returns:
            a sentence naming the metric compared ("quality points" for ``quality``).

        Examples:
            >>> PairedComparison("a", "b", 12, 4.25, 1.5, 7.0, 0.012).describe()
            'b - a: +4.2 quality points over 12 paired samples (95% CI +1.5 to +7.0; paired permutation p = 0.012)'
            >>> nan = float("nan")
            >>> PairedComparison("a", "b", 0, nan, nan, nan, nan).describe()
            'b - a: no sample finished under both, so there is nothing to compare'
        """
        if self.pairs == 0:
            return f"{self.b} - {self.a}: no sample finished under both, so there is nothing to compare"
        interval = f"95% CI {self.ci_low:+.1f} to {self.ci_high:+.1f}"
        units = "quality points" if self.metric == "quality" else self.metric
        return (
            f"{self.b} - {self.a}: {self.mean_difference:+.1f} {units} over {self.pairs} paired samples "
            f"({interval}; paired permutation p = {self.p_value:.3f})"
        )


def paired_comparison(frame: pd.DataFrame, a: str, b: str, metric: str = "quality") -> PairedComparison:
    """Bootstrap interval and a sign-flip permutation test on per-sample differences.

    Samples are paired on (``doc_type``, ``file``, ``repeat``); only ``ok`` samples with the metric
    known on both sides count. The interval is scipy's 95% percentile bootstrap of the mean
    difference (``scipy.stats.bootstrap``); the p-value is scipy's two-sided paired permutation
    test (``scipy.stats.permutation_test`` with ``permutation_type="samples"``, which flips the
    signs of the differences), exact when 2**pairs is at most 2,000, else from 2,000 seeded
    resamples. Differences that are all zero give a p-value of 1.

    Args:
        frame: the samples, as :func:`load_results` gives them.
        a: the baseline system's name.
        b: the system compared with it.
        metric: the numeric column to compare (default ``quality``, 0-100 points).

    Returns:
        a :class:`PairedComparison` of ``b - a``; with no pair, ``pairs`` is 0 and the numbers NaN.

    Raises:
        KeyError: ``frame`` lacks ``status``, ``system``, ``doc_type``, ``file``, ``repeat`` or
            ``metric``.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "system": ["a", "a", "a", "b", "b", "b"], "status": ["ok"] * 6, "doc_type": ["readme"] * 6,
        ...     "file": ["x.py", "y.py", "z.py"] * 2, "repeat": [0] * 6, "quality": [70, 80, 75, 80, 90, 84],
        ... })
        >>> comparison = paired_comparison(frame, "a", "b")
        >>> comparison.pairs, round(comparison.mean_difference, 2), comparison.p_value
        (3, 9.67, 0.25)
        >>> one = paired_comparison(frame[frame["file"] == "x.py"], "a", "b")
        >>> one.pairs, one.mean_difference, one.p_value
        (1, 10.0, 1.0)
    """
    keys = ["doc_type", "file", "repeat"]
    ok = frame[frame["status"] == "ok"]
    left = ok[ok["system"] == a].set_index(keys)[metric]
    right = ok[ok["system"] == b].set_index(keys)[metric]
    joined = left.to_frame("a").join(right.to_frame("b"), how="inner").dropna()
    differences = [float(x) for x in (joined["b"] - joined["a"])]
    if not differences:
        return PairedComparison(a, b, 0, float("nan"), float("nan"), float("nan"), float("nan"), metric)
    mean = sum(differences) / len(differences)
    low, high = _bootstrap_ci(differences)
    return PairedComparison(a, b, len(differences), mean, low, high, _sign_flip_p_value(differences), metric)


def _sign_flip_p_value(differences: list[float]) -> float:
    """Two-sided p-value of a paired permutation test: the mean difference against random sign flips.

    One difference has two sign flips, ``d`` and ``-d``, both as far from zero: the exact p-value is 1
    (scipy asks for at least two observations)."""
    if not any(differences) or len(differences) < 2:
        return 1.0
    import numpy as np
    from scipy import stats

    result = stats.permutation_test(
        (np.asarray(differences),),
        np.mean,
        permutation_type="samples",
        n_resamples=BOOTSTRAP_SAMPLES,
        alternative="two-sided",
        rng=np.random.default_rng(SEED),
    )
    return float(result.pvalue)


def load_documents(run_dir: str | Path) -> dict[str, str]:
    """Every kept document of a run, by sample id (``keep_documents: true``, the default).

    Args:
        run_dir: the run's folder (``runs/<run_id>``), holding ``run.sqlite``; opened read-only.

    Returns:
        a dict from sample id to the generated document's text.

    Raises:
        FileNotFoundError: ``run_dir`` has no ``run.sqlite``.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> store = RunStore(Path(folder.name) / "smoke-1")
        >>> store.start({"run_id": "smoke-1"})
        >>> store.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80,
        ...               "breakdown": {"Overview": 20.0}}, "# x\\n")
        >>> store.finish({"sample_id": "b|readme|x.py|0", "system": "b", "status": "error",
        ...               "error_type": "TIMEOUT"}, None)
        >>> store.close()
        >>> load_documents(Path(folder.name) / "smoke-1")
        {'a|readme|x.py|0': '# x\\n'}
        >>> folder.cleanup()
    """
    with closing(_store(run_dir)) as store:
        return store.documents()


def load_pairwise(run_dir: str | Path) -> pd.DataFrame | None:
    """The pairwise judge's verdicts of a run, one row per pair; ``None`` if it judged none.

    Args:
        run_dir: the run's folder (``runs/<run_id>``), holding ``run.sqlite``; opened read-only.

    Returns:
        a DataFrame with one row per judged pair, in the order they were judged, and the columns
        of a verdict (``pair_id``, ``system_a``, ``system_b``, ``doc_type``, ``file``, ``repeat``,
        ``shown_first``, ``choice``, ``winner``, ``judge_cost_usd`` in USD, ``judge_error`` ...);
        ``None`` when the run has no verdict.

    Raises:
        FileNotFoundError: ``run_dir`` has no ``run.sqlite``.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> store = RunStore(Path(folder.name) / "smoke-1")
        >>> store.start({"run_id": "smoke-1"})
        >>> store.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80,
        ...               "breakdown": {"Overview": 20.0}}, "# x\\n")
        >>> store.finish({"sample_id": "b|readme|x.py|0", "system": "b", "status": "error",
        ...               "error_type": "TIMEOUT"}, None)
        >>> store.close()
        >>> load_pairwise(Path(folder.name) / "smoke-1") is None
        True
        >>> folder.cleanup()
    """
    import pandas as pd

    with closing(_store(run_dir)) as store:
        rows = store.verdicts()
    return pd.DataFrame.from_records(rows) if rows else None


@dataclass(frozen=True)
class PairwiseVerdicts:
    """What the pairwise judge decided between systems ``a`` and ``b``, as :func:`pairwise_verdicts` makes it.

    Attributes:
        a: the system listed first in the suite.
        b: the other system.
        judged: pairs the judge decided: ``a_wins + b_wins + ties``.
        a_wins: pairs ``a`` won.
        b_wins: pairs ``b`` won.
        ties: pairs judged a tie.
        failed: pairs without a verdict (a failed call, the budget, an unparsed answer).
        p_value: the two-sided exact sign test on the decided pairs (ties left out); NaN when none.
        first_shown_won: the share (0-1) of decided pairs won by the document shown first; NaN
            when none.
    """

    a: str
    b: str
    judged: int
    a_wins: int
    b_wins: int
    ties: int
    failed: int
    p_value: float  # two-sided exact sign test on the decided pairs
    first_shown_won: float  # share of decided pairs won by the document shown first

    @property
    def a_win_rate(self) -> float:
        """``a``'s wins over the judged pairs, a tie counting half.

        Returns:
            ``(a_wins + ties / 2) / judged``, from 0 to 1; NaN when no pair was judged.

        Examples:
            >>> PairwiseVerdicts("a", "b", 10, 6, 2, 2, 0, 0.289, 0.5).a_win_rate
            0.7
        """
        return (self.a_wins + self.ties / 2) / self.judged if self.judged else float("nan")

    def describe(self) -> str:
        """One line for a report: wins, ties, the win rate, the sign test and the first-position share.

        Returns:
            a sentence, ending with how many pairs were not judged when some were not.

        Examples:
            >>> PairwiseVerdicts("a", "b", 10, 6, 2, 2, 1, 0.289, 0.5).describe()  # doctest: +NORMALIZE_WHITESPACE
            'a vs b: a won 6, b won 2, 2 ties of 10 pairs (a win rate 70%, ties half; sign test p = 0.289);
            the document shown first won 50% of decided pairs; 1 not judged'
            >>> nan = float("nan")
            >>> PairwiseVerdicts("a", "b", 0, 0, 0, 0, 3, nan, nan).describe()
            'a vs b: no pair judged (3 failed)'
        """
        if not self.judged:
            return f"{self.a} vs {self.b}: no pair judged ({self.failed} failed)"
        return (
            f"{self.a} vs {self.b}: {self.a} won {self.a_wins}, {self.b} won {self.b_wins}, {self.ties} ties "
            f"of {self.judged} pairs ({self.a} win rate {self.a_win_rate:.0%}, ties half; sign test "
            f"p = {self.p_value:.3f}); the document shown first won {self.first_shown_won:.0%} of decided "
            f"pairs{f'; {self.failed} not judged' if self.failed else ''}"
        )


def _sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test (a binomial test at one half) on the decided pairs."""
    if not wins + losses:
        return float("nan")
    from scipy import stats

    return float(stats.binomtest(wins, wins + losses, 0.5).pvalue)


def pairwise_verdicts(frame: pd.DataFrame) -> list[PairwiseVerdicts]:
    """Wins, ties, a sign test and the judge's first-position bias, per pair of systems.

    The sign test is scipy's exact binomial test at one half (``scipy.stats.binomtest``,
    two-sided) on ``a``'s wins against ``b``'s, ties left out. A verdict whose ``winner`` is
    missing counts as failed.

    Args:
        frame: the verdicts, as :func:`load_pairwise` gives them: at least the columns
            ``system_a``, ``system_b``, ``winner`` (a system's name, ``"tie"``, or empty) and
            ``shown_first``.

    Returns:
        a list with one :class:`PairwiseVerdicts` per (``system_a``, ``system_b``), in the order
        the pairs first appear in ``frame``.

    Raises:
        KeyError: ``frame`` lacks one of those columns.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "system_a": ["a"] * 6, "system_b": ["b"] * 6,
        ...     "winner": ["a", "a", "a", "a", "a", None], "shown_first": ["a", "b", "a", "b", "a", "a"],
        ... })
        >>> [verdicts] = pairwise_verdicts(frame)
        >>> verdicts.judged, verdicts.a_wins, verdicts.failed, verdicts.p_value, verdicts.first_shown_won
        (5, 5, 1, 0.0625, 0.6)
    """
    found = []
    for (a, b), group in frame.groupby(["system_a", "system_b"], sort=False):
        winners = group["winner"]
        a_wins, b_wins = int((winners == a).sum()), int((winners == b).sum())
        ties = int((winners == "tie").sum())
        decided = group[winners.isin([a, b])]
        first = float((decided["winner"] == decided["shown_first"]).mean()) if len(decided) else float("nan")
        found.append(
            PairwiseVerdicts(
                str(a),
                str(b),
                a_wins + b_wins + ties,
                a_wins,
                b_wins,
                ties,
                int(winners.isna().sum()),
                _sign_test(a_wins, b_wins),
                first,
            )
        )
    return found


def _number(value: float) -> str:
    """A number to three significant digits, written out (``19200``, ``0.0000123``: never ``1.92e+04``);
    one that could not be measured (NaN) as a dash."""
    import numpy as np

    if math.isnan(value):
        return "—"
    return np.format_float_positional(value, precision=3, unique=False, fractional=False, trim="-")


def _nothing_finished(run_dir: Path) -> str:
    """The report's line for a run of which no sample has finished (stopped at once, or still starting)."""
    return (
        f"- No sample of this run has finished, so there is nothing to report yet. Resume it with "
        f"`codescribe eval run <suite> --run-id {run_dir.name}`: finished samples are kept, the rest run."
    )


def _failures(frame: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    """A line for each system of which no sample succeeded, with what its samples ended in."""
    lines = []
    for system in summary.loc[summary["ok"] == 0, "system"]:
        rows = frame[frame["system"] == system]
        kinds = rows["error_type"].fillna(rows["status"]).value_counts()
        ended = ", ".join(f"{kind} ×{count}" for kind, count in kinds.items())
        lines.append(f"- `{system}`: no sample succeeded ({len(rows)} of {len(rows)}: {ended}); no quality to report.")
    return lines


def _markdown_table(frame: pd.DataFrame) -> str:
    columns = list(frame.columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        cells = [_number(value) if isinstance(value, float) else str(value) for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _charts(frame: pd.DataFrame, summary: pd.DataFrame) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = []
    figure, axes = plt.subplots(figsize=(6, 4))
    for _, row in summary.iterrows():
        cost = row["cost_per_doc_usd"] if row["cost_per_doc_usd"] == row["cost_per_doc_usd"] else 0.0
        axes.scatter([cost], [row["quality_mean"]], s=60)
        axes.annotate(str(row["system"]), (cost, row["quality_mean"]), textcoords="offset points", xytext=(5, 5))
    axes.set_xlabel("cost per document (USD)")
    axes.set_ylabel("mean quality (0-100)")
    axes.set_title("Quality vs cost")
    charts.append(("Quality vs cost", _png(figure)))
    ok = frame[frame["status"] == "ok"]
    systems = sorted(ok["system"].unique())
    if not systems:  # no sample finished: no latency to draw
        plt.close("all")
        return charts
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.boxplot([ok[ok["system"] == s]["latency_ms"].dropna() for s in systems], tick_labels=systems)
    axes.set_ylabel("latency (ms)")
    axes.set_title("Latency per document")
    charts.append(("Latency distribution", _png(figure)))
    plt.close("all")
    return charts


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def write_report(run_dir: str | Path, out: str | Path | None = None) -> dict[str, Path]:
    """Write ``results.csv``, ``results.parquet``, ``summary.md`` and ``report.html`` for a run.

    The CSV and Parquet files hold every sample (``breakdown`` as JSON text); the Markdown and the
    self-contained HTML page hold the :func:`summarize` table, what the run spent
    (:func:`~codescribe.evals.spending.run_spending`), the :func:`paired_comparison` of
    every system with the first one, the pairwise judge's :func:`pairwise_verdicts` when there
    are any, and (in HTML) charts of quality against cost and of latency. Files already there
    are overwritten.

    Args:
        run_dir: the run's folder (``runs/<run_id>``), holding ``run.sqlite``; opened read-only.
        out: the folder to write to, created if needed; ``None``: ``<run_dir>/report``.

    Returns:
        the paths written, by kind: ``csv``, ``parquet``, ``markdown`` and ``html``.

    Raises:
        FileNotFoundError: ``run_dir`` has no ``run.sqlite``.

    A run of which no sample has finished gets the same files: no rows, and a line saying so.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> store = RunStore(Path(folder.name) / "smoke-1")
        >>> store.start({"run_id": "smoke-1"})
        >>> store.finish({"sample_id": "a|readme|x.py|0", "system": "a", "status": "ok", "quality": 80,
        ...               "breakdown": {"Overview": 20.0}}, "# x\\n")
        >>> store.finish({"sample_id": "b|readme|x.py|0", "system": "b", "status": "error",
        ...               "error_type": "TIMEOUT"}, None)
        >>> store.close()
        >>> paths = write_report(Path(folder.name) / "smoke-1")
        >>> {kind: path.name for kind, path in paths.items()}
        {'csv': 'results.csv', 'parquet': 'results.parquet', 'markdown': 'summary.md', 'html': 'report.html'}
        >>> paths["markdown"].read_text().splitlines()[0]
        '# Run smoke-1'
        >>> folder.cleanup()
    """
    frame = load_results(run_dir)
    summary = summarize(frame)
    target = Path(out or Path(run_dir) / "report")
    target.mkdir(parents=True, exist_ok=True)
    flat = frame.assign(breakdown=frame["breakdown"].map(json.dumps) if "breakdown" in frame else None)
    paths = {
        "csv": target / "results.csv",
        "parquet": target / "results.parquet",
        "markdown": target / "summary.md",
        "html": target / "report.html",
    }
    # Each file is whole or not there: a report killed while it is written never leaves a cut CSV that parses.
    write_atomically(paths["csv"], flat.to_csv(index=False))
    write_bytes_atomically(paths["parquet"], flat.to_parquet(index=False))
    systems = list(summary["system"]) if "system" in summary else []
    comparisons = [paired_comparison(frame, systems[0], other) for other in systems[1:]]
    pairwise = load_pairwise(run_dir)
    verdicts = pairwise_verdicts(pairwise) if pairwise is not None else []
    failures = _failures(frame, summary) if systems else [_nothing_finished(Path(run_dir))]
    spent = run_spending(run_dir).describe()
    sections = [
        f"# Run {Path(run_dir).name}",
        *([_markdown_table(summary)] if systems else []),
        *(["\n".join(failures)] if failures else []),
        spent,
        "## Paired comparisons",
        "\n".join(f"- {c.describe()}" for c in comparisons)
        or ("- (one system only)" if systems else "- (none: no system has a finished sample)"),
    ]
    if verdicts:
        sections += ["## Pairwise judge", "\n".join(f"- {v.describe()}" for v in verdicts)]
    markdown = "\n\n".join(sections)
    write_atomically(paths["markdown"], markdown + "\n")
    rows = [[_cell(value) for value in record] for record in summary.itertuples(index=False)]
    html = _template().render(
        run=Path(run_dir).name,
        columns=list(summary.columns),
        rows=rows,
        comparisons=[c.describe() for c in comparisons],
        failures=[line.removeprefix("- ").replace("`", "") for line in failures],
        spent=spent,
        verdicts=[v.describe() for v in verdicts],
        charts=_charts(frame, summary) if systems else [],
    )
    write_atomically(paths["html"], html)
    return paths


def _template() -> Any:
    """The HTML report's template; autoescaped, so a system label or a file name is shown, never run."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return environment.get_template("report.html.j2")


def _cell(value: object) -> dict[str, object]:
    """A table cell: numbers to three significant digits (a dash for one not measured), right-aligned."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {"text": str(value), "number": False}
    return {"text": _number(float(value)), "number": True}
