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

from .store import DATABASE, RunStore

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PairedComparison",
    "PairwiseVerdicts",
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
    """Every sample of a run as one row (``breakdown`` as a dict column)."""
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
    """One row per system: quality with a bootstrap 95% interval, latency, cost, cache hits, errors."""
    import pandas as pd

    rows = []
    for system, group in frame.groupby("system", sort=True):
        ok = group[group["status"] == "ok"]
        quality = [float(q) for q in ok["quality"]]
        low, high = _bootstrap_ci(quality)
        costs = ok["cost_usd"].dropna() if "cost_usd" in ok else pd.Series(dtype=float)
        cost_known = len(costs) == len(ok) and len(ok) > 0
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
                "bleu": ok["bleu"].dropna().mean() if "bleu" in ok and ok["bleu"].notna().any() else float("nan"),
                "judge_score": (
                    ok["judge_score"].dropna().mean()
                    if "judge_score" in ok and ok["judge_score"].notna().any()
                    else float("nan")
                ),
                "latency_p50_ms": ok["latency_ms"].quantile(0.5) if len(ok) else float("nan"),
                "latency_p95_ms": ok["latency_ms"].quantile(0.95) if len(ok) else float("nan"),
                "cost_per_doc_usd": costs.mean() if cost_known else float("nan"),
                "cost_per_1000_docs_usd": costs.mean() * 1000 if cost_known else float("nan"),
                "cache_hit_rate": ok["cache_hit"].mean() if len(ok) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PairedComparison:
    """System ``b`` minus system ``a`` on the samples both finished."""

    a: str
    b: str
    pairs: int
    mean_difference: float
    ci_low: float
    ci_high: float
    p_value: float

    def describe(self) -> str:
        if self.pairs == 0:
            return f"{self.b} - {self.a}: no sample finished under both, so there is nothing to compare"
        interval = f"95% CI {self.ci_low:+.1f} to {self.ci_high:+.1f}"
        return (
            f"{self.b} - {self.a}: {self.mean_difference:+.1f} quality points over {self.pairs} paired samples "
            f"({interval}; paired permutation p = {self.p_value:.3f})"
        )


def paired_comparison(frame: pd.DataFrame, a: str, b: str, metric: str = "quality") -> PairedComparison:
    """Bootstrap interval and a sign-flip permutation test on per-sample differences."""
    keys = ["doc_type", "file", "repeat"]
    ok = frame[frame["status"] == "ok"]
    left = ok[ok["system"] == a].set_index(keys)[metric]
    right = ok[ok["system"] == b].set_index(keys)[metric]
    joined = left.to_frame("a").join(right.to_frame("b"), how="inner").dropna()
    differences = [float(x) for x in (joined["b"] - joined["a"])]
    if not differences:
        return PairedComparison(a, b, 0, float("nan"), float("nan"), float("nan"), float("nan"))
    mean = sum(differences) / len(differences)
    low, high = _bootstrap_ci(differences)
    return PairedComparison(a, b, len(differences), mean, low, high, _sign_flip_p_value(differences))


def _sign_flip_p_value(differences: list[float]) -> float:
    """Two-sided p-value of a paired permutation test: the mean difference against random sign flips."""
    if not any(differences):
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
    """Every kept document of a run, by sample id (``keep_documents: true``, the default)."""
    with closing(_store(run_dir)) as store:
        return store.documents()


def load_pairwise(run_dir: str | Path) -> pd.DataFrame | None:
    """The pairwise judge's verdicts of a run, one row per pair; ``None`` if it judged none."""
    import pandas as pd

    with closing(_store(run_dir)) as store:
        rows = store.verdicts()
    return pd.DataFrame.from_records(rows) if rows else None


@dataclass(frozen=True)
class PairwiseVerdicts:
    """What the pairwise judge decided between systems ``a`` and ``b``."""

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
        """``a``'s wins over the judged pairs, a tie counting half."""
        return (self.a_wins + self.ties / 2) / self.judged if self.judged else float("nan")

    def describe(self) -> str:
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
    """Wins, ties, a sign test and the judge's first-position bias, per pair of systems."""
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


def _markdown_table(frame: pd.DataFrame) -> str:
    columns = list(frame.columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        cells = [f"{value:.3g}" if isinstance(value, float) else str(value) for value in row]
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
    """Write ``results.csv``, ``results.parquet``, ``summary.md`` and ``report.html`` for a run."""
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
    flat.to_csv(paths["csv"], index=False)
    flat.to_parquet(paths["parquet"], index=False)
    systems = list(summary["system"])
    comparisons = [paired_comparison(frame, systems[0], other) for other in systems[1:]]
    pairwise = load_pairwise(run_dir)
    verdicts = pairwise_verdicts(pairwise) if pairwise is not None else []
    sections = [
        f"# Run {Path(run_dir).name}",
        _markdown_table(summary),
        "## Paired comparisons",
        "\n".join(f"- {c.describe()}" for c in comparisons) or "- (one system only)",
    ]
    if verdicts:
        sections += ["## Pairwise judge", "\n".join(f"- {v.describe()}" for v in verdicts)]
    markdown = "\n\n".join(sections)
    paths["markdown"].write_text(markdown + "\n", encoding="utf-8")
    rows = [[_cell(value) for value in record] for record in summary.itertuples(index=False)]
    html = _template().render(
        run=Path(run_dir).name,
        columns=list(summary.columns),
        rows=rows,
        comparisons=[c.describe() for c in comparisons],
        verdicts=[v.describe() for v in verdicts],
        charts=_charts(frame, summary),
    )
    paths["html"].write_text(html, encoding="utf-8")
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
    """A table cell: numbers to three significant digits, right-aligned."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {"text": str(value), "number": False}
    return {"text": "" if math.isnan(value) else f"{value:.3g}", "number": True}
