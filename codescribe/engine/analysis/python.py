"""Python analysis through ``ast``: exact signatures, docstrings, complexity, raises."""

from __future__ import annotations

import ast
import builtins
import copy
import functools
import inspect
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..cpu import literal_eval, parse_python
from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, LineCounts, Parameter, VariableInfo, VariableKind

__all__ = ["analyze_python", "count_lines", "function_info"]

_BRANCHES = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ExceptHandler,
    ast.IfExp,
    ast.With,
    ast.AsyncWith,
    ast.Assert,
    ast.comprehension,
    ast.match_case,
)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NESTED_SCOPES = (*_FUNCTIONS, ast.ClassDef, ast.Lambda)  # their bodies are not the enclosing function's
_BLOCK_ITEMS = (ast.stmt, ast.excepthandler, ast.match_case)  # what a block of statements holds


def count_lines(source: str, comment_prefixes: tuple[str, ...] = ("#",)) -> LineCounts:
    r"""Count a file's total, code, comment-only and blank lines.

    A line is comment-only when, stripped, it starts with one of ``comment_prefixes``; the lines of
    a docstring or other multi-line string count as code.

    Args:
        source: the file's text.
        comment_prefixes: what a comment line starts with (after indentation).

    Returns:
        The counts (``total`` = ``code`` + ``comment`` + ``blank``).

    Examples:
        >>> count_lines("# setup\nx = 1\n\n    # done\n")
        LineCounts(total=4, code=1, comment=2, blank=1)
        >>> count_lines("-- query\nSELECT 1\n", ("--",))
        LineCounts(total=2, code=1, comment=1, blank=0)
    """
    total = code = comment = blank = 0
    for line in source.splitlines():
        total += 1
        stripped = line.strip()
        if not stripped:
            blank += 1
        elif stripped.startswith(comment_prefixes):
            comment += 1
        else:
            code += 1
    return LineCounts(total=total, code=code, comment=comment, blank=blank)


class _Unquote(ast.NodeTransformer):
    """Quoted forward references (``Optional["Console"]``) become the expressions they quote, as type
    checkers, griffe and pdoc read them; the strings of ``Literal[...]`` stay strings."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if ast.unparse(node.value).rsplit(".", 1)[-1] == "Literal":
            return node
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            try:
                return parse_python(node.value.strip(), mode="eval").body
            except SyntaxError:
                return node
        return node


def _text(node: ast.AST | None) -> str | None:
    """An annotation as an expression: quoted forward references unquoted (see :class:`_Unquote`)."""
    if node is None:
        return None
    if not any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(node)):
        return ast.unparse(node)
    return ast.unparse(_Unquote().visit(copy.deepcopy(node)))


def _is_overload(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(ast.unparse(d).rsplit(".", 1)[-1] == "overload" for d in node.decorator_list)


_VALUE_LIMIT = 120  # a variable's value is shown up to this many characters
_PROPERTIES = ("property", "cached_property", "functools.cached_property")
_ACCESSORS = (".setter", ".getter", ".deleter")
#: Bases that make a class's assignments enum members, and decorators or bases that make its
#: annotated names fields (as pdoc and mkdocstrings present them).
_ENUM_BASES = ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum")
_RECORD_BASES = ("NamedTuple", "TypedDict", "BaseModel", "Struct")
_RECORD_DECORATORS = ("dataclass", "define", "frozen", "mutable", "attrs", "s", "dataclass_transform")


def _last_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target).rsplit(".", 1)[-1]


def _definitions(body: list[ast.stmt], source: str, owner: str | None) -> list[FunctionInfo]:
    """The functions of a body, each name once: ``@overload`` stubs are kept as the implementation's
    :attr:`~FunctionInfo.overloads` (the last stub stands in when there is no implementation), and a
    property's setter and deleter are merged into its getter."""
    found: dict[str, FunctionInfo] = {}
    stubs: dict[str, list[str]] = {}
    for node, _, _ in _scope_statements(body):
        if not isinstance(node, _FUNCTIONS):
            continue
        info = function_info(node, owner, source)
        decorators = info.decorators
        if _is_overload(node):
            stubs.setdefault(node.name, []).append(info.signature)
            if node.name in found and found[node.name].overloads:
                continue
            found[node.name] = replace(info, overloads=tuple(stubs[node.name]))
        elif any(d.endswith(_ACCESSORS) for d in decorators) and node.name in found:
            getter = found[node.name]
            found[node.name] = replace(getter, decorators=getter.decorators + decorators, end_line=info.end_line)
        else:
            is_property = any(d in _PROPERTIES or d.endswith(_ACCESSORS) for d in decorators)
            found[node.name] = replace(info, overloads=tuple(stubs.pop(node.name, ())), is_property=is_property)
    return list(found.values())


