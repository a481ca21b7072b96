"""Quality scoring: a document earns points for content the code backs up, not for keywords.

Each test builds the analysis of a small module the way an analyser would (``analyse`` below
reads Python with ``ast``; the JavaScript one is written out), scores a document against it,
and checks what a user sees: the score and grade, the breakdown, the invented names, the
missing sections.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import pytest

from codescribe.engine import DOC_TYPES
from codescribe.engine.analysis import analyze_source
from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, Parameter
from codescribe.engine.generator import DocGenerator
from codescribe.engine.offline import OfflineEngine
from codescribe.engine.quality import (
    NOTHING_TO_DOCUMENT,
    RUBRICS,
    QualityReport,
    grade_for,
    mean_quality,
    score_document,
)

TEXTKIT = '''\
"""Small text utilities."""

import re

__all__ = ["Tokenizer", "slugify", "word_count"]


def slugify(text: str, separator: str = "-") -> str:
    if not text:
        raise ValueError("empty text")
    return re.sub(r"\\W+", separator, text.lower()).strip(separator)


def word_count(text: str) -> int:
    return len(text.split())


class Tokenizer:
    def __init__(self, lowercase: bool = True) -> None:
        self.lowercase = lowercase

    def tokenize(self, text: str) -> list[str]:
        words = text.split()
        return [word.lower() for word in words] if self.lowercase else words

    def _reset(self) -> None:
        self.lowercase = True
'''


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None = None) -> FunctionInfo:
    arguments = [arg for arg in node.args.args if not (owner and arg.arg in ("self", "cls"))]
    body = [inner for statement in node.body for inner in ast.walk(statement)]
    raises = tuple(
        inner.exc.func.id
        for inner in body
        if isinstance(inner, ast.Raise) and isinstance(inner.exc, ast.Call) and isinstance(inner.exc.func, ast.Name)
    )
    return FunctionInfo(
        name=node.name,
        qualname=f"{owner}.{node.name}" if owner else node.name,
        parameters=tuple(
            Parameter(arg.arg, ast.unparse(arg.annotation) if arg.annotation else None) for arg in arguments
        ),
        returns=ast.unparse(node.returns) if node.returns else None,
        docstring=ast.get_docstring(node),
        is_public=not node.name.startswith("_") or (node.name.startswith("__") and node.name.endswith("__")),
        is_method=owner is not None,
        returns_value=any(isinstance(inner, ast.Return) and inner.value is not None for inner in body),
        raises=raises,
    )


def analyse(source: str, path: str = "textkit.py") -> FileAnalysis:
    """What a Python analyser reports for ``source``: functions, classes, imports, docstrings."""
    tree = ast.parse(source)
    functions = tuple(_function(n) for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
    classes = tuple(
        ClassInfo(
            name=n.name,
            methods=tuple(
                _function(m, n.name) for m in n.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
            ),
            docstring=ast.get_docstring(n),
            is_public=not n.name.startswith("_"),
        )
        for n in tree.body
        if isinstance(n, ast.ClassDef)
    )
    imports = tuple(ImportInfo(alias.name) for n in tree.body if isinstance(n, ast.Import) for alias in n.names)
    exports = tuple(f.name for f in functions if f.is_public) + tuple(c.name for c in classes if c.is_public)
    return FileAnalysis(path, "python", functions, classes, imports, exports, module_docstring=ast.get_docstring(tree))


ANALYSIS = analyse(TEXTKIT)

GOOD_README = """\
# textkit

textkit is a tiny library of text utilities: it turns titles into URL slugs, counts the words in a
passage and splits text into tokens, with nothing beyond the standard library.

## Installation

```bash
pip install textkit
```

## Usage

Turn a title into a slug:

```python
from textkit import slugify
slugify("Hello World")  # "hello-world"
```

Count the words of a passage:

```python
from textkit import word_count
word_count("one two three")  # 3
```

Split text into tokens:

```python
from textkit import Tokenizer
Tokenizer(lowercase=True).tokenize("Hello World")  # ["hello", "world"]
```

## API

| Name | What it does |
|------|--------------|
| `slugify(text, separator="-")` | Joins the lower-cased words of `text` with `separator`; `ValueError` if empty. |
| `word_count(text)` | The number of whitespace-separated words. |
| `Tokenizer` | Splits text into tokens: `tokenize(text)` returns a list of words. |

## License

