"""The wheel carries the prompt templates: a non-editable install can render every doc type."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_contains_the_templates_and_renders_from_them(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)  # fmt: skip
    wheel = next(tmp_path.glob("codescribe-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for doc_type in ("readme", "api", "architecture", "docstrings", "module"):
        assert f"codescribe/prompts/{doc_type}/system.j2" in names
    assert "codescribe/llm/data/prices.json" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("from codescribe.docs.prompts import PromptSet, bundled_prompts_dir; "
            "from codescribe.docs.analysis import analyze_source; "
            "a = analyze_source('def f(x):\\n    return x\\n', 'f.py'); "
            "print(bundled_prompts_dir()); print(PromptSet().messages('readme', analysis=a, code='', truncated='', "
            "repo_map='', language='python')[0][:20])")  # fmt: skip
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}).stdout  # fmt: skip
    assert str(site) in output.splitlines()[0]
    assert output.splitlines()[1].startswith("You are CodeScribe")
