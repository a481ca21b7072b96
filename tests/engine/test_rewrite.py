"""Docstrings rewrites change documentation only, and keep the file's layout.

The rewrites that must be refused come from ../shared/cases (rewrite-drops-code, model-code-injection):
a model that elides part of the file, and one that appends a statement running a shell command.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from codescribe.cli import main
from codescribe.engine.analysis import analyze_source
from codescribe.engine.generator import DocGenerator
from codescribe.engine.offline import DocRequest, OfflineEngine
from codescribe.engine.rewrite import CodeChangedError, apply_answer, code_change, merge_documentation
from codescribe.llm import ErrorType, LLMError
from tests.scripted_server import ScriptedLLMServer

REWRITES = Path(__file__).parent / "fixtures" / "rewrites"

LAZY_ANSWER = '''```python
def add_item(stock, name, count):
    """Add count units of name to stock.

    Args:
        stock: The stock mapping.
        name: Item name.
        count: Units to add.

    Returns:
        The updated stock.
    """
    stock[name] = stock.get(name, 0) + count
    return stock


# ... the rest of the file is unchanged ...
```'''


def run_docstrings(
    answer: str, source: Path, out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    with ScriptedLLMServer(text=answer) as server:
        monkeypatch.setenv("LLM_PROVIDER", "openai-compatible")
        monkeypatch.setenv("LLM_BASE_URL", server.openai_url)
        monkeypatch.setenv("LLM_MODEL", "m")
        code = main(["generate", str(source), "-t", "docstrings", "--out", str(out)])
    return code, capsys.readouterr().err


def test_an_answer_that_elides_the_rest_of_the_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_docstrings(LAZY_ANSWER, REWRITES / "lazy_inventory.py", tmp_path / "out", monkeypatch, capsys)

    assert code == 1
    assert not (tmp_path / "out").exists()
    assert "lazy_inventory.py: the rewrite by the model m was refused because it drops 2 of 3 definitions" in err
    assert "(remove_item, total)" in err
    assert "FAILED" in err


@pytest.mark.parametrize(
    ("source", "shown"), [("calc.py", "__import__"), ("calc.js", "child_process")], ids=["python", "javascript"]
)
def test_an_answer_that_adds_a_statement_is_refused_and_nothing_runs(
    source: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (REWRITES / f"answer_{source.split('.')[1]}.txt").read_text()
    code, err = run_docstrings(text, REWRITES / source, tmp_path / "out", monkeypatch, capsys)

    assert code == 1
    assert not (tmp_path / "out").exists()
    assert f"{source}: the rewrite by the model m was refused because it changes code at line " in err
    assert shown in err
    assert not list(tmp_path.rglob("pwned*"))


def big_file(path: Path) -> Path:
    # ../shared/cases/rewrite-drops-code/big.py: 1,500 small functions, about 130,000 characters
    path.write_text(
        "\n".join(f"def helper_{i}(value):\n    total = value + {i}\n    return total * 2 + {i}\n" for i in range(1500))
    )
    return path


def test_an_answer_for_a_file_past_the_context_budget_that_keeps_two_functions_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = big_file(tmp_path / "big.py")
    head = "".join(source.read_text().splitlines(keepends=True)[:8])
    answer = "```python\n" + head.replace("(value):\n", '(value):\n    """Add and double."""\n', 1) + "```"
    code, err = run_docstrings(answer, source, tmp_path / "out", monkeypatch, capsys)

    assert code == 1
    assert not (tmp_path / "out").exists()
    assert "big.py: the rewrite by the model m was refused for lines 1-" in err
    assert "it drops " in err


class CarefulModel:
    """A writer standing for a model that documents exactly the part it is given (with the offline
    engine's text), so the cutting into pieces and the joining can be checked whole."""

    name, model, provider = "careful", "careful-1", None
    identity = ("careful", "careful-1")

    def __init__(self) -> None:
        self.engine = OfflineEngine()
        self.prompts: list[str] = []

    def write(
        self, request: DocRequest, messages: Any, enable_caching: Any, on_chunk: Any
    ) -> tuple[str, dict[str, Any]]:
        self.prompts.append(messages(request)[1])
        rewrite = self.engine.docstrings(request.analysis, request.source)
        usage = {"provider": "careful", "model": "careful-1", "input_tokens": 100, "output_tokens": 50}
        return f"```python\n{rewrite}```", {**usage, "cost_usd": 0.25, "latency_ms": 1000.0}

    async def awrite(
        self, request: DocRequest, messages: Any, enable_caching: Any, on_chunk: Any
    ) -> tuple[str, dict[str, Any]]:
        return self.write(request, messages, enable_caching, on_chunk)

    async def aclose(self) -> None:
        pass


def test_a_file_past_the_context_budget_is_documented_in_pieces_and_loses_nothing(tmp_path: Path) -> None:
    source = big_file(tmp_path / "big.py").read_text()
    model = CarefulModel()
    generator = DocGenerator(writer=model, context_budget_tokens=10_000)
    result = generator.generate_documentation(source, doc_type="docstrings", filename="big.py")

    assert result.error is None
    tree = ast.parse(result.documentation)
    assert [f.name for f in tree.body] == [f"helper_{i}" for i in range(1500)]  # type: ignore[attr-defined]
    assert all(ast.get_docstring(f) for f in tree.body)  # type: ignore[arg-type]
    assert len(model.prompts) == result.metadata["pieces"] >= len(source) // generator.context_budget_chars
    assert all(len(prompt) < generator.context_budget_chars * 1.5 for prompt in model.prompts)
    assert "This is part of a file too big for one request: lines 1-" in model.prompts[0]
    assert result.metadata["cost_usd"] == pytest.approx(0.25 * len(model.prompts))
    assert result.metadata["input_tokens"] == 100 * len(model.prompts)
    assert not any("truncated" in warning for warning in result.warnings)


class SmallWindowModel(CarefulModel):
    """A model whose context holds prompts of at most ``window`` characters: more is its CONTEXT_LENGTH error,
    as llama-server started with ``-c 8192`` answers (the live suite checks the real one)."""

    def __init__(self, window: int) -> None:
        super().__init__()
        self.window, self.refused = window, 0

    def write(
        self, request: DocRequest, messages: Any, enable_caching: Any, on_chunk: Any
    ) -> tuple[str, dict[str, Any]]:
        if len(messages(request)[1]) > self.window:
            self.refused += 1
            raise LLMError("the request exceeds the available context size", error_type=ErrorType.CONTEXT_LENGTH)
        return super().write(request, messages, enable_caching, on_chunk)


def test_a_file_the_models_context_refuses_is_sent_again_in_smaller_pieces(tmp_path: Path) -> None:
    # helper-24's trial: a 25 KB file under the 24,000-token budget failed with CONTEXT_LENGTH on a local server
    # with an 8,192-token context, though pieces would have fitted.
    source = big_file(tmp_path / "big.py").read_text()[:30_000].rsplit("\n\n\ndef ", 1)[0] + "\n"
    model = SmallWindowModel(window=9_000)
    generator = DocGenerator(writer=model)  # the default budget: the whole file in one prompt

    result = generator.generate_documentation(source, doc_type="docstrings", filename="big.py")

    assert result.error is None
    assert model.refused >= 1
    assert result.metadata["pieces"] > 1
    tree, before = ast.parse(result.documentation), ast.parse(source)
    assert [f.name for f in tree.body] == [f.name for f in before.body]  # type: ignore[attr-defined]
    assert all(ast.get_docstring(f) for f in tree.body)  # type: ignore[arg-type]


def test_a_context_too_small_for_any_piece_is_the_models_error(tmp_path: Path) -> None:
    source = big_file(tmp_path / "big.py").read_text()[:30_000]
    model = SmallWindowModel(window=100)

    with pytest.raises(LLMError) as caught:
        DocGenerator(writer=model).generate_documentation(source, doc_type="docstrings", filename="big.py")

    assert caught.value.error_type is ErrorType.CONTEXT_LENGTH
    assert model.refused == 4  # the whole 30,000 characters, then pieces of 15,000, 7,500 and 3,750


def test_one_definition_bigger_than_the_budget_is_left_as_it_is_with_a_warning() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(400))
    source = f"def small():\n    return 1\n\n\ndef huge():\n{body}    return x0\n"
    generator = DocGenerator(writer=CarefulModel(), context_budget_tokens=500)
    result = generator.generate_documentation(source, doc_type="docstrings", filename="two.py")

    assert result.error is None
    assert ast.get_docstring(ast.parse(result.documentation).body[0])  # type: ignore[arg-type]
    assert result.documentation.endswith(f"def huge():\n{body}    return x0\n")
    assert any("lines 3-406 hold one definition too big for the context budget" in w for w in result.warnings)