def _assigned_names(node: ast.stmt, prefix: str = "") -> list[str]:
    """The names an assignment binds directly (``x = ...``, ``x: T = ...``; with ``prefix`` ``self.``,
    the instance's ``self.x``); tuple targets and subscripts bind none, as griffe reads them."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    names = []
    for target in targets:
        if not prefix and isinstance(target, ast.Name):
            names.append(target.id)
        elif prefix and isinstance(target, ast.Attribute) and ast.unparse(target.value) == prefix:
            names.append(target.attr)
    return names


def _scope_statements(body: list[ast.stmt], guarded: bool = False) -> Iterator[tuple[ast.stmt, ast.stmt | None, bool]]:
    """The statements of a scope, each with the statement after it and whether it sits right inside
    an ``if`` or ``except`` (where, as griffe reads it, an earlier binding wins); nested blocks are
    walked (not ``if __name__ == "__main__":``), nested functions and classes are not."""
    for index, node in enumerate(body):
        yield node, body[index + 1] if index + 1 < len(body) else None, guarded
        if isinstance(node, ast.If) and _is_main(node.test):
            continue  # a script's block: what it defines does not exist when the module is imported
        if isinstance(node, ast.If):
            yield from _scope_statements(node.body, True)
            yield from _scope_statements(node.orelse, True)
        elif isinstance(node, ast.Try | ast.TryStar):
            yield from _scope_statements(node.body, guarded)
            for handler in node.handlers:
                yield from _scope_statements(handler.body, True)
            yield from _scope_statements(node.orelse, guarded)
            yield from _scope_statements(node.finalbody, guarded)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith):
            yield from _scope_statements(node.body, guarded)
            yield from _scope_statements(getattr(node, "orelse", []), guarded)


def _literal(text: str | None) -> bool:
    """Whether ``text`` is a Python literal (``0``, ``"x"``, ``[]``, ``None``): a value readable out of context."""
    if text is None:
        return False
    try:
        literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _variables(
    body: list[ast.stmt], source: str, kind_of: Callable[[str, ast.stmt], VariableKind], prefix: str = ""
) -> list[VariableInfo]:
    found: dict[str, VariableInfo] = {}
    for node, following, guarded in _scope_statements(body):
        names = _assigned_names(node, prefix)
        if not names:
            continue
        annotation = node.annotation if isinstance(node, ast.AnnAssign) else None
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        docstring = None
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docstring = inspect.cleandoc(following.value.value)
        for name in names:
            if name in found and guarded:
                continue
            earlier = found.get(name)
            found[name] = VariableInfo(
                name=name,
                kind=kind_of(name, node),
                annotation=_text(annotation) if annotation is not None else earlier.annotation if earlier else None,
                value=_source_text(value, source, _VALUE_LIMIT),
                line=node.lineno,
                docstring=docstring or (earlier.docstring if earlier else None),
                is_public=not name.startswith("_"),
            )
    return list(found.values())


@functools.lru_cache(maxsize=4)
def _lines(source: str) -> list[str]:
    """The source's lines, split once per file (``ast.get_source_segment`` splits the whole file per call),
    at the line ends Python's tokenizer knows (``str.splitlines`` would also split at a form feed)."""
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _source_text(node: ast.expr | None, source: str, limit: int = 0) -> str | None:
    """An expression as the source writes it (quotes, escapes); one spread over lines is unparsed
    onto one; with ``limit``, longer text is cut to that many characters ending in ``...``."""
    if node is None:
        return None
    segment = None
    if node.lineno == node.end_lineno and node.end_col_offset is not None:  # one line: cut it from the source
        line = _lines(source)[node.lineno - 1].encode()  # offsets count UTF-8 bytes, as ast's do
        segment = line[node.col_offset : node.end_col_offset].decode(errors="replace")
    text = segment if segment else ast.unparse(node)
    return text if not limit or len(text) <= limit else text[: limit - 3] + "..."


