"""Hostile input: files no person writes must not take a run down, nor hold it for minutes.

Issue 14 (``../shared/cases/deep-expression-crash``): deep nesting of every expression kind, in each
language CodeScribe reads. Each file ends as a document (its lines counted, with a warning) or as a
failure named on one line, and the rest of the batch is written.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

import codescribe.engine.analysis as analysis_module
import codescribe.engine.generator as generator_module
from codescribe.cli import main
from codescribe.engine.analysis import analyze_source
from codescribe.engine.quality import score_document

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


@pytest.mark.parametrize("suffix", [".py", ".js"])
def test_a_file_over_the_size_bound_is_read_in_part_and_left_out_of_a_rewrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    # ../shared/cases/huge-file-docstrings (5 MB and 50 MB: bench/huge_files.py); here the bound is lowered.
    monkeypatch.setattr(analysis_module, "MAX_ANALYSED_CHARS", 400)
    monkeypatch.setattr(generator_module, "MAX_ANALYSED_CHARS", 400)
    source = tmp_path / "src"
    source.mkdir()
    if suffix == ".py":
        unit = "def big_{i}(a, b):\n    return a * b + {i}\n\n"
    else:
        unit = "export function big_{i}(a, b) {{\n  return a * b + {i};\n}}\n\n"
    big = "".join(unit.format(i=i) for i in range(100))
    (source / f"big{suffix}").write_text(big)
    (source / f"ok{suffix}").write_text(unit.format(i=1))

    rewrite = main(["generate", str(source), "-t", "docstrings", "-p", "offline", "--out", str(tmp_path / "re")])
    rewrite_err = capsys.readouterr().err
    page = main(["generate", str(source), "-t", "module", "-p", "offline", "--out", str(tmp_path / "pages")])
    page_err = capsys.readouterr().err

    assert rewrite == 1  # the big file failed, with its reason; the other was rewritten
    assert f"big{suffix}: no docstrings were added: it has {len(big):,} characters, more than the 400" in rewrite_err
    assert not (tmp_path / "re" / f"big{suffix}").exists()
    assert (
        '"""' in (tmp_path / "re" / f"ok{suffix}").read_text() or "/**" in (tmp_path / "re" / f"ok{suffix}").read_text()
    )
    assert page == 0  # a page documents the first part, and says so
    assert f"big{suffix}: larger than 400 characters; only the first part was analysed." in page_err
    documented = (tmp_path / "pages" / f"big{suffix}.module.md").read_text()
    assert "big_1" in documented
    assert "big_99" not in documented


#: The last two: prose identifiers (a CamelCase run of capitals before a call's "(", a dotted chain): the first
#: made a regular expression backtrack exponentially, and `make test` hung in an eval of the smoke suite.
ADVERSARIAL = [
    "[",
    "[a](",
    "<a ",
    "a.",
    "*a",
    "&",
    "\\",
    "a@",
    " \t",
    "<!--",
    "Ab" + "C" * 40 + "( ",
    "a" + ".b" * 40 + "( ",
]