MIT licensed. Contributions are welcome as pull requests on the project's repository page.
"""


def points(report: QualityReport, name: str) -> tuple[float, str]:
    criterion = next(c for c in report.breakdown if c.name == name)
    return criterion.points, criterion.status


# --- README -----------------------------------------------------------------------------------


def test_a_good_readme_scores_high() -> None:
    report = score_document(GOOD_README, ANALYSIS, "readme")

    assert report.score >= 80
    assert report.grade in ("A", "B")
    assert report.truthfulness == 1.0
    assert report.invented_identifiers == ()
    assert report.completeness == 1.0
    assert [c.name for c in report.breakdown] == [
        "Overview",
        "Installation",
        "Usage examples",
        "API coverage",
        "Structure",
    ]


def test_an_empty_document_scores_low_with_an_f() -> None:
    report = score_document("", ANALYSIS, "readme")

    assert report.score < 20
    assert report.grade == "F"
    assert all(c.status == "missing" for c in report.breakdown)
    assert report.top_suggestion is not None


def test_keywords_without_sections_earn_nothing() -> None:
    report = score_document("# textkit\n\nSee installation and usage.\n", ANALYSIS, "readme")

    assert points(report, "Installation") == (0.0, "missing")
    assert points(report, "Usage examples") == (0.0, "missing")
    assert "Installation" in report.missing_sections
    assert report.grade == "F"


def test_headings_that_only_repeat_their_keyword_earn_nothing() -> None:
    hollow = "# textkit\n\n## Installation\n\nInstallation.\n\n## Usage\n\nSee usage below.\n\n```python\n```\n"

    report = score_document(hollow, ANALYSIS, "readme")

    assert points(report, "Installation") == (0.0, "missing")
    assert points(report, "Usage examples") == (0.0, "missing")


def test_a_thin_section_is_partial() -> None:
    thin = "# textkit\n\n## Installation\n\nUse pip from PyPI.\n"

    report = score_document(thin, ANALYSIS, "readme")

    assert points(report, "Installation") == (7.5, "partial")
    assert "Installation" in report.missing_sections


def test_usage_points_follow_the_number_of_code_examples() -> None:
    def usage(blocks: int) -> float:
        examples = "\n".join(f'```python\nslugify("title {n}")\n```\n' for n in range(blocks))
        return points(score_document(f"# textkit\n\n## Usage\n\n{examples}", ANALYSIS, "readme"), "Usage examples")[0]

    assert [usage(n) for n in (0, 1, 2, 3, 4)] == [0.0, 10.0, 15.0, 20.0, 20.0]


def test_api_coverage_names_what_is_missing() -> None:
    readme = GOOD_README.replace("| `word_count(text)` | The number of whitespace-separated words. |\n", "")
    readme = readme.replace("word_count", "count")

    report = score_document(readme, ANALYSIS, "readme")

    coverage, status = points(report, "API coverage")
    assert (coverage, status) == (16.7, "partial")  # 2 of the 3 public names
    assert report.top_suggestion is not None
    assert "`word_count`" in report.top_suggestion


# --- truthfulness -----------------------------------------------------------------------------


def test_invented_names_lower_truthfulness_and_are_listed() -> None:
    invented = GOOD_README + (
        "\n## More\n\nCall `textkit.unslugify(slug)` to undo it, or `Tokenizer.detokenize()`:\n\n"
        "```python\nfrom textkit import parse_markdown\nparse_markdown(text)\n```\n"
    )

    honest = score_document(GOOD_README, ANALYSIS, "readme")
    lying = score_document(invented, ANALYSIS, "readme")

    assert lying.truthfulness < honest.truthfulness == 1.0
    assert lying.invented_identifiers == ("Tokenizer.detokenize", "parse_markdown", "unslugify")


def test_builtins_imports_paths_and_commands_are_not_claims() -> None:
    readme = GOOD_README + (
        "\n## Notes\n\nReturns the `slug` as a `str` or `None`; see `re.sub`, `config.yaml`, `--verbose`, "
        "`$HOME`, `pip install textkit`, `lowercase=True` and `MAX_LENGTH`.\n\n"
        "```python\nimport json\nfrom pathlib import Path\ntext = Path('a.txt').read_text()\n"
        "print(json.dumps(slugify(text)))\n```\n"
    )

    report = score_document(readme, ANALYSIS, "readme")

    assert report.truthfulness == 1.0
    assert report.invented_identifiers == ()


# --- docstrings -------------------------------------------------------------------------------

DOCUMENTED = '''\
"""Small text utilities."""

import re

__all__ = ["Tokenizer", "slugify", "word_count"]


def slugify(text: str, separator: str = "-") -> str:
    """Turn text into a URL slug.

    Args:
        text (str): The text to turn into a slug.
        separator: What joins the words.

    Returns:
        str: The slug, lower-cased.

    Raises:
        ValueError: If ``text`` is empty.

    Examples:
        >>> slugify("Hello World")
        'hello-world'
    """
    if not text:
        raise ValueError("empty text")
    return re.sub(r"\\W+", separator, text.lower()).strip(separator)


def word_count(text: str) -> int:
    """Count the words in ``text``.

    Args:
        text: The passage.

    Returns:
        int: How many whitespace-separated words it has.

    Examples:
        >>> word_count("one two")
        2
    """
    return len(text.split())


class Tokenizer:
    """Splits text into tokens.

    Args:
        lowercase: Whether tokens are lower-cased.
    """

    def __init__(self, lowercase: bool = True) -> None:
        self.lowercase = lowercase

    def tokenize(self, text: str) -> list[str]:
        """Split ``text`` into tokens.

        Parameters
        ----------
        text : str
            The text to split.

        Returns
        -------
        list[str]
            The tokens, lower-cased when ``lowercase`` is set.

        Examples
        --------
        >>> Tokenizer().tokenize("A b")
        ['a', 'b']
        """
        words = text.split()
        return [word.lower() for word in words] if self.lowercase else words

    def _reset(self) -> None:
        self.lowercase = True
'''

RETURNS_OF_WORD_COUNT = "    Returns:\n        int: How many whitespace-separated words it has.\n\n"
RAISES_OF_SLUGIFY = "    Raises:\n        ValueError: If ``text`` is empty.\n\n"


def test_full_google_and_numpy_docstrings_are_complete() -> None:
    report = score_document(DOCUMENTED, ANALYSIS, "docstrings")

    assert report.completeness == 1.0
    assert report.missing_sections == ()
    assert report.score == 100
    assert report.truthfulness == 1.0


def test_removing_returns_and_raises_lowers_completeness_and_names_them() -> None:
    trimmed = DOCUMENTED.replace(RETURNS_OF_WORD_COUNT, "").replace(RAISES_OF_SLUGIFY, "")

    report = score_document(trimmed, ANALYSIS, "docstrings")

    assert report.completeness < 1.0
    assert set(report.missing_sections) == {"word_count: Returns", "slugify: Raises"}
    assert points(report, "Returns")[1] == "partial"


def test_a_header_without_a_body_does_not_count() -> None:
    hollow = DOCUMENTED.replace(RETURNS_OF_WORD_COUNT, "    Returns:\n\n")

    report = score_document(hollow, ANALYSIS, "docstrings")

    assert report.missing_sections == ("word_count: Returns",)


def test_undocumented_source_scores_its_input_health() -> None:
    report = score_document(TEXTKIT, ANALYSIS, "docstrings")

    assert points(report, "Docstring coverage") == (0.0, "missing")
    assert "slugify: Args" in report.missing_sections
    assert report.improvement == report.score - ANALYSIS.health_score


def test_a_renamed_function_is_an_invented_identifier() -> None:
    report = score_document(DOCUMENTED.replace("def word_count", "def count_words"), ANALYSIS, "docstrings")

    assert "count_words" in report.invented_identifiers
    assert "word_count: Args" in report.missing_sections


SLUG_JS = FileAnalysis(
    path="src/slug.js",
    language="javascript",
    functions=(
        FunctionInfo(
            "slugify",
            "slugify",
            parameters=(Parameter("text"), Parameter("separator", default='"-"')),
            returns_value=True,
            raises=("Error",),
        ),
        FunctionInfo("wordCount", "wordCount", parameters=(Parameter("text"),), returns_value=True),
    ),
    exports=("slugify", "wordCount"),
)

JSDOC = """\
/**
 * Turn text into a URL slug.
 * @param {string} text - The text to slugify.
 * @param {string} [separator="-"] - What joins the words.
 * @returns {string} The slug.
 * @throws {Error} When the text is empty.
 * @example
 * slugify("Hello World"); // "hello-world"
 */
