"""`-t readme` on a folder writes one README for the project, from its manifest; on a file, one for the file."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from codescribe.cli import main
from codescribe.engine.analysis.manifest import Manifest, read_manifest
from codescribe.engine.analysis.project import analyze_project
from codescribe.engine.estimate import estimate_run
from codescribe.engine.generator import project_readme_request
from codescribe.engine.quality import Criterion, QualityReport, score_document

# The manifests of real packages, abridged: rich 13.9.4 (Poetry), cobra 1.6.1, anyhow 1.0.69.
POETRY = '[tool.poetry]\nname = "rich"\nversion = "13.9.4"\ndescription = "Render rich text to the terminal"\n'
GO_MOD = "module github.com/spf13/cobra\n\ngo 1.15\n"
CARGO = '[package]\nname = "anyhow"\nversion = "1.0.69"\ndescription = "Flexible concrete Error type"\n'


def _project(root: Path) -> Path:
    (root / "shop").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\ndescription = "A tiny shop."\n[project.scripts]\nshop = "shop.cli:main"\n'
    )
    (root / "shop" / "__init__.py").write_text('"""A tiny shop."""\nfrom .prices import total\n')
    (root / "shop" / "prices.py").write_text('def total(prices: list[int]) -> int:\n    """Sum."""\n    return 0\n')
    (root / "shop" / "_cache.py").write_text("def clear() -> None:\n    pass\n")
    return root


def test_a_folder_gets_one_readme_from_its_manifest(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    out = tmp_path / "out"

    assert main(["generate", str(root), "-p", "offline", "-t", "readme", "--out", str(out)]) == 0

    pages = sorted(p.name for p in out.rglob("*.md"))
    assert pages == ["proj.readme.md"]
    page = (out / "proj.readme.md").read_text()
    assert page.startswith("# shop\n\nA tiny shop.")
    assert "pip install shop" in page
    assert "The command `shop` runs `shop.cli:main`" in page
    assert "from shop.prices import total\nresult = total([])" in page
    assert "`shop.prices`" in page
    assert "shop._cache" not in page
    assert estimate_run(root, provider="offline", doc_types=["readme"]).documents == len(pages)


def test_a_file_gets_its_own_readme(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    out = tmp_path / "out"

    assert main(["generate", str(root / "shop" / "prices.py"), "-p", "offline", "--out", str(out)]) == 0

    assert sorted(p.name for p in out.rglob("*.md")) == ["prices.py.readme.md"]


def test_manifests_of_every_language_are_read(tmp_path: Path) -> None:
    for name, text in (("pyproject.toml", POETRY), ("go.mod", GO_MOD), ("Cargo.toml", CARGO)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text(text)
        manifest = read_manifest(folder)
        assert manifest is not None
        assert manifest.install in ("pip install rich", "go get github.com/spf13/cobra", "cargo add anyhow")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "pyproject.toml").write_text("[project\n")
    assert read_manifest(tmp_path / "broken") is None


def _score(root: Path, page: str) -> QualityReport:
    return score_document(page, project_readme_request(analyze_project(root)).analysis, "readme")


def test_an_npm_default_export_is_called_by_the_package_name(tmp_path: Path) -> None:
    # ms 2.1.3: `module.exports = function (val, options)`, its package.json's "main": "./index".
    root = _write(
        tmp_path / "ms",
        {
            "package.json": '{"name": "ms", "description": "Tiny millisecond conversion utility", "main": "./index"}',
            "index.js": "module.exports = function (val, options) {\n  return val;\n};\n",
        },
    )
    page = _offline_readme(root, tmp_path / "out")
    assert 'import ms from "ms";\nlet val;\nlet options;\nconst result = ms(val, options);' in page
    assert "default(" not in page
    report = _score(root, page)
    assert report.invented_identifiers == ()  # "main" is the manifest's key, not an invented name
    # ms's own README calls `ms('2 days')`: the default export is covered by the name its users call it by.
    own = "# ms\n\nConvert time formats to milliseconds.\n\n## Examples\n\n```js\nms('2 days')  // 172800000\n```\n"
    assert _criterion(_score(root, own), "API coverage").status == "complete"


def test_a_readme_covers_the_library_not_its_tests(tmp_path: Path) -> None:
    # itsdangerous 2.2.0's layout: src/itsdangerous, tests/test_itsdangerous, docs/conf.py.
    root = _write(
        tmp_path / "signing",
        {
            "pyproject.toml": '[project]\nname = "signing"\n',
            "src/signing/__init__.py": "from .signer import Signer as Signer\n\n\n"
            "def __getattr__(name):\n    return name\n",
            "src/signing/signer.py": "class Signer:\n    def sign(self, value):\n        return value\n\n\n"
            "def want_bytes(s):\n    return s\n",
            "tests/test_signing/test_signer.py": "from signing.signer import Signer\n\n\ndef test_sign():\n"
            "    assert Signer()\n",
            "docs/conf.py": "project = 'signing'\n",
        },
    )
    page = _offline_readme(root, tmp_path / "out")
    assert "| `signing.signer` |" in page  # the name it is imported by, not src.signing.signer
    assert "| `signing` | — | Signer |" in page  # `Signer as Signer` re-exports it
    assert "test_sign" not in page
    assert "conf" not in page
    assert "from signing.signer import want_bytes" in page
    assert "__getattr__" not in page
    assert analyze_project(root).import_graph()["tests.test_signing.test_signer"] == {"signing.signer"}
    names = {f.name for f in project_readme_request(analyze_project(root)).analysis.functions}
    assert "test_sign" not in names


def test_an_overview_of_counts_says_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    counts = "# shop\n\nshop has 3 modules in python.\n\n## Usage\n\n```python\ntotal([1, 2])\n```\n"
    purpose = "# shop\n\nshop prices a basket of goods and totals it.\n\n## Usage\n\n```python\ntotal([1, 2])\n```\n"

    assert _criterion(_score(root, counts), "Overview").points == 0
    assert _criterion(_score(root, purpose), "Overview").points > 0


def _criterion(report: QualityReport, name: str) -> Criterion:
    return next(criterion for criterion in report.breakdown if criterion.name == name)


def test_a_source_distribution_is_named_by_its_metadata(tmp_path: Path) -> None:
    # python-slugify 8.0.4's sdist: setup.py, setup.cfg without [metadata] name, and PKG-INFO.
    root = tmp_path / "python-slugify-8.0.4"
    (root / "slugify").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools"]\n')  # no [project]: passed over
    (root / "PKG-INFO").write_text(
        "Metadata-Version: 2.1\nName: python-slugify\nVersion: 8.0.4\nSummary: A slugifier\n"
    )
    (root / "setup.py").write_text("def status(s):\n    return s\n")
    (root / "slugify" / "__init__.py").write_text("def slugify(text):\n    return text\n")
    manifest = read_manifest(root)
    assert manifest is not None
    assert (manifest.file, manifest.name, manifest.install) == (
        "PKG-INFO",
        "python-slugify",
        "pip install python-slugify",
    )
    (root / "setup.cfg").write_text("[metadata]\nname = python-slugify\ndescription = Slugs\n")
    assert read_manifest(root) == Manifest("setup.cfg", "python-slugify", "Slugs", None, "pip install python-slugify")
    out = tmp_path / "out"

    assert main(["generate", str(root), "-p", "offline", "-t", "readme", "--out", str(out)]) == 0

    page = next(out.glob("*.md")).read_text()
    assert page.startswith("# python-slugify\n")
    assert "from setup import" not in page  # setup.py builds the package; it is no API


def test_an_installation_section_without_a_command_is_thin(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    head = "# shop\n\nshop prices baskets.\n\n## Installation\n\n"
    words = head + "Install it from its source, with the tools your platform offers.\n"
    command = head + "Run `pip install shop` in your environment.\n"

    assert _criterion(_score(root, words), "Installation").status == "partial"
    assert _criterion(_score(root, command), "Installation").status == "complete"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _offline_readme(root: Path, out: Path) -> str:
    assert main(["generate", str(root), "-p", "offline", "-t", "readme", "--out", str(out)]) == 0
    return (out / f"{root.name}.readme.md").read_text()


def test_javascript_usage_imports_what_the_package_exports(tmp_path: Path) -> None:
    # escape-html 1.0.3 (`module.exports = escapeHtml` names its default export), express 4 (`index.js` hands
    # on `lib/express.js`, whose default export is `createApplication`), and a named export of a package file.
    escape = _write(
        tmp_path / "escape-html",
        {
            "package.json": '{"name": "escape-html", "description": "Escape string for use in HTML"}',
            "index.js": "module.exports = escapeHtml;\n\nfunction escapeHtml(string) {\n  return string;\n}\n",
        },
    )
    assert 'import escapeHtml from "escape-html";\nlet string;\nconst result = escapeHtml(string);' in _offline_readme(
        escape, tmp_path / "o1"
    )
    express = _write(
        tmp_path / "express",
        {
            "package.json": '{"name": "express", "description": "Fast, unopinionated, minimalist web framework"}',
            "index.js": "'use strict';\n\nmodule.exports = require('./lib/express');\n",
            "lib/express.js": "exports = module.exports = createApplication;\n\nfunction createApplication() {\n"
            "  return {};\n}\n\nexports.query = require('./query');\n",
            "lib/utils.js": "exports.etag = function etag(body, encoding) {\n  return body;\n};\n",
        },
    )
    page = _offline_readme(express, tmp_path / "o2")
    assert 'import express from "express";\nconst result = express();' in page
    assert "etag" not in page.partition("## Usage")[2].partition("## Module map")[0]  # not the package's API


def test_usage_makes_the_class_users_work_with_and_calls_its_method(tmp_path: Path) -> None:
    # commander 14.0.3 (``exports.Command = Command`` of lib/command.js, beside a smaller ``Help``) and httpx
    # 0.28 (``Client`` from ``httpx._client``); errors, interfaces and library-made classes are not made.
    commander = _write(
        tmp_path / "commander",
        {
            "package.json": '{"name": "commander", "description": "the complete solution for node.js command-line"}',
            "index.js": "const { Command } = require('./lib/command.js');\nconst { Help } = require('./lib/help.js');\n"
            "const { CommanderError } = require('./lib/error.js');\n"
            "exports.Command = Command;\nexports.Help = Help;\nexports.CommanderError = CommanderError;\n",
            "lib/command.js": "/** A command. */\nclass Command {\n  /** @param {string} [name] */\n"
            "  constructor(name) {}\n  /** Parse argv. */\n  parse(argv) {\n    return this;\n  }\n"
            "  /** Add an option. */\n  option(flags, description) {\n    return this;\n  }\n}\n"
            "exports.Command = Command;\n",
            "lib/help.js": "/** Help. */\nclass Help {\n  /** Wrap. */\n  wrap(str) {}\n}\nexports.Help = Help;\n",
            "lib/error.js": "/** An error. */\nclass CommanderError extends Error {\n  /** Code. */\n  code() {}\n}\n"
            "exports.CommanderError = CommanderError;\n",
        },
    )
    usage = _offline_readme(commander, tmp_path / "o1").partition("## Usage")[2].partition("## Module map")[0]
    made = 'import { Command } from "commander";\nlet name;\nconst command = new Command(name);\n'
    made += "let argv;\nconst result = command.parse(argv);"
    assert made in usage
    assert "CommanderError" not in usage
    httpx = _write(
        tmp_path / "httpx",
        {
            "pyproject.toml": '[project]\nname = "httpx"\ndescription = "The next generation HTTP client."\n',
            "httpx/__init__.py": "from ._client import Client\nfrom ._models import Request\n"
            '__all__ = ["Client", "Request"]\n',
            "httpx/_client.py": 'class Client:\n    """An HTTP client."""\n\n    def __init__(self, *, auth=None):\n'
            "        pass\n\n    async def aclose(self):\n        pass\n\n    def get(self, url, *, params=None):\n"
            '        """Send a GET request."""\n        return url\n',
            "httpx/_models.py": 'class Request:\n    """A request."""\n\n    def __init__(self, method, url, headers, '
            'content, stream):\n        pass\n\n    def read(self):\n        """Read."""\n        return b""\n',
        },
    )
    usage = _offline_readme(httpx, tmp_path / "o2").partition("## Usage")[2].partition("## Module map")[0]
    assert "from httpx import Client\nclient = Client()\nurl = ...\nresult = client.get(url)" in usage
    assert "Request(" not in usage  # five required arguments: made by the library, not by its users


def test_usage_shows_the_examples_the_code_documents_first(tmp_path: Path) -> None:
    # itoa 1.0.1 (the crate root's ``//!`` example; ``udivmod_1e19`` is in a private module), anyhow 1.0.69
    # (``#[macro_export]`` macros in macros.rs; ``__private`` is ``#[doc(hidden)]``), more-itertools (doctests).
    crate = _write(
        tmp_path / "itoa",
        {
            "Cargo.toml": CARGO.replace("anyhow", "itoa"),
            "src/lib.rs": "//! Fast integer printing.\n//!\n//! ```\n//! let mut buffer = itoa::Buffer::new();\n"
            "//! # let x = 1;\n//! let printed = buffer.format(128u64);\n//! ```\n\nmod udiv128;\n\n"
            "/// A buffer.\npub struct Buffer {}\n\n#[doc(hidden)]\npub mod __private {\n"
            "    pub fn must_use(error: u8) -> u8 {\n        error\n    }\n}\n",
            "src/udiv128.rs": "pub fn udivmod_1e19(n: u128) -> (u128, u64) {\n    (n, 0)\n}\n",
            "src/macros.rs": "/// Return early with an error.\n///\n/// ```\n/// # fn f() -> anyhow::Result<()> {\n"
            '/// bail!("permission denied");\n/// # }\n/// ```\n#[macro_export]\nmacro_rules! bail {\n'
            "    ($msg:literal) => {};\n}\n",
        },
    )
    usage = _offline_readme(crate, tmp_path / "o1").partition("## Usage")[2].partition("## Module map")[0]
    assert "```rust\nlet mut buffer = itoa::Buffer::new();\nlet printed = buffer.format(128u64);\n```" in usage
    assert '```rust\nbail!("permission denied");\n```' in usage  # rustdoc's hidden lines left out
    assert "udivmod_1e19" not in usage
    assert "must_use" not in usage
    python = _write(
        tmp_path / "more-itertools",
        {
            "pyproject.toml": '[project]\nname = "more-itertools"\ndescription = "More routines"\n',
            "more_itertools/__init__.py": "from .more import *\n",
            "more_itertools/more.py": '__all__ = ["chunked", "first"]\n\ndef first(iterable, default=None):\n'
            '    """Return the first item."""\n\n'
            'def chunked(iterable, n):\n    """Break *iterable* into lists of length *n*.\n\n'
            '    Examples:\n        >>> list(chunked([1, 2, 3, 4], 2))\n        [[1, 2], [3, 4]]\n    """\n',
        },
    )
    usage = _offline_readme(python, tmp_path / "o2").partition("## Usage")[2].partition("## Module map")[0]
    blocks = usage.split("```python\n")[1:]
    assert blocks[0] == ">>> list(chunked([1, 2, 3, 4], 2))\n[[1, 2], [3, 4]]\n```\n\n"  # documented example first
    assert blocks[1].startswith("from more_itertools import first\n")


