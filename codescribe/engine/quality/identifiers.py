"""Truthfulness: the identifiers a document claims exist, checked against what analysis found.

A document claims a name when it writes it in an inline code span, calls it (``name(``) in a
code block, imports it from the analysed module, or defines a stub of it (a signature). Names
of the language, of imported modules and names, of the example's own variables, file names,
CLI flags, paths and constants (``ALL_CAPS``) claim nothing.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

from codescribe.engine.analysis.model import FileAnalysis
from codescribe.engine.quality.diagram_edges import judge_edges
from codescribe.engine.quality.rubrics import NON_CODE_LANGUAGES
from codescribe.engine.quality.vocabulary import COMMON_ALIASES, COMMON_METHODS, FILE_EXTENSIONS, language_names

from ..cpu import parse_python

__all__ = [
    "PYTHON_LANGUAGES",
    "Claims",
    "Verdict",
    "code_claims",
    "inline_spans",
    "module_parts",
    "prose_claims",
    "python_source",
    "source_imports",
    "text_claims",
    "truthfulness",
]

Verdict = Literal["ignore", "real", "invented"]
#: A claimed name, and whether it is called. "?." starts a method called on an unknown expression.
Claim = tuple[str, bool]

_NAME = re.compile(r"^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\([^()]*\))?(?:\s*(?:->|:)\s*[^\s].*)?$")
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PLAIN_WORD = re.compile(r"^[A-Za-z][a-z]*[0-9]*$")  # a word, or a package's name such as h11 or urllib3
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{0,2}$")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_INLINE_CODE = re.compile(r"(`+)([^`]+?)\1")
#: URLs, link targets, tags and e-mail addresses; each alternative starts once per word or scans only up to its
#: own opening character again, so that no input makes it quadratic.
_PROSE_NOISE = re.compile(r"https?://\S+|\]\([^()]*\)|<[^<>\n]*>|(?<!\S)[^\s@]+@\S+")
_PROSE_CALL = re.compile(r"(?<![\w$.\-/])([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\((?!e?s\))")
#: A dotted name in prose, not called: ``SchemaOpts.strict_mode`` (a sentence's full stop is no dot of it).
_PROSE_DOTTED = re.compile(r"(?<![\w$./\-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?![\w$(/\-]|\.\w)")
#: A CamelCase word: a capital, then lower case, then another capital (``SchemaRegistryManager``, ``GitHub``).
#: (Each part starts at its capital and holds none: one way to split a word, so no input makes it backtrack.)
_CAMEL = re.compile(r"(?<![\w$./\-])([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)(?![\w$(/\-]|\.\w)")
_SNAKE = re.compile(r"(?<![\w$./\-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?!\.?[\w$/\-(])")
#: The names prose writes without calling them; ``^`` marks those judged only where they are the code's business.
_PROSE_NAMES = ((_SNAKE, ""), (_PROSE_DOTTED, "^"), (_CAMEL, "^"))
_CALL = re.compile(r"(?<![\w$.])((?:[A-Za-z_$][\w$]*\s*\.\s*)*[A-Za-z_$][\w$]*)!?\(")  # "benchmarks (" is prose
#: A definition with its body (``class Mistral(Base):``, ``func (s *S) Get(k string) {``): it binds, it claims
#: nothing; a bare signature (no body) is a claim.
_DEFINED = re.compile(
    r"\b(?:class|def|function|fn|func|struct|interface|trait|enum|type)\s+(?:\([^)]*\)\s*)?([\w$]+)[^\n]*[{:][ \t]*$",
    re.MULTILINE,
)
_C_NOISE = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`", re.DOTALL)
_HASH_NOISE = re.compile(r"#[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'")
_JS_IMPORT = re.compile(
    r"import\s+(?:type\s+)?(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?\s*(?:\*\s+as\s+([\w$]+))?\s*from\s*['\"]([^'\"]+)['\"]"
    r"|(?:const|let|var)\s+(?:\{([^}]*)\}|([\w$]+))\s*=\s*require\(\s*['\"]([^'\"]+)['\"]\s*\)"
)
_LOCAL = re.compile(r"\b(?:const|let|var|val)\s+([\w$]+)|^\s*([A-Za-z_]\w*)\s*:?=", re.MULTILINE)
_SIGNATURE_LINE = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+\w+[^\n]*$", re.MULTILINE)
_BINDING = re.compile(
    r"(?:\b(?:const|let|var|val)\s+|^[ \t]*)([\w$]+)\s*:?=\s*(?:await\s+)?(?:new\s+)?([\w$.]+)\s*\(", re.MULTILINE
)
_DOCTEST_PROMPT = re.compile(r"^\s*(?:>>>|\.\.\.)(?: |$)")
_PY_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\S+)[ \t]+)?import[ \t]+(\([^)]*\)|[^\n#;]+)", re.MULTILINE)
#: Characters of Python per document read with ``ast``; the rest is read with regular expressions.
_AST_BUDGET = 20_000
_SELF = frozenset({"self", "this", "cls"})
#: The info strings of a Python code block.
PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "pycon", "ipython", "pyi"})
#: Languages whose class body declares every member (Go and Rust add methods anywhere in the package).
_CLOSED_CLASS_LANGUAGES = frozenset({"python", "java", "javascript", "typescript"})


@dataclass(slots=True)
class Claims:
    """Names claimed, plus names an example binds itself (its variables, its own helpers, its imports).

    Attributes:
        claims: ``(name as written, called)`` pairs, repeats kept; a name starting ``?.`` is a
            method called on an expression of unknown origin.
        local: names the examples bind themselves (variables, parameters, their own functions and
            classes): using them claims nothing.
        foreign: names imported from other modules (and the language's): using them claims nothing.
        bindings: ``x = Callee(...)``: the example's variables and what made them (method calls on
            them are judged by it).
        edges: the edges of the document's flowcharts, ``(from label, to label)``
            (:func:`~codescribe.engine.quality.diagram_edges.flowchart_edges`).
        modules: the analysed package's modules an example imports from (``pkg.serializers`` in ``from
            pkg.serializers import X``): each must be one of the project's.
    """

    claims: list[Claim] = field(default_factory=list)
    local: set[str] = field(default_factory=set)
    foreign: set[str] = field(default_factory=set)
    #: ``x = Callee(...)``: the example's variables and what made them (method calls on them are judged by it).
    bindings: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)

    def extend(self, other: Claims) -> None:
        """Add another set of claims to these, in place.

        Args:
            other: the claims to add: its claims are appended, its local and foreign names and its
                bindings merged in (``other``'s binding wins for a variable both have).

        Examples:
            >>> claims = Claims(claims=[("add", True)], local={"x"})
            >>> claims.extend(Claims(claims=[("mul", False)], foreign={"os"}))
            >>> claims.claims, claims.local, claims.foreign
            ([('add', True), ('mul', False)], {'x'}, {'os'})
        """
        self.claims.extend(other.claims)
        self.local |= other.local
        self.foreign |= other.foreign
        self.bindings |= other.bindings
        self.edges.extend(other.edges)
        self.modules.extend(other.modules)


def module_parts(analysis: FileAnalysis) -> frozenset[str]:
    r"""The analysed module's path parts (``pkg/sub/mod.py`` gives pkg, sub, mod).

    A document may qualify names with them (``pkg.mod.add``) or import from them. File names that
    stand for their folder (``__init__``, ``index``, ``mod``, ``lib``) and ``.`` / ``..`` are left out.

    Args:
        analysis: the analysed file (its ``path``; backslash separators are read as ``/``).

    Returns:
        The folder names and the file's stem.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> sorted(module_parts(analyze_source("X = 1", "src/pkg/__init__.py")))
        ['pkg', 'src']
    """
    path = PurePosixPath(analysis.path.replace("\\", "/"))
    parts = [*path.parent.parts, path.stem]
    return frozenset(part for part in parts if part and part not in ("__init__", "index", "mod", "lib", ".", ".."))


def _is_own_module(module: str, own: frozenset[str]) -> bool:
    pieces = [piece for piece in re.split(r"[./\\]+", module) if piece]
    return bool(pieces) and PurePosixPath(pieces[-1]).stem in own


def text_claims(spans: Iterable[str]) -> Claims:
    """Claims from inline code spans that hold identifiers: ``like_this``, ``likeThis``, ``LikeThis``,
    ``name()``, ``pkg.name(x)``.

    A plain word (``slug``, ``Lines``, ``etc.``: letters only, at most its first one a capital, with
    any closing punctuation) claims nothing unless written as a call: in prose it is as likely a term
    or a value as a name. Nor do abbreviations such as ``e.g.``.

    Args:
        spans: the spans' contents, without backticks.

    Returns:
        A claim per span that holds an identifier (stripped), "called" when it ends with ``)``.

    Examples:
        >>> text_claims(["slug", "lines.", "Reader", "e.g.", "add()", "HttpCalc", "read_all", "h11", "mode: a"]).claims
        [('add()', True), ('HttpCalc', False), ('read_all', False)]
    """
    found = Claims()
    for span in spans:
        text = span.strip().rstrip(".,:;!?")
        key = text.split(":", 1)[0].strip() if ":" in text and "::" not in text else None
        if key is not None and _PLAIN_WORD.match(key):
            continue  # ``library: invariant``: a setting's key and its value, as a configuration writes it
        if text and not _PLAIN_WORD.match(text) and not _ABBREVIATION.match(text):
            found.claims.append((text, text.endswith(")")))
    return found


def prose_claims(text: str) -> Claims:
    r"""Claims from prose outside code spans: calls (``inspect(obj)``), snake_case, dotted and CamelCase names.

    Plain English has none of these, so no word of it is taken for a name. A dotted or CamelCase word in
    prose may be a product or a file (``Node.js``, ``GitHub``, ``pyproject.toml``): it is marked ``^`` and
    judged only where it is the analysed code's business (:func:`truthfulness`: a member of one of its
    classes, or a CamelCase name built from its own names). A dotted call whose receiver is a variable
    (``client.get(url)``) is judged by its method, as one on an unknown expression. Code spans, URLs,
    link targets and HTML tags are set aside first; ``file(s)`` is a plural.

    Args:
        text: Markdown prose, or a docstring's text.

    Returns:
        A claim per call (called), per snake_case name and per dotted or CamelCase name (not called).

    Examples:
        >>> prose_claims("Call inspect(obj) or client.get(url); set max_size. See the file(s) in `x_y`.").claims
        [('inspect', True), ('^client.get', True), ('max_size', False)]
        >>> prose_claims("The SchemaRegistry keeps them; SchemaOpts.strict turns checks on, on GitHub.").claims
        [('^SchemaOpts.strict', False), ('^SchemaRegistry', False), ('^GitHub', False)]
    """
    found = Claims()
    bare = _PROSE_NOISE.sub(" ", _INLINE_CODE.sub(" ", text))
    for match in _PROSE_CALL.finditer(bare):
        name = match.group(1)
        found.claims.append((name if "." not in name else "^" + name, True))
    for pattern, mark in _PROSE_NAMES:
        found.claims.extend((mark + match.group(1), False) for match in pattern.finditer(bare))
    return found


def inline_spans(text: str) -> list[str]:
    """The contents of the inline code spans of a text (single or multiple backticks).

    Args:
        text: Markdown or docstring text.

    Returns:
        Each span's content without its backticks, in order.

    Examples:
        >>> inline_spans("Call `add(1, 2)` or ``mul``.")
        ['add(1, 2)', 'mul']
    """
    return [match.group(2) for match in _INLINE_CODE.finditer(text)]


def code_claims(blocks: Sequence[tuple[str, str]], own: frozenset[str], default_language: str) -> Claims:
    r"""Claims from code blocks ``(code, language)``: calls, imports from the analysed module, stubs.

    Python blocks are parsed together (one :func:`ast.parse`), halving the batch around any that
    do not parse; those, and Python beyond the first _AST_BUDGET characters (to keep scoring fast),
    are read with the regex reader like other languages. Doctest prompts are removed first, and a
    bare signature (``def f(x) -> int``) is read as a stub of ``f``. Blocks in a non-code language
    (shell, JSON, Mermaid ...: :data:`~codescribe.engine.quality.rubrics.NON_CODE_LANGUAGES`) are skipped.

    Args:
        blocks: ``(code, language)`` pairs; an empty language means ``default_language``.
        own: the analysed module's path parts (:func:`module_parts`): imports from them are claims.
        default_language: the language of blocks that name none (lower case).

    Returns:
        The calls, the names imported from the analysed module and the stubs as claims; the
        examples' own variables, functions and imports as ``local`` and ``foreign`` names.

    Examples:
        >>> code = "from calc import add\nimport os\nresult = add(1, 2)\nos.getcwd()\n"
        >>> claims = code_claims([(code, "python"), ("echo hi", "bash")], frozenset({"calc"}), "python")
        >>> sorted(set(claims.claims)), claims.local, claims.foreign
        ([('add', False), ('add', True), ('os.getcwd', True)], {'result'}, {'os'})
    """
    found = Claims()
    python: list[str] = []
    budget = _AST_BUDGET
    for code, given in blocks:
        language = (given or default_language).lower()
        if language in NON_CODE_LANGUAGES:
            continue
        if language in PYTHON_LANGUAGES and budget >= len(code):
            budget -= len(code)
            python.append(python_source(code))
        else:
            found.extend(_regex_claims(code, language, own))
    _python_batch(python, own, found)
    return found


def source_imports(source: str) -> set[str]:
    r"""Names a source file imports (Python ``import`` / ``from``, JavaScript ``import`` / ``require``).

    Read with regular expressions, line by line, so it works on source that does not parse.

    Args:
        source: a source file's text.

    Returns:
        The names bound by the imports (an alias rather than the name it renames; the first part
        of a dotted module).

    Examples:
        >>> sorted(source_imports("import os.path, sys as system\nfrom calc import add\n"))
        ['add', 'os', 'system']
        >>> sorted(source_imports('const fs = require("fs");\n'))
        ['fs']
    """
    names: set[str] = set()
    for match in _PY_IMPORT.finditer(source):
        pieces = match.group(2).strip("() \\\n").split(",")
        names.update(piece.split(" as ")[-1].strip().split(".")[0] for piece in pieces if piece.strip())
    names.update(name for named, bound, _ in _js_imports(source) for name in [*named, *bound])
    return names


def _js_imports(code: str) -> Iterator[tuple[list[str], list[str], str]]:
    """(names taken by name, names bound to the default export or the whole module, module) for
    every JavaScript / TypeScript import or require."""
    for match in _JS_IMPORT.finditer(code):
        named, source = match.group(2) or match.group(5) or "", match.group(4) or match.group(7) or ""
        names = [piece.split(" as ")[-1].split(":")[-1].strip() for piece in named.split(",") if piece.strip()]
        yield names, [name for name in (match.group(1), match.group(3), match.group(6)) if name], source


def python_source(code: str) -> str:
    r"""A code block as parseable Python: doctest prompts removed, bare signatures given a body.

    Args:
        code: the block's text.

    Returns:
        Python source (it may still not parse: the block's own syntax errors stay).

    Examples:
        >>> python_source(">>> add(1, 2)\n3\n>>> def f(x) -> int")
        'add(1, 2)\ndef f(x) -> int: ...'
    """
    if _DOCTEST_PROMPT.match(code.lstrip("\n")):
        code = "\n".join(
            _DOCTEST_PROMPT.sub("", line, count=1) for line in code.splitlines() if _DOCTEST_PROMPT.match(line)
        )
    return _SIGNATURE_LINE.sub(_close_signature, textwrap.dedent(code))


def _close_signature(match: re.Match[str]) -> str:
    """``def f(x) -> int`` (a signature shown without a body) becomes ``def f(x) -> int: ...``."""
    line = match.group().rstrip()
    if line.endswith(":") or "#" in line or line.count("(") != line.count(")"):
        return match.group()
    return line + ": ..."


def _python_batch(codes: Sequence[str], own: frozenset[str], found: Claims) -> None:
    if not codes:
        return
    try:
        tree = parse_python("\n\n".join(codes))
    except (SyntaxError, ValueError):
        if len(codes) == 1:
            found.extend(_regex_claims(codes[0], "python", own))
            return
        middle = len(codes) // 2
        _python_batch(codes[:middle], own, found)
        _python_batch(codes[middle:], own, found)
        return
    for node in _walk(tree):
        _read_python_node(node, own, found)


_LEAVES = (ast.expr_context, ast.Constant, ast.operator, ast.boolop, ast.cmpop, ast.unaryop)


def _walk(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, like :func:`ast.walk`, but without leaves that never name anything (contexts, constants)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST) and not isinstance(item, _LEAVES))
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                stack.append(value)


def _read_python_node(node: ast.AST, own: frozenset[str], found: Claims) -> None:
    if isinstance(node, ast.Call):
        found.claims.append((_dotted(node.func), True))
    elif isinstance(node, ast.ImportFrom):
        _read_import_from(node, own, found)
    elif isinstance(node, ast.Import):
        found.foreign.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        if _is_stub(node):
            found.claims.append((node.name, True))
        else:
            found.local.add(node.name)
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        found.local.add(node.id)
    elif isinstance(node, ast.Assign):
        _read_binding(node, found)
    elif isinstance(node, ast.arg):
        found.local.add(node.arg)


def _read_import_from(node: ast.ImportFrom, own: frozenset[str], found: Claims) -> None:
    """``from m import a``: a claim of ``a`` when m is the analysed module, or a module of its package (which
    must exist: ``from pkg.serializers import X``); else ``a`` is foreign."""
    mine = _is_own_module(node.module or "", own) or (node.level > 0 and not node.module)
    pieces = (node.module or "").split(".")
    if node.level == 0 and len(pieces) > 1 and pieces[0] in own:
        found.modules.append(node.module or "")
        mine = True
    for alias in node.names:
        if not mine:
            found.foreign.add(alias.asname or alias.name)
        elif alias.name != "*":
            found.claims.append((alias.name, False))


def _read_binding(node: ast.Assign, found: Claims) -> None:
    """``x = Callee(...)`` (or ``x = await Callee(...)``) binds x to Callee."""
    value = node.value.value if isinstance(node.value, ast.Await) else node.value
    callee = _dotted(value.func) if isinstance(value, ast.Call) else ""
    for target in node.targets:
        if isinstance(target, ast.Name) and callee:
            found.bindings[target.id] = callee


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value.func if isinstance(node.value, ast.Call) else node.value)
        return f"{inner}.{node.attr}" if inner else f"?.{node.attr}"
    return ""


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    for statement in node.body:
        if isinstance(statement, ast.Pass | ast.AnnAssign) or (
            isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
        ):
            continue
        method = statement if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) else None
        if isinstance(node, ast.ClassDef) and method is not None and _is_stub(method):
            continue
        return False
    return True


def _regex_claims(code: str, language: str, own: frozenset[str]) -> Claims:
    found = Claims()
    for names, bound, source in _js_imports(code):
        if _is_own_module(source, own):  # its named imports are claims; a default binding is the caller's name
            found.claims.extend((name, False) for name in names)
            found.local.update(bound)
        else:
            found.foreign.update([*names, *bound])
    noise = _HASH_NOISE if language in PYTHON_LANGUAGES or language in ("ruby", "rb", "r") else _C_NOISE
    stripped = noise.sub(" ", code)
    found.local.update(name for match in _LOCAL.finditer(stripped) for name in match.groups() if name)
    found.local.update(match.group(1) for match in _DEFINED.finditer(stripped))
    found.bindings.update((match.group(1), match.group(2)) for match in _BINDING.finditer(stripped))
    found.claims.extend((re.sub(r"\s+", "", match.group(1)), True) for match in _CALL.finditer(stripped))
    return found


def _source_mentions(analysis: FileAnalysis) -> set[str]:
    """Names the source itself writes in its docs, types, defaults, bases and values (a JSDoc ``{Cart}``,
    ``Optional[Theme]``, ``extends Base<util.MakeReadonly<T>>``, ``Symbol("ZodInput")``): a document that
    repeats them invents nothing, though the file does not define them."""
    texts = [analysis.module_docstring or ""]
    for function in analysis.all_functions:
        texts += [function.docstring or "", function.returns or "", function.declaration or "", *function.overloads]
        texts += [f"{parameter.annotation or ''} {parameter.default or ''}" for parameter in function.parameters]
    for cls in analysis.classes:
        texts += [cls.docstring or "", *cls.bases]
        texts += [f"{a.annotation or ''} {a.value or ''} {a.docstring or ''}" for a in cls.attributes]
    texts += [f"{v.annotation or ''} {v.value or ''} {v.docstring or ''}" for v in analysis.variables]
    return set(_WORD.findall(" ".join(texts)))


class _Judge:
    """Decides, for one analysis, whether a claimed name is real, invented or claims nothing."""

    def __init__(self, analysis: FileAnalysis, claims: Claims) -> None:
        # Rust's paths are read as dotted names, and its macros without their ``!``, as claims are.
        self.known = {name.replace("::", ".").rstrip("!") for name in analysis.identifiers} | set(analysis.identifiers)
        #: Modules inside the file (Rust's ``mod ext``): their members are known, as a class's are.
        self.namespaces = {name.split("::")[0] for name in analysis.identifiers if "::" in name}
        for function in analysis.all_functions:
            self.known.update(function.raises)
            self.known.add(function.qualname)
        for cls in analysis.classes:
            self.known.update(cls.bases)
        self.classes = {cls.name for cls in analysis.classes} | {f.name for f in analysis.functions}
        #: Classes whose members are all in the file: no base, or only bases the file defines, in a
        #: language whose class body holds every member. Another class may inherit members the analysis
        #: cannot see (``Model(BaseModel).model_dump``); a Rust or Go type has methods in other files.
        self.types = {cls.name for cls in analysis.classes}
        inside = self.types | {"object"}
        self.closed = {
            cls.name
            for cls in analysis.classes
            if analysis.language in _CLOSED_CLASS_LANGUAGES
            and all(base.split("[")[0].split(".")[-1] in inside for base in cls.bases)
        }
        self.own = module_parts(analysis)
        parts = (part for info in analysis.imports for part in (info.module.split(".")[0], *info.bound_names))
        imported = {part for part in parts if part}
        self.mentioned = _source_mentions(analysis)
        self.foreign = language_names(analysis.language) | imported | claims.foreign | COMMON_ALIASES | self.mentioned
        self.local = claims.local
        self.bindings = claims.bindings
        #: The words of the code's own CamelCase names (``SchemaOpts``: Schema, Opts), three letters or more.
        self.camel_pieces = {
            piece for name in self.types | self.classes for piece in _CAMEL_PIECE.findall(name) if len(piece) > 2
        }

    def judge(self, raw: str, call: bool) -> tuple[Verdict, str]:
        text = raw.strip()
        if text.startswith("^"):
            return self._judge_prose(text[1:], call)
        unknown_receiver = text.startswith("?.")
        text = text.removeprefix("?.")
        if not text or text[0] in "-$/\\'\"<" or text[0].isdigit():
            return "ignore", text
        text = re.sub(r"^[~!@*&]+", "", text.replace("::", ".").replace("#", ".")).rstrip(".,;:!?")
        match = _NAME.match(text)
        if not match:
            return "ignore", text
        parts = match.group(1).split(".")
        if len(parts) > 1 and parts[-1] in FILE_EXTENSIONS and not (call or match.group(2)):
            return "ignore", text  # a file name such as `inventory.py`, not an identifier
        if len(parts) > 1 and parts[0] in _SELF:
            parts, unknown_receiver = parts[1:], True
        while len(parts) > 1 and parts[0] in self.own:
            parts = parts[1:]
        name = ".".join(parts)
        if name in self.known:
            return "real", name
        if parts[-1].startswith("__") and parts[-1].endswith("__"):
            return "ignore", name
        if len(parts) == 1 and not unknown_receiver:
            head = parts[0]
            if head in self.own or head in self.foreign or head in self.local or _CONSTANT.match(head):
                return "ignore", name
            return "invented", name
        return self._judge_member(parts, call or bool(match.group(2)), unknown_receiver)

    def _judge_prose(self, text: str, call: bool) -> tuple[Verdict, str]:
        """A dotted or CamelCase word of prose: judged where it is the code's business, else ignored.

        ``Cls.member`` is judged as a member when ``Cls`` is one of the file's classes (or functions), and a
        dotted call on anything else by its method; a CamelCase name claims an identifier when it is built
        from a part of the code's own CamelCase names (``SchemaRegistryManager`` beside ``Schema``), which a
        product's name (``GitHub``) is not.
        """
        parts = text.rstrip(".,;:!?").split(".")
        while len(parts) > 1 and parts[0] in self.own:
            parts = parts[1:]
        name = ".".join(parts)
        if name in self.known or (len(parts) > 1 and parts[-1] in self.known):
            return "real", name
        if len(parts) > 1:
            if parts[0] in self.types or parts[0] in self.classes:
                return self._judge_member(parts, call, False)
            return self.judge("?." + parts[-1], True) if call else ("ignore", name)
        if name in self.foreign or name in self.local:  # foreign holds the names the source mentions
            return "ignore", name
        if name.rstrip("0123456789") in self.known or name.removesuffix("s") in self.known:
            return "ignore", name  # a product named after its class (EventEmitter3), or a plural (EventEmitters)
        pieces = set(_CAMEL_PIECE.findall(name))
        return ("invented" if pieces & self.camel_pieces else "ignore"), name

    def _judge_member(self, parts: list[str], call: bool, unknown_receiver: bool) -> tuple[Verdict, str]:
        """``receiver.member``: real when the member is, ignored when the receiver is not the analysed code's."""
        name, head, last = ".".join(parts), parts[0], parts[-1]
        if last in FILE_EXTENSIONS and not call:
            return "ignore", name
        if last in self.known:
            return "real", name
        if unknown_receiver or _CONSTANT.match(last):
            # ``(Path(x) / "y").write_text()``: whose method it is cannot be known; a constant claims nothing
            return "ignore", name
        if head in self.local:
            # A variable of the example: judged by what made it, when that is the analysed code.
            origin = [part for part in self.bindings.get(head, "").split(".") if part not in self.own]
            if origin and origin[0] in self.closed:
                return "invented", ".".join([origin[0], *parts[1:]])
            return "ignore", name
        if last in self.mentioned:
            return "ignore", name  # the source's own docs name it
        if head in self.types:
            # A member one of the file's classes lacks; unless the class may have members the file does not show.
            return ("invented" if head in self.closed else "ignore"), name
        if head in self.foreign or last in COMMON_METHODS:
            return "ignore", name
        return ("invented" if call or head in self.classes or head in self.namespaces else "ignore"), name


_CAMEL_PIECE = re.compile(r"[A-Z][a-z0-9]+")


def _prefixes(module: str) -> list[str]:
    """``a.b.c`` and the packages above it: ``a``, ``a.b``, ``a.b.c``."""
    pieces = module.split(".")
    return [".".join(pieces[: index + 1]) for index in range(len(pieces))]


def truthfulness(
    analysis: FileAnalysis,
    claims: Claims,
    modules: Iterable[str] = (),
    graph: Mapping[str, Collection[str]] | None = None,
) -> tuple[float, tuple[str, ...]]:
    r"""Judge the claims against the analysis: which named identifiers the code really has.

    A claim is real when the code defines the name (functions, methods as ``Class.method``, classes,
    parameters, exports, raised exceptions, bases), ignored when it is none of the analysed code's
    business (names of the language and its builtins, of imported modules, of the example's own
    variables, common methods, file names, constants in ``ALL_CAPS``, paths and flags), and
    invented otherwise: a bare name or a call the code does not have, or a member of one of its
    classes that the class does not have.

    Args:
        analysis: the analysed code.
        claims: what the document claims.
        modules: the names of the project's other modules (``pkg._parser``): real, as are their parts.
        graph: the project's import graph; with it, each diagram edge between two of its modules is
            judged too (:func:`~codescribe.engine.quality.diagram_edges.judge_edges`): real when one
            side imports the other, else invented as ``"A --> B"``.

    Returns:
        ``(share, invented)``: the share (0..1) of the distinct judged names that are real, 1.0 when
        none is judged; and the invented names, sorted.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> truthfulness(analysis, Claims(claims=[("add", True), ("mul", True), ("os.getcwd", True)], foreign={"os"}))
        (0.5, ('mul',))
    """
    judge = _Judge(analysis, claims)
    for module in modules:
        judge.known.update({module, *module.split(".")})
    judged: defaultdict[Verdict, set[str]] = defaultdict(set)
    for raw, call in set(claims.claims):
        verdict, name = judge.judge(raw, call)
        judged[verdict].add(name)
    real, invented = judged["real"], judged["invented"]
    if modules:  # a module of the analysed package an example imports from: the project must have it
        known = {part for module in judge.known for part in _prefixes(module)}
        for module in claims.modules:
            (real if module in known or module.partition(".")[2] in known else invented).add(module)
    edges, invented_edges = judge_edges(claims.edges, graph) if graph else (0, [])
    total = len(real) + len(invented) + edges + len(invented_edges)
    return ((len(real) + edges) / total if total else 1.0), tuple(sorted(invented | set(invented_edges)))