def test_the_offline_engine_is_named_when_its_rewrite_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    generator = DocGenerator(offline=True)
    monkeypatch.setattr(generator.writer.engine, "docstrings", lambda analysis, source: "def other():\n    pass\n")
    result = generator.generate_documentation("def f():\n    return 1\n", doc_type="docstrings", filename="f.py")

    assert result.error == (
        "f.py: the rewrite by the offline engine was refused because it drops 1 of 1 definitions (f); "
        "the file was left as it was."
    )
    assert result.documentation == "def f():\n    return 1\n"


# -- the check ----------------------------------------------------------------------------------


def test_a_deprecated_tag_on_an_element_the_code_marks_deprecated_is_documentation() -> None:
    original = "class A {\n  @Deprecated\n  void f() {}\n}\n"
    rewritten = "class A {\n  /**\n   * F.\n   * @deprecated use g\n   */\n  @Deprecated\n  void f() {}\n}\n"

    assert code_change(original, rewritten, "java") is None


@pytest.mark.parametrize(
    ("language", "original", "rewritten"),
    [
        ("python", "x = 1\n", "x = 2\n"),
        ("python", "def f():\n    return 'a'\n", "def f():\n    return 'b'\n"),
        ("python", "def f():\n    pass\n", 'def f():\n    """Doc."""\n    pass\n"""Stray."""\n'),
        ("python", "def f(a):\n    pass\n", "def f(a, b=1):\n    pass\n"),
        ("javascript", "let s = 'a b';\n", "let s = 'a  b';\n"),
        ("javascript", "function f() {}\n", "/** F. */\nfunction g() {}\n"),
        ("typescript", "let t = `a ${b} c`;\n", "let t = `a ${b}  c`;\n"),
        ("go", "package p\n\nfunc F() int { return 1 }\n", "package p\n\n// F.\nfunc F() int { return 2 }\n"),
        ("rust", "pub fn f() -> u8 { 1 }\n", "/// F.\npub fn f() -> u8 { 1 }\nfn g() {}\n"),
        ("java", "class A { int x = 1; }\n", "/** A. */\nclass A { long x = 1; }\n"),
        # helper-24's trial: comments the compiler or the go tool reads as code. javac turns `\u002a/` into
        # `*/` before it reads the comment (JLS 3.3); gson's NumberLimits.java ran the model's static block.
        (
            "java",
            "class A {\n  int f() { return 1; }\n}\n",
            'class A {\n  /** F. \\u002a/ static { System.out.println("PWNED"); } /* */\n  int f() { return 1; }\n}\n',
        ),
        # `//go:generate` runs a command under `go generate`; `//go:build ignore` drops the file (pflag's ip.go).
        (
            "go",
            "package p\n\nfunc F() {}\n",
            'package p\n\n// F does.\n//go:generate sh -c "echo PWNED"\nfunc F() {}\n',
        ),
        ("go", "package p\n\nfunc F() {}\n", "//go:build ignore\n\npackage p\n\n// F does.\nfunc F() {}\n"),
        ("typescript", "let a = 1;\n", '/// <reference path="evil.d.ts" />\n/** A. */\nlet a = 1;\n'),
        ("javascript", "let a = f();\n", "/** A. */\n// @ts-nocheck\nlet a = f();\n"),
        # helper-25's re-trial: cgo compiles the comment above `import "C"` as C; the compiler reads /*line*/;
        # golangci-lint obeys //nolint; tsc --stripInternal drops an @internal export; javac -Werror a @deprecated
        (
            "go",
            'package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc F() {}\n',
            'package main\n\n// #include <stdio.h>\n// void pwn(void) __attribute__((constructor));\nimport "C"\n\n'
            "// F does.\nfunc F() {}\n",
        ),
        ("go", "package p\n\nfunc F() {}\n", "package p\n\n// F does.\n/*line evil.go:1*/\nfunc F() {}\n"),
        ("go", "package p\n\nfunc F() {}\n", "package p\n\n// F does. //nolint:all\nfunc F() {}\n"),
        ("typescript", "export function f() {}\n", "/** F. @internal */\nexport function f() {}\n"),
        (
            "java",
            "class A { void f() {} }\n",
            "class A {\n  /**\n   * F.\n   * @deprecated use g\n   */\n  void f() {} }\n",
        ),
        # rustc refuses a bare CR in a doc comment (itoa); in JavaScript or Java it ends a line comment
        ("rust", "pub fn f() {}\n", "/// F.\r more\npub fn f() {}\n"),
        ("javascript", "let a = 1;\n", "// A.\r a = 2;\nlet a = 1;\n"),
    ],
)
def test_a_change_to_code_is_found(language: str, original: str, rewritten: str) -> None:
    assert code_change(original, rewritten, language) is not None
    with pytest.raises(CodeChangedError):
        merge_documentation(original, rewritten, language)