export function slugify(text, separator = "-") {
  if (!text) throw new Error("empty text");
  return text.toLowerCase().split(/\\W+/).join(separator);
}

/**
 * Count the words of a passage.
 * @param {string} text - The passage.
 * @returns {number} How many words it has.
 * @example
 * wordCount("one two"); // 2
 */
export const wordCount = (text) => text.split(/\\s+/).length;
"""


def test_jsdoc_is_read_for_javascript() -> None:
    report = score_document(JSDOC, SLUG_JS, "docstrings")

    assert report.completeness == 1.0
    assert report.score == 100

    trimmed = score_document(JSDOC.replace(" * @returns {number} How many words it has.\n", ""), SLUG_JS, "docstrings")
    assert trimmed.missing_sections == ("wordCount: Returns",)


def test_a_fenced_answer_is_read_inside_its_fence() -> None:
    bare = score_document(DOCUMENTED, ANALYSIS, "docstrings")
    fenced = score_document(f"```python\n{DOCUMENTED}```\n", ANALYSIS, "docstrings")
    markdown = score_document(f"```markdown\n{GOOD_README}```\n", ANALYSIS, "readme")

    assert fenced == bare
    assert markdown == score_document(GOOD_README, ANALYSIS, "readme")


# --- architecture -----------------------------------------------------------------------------

ARCHITECTURE = """\
# textkit architecture

textkit is a single module of pure functions plus one small class; nothing is cached and nothing
touches the network, so every call is cheap and safe to repeat from any thread.

## Components

- `slugify` and `word_count` are stateless functions over strings.
- `Tokenizer` keeps one setting, whether tokens are lower-cased, and splits text into tokens.

## Data flow

Text arrives as a string, is normalised (lower-cased, split on whitespace or non-word characters)
and leaves as a new string, a count or a list, without any state shared between calls.

## Diagram

```mermaid
{diagram}
```

## Design decisions

Only the standard library is used so that the package installs anywhere; the tokenizer is a class
rather than a function so that its settings are chosen once and reused across many calls.
"""


def test_a_mermaid_block_needs_edges_to_earn_diagram_points() -> None:
    without_edges = ARCHITECTURE.replace("{diagram}", "graph TD\n    Text\n    Slug")
    with_edges = ARCHITECTURE.replace("{diagram}", "graph TD\n    Text[text] --> Slug[slugify]\n    Text --> Tokenizer")

    assert points(score_document(without_edges, ANALYSIS, "architecture"), "Diagrams") == (0.0, "missing")
    report = score_document(with_edges, ANALYSIS, "architecture")
    assert points(report, "Diagrams") == (15.0, "complete")
    assert report.completeness == 1.0
    assert report.score == 100


# --- api and module pages ---------------------------------------------------------------------

API = """\
# textkit API

## `slugify(text, separator="-")`

Turns `text` into a URL slug whose words are joined by `separator`.

**Returns:** the slug, as a `str`.

**Raises:** `ValueError` when `text` is empty.

```python
slugify("Hello World")  # "hello-world"
```

## `word_count(text)`

Counts the words of `text`.

**Returns:** the number of words.

## `Tokenizer.tokenize(text)`