def _parameters(args: ast.arguments, source: str) -> tuple[Parameter, ...]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    result = [
        Parameter(
            arg.arg,
            _text(arg.annotation),
            _source_text(default, source),
            "positional_only" if index < len(args.posonlyargs) else "positional",
        )
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True))
    ]
    if args.vararg:
        result.append(Parameter(args.vararg.arg, _text(args.vararg.annotation), None, "var_positional"))
    result += [
        Parameter(arg.arg, _text(arg.annotation), _source_text(default, source), "keyword_only")
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    if args.kwarg:
        result.append(Parameter(args.kwarg.arg, _text(args.kwarg.annotation), None, "var_keyword"))
    return tuple(result)


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's body, without those of functions and classes nested in it."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = [function]
    while pending:  # ast.iter_child_nodes, inlined (no generators): this walk is most of the analysis
        parent = pending.pop()
        for field in parent._fields:
            value = getattr(parent, field, None)
            children = value if isinstance(value, list) else (value,)
            for child in children:
                if isinstance(child, ast.AST) and not isinstance(child, _NESTED_SCOPES):
                    found.append(child)
                    pending.append(child)
    return found


def _raised_name(node: ast.Raise) -> str | None:
    target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if target is None:
        return None
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)


def catches(handled: str, raised: str) -> bool:
    """Whether ``except handled`` takes an exception raised as ``raised`` (both by their last name).

    The same name, ``BaseException``, a built-in base of a built-in exception (``LookupError`` takes
    ``KeyError``), and ``Exception`` for a class that is not built in (a project's own exceptions derive
    from it).

    Args:
        handled: a class named in the ``except`` clause.
        raised: the class the ``raise`` names.

    Returns:
        ``True`` when the handler takes it.

    Examples:
        >>> catches("ValueError", "ValueError"), catches("LookupError", "KeyError"), catches("Exception", "MyError")
        (True, True, True)
        >>> catches("KeyError", "ValueError"), catches("Exception", "KeyboardInterrupt")
        (False, False)
    """
    if handled in (raised, "BaseException"):
        return True
    base, sub = getattr(builtins, handled, None), getattr(builtins, raised, None)
    if not (isinstance(base, type) and issubclass(base, BaseException)):
        return False
    if isinstance(sub, type) and issubclass(sub, BaseException):
        return issubclass(sub, base)
    return handled == "Exception"


def _takes(handler: ast.ExceptHandler, raised: str) -> bool:
    """Whether an ``except`` clause takes the exception: bare ``except:``, a class or a tuple of them."""
    if handler.type is None:
        return True
    handled = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(catches(_last_name(h), raised) for h in handled)


def _passes_on(handler: ast.ExceptHandler) -> bool:
    """Whether a handler re-raises what it caught: a bare ``raise``, or ``raise e`` of a variable."""
    nodes = [n for statement in handler.body for n in (statement, *_own_nodes(statement))]
    return any(isinstance(n, ast.Raise) and (n.exc is None or isinstance(n.exc, ast.Name)) for n in nodes)


def _caught(body: list[ast.AST]) -> set[int]:
    """The ``raise`` nodes (by ``id``) of a function's body that a ``try`` around them catches and keeps:
    the first handler that takes the exception does not re-raise it."""
    caught: set[int] = set()
    for attempt in body:
        if not isinstance(attempt, ast.Try | ast.TryStar):
            continue
        guarded = [n for statement in attempt.body for n in (statement, *_own_nodes(statement))]
        for raise_ in guarded:
            if not isinstance(raise_, ast.Raise) or (raised := _raised_name(raise_)) is None:
                continue
            handler = next((h for h in attempt.handlers if _takes(h, raised)), None)
            if handler is not None and not _passes_on(handler):
                caught.add(id(raise_))
    return caught


def function_info(node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None, source: str) -> FunctionInfo:
    """What one ``def`` says, read alone (no overloads or accessors merged, as :func:`analyze_python` does).

    Args:
        node: the definition.
        owner: the enclosing class's qualified name (its ``self``/``cls`` is then dropped); ``None`` at module level.
        source: the module's text (for default values as written).

    Returns:
        The function's information.
    """
    body = _own_nodes(node)
    complexity = 1 + sum(isinstance(n, _BRANCHES) for n in body)
    complexity += sum(len(n.values) - 1 for n in body if isinstance(n, ast.BoolOp))
    is_generator = any(isinstance(n, ast.Yield | ast.YieldFrom) for n in body)
    returns_value = is_generator or any(isinstance(n, ast.Return) and n.value is not None for n in body)
    raised = [n for n in body if isinstance(n, ast.Raise)]
    if raised and any(isinstance(n, ast.Try | ast.TryStar) for n in body):
        caught = _caught(body)  # a raise its own try catches is not the function's
        raised = [n for n in raised if id(n) not in caught]
    raises = sorted({name for n in raised if (name := _raised_name(n))})
    parameters = _parameters(node.args, source)
    if owner is not None and parameters and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]
    return FunctionInfo(
        name=node.name,
        qualname=f"{owner}.{node.name}" if owner else node.name,
        parameters=parameters,
        returns=_text(node.returns),
        is_async=isinstance(node, ast.AsyncFunctionDef),
        decorators=tuple(ast.unparse(d) for d in node.decorator_list),
        start_line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        docstring=ast.get_docstring(node),
        complexity=complexity,
        is_public=not node.name.startswith("_") or (node.name.startswith("__") and node.name.endswith("__")),
        is_method=owner is not None,
        returns_value=returns_value,
        raises=tuple(raises),
        is_generator=is_generator,
    )


