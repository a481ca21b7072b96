r"""False statements about the code's signatures: a reader who follows them writes a call that fails.

Two places of a reference state a signature: a code block that shows one (``def add(a, b)``,
``add(a: int, b: int) -> int``, ``func (s *Store) Get(key string) string``) and a parameter table
(``| Parameter | Type | Default |``) under a function's heading. A signature whose parameters the
function does not have, a type that shares no name with the declared one, and a default other than
the declared one are false. A call (``add(1, 2)``) is no signature: its arguments are values; but a
keyword argument in a Python example (``add(1, 2, scale=3)``) names a parameter, and one that no
function of that name takes (and none takes ``**kwargs`` or is wrapped by a decorator) is false too.
"""

from __future__ import annotations

import ast
import builtins
import re

from codescribe.engine.analysis.model import FileAnalysis, FunctionInfo
from codescribe.engine.cpu import parse_python
from codescribe.engine.doc_tags import split_top
from codescribe.engine.quality.identifiers import PYTHON_LANGUAGES, module_parts, python_source
from codescribe.engine.quality.markdown import MarkdownDoc, Section, parse_markdown

__all__ = ["false_statements"]

#: ``def f(``, ``async function f(``, ``func (r T) F(``, ``fn f<T>(``, or ``f(``: up to the parameters' ``(``.
_SIGNATURE = re.compile(
    r"^\s*(?P<keyword>(?:(?:pub(?:\([^)]*\))?|export|public|private|protected|static|final|abstract|async|unsafe|"
    r"default|const)\s+)*(?:def|function\*?|func|fn)\s+(?:\([^)]*\)\s*)?)?(?P<name>[A-Za-z_$][\w$.]*)\s*"
    r"(?:<[^()]*>)?\("
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_RECEIVERS = frozenset({"self", "cls", "this", "mut"})
_EMPTY_CELLS = frozenset({"", "-", "—", "–", "required", "none given", "n/a", "no default", "optional"})
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*|#[^\n]*$")
_LIFETIME = re.compile(r"'[A-Za-z_]\w*")
_TYPE_NOISE = re.compile(r"typing\.|collections\.abc\.|[`\s'\"]")
#: Decorators that leave a function's parameters as declared (any other may take others: ``functools.wraps``).
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "abstractmethod", "abc.abstractmethod", "override"})


def false_statements(document: str, analysis: FileAnalysis, doc: MarkdownDoc | None = None) -> list[str]:
    r"""The false signatures, types and defaults a Markdown document states about the code.

    Args:
        document: the Markdown.
        analysis: the analysed code it documents.
        doc: ``document`` already parsed (:func:`parse_markdown`); ``None`` to parse it here.

    Returns:
        One sentence per false statement, in the document's order (empty when none).

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "def add_item(stock: dict, name: str, count: int = 1) -> dict:\n    return stock\n"
        >>> analysis = analyze_source(code, "inventory.py")
        >>> false_statements("```python\nadd_item(x, y) -> None\n```\n", analysis)
        ['`add_item(x, y) -> None`: add_item has no parameter x, y']
        >>> page = "## `add_item`\n\n| Parameter | Type | Default |\n|---|---|---|\n| `count` | `float` | `100` |\n"
        >>> false_statements(page, analysis)
        ['count of add_item is `int`, not `float`', 'count of add_item defaults to `1`, not `100`']
        >>> false_statements("```python\nadd_item(stock, 'apple', count=3)\n```\n", analysis)  # a call
        []
        >>> false_statements("```python\nadd_item(stock, 'apple', amount=3)\n```\n", analysis)
        ["`add_item(stock, 'apple', amount=3)`: add_item has no parameter amount"]
    """
    doc = doc or parse_markdown(document)
    functions: dict[str, list[FunctionInfo]] = {}
    by_class: dict[tuple[str, str], list[FunctionInfo]] = {}  # methods of one name by their class's name
    for function in analysis.all_functions:
        functions.setdefault(function.name, []).append(function)
        by_class.setdefault((function.name, _class_of(function)), []).append(function)
    found = [
        fault
        for block in doc.code_blocks
        if block.language != "mermaid"
        for line in block.text.splitlines()
        if (fault := _false_signature(line, functions))
    ]
    keywords = _false_keywords(doc, analysis, functions, by_class) if analysis.language == "python" else []
    return found + keywords + _false_table_cells(doc, functions, by_class)