Splits `text` into tokens.
"""


def test_api_page_completeness_follows_the_code() -> None:
    report = score_document(API, ANALYSIS, "api")

    assert points(report, "API documented") == (25.0, "complete")
    assert points(report, "Errors") == (15.0, "complete")
    assert set(report.missing_sections) == {
        "word_count: Examples",
        "Tokenizer.tokenize: Returns",
        "Tokenizer.tokenize: Examples",
    }
    assert report.completeness == pytest.approx(7 / 10)


def test_module_page_wants_signatures_in_code() -> None:
    plain = API.replace('`slugify(text, separator="-")`', "slugify").replace("`word_count(text)`", "word_count")
    plain = plain.replace("`Tokenizer.tokenize(text)`", "Tokenizer.tokenize")
    one_signature = plain + '\n```python\ndef slugify(text: str, separator: str = "-") -> str\n```\n'

    assert points(score_document(API, ANALYSIS, "module"), "Signatures") == (20.0, "complete")
    assert points(score_document(one_signature, ANALYSIS, "module"), "Signatures") == (6.7, "partial")  # 1 of 3
    no_code = plain.replace('slugify("Hello World")', "print()")
    assert points(score_document(no_code, ANALYSIS, "module"), "Signatures") == (0.0, "missing")


def test_method_calls_are_judged_by_what_made_the_receiver() -> None:
    page = GOOD_README + (
        "\n## Streams\n\n```python\nfrom pathlib import Path\nfrom textkit import Tokenizer\n"
        "source = Path('a.txt')\nsource.read_text()\ntokens = Tokenizer()\ntokens.tokenize('a')\n"
        "tokens.stream('a')\n```\n"
    )

    report = score_document(page, ANALYSIS, "readme")

    assert report.invented_identifiers == ("Tokenizer.stream",)


# --- the report -------------------------------------------------------------------------------


def test_unknown_doc_type_is_a_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'changelog'") as error:
        score_document("# x", ANALYSIS, "changelog")

    assert all(doc_type in str(error.value) for doc_type in DOC_TYPES)


@pytest.mark.parametrize(
    ("score", "grade"), [(100, "A"), (90, "A"), (89, "B"), (80, "B"), (79, "C"), (70, "C"), (60, "D"), (59, "F")]
)
def test_grade_boundaries(score: int, grade: str) -> None:
    assert grade_for(score) == grade


def test_improvement_is_score_minus_input_health() -> None:
    report = score_document(GOOD_README, ANALYSIS, "readme")

    assert report.input_health == ANALYSIS.health_score
    assert report.improvement == report.score - ANALYSIS.health_score


def test_every_rubric_is_worth_100_points() -> None:
    assert set(DOC_TYPES) == {"readme", "api", "architecture", "docstrings", "module"}
    assert all(sum(spec.max_points for spec in rubric) == 100 for rubric in RUBRICS.values())


def test_the_report_is_json_ready_and_consistent() -> None:
    report = score_document(GOOD_README.replace("## Installation", "## Notes"), ANALYSIS, "readme")
    data = json.loads(json.dumps(report.to_dict()))

    assert abs(data["score"] - sum(c["points"] for c in data["breakdown"])) <= 0.5
    assert data["grade"] == grade_for(data["score"])
    worst = max(report.breakdown, key=lambda c: c.max_points - c.points)
    assert data["top_suggestion"] == worst.suggestion


def test_scoring_is_deterministic_on_a_50_kb_document() -> None:
    section = GOOD_README.split("## API", maxsplit=1)[0].split("## Usage")[1]
    document = GOOD_README + "\n".join(f"## Usage {n}\n{section}" for n in range(140))
    assert len(document) > 50_000

    first = score_document(document, ANALYSIS, "readme")

    assert first == score_document(document, ANALYSIS, "readme")
    assert first.score > 0


def test_file_names_in_code_spans_are_not_counted_as_invented_identifiers() -> None:
    from codescribe.engine.analysis import analyze_source
    from codescribe.engine.quality import score_document

    analysis = analyze_source("def load(path):\n    return path\n", "loader.py")
    report = score_document("# loader\n\nCopy `loader.py` next to your code and call `load()`.\n", analysis, "readme")

    assert report.invented_identifiers == ()
    assert report.truthfulness == 1.0


def test_an_answer_cut_off_inside_its_opening_fence_is_still_read_as_markdown() -> None:
    from codescribe.engine.analysis import analyze_source
    from codescribe.engine.quality import score_document

    analysis = analyze_source("def load(path):\n    return path\n", "loader.py")
    report = score_document("```\n# loader\n\nUse `RestockPlan` to plan.\n", analysis, "readme")

    assert report.invented_identifiers == ("RestockPlan",)


def test_every_doc_type_has_a_rubric_and_templates() -> None:
    from codescribe.engine import DOC_TYPES
    from codescribe.engine.prompts import bundled_prompts_dir
    from codescribe.engine.quality import RUBRICS

    assert set(RUBRICS) == set(DOC_TYPES)
    for doc_type in DOC_TYPES:
        assert (bundled_prompts_dir() / doc_type / "system.j2").is_file()
        assert (bundled_prompts_dir() / doc_type / "user.j2").is_file()


def test_markdown_structure_is_read_as_commonmark_reads_it() -> None:
    """Indented code, a fence inside a list item indented four spaces, nested lists and a table."""
    from codescribe.engine.quality.markdown import parse_markdown

    text = (
        "# Tool\n\nIntro.\n\n    indented = True\n\n"
        "10. Install it:\n\n    ```bash\n    pip install tool\n    ```\n\n"
        "- outer\n  - inner one\n  - inner two\n\n"
        "| name | use |\n|---|---|\n| `run` | runs |\n"
    )
    section = parse_markdown(text).sections[1]
    kinds = [(block.kind, block.text) for block in section.blocks]

    assert ("code", "indented = True") in kinds
    assert [(b.language, b.text) for b in section.code_blocks] == [
        ("", "indented = True"),
        ("bash", "pip install tool"),
    ]
    assert [text for kind, text in kinds if kind == "list"] == ["Install it:", "outer", "inner one", "inner two"]
    assert ("table", "`run` | runs") in kinds


@pytest.mark.parametrize("span", ["lines", "Lines", "lines.", "lines:", "etc.", "e.g.", "Reader"])
def test_plain_english_words_in_code_spans_are_never_invented_identifiers(span: str) -> None:
    analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
    report = score_document(f"# calc\n\nIt counts `{span}` and calls `add()`.\n", analysis, "readme")

    assert report.invented_identifiers == ()
    assert report.truthfulness == 1.0


@pytest.mark.parametrize("span", ["lines()", "read_lines", "readLines", "HttpReader", "calc.lines"])
def test_identifiers_the_code_lacks_are_invented_whatever_their_shape(span: str) -> None:
    analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
    report = score_document(f"# calc\n\nIt counts `{span}` and calls `add()`.\n", analysis, "readme")

    assert len(report.invented_identifiers) == 1
    assert report.truthfulness == 0.5


_SHOP = '''"""A shop."""


class Cart:
    """A cart of items."""

    def add(self, item: str) -> None:
        """Add an item to the cart."""


class Order(dict):
    """An order: a dict, so it has every method a dict has."""


def checkout(cart: Cart) -> int:
    """Pay for the cart."""
    return 0
'''


@pytest.mark.parametrize(
    ("text", "invented"),
    [
        # Trial of issue 12: members of the file's own classes, in dotted spans and in code blocks, were never
        # checked, because the class's name and "cart" appear in the source's docs.
        ("Call `Cart.remove` or `Cart.empty()`.", {"Cart.remove", "Cart.empty"}),
        (
            "```python\nfrom shop import Cart\ncart = Cart()\ncart.remove('x')\ncart.apply_coupon('Y')\n```",
            {
                "Cart.remove",
                "Cart.apply_coupon",
            },
        ),
        # A member the class may inherit from a base the file does not define is not judged.
        ("`Order.items()` and `Order.setdefault`.", set()),
        ("Call `Cart.add` and `checkout(cart)`.", set()),
        # helper-24's trial: names in prose (dotted, called or not, and CamelCase built from the code's own
        # names), and a module of the package an example imports from; product names and English stay out.
        (
            "Call Cart.remove(x) or set Cart.discount; the CartRegistryManager holds carts. Cart.add works.",
            {"Cart.remove", "Cart.discount", "CartRegistryManager"},
        ),
        ("```python\nfrom shop.serializers import JSONCart\n```", {"JSONCart"}),
        ("Runs on GitHub, in JavaScript and PostgreSQL; see Node.js, setup.py and e.g. client.get(url).", set()),
        # helper-25's re-trial: a product named after the class, a plural, a setting, packages with digits
        ("Cart2 replaces existing Carts. Set `mode: fast`; it needs `h11`, not `urllib3`.", set()),
    ],
)
def test_a_member_of_the_files_own_class_that_it_lacks_is_invented(text: str, invented: set[str]) -> None:
    report = score_document(f"# shop\n\n{text}\n", analyze_source(_SHOP, "shop.py"), "readme")

    assert set(report.invented_identifiers) == invented


def test_a_module_of_the_package_that_does_not_exist_is_invented() -> None:
    # helper-24's trial: `from marshmallow.serializers import JSONSerializer` in a README's example.
    text = "# shop\n\n```python\nfrom shop.serializers import JSONCart\nfrom shop.carts import Cart\n```\n"
    report = score_document(text, analyze_source(_SHOP, "shop/__init__.py"), "readme", modules=["shop", "shop.carts"])

    assert set(report.invented_identifiers) == {"shop.serializers", "JSONCart"}


def test_a_rust_types_methods_in_other_files_are_not_invented() -> None:
    # anyhow's lib.rs declares `Error`; its methods are in error.rs.
    analysis = analyze_source("/// An error.\npub struct Error {\n    inner: u8,\n}\n", "lib.rs")
    report = score_document("# anyhow\n\nWalk `Error.chain()` or `Error::root_cause`.\n", analysis, "readme")

    assert report.invented_identifiers == ()


@pytest.mark.parametrize("doc_type", ["api", "module", "readme", "docstrings"])
def test_the_page_for_an_empty_file_scores_nothing_and_says_why(doc_type: str) -> None:
    from codescribe.engine.generator import DocGenerator

    report = DocGenerator(offline=True).generate_documentation("", doc_type=doc_type, filename="empty.py").quality

    assert report.score == 0
    assert "empty" in (report.top_suggestion or "")


def test_an_api_page_for_code_without_an_api_scores_nothing_and_says_why() -> None:
    analysis = analyze_source('import os\n\nos.system("ls")\n', "script.py")
    report = score_document("# API\n\nThis module has no public API.\n", analysis, "api")

    assert report.score == 0
    assert "defines nothing public" in (report.top_suggestion or "")


@pytest.mark.parametrize(
    ("reexports", "name"),
    [
        ("from .core import *\n", "__init__.py"),
        ("from attr.validators import *  # noqa: F403\n", "validators.py"),
        ("from .core import f as f\n", "__init__.py"),
        ('from .core import f\n__all__ = ["f"]\n', "__init__.py"),
        ('export * from "./core"\n', "index.js"),
    ],
)
@pytest.mark.parametrize("doc_type", ["docstrings", "api", "module"])
def test_a_module_that_only_reexports_has_a_public_api(reexports: str, name: str, doc_type: str) -> None:
    """Trial 34: an ``__init__.py`` that re-exports ``f`` scored 0 (F, "defines nothing public")."""
    analysis = analyze_source(reexports, name)
    document = reexports if doc_type == "docstrings" else "# pkg\n\nThe public names of the package.\n"

    report = score_document(document, analysis, doc_type)

    assert not report.nothing_to_document
    assert "nothing public" not in (report.top_suggestion or "")
    assert report.grade != NOTHING_TO_DOCUMENT


def test_a_reexporting_module_and_a_module_of_one_constant_are_scored_alike() -> None:
    """Trial 34: with the same module docstring, one scored 0 (F), the other 70 (C)."""
    docstring = '"""The public names of the package."""\n'
    reexporting = docstring + 'from .core import *\n\n__version__ = "1.0"\n'
    constant = docstring + "X = 1\n"

    reports = [score_document(code, analyze_source(code, "m.py"), "docstrings") for code in (reexporting, constant)]

    assert reports[0].score == reports[1].score
    assert reports[0].grade == reports[1].grade


@pytest.mark.parametrize("code", ["", 'import os\n\nos.system("ls")\n', "def __getattr__(name):\n    return 1\n"])
@pytest.mark.parametrize("doc_type", ["docstrings", "api", "module"])
def test_code_with_nothing_to_document_is_reported_so_not_graded(code: str, doc_type: str) -> None:
    analysis = analyze_source(code, "script.py")
    report = score_document(code if doc_type == "docstrings" else "# script\n\nRuns a command.\n", analysis, doc_type)
    graded = score_document("# calc\n\nAdds.\n", analyze_source("def add(a, b):\n    return a + b\n", "c.py"), "api")

    assert report.nothing_to_document
    assert report.grade == NOTHING_TO_DOCUMENT
    assert report.improvement == 0  # not "-100": the document made nothing worse
    assert "nothing to document" in (report.top_suggestion or "")
    assert mean_quality([report, graded]) == graded.score
    assert mean_quality([report]) is None


@pytest.mark.parametrize("boilerplate", ["Init.", "Add.", "Add a b.", "TODO", "Function."])
def test_boilerplate_docstrings_count_as_none(boilerplate: str) -> None:
    analysis = analyze_source(
        "class Calc:\n    def __init__(self):\n        pass\n\n    def add(self, a, b):\n        return a + b\n",
        "calc.py",
    )
    document = (
        f'class Calc:\n    def __init__(self):\n        """{boilerplate}"""\n        pass\n\n'
        f'    def add(self, a, b):\n        """{boilerplate}"""\n        return a + b\n'
    )
    real = document.replace(f'"""{boilerplate}"""\n        return', '"""Sum two numbers, a and b."""\n        return')

    assert score_document(document, analysis, "docstrings").score < score_document(real, analysis, "docstrings").score
    coverage = next(
        c for c in score_document(document, analysis, "docstrings").breakdown if c.name == "Docstring coverage"
    )
    assert "`Calc.add`" in (coverage.suggestion or "")  # said to be undocumented


READ_ME = """# calc

