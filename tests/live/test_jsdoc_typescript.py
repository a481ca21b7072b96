"""The offline engine's JSDoc, checked by the TypeScript compiler (``checkJs``): every ``@param``
names a parameter, every type parses, on parameters of every shape (destructured, rest, defaults,
generators, overloads, a function value with a declared type)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from codescribe.cli import main
from reference import lang_javascript

pytestmark = pytest.mark.live

FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "jsdoc"


def _diagnostics(files: list[Path]) -> list[dict[str, object]]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    try:
        lang_javascript.install()
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"typescript could not be installed from npm: {exc}")
    script = Path(lang_javascript.__file__).parent / "javascript" / "check_jsdoc.mjs"
    modules = lang_javascript.NODE / "node_modules"
    done = subprocess.run(
        ["node", str(script), str(modules), *map(str, files)], capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_typescript_compiler_accepts_every_offline_jsdoc_block(tmp_path: Path) -> None:
    sources = sorted(FIXTURES.iterdir())
    assert _diagnostics(sources) == [], "the fixtures themselves are clean"

    code = main(["generate", str(FIXTURES), "-t", "docstrings", "-p", "offline", "--out", str(tmp_path)])

    written = sorted(tmp_path.glob("shapes.*"))
    assert code == 0
    assert [path.name for path in written] == [path.name for path in sources]
    assert all(path.read_text().count("/**") >= 6 for path in written), "every function got a block"
    assert _diagnostics(written) == []