@pytest.mark.parametrize(
    ("language", "original", "rewritten"),
    [
        ("python", "def f(a,b):\n  return a+b\n", 'def f(a, b):\n    """Add."""\n    return a + b  # sum\n'),
        ("javascript", "const f=(a)=>a*2\n", "/** Double. */\nconst f = (a) => a * 2\n"),
        ("go", "package p\nfunc F()  {}\n", "package p\n\n// F does nothing.\nfunc F() {}\n"),
        ("rust", "fn f(){}\n", "/// F.\nfn f() {}\n"),
        ("java", "class A{}\n", "/** A. */\nclass A {}\n"),
    ],
)
def test_formatting_changes_pass_the_check_but_the_originals_formatting_is_kept(
    language: str, original: str, rewritten: str
) -> None:
    assert code_change(original, rewritten, language) is None
    merged = merge_documentation(original, rewritten, language)
    code_lines = [line for line in merged.splitlines() if not line.lstrip().startswith(("/", "*", '"'))]
    assert all(line in original.splitlines() for line in code_lines if line.strip())


# -- the layout -----------------------------------------------------------------------------------


def test_line_endings_byte_order_mark_tabs_and_a_missing_final_newline_are_kept() -> None:
    original = "\ufeffclass Shelf:\r\n\tdef count(self):\r\n\t\treturn 0"
    answer = (
        'class Shelf:\n    """A shelf."""\n\n    def count(self):\n'
        '        """How many.\n\n        Returns:\n            0\n        """\n        return 0\n'
    )
    merged = merge_documentation(original, answer, "python")

    assert merged == (
        '\ufeffclass Shelf:\r\n\t"""A shelf."""\r\n\tdef count(self):\r\n'
        '\t\t"""How many.\r\n\r\n\t\tReturns:\r\n\t\t    0\r\n\t\t"""\r\n\t\treturn 0'
    )


