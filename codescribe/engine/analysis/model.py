"""What analysis finds in source code: plain frozen values, the same for every language.

Every analyser (``ast`` for Python, tree-sitter for JavaScript, TypeScript, Go, Java and
Rust, and Python that ``ast`` cannot read) returns a :class:`FileAnalysis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ClassInfo",
    "ComplexityLevel",
    "FileAnalysis",
    "FunctionInfo",
    "ImportInfo",
    "LineCounts",
    "Parameter",
    "VariableInfo",
    "VariableKind",
    "complexity_level",
]

ComplexityLevel = Literal["low", "medium", "high", "very high"]
VariableKind = Literal["constant", "variable", "attribute", "field", "enum_member"]
ParameterKind = Literal["positional", "positional_only", "keyword_only", "var_positional", "var_keyword"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a function or method.

    Attributes:
        name: the parameter's name, without ``*`` or ``**`` (a destructuring pattern, such as
            JavaScript's ``{ a, b }``, as written).
        annotation: its type as written in the source; ``None`` when it has none.
        default: its default value as written in the source; ``None`` when it has none.
        kind: ``positional``, ``positional_only``, ``keyword_only``, ``var_positional`` (``*args``,
            a rest parameter) or ``var_keyword`` (``**kwargs``).
    """

    name: str
    annotation: str | None = None
    default: str | None = None
    kind: ParameterKind = "positional"