def _exceptions_named(
    functions: tuple[FunctionInfo, ...], classes: tuple[ClassInfo, ...]
) -> tuple[tuple[FunctionInfo, ...], tuple[ClassInfo, ...]]:
    """What each function raises, by exception class: ``raise suffixed_err(...)`` raises what the module's
    ``suffixed_err`` is annotated to return (tomli's ``TOMLDecodeError``); ``raise exc`` re-raises a variable,
    and a helper without an annotation names no class. Classes are CapWords (PEP 8), so a name that is not
    is resolved or left out."""
    made = {f.name: f.returns for f in functions if f.returns and _CLASS_NAME.match(f.returns)}

    def named(function: FunctionInfo) -> FunctionInfo:
        raises = {made.get(name, name) for name in function.raises}
        kept = tuple(sorted(name for name in raises if _CLASS_NAME.match(name)))
        return function if kept == function.raises else replace(function, raises=kept)

    functions = tuple(named(f) for f in functions)
    classes = tuple(replace(c, methods=tuple(named(m) for m in c.methods)) for c in classes)
    return functions, classes


_CLASS_NAME = re.compile(r"^(?:[A-Za-z_][\w]*\.)*_?[A-Z]\w*$")


def _module_kind(name: str, _statement: ast.stmt) -> VariableKind:
    return "constant" if name.isupper() else "variable"


def _classes(node: ast.ClassDef, source: str, prefix: str = "") -> list[ClassInfo]:
    """A class, then the classes nested in it (named ``Outer.Inner``), depth first."""
    name = prefix + node.name
    is_enum = any(_last_name(base) in _ENUM_BASES for base in node.bases)
    is_record = any(_last_name(base) in _RECORD_BASES for base in node.bases) or any(
        _last_name(decorator) in _RECORD_DECORATORS for decorator in node.decorator_list
    )

    def kind_of(attribute: str, statement: ast.stmt) -> VariableKind:
        if is_enum and isinstance(statement, ast.Assign) and not attribute.startswith("_"):
            return "enum_member"
        if is_record and isinstance(statement, ast.AnnAssign) and "ClassVar" not in ast.unparse(statement.annotation):
            return "field"
        return "attribute"

    attributes = {v.name: v for v in _variables(node.body, source, kind_of)}
    for function in node.body:
        if isinstance(function, _FUNCTIONS) and function.name == "__init__":
            instance = _variables(function.body, source, lambda *_: "attribute", prefix="self")
            # ``self.box = box``: a value made of the method's own names means nothing outside it.
            instance = [v if _literal(v.value) else replace(v, value=None) for v in instance]
            attributes.update((v.name, v) for v in instance if v.name not in attributes)
    own = ClassInfo(
        name=name,
        bases=tuple(ast.unparse(base) for base in node.bases),
        methods=tuple(_definitions(node.body, source, name)),
        start_line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        docstring=ast.get_docstring(node),
        is_public=not any(part.startswith("_") for part in name.split(".")),
        decorators=tuple(ast.unparse(d) for d in node.decorator_list),
        attributes=tuple(attributes.values()),
    )
    inner = {item.name: item for item, _, _ in _scope_statements(node.body) if isinstance(item, ast.ClassDef)}
    nested = [c for item in inner.values() for c in _classes(item, source, name + ".")]
    return [own, *nested]


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of the module, nested ones included, in ``ast.walk`` order (breadth first)
    without the expressions, which hold no statement and are most of the nodes."""
    pending: deque[ast.AST] = deque([tree])
    while pending:
        node = pending.popleft()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], _BLOCK_ITEMS):
                pending.extend(value)


def _is_main(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, alone or in an ``and``: true only when the file runs as a script."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_is_main(value) for value in test.values)
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _not_at_runtime(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` (any spelling) or ``__name__ == "__main__"``: a block an import of the module skips."""
    if isinstance(test, ast.Name | ast.Attribute):
        return (test.id if isinstance(test, ast.Name) else test.attr) == "TYPE_CHECKING"
    return _is_main(test)


