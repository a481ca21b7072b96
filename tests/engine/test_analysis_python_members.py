"""Python's values, properties, overloads and nested classes, read as griffe and pdoc read them.

The snippets are cut from real packages (rich 13.9.4, packaging 24.2); ``tests/reference`` checks
whole files of them against griffe itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from codescribe.engine.analysis import analyze_source
from codescribe.engine.analysis.project import ProjectAnalysis

# rich/color.py (abridged): an IntEnum, a NamedTuple with a property, module constants.
COLOR = '''
class ColorType(IntEnum):
    """Type of color stored in Color class."""

    DEFAULT = 0
    STANDARD = 1

    def __repr__(self) -> str:
        return f"ColorType.{self.name}"


ANSI_COLOR_NAMES = {"black": 0, "red": 1}

class Color(NamedTuple):
    """Terminal color definition."""

    name: str
    """The name of the color (typically the input to Color.parse)."""
    type: ColorType
    number: Optional[int] = None

    @property
    def is_default(self) -> bool:
        """Check if the color is a default color."""
        return self.type == ColorType.DEFAULT

    def get_truecolor(self, theme: Optional["TerminalTheme"] = None, foreground: bool = True) -> "ColorTriplet":
        return ColorTriplet(0, 0, 0)

if __name__ == "__main__":  # pragma: no cover
    from .console import Console
    console = Console()
'''

# packaging/version.py and rich/segment.py (abridged): a setter, overloads, a nested class.
SEGMENT = '''
class Version:
    def __init__(self, version: str) -> None:
        self._version = version
        self.release = (1,)

    @property
    def epoch(self) -> int:
        """The epoch of the version."""
        return 0

    @epoch.setter
    def epoch(self, value: int) -> None:
        pass

    @overload
    def __getitem__(self, index: int) -> "Segment": ...

    @overload
    def __getitem__(self, index: slice) -> List["Segment"]: ...

    def __getitem__(self, index):
        return self._version[index]

    class Infinity:
        """Infinity."""
        def __repr__(self) -> str:
            return "Infinity"

if sys.version_info >= (3, 11):
    ExceptionGroup = ExceptionGroup
else:
    class ExceptionGroup(Exception):
        """A minimal implementation of ExceptionGroup from Python 3.11."""
'''


def test_enum_members_fields_and_constants_are_named_values() -> None:
    analysis = analyze_source(COLOR, "rich/color.py")
    assert [(v.name, v.kind, v.value) for v in analysis.variables] == [
        ("ANSI_COLOR_NAMES", "constant", '{"black": 0, "red": 1}')
    ]
    enum, record = analysis.classes
    assert [(a.name, a.kind) for a in enum.attributes] == [("DEFAULT", "enum_member"), ("STANDARD", "enum_member")]
    assert [(a.name, a.kind, a.annotation) for a in record.attributes] == [
        ("name", "field", "str"),
        ("type", "field", "ColorType"),
        ("number", "field", "Optional[int]"),
    ]
    assert record.attributes[0].docstring == "The name of the color (typically the input to Color.parse)."


def test_a_scripts_block_defines_nothing_and_forward_references_are_unquoted() -> None:
    analysis = analyze_source(COLOR, "rich/color.py")
    assert "console" not in {v.name for v in analysis.variables}
    truecolor = analysis.classes[1].methods[-1]
    assert truecolor.signature == (
        "get_truecolor(theme: Optional[TerminalTheme] = None, foreground: bool = True) -> ColorTriplet"
    )
    assert analysis.classes[1].methods[0].is_property


def test_a_getter_and_its_setter_are_one_property_and_overloads_are_grouped() -> None:
    analysis = analyze_source(SEGMENT, "packaging/version.py")
    version = analysis.classes[0]
    assert [m.name for m in version.methods] == ["__init__", "epoch", "__getitem__"]
    epoch, getitem = version.methods[1:]
    assert epoch.is_property
    assert epoch.decorators == ("property", "epoch.setter")
    assert getitem.overloads == ("__getitem__(index: int) -> Segment", "__getitem__(index: slice) -> List[Segment]")
    assert [a.name for a in version.attributes] == ["_version", "release"]


def test_nested_and_conditional_classes_are_found() -> None:
    analysis = analyze_source(SEGMENT, "packaging/version.py")
    assert [c.name for c in analysis.classes] == ["Version", "Version.Infinity", "ExceptionGroup"]
    assert analysis.classes[1].methods[0].qualname == "Version.Infinity.__repr__"
    assert "ExceptionGroup" not in {v.name for v in analysis.variables}
    assert analysis.exports == ("Version", "ExceptionGroup")


def test_each_module_of_a_from_import_is_an_edge() -> None:
    # rich/progress.py: ``filesize`` is a module, ``get_console`` a name of the package itself.
    files = {
        "rich/__init__.py": analyze_source("def get_console():\n    pass\n", "rich/__init__.py"),
        "rich/filesize.py": analyze_source("def decimal(size):\n    pass\n", "rich/filesize.py"),
        "rich/errors.py": analyze_source("class StyleError(Exception):\n    pass\n", "rich/errors.py"),
        "rich/progress.py": analyze_source("from . import filesize, get_console\n", "rich/progress.py"),
        "rich/table.py": analyze_source("from . import errors, filesize\n", "rich/table.py"),
        "rich/ansi.py": analyze_source(
            'if sys.platform != "win32" and __name__ == "__main__":\n    from .errors import StyleError\n',
            "rich/ansi.py",
        ),
    }
    graph = ProjectAnalysis(root=Path("."), files=files).import_graph()
    assert graph["rich.progress"] == {"rich.filesize", "rich"}
    assert graph["rich.table"] == {"rich.errors", "rich.filesize"}
    assert graph["rich.ansi"] == set()


def test_names_reexported_from_private_modules_are_documented_where_users_import_them() -> None:
    # httpx/__init__.py: ``from ._api import *`` and ``from ._client import Client``, both in __all__.
    from codescribe.engine.offline import DocRequest, OfflineEngine

    init_source = 'from ._api import *\nfrom ._client import Client\n\n__all__ = ["get", "Client", "Missing"]\n'
    files = {
        "httpx/__init__.py": analyze_source(init_source, "httpx/__init__.py"),
        "httpx/_api.py": analyze_source(
            'def get(url: str) -> "Response":\n    """Sends a GET request."""\n', "httpx/_api.py"
        ),
        "httpx/_client.py": analyze_source("from ._base import BaseClient as Client\n", "httpx/_client.py"),
        "httpx/_base.py": analyze_source('class BaseClient:\n    """An HTTP client."""\n', "httpx/_base.py"),
    }
    project = ProjectAnalysis(root=Path("."), files=files)
    interface = project.public_interface("httpx/__init__.py")
    assert [f.name for f in interface.functions] == ["get"]
    assert [c.name for c in interface.classes] == ["Client"]  # ``BaseClient as Client``, under the name users import
    assert project.definition("httpx/__init__.py", "get") == ("httpx/_api.py", "get")
    assert project.definition("httpx/__init__.py", "Client") == ("httpx/_base.py", "BaseClient")
    assert project.definition("httpx/__init__.py", "Missing") is None
    page = OfflineEngine().document(DocRequest("api", files["httpx/__init__.py"], init_source, project=project))
    assert "## `get`" in page
    assert "Sends a GET request." in page


def test_values_are_cut_from_their_own_line_whatever_the_line_ends() -> None:
    source = 'A = "x"\x0c\nB: str = "é"  # note\r\nC = {\n    1: 2,\n}\n'
    analysis = analyze_source(source, "ends.py")
    assert [(v.name, v.value) for v in analysis.variables] == [("A", '"x"'), ("B", '"é"'), ("C", "{1: 2}")]


def test_a_module_with_all_makes_public_only_what_it_lists() -> None:
    # python-slugify 8.0.4, slugify/slugify.py (abridged): patterns and a helper beside ``__all__``.
    source = (
        "import re\n\n__all__ = ['slugify', 'smart_truncate']\n\n"
        "QUOTE_PATTERN = re.compile(r\"[']+\")\nDEFAULT_SEPARATOR = '-'\n\n"
        "def smart_truncate(string: str) -> str:\n    return string\n\n"
        "def helper() -> None:\n    pass\n\n"
        "def slugify(text: str, separator: str = DEFAULT_SEPARATOR) -> str:\n    return text\n\n"
        "class Options:\n    pass\n"
    )
    analysis = analyze_source(source, "slugify/slugify.py")
    assert [f.name for f in analysis.functions if f.is_public] == ["smart_truncate", "slugify"]
    assert not any(v.is_public for v in analysis.variables)
    assert not any(c.is_public for c in analysis.classes)
    from codescribe.engine.offline import DocRequest, OfflineEngine

    page = OfflineEngine().document(DocRequest("module", analysis, source))
    assert "QUOTE_PATTERN" not in page
    assert "## `helper`" not in page
    assert "### `helper`" not in page
    assert "smart_truncate" in page


def test_names_reexported_from_public_modules_and_star_imports_are_documented(tmp_path: Path) -> None:
    # idna 3.20 ``__init__``: ``from .core import encode`` listed in ``__all__``; attrs 26.1.0
    # ``attrs/converters.py``: ``from attr.converters import *`` and no ``__all__`` of its own.
    sources = {
        "idna/__init__.py": 'from .core import IDNAError, encode\n__all__ = ["IDNAError", "encode"]\n',
        "idna/core.py": (
            'class IDNAError(Exception):\n    """Base error."""\n\n'
            'def encode(s: str) -> bytes:\n    """Encode a domain."""\n    return b""\n'
        ),
        "attrs/converters.py": "from attr.converters import *  # noqa: F403\n",
        "attr/converters.py": (
            '__all__ = ["optional"]\n\ndef optional(converter):\n    """Make it optional."""\n\n'
            "def pipe(*converters):\n    pass\n"
        ),
        "narrow/__init__.py": 'from .core import *\n__all__ = ["own"]\n\ndef own():\n    pass\n',
        "narrow/core.py": "def helper():\n    pass\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    idna = project.public_interface("idna/__init__.py")
    assert [f.name for f in idna.functions] == ["encode"]
    assert [c.name for c in idna.classes] == ["IDNAError"]
    attrs = project.public_interface("attrs/converters.py")
    assert attrs.exports == ("optional",)  # what ``import *`` binds: attr.converters' ``__all__``
    assert [f.name for f in attrs.functions] == ["optional"]
    narrow = project.public_interface("narrow/__init__.py")  # its own ``__all__`` decides
    assert narrow.exports == ("own",)
    assert [f.name for f in narrow.functions] == ["own"]


def _values(page: str, title: str) -> list[str]:
    """The names a page lists under ``**title:**`` (its constants and variables)."""
    block = page.partition(f"**{title}:**\n\n")[2].partition("\n\n")[0] if f"**{title}:**" in page else ""
    return [line.split("`")[1].split(" = ")[0] for line in block.splitlines() if line.startswith("- `")]


def test_a_name_in_all_is_documented_whatever_the_defining_modules_all_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # more_itertools 10.5.0: recipes.py defines UnequalIterablesError outside its __all__; more.py imports it and
    # lists it in its own, and __init__ star-imports more. Python's own import is the truth the pages are held to.
    import importlib

    from codescribe.engine.analysis.project import analyze_project
    from codescribe.engine.offline import DocRequest, OfflineEngine

    sources = {
        "__init__.py": "from .more import *\n",
        "recipes.py": (
            '__all__ = ["pad_none"]\n\n\nclass UnequalError(ValueError):\n    """Lengths differ."""\n\n'
            "    class Detail:\n        pass\n\n    class _Hidden:\n        pass\n\n\n"
            "def pad_none(it):\n    return it\n\n\ndef _private():\n    pass\n\n\nSENTINEL = object()\n"
        ),
        "more.py": (
            "from .recipes import UnequalError, SENTINEL, _private as private, pad_none\n\n"
            '__all__ = ["UnequalError", "SENTINEL", "private", "zip_equal"]\n\n\n'
            "def zip_equal(*its):\n    raise UnequalError()\n"
        ),
    }
    package = tmp_path / "mit_reexport_all"
    package.mkdir()
    for name, text in sources.items():
        (package / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    project = analyze_project(package)
    for path, module in (("more.py", "mit_reexport_all.more"), ("__init__.py", "mit_reexport_all")):
        imported = importlib.import_module(module)
        names = getattr(imported, "__all__", [name for name in dir(imported) if not name.startswith("_")])
        expected = {name for name in names if name not in ("more", "recipes")}  # its submodules: not on its page
        interface = project.public_interface(path)
        public = {f.name for f in interface.functions if f.is_public}
        public |= {v.name for v in interface.variables if v.is_public}
        public |= {c.name for c in interface.classes if c.is_public and "." not in c.name}
        assert public == expected
        nested = {c.name for c in interface.classes if c.is_public and "." in c.name}
        assert nested == {f"UnequalError.{n}" for n in vars(imported.UnequalError) if n[:1].isupper()}
        page = OfflineEngine().document(DocRequest("module", project.files[path], sources[path], project=project))
        assert "## `UnequalError`" in page
        assert "### `private`" in page
        assert "_Hidden" not in page
    assert not any(c.is_public for c in project.files["recipes.py"].classes)  # recipes' own page: not its API
    for module in ("mit_reexport_all", "mit_reexport_all.more", "mit_reexport_all.recipes"):
        sys.modules.pop(module, None)


def test_a_reexported_value_is_listed_apart_with_the_module_that_defines_it(tmp_path: Path) -> None:
    # more_itertools 10.5.0: ``padnone = pad_none`` in recipes.py reaches the package through ``from .recipes
    # import *``; the package's page said it was defined there.
    from codescribe.engine.offline import DocRequest, OfflineEngine

    sources = {
        "pkg/__init__.py": "from .recipes import *\nfrom .alias import TOTAL as TOTAL\n\nVERSION = '1'\n",
        "pkg/recipes.py": (
            '__all__ = ["padnone", "pad_none"]\n\n\ndef pad_none(it):\n    return it\n\n\npadnone = pad_none\n'
        ),
        "pkg/alias.py": "TOTAL = 3\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)
    modules = {path: name for name, path in project.modules.items()}
    for doc_type in ("module", "api"):
        page = OfflineEngine().document(DocRequest(doc_type, files["pkg/__init__.py"], "", project=project))
        assert _values(page, "Defined here") == ["VERSION"]
        assert _values(page, "Re-exported") == ["TOTAL", "padnone"]  # the explicit re-export, then the star's
        assert f"`padnone = pad_none` (defined in `{modules['pkg/recipes.py']}`)" in page
        assert f"`TOTAL = 3` (defined in `{modules['pkg/alias.py']}`)" in page
        own = OfflineEngine().document(DocRequest(doc_type, files["pkg/recipes.py"], "", project=project))
        assert _values(own, "Defined here") == ["padnone"]
        assert "Re-exported" not in own
