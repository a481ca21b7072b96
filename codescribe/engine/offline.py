"""The offline engine: documentation written from the analysis and templates alone.

No key, no network, deterministic: the same code gives the same document. It is the
embedded default of ``make demo`` and the baseline of every evaluation. It is a writer beside
the model-backed one (:class:`codescribe.engine.writers.OfflineWriter`), named ``offline``
wherever a surface names a provider; it is handed the analysis, not a prompt.
"""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, cast

from .analysis.manifest import Manifest, import_binding, module_specifier
from .analysis.model import ClassInfo, FileAnalysis, FunctionInfo
from .analysis.packages import go_packages, is_go_project, package_analysis, package_graph
from .analysis.project import ProjectAnalysis, dependency_order_of, is_support_file, module_name
from .cpu import parse_python
from .diagrams import import_diagrams
from .doc_tags import jsdoc_params, yielded_type
from .markdown import fence_name
from .prompts import PromptSet
from .readme_parts import go_import_path, go_usage, module_rows
from .rewrite import cr_only, syntax_error
from .usage import class_usage, doc_example, example_call, function_usage, is_deprecated, shows_use

__all__ = ["DocRequest", "OfflineEngine"]


@dataclass(frozen=True)
class DocRequest:
    """Everything needed to document one file (or, for ``architecture``, a project).

    Attributes:
        doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
        analysis: the file's analysis (for ``architecture``, one analysis holding every file's names).
        source: the file's text (for ``architecture``, the generator passes the project's repo map).
        project: the project the file belongs to; ``None`` for a lone file.
        title: the document's title; ``None`` for the default: the module's last name for a file,
            the project folder's name for ``architecture``.
        extra: more inputs for the offline templates: ``install_command`` (a line for a file README's
            Installation section), ``manifest`` (a folder's README: the project's
            :class:`~codescribe.engine.analysis.manifest.Manifest`, or ``None``).

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> request = DocRequest("readme", analyze_source("X = 1", "calc.py"), "X = 1", title="Calculator")
        >>> request.project is None, request.extra
        (True, {})
    """

    doc_type: str
    analysis: FileAnalysis
    source: str
    project: ProjectAnalysis | None = None
    title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _main_modules(project: ProjectAnalysis, manifest: Manifest | None) -> list[str]:
    """The package's main module and, when it only hands on other modules (``module.exports =
    require('./lib/express')``, chosen at run time or not), those modules: what importing the package gives."""
    if manifest is None:
        return []
    found = manifest.main_file(project.files)
    main = [found] if found else []
    graph, names = project.import_graph(), {path: name for name, path in project.modules.items()}
    for path in list(main):
        analysis = project.files[path]
        if not (analysis.functions or analysis.classes or analysis.variables or analysis.exports):
            main += [project.modules[name] for name in sorted(graph.get(names.get(path, ""), ()))]
    return main


def _usage_examples(
    project: ProjectAnalysis, manifest: Manifest | None, main: frozenset[str], candidates: list[str]
) -> list[tuple[str, str]]:
    """A README's examples, ``(fence language, code)``: the top module's own example, then its functions and
    classes (their docs' examples where they give one), main module first, at most three."""
    first = {name for name, path in project.modules.items() if path in main}
    usage: list[tuple[str, str]] = []
    packages: dict[str, list[str]] = {}  # a Go package is a folder of files, used as one
    for name in candidates:
        if project.files[project.modules[name]].language == "go":
            packages.setdefault(posixpath.dirname(project.modules[name]), []).append(name)
    seen: set[str] = set()
    shown: set[FunctionInfo | ClassInfo] = set()
    # Examples of the library's public modules (not of its tests or its private modules), main module first.
    # The package named as the distribution first (attrs' ``attrs`` before its older ``attr``).
    own = re.sub(r"[-.]", "_", manifest.name.lower()) if manifest else ""
    ranked = sorted(candidates, key=lambda name: (name not in first, _parts(name)[0] != own, _depth(name), name))
    for name in ranked:
        path = project.modules[name]
        analysis = project.public_interface(path)
        group = packages.get(posixpath.dirname(path), [name]) if analysis.language == "go" else [name]
        if group[0] in seen or analysis.package == "main":  # a Go command is run, not imported
            continue
        seen.add(group[0])
        owners = [project.files[project.modules[n]] for n in group] if analysis.language == "go" else [analysis]
        if not usage and (example := doc_example(analysis.module_docstring, analysis.language)):
            usage.append(example)  # the top module's own example, as its author wrote it
        if analysis.language == "rust":  # ``#[macro_export]`` macros sit at the crate's root, wherever written
            owners += [_exported_macros(project, analysis)] if name in first else []
        for item, owner in _examples(owners, shown)[: 3 - len(usage)]:
            shown.add(item)
            usage.append(_example(item, owner, name, manifest, main))
        if len(usage) >= 3:
            break
    exported = [path for path in sorted(main) if project.files[path].default_export]
    if not usage and manifest and exported:  # the package's export is a value made at run time (debug's)
        fence = fence_name(project.files[exported[0]].language)
        usage.append((fence, f'import {import_binding(manifest.name)} from "{manifest.name}";'))
    return usage