def _imports(tree: ast.Module) -> tuple[ImportInfo, ...]:
    skipped = {
        id(inner)
        for node in _statements(tree)
        if isinstance(node, ast.If) and _not_at_runtime(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found: list[ImportInfo] = []
    for node in _statements(tree):
        runtime = id(node) not in skipped
        if isinstance(node, ast.Import):
            found += [ImportInfo(alias.name, (), node.lineno, runtime=runtime) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            renamed = tuple((a.asname, a.name) for a in node.names if a.asname is not None and a.asname != a.name)
            found.append(ImportInfo(node.module or "", names, node.lineno, node.level, runtime, aliases=renamed))
    return tuple(found)


def _declared_all(tree: ast.Module) -> tuple[str, ...] | None:
    for node in tree.body:
        if "__all__" in _assigned_names(node):
            value = getattr(node, "value", None)
            if isinstance(value, ast.List | ast.Tuple):
                return tuple(e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return None


def _reexported(tree: ast.Module) -> tuple[str, ...]:
    """Names imported at module level under their own name (``from .exc import BadData as BadData``): the typing
    specification's explicit re-export, what a ``py.typed`` package's ``__init__`` uses instead of ``__all__``."""
    return tuple(
        alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if alias.asname is not None and alias.asname == alias.name.rsplit(".", 1)[-1] and "." not in alias.name
    )


def analyze_python(source: str, path: str) -> FileAnalysis:
    r"""Analyse Python source with :mod:`ast`: exact signatures, docstrings, complexity, raises.

    Top-level functions and classes are read (with each class's methods; an ``@overload`` stub gives
    way to its implementation). Exports are ``__all__`` when the module declares it as a literal
    list or tuple, else its public top-level functions and classes. Unlike
    :func:`~codescribe.engine.analysis.analyze_source`, nothing is caught: no reading around errors here.

    Args:
        source: the module's text.
        path: the file's path, recorded in the result and in syntax errors.

    Returns:
        The analysis (``language`` ``python``, no warnings).

    Raises:
        SyntaxError: the source does not parse (null bytes included).
        RecursionError: the source nests too deeply for the analysis.
        MemoryError: the source nests so deeply (thousands of levels) that Python's parser gives up.

    Examples:
        >>> analysis = analyze_python("def add(a, b=1):\n    return a + b\n", "calc.py")
        >>> analysis.functions[0].signature, analysis.exports
        ('add(a, b=1)', ('add',))
        >>> analyze_python("def broken(:\n", "bad.py")
        Traceback (most recent call last):
        ...
        SyntaxError: invalid syntax
    """
    tree = parse_python(source, filename=path)
    functions = tuple(_definitions(tree.body, source, None))
    defined = {node.name: node for node, _, _ in _scope_statements(tree.body) if isinstance(node, ast.ClassDef)}
    classes = tuple(c for node in defined.values() for c in _classes(node, source))
    functions, classes = _exceptions_named(functions, classes)
    named = {function.name for function in functions} | set(defined)
    declared = _declared_all(tree)
    variables = tuple(v for v in _variables(tree.body, source, _module_kind) if v.name not in named)
    if declared is not None:
        # With ``__all__``, a top-level name is public when listed there (griffe's and ``import *``'s rule).
        functions = tuple(replace(f, is_public=f.name in declared) for f in functions)
        classes = tuple(replace(c, is_public=c.is_public and c.name.split(".")[0] in declared) for c in classes)
        variables = tuple(replace(v, is_public=v.name in declared) for v in variables)
        exports = declared
    else:
        # What ``from module import *`` binds without ``__all__``: no name that begins with an underscore.
        exports = tuple(f.name for f in functions if f.is_public)
        exports += tuple(c.name for c in classes if c.is_public and "." not in c.name)
        exports = tuple(name for name in (*exports, *_reexported(tree)) if not name.startswith("_"))
    exports = tuple(dict.fromkeys(exports))
    return FileAnalysis(
        path=path,
        language="python",
        functions=functions,
        classes=classes,
        imports=_imports(tree),
        exports=exports,
        module_docstring=ast.get_docstring(tree),
        lines=count_lines(source),
        variables=variables,
        declares_all=declared is not None,
    )