def test_a_commonjs_module_that_replaces_its_exports_exports_nothing_else(tmp_path: Path) -> None:
    # debug 4.3.7, src/node.js: hooks set on `exports`, then `module.exports = require('./common')(exports)`.
    from codescribe.engine.analysis import analyze_source
    from codescribe.engine.offline import DocRequest, OfflineEngine

    node = "exports.init = init;\nexports.log = log;\n\nfunction init(debug) {}\nfunction log(...args) {}\n\n"
    node += "module.exports = require('./common')(exports);\n"
    analysis = analyze_source(node, "src/node.js")
    assert analysis.exports == ("default",)
    assert analysis.default_export == "default"
    assert not any(f.is_public for f in analysis.functions)
    page = OfflineEngine().document(DocRequest("module", analysis, node))
    assert "The module's default export: `require('./common')(exports)`" in page
    assert "default =" not in page
    root = _write(
        tmp_path / "debug",
        {
            "package.json": '{"name": "debug", "description": "Tiny debugging utility", "main": "./src/index.js"}',
            "src/index.js": "if (typeof process === 'undefined') {\n  module.exports = require('./browser.js');\n"
            "} else {\n  module.exports = require('./node.js');\n}\n",
            "src/node.js": node,
            "src/browser.js": "module.exports = require('./common')(exports);\n",
            "src/common.js": "function setup(env) {\n  return env;\n}\n\nmodule.exports = setup;\n",
        },
    )
    usage = _offline_readme(root, tmp_path / "out").partition("## Usage")[2].partition("## Module map")[0]
    assert 'import debug from "debug";' in usage
    assert "setup" not in usage
    assert "init" not in usage