def _example(
    item: FunctionInfo | ClassInfo, owner: FileAnalysis, name: str, manifest: Manifest | None, main: frozenset[str]
) -> tuple[str, str]:
    """One example of ``item`` of module ``name``: its docs' own, else a call written from its signature."""
    if example := doc_example(item.docstring, owner.language):
        return example
    fence = fence_name(owner.language)
    if owner.language == "go":
        return fence, go_usage(cast("FunctionInfo", item), owner, go_import_path(owner.path, owner, manifest))
    specifier = _import_specifier(owner.path, manifest, main)
    if isinstance(item, ClassInfo):
        return fence, class_usage(item, owner, name, specifier)
    return fence, function_usage(item, owner, name, specifier)


def _examples(
    owners: list[FileAnalysis], shown: set[FunctionInfo | ClassInfo]
) -> list[tuple[FunctionInfo | ClassInfo, FileAnalysis]]:
    """What a README shows of a module (a Go package's files): its functions and the classes users make.

    Deprecated ones last; documented first, then the shortest names (``New``, ``Parse`` before
    ``NewDCESecurity``; of classes, the one with the most methods); two functions, then a class
    (``new Command()``), then the rest. Hooks (``__x__``) and what was shown already (a function the main
    module re-exports) are left out.
    """
    functions = [
        (f, owner)
        for owner in owners
        for f in owner.functions
        if f.is_public
        and not f.name.startswith("__")
        and f not in shown
        and "::" not in f.qualname  # Rust: in an inline module, which may not be public
        and not any(d.startswith("doc(hidden)") for d in f.decorators)
    ]
    classes = [
        (c, owner)
        for owner in owners
        if owner.language != "go"
        for c in owner.classes
        if shows_use(c) and c not in shown
    ]
    # what the code marks deprecated is shown last, if at all
    functions.sort(key=lambda pair: (is_deprecated(pair[0]), pair[0].docstring is None, len(pair[0].name)))
    # the class users work with has the most to call (commander's ``Command``, not its ``Help``)
    classes.sort(
        key=lambda pair: (is_deprecated(pair[0]), pair[0].docstring is None, -_callable(pair[0]), len(pair[0].name))
    )
    examples: list[tuple[FunctionInfo | ClassInfo, FileAnalysis]] = [
        *functions[:2],
        *classes[:1],
        *functions[2:],
        *classes[1:],
    ]

    def rank(pair: tuple[FunctionInfo | ClassInfo, FileAnalysis]) -> int:
        """Those whose docs give an example first, then the documented, then the rest."""
        item, owner = pair
        if is_deprecated(item):
            return 3
        return 2 if item.docstring is None else 0 if doc_example(item.docstring, owner.language) else 1

    return sorted(examples, key=rank)  # stable: the order above within each


def _inserted(lines: list[str], inserts: list[tuple[int, str]], source: str) -> str:
    """``lines`` with each docstring inserted before its line; any insert that would make the file fail to
    parse is left out (each is tried alone then), so one odd definition never costs the file its others."""

    def apply(chosen: list[tuple[int, str]]) -> str:
        out = list(lines)
        for index, text in sorted(chosen, reverse=True):
            out.insert(index, text)
        return "".join(out)

    result = apply(inserts)
    if syntax_error(result, "python") is None:
        return result
    kept = [insert for insert in inserts if syntax_error(apply([insert]), "python") is None]
    result = apply(kept)
    return result if syntax_error(result, "python") is None else source