Adds numbers for small scripts and notebooks, with nothing to install beyond Python.

## Installation

Install it with pip, then import `add` from the `calc` module in your own code.

```bash
pip install calc
```

## Usage

```python
from calc import add
add(1, 2)
```

## License

MIT, like the rest of the project's code and its documentation.
"""


@pytest.mark.parametrize(
    ("name", "degrade"),
    [
        (
            "Empty sections",
            lambda text: text.replace("MIT, like the rest of the project's code and its documentation.\n", ""),
        ),
        (
            "Repeated paragraphs",
            lambda text: text.replace(
                "## Usage",
                "Install it with pip, then import `add` from the `calc` module in your own code.\n\n## Usage",
            ),
        ),
        (
            "Sections out of order",
            lambda text: (
                text.replace("## License\n\nMIT", "## Usage2\n\nMIT")
                .replace("## Installation", "## License")
                .replace("## Usage2", "## Installation")
            ),
        ),
        ("Invented names", lambda text: text.replace("add(1, 2)", "mul(1, 2)")),
    ],
)
def test_each_fault_costs_points_and_names_itself(name: str, degrade: Any) -> None:
    analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
    before = score_document(READ_ME, analysis, "readme")
    after = score_document(degrade(READ_ME), analysis, "readme")

    assert [c.name for c in before.breakdown if c.status == "fault"] == []
    assert after.score < before.score
    fault = next(c for c in after.breakdown if c.name == name)
    assert fault.points < 0
    assert fault.suggestion


def test_a_file_of_protocol_methods_alone_has_nothing_to_document() -> None:
    """``def __getattr__`` alone once scored 100 (A): every criterion skipped it, so each passed empty."""
    code = "def __getattr__(name: str) -> int:\n    return 1\n"
    analysis = analyze_source(code, "m.py")

    for doc_type in ("docstrings", "api"):
        report = score_document(code if doc_type == "docstrings" else "# m\n\nA module.\n", analysis, doc_type)
        assert report.score == 0
        assert "defines nothing public" in (report.top_suggestion or "")


def test_a_doc_that_only_adds_defaults_and_optional_is_boilerplate() -> None:
    """``Optional; defaults to None.`` is what the signature says (a new user's trial of itsdangerous)."""
    code = "def want_bytes(s, encoding='utf-8'):\n    return s\n"
    analysis = analyze_source(code, "encoding.py")
    restated = code.replace(
        "    return s",
        '    """Want bytes.\n\n    Args:\n        s: Required.\n'
        '        encoding (str): Optional; defaults to "utf-8".\n    """\n    return s',
    )

    coverage = next(
        c for c in score_document(restated, analysis, "docstrings").breakdown if c.name == "Docstring coverage"
    )
    assert coverage.points == 0
    assert "restates the signature" in (coverage.suggestion or "")


def test_a_broken_diagram_costs_points_in_a_readme_too() -> None:
    analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
    page = "# calc\n\nAdds numbers for programs that need sums.\n\n```mermaid\nflowchart TD\n    start --> {}\n```\n"

    good, broken = (score_document(page.format(node), analysis, "readme") for node in ("finish", "end"))

    assert broken.score < good.score
    fault = next(c for c in broken.breakdown if c.name == "Broken diagrams")
    assert "end" in (fault.suggestion or "")


def test_a_parameter_table_row_without_a_description_documents_nothing() -> None:
    analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
    table = "# calc\n\n## `add`\n\nAdds.\n\n| Parameter | Description |\n|---|---|\n| `a` | {} |\n| `b` | {} |\n"

    empty, described = (score_document(table.format(text, text), analysis, "api") for text in ("—", "a number"))

    assert points(empty, "Parameters")[0] == 0
    assert points(described, "Parameters")[0] == 20


# tomli 2.0.1, src/tomli/_types.py: a module of type aliases and nothing else.
TOMLI_TYPES = (
    "from typing import Any, Callable, Tuple\n\nParseFloat = Callable[[str], Any]\nKey = Tuple[str, ...]\nPos = int\n"
)


@pytest.mark.parametrize("doc_type", ["api", "module"])
def test_a_page_of_constants_listed_without_saying_what_they_are_is_not_complete(doc_type: str) -> None:
    analysis = analyze_source(TOMLI_TYPES, "tomli/_types.py")
    listed = "# `tomli._types`\n\n## Constants\n\n- `ParseFloat = Callable[[str], Any]`\n- `Key = Tuple[str, ...]`\n"
    listed += "- `Pos = int`\n"
    described = "# `tomli._types`\n\nType aliases the TOML parser shares.\n\n## Constants\n\n"
    described += "- `ParseFloat = Callable[[str], Any]`: the function that turns a TOML float's text into a value.\n"
    described += "- `Key = Tuple[str, ...]`: a dotted key, one string per part.\n"
    described += "- `Pos = int`: an index into the document's text.\n"
    bare, good = (score_document(page, analysis, doc_type) for page in (listed, described))
    coverage = bare.breakdown[0 if doc_type == "api" else 1].suggestion or ""
    assert bare.score <= 60
    assert "constant" in coverage
    assert "`Key`" in coverage
    assert good.score >= bare.score + 30


def test_a_file_of_constants_is_covered_by_its_module_docstring_alone() -> None:
    # Trial of issue 12: a docstrings run on a file of constants scored 100 with nothing documented.
    from codescribe.engine import analyze_source, score_document

    bare = "MAX = 10\nNAMES = ['a', 'b']\n"
    said = '"""Limits the shop applies to every order."""\n' + bare
    analysis = analyze_source(bare, "limits.py")

    assert score_document(bare, analysis, "docstrings").score < 80
    assert score_document(said, analysis, "docstrings").score == 100
    assert score_document('"""Limits."""\n' + bare, analysis, "docstrings").score < 80, "the module's name again"


def test_an_api_page_of_boilerplate_documents_nothing() -> None:
    # Trial of issue 12: a page saying only "Add item." and "`cart` | The cart." scored 80 (B).
    code = (
        "def add_item(cart, item, quantity=1):\n    if quantity < 1:\n        raise ValueError('q')\n"
        "    cart.append(item)\n    return len(cart)\n"
    )
    empty = (
        "# API reference\n\n## `add_item`\n\nAdd item.\n\n| Parameter | Description |\n|---|---|\n"
        "| `cart` | The cart. |\n| `item` | The item. |\n| `quantity` | The quantity. |\n\n"
        "**Returns:** The result.\n\n**Raises:** `ValueError`.\n"
    )
    said = empty.replace("Add item.", "Puts `item` in `cart` and says how many items the cart now holds.")
    said = said.replace("The quantity.", "How many to add; at least 1, else `ValueError`.")
    analysis = analyze_source(code, "cart.py")

    hollow, full = score_document(empty, analysis, "api"), score_document(said, analysis, "api")

    assert hollow.breakdown[0].points == 0, "the section says nothing the signature does not"
    assert hollow.breakdown[1].points < full.breakdown[1].points
    assert hollow.score < 60 <= full.score


def test_convention_names_and_rusts_prelude_are_no_invented_identifiers() -> None:
    # Trial of issue 12: truthfulness flagged `snake_case` on a Python page and `FnOnce` on a Rust one.
    python = "def parse_name(text):\n    return text\n"
    page = "# names\n\n## Overview\n\nReads names in `snake_case` or `camelCase`.\n\n## `parse_name`\n\nParses it.\n"
    rust = "pub fn run<F: FnOnce() -> i32>(f: F) -> i32 { f() }\n"
    rust_page = "# run\n\n## Overview\n\nCalls a `FnOnce` closure; see `Box<dyn Error>`.\n\n## `run`\n\nRuns `f`.\n"

    assert score_document(page, analyze_source(python, "names.py"), "module").invented_identifiers == ()
    assert score_document(rust_page, analyze_source(rust, "lib.rs"), "module").invented_identifiers == ()
    invented = score_document(page.replace("camelCase", "parse_names"), analyze_source(python, "names.py"), "module")
    assert invented.invented_identifiers == ("parse_names",), "a name the code lacks is still caught"


_INVENTORY = '''def add_item(stock: dict, name: str, count: int = 1) -> dict:
    """Add count units of name to stock."""
    stock[name] = stock.get(name, 0) + count
    return stock
'''


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("add_item(stock: dict, name: str, count: int = 1) -> dict", "add_item(x, y, z, w) -> None"),
        ("| `stock` | `dict` |", "| `stock` | `Frobnicator` |"),
        ("| `count` | `int` | `1` |", "| `count` | `int` | `100` |"),
    ],
)
def test_a_false_signature_type_or_default_costs_points(before: str, after: str) -> None:
    # Trial of issue 12: an API page whose signature, types or defaults the code contradicts scored
    # as well as the true one.
    analysis = analyze_source(_INVENTORY, "inventory.py")
    page = DocGenerator(offline=True).generate_documentation(_INVENTORY, doc_type="api", filename="inventory.py")
    assert before in page.documentation
    false = page.documentation.replace(before, after)

    true_report, false_report = (
        score_document(page.documentation, analysis, "api"),
        score_document(false, analysis, "api"),
    )

    assert "False signatures" not in {c.name for c in true_report.breakdown}
    assert false_report.score < true_report.score
    assert "False signatures" in {c.name for c in false_report.breakdown}