def test_the_module_map_says_how_many_names_it_leaves_out(tmp_path: Path) -> None:
    # idna 3.20: ``idna.core`` has 18 public functions; the table shows six and counts the rest.
    names = [f"check_{n}" for n in range(8)]
    core = "".join(f'def {name}(label: str) -> bool:\n    """Check it."""\n    return True\n\n' for name in names)
    root = _write(
        tmp_path / "idna",
        {
            "pyproject.toml": '[project]\nname = "idna"\ndescription = "IDNA"\n',
            "idna/__init__.py": '""".. testsetup::\n\n   import idna\n\nInternationalized domain names."""\n',
            "idna/core.py": core,
        },
    )
    page = _offline_readme(root, tmp_path / "out")
    row = next(line for line in page.splitlines() if line.startswith("| `idna.core`"))
    assert row.endswith(f"| {', '.join(names[:6])}, and 2 more |")
    assert "| `idna` | Internationalized domain names. |" in page  # a module's summary, not its directive


def test_a_go_module_is_documented_by_packages_and_called_through_them(tmp_path: Path) -> None:
    # github.com/google/uuid 1.6.0, abridged: one package of many files, its doc comment in doc.go.
    root = _write(
        tmp_path / "uuid",
        {
            "go.mod": "module github.com/google/uuid\n",
            "doc.go": "// Package uuid generates and inspects UUIDs.\npackage uuid\n",
            "dce.go": "package uuid\n\nfunc NewDCESecurity(domain Domain, id uint32) (UUID, error) {\n"
            "\treturn UUID{}, nil\n}\n",
            "version4.go": "package uuid\n\n// New creates a new random UUID.\nfunc New() UUID {\n\treturn UUID{}\n}\n",
            "uuid.go": "package uuid\n\n// Parse decodes s into a UUID.\nfunc Parse(s string) (UUID, error) {\n"
            "\treturn UUID{}, nil\n}\n",
            "uuid_test.go": "package uuid\n\nfunc TestNew(t *testing.T) {}\n",
            "cmd/gen/main.go": "package main\n\nfunc Run() {}\n",
        },
    )
    page = _offline_readme(root, tmp_path / "out")
    assert page.split("\n\n")[1] == "Package uuid generates and inspects UUIDs."
    usage = page.partition("## Usage")[2].partition("## Module map")[0]
    assert '```go\nimport "github.com/google/uuid"\n\nresult := uuid.New()\n```' in usage
    assert 'result, err := uuid.Parse("")' in usage
    assert "Run" not in usage  # a command's package is run, not imported
    rows = [line for line in page.partition("## Module map")[2].splitlines() if line.startswith("| `")]
    assert any(
        row.startswith("| `github.com/google/uuid` | Package uuid generates and inspects UUIDs. |") for row in rows
    )
    assert len(rows) == 2  # the root package and cmd/gen, not one row per file
    assert "| Package | Purpose | Public API |" in page