def _false_keywords(
    doc: MarkdownDoc,
    analysis: FileAnalysis,
    functions: dict[str, list[FunctionInfo]],
    by_class: dict[tuple[str, str], list[FunctionInfo]],
) -> list[str]:
    """The keyword arguments Python examples pass that the called function does not take.

    Only calls the example itself resolves to the analysed code are read: a function by its name (not one the
    example defines, imports from elsewhere or assigns, nor a builtin), ``module.f`` for the analysed module,
    and ``x.m`` or ``C(...).m`` where ``x = C(...)`` and ``C`` is one of its classes.
    """
    own_module, classes = module_parts(analysis), {c.name for c in analysis.classes}
    found: list[str] = []
    taken: dict[tuple[str, str], set[str] | None] = {}  # (name, class) -> the keywords its calls take; None: any
    for block in doc.code_blocks:
        if block.language not in PYTHON_LANGUAGES and block.language:
            continue
        try:
            tree = parse_python(python_source(block.text))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        scope = _Scope(own_module, classes)
        for node in ast.walk(tree):
            scope.read(node)
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            name, owner = scope.callee(call)
            if not call.keywords or not name:
                continue
            if (name, owner) not in taken:  # once per name: a page may call one of thousands of overloads often
                candidates = by_class.get((name, owner), []) if owner else functions.get(name, [])
                declared = candidates and all(_parameters_as_declared(function) for function in candidates)
                taken[name, owner] = set().union(*map(_real_names, candidates)) if declared else None
            takes = taken[name, owner]
            if takes is None:
                continue
            shown = ast.unparse(call)
            found.extend(
                f"`{shown if len(shown) <= 80 else shown[:77] + '...'}`: {name} has no parameter {keyword.arg}"
                for keyword in call.keywords
                if keyword.arg is not None and keyword.arg not in takes
            )
    return found


class _Scope:
    """What the names of one example stand for: the analysed module, an instance of one of its classes, or
    something else (defined, imported or assigned by the example)."""

    def __init__(self, own_module: frozenset[str], classes: set[str]) -> None:
        self.own_module, self.classes = own_module, classes
        self.modules: set[str] = set()  # names bound to the analysed module
        self.instances: dict[str, str] = {}  # name -> the analysed class it holds an instance of
        self.other: set[str] = set()  # names bound to anything else

    def read(self, node: ast.AST) -> None:
        """Take what ``node`` binds (an import, a definition, an assignment)."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                mine = (alias.asname or "." not in alias.name) and alias.name.split(".")[-1] in self.own_module
                (self.modules if mine else self.other).add(bound)
        elif isinstance(node, ast.ImportFrom):
            mine = node.level > 0 or (node.module or "").split(".")[-1] in self.own_module
            for alias in node.names:
                bound = alias.asname or alias.name
                if alias.name in self.own_module:
                    self.modules.add(bound)  # from pkg import mod
                elif not mine or bound != alias.name:
                    self.other.add(bound)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.other.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            owner = self._class_called(node.value)
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    self._bind(target.id, owner)

    def _bind(self, name: str, owner: str) -> None:
        """``name = C(...)`` (``owner`` is C, one of the analysed classes) or ``name = anything else`` (``""``)."""
        if owner and self.instances.get(name, owner) == owner and name not in self.other:
            self.instances[name] = owner
        else:  # bound to something else, or to two things: unknown
            self.instances.pop(name, None)
            self.other.add(name)

    def callee(self, call: ast.Call) -> tuple[str, str]:
        """(the called function's name, its class's name or ``""``); ``("", "")`` when it is not the code's."""
        func = call.func
        if isinstance(func, ast.Name):
            name = func.id
            return ("", "") if name in self.other or name in self.instances or hasattr(builtins, name) else (name, "")
        if not isinstance(func, ast.Attribute):
            return "", ""
        receiver = func.value
        if isinstance(receiver, ast.Name) and receiver.id in self.modules:
            return func.attr, ""
        owner = self.instances.get(receiver.id, "") if isinstance(receiver, ast.Name) else self._class_called(receiver)
        return (func.attr, owner) if owner else ("", "")

    def _class_called(self, value: ast.AST | None) -> str:
        """The analysed class ``value`` constructs (``C(...)``, ``await C(...)``, ``mod.C(...)``), or ``""``."""
        value = value.value if isinstance(value, ast.Await) else value
        if not isinstance(value, ast.Call):
            return ""
        func = value.func
        if isinstance(func, ast.Name) and func.id in self.classes and func.id not in self.other:
            return func.id
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in self.modules:
            return func.attr if func.attr in self.classes else ""
        return ""