def _callable(cls: ClassInfo) -> int:
    """How many public methods (not properties, not hooks) a class has."""
    return sum(m.is_public and not m.is_property and not m.name.startswith("_") for m in cls.methods)


def _exported_macros(project: ProjectAnalysis, root: FileAnalysis) -> FileAnalysis:
    """A crate's ``#[macro_export]`` macros (``anyhow::bail!``), as one file beside its root: Rust exports
    them at the crate's root whichever module defines them."""
    macros = [
        function
        for analysis in project.files.values()
        if analysis.language == "rust" and analysis.path != root.path
        for function in analysis.functions
        if function.name.endswith("!") and function.is_public
    ]
    return replace(root, functions=tuple(macros), classes=(), variables=())


def _import_specifier(path: str, manifest: Manifest | None, main: frozenset[str]) -> str:
    """What JavaScript imports a project's file as: the package's name for its main module (and the modules that
    module hands on whole, ``module.exports = require('./lib/express')``), else the package's file, else a path."""
    if manifest and path in main:
        return manifest.name
    return f"{manifest.name}/{module_specifier(path)}" if manifest else f"./{module_specifier(path)}"


def _summary(function: FunctionInfo) -> str:
    """A function's name as a sentence: ``parseHTTPDate`` → "Parse HTTP date.", ``PERCENT`` → "Percent."."""
    name = re.sub(r"[^\w]", "", function.name) or function.name  # Rust's macros end in !
    parts = re.findall(r"[A-Z]+\d*(?![a-z])|[A-Z]?[a-z]+\d*|\d+", name)
    if "".join(parts) != name.replace("_", ""):  # letters beyond ASCII: split at underscores only
        parts = name.replace("_", " ").split() or [name]
    shouted = name.isupper()  # a constant-style name is one word, not an acronym per letter
    words = " ".join(part if len(part) > 1 and part.isupper() and not shouted else part.lower() for part in parts)
    return f"{words[:1].upper()}{words[1:]}."