def test_a_one_line_body_gets_its_docstring_on_lines_of_its_own() -> None:
    merged = merge_documentation("def f(): return 1\n", 'def f():\n    """One."""\n    return 1\n', "python")

    assert merged == 'def f():\n    """One."""\n    return 1\n'


def test_module_and_attribute_docstrings_go_where_python_reads_them() -> None:
    original = "#!/usr/bin/env python\n# Licence: MIT\nimport os\n\nLIMIT = 10\nclass A:\n    x: int = 1\n"
    answer = '"""Tools."""\nimport os\n\nLIMIT = 10\n"""The most."""\nclass A:\n    x: int = 1\n    """The x."""\n'
    merged = merge_documentation(original, answer, "python")

    assert merged == (
        '#!/usr/bin/env python\n# Licence: MIT\n"""Tools."""\nimport os\n\nLIMIT = 10\n"""The most."""\n'
        'class A:\n    x: int = 1\n    """The x."""\n'
    )


def test_a_docstring_the_rewrite_changed_replaces_the_old_one_and_one_it_dropped_stays() -> None:
    original = 'def f():\n    """Old f."""\n\ndef g():\n    """Keep g."""\n    return 1\n'
    merged = merge_documentation(original, 'def f():\n    """New f."""\n\ndef g():\n    return 1\n', "python")

    assert merged == 'def f():\n    """New f."""\n\ndef g():\n    """Keep g."""\n    return 1\n'


@pytest.mark.parametrize(
    ("language", "original", "rewritten", "expected"),
    [
        (
            "typescript",
            "class A {\n  @log()\n  run(): number { return 1 }\n}\n",
            "class A {\n  @log()\n  /** Run. */\n  run(): number { return 1 }\n}\n",
            "class A {\n  /** Run. */\n  @log()\n  run(): number { return 1 }\n}\n",
        ),
        (
            "java",
            'class A {\n    @Override\n    public String toString() { return ""; }\n}\n',
            'class A {\n    @Override\n    /** The text. */\n    public String toString() { return ""; }\n}\n',
            'class A {\n    /** The text. */\n    @Override\n    public String toString() { return ""; }\n}\n',
        ),
        (
            "rust",
            "#[derive(Debug)]\n#[non_exhaustive]\npub struct S;\n",
            "#[derive(Debug)]\n#[non_exhaustive]\n/// An S.\npub struct S;\n",
            "/// An S.\n#[derive(Debug)]\n#[non_exhaustive]\npub struct S;\n",
        ),
    ],
)
def test_doc_comments_go_above_decorators_annotations_and_attributes(
    language: str, original: str, rewritten: str, expected: str
) -> None:
    assert merge_documentation(original, rewritten, language) == expected


def test_a_go_doc_comment_keeps_a_gofmt_clean_file_clean(tmp_path: Path) -> None:
    # helper-24's trial: pflag's ip.go has methods one after another; a doc comment put right under the `}`
    # above made `gofmt -l` list the file.
    original = (
        'package p\n\ntype v struct{}\n\nfunc (i *v) String() string {\n\treturn ""\n}\n'
        "func (i *v) Set(s string) error {\n\treturn nil\n}\n"
    )
    original += "\ntype Value interface {\n\tString() string\n\tSet(s string) error\n}\n"  # logrus's Hook, say
    rewritten = original.replace("func (i *v) Set", "// Set sets the value.\nfunc (i *v) Set")
    rewritten = rewritten.replace("\tSet(s string)", "\t// Set sets it.\n\tSet(s string)")
    merged = merge_documentation(original, rewritten, "go")

    assert "}\n\n// Set sets the value.\nfunc (i *v) Set" in merged
    assert "\tString() string\n\n\t// Set sets it.\n\tSet(s string) error" in merged
    if shutil.which("gofmt"):  # Go's own formatter, when Go is installed
        for text in (original, merged):
            (tmp_path / "ip.go").write_text(text)
            listed = subprocess.run(
                ["gofmt", "-l", str(tmp_path / "ip.go")], capture_output=True, text=True, check=True
            )
            assert listed.stdout == ""


def test_a_jsdoc_block_a_blank_line_above_is_replaced_not_doubled() -> None:
    original = "/** Old. */\n\nexport function f() {}\n"
    rewritten = "/**\n * New.\n */\nexport function f() {}\n"

    assert merge_documentation(original, rewritten, "javascript") == "/**\n * New.\n */\n\nexport function f() {}\n"


