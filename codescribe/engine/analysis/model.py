"""What analysis finds in source code: plain frozen values, the same for every language.

Every analyser (``ast`` for Python, tree-sitter for JavaScript, TypeScript, Go, Java and
Rust, a regex fallback for anything that does not parse) returns a :class:`FileAnalysis`.
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
    "complexity_level",
]

ComplexityLevel = Literal["low", "medium", "high", "very high"]
ParameterKind = Literal["positional", "positional_only", "keyword_only", "var_positional", "var_keyword"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a function or method."""

    name: str
    annotation: str | None = None
    default: str | None = None
    kind: ParameterKind = "positional"


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """A function or method, with what documentation needs to say about it."""

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

    @property
    def signature(self) -> str:
        """The signature as the language would write it (Python-style for every language)."""
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
    """A class (or struct, interface, trait, impl block) and its methods."""

    name: str
    bases: tuple[str, ...] = ()
    methods: tuple[FunctionInfo, ...] = ()
    start_line: int = 0
    end_line: int = 0
    docstring: str | None = None
    is_public: bool = True
    decorators: tuple[str, ...] = ()
    kind: str = "class"


@dataclass(frozen=True, slots=True)
class ImportInfo:
    """One import statement: the module, and the names taken from it."""

    module: str
    names: tuple[str, ...] = ()
    line: int = 0
    #: Python's relative-import level (``from .. import x`` is 2); 0 for absolute imports.
    level: int = 0


@dataclass(frozen=True, slots=True)
class LineCounts:
    total: int = 0
    code: int = 0
    comment: int = 0
    blank: int = 0


def complexity_level(max_complexity: int) -> ComplexityLevel:
    """The original service's bands, applied to the most complex function of a file."""
    if max_complexity <= 5:
        return "low"
    if max_complexity <= 10:
        return "medium"
    if max_complexity <= 20:
        return "high"
    return "very high"


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    """Everything analysis found in one source file."""

    path: str
    language: str
    functions: tuple[FunctionInfo, ...] = ()
    classes: tuple[ClassInfo, ...] = ()
    imports: tuple[ImportInfo, ...] = ()
    #: Names a user of the module can reach (``__all__``, ``export``, ``pub``, capitalised Go names ...).
    exports: tuple[str, ...] = ()
    module_docstring: str | None = None
    lines: LineCounts = field(default_factory=LineCounts)
    #: Warnings for people: "did not parse, used the regex fallback", "truncated", ...
    warnings: tuple[str, ...] = ()
    used_fallback: bool = False

    @property
    def all_functions(self) -> tuple[FunctionInfo, ...]:
        """Top-level functions and every class's methods."""
        return self.functions + tuple(method for cls in self.classes for method in cls.methods)

    @property
    def max_complexity(self) -> int:
        """The highest cyclomatic complexity of the file's functions and methods (0 without any)."""
        return max((function.complexity for function in self.all_functions), default=1)

    @property
    def total_complexity(self) -> int:
        """The sum of the cyclomatic complexities of the file's functions and methods."""
        return sum(function.complexity for function in self.all_functions)

    @property
    def complexity_level(self) -> ComplexityLevel:
        """``low``, ``medium``, ``high`` or ``very high``, from :attr:`max_complexity`."""
        return complexity_level(self.max_complexity)

    @property
    def identifiers(self) -> frozenset[str]:
        """Every name defined here: functions, methods, classes, parameters, exports."""
        names = {function.name for function in self.all_functions}
        names |= {cls.name for cls in self.classes}
        names |= {parameter.name for function in self.all_functions for parameter in function.parameters}
        names |= set(self.exports)
        names |= {f"{cls.name}.{method.name}" for cls in self.classes for method in cls.methods}
        return frozenset(names)

    @property
    def health_score(self) -> int:
        """0-100: how well-documented and simple the input code already is (before CodeScribe).

        Documentation coverage of public functions and classes counts 60, low complexity 25,
        the presence of a module docstring 15. The improvement reported for a document is its
        quality score minus this.
        """
        docstrings = [f.docstring for f in self.all_functions if f.is_public]
        docstrings += [c.docstring for c in self.classes if c.is_public]
        coverage = sum(1 for text in docstrings if text) / len(docstrings) if docstrings else 1.0
        simplicity = {"low": 1.0, "medium": 0.7, "high": 0.4, "very high": 0.1}[self.complexity_level]
        return round(60 * coverage + 25 * simplicity + (15 if self.module_docstring else 0))