def test_an_npm_main_built_to_dist_is_documented_from_its_source(tmp_path: Path) -> None:
    # ts-pattern 5.9.2: ``main`` is ``dist/index.cjs`` (build output); src/index.ts re-exports ``match`` and
    # ``isMatching``, whose implementation takes ``...args`` and whose first overload takes ``pattern``.
    root = _write(
        tmp_path / "ts-pattern",
        {
            "package.json": '{"name": "ts-pattern", "description": "Pattern matching", "main": "dist/index.cjs"}',
            "src/index.ts": "export { match } from './match';\nexport { isMatching } from './is-matching';\n",
            "src/match.ts": "/** Match a value. */\nexport function match<T>(value: T): T {\n  return value;\n}\n",
            "src/is-matching.ts": (
                "export function isMatching<const p>(pattern: p): boolean;\n"
                "export function isMatching<const T, const P>(pattern: P, value: T): boolean;\n"
                "/** Whether a value matches. */\n"
                "export function isMatching(...args: [pattern: any, value?: any]): boolean {\n  return true;\n}\n"
            ),
            "src/internal/helpers.ts": "export function deepEqual(a: unknown): boolean {\n  return true;\n}\n",
        },
    )
    usage = _offline_readme(root, tmp_path / "out").partition("## Usage")[2].partition("## Module map")[0]
    assert 'import { match } from "ts-pattern";\nlet value;\nconst result = match(value);' in usage
    assert 'import { isMatching } from "ts-pattern";\nlet pattern;\nconst result = isMatching(pattern);' in usage
    assert usage.count("isMatching(") == 1  # shown once, though two modules export it
    assert "deepEqual" not in usage  # not what the package exports