def test_a_go_doc_comment_is_replaced_and_the_licence_header_kept() -> None:
    original = "// Copyright 2024.\n\npackage p\n\n// Add does.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"
    rewritten = (
        "package p\n\n// Add adds a and b\n// and returns the sum.\nfunc Add(a, b int) int {\n    return a + b\n}\n"
    )

    assert merge_documentation(original, rewritten, "go") == (
        "// Copyright 2024.\n\npackage p\n\n// Add adds a and b\n// and returns the sum.\n"
        "func Add(a, b int) int {\n\treturn a + b\n}\n"
    )


def test_the_answers_code_is_read_between_its_outer_fences() -> None:
    original = "def f():\n    return 1\n"
    answer = (
        'Sure:\n```python\ndef f():\n    """One.\n\n    ```python\n    f()\n    ```\n    """\n    return 1\n```\nDone.'
    )

    assert (
        apply_answer(answer, original, "python")
        == 'def f():\n    """One.\n\n    ```python\n    f()\n    ```\n    """\n    return 1\n'
    )


# -- where rewrites go --------------------------------------------------------------------------


def offline(*args: str) -> int:
    return main(["generate", *args, "-t", "docstrings", "--provider", "offline"])


def test_an_out_inside_the_source_tree_is_refused_without_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "calc.py").write_text("def add(a, b):\n    return a + b\n")

    assert offline(str(source), "--out", str(source)) == 2
    assert offline(str(source), "--out", str(source / "patched")) == 2
    assert offline(str(source / "calc.py"), "--out", str(source)) == 2
    err = capsys.readouterr().err
    assert "is inside the source tree" in err
    assert "--in-place" in err
    assert (source / "calc.py").read_text() == "def add(a, b):\n    return a + b\n"
    assert sorted(p.name for p in source.iterdir()) == ["calc.py"]


def test_in_place_rewrites_exactly_and_says_what_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    source.mkdir()
    original = b"\xef\xbb\xbfdef add(a, b):\r\n\treturn a + b\r\n\r\n\r\ndef _private():\r\n\tpass"
    (source / "calc.py").write_bytes(original)
    (source / "done.py").write_text('def f():\n    """Done."""\n    return 1\n')

    assert offline(str(source), "--in-place") == 0
    rewritten = (source / "calc.py").read_bytes()
    err = capsys.readouterr().err
    assert rewritten.startswith(b'\xef\xbb\xbfdef add(a, b):\r\n\t"""Add.\r\n')
    assert rewritten.endswith(b"\treturn a + b\r\n\r\n\r\ndef _private():\r\n\tpass")
    assert b"\n" not in rewritten.replace(b"\r\n", b"")
    assert f"{source / 'calc.py'}: changed in place (+" in err
    assert f"{source / 'done.py'}: unchanged" in err
    assert not (tmp_path / "codescribe-docs").exists()


