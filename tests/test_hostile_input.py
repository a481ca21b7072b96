"""Hostile input: files no person writes must not take a run down, nor hold it for minutes.

Issue 14 (``../shared/cases/deep-expression-crash``): deep nesting of every expression kind, in each
language CodeScribe reads. Each file ends as a document (its lines counted, with a warning) or as a
failure named on one line, and the rest of the batch is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.cli import main

DEPTH = 20_000
DEEP = {
    "py_unary.py": "def f():\n    return " + "-" * DEPTH + "1\n",
    "py_attr.py": "def f(a):\n    return a" + ".b" * DEPTH + "\n",
    "py_call.py": "X = " + "f(" * DEPTH + ")" * DEPTH + "\n",
    "js_binop.js": "export const X = 1" + " + 1" * DEPTH + ";\n",
    "js_call.js": "export const X = " + "f(" * DEPTH + ")" * DEPTH + ";\n",
    "js_arrow.js": "export const X = " + "() => " * DEPTH + "1;\n",
    "ts_generic.ts": "export type X = " + "Array<" * DEPTH + "number" + ">" * DEPTH + ";\n",
    "go_paren.go": "package p\n\nvar X = " + "(" * DEPTH + "1" + ")" * DEPTH + "\n",
    "rs_block.rs": "pub fn f() {" + "{" * DEPTH + "}" * DEPTH + "}\n",
    "C.java": "public class C { int f() { return " + "-" * DEPTH + "1; } }\n",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in DEEP.items():
        (folder / name).write_text(text)
    (folder / "ok.py").write_text('def ok():\n    """Return one."""\n    return 1\n')
    return folder


@pytest.mark.parametrize("doc_type", ["module", "api", "docstrings"])
def test_deep_nesting_in_every_language_ends_in_documents_or_named_failures(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], doc_type: str
) -> None:
    code = main(["generate", str(hostile), "-t", doc_type, "-p", "offline", "--out", str(tmp_path)])

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1)
    assert (tmp_path / ("ok.py" if doc_type == "docstrings" else f"ok.py.{doc_type}.md")).is_file()
    for name in DEEP:  # each is named: written with a warning, or failed on a line of its own
        assert name in err
    if doc_type != "docstrings":
        assert "nests deeper than 4,000 levels" in err


def test_a_link_out_of_the_source_tree_is_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # ../shared/cases/symlink-outside-tree: links to /etc/passwd and to a secret beside the tree.
    source, outside = tmp_path / "src", tmp_path / "outside"
    source.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("OUTSIDE_SECRET_TOKEN = 'do-not-read-me'\n")
    (source / "ok.py").write_text("def ok():\n    return 1\n")
    (source / "link_outside.py").symlink_to(outside / "secret.txt")

    code = main(["generate", str(source), "-p", "offline", "--out", str(tmp_path / "out")])

    assert code == 0
    assert "link_outside.py links to" in caplog.text
    assert "outside the source tree: skipped" in caplog.text
    written = "".join(path.read_text() for path in (tmp_path / "out").rglob("*.md"))
    assert "do-not-read-me" not in written
    assert "do-not-read-me" not in capsys.readouterr().out