def test_usage_shows_what_is_deprecated_last(tmp_path: Path) -> None:
    # Trial of issue 12: the shortest documented function was shown first though its docs said to use another.
    project = _write(
        tmp_path / "calc",
        {
            "pyproject.toml": '[project]\nname = "calc"\ndescription = "Arithmetic."\n',
            "calc/__init__.py": '"""Arithmetic."""\nfrom .ops import add, sum_all\n',
            "calc/ops.py": "import warnings\n\n\n"
            'def add(a: int, b: int) -> int:\n    """Add two numbers.\n\n    Deprecated: use sum_all.\n    """\n'
            "    return a + b\n\n\n"
            'def sum_all(numbers: list[int]) -> int:\n    """Add every number."""\n    return sum(numbers)\n',
        },
    )

    usage = _offline_readme(project, tmp_path / "out").partition("## Usage")[2].partition("\n## ")[0]

    assert "sum_all(" in usage
    assert "add(" not in usage or usage.index("sum_all(") < usage.index("add(")


def test_a_go_package_without_go_mod_is_never_imported_as_the_standard_library(tmp_path: Path) -> None:
    # Trial of issue 12: pkg/errors (no go.mod) was shown as `import "errors"`, Go's own errors package.
    project = _write(
        tmp_path / "pkgerrors",
        {
            "errors.go": "// Package errors provides error handling.\npackage errors\n\n"
            "// New returns an error.\nfunc New(message string) error {\n\treturn nil\n}\n"
        },
    )

    usage = _offline_readme(project, tmp_path / "out").partition("## Usage")[2]

    assert 'import "example.com/errors"' in usage
    assert 'import "errors"' not in usage