class OfflineEngine:
    r"""Renders every doc type from analysis, through the ``prompts/offline`` templates.

    Args:
        prompts: the templates; ``None`` for the bundled ones (a user's folder may override only
            some ``offline/`` templates).

    Attributes:
        prompts: the templates in use.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> request = DocRequest("readme", analyze_source("X = 1\n", "calc.py"), "X = 1\n")
        >>> OfflineEngine().document(request).splitlines()[0]
        '# calc'
    """

    def __init__(self, prompts: PromptSet | None = None) -> None:
        self.prompts = prompts or PromptSet()

    def document(self, request: DocRequest) -> str:
        r"""Write the document ``request`` asks for.

        ``docstrings`` gives the source back with docstrings added (see :meth:`docstrings`);
        ``architecture`` renders ``offline/architecture.md.j2`` for ``request.project`` (or, without
        one, a project of the one file, rooted at the current folder); every other doc type renders
        ``offline/<doc type>.md.j2`` for the file.

        Args:
            request: what to document.

        Returns:
            The document: Markdown ending in one newline, or the rewritten source for ``docstrings``.

        Raises:
            jinja2.TemplateNotFound: the doc type has no offline template (an unknown doc type).

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> request = DocRequest("api", analyze_source(code, "calc.py"), code)
            >>> text = OfflineEngine().document(request)
            >>> text.startswith("# "), "add(a, b)" in text
            (True, True)
        """
        if request.doc_type == "docstrings":
            return self.docstrings(request.analysis, request.source.removeprefix("\ufeff"))
        if request.doc_type == "architecture":
            return self.prompts.render("offline/architecture.md.j2", **self._architecture_context(request))
        if request.doc_type == "readme" and "manifest" in request.extra:  # a folder's README
            context = self._architecture_context(request)
            return self.prompts.render("offline/project_readme.md.j2", **context, **self._readme_context(request))
        return self.prompts.render(f"offline/{request.doc_type}.md.j2", **self._file_context(request))

    def _file_context(self, request: DocRequest) -> dict[str, Any]:
        analysis = request.analysis
        if request.project is not None and analysis.path in request.project.files:
            analysis = request.project.public_interface(analysis.path)  # httpx.Client on httpx's page
        public_functions = [f for f in analysis.functions if f.is_public]
        raised: dict[str, list[str]] = {}
        for function in analysis.all_functions:
            for name in function.raises:
                raised.setdefault(name, []).append(f"`{function.qualname}`")
        name = module_name(analysis.path)
        graph = request.project.import_graph() if request.project else {}
        modules = request.project.modules if request.project else {}
        this = next((module for module, path in modules.items() if path == analysis.path), name)
        return {
            "analysis": analysis,
            "title": request.title or name.rsplit(".", 1)[-1].rsplit("/", 1)[-1],
            "module_name": this,
            "lang": fence_name(analysis.language),
            "public_functions": public_functions,
            "public_classes": [c for c in analysis.classes if c.is_public],
            "examples": public_functions[:3],
            "example_call": functools.partial(example_call, language=analysis.language),
            "install_command": request.extra.get("install_command"),
            "raised": raised,
            "imports_internal": sorted(graph.get(this, ())),
            "imported_by": sorted(module for module, deps in graph.items() if this in deps),
        }

    def _architecture_context(self, request: DocRequest) -> dict[str, Any]:
        # a lone file is its own project, named after the file (not after the folder this process runs in)
        project = request.project or ProjectAnalysis(root=Path("."), files={request.analysis.path: request.analysis})
        named = project.root.resolve().name if request.project else PurePosixPath(request.analysis.path).stem
        if is_go_project(project):  # Go's unit is the package: a folder of files that import no one another
            packages = go_packages(project)
            graph = package_graph(project)
            order = dependency_order_of(graph)
            components = [_Component(name, package_analysis(project, name, packages[name])) for name in order]
            used = {dependency for dependencies in graph.values() for dependency in dependencies}
        else:
            graph = project.import_graph()
            order = project.dependency_order()
            components = [_Component(name, project.files[project.modules[name]]) for name in order]
            # a module imported only for its types (under TYPE_CHECKING) is used, so it is no entry point
            used = {d for dependencies in project.import_graph(runtime_only=False).values() for d in dependencies}
        public = [f for c in components for f in c.analysis.all_functions if f.is_public]
        public_classes = [cls for c in components for cls in c.analysis.classes if cls.is_public]
        documented = sum(1 for f in public if f.docstring) + sum(1 for cls in public_classes if cls.docstring)
        total = len(public) + len(public_classes)
        users = Counter(dependency for dependencies in graph.values() for dependency in set(dependencies))
        return {
            "title": request.title or named,
            "components": components,
            "order": order,
            "graph": graph,
            "diagrams": import_diagrams(graph),
            "entry_points": [name for name in order if name not in used][:8],
            "languages": sorted({c.analysis.language for c in components}),
            "cycles": _cycles(graph),
            "most_used": max(order, key=lambda name: (users[name], name)),
            "users": {name: users[name] for name in order},
            "documented_share": round(100 * documented / total) if total else 100,
            "unit": "package" if is_go_project(project) else "module",
        }

    def _readme_context(self, request: DocRequest) -> dict[str, Any]:
        """The manifest, and examples: from the npm ``main`` module and what it imports first, then from the
        modules at the top of the tree (fewest name parts first)."""
        project = request.project
        assert project is not None  # a folder's README is always asked for with its project
        manifest = request.extra["manifest"]
        # The main module, and the modules it hands on whole (express's ``require('./lib/express')``).
        main = frozenset(_main_modules(project, manifest))
        first = {name for name, path in project.modules.items() if path in main}

        public = [name for name in project.modules if not any(p.startswith("_") for p in _parts(name)[1:])]
        public = [name for name in public if not is_support_file(project.modules[name])] or public
        # A package with a main module is used through it: its other files are its own business.
        candidates = [name for name in public if name in first] if main else public
        usage = _usage_examples(project, manifest, main, candidates)
        listed = set(public)
        ordered = [name for name in project.dependency_order() if name in listed]
        rows = module_rows(project, ordered, manifest)
        top = min((row.depth for row in rows), default=0)
        summaries = [row.docstring for row in rows if row.depth == top and row.docstring]
        return {
            "manifest": manifest,
            "usage": usage,
            "module_rows": rows,
            "summary": summaries[0] if len(summaries) == 1 else None,  # the one top module's own words
        }  # "unit" (package or module) comes with the architecture's context, which a project's README shares

    def docstrings(self, analysis: FileAnalysis, source: str) -> str:
        r"""The source with a docstring or doc comment added to each public function that lacks one.

        The text comes from ``offline/docstring.j2`` (Python, Google style), ``offline/jsdoc.j2``
        (JavaScript, TypeScript, TSX: ``@param {type}`` and ``@returns {type}`` from the code),
        ``offline/javadoc.j2``, ``offline/godoc.j2`` or ``offline/rustdoc.j2``: a summary made from
        the function's name, then its parameters, what it returns and what it raises. Python is
        parsed afresh from ``source`` (``analysis`` is not used for it); a one-line ``def``, a
        private function, one that has a docstring, and a function nested in another are left
        alone, and source that does not parse (before or after) comes back unchanged. The other
        languages use ``analysis`` to find the functions; a doc comment goes on the line above the
        function (the generator's merge moves it above decorators and attributes).

        Args:
            analysis: the analysis of ``source`` (its ``language`` decides what is done).
            source: the file's text.

        Returns:
            The rewritten source (or ``source`` itself).

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> lines = OfflineEngine().docstrings(analyze_source(code, "calc.py"), code).splitlines()
            >>> print("\n".join(lines[3:9]))
                Args:
                    a: Required.
                    b: Required.
            <BLANKLINE>
                Returns:
                    The result.
            >>> js = "export function add(a, b) {\n  return a + b;\n}\n"
            >>> print(OfflineEngine().docstrings(analyze_source(js, "calc.js"), js), end="")
            /**
             * Add.
             * @param a
             * @param b
             * @returns the result.
             */
            export function add(a, b) {
              return a + b;
            }
        """
        if cr_only(source):  # classic Mac line endings: lines are counted at \r
            return self.docstrings(analysis, source.replace("\r", "\n")).replace("\n", "\r")
        if analysis.language == "python":
            return self._python_docstrings(source)
        if analysis.language in _DOC_COMMENT_TEMPLATES:
            return self._doc_comments(analysis, source)
        return source

    def _docstring_text(self, function: FunctionInfo) -> str:
        returns = function.returns or ("The result." if function.returns_value else None)
        if _returns_nothing(function.returns):
            returns = None  # ``-> None``: no Returns section (Google style)
        return self.prompts.render(
            "offline/docstring.j2",
            summary=_summary(function),
            parameters=function.parameters,
            returns=returns,
            yields=(yielded_type(function.returns) or "") if function.is_generator else None,
            raises=function.raises,
        ).rstrip()

    def _python_docstrings(self, source: str) -> str:
        from .analysis.python import analyze_python, function_info

        try:
            tree = parse_python(source)
        except SyntaxError:
            return source  # never break code we could not read
        analysis = analyze_python(source, "<offline>")
        analysed = analysis.all_functions
        functions = {(f.start_line, f.name): f for f in analysed}
        inherited = _documented_overrides(analysis.classes)
        # A name defined in both branches of ``if PY3: ... else: ...`` (six) is one function in the analysis:
        # each definition gets its own docstring, from its own parameters.
        named = {f.name: f for f in analysed}
        lines = re.split(r"(?<=\n)", source)  # as ast counts lines (not at form feeds, as splitlines does)
        inserts: list[tuple[int, str]] = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or ast.get_docstring(node):
                continue
            info = functions.get((node.lineno, node.name))
            if info is None and node.name in named:
                other = named[node.name]
                owner = other.qualname.rpartition(".")[0] or None
                info = replace(function_info(node, owner, source), is_public=other.is_public)
            first = node.body[0]
            # where the first statement starts: above its decorators (a decorated nested def or class)
            start = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
            indent = lines[start - 1][: first.col_offset]  # tabs or spaces, as the file has them
            if info is None or not info.is_public or indent.strip() or info.qualname in inherited:
                continue  # private, a body on the signature's line (``): ...``), or it inherits its doc
            body = self._docstring_text(info).replace("\\", "\\\\").replace('"""', r"\"\"\"")
            quoted = f'"""{body}"""' if "\n" not in body else f'"""{body}\n"""'  # PEP 257: a one-liner on one line
            text = "\n".join(f"{indent}{line}" if line else "" for line in quoted.splitlines())
            inserts.append((start - 1, text + "\n"))
        return _inserted(lines, inserts, source)

    def _doc_comments(self, analysis: FileAnalysis, source: str) -> str:
        """A doc comment above each public function or method that has none, in the language's syntax."""
        template = _DOC_COMMENT_TEMPLATES[analysis.language]
        lines = re.split(r"(?<=\n)", source)
        # A line that starts several definitions (minified code) has no place above it for one's comment.
        starts = Counter(
            [f.start_line for f in analysis.all_functions]
            + [c.start_line for c in analysis.classes]
            + [v.line for v in analysis.variables]
        )
        inherited = _inherited_docs(analysis)
        for function in sorted(analysis.all_functions, key=lambda f: f.start_line, reverse=True):
            hidden = "doc(hidden)" in function.decorators  # Rust: public, but kept out of the documentation
            if function.docstring or not function.is_public or hidden or not 0 < function.start_line <= len(lines):
                continue
            if starts[function.start_line] > 1 or id(function) in inherited:
                continue
            at = function.start_line - 1
            if analysis.language == "go":
                if _aligned_one_liner(lines, function):
                    continue
                while at > 0 and lines[at - 1].lstrip().startswith(_GO_DIRECTIVES):  # above //go:noinline
                    at -= 1
            line = lines[function.start_line - 1]
            indent = line[: len(line) - len(line.lstrip())]
            shown = _first_overload(function, analysis.language)  # what callers see above the signatures
            block = self.prompts.render(
                template,
                function_name=function.name,
                summary=_summary(function),
                parameters=[p for p in function.parameters if p.name not in _RECEIVERS],
                param_tags=jsdoc_params(shown.parameters),
                yields=(yielded_type(function.returns) or "") if function.is_generator else None,
                returns=shown.returns_value and not _returns_nothing(shown.returns),
                returns_type=shown.returns,
                raises=function.raises,
                type_parameters=_type_parameters(function.declaration) if analysis.language == "java" else [],
            )
            rows = block.splitlines()
            if rows and rows[-1].strip() == "*/":  # a type from the code may hold ``*/``, which would end it
                rows = [row.replace("*/", "*\\/") for row in rows[:-1]] + rows[-1:]
            lines.insert(at, "".join(f"{indent}{row}\n" for row in rows))
        return "".join(lines)


