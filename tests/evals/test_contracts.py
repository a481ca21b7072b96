"""Small contracts of the evaluation helpers: clear errors instead of bare ones, honest wording."""

from __future__ import annotations

import pandas as pd

from codescribe.evals.reporting import PairedComparison, paired_comparison
from tests.scripted_server import ScriptedLLMServer


def test_a_comparison_names_the_metric_it_compared() -> None:
    frame = pd.DataFrame(
        [
            {"system": system, "status": "ok", "doc_type": "api", "file": f, "repeat": 0, "bleu": value}
            for f, values in enumerate([(0.2, 0.5), (0.3, 0.4), (0.1, 0.6)])
            for system, value in zip(("a", "b"), values, strict=True)
        ]
    )

    comparison = paired_comparison(frame, "a", "b", metric="bleu")

    assert comparison.metric == "bleu"
    assert "bleu over 3 paired samples" in comparison.describe()
    assert "quality points" in PairedComparison("a", "b", 1, 1.0, 0.0, 2.0, 1.0).describe()


def test_a_server_never_started_stops_at_once() -> None:
    server = ScriptedLLMServer()

    server.stop()  # before the fix: waited forever for a serving loop that never ran