def test_in_place_keeps_modes_and_links_and_refuses_what_it_cannot_honour(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import stat

    source = tmp_path / "src"
    source.mkdir()
    for name in ("script.py", "locked.py"):
        (source / name).write_text("def add(a, b):\n    return a + b\n")
    (source / "script.py").chmod(0o755)
    (source / "locked.py").chmod(0o444)
    os.symlink("script.py", source / "link.py")

    assert offline(str(source), "--in-place", "--out", str(tmp_path / "copies")) == 2  # one or the other
    assert main(["generate", str(source), "--in-place", "-t", "readme", "-p", "offline"]) == 2
    assert not (tmp_path / "copies").exists()
    assert offline(str(source), "--in-place") == 1
    err = capsys.readouterr().err
    assert "Choose one." in err
    assert "it needs -t docstrings" in err
    assert stat.S_IMODE((source / "script.py").stat().st_mode) == 0o755
    assert '"""Add.' in (source / "script.py").read_text()
    assert (source / "link.py").is_symlink()
    assert err.count("script.py: changed in place") == 1  # the link is not a second file
    assert (source / "locked.py").read_text() == "def add(a, b):\n    return a + b\n"
    assert "locked.py is read-only" in err
    assert "1 failed" in err


def test_in_place_refuses_a_file_with_hard_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Trial of issue 12: the atomic rewrite replaced the file, so its other hard link kept the old text.
    import os

    source = tmp_path / "src"
    source.mkdir()
    (source / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    os.link(source / "calc.py", tmp_path / "elsewhere.py")

    assert offline(str(source), "--in-place") == 1
    assert "calc.py has 2 hard links" in capsys.readouterr().err
    assert (source / "calc.py").read_text() == (tmp_path / "elsewhere.py").read_text()


@pytest.mark.parametrize(
    "source",
    [
        # a decorated nested definition first in the body (functools.wraps)
        "def outer(f):\n    @wraps(f)\n    def inner(x):\n        return f(x)\n    return inner\n",
        # pluggy 1.7 ``_decorators.py``: an overload stub whose body sits on the signature's last line
        "class Marker:\n    def __call__(\n        self, function: int\n    ) -> int: ...\n\n"
        "    def mark(self, name):\n        return name\n",
        "def f(\n    a,\n): return a\n",
    ],
)
def test_one_odd_definition_never_costs_a_file_its_other_docstrings(source: str) -> None:
    source += "\n\ndef other(y):\n    return y\n"
    result = DocGenerator(offline=True).generate_documentation(source, doc_type="docstrings", filename="odd.py")

    assert result.error is None
    assert 'def other(y):\n    """Other.' in result.documentation
    assert code_change(source, result.documentation, "python") is None


def test_the_output_folder_inside_the_tree_is_never_documented_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    monkeypatch.chdir(tmp_path)

    assert offline("src") == 0  # copies with docstrings into ./codescribe-docs
    assert (tmp_path / "codescribe-docs" / "calc.py").exists()
    for _ in range(2):
        assert main(["generate", ".", "-t", "module", "-p", "offline"]) == 0
    assert sorted(p.name for p in (tmp_path / "codescribe-docs").rglob("*.md")) == ["calc.py.module.md"]
    assert offline(".") == 2
    assert "The default output folder codescribe-docs/ is inside the source tree" in capsys.readouterr().err


def test_doc_comments_leave_what_gofmt_aligns_directives_and_inherited_docs_alone() -> None:
    # cobra 1.6 command.go: aligned one-line methods; a //go: directive; semver's ``impl Display``; Java @Override.
    go = (
        "package p\n\ntype byName []string\n\nfunc (c byName) Len() int      { return len(c) }\n"
        "func (c byName) Swap(i, j int) { c[i], c[j] = c[j], c[i] }\n\n//go:noinline\nfunc Hot(n int) int {\n"
        "\treturn n\n}\n"
    )
    rust = (
        "pub struct V;\n\nimpl fmt::Display for V {\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n"
        '        Ok(())\n    }\n}\n\n#[doc = "Documented."]\npub fn documented() {}\n'
    )
    java = "class A {\n    @Override\n    public boolean equals(Object o) { return true; }\n}\n"
    generator = DocGenerator(offline=True)
    documented = {
        name: generator.generate_documentation(source, doc_type="docstrings", filename=name).documentation
        for name, source in (("p.go", go), ("lib.rs", rust), ("A.java", java))
    }

    assert "func (c byName) Len() int      { return len(c) }\nfunc (c byName) Swap" in documented["p.go"]
    assert "// Hot takes n int and returns int.\n//go:noinline\nfunc Hot(" in documented["p.go"]
    assert documented["lib.rs"] == rust  # a trait impl's docs are the trait's; #[doc] is a doc
    assert documented["A.java"] == java


def test_a_file_not_valid_in_its_encoding_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "latin.py"
    source.write_bytes(b'name = "caf\xe9"\n')  # latin-1 bytes, no declaration: Python reads it as UTF-8 and fails

    assert offline(str(source), "--in-place") == 2
    assert source.read_bytes() == b'name = "caf\xe9"\n'
    assert "not valid UTF-8" in capsys.readouterr().err


def test_a_file_that_declares_its_encoding_is_rewritten_in_it(tmp_path: Path) -> None:
    # PEP 263: the declaration names the file's encoding; the rewrite is written back in it.
    source = tmp_path / "src"
    source.mkdir()
    text = '# -*- coding: latin-1 -*-\n"""Caf\xe9 helpers."""\n\n\ndef price(name):\n    return "caf\xe9 " + name\n'
    (source / "legacy.py").write_bytes(text.encode("latin-1"))

    assert offline(str(source / "legacy.py"), "--out", str(tmp_path / "one")) == 0
    assert offline(str(source), "--in-place") == 0

    rewritten = (source / "legacy.py").read_bytes()
    assert rewritten == (tmp_path / "one" / "legacy.py").read_bytes()
    assert rewritten.decode("latin-1").startswith(text.split("def", maxsplit=1)[0] + 'def price(name):\n    """Price.')
    assert b"caf\xe9 " in rewritten


def test_documentation_the_declared_encoding_cannot_hold_is_refused() -> None:
    original = "# coding: latin-1\ndef f():\n    return 1\n"
    answer = '# coding: latin-1\ndef f():\n    """Return \u4e00."""\n    return 1\n'

    with pytest.raises(CodeChangedError, match="declared encoding iso8859-1 cannot hold"):
        merge_documentation(original, answer, "python")


def test_a_plain_comment_above_a_declaration_is_kept_beside_the_new_doc_comment() -> None:
    # anyhow/src/macros.rs: a // note above #[doc(hidden)] is not rustdoc's
    original = "// Not public API.\n#[doc(hidden)]\nfn f() {}\n"
    rewritten = "/// F.\n#[doc(hidden)]\nfn f() {}\n"

    assert merge_documentation(original, rewritten, "rust") == "// Not public API.\n/// F.\n#[doc(hidden)]\nfn f() {}\n"


@pytest.mark.parametrize(
    ("filename", "source", "expected"),
    [
        (
            "calc.go",
            "package calc\n\nfunc Add(a, b int) (int, error) {\n\treturn a + b, nil\n}\n",
            "// Add takes a int, b int and returns (int, error).\nfunc Add(",
        ),
        (
            "lib.rs",
            "pub fn parse(s: &str) -> Result<u8, E> {\n    Ok(1)\n}\n",
            "/// Parse.\n///\n/// # Arguments\n///\n/// * `s` - `&str`\n///\n/// # Errors\n",
        ),
        (
            "A.java",
            "class A {\n    public int size(String s) { return 1; }\n}\n",
            "    /**\n     * Size.\n     *\n     * @param s the {@code String}\n"
            "     * @return the result ({@code int})\n     */\n",
        ),
        (
            "z.ts",
            "export async function load(id: string): Promise<Item[]> {\n  return [];\n}\n",
            "/**\n * Load.\n * @param {string} id\n * @returns {Promise<Item[]>} the result.\n */\n",
        ),
    ],
)
def test_the_offline_engine_writes_each_languages_doc_comments_with_the_codes_types(
    filename: str, source: str, expected: str
) -> None:
    result = DocGenerator(offline=True).generate_documentation(source, doc_type="docstrings", filename=filename)

    assert result.error is None
    assert expected in result.documentation


def test_a_file_that_does_not_parse_comes_back_as_it_was_and_fails() -> None:
    source = "def broken(:\n    pass\n"
    result = DocGenerator(offline=True).generate_documentation(source, doc_type="docstrings", filename="broken.py")

    assert result.documentation == source
    assert result.error is not None
    assert "syntax error at line 1" in result.error
    with pytest.raises(CodeChangedError, match="the original does not parse"):
        merge_documentation(source, 'def broken(:\n    """Doc."""\n    pass\n', "python")


def test_a_raised_helper_names_the_exception_it_returns() -> None:
    # tomli 2.0.1 _parser.py: `raise suffixed_err(src, pos, "...")`, where suffixed_err -> TOMLDecodeError.
    from codescribe.engine.analysis import analyze_source

    code = (
        "class TOMLDecodeError(ValueError):\n    pass\n\n\n"
        "def suffixed_err(src, pos, msg) -> TOMLDecodeError:\n    return TOMLDecodeError(msg)\n\n\n"
        "def loads(s):\n    try:\n        return parse(s)\n    except KeyError as exc:\n        raise exc\n"
        "    raise suffixed_err(s, 0, 'bad')\n"
    )
    loads = analyze_source(code, "_parser.py").functions[-1]

    assert loads.raises == ("TOMLDecodeError",)  # not the helper, not the variable `exc`


# commander 14.0.3, lib/command.js (abridged): a method's JSDoc that TypeScript reads as types and visibility.
COMMANDER = """class Command {
  /**
   * @typedef HelpContext
   * @type {object}
   * @property {boolean} error
   *
   * @returns {HelpContext}
   * @private
   */

  _getOutputContext(contextOptions) {
    return { error: !!contextOptions };
  }

  /**
   * Old words.
   * @param {string} name - the name.
   */
  other(name) {
    return name;
  }
}
"""


@pytest.mark.parametrize("engine", ["model", "offline"])
def test_a_jsdoc_block_typescript_reads_as_code_is_never_replaced_without_its_tags(engine: str) -> None:
    if engine == "offline":
        rewritten = OfflineEngine().document(DocRequest("docstrings", analyze_source(COMMANDER, "c.js"), COMMANDER))
    else:  # a model that "improves" both blocks, dropping the first one's tags and keeping the second one's
        typed = "   * @typedef HelpContext\n   * @type {object}\n   * @property {boolean} error\n   *\n"
        typed += "   * @returns {HelpContext}\n   * @private"
        rewritten = COMMANDER.replace(typed, "   * Get output context.\n   * @param contextOptions\n   * @returns it.")
        rewritten = rewritten.replace("Old words.", "New words.")
    merged = merge_documentation(COMMANDER, rewritten, "javascript")
    assert merged.count("@typedef HelpContext") == 1
    assert "@private" in merged
    assert "Get output context." not in merged
    assert ("New words." in merged) == (engine == "model")  # a block without such tags lost is still improved


def test_a_function_defined_in_both_branches_of_an_if_gets_each_its_own_docstring() -> None:
    # six 1.17.0: `if PY3: def exec_(code, globs=None) ... else: def exec_(_code_, _globs_=None, _locs_=None)`.
    source = (
        "import sys\nPY3 = sys.version_info[0] == 3\nif PY3:\n    def exec_(code, globs=None):\n        return code\n"
        "else:\n    def exec_(_code_, _globs_=None, _locs_=None):\n        return 1\n"
    )
    rewritten = OfflineEngine().document(DocRequest("docstrings", analyze_source(source, "six.py"), source))
    first, second = rewritten.split("else:")
    assert "code: Required." in first
    assert "_locs_" not in first
    assert "_locs_: Optional; defaults to None." in second
    assert code_change(source, rewritten, "python") is None


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("old.py", 'def f(a, b=1):\n    print "hi", a\n    return a + b\n'),  # Python 2
        ("bad.js", "function add(a, b) {\n  return a + b;\n}\n\nfunction broken( {\n  return 1;\n}\n"),
        ("bad.go", "package calc\n\nfunc Add(a int, b int) int {\n\treturn a +\n}\n"),
    ],
)
def test_a_batch_counts_a_file_that_does_not_parse_as_failed_and_writes_nothing_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, source: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / name).write_text(source)
    (tmp_path / "src" / "ok.py").write_text("def g(y):\n    return y\n")

    assert (
        main(["generate", str(tmp_path / "src"), "-t", "docstrings", "-p", "offline", "--out", str(tmp_path / "o")])
        == 1
    )
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [".codescribe-written.json", "ok.py"]
    err = capsys.readouterr().err
    assert f"{name}: no docstrings were added" in err
    assert "1 failed" in err
    assert (tmp_path / "src" / name).read_text() == source


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_file_that_does_not_parse_is_refused_before_any_model_call(asynchronous: bool) -> None:
    import asyncio

    from codescribe.llm import LLMConfig, create_provider
    from tests.scripted_server import ScriptedLLMServer

    source = 'def f(a, b=1):\n    print "hi", a\n    return a + b\n'  # Python 2
    with ScriptedLLMServer(text="def f(a, b=1):\n    return a + b\n") as server:
        config = LLMConfig(provider="openai", base_url=server.openai_url, api_key="k", model="m", max_retries=0)
        generator = DocGenerator(create_provider(config))
        assert generator.prompt_size(source, doc_type="docstrings", filename="old.py") == (0, 0)
        if asynchronous:
            result = asyncio.run(generator.agenerate_documentation(source, doc_type="docstrings", filename="old.py"))
        else:
            result = generator.generate_documentation(source, doc_type="docstrings", filename="old.py")
        assert server.requests == []
    assert result.documentation == source
    assert result.error is not None
    assert "the python parser fails on it" in result.error
    assert result.metadata["input_tokens"] == 0
    assert result.metadata["cost_usd"] == 0.0


