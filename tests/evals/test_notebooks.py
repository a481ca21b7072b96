"""The notebooks run, offline, against a run the tests produce (executed with nbclient)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from codescribe.evals.runner import EvalRunner
from codescribe.evals.suite import Suite
from tests.scripted_server import ScriptedLLMServer

from .test_harness import corpus  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]


def execute(name: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(str(output) for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)


def test_quickstart_runs_and_shows_the_quality_breakdown(monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = execute("quickstart.ipynb", {}, monkeypatch)

    text = outputs(notebook)
    assert "truthfulness" in text
    assert "Usage examples" in text or "Overview" in text


def test_provider_comparison_runs_on_a_fresh_run(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    with (
        ScriptedLLMServer(text="# Doc\n\n## Overview\n\nShort.\n") as server,
        ScriptedLLMServer(text="More complete.\nWINNER: 2") as judge,
    ):
        monkeypatch.setenv("LLM_API_KEY", "k")
        monkeypatch.setenv("LLM_BASE_URL", judge.openai_url)
        suite = Suite.model_validate(
            {
                "name": "nb",
                "doc_types": ["readme"],
                "systems": [
                    {"provider": "offline"},
                    {"provider": "openai", "model": "gpt-6.1-sol", "base_url": server.openai_url},
                ],
                "judge": {"provider": "openai", "model": "gpt-6.1-sol", "mode": "pairwise"},
            }
        )
        run = EvalRunner(suite, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()

    notebook = execute("provider_comparison.ipynb", {"CODESCRIBE_RUN": str(run.run_dir)}, monkeypatch)

    text = outputs(notebook)
    assert "quality points over 4 paired samples" in text
    assert "ties of 4 pairs" in text
    assert "the document shown first won 0% of decided pairs" in text
    assert "image/png" in text


def test_an_evaluation_runs_from_a_notebook_with_await(corpus: Path, tmp_path: Path) -> None:  # noqa: F811
    """A kernel already runs an event loop: ``await runner.arun()`` runs there, in the kernel's process."""
    with ScriptedLLMServer(text="# Doc\n\n## Overview\n\nAbout `add_item`.\n") as server:
        source = "\n".join(
            [
                "import os",
                "from codescribe.evals.runner import EvalRunner",
                "from codescribe.evals.suite import Suite",
                "os.environ['LLM_API_KEY'] = 'k'",
                f"system = {{'provider': 'openai', 'model': 'gpt-6.1-sol', 'base_url': {server.openai_url!r}}}",
                "suite = Suite.model_validate({'name': 'nb', 'doc_types': ['readme'], 'systems': [system]})",
                f"runner = EvalRunner(suite, runs_dir={str(tmp_path / 'runs')!r}, corpus_dir={str(corpus)!r})",
                "summary = await runner.arun()",
                "print('samples', summary.samples, 'errors', summary.errors)",
            ]
        )
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
        calls = len(server.requests)

    text = outputs(notebook)
    assert "samples 4 errors 0" in text
    assert calls == 4


def test_provider_comparison_runs_with_no_run_named_and_none_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``CODESCRIBE_RUN`` and with no ``runs/``, the notebook makes an offline run of the smoke suite."""
    import shutil

    shutil.copytree(ROOT / "evals", tmp_path / "evals")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    monkeypatch.delenv("CODESCRIBE_RUN", raising=False)
    notebook = nbformat.read(tmp_path / "notebooks" / "provider_comparison.ipynb", as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()

    text = outputs(notebook)
    assert "running evals/suites/smoke.yaml offline" in text
    assert "a paired comparison needs two" in text
    assert list((tmp_path / "runs").glob("smoke-*/run.sqlite"))


@pytest.mark.parametrize("samples", [0, 1])
def test_provider_comparison_survives_an_empty_run_and_a_one_sample_run(
    samples: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codescribe.evals.store import RunStore

    store = RunStore(tmp_path / "runs" / "tiny-1")
    store.start({"run_id": "tiny-1"})
    if samples:
        record = {"sample_id": "offline|readme|a.py|0", "system": "offline", "status": "ok", "quality": 80}
        store.finish({**record, "breakdown": {"Overview": 20.0}}, "# a\n")
    store.close()

    notebook = execute("provider_comparison.ipynb", {"CODESCRIBE_RUN": str(tmp_path / "runs" / "tiny-1")}, monkeypatch)

    errors = [
        o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"
    ]
    assert errors == []