@pytest.mark.parametrize(
    ("code", "filename", "signature"),
    [
        # Go's results in parentheses, Rust's lifetimes on the receiver: no parameter is invented.
        (
            "package p\n\n// F does.\nfunc F(a int) (n int, err error) { return }\n",
            "p.go",
            "func F(a int) (n int, err error)",
        ),
        ("pub fn provide<'a>(&'a self, demand: &mut u8) {}\n", "lib.rs", "fn provide<'a>(&'a self, demand: &mut u8)"),
        ("def f(a, *args, b=1, **kw):\n    pass\n", "m.py", "def f(a, *args, b=1, **kw)"),
    ],
)
def test_a_true_signature_is_no_false_statement(code: str, filename: str, signature: str) -> None:
    from codescribe.engine.quality.signatures import false_statements

    assert false_statements(f"```\n{signature}\n```\n", analyze_source(code, filename)) == []


@pytest.mark.parametrize(
    ("code", "filename", "sentence"),
    [
        # JavaScript's and the browser's globals (the globals package's lists): not names the code must define.
        ("export function f() {}\n", "f.ts", "Works with `fetch`, `FormData`, `AbortSignal` and `Uint8Array`."),
        # A nested Java class by its own name, as code that imports it writes it (jsoup's Evaluator.IsEmpty).
        (
            "public abstract class Evaluator {\n  public static final class IsEmpty extends Evaluator {}\n}\n",
            "Evaluator.java",
            "Use `IsEmpty` to match empty elements.",
        ),
        # Platform tags and Python's codec names.
        ("def f():\n    pass\n", "f.py", "Wheels for `x86_64` and `aarch64`; it reads `utf_8` and `latin_1`."),
    ],
)
def test_names_the_world_defines_are_not_invented(code: str, filename: str, sentence: str) -> None:
    analysis = analyze_source(code, filename)

    report = score_document(f"# f\n\n{sentence}\n", analysis, "readme")

    assert report.invented_identifiers == ()