def _parameters_as_declared(function: FunctionInfo) -> bool:
    """Whether a call can take only the declared parameters: no ``**kwargs``, no decorator that may change them."""
    return all(p.kind != "var_keyword" for p in function.parameters) and all(
        decorator.split("(")[0] in _PLAIN_DECORATORS for decorator in function.decorators
    )


def _false_signature(line: str, functions: dict[str, list[FunctionInfo]]) -> str | None:
    """Why a signature line is false (its function has none of some parameter), or ``None``."""
    match = _SIGNATURE.match(line)
    if match is None or len(line) > 400:
        return None
    close = _closing(line, match.end() - 1)
    if close is None:
        return None
    keyword, after = match["keyword"], line[close + 1 :].strip()
    name = match["name"].rpartition(".")[2]
    params = split_top(_COMMENT.sub(" ", line[match.end() : close]), ",")
    annotated = any(re.match(r"^[*.&]*\s*[\w$]+\??\s*:\s*\S", part) for part in params)
    if not (keyword or after.startswith("->") or annotated) or after.endswith((";", ",")):
        return None  # a call, or a declaration inside code: not a signature
    candidates = functions.get(name)
    if not candidates or any(part.lstrip("*.&").startswith(("{", "[")) for part in params):
        return None  # not the code's own function, or a destructured parameter
    shown = [part for part in params if part.strip("*/ ") and _names(part) - _RECEIVERS]
    for function in candidates:
        real = _real_names(function)
        unknown = [part for part in shown if not _names(part) & real]
        if not unknown:
            return None
    missing = ", ".join(sorted({_first_name(part) for part in unknown}))
    return f"`{line.strip()}`: {name} has no parameter {missing}"


def _false_table_cells(
    doc: MarkdownDoc, functions: dict[str, list[FunctionInfo]], by_class: dict[tuple[str, str], list[FunctionInfo]]
) -> list[str]:
    """What a parameter table under a function's heading says that its declaration contradicts."""
    found: list[str] = []
    for section in doc.sections:
        names = [n for n in re.findall(r"`([^`]+)`", section.title) or [section.title] if n]
        name = _bare(names[0]) if names else ""
        owners = functions.get(name, [])
        if not owners:
            continue
        if len(owners) > 1:  # methods of one name in many classes: those of the class whose heading it is under
            mine = [f for word in _names_above(doc, section) for f in by_class.get((name, word), [])]
            owners = mine or owners
        header: list[str] | None = None
        for block in section.own:
            if block.kind != "table":
                header = None
                continue
            cells = [cell.replace("\\|", "|").strip() for cell in block.cells]
            if header is None:
                header = [cell.lower().strip("*") for cell in cells]
                continue
            found += _faults_of_all(owners, dict(zip(header, cells, strict=False)))
    return found


#: The most differently declared functions of one name a table row is checked against; past it, the name is
#: too ambiguous to judge (and checking each row against each would cost quadratic time).
MAX_OVERLOADS = 64