@pytest.mark.parametrize("pattern", ADVERSARIAL)
def test_adversarial_markdown_is_scored_in_time_linear_in_its_size(pattern: str) -> None:
    # Issue 14: 40 KB of "[" took 12.5 s to score, each regular expression scanning from every "[" to the
    # end. 100 KB of each such run takes about a second now; at quadratic cost it would take minutes.
    analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
    text = "# Calc\n\n" + pattern * (100_000 // len(pattern)) + "x"  # blanks then text: helper-21's case

    report = score_document(text, analysis, "readme")

    assert report.grade == "F"


@pytest.mark.parametrize("suffix", [".py", ".js", ".ts", ".go", ".rs", ".java"])
def test_a_syntax_error_thousands_of_nodes_wide_is_counted_not_queried(suffix: str) -> None:
    # Unclosed brackets by the thousand parse into one flat error node, on which tree-sitter's queries are
    # quadratic (40,000 took 1.2 s; a million, minutes). The file's lines are counted, with a warning.
    analysis = analyze_source("(" * 20_000 + "\n", f"open{suffix}")

    assert analysis.functions == ()
    assert analysis.lines.total == 1
    assert any("a syntax error spans 20,000 nodes (more than 5,000)" in warning for warning in analysis.warnings)


def test_documents_written_earlier_into_the_tree_are_never_read_as_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 14: an output folder inside the source tree was documented again on every run (3, 6, 18
    # documents). Rewrites of src/ written beside it, then the whole project documented: the rewrites
    # are CodeScribe's, not the project's, whatever the folder is called.
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def run(x):\n    return x\n")
    monkeypatch.chdir(tmp_path)

    rewrite = main(["generate", "src", "-p", "offline", "-t", "docstrings", "--out", "rewritten"])
    pages = main(["generate", ".", "-p", "offline", "-t", "module", "--out", "pages"])

    assert (rewrite, pages) == (0, 0)
    assert (tmp_path / "rewritten" / "app.py").is_file()
    assert sorted(path.name for path in (tmp_path / "pages").rglob("*.md")) == ["app.py.module.md"]
    assert "1 documents written to pages/" in capsys.readouterr().err


def test_file_names_with_control_characters_are_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Issue 14: a newline in a file name forged a line of the summary; an escape sequence would recolour it.
    source = tmp_path / "src"
    source.mkdir()
    names = ["evil\nok.py [module]: quality 100 (A).py", "\x1b[31mred.py", "back\rwards.py", "rtl\u202etxt.py"]
    for name in names:
        (source / name).write_text("def f():\n    return 1\n")
    (source / "link\nname.py").symlink_to(tmp_path / "elsewhere.py")  # its warning is logged, not printed
    (tmp_path / "elsewhere.py").write_text("X = 1\n")

    code = main(["generate", str(source), "-p", "offline", "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 0
    assert not any(character in err for character in "\x1b\r\u202e")
    forged = [line for line in err.splitlines() if "quality 100" in line]  # one line, the name's own
    assert len(forged) == 1
    assert forged[0].startswith("evil\\nok.py [module]: quality 100 (A).py [module]: quality ")
    assert "link\\nname.py links to" in caplog.text  # logged: the CLI's stderr shows logging's last resort
    assert "\\x1b[31mred.py [module]" in err


#: Sources whose names, docstrings and defaults carry markup, beside the deep ones above.
MARKUP = {
    "xss.py": '"""Render <script>alert("module")</script> here."""\n\n\n'
    'def render(tag="<img src=x onerror=alert(1)>"):\n'
    '    """Render <iframe src=javascript:alert(2)>, [see](javascript:alert(7))."""\n'
    "    return tag\n",
    "x<b onmouseover=alert(3)>.py": "def f():\n    return 1\n",
    "graph.js": 'export function end() { return "]] --> evil[click"; }\n',
    "evil] --> pwned[x.py": "import graph\n",
}


class _LiveMarkup(HTMLParser):
    """Collects what would run in a browser: event attributes, javascript: URLs, frames, inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def test_hostile_sources_build_a_site_with_no_live_markup(tmp_path: Path) -> None:
    # Issue 14's suite, through the MkDocs plugin: deep nesting takes no page down, and nothing from the
    # code (names, docstrings, defaults) is live in the built HTML.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    source = tmp_path / "src"
    source.mkdir()
    for name, text in {**DEEP, **MARKUP}.items():
        (source / name).write_text(text)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hostile\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Hostile\nplugins:\n  - codescribe:\n      source: src\n      provider: offline\n"
        "      doc_types: [module, architecture]\n"
    )

    config = load_config(str(tmp_path / "mkdocs.yml"))
    build(config)

    pages = list((tmp_path / "site" / "reference").rglob("index.html"))
    assert len(pages) >= len(DEEP) + len(MARKUP)  # a page per file, and the architecture page
    architecture = (tmp_path / "site" / "reference" / "index.html").read_text(encoding="utf-8")
    diagram = architecture.split('<pre class="codescribe-mermaid">', 1)[1].split("</pre>", 1)[0]
    named = [line.strip() for line in diagram.splitlines() if "pwned" in line]
    assert named == ['m1["evil] --#gt; pwned[x"]'], "a file name is a quoted label: it adds no node or edge"
    for page in pages:
        parser = _LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], page


def test_hostile_sources_end_an_evaluation_in_results_or_recorded_errors(tmp_path: Path) -> None:
    # Issue 14's suite, through an evaluation: one hostile file never takes the run down, nor a resume.
    from codescribe.evals.runner import EvalRunner
    from codescribe.evals.suite import Suite

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    entries = []
    for name, text in {**DEEP, **MARKUP}.items():
        if name.endswith(".py") and "<" not in name:
            (corpus / name).write_text(text)
            entries.append(f"- {{path: '{name}', language: python, size: small, lines: 1}}")
    (corpus / "manifest.yaml").write_text("\n".join(entries) + "\n")
    suite = Suite.model_validate(
        {"name": "hostile", "systems": [{"provider": "offline"}], "doc_types": ["module", "docstrings"]}
    )

    first = EvalRunner(suite, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    again = EvalRunner(suite, runs_dir=tmp_path / "runs", run_id=first.run_id, corpus_dir=corpus).run()

    assert first.samples == 2 * len(entries)
    assert again.skipped_done + again.errors == first.samples  # nothing was lost, nothing ran twice


@pytest.mark.parametrize("suffix", [".py", ".js", ".ts", ".go", ".rs", ".java"])
@pytest.mark.parametrize("text", ["<!--" * 8000, "|" + "a|" * 12500 + "\n|" + "-|" * 12500 + "\n"])
def test_input_on_which_tree_sitters_error_recovery_is_quadratic_is_given_up_in_time(suffix: str, text: str) -> None:
    # A new-user trial of issue 14: 32 KB of "<!--" took tree-sitter 68 s to parse as Python, 109 s as Go
    # (its error recovery); the parse is abandoned past a budget of work proportional to the file's size.
    analysis = analyze_source(text, f"hostile{suffix}")

    assert analysis.functions == ()
    assert analysis.lines.total == text.count("\n") + (not text.endswith("\n"))


@pytest.mark.parametrize("name", ["t`<img src=x onerror=alert(1)>`", "u`[click](javascript:alert(2))`", "v``w`"])
def test_a_file_name_with_backticks_stays_code_in_the_pages(name: str, tmp_path: Path) -> None:
    # helper-21's trial of issue 14: names wrapped in single backticks let a file name close the code span,
    # and its markup (an <img onerror>, a javascript: link) came out live in the rendered Markdown.
    from markdown_it import MarkdownIt

    source = tmp_path / "src"
    source.mkdir()
    (source / "core.py").write_text("def f():\n    return 1\n")
    (source / f"{name}.py").write_text("import core\n")

    code = main(
        ["generate", str(source), "-p", "offline", "-t", "module", "-t", "architecture", "--out", str(tmp_path / "o")]
    )

    assert code == 0
    for page in (tmp_path / "o").glob("*.md"):
        parser = _LiveMarkup()
        parser.feed(MarkdownIt("commonmark").render(page.read_text()))
        assert parser.found == [], page.name
        assert "<img" not in MarkdownIt("commonmark").render(page.read_text())


def _live_in_any_renderer(markdown: str) -> list[str]:
    """What would run in a browser once ``markdown`` is rendered by a CommonMark renderer that passes raw HTML
    through (markdown-it-py's default) or by Python-Markdown (MkDocs')."""
    import markdown as python_markdown
    from markdown_it import MarkdownIt

    found = []
    for html in (
        MarkdownIt("commonmark").enable("table").render(markdown),
        python_markdown.markdown(markdown, extensions=["tables", "fenced_code"]),
    ):
        parser = _LiveMarkup()
        parser.feed(html)
        found += parser.found
    return found


def test_pages_the_cli_writes_hold_no_live_markup_from_the_code(tmp_path: Path) -> None:
    # Issue 14: docstrings, defaults and file names carried live tags into the Markdown files `generate` writes,
    # which any site renders as they are (the MkDocs plugin cleaned only its own pages).
    source = tmp_path / "src"
    source.mkdir()
    for name, text in MARKUP.items():
        (source / name).write_text(text)

    for doc_type in ("readme", "api", "module", "architecture"):
        assert main(["generate", str(source), "-p", "offline", "-t", doc_type, "--out", str(tmp_path / "out")]) == 0

    pages = list((tmp_path / "out").rglob("*.md"))
    assert len(pages) == 2 * len(MARKUP) + 2  # api and module pages per file, a project README, ARCHITECTURE.md
    for page in pages:
        assert _live_in_any_renderer(page.read_text(encoding="utf-8")) == [], page
    xss = (tmp_path / "out" / "xss.py.api.md").read_text(encoding="utf-8")
    assert "onerror=alert(1)" in xss  # the default is shown, as text


def test_pages_the_cli_writes_hold_no_live_markup_from_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.scripted_server import ScriptedLLMServer

    answer = (
        "# calc\n\nAdds numbers. <script>alert(1)</script> See <https://example.com>.\n\n"
        '<img src=x onerror="alert(2)">\n\n| a | b |\n|---|---|\n| <iframe src="javascript:alert(3)"> | `List<T>` |\n\n'
        "```html\n<b>an example, kept as it is</b>\n```\n\n    <i>indented code, kept</i>\n\n"
        "See [the guide](javascript:alert(4)), [this](JaVa&#83;cript:alert(5)), "
        "[data](data:text/html;base64,PHNjcmlwdD4=) and [the reference][ref]; [docs](https://example.com/a_(b)) "
        "stays.\n\n[ref]: javascript:alert(6)\n"
    )
    (tmp_path / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    with ScriptedLLMServer(text=answer) as server:
        monkeypatch.setenv("LLM_BASE_URL", server.openai_url)
        monkeypatch.setenv("LLM_API_KEY", "not-a-real-key")
        code = main(
            ["generate", str(tmp_path / "calc.py"), "-p", "openai", "-t", "readme", "--out", str(tmp_path / "out")]
        )

    assert code == 0
    page = (tmp_path / "out" / "calc.py.readme.md").read_text(encoding="utf-8")
    assert _live_in_any_renderer(page) == []
    assert "```html\n<b>an example, kept as it is</b>\n```" in page
    assert "    <i>indented code, kept</i>" in page
    assert "`List<T>`" in page
    assert "<https://example.com>" in page
    assert "[docs](https://example.com/a_(b))" in page
    assert _live_in_any_renderer(answer) != []  # the answer itself was live: the check can fail


def test_thousands_of_classes_with_a_same_named_method_are_checked_each_against_its_own() -> None:
    # Issue 14: a module of thousands of classes each with a method `m` cost quadratic time in three places
    # (8,000 classes: 219 s); each method's table is now matched to its own class through an index.
    from codescribe.engine.generator import DocGenerator
    from codescribe.engine.quality.signatures import false_statements

    count = 2_000
    code = "".join(
        f"class C{i}:\n    def m(self, x: {'str' if i == 7 else 'int'}):\n        '''Doc.'''\n        return x\n\n"
        for i in range(count)
    )
    page = DocGenerator(offline=True).generate_documentation(code, doc_type="api", filename="many.py").documentation
    assert false_statements(page, analyze_source(code, "many.py")) == []  # every table is its own class's

    start = page.index("## `C8`")
    # C8's table says C7's type: true of some `m`, false of C8's own
    wrong = page[:start] + page[start:].replace("| `x` | `int` |", "| `x` | `str` |", 1)

    assert false_statements(wrong, analyze_source(code, "many.py")) == ["x of m is `int`, not `str`"]


@pytest.mark.parametrize(
    ("name", "definition"),
    [("many.go", "func F(a int) {}\n"), ("many.ts", "export function F(a: number): void {}\n")],
)
def test_thousands_of_functions_of_one_name_are_scored_in_linear_time(name: str, definition: str) -> None:
    # helper-22: 5,800 Go functions `F` (98 KB) took 93 s to score (each table row checked against each
    # function, each function's section looked for among every heading), and blocked the HTTP service meanwhile.
    from codescribe.engine.generator import DocGenerator
    from codescribe.engine.quality.signatures import false_statements

    code = ("package p\n\n" if name.endswith(".go") else "") + definition * 1_500
    analysis = analyze_source(code, name)
    page = DocGenerator(offline=True).generate_documentation(code, doc_type="api", filename=name).documentation
    wrong = page.replace("| `a` | `int` |", "| `a` | `string` |").replace("| `a` | `number` |", "| `a` | `string` |")

    assert len(analysis.functions) == 1_500
    assert false_statements(page, analysis) == []
    assert false_statements(wrong, analysis)[0].startswith("a of F is `")  # false of every F: said so


def test_an_example_that_is_a_fenced_block_stays_one_block(tmp_path: Path) -> None:
    # helper-22: an Examples section holding a ```python block (the mkdocstrings convention) was wrapped in a
    # second fence; the inner one closed it, and the next function's heading fell into a code block.
    from markdown_it import MarkdownIt

    from codescribe.engine.generator import DocGenerator

    code = (
        'def add(a: int, b: int) -> int:\n    """Add two numbers.\n\n    Examples:\n        ```python\n'
        '        >>> add(1, 2)\n        3\n        ```\n    """\n    return a + b\n\n\n'
        'def fence() -> str:\n    """A fence: ``` inside a string.\n\n    Examples:\n        >>> print("````")\n'
        '        ````\n    """\n    return "```"\n\n\ndef sub(a: int, b: int) -> int:\n    """Subtract."""\n'
        "    return a - b\n"
    )
    page = DocGenerator(offline=True).generate_documentation(code, doc_type="api", filename="calc.py").documentation
    tokens = MarkdownIt("commonmark").parse(page)

    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings[:3] == ["`add`", "`fence`", "`sub`"]
    examples = [t.content for t in tokens if t.type == "fence" and ">>>" in t.content]
    assert examples == [">>> add(1, 2)\n3\n", '>>> print("````")\n````\n']