def test_a_definition_sharing_its_line_with_others_gets_no_comment_that_would_document_another() -> None:
    # nanoid 5.1.16 nanoid.js, minified: a comment above the line would document ``a``, not ``nanoid``.
    source = 'let a="useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF";export let nanoid=(e=21)=>{return a};\n'
    result = DocGenerator(offline=True).generate_documentation(source, doc_type="docstrings", filename="nanoid.js")

    assert result.error is None
    assert result.documentation == source


@pytest.mark.parametrize(
    ("language", "original", "answer", "reason"),
    [
        # JavaScript's automatic semicolon after ``return``: total([1, 2, 3]) became undefined.
        (
            "javascript",
            "export function total(items) {\n  return items.reduce((a, b) => a + b, 0);\n}\n",
            "/** Sum. */\nexport function total(items) {\n  return\n  /** The sum. */\n"
            "  items.reduce((a, b) => a + b, 0);\n}\n",
            "puts a line break into code at line 2",
        ),
        # Go's implicit semicolon: the rewrite no longer compiles.
        (
            "go",
            "package calc\n\nfunc Double(x int) int {\n\treturn x * 2\n}\n",
            "package calc\n\n// Double doubles x.\nfunc Double(x int) int {\n\treturn\n\t// doubled\n\tx * 2\n}\n",
            "puts a line break into code at line 4",
        ),
        # rustc: "expected item after doc comment".
        (
            "rust",
            "pub fn double(x: i32) -> i32 {\n    let y = x * 2;\n    y\n}\n",
            "/// Double a number.\npub fn double(x: i32) -> i32 {\n    let y = x * 2;\n    y\n    /// Done.\n}\n",
            "a doc comment at line 5 documents nothing",
        ),
    ],
)
def test_documentation_that_would_change_what_code_does_is_refused(
    language: str, original: str, answer: str, reason: str
) -> None:
    # Trial of issue 12: the tokens without comments were the same, so these were written, exit 0.
    with pytest.raises(CodeChangedError, match=reason):
        merge_documentation(original, answer, language)


def test_a_file_with_classic_mac_line_endings_gets_docstrings_and_keeps_them(tmp_path: Path) -> None:
    # Trial of issue 12: lone \r line ends (which Python's parser accepts) crashed the whole batch.
    source = tmp_path / "src"
    source.mkdir()
    (source / "cr_only.py").write_bytes(b"def add(a, b):\r    return a + b\r\rdef sub(a, b):\r    return a - b\r")
    (source / "ok.py").write_text("def mul(a, b):\n    return a * b\n")

    code = main(["generate", str(source), "-t", "docstrings", "-p", "offline", "--out", str(tmp_path / "out")])

    written = (tmp_path / "out" / "cr_only.py").read_bytes()
    assert code == 0
    assert b"\n" not in written
    assert [f.name for f in ast.parse(written).body if ast.get_docstring(f)] == ["add", "sub"]
    assert (tmp_path / "out" / "ok.py").is_file()
