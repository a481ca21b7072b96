"""CodeScribe's Python analysis against griffe's (the analyser behind mkdocstrings), object by object.

Both sides are reduced to the same records, keyed by dotted path (``rich.console.Console.print``):

- ``kind``: module, class, function, method, property or attribute;
- ``params``: for functions and methods, ``[name, kind, annotation, default]`` per parameter;
- ``docstring``: the cleaned docstring, or None;
- ``exports``: for modules, ``__all__`` as written, or None.

Normalisations, applied to griffe's side (written down because they are choices):

- ``self``/``cls`` is dropped from methods (CodeScribe shows the call signature).
- Objects whose own name starts with ``_`` are left out on both sides (``__init__`` included),
  and so are modules that are private or under a private package; griffe's ``is_public`` is not
  used for module members because it also hides names missing from ``__all__``, which a
  reference page still documents.
- Imported names (griffe's aliases) are not objects of the importing module.
- Defaults and annotations are compared after ``ast.unparse(ast.parse(text))`` on both sides:
  griffe re-renders expressions (single quotes), CodeScribe keeps the source text.

Run: ``.venv/bin/python reference/python_reference.py SEARCH_DIR PACKAGE [DISAGREEMENTS_FILE]``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Record = dict[str, Any]

_GRIFFE_PARAMETER_KINDS = {
    "positional-only": "positional_only",
    "positional or keyword": "positional",
    "variadic positional": "var_positional",
    "keyword-only": "keyword_only",
    "variadic keyword": "var_keyword",
}


def _normal(expression: str | None) -> str | None:
    """An expression as ``ast.unparse`` writes it (quotes, spacing), or as given if it does not parse."""
    import ast

    if expression is None:
        return None
    try:
        return ast.unparse(ast.parse(expression, mode="eval"))
    except SyntaxError:
        return expression


def _private(name: str) -> bool:
    return name.startswith("_")


def _clean(docstring: str | None) -> str | None:
    return inspect.cleandoc(docstring) if docstring else None


def griffe_records(package_dir: Path, package: str) -> dict[str, Record]:
    """What griffe, statically (no import of the package), finds in ``package`` under ``package_dir``."""
    import griffe

    root = griffe.load(package, search_paths=[str(package_dir)], allow_inspection=False, resolve_aliases=False)
    records: dict[str, Record] = {}

    def visit(obj: Any, owner_kind: str | None) -> None:
        if obj.is_alias:
            return
        kind = obj.kind.value
        if kind == "module":
            if any(_private(part) for part in obj.path.split(".")[1:]):
                return
            exports = None
            if "__all__" in obj.members and not obj.members["__all__"].is_alias:
                exports = [str(name) for name in (obj.exports or [])]
            records[obj.path] = {
                "kind": "module",
                "docstring": _clean(obj.docstring and obj.docstring.value),
                "exports": exports,
            }
        elif kind == "class":
            records[obj.path] = {"kind": "class", "docstring": _clean(obj.docstring and obj.docstring.value)}
        elif kind == "function":
            parameters = list(obj.parameters)
            is_method = owner_kind == "class"
            if is_method and parameters and "staticmethod" not in obj.labels and parameters[0].name in ("self", "cls"):
                parameters = parameters[1:]
            records[obj.path] = {
                "kind": "method" if is_method else "function",
                "params": [
                    [
                        p.name,
                        _GRIFFE_PARAMETER_KINDS[p.kind.value],
                        _normal(None if p.annotation is None else str(p.annotation)),
                        _normal(None if p.default is None else str(p.default)),
                    ]
                    for p in parameters
                ],
                "docstring": _clean(obj.docstring and obj.docstring.value),
            }
        elif kind == "attribute":
            records[obj.path] = {
                "kind": "property" if "property" in obj.labels else "attribute",
                "docstring": _clean(obj.docstring and obj.docstring.value),
            }
        if kind in ("module", "class"):
            for name, member in obj.members.items():
                if not _private(name):
                    visit(member, kind)

    visit(root, None)
    return records


def codescribe_records(package_dir: Path, package: str) -> dict[str, Record]:
    """What CodeScribe's analysis finds in the same files, as the same records."""
    from codescribe.engine.analysis import analyze_file

    records: dict[str, Record] = {}
    for path in sorted((package_dir / package).rglob("*.py")):
        relative = path.relative_to(package_dir).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if any(_private(part) for part in parts[1:]):
            continue
        module = ".".join(parts)
        analysis = analyze_file(path)
        records[module] = {
            "kind": "module",
            "docstring": _clean(analysis.module_docstring),
            "exports": list(analysis.exports) if _declares_all(path) else None,
        }
        for function in analysis.functions:
            if not _private(function.name):
                records[f"{module}.{function.name}"] = _function_record(function, "function")
        for cls in analysis.classes:
            if _private(cls.name):
                continue
            records[f"{module}.{cls.name}"] = {"kind": "class", "docstring": _clean(cls.docstring)}
            for method in cls.methods:
                if not _private(method.name):
                    records[f"{module}.{cls.name}.{method.name}"] = _function_record(method, "method")
    return records


def _declares_all(path: Path) -> bool:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(target, ast.Name) and target.id == "__all__"
        for node in tree.body
        for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)])
    )


def _function_record(function: Any, kind: str) -> Record:
    decorators = set(function.decorators)
    if kind == "method" and (
        {"property", "cached_property", "functools.cached_property"} & decorators
        or any(d.endswith((".setter", ".getter", ".deleter")) for d in decorators)
    ):
        return {"kind": "property", "docstring": _clean(function.docstring)}
    return {
        "kind": kind,
        "params": [[p.name, p.kind, _normal(p.annotation), _normal(p.default)] for p in function.parameters],
        "docstring": _clean(function.docstring),
    }


FIELDS = ("names", "kind", "params", "docstring", "exports")


def compare(expected: dict[str, Record], actual: dict[str, Record]) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Agreement per field as (agreeing, total), and one line per disagreement.

    ``names`` counts objects found by both over objects found by either; the other fields
    are compared on the objects both found that have the field.
    """
    counts = {field: [0, 0] for field in FIELDS}
    disagreements: list[str] = []
    for path in sorted(expected.keys() | actual.keys()):
        counts["names"][1] += 1
        if path not in actual:
            disagreements.append(f"names: {path} ({expected[path]['kind']}) missing")
            continue
        if path not in expected:
            disagreements.append(f"names: {path} ({actual[path]['kind']}) not in the reference")
            continue
        counts["names"][0] += 1
        want, got = expected[path], actual[path]
        for field in FIELDS[1:]:
            if field not in want and field not in got:
                continue
            counts[field][1] += 1
            if want.get(field) == got.get(field):
                counts[field][0] += 1
            else:
                disagreements.append(f"{field}: {path}: expected {want.get(field)!r}, got {got.get(field)!r}")
    return {field: (good, total) for field, (good, total) in counts.items()}, disagreements


def main(argv: Iterator[str] | None = None) -> None:
    import sys

    args = list(argv if argv is not None else sys.argv[1:])
    package_dir, package = Path(args[0]), args[1]
    counts, disagreements = compare(griffe_records(package_dir, package), codescribe_records(package_dir, package))
    for field, (good, total) in counts.items():
        print(f"{field:10} {good:6}/{total:<6} {100 * good / total if total else 100:6.2f}%")
    out = Path(args[2]) if len(args) > 2 else None
    if out:
        out.write_text("\n".join(disagreements) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