@dataclass(frozen=True, slots=True)
class VariableInfo:
    """A named value a user of the code can reach: a module's constant or variable, a class's
    attribute, a dataclass (attrs, ``NamedTuple``, ``TypedDict``, struct) field or an enum member.

    Attributes:
        name: the name.
        kind: ``constant`` (a module-level name in capitals, Go's ``const``, Rust's ``const`` and
            ``static``), ``variable`` (another module-level name), ``attribute`` (a class's),
            ``field`` (a record's declared field: dataclass, attrs, ``NamedTuple``, ``TypedDict``,
            Go or Rust struct) or ``enum_member``.
        annotation: its type as written; ``None`` when it has none.
        value: its value as written in the source; ``None`` when none is assigned.
        line: its line, 1-based (0 when unknown).
        docstring: its docstring (Python: the string right after the assignment) or doc comment;
            ``None`` when there is none.
        is_public: reachable by a user of the module.
        defined_in: the module of the project that defines it, when the module documented re-exports
            it (set by ``ProjectAnalysis.public_interface``); ``None`` for the module's own.
    """

    name: str
    kind: VariableKind = "variable"
    annotation: str | None = None
    value: str | None = None
    line: int = 0
    docstring: str | None = None
    is_public: bool = True
    defined_in: str | None = None


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """A function or method, with what documentation needs to say about it.

    Attributes:
        name: the function's own name.
        qualname: ``Class.method`` for a method (``Outer.Inner.method`` for Java's nested classes),
            the name for a function (Rust's ``module::name`` for one in an inline module).
        parameters: the parameters in order, without the receiver (``self``, ``cls``, Rust's ``self``).
        returns: the return type as written; ``None`` when none is declared.
        is_async: declared ``async``.
        decorators: decorators, annotations or attributes as written, without ``@``.
        start_line: the first line, 1-based (0 when unknown).
        end_line: the last line, 1-based (0 when unknown).
        docstring: the docstring or doc comment, cleaned; ``None`` when there is none.
        complexity: cyclomatic complexity (McCabe): 1 plus one per branch of the function's own body.
        is_public: reachable by a user of the module (Python: no leading underscore; dunders are public).
        is_method: defined in a class, struct, interface, trait or impl block.
        returns_value: the body returns (or yields) a value: the docs then need a Returns section.
        raises: exception names raised in the body (by their last name): the docs then need a
            Raises section.
        declaration: the signature as the file's own language writes it (``func (s *Store) Get(key
            string) string``, ``fn total(&self) -> i64``), from the source; ``None`` for Python, whose
            signature is written from the parameters.
        is_property: a property (Python's ``@property``, ``@cached_property`` and the like; a getter and
            its setter are one property, the setter's decorator added to :attr:`decorators`).
        overloads: the ``@overload`` signatures that precede the implementation, in their order.
        is_generator: a generator (``function*``, ``def`` with ``yield``): the docs then say what it yields.
    """

    name: str
    qualname: str
    parameters: tuple[Parameter, ...] = ()
    returns: str | None = None
    is_async: bool = False
    decorators: tuple[str, ...] = ()
    start_line: int = 0
    end_line: int = 0
    docstring: str | None = None
    complexity: int = 1
    is_public: bool = True
    is_method: bool = False
    #: Whether the body returns (or yields) a value: the docs then need a Returns section.
    returns_value: bool = False
    #: Exception names raised in the body: the docs then need a Raises section.
    raises: tuple[str, ...] = ()
    #: The signature in the file's own language, as the source writes it (not for Python).
    declaration: str | None = None
    is_property: bool = False
    overloads: tuple[str, ...] = ()
    is_generator: bool = False

    @property
    def signature(self) -> str:
        """The signature as the function's language writes it.

        Returns:
            :attr:`declaration` when the analyser recorded one (every language but Python); else, in
            Python's notation, ``name(parameters) -> returns``: annotations after ``:``, defaults after
            ``=``, ``*`` / ``**`` before variadic parameters, a bare ``*`` before the first keyword-only one (when no
            ``*args`` precedes it), ``/`` after the positional-only ones, and ``async`` in front of an
            async function. The arrow is left out when no return type is declared.

        Examples:
            >>> parameters = (Parameter("a", "int"), Parameter("b", "int", "0"), Parameter("key", kind="keyword_only"))
            >>> FunctionInfo("add", "add", parameters, returns="int").signature
            'add(a: int, b: int = 0, *, key) -> int'
            >>> parameters = (Parameter("i", kind="positional_only"), Parameter("d", default="None"))
            >>> FunctionInfo("get", "Box.get", parameters, is_async=True).signature
            'async get(i, /, d=None)'
        """
        if self.declaration:
            return self.declaration
        parts: list[str] = []
        kinds = [parameter.kind for parameter in self.parameters]
        for index, parameter in enumerate(self.parameters):
            if parameter.kind == "keyword_only" and "var_positional" not in kinds[:index] and "*" not in parts:
                parts.append("*")
            text = {"var_positional": "*", "var_keyword": "**"}.get(parameter.kind, "") + parameter.name
            if parameter.annotation:
                text += f": {parameter.annotation}"
            if parameter.default is not None:
                text += f" = {parameter.default}" if parameter.annotation else f"={parameter.default}"
            parts.append(text)
            if parameter.kind == "positional_only" and kinds[index + 1 : index + 2] != ["positional_only"]:
                parts.append("/")
        prefix = "async " if self.is_async else ""
        arrow = f" -> {self.returns}" if self.returns else ""
        return f"{prefix}{self.name}({', '.join(parts)}){arrow}"


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A class (or struct, interface, trait, impl block) and its methods.

    Attributes:
        name: the class's name (``Outer.Inner`` for Java's nested types).
        bases: base classes, implemented interfaces, embedded structs or supertraits, as written.
        methods: its methods, in source order (for Go and Rust, those of its ``func`` receivers or
            ``impl`` blocks too).
        start_line: the first line, 1-based (0 when unknown).
        end_line: the last line, 1-based (0 when unknown).
        docstring: the docstring or doc comment, cleaned; ``None`` when there is none.
        is_public: reachable by a user of the module.
        decorators: decorators, annotations or attributes as written, without ``@``.
        kind: ``class``, ``interface``, ``struct``, ``enum``, ``record``, ``trait``, ``union``,
            ``annotation``, ``impl`` (methods of a type declared elsewhere), ``type`` (a Go named type)
            or ``alias`` (a Go alias, ``type B = A``, with the aliased type as its one base).
        attributes: its attributes, fields and enum members, in source order.
    """

    name: str
    bases: tuple[str, ...] = ()
    methods: tuple[FunctionInfo, ...] = ()
    start_line: int = 0
    end_line: int = 0
    docstring: str | None = None
    is_public: bool = True
    decorators: tuple[str, ...] = ()
    kind: str = "class"
    attributes: tuple[VariableInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportInfo:
    """One import statement: the module, and the names taken from it.

    Attributes:
        module: the module as written (``os.path``, ``./util``, ``std::io``; ``""`` for Python's
            ``from . import x``).
        names: the names taken from it (``("*",)`` for a wildcard); empty for a plain ``import m``.
        line: the statement's line, 1-based (0 when unknown).
        level: Python's relative-import level (``from .. import x`` is 2); 0 for absolute imports.
        runtime: whether importing the module runs it: not for Python's imports under
            ``if TYPE_CHECKING:`` (type checkers only) or ``if __name__ == "__main__":`` (a script's).
        namespace: JavaScript: the names bind the whole module (``import * as P``, ``export * as P from``),
            not members of it.
        aliases: ``(bound name, imported name)`` for each name taken under another name (``from x import
            a as b``, ``import { a as b }``, ``export { a as b } from``: ``("b", "a")``).
    """

    module: str
    names: tuple[str, ...] = ()
    line: int = 0
    #: Python's relative-import level (``from .. import x`` is 2); 0 for absolute imports.
    level: int = 0
    #: False under ``if TYPE_CHECKING:`` or ``if __name__ == "__main__":``: not an import at run time.
    runtime: bool = True
    namespace: bool = False
    aliases: tuple[tuple[str, str], ...] = ()

    def imported_as(self, name: str) -> str | None:
        """The name the module defines for what this import binds to ``name``, if it binds it.

        Args:
            name: a name the importing module uses (or re-exports).

        Returns:
            The imported module's name for it (``a`` for ``b`` in ``import { a as b }``); ``name``
            itself under a wildcard; ``None`` when this import does not bind ``name``.

        Examples:
            >>> ImportInfo("./x", ("a", "c"), aliases=(("b", "a"),)).imported_as("b")
            'a'
            >>> ImportInfo("./x", ("a", "c"), aliases=(("b", "a"),)).imported_as("a") is None
            True
        """
        renamed = dict(self.aliases)
        if name in renamed:
            return renamed[name]
        if (name in self.names and name not in renamed.values()) or "*" in self.names:
            return name
        return None

    @property
    def bound_names(self) -> tuple[str, ...]:
        """The names the import binds in the importing module (``b`` for ``import { a as b }``, ``X`` for
        ``import X from``, which takes the module's ``default`` under the name ``X``).

        Returns:
            The bound names, renamed ones first; ``*`` for a wildcard.

        Examples:
            >>> ImportInfo("./x", ("default", "c"), aliases=(("X", "default"),)).bound_names
            ('X', 'c')
        """
        renamed = dict(self.aliases)
        taken = set(renamed.values())
        return (*renamed, *(name for name in self.names if name not in taken))


@dataclass(frozen=True, slots=True)
class LineCounts:
    """How the lines of a file divide up.

    Attributes:
        total: every line.
        code: lines with code on them (a docstring's lines count as code).
        comment: lines that hold only a comment.
        blank: empty or whitespace-only lines.
    """

    total: int = 0
    code: int = 0
    comment: int = 0
    blank: int = 0


def complexity_level(max_complexity: int) -> ComplexityLevel:
    """The complexity band of a cyclomatic complexity (McCabe's measure), as the original service named them.

    Applied to the most complex function of a file. The cut-offs (5, 10, 20) are those of radon's
    ranks A, B and C (https://radon.readthedocs.io); ``very high`` covers its ranks D to F.

    Args:
        max_complexity: a cyclomatic complexity (1 for straight-line code).

    Returns:
        ``low`` up to 5, ``medium`` up to 10, ``high`` up to 20, ``very high`` above.

    Examples:
        >>> [complexity_level(value) for value in (1, 5, 6, 11, 21)]
        ['low', 'low', 'medium', 'high', 'very high']
    """
    if max_complexity <= 5:
        return "low"
    if max_complexity <= 10:
        return "medium"
    if max_complexity <= 20:
        return "high"
    return "very high"


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    """Everything analysis found in one source file.

    Attributes:
        path: the file's path as given to analysis (relative to a project's root in a project).
        language: ``python``, ``javascript``, ``typescript``, ``tsx``, ``go``, ``java`` or ``rust``.
        functions: top-level functions (with Rust's inline modules' functions).
        variables: module-level constants and variables.
        classes: classes and their methods (Python: top-level classes only).
        imports: import statements, in source order.
        exports: names a user of the module can reach (``__all__``, ``export``, ``pub``, capitalised
            Go names ...).
        module_docstring: the module's docstring or leading comment; ``None`` when there is none.
        lines: line counts.
        warnings: notes for people: "Python cannot parse it; read around the error", "only the first part", ...
        used_fallback: not read whole by the language's own parser (read around a syntax error, cut to its
            first part, or only its lines counted), so the results may be incomplete.
        variables: module-level constants and variables.
        default_export: JavaScript: the local name of what the module's default export is (``escapeHtml``
            for ``module.exports = escapeHtml`` or ``export default escapeHtml``; ``default`` for an
            anonymous function or class, or any other value); ``None`` when there is none.
        package: Go: the package the file declares (``package uuid``), the name its users call it by;
            ``None`` in other languages.
        declares_all: Python: the module lists its public names in ``__all__``, so :attr:`exports` is
            that list and a star import adds nothing to it.
        export_aliases: JavaScript: ``(exported name, local name)`` for each name exported under another
            name, defined here (``export { stringType as string }``) or imported (``exports.request = req``).
    """

    path: str
    language: str
    functions: tuple[FunctionInfo, ...] = ()
    classes: tuple[ClassInfo, ...] = ()
    imports: tuple[ImportInfo, ...] = ()
    #: Names a user of the module can reach (``__all__``, ``export``, ``pub``, capitalised Go names ...).
    exports: tuple[str, ...] = ()
    module_docstring: str | None = None
    lines: LineCounts = field(default_factory=LineCounts)
    #: Warnings for people: "Python cannot parse it; read around the error", "only the first part", ...
    warnings: tuple[str, ...] = ()
    used_fallback: bool = False
    variables: tuple[VariableInfo, ...] = ()
    default_export: str | None = None
    declares_all: bool = False
    package: str | None = None
    export_aliases: tuple[tuple[str, str], ...] = ()

    @property
    def all_functions(self) -> tuple[FunctionInfo, ...]:
        r"""Top-level functions and every class's methods.

        Returns:
            :attr:`functions` first, then each class's methods, class by class.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b if a else b\n\n"
            >>> code += "class Box:\n    def get(self):\n        return 1\n"
            >>> analysis = analyze_source(code, "calc.py")
            >>> [function.qualname for function in analysis.all_functions]
            ['add', 'Box.get']
        """
        return self.functions + tuple(method for cls in self.classes for method in cls.methods)

    @property
    def max_complexity(self) -> int:
        r"""The highest cyclomatic complexity of the file's functions and methods.

        Returns:
            The largest :attr:`FunctionInfo.complexity`; 1 when the file has no function.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b if a else b\n\n"
            >>> code += "class Box:\n    def get(self):\n        return 1\n"
            >>> analysis = analyze_source(code, "calc.py")
            >>> analysis.max_complexity
            2
        """
        return max((function.complexity for function in self.all_functions), default=1)

    @property
    def complexity_level(self) -> ComplexityLevel:
        r"""The file's complexity band, from its most complex function (see :func:`complexity_level`).

        Returns:
            ``low``, ``medium``, ``high`` or ``very high``.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b if a else b\n\n"
            >>> code += "class Box:\n    def get(self):\n        return 1\n"
            >>> analysis = analyze_source(code, "calc.py")
            >>> analysis.complexity_level
            'low'
        """
        return complexity_level(self.max_complexity)

    @property
    def identifiers(self) -> frozenset[str]:
        r"""Every name defined here: functions, methods, classes, parameters, exports, variables, attributes.

        Returns:
            The names, methods and attributes both by their own name and as ``Class.name``.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b if a else b\n\n"
            >>> code += "class Box:\n    def get(self):\n        return 1\n"
            >>> analysis = analyze_source(code, "calc.py")
            >>> sorted(analysis.identifiers)
            ['Box', 'Box.get', 'a', 'add', 'b', 'get']
        """
        names = {function.name for function in self.all_functions}
        names |= {cls.name for cls in self.classes}
        # a nested class by its own name too (Java's ``Evaluator.IsEmpty`` is ``IsEmpty`` where it is imported)
        names |= {cls.name.rpartition(".")[2] for cls in self.classes}
        names |= {parameter.name for function in self.all_functions for parameter in function.parameters}
        names |= set(self.exports)
        names |= {f"{cls.name}.{method.name}" for cls in self.classes for method in cls.methods}
        names |= {f"{cls.name.rpartition('.')[2]}.{method.name}" for cls in self.classes for method in cls.methods}
        names |= {variable.name for variable in self.variables}
        names |= {attribute.name for cls in self.classes for attribute in cls.attributes}
        names |= {f"{cls.name}.{attribute.name}" for cls in self.classes for attribute in cls.attributes}
        return frozenset(names)

    @property
    def health_score(self) -> int:
        r"""How well-documented and simple the input code already is, before CodeScribe: points out of 100.

        Documentation coverage of public functions, methods and classes counts 60, simplicity 25
        (all of it for a ``low`` :attr:`complexity_level`, 70% for ``medium``, 40% for ``high``, 10%
        for ``very high``), the presence of a module docstring 15. The improvement reported for a
        document is its quality score minus this.

        Returns:
            The score, rounded to a whole number from 0 to 100.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b if a else b\n\n"
            >>> code += "class Box:\n    def get(self):\n        return 1\n"
            >>> analysis = analyze_source(code, "calc.py")
            >>> analysis.health_score  # nothing documented: 0 + 25 + 0
            25
        """
        docstrings = [f.docstring for f in self.all_functions if f.is_public]
        docstrings += [c.docstring for c in self.classes if c.is_public]
        coverage = sum(1 for text in docstrings if text) / len(docstrings) if docstrings else 1.0
        simplicity = {"low": 1.0, "medium": 0.7, "high": 0.4, "very high": 0.1}[self.complexity_level]
        return round(60 * coverage + 25 * simplicity + (15 if self.module_docstring else 0))