_GO_EQUAL = (
    "package assert\n\n{doc}func Equal(expected interface{{}}, actual interface{{}}, "
    "msgAndArgs ...interface{{}}) bool {{\n\treturn true\n}}\n"
)


def test_go_doc_comments_are_scored_by_go_conventions_not_python_sections() -> None:
    # Trial of issue 12 (testify): an idiomatic Go doc comment scored 43 while boilerplate
    # ("TestX takes t *testing.T.") scored 72: Go was graded on Args/Returns/>>> sections it never uses.
    idiomatic = (
        "// Equal asserts that expected and actual are equal.\n//\n//\ta.Equal(123, 123)\n//\n"
        "// It returns whether the assertion held; msgAndArgs are added to the failure message.\n"
    )
    boilerplate = "// Equal takes expected interface{}, actual interface{} and msgAndArgs ...interface{}.\n"
    analysis = analyze_source(_GO_EQUAL.format(doc=""), "assert.go")

    good = score_document(_GO_EQUAL.format(doc=idiomatic), analysis, "docstrings")
    bad = score_document(_GO_EQUAL.format(doc=boilerplate), analysis, "docstrings")

    assert good.score >= 90
    assert bad.score < good.score - 50


def test_an_example_importing_an_invented_name_from_the_package_itself_is_caught(tmp_path: Any) -> None:
    # Trial of issue 12: ``import { rangeOf } from "tiny-range"`` in a README made ``rangeOf`` pass
    # everywhere, though the package exports ``range`` only; a default binding stays the caller's name.
    from codescribe.engine.analysis.project import analyze_project
    from codescribe.engine.generator import project_readme_request

    (tmp_path / "package.json").write_text('{"name": "tiny-range", "main": "src/index.js"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.js").write_text("export function range(a, b) {\n  return [a, b];\n}\n")
    project = analyze_project(tmp_path)
    analysis = project_readme_request(project).analysis
    readme = (
        '# tiny-range\n\n```js\nimport {{ {name} }} from "tiny-range";\nimport rng from "tiny-range";\n'
        "{name}(1, 3);\n```\n"
    )

    invented = score_document(readme.format(name="rangeOf"), analysis, "readme", modules=project.modules)
    true = score_document(readme.format(name="range"), analysis, "readme", modules=project.modules)

    assert invented.invented_identifiers == ("rangeOf",)
    assert true.invented_identifiers == ()


UNDOCUMENTED = {
    "calc.py": "def scale(value, factor=2):\n    if value < 0:\n        raise ValueError('negative')\n"
    "    return value * factor\n",
    "calc.js": "export function scale(value, factor = 2) {\n  if (value < 0) throw new Error('negative');\n"
    "  return value * factor;\n}\n",
    "Calc.java": "public class Calc {\n  public static java.math.BigDecimal scale(String s, int factor) {\n"
    "    return new java.math.BigDecimal(s).multiply(java.math.BigDecimal.valueOf(factor));\n  }\n}\n",
    "calc.go": "package calc\n\nfunc Scale(value int, factor int) int {\n\treturn value * factor\n}\n\n"
    "func Example_scale() {\n\tScale(1, 2)\n}\n",
    "calc.rs": "pub fn scale(value: i64, factor: i64) -> Result<i64, String> {\n    Ok(value * factor)\n}\n",
}


@pytest.mark.parametrize("name", list(UNDOCUMENTED))
def test_the_offline_engines_boilerplate_scores_as_no_documentation_in_every_language(name: str) -> None:
    # helper-24's trial (issue 12): `Nanoid. @param {number} [size=21] @returns the result.` scored 79 (C),
    # `@return the result ({@code BigDecimal})` 85, `// Example_basic takes no arguments.` 85; Python's 4.
    source = UNDOCUMENTED[name]
    analysis = analyze_source(source, name)
    boilerplate = OfflineEngine().docstrings(analysis, source)
    assert boilerplate != source  # the offline engine did write its doc comments

    none = score_document(source, analysis, "docstrings").score
    written = score_document(boilerplate, analysis, "docstrings").score

    assert written <= none + 10, (name, none, written, boilerplate)


def test_a_hand_written_template_naming_the_receiver_says_nothing() -> None:
    # helper-25's re-trial: "* `self` - The self." (the receiver, in no parameter list) earned once_cell 61.
    source = (
        "pub struct Cell(u8);\n\nimpl Cell {\n    pub fn get(&self, index: usize) -> u8 {\n        self.0\n    }\n}\n"
    )
    doc = "    /// The get function.\n    ///\n    /// # Arguments\n    ///\n    /// * `self` - The self.\n"
    doc += "    /// * `index` - The index.\n    ///\n    /// # Returns\n    ///\n    /// The result.\n"
    analysis = analyze_source(source, "cell.rs")
    written = source.replace("    pub fn get", doc + "    pub fn get")

    assert score_document(written, analysis, "docstrings").score <= score_document(source, analysis, "docstrings").score


_GO_PIPE = "package pipe\n\nfunc Merge(in <-chan int, done chan<- bool, n int) int { return n }\n"
_RUST_PARSE = "pub fn parse<'a>(input: &'a str, f: impl Fn(u8) -> u8, n: usize) -> usize { n }\n"
_TS_PICK = "export function pick(keys: Map<string, number>, f: (a: number) => void, limit = 0) {}\n"


@pytest.mark.parametrize(
    ("code", "filename", "true_line", "false_line"),
    [
        # Go's channel directions: the `<` of `<-chan` and `chan<-` opened a bracket that never closed, and the
        # whole list was one part, so an invented parameter went unseen.
        (
            _GO_PIPE,
            "pipe.go",
            "func Merge(in <-chan int, done chan<- bool, n int) int",
            "func Merge(in <-chan int, done chan<- bool, bogus int) int",
        ),
        # Rust: a lifetime's `'` opened a string, and `->` closed a bracket.
        (
            _RUST_PARSE,
            "lib.rs",
            "fn parse<'a>(input: &'a str, f: impl Fn(u8) -> u8, n: usize) -> usize",
            "fn parse<'a>(input: &'a str, f: impl Fn(u8) -> u8, bogus: usize) -> usize",
        ),
        # TypeScript: `=>` inside a function type.
        (
            _TS_PICK,
            "pick.ts",
            "function pick(keys: Map<string, number>, f: (a: number) => void, limit = 0)",
            "function pick(keys: Map<string, number>, f: (a: number) => void, bogus = 0)",
        ),
    ],
)
def test_an_invented_parameter_after_arrows_channels_and_lifetimes_is_found(
    code: str, filename: str, true_line: str, false_line: str
) -> None:
    from codescribe.engine.quality.signatures import false_statements

    analysis = analyze_source(code, filename)

    assert false_statements(f"```\n{true_line}\n```\n", analysis) == []
    name = re.search(r"(?:func|fn|function) (\w+)", true_line)[1]  # type: ignore[index]
    assert false_statements(f"```\n{false_line}\n```\n", analysis) == [f"`{false_line}`: {name} has no parameter bogus"]


_STORE = """class Store:
    def __init__(self, path: str) -> None:
        self.path = path

    def add(self, name: str, count: int = 1) -> None:
        pass


def open_store(path: str, create: bool = False) -> Store:
    return Store(path)
"""


@pytest.mark.parametrize(
    ("example", "faults"),
    [
        ("store = open_store('a.db', create=True)\nstore.add('pen', count=2)", []),
        ("open_store('a.db', make=True)", ["`open_store('a.db', make=True)`: open_store has no parameter make"]),
        ("s = Store('a.db')\ns.add('pen', amount=2)", ["`s.add('pen', amount=2)`: add has no parameter amount"]),
        (
            ">>> Store('a.db').add('pen', amount=2)",
            ["`Store('a.db').add('pen', amount=2)`: add has no parameter amount"],
        ),
        (
            "import store\nstore.open_store('a.db', make=True)",
            ["`store.open_store('a.db', make=True)`: open_store has no parameter make"],
        ),
        # Calls the example does not resolve to the code: another library's object, the example's own variable,
        # a builtin, a name imported from elsewhere.
        ("from flask import Flask\napp = Flask(__name__)\napp.add('x', amount=1)", []),
        ("add = functools.partial(print, sep='')\nadd('pen', amount=2)", []),
        ("open('a.db', newline='')", []),
        ("from shelve import open_store\nopen_store('a.db', make=True)", []),
    ],
)
def test_a_keyword_argument_the_called_function_does_not_take_is_false(example: str, faults: list[str]) -> None:
    # A keyword argument in an example names a parameter: a reader who copies `make=True` gets a TypeError.
    from codescribe.engine.quality.signatures import false_statements

    assert false_statements(f"```python\n{example}\n```\n", analyze_source(_STORE, "store.py")) == faults


def test_a_function_that_may_take_other_keywords_is_not_judged() -> None:
    from codescribe.engine.quality.signatures import false_statements

    code = "import functools\n\n\ndef f(a, **options):\n    pass\n\n\n@functools.cache\ndef g(a):\n    pass\n"

    assert false_statements("```python\nf(1, color=2)\ng(1, color=2)\n```\n", analyze_source(code, "m.py")) == []


def test_keyword_arguments_are_judged_once_per_called_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # The service's costly request (12,000 broken `def f(:`) took over 300 s: every call of `f` on the page
    # looked at all 12,000 functions named f again.
    from codescribe.engine.quality import signatures

    looked: list[str] = []
    declared = signatures._parameters_as_declared

    def counted(function: FunctionInfo) -> bool:
        looked.append(function.name)
        return declared(function)

    monkeypatch.setattr(signatures, "_parameters_as_declared", counted)
    analysis = analyze_source("def f(:\n" * 300, "m.py")  # a syntax error: tree-sitter keeps every f
    example = "\n".join(f"f({i}, b=3)" for i in range(300))

    faults = signatures.false_statements(f"```python\n{example}\n```\n", analysis)

    assert len([function for function in analysis.functions if function.name == "f"]) == 300
    assert len(faults) == 300
    assert all(fault.endswith("f has no parameter b") for fault in faults)
    assert len(looked) <= 300