def _documented_overrides(classes: tuple[ClassInfo, ...]) -> set[str]:
    r"""The methods (``Class.method``) that override a documented method of a base class in the same
    file: :func:`inspect.getdoc` (and mkdocstrings, pdoc, Sphinx's autodoc) show them the base's
    docstring, which a docstring of their own would replace.

    Examples:
        >>> from codescribe.engine.analysis.python import analyze_python
        >>> code = 'class A:\n    def f(self):\n        "Do it."\n\nclass B(A):\n    def f(self):\n        pass\n'
        >>> _documented_overrides(analyze_python(code, "m.py").classes)
        {'B.f'}
    """
    by_name = {cls.name: cls for cls in classes}

    def documented(name: str, method: str, seen: frozenset[str]) -> bool:
        base = by_name.get(name.rpartition(".")[2])
        if base is None or base.name in seen:
            return False
        if any(m.name == method and m.docstring for m in base.methods):
            return True
        return any(documented(parent, method, seen | {base.name}) for parent in base.bases)

    return {
        m.qualname
        for cls in classes
        for m in cls.methods
        if not m.docstring and any(documented(base, m.name, frozenset({cls.name})) for base in cls.bases)
    }


def _returns_nothing(returns: str | None) -> bool:
    """Whether a declared return type says the function returns nothing (``None``, ``void``, ``never`` ...).

    Examples:
        >>> [_returns_nothing(t) for t in ("None", "void", "Promise<void>", "int", None)]
        [True, True, True, False, False]
    """
    text = re.sub(r"\s+", "", returns or "")
    return bool(re.fullmatch(r"(?:Promise<)?(?:None|NoReturn|Never|void|undefined|never)>?", text))