def test_a_python_usage_example_runs_with_its_arguments_defined(tmp_path: Path) -> None:
    # packaging 24.1's Marker(marker) was pasted as `marker = Marker(marker)`: a NameError, not a call
    root = _write(
        tmp_path / "markers",
        {
            "pyproject.toml": '[project]\nname = "markers"\n',
            "markers/__init__.py": "from .marker import Marker, parse\n",
            "markers/marker.py": (
                "class Marker:\n    '''A marker.'''\n\n"
                "    def __init__(self, marker: str, env, *, strict: bool) -> None:\n"
                "        self.marker = marker\n\n    def evaluate(self, extra: int | None) -> bool:\n"
                "        '''Evaluate it.'''\n        return True\n\n\n"
                "def parse(text: str, spec, count: int, names: list[str]) -> Marker:\n"
                "    '''Parse it.'''\n    return Marker(text, spec, strict=True)\n"
            ),
        },
    )
    usage = _offline_readme(root, tmp_path / "out").partition("## Usage")[2].partition("## Module map")[0]
    blocks = re.findall(r"```python\n(.*?)\n```", usage, re.DOTALL)
    assert len(blocks) == 2
    sys.path.insert(0, str(root))
    try:
        for block in blocks:
            exec(compile(block, "usage", "exec"), {})  # a NameError here is an argument the example never defines
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == "markers"]:
            del sys.modules[name]


def test_the_architecture_page_and_the_readme_say_how_many_public_names_they_leave_out(tmp_path: Path) -> None:
    count = 9
    functions = "".join(f"def f{index}() -> None:\n    pass\n\n\n" for index in range(1, count + 1))
    root = _write(tmp_path / "pkg", {"pyproject.toml": '[project]\nname = "pkg"\n', "pkg/many.py": functions})
    out = tmp_path / "out"
    assert main(["generate", str(root), "-p", "offline", "-t", "architecture", "-t", "readme", "--out", str(out)]) == 0
    for page in ("ARCHITECTURE.md", "pkg.readme.md"):
        row = next(line for line in (out / page).read_text().splitlines() if line.startswith("| `pkg.many`"))
        shown = re.findall(r"\bf\d\b", row.rsplit("|", 2)[-2])
        assert shown, (page, row)
        assert row.rstrip(" |").endswith(f", and {count - len(shown)} more"), (page, row)