def _faults_of_all(owners: list[FunctionInfo], row: dict[str, str]) -> list[str]:
    """What a table row says falsely of every one of ``owners`` (a row true of one of them is true).

    Functions declared alike are checked once; a row stops being checked at the first function it is true of.
    """
    fewest: list[str] | None = None
    seen: set[tuple[object, ...]] = set()
    for owner in owners:
        declared = tuple((p.name, p.annotation, p.default) for p in owner.parameters)
        if declared in seen:
            continue
        if len(seen) >= MAX_OVERLOADS:
            return []
        seen.add(declared)
        faults = _row_faults(owner, row)
        if not faults:
            return []
        if fewest is None or (len(faults), faults) < (len(fewest), fewest):
            fewest = faults
    return fewest or []


def _class_of(function: FunctionInfo) -> str:
    return function.qualname.rpartition(".")[0].rpartition(".")[2]


def _names_above(doc: MarkdownDoc, section: Section) -> set[str]:
    """The words of the headings ``section`` sits under (a few: headings nest shallowly)."""
    names: set[str] = set()
    parent = section.parent
    while parent is not None:
        names.update(re.findall(r"[\w$]+", doc.sections[parent].title))
        parent = doc.sections[parent].parent
    return names


def _row_faults(function: FunctionInfo, row: dict[str, str]) -> list[str]:
    name = _bare(row.get("parameter") or row.get("name") or row.get("argument") or "")
    parameter = next((p for p in function.parameters if p.name == name), None)
    if parameter is None:
        return []
    faults = []
    written = row.get("type", "").strip("` ")
    if parameter.annotation and written.lower() not in _EMPTY_CELLS and not _same_type(parameter.annotation, written):
        faults.append(f"{name} of {function.name} is `{parameter.annotation}`, not `{written}`")
    default = row.get("default", "").strip("` ")
    if "default" in row and default.lower() not in _EMPTY_CELLS and default != parameter.default:
        if parameter.default is None or parameter.default == "undefined":
            faults.append(f"{name} of {function.name} has no default, not `{default}`")
        elif _squeeze(parameter.default) != _squeeze(default) and "..." not in default:
            faults.append(f"{name} of {function.name} defaults to `{parameter.default}`, not `{default}`")
    return faults


def _same_type(declared: str, written: str) -> bool:
    """Whether a written type may be the declared one: equal once spelled alike, or sharing a name."""
    if _TYPE_NOISE.sub("", declared).lower() == _TYPE_NOISE.sub("", written).lower():
        return True
    ours = {word.lower() for word in _IDENTIFIER.findall(declared)}
    return bool(ours & {word.lower() for word in _IDENTIFIER.findall(written)})


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("'", '"')


def _real_names(function: FunctionInfo) -> set[str]:
    names = {p.name.lstrip("*.") for p in function.parameters}
    for overload in function.overloads:  # another signature of the same function
        opened = overload.find("(")
        names |= {_first_name(part) for part in split_top(overload[opened + 1 : overload.rfind(")")], ",")}
    return names


def _names(part: str) -> set[str]:
    return set(_IDENTIFIER.findall(_LIFETIME.sub("", part.split("=", 1)[0])))


def _first_name(part: str) -> str:
    found = _IDENTIFIER.findall(part.strip().lstrip("*.&"))
    return found[0] if found else part.strip()


def _bare(name: str) -> str:
    """``add_item``, from ``add_item(...)``, ``Box.get``, ``*args`` and the like."""
    name = name.strip().strip("`").split("(", 1)[0]
    return name.rpartition(".")[2].lstrip("*.")


def _closing(line: str, opened: int) -> int | None:
    """Where the bracket opened at ``opened`` closes; ``None`` when it does not on this line."""
    depth = 0
    for index in range(opened, len(line)):
        depth += (line[index] == "(") - (line[index] == ")")
        if depth == 0:
            return index
    return None
