"""Python analysis through ``ast``: exact signatures, docstrings, complexity, raises."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, LineCounts, Parameter

__all__ = ["analyze_python", "count_lines"]

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


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # a quoted forward reference: show the type, not the string
    return None if node is None else ast.unparse(node)


def _is_overload(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(ast.unparse(d).rsplit(".", 1)[-1] == "overload" for d in node.decorator_list)


def _definitions(body: list[ast.stmt]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions of a body; ``@overload`` stubs give way to their implementation."""
    functions = [node for node in body if isinstance(node, _FUNCTIONS)]
    implemented = {node.name for node in functions if not _is_overload(node)}
    return [node for node in functions if not (_is_overload(node) and node.name in implemented)]


def _parameters(args: ast.arguments, source: str) -> tuple[Parameter, ...]:
    def default_text(node: ast.expr | None) -> str | None:
        # As the source writes it (quotes, escapes); a default spread over lines is unparsed onto one.
        if node is None:
            return None
        segment = ast.get_source_segment(source, node)
        return segment if segment and "\n" not in segment else ast.unparse(node)

    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    result = [
        Parameter(
            arg.arg,
            _text(arg.annotation),
            default_text(default),
            "positional_only" if index < len(args.posonlyargs) else "positional",
        )
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True))
    ]
    if args.vararg:
        result.append(Parameter(args.vararg.arg, _text(args.vararg.annotation), None, "var_positional"))
    result += [
        Parameter(arg.arg, _text(arg.annotation), default_text(default), "keyword_only")
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


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None, source: str) -> FunctionInfo:
    body = _own_nodes(node)
    complexity = 1 + sum(isinstance(n, _BRANCHES) for n in body)
    complexity += sum(len(n.values) - 1 for n in body if isinstance(n, ast.BoolOp))
    returns_value = any(
        (isinstance(n, ast.Return) and n.value is not None) or isinstance(n, ast.Yield | ast.YieldFrom) for n in body
    )
    raises = sorted({name for n in body if isinstance(n, ast.Raise) and (name := _raised_name(n))})
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
    )


def _class(node: ast.ClassDef, source: str) -> ClassInfo:
    methods = tuple(_function(item, node.name, source) for item in _definitions(node.body))
    return ClassInfo(
        name=node.name,
        bases=tuple(ast.unparse(base) for base in node.bases),
        methods=methods,
        start_line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        docstring=ast.get_docstring(node),
        is_public=not node.name.startswith("_"),
        decorators=tuple(ast.unparse(d) for d in node.decorator_list),
    )


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


def _not_at_runtime(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` (any spelling) or ``__name__ == "__main__"``: a block an import of the module skips."""
    if isinstance(test, ast.Name | ast.Attribute):
        return (test.id if isinstance(test, ast.Name) else test.attr) == "TYPE_CHECKING"
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


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
            found.append(ImportInfo(node.module or "", names, node.lineno, node.level, runtime))
    return tuple(found)


def _declared_all(tree: ast.Module) -> tuple[str, ...] | None:
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = getattr(node, "value", None)
            if isinstance(value, ast.List | ast.Tuple):
                return tuple(e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return None


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
    tree = ast.parse(source, filename=path)
    functions = tuple(_function(node, None, source) for node in _definitions(tree.body))
    classes = tuple(_class(node, source) for node in tree.body if isinstance(node, ast.ClassDef))
    exports = _declared_all(tree)
    if exports is None:
        exports = tuple(f.name for f in functions if f.is_public) + tuple(c.name for c in classes if c.is_public)
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
    )
