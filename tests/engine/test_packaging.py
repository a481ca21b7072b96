"""The built wheel: it carries the prompt templates, and installs and runs in a fresh virtualenv."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(folder.glob("codescribe_docs-*.whl"))


def test_a_fresh_virtualenv_installs_the_wheel_and_runs_the_command(wheel: Path, tmp_path: Path) -> None:
    """As a user installs it: the core only (no SDK), then ``codescribe`` as the README shows it."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    source = tmp_path / "add.py"
    source.write_text('def add(a: int, b: int) -> int:\n    """Add two numbers."""\n    return a + b\n')
    command = venv / "bin" / "codescribe"

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ANTHROPIC_API_KEY": "fake-anthropic-key-456"}
        return subprocess.run([command, *arguments], capture_output=True, text=True, env=env, cwd=tmp_path, check=False)

    version = run("--version")
    offline = run("generate", str(source), "-p", "offline")
    no_sdk = run("generate", str(source), "-p", "anthropic")

    assert version.returncode == 0
    assert version.stdout.startswith("codescribe 0.")
    assert offline.returncode == 0, offline.stderr
    assert "add" in offline.stdout
    assert no_sdk.returncode == 2
    assert "needs the anthropic SDK: pip install 'anthropic" in no_sdk.stderr
    assert "Traceback" not in no_sdk.stderr
    assert "fake-anthropic-key" not in no_sdk.stderr


def test_the_wheel_contains_the_templates_and_renders_from_them(wheel: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for doc_type in ("readme", "api", "architecture", "docstrings", "module"):
        assert f"codescribe/prompts/{doc_type}/system.j2" in names
    assert "codescribe/llm/data/prices.json" in names
    assert "codescribe/evals/templates/report.html.j2" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from codescribe.engine.prompts import PromptSet, bundled_prompts_dir; "
        "from codescribe.engine.analysis import analyze_source; "
        "a = analyze_source('def f(x):\\n    return x\\n', 'f.py'); "
        "print(bundled_prompts_dir()); print(PromptSet().messages('readme', analysis=a, code='', truncated='', "
        "repo_map='', language='python')[0][:20])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    ).stdout
    assert str(site) in output.splitlines()[0]
    assert output.splitlines()[1].startswith("You are CodeScribe")