def _first_overload(function: FunctionInfo, language: str) -> FunctionInfo:
    """The first overload signature of a TypeScript function, as a function (its parameters and
    return type); the function itself when it has none, or the signature does not parse."""
    if not function.overloads or language not in ("typescript", "tsx"):
        return function
    from .analysis import analyze_source

    parsed = analyze_source(f"declare function {function.overloads[0]};\n", "overload.ts")
    found = parsed.functions[0] if len(parsed.functions) == 1 and not parsed.warnings else None
    return replace(found, returns_value=bool(found.returns)) if found is not None else function


def _type_parameters(declaration: str | None) -> list[str]:
    """The type parameters a Java method declares (``public <K, V extends Comparable<V>> Map<K, V> pair(``):
    Javadoc's doclint wants a ``@param <K>`` for each.

    Examples:
        >>> _type_parameters("public static <K, V extends Comparable<V>> Map<K, V> pair(K key, V value)")
        ['K', 'V']
        >>> _type_parameters("public Box<T> get()")
        []
    """
    opened = _JAVA_TYPE_PARAMETERS.match(declaration or "")
    if opened is None:
        return []
    text, depth, parts, start = declaration or "", 0, [], opened.end()
    for index in range(opened.end() - 1, len(text)):
        depth += {"<": 1, ">": -1}.get(text[index], 0)
        if depth == 1 and text[index] == ",":
            parts.append(text[start:index])
            start = index + 1
        elif depth == 0:
            parts.append(text[start:index])
            break
    return [name for part in parts if (name := part.strip().split(" ")[0])]


#: Modifiers and annotations, then the ``<`` that opens a Java method's type parameters.
_JAVA_TYPE_PARAMETERS = re.compile(
    r"\s*(?:@[\w.]+(?:\([^)]*\))?\s+|(?:public|protected|private|static|final|abstract|synchronized|native|default|strictfp)\s+)*<"
)
#: The doc comment template of each language the offline engine writes doc comments for.
_DOC_COMMENT_TEMPLATES = {
    **dict.fromkeys(("javascript", "typescript", "tsx"), "offline/jsdoc.j2"),
    "java": "offline/javadoc.j2",
    "go": "offline/godoc.j2",
    "rust": "offline/rustdoc.j2",
}
#: Go's compiler directives and cgo's export line: a doc comment goes above them, as gofmt keeps it.
_GO_DIRECTIVES = ("//go:", "//export ", "//line ")


def _inherited_docs(analysis: FileAnalysis) -> set[int]:
    """The methods (by ``id``) whose documentation is inherited, so a comment of ours would hide it:
    Rust's trait impls (``impl fmt::Display for X``: their methods carry no ``pub``) and Java's
    ``@Override`` methods."""
    if analysis.language == "java":
        return {id(m) for m in analysis.all_functions if "Override" in m.decorators}
    if analysis.language != "rust":
        return set()
    return {
        id(m)
        for cls in analysis.classes
        if cls.kind != "trait"
        for m in cls.methods
        if not (m.declaration or "").startswith("pub")
    }


def _aligned_one_liner(lines: list[str], function: FunctionInfo) -> bool:
    """A Go function on one line beside another: gofmt aligns such runs, and a comment between them
    would make it realign the rest."""
    if function.start_line != function.end_line:
        return False
    line = function.start_line  # 1-based: lines[line - 2] is the one above, lines[line] the one below
    neighbours = lines[max(line - 2, 0) : line - 1] + lines[line : line + 1]
    return any(neighbour.lstrip().startswith("func ") for neighbour in neighbours)


#: Parameters that are the receiver, not an argument (Rust's ``self``, written ``&self`` or ``&mut self``).
_RECEIVERS = frozenset({"self", "&self", "&mut self", "mut self"})


def _parts(module: str) -> list[str]:
    return module.replace("/", ".").split(".")


def _depth(module: str) -> int:
    """How deep a module sits in the tree: ``rich`` 1, ``rich.text`` 2, ``lib/router/index`` 3."""
    return len(_parts(module))


@dataclass(frozen=True)
class _Component:
    name: str
    analysis: FileAnalysis


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Pairs of modules that import each other (the cycles a reader trips over first)."""
    return [[a, b] for a in sorted(graph) for b in sorted(graph[a]) if a < b and a in graph.get(b, set())]
