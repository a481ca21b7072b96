"""A regex reading of any source file, for when no parser can: approximate, but it never fails.

It runs when a file does not parse, its grammar is not installed, or it is too large. It
finds function-like and class-like declarations line by line, attaches methods to the
class whose indented block holds them, and counts lines; everything it returns is marked
``used_fallback`` and carries a warning saying the results are approximate.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from codescribe.engine.analysis.languages import clean_comments, type_name, unique
from codescribe.engine.analysis.model import (
    ClassInfo,
    FileAnalysis,
    FunctionInfo,
    ImportInfo,
    LineCounts,
    Parameter,
    ParameterKind,
)

__all__ = ["analyze_with_regex"]

#: Characters of a line the patterns see: keeps matching fast on minified or generated files.
_MAX_LINE = 1_000


def _pattern(*parts: str) -> re.Pattern[str]:
    """A compiled pattern from parts, where ``NAME`` stands for an identifier."""
    return re.compile("".join(parts).replace("NAME", r"[A-Za-z_$][\w$]*"))


_FUNCTIONS = (
    # Python, Ruby: def name(params) -> returns
    _pattern(
        r"(?P<mods>(?:async\s+)?)def\s+(?P<name>NAME[?!]?)\s*",
        r"(?:\((?P<params>[^)]*)\)?)?(?:\s*->\s*(?P<returns>[^:]+))?",
    ),
    # JavaScript, PHP: function name(params)
    _pattern(
        r"(?P<mods>(?:(?:export|default|async|public|private|protected|static)\s+)*)",
        r"function\s*\*?\s*(?P<name>NAME)\s*\((?P<params>[^)]*)",
    ),
    # Go, Swift, Kotlin: func (receiver) Name(params) result
    _pattern(
        r"(?P<mods>(?:(?:public|private|internal|open|override|static|suspend|inline)\s+)*)",
        r"(?:func|fun)\s+(?:\((?P<receiver>[^)]*)\)\s*)?(?P<name>NAME)\s*(?:\[[^\]]*\]|<[^>(]*>)?",
        r"\s*\((?P<params>[^)]*)\)?\s*(?P<returns>[^{]*)",
    ),
    # Rust: pub async fn name<T>(params) -> returns
    _pattern(
        r"(?P<mods>(?:pub(?:\([^)]*\))?\s+|async\s+|const\s+|unsafe\s+|extern\s+\"[^\"]*\"\s+)*)",
        r"fn\s+(?P<name>NAME)\s*(?:<[^(]*>)?\s*\((?P<params>[^)]*)\)?(?:\s*->\s*(?P<returns>[^{;]+))?",
    ),
    # JavaScript: const name = async (params) => / const name = function (params) {
    _pattern(
        r"(?P<mods>(?:export\s+)?)(?:const|let|var)\s+(?P<name>NAME)\s*(?::[^=]+)?=\s*(?P<async>async\s+)?",
        r"(?:function\b[^(]*)?\((?P<params>[^)]*)\)\s*(?::[^=]+)?(?:=>|\{)",
    ),
)
#: Declarations without a keyword, which a statement can look like: their words are checked against _STATEMENT_WORDS.
_UNMARKED_FUNCTIONS = (
    # Java, C#, C++: modifiers Type name(params) throws X {
    _pattern(
        r"(?P<mods>(?:(?:public|protected|private|static|final|abstract|synchronized|native|override|virtual|async|",
        r"internal|sealed|default)\s+)*)(?P<returns>[\w.$<>\[\],?]+)\s+(?P<name>NAME)\s*\((?P<params>[^)]*)",
        r"(?:\)\s*(?:throws\s+(?P<throws>[^{;]*))?)?",
    ),
    # JavaScript and TypeScript class members: async name(params) { / name(params): T {
    _pattern(
        r"(?P<mods>(?:(?:static|async|get|set|public|private|protected|readonly|override)\s+)*)\*?(?P<name>#?NAME)",
        r"\s*\((?P<params>[^)]*)\)\s*(?::\s*(?P<returns>[^{]+))?\{",
    ),
)
#: Words that, read as a return type, are really modifiers: "public Foo(" is a constructor.
_MODIFIER_WORDS = frozenset(
    ("public", "protected", "private", "static", "async", "get", "set", "override", "abstract", "final", "default")
)
_CLASS = re.compile(
    r"(?P<mods>(?:(?:export|default|public|private|protected|internal|abstract|final|sealed|static|data|open|partial|"
    r"pub(?:\([^)]*\))?)\s+)*)(?P<kind>class|struct|interface|trait|enum|record|object|protocol)\s+(?P<name>\w+)(?P<rest>.*)"
)
_GO_TYPE = re.compile(r"type\s+(?P<name>\w+)(?:\[[^\]]*\])?\s+(?P<kind>struct|interface)\b(?P<rest>.*)")
_RUST_IMPL = re.compile(r"impl\b(?:\s*<[^>]*>)?\s+(?:(?P<rest>[\w:]+(?:<[^>]*>)?)\s+for\s+)?(?P<name>\w+)")
#: Words a Java-style "Type name(" match must not start with: they begin statements, not declarations.
_STATEMENT_WORDS = frozenset(
    (
        "return",
        "new",
        "throw",
        "raise",
        "else",
        "if",
        "elif",
        "for",
        "while",
        "switch",
        "case",
        "catch",
        "await",
        "yield",
        "assert",
        "not",
        "del",
        "print",
        "echo",
        "go",
        "defer",
        "delete",
        "typeof",
        "sizeof",
        "in",
        "is",
        "and",
        "or",
        "lambda",
        "import",
        "package",
        "using",
        "goto",
    )
)
_BRANCH = re.compile(r"\b(?:if|elif|for|foreach|while|case|catch|except|when)\b|&&|\|\|")
_RETURN_VALUE = re.compile(r"\breturn\s+[^\s;})]|\byield\b")
_RAISE = re.compile(r"\b(?:throw|raise)\s+(?:new\s+)?([A-Za-z_][\w.]*)")
_NO_VALUE = frozenset({"", "void", "None", "()", "Unit", "!", "never"})
#: Tool directives (//go:generate, //nolint:all) sit among doc comments but are not documentation.
_DIRECTIVE = re.compile(r"//[a-z0-9]+:\S")
_PREPROCESSOR = re.compile(r"#\s*(?:include|define|if|ifdef|ifndef|endif|else|elif|pragma|import|undef|error)\b|#!?\[")

_IMPORTS = (
    (re.compile(r"from\s+(?P<dots>\.*)(?P<module>[\w.]*)\s+import\s+(?P<names>.+)"), "python-from"),
    (re.compile(r"import\s+(?P<names>.+?)\s+from\s+['\"](?P<module>[^'\"]+)['\"]"), "js"),
    (re.compile(r"import\s+['\"](?P<module>[^'\"]+)['\"]"), "plain"),
    (re.compile(r"import\s+(?:static\s+)?(?P<module>[\w.]+(?:\.\*)?)\s*;"), "dotted"),
    (re.compile(r"import\s+(?:(?P<names>[\w.]+|_)\s+)?\"(?P<module>[^\"]+)\""), "plain"),
    (re.compile(r"import\s+(?P<module>[\w.]+(?:\s*,\s*[\w.]+)*)\s*$"), "python"),
    (re.compile(r"(?:pub\s+)?use\s+(?P<module>[\w\\]+(?:::[\w\\]+)*(?:::\{[^}]*\}|::\*)?)"), "rust"),
    (re.compile(r"#\s*include\s*[<\"](?P<module>[^>\"]+)"), "plain"),
    (re.compile(r"(?:using|require(?:_relative)?)\s+['\"]?(?P<module>[\w./:-]+)"), "plain"),
)
_REQUIRE = re.compile(r"require\(\s*['\"](?P<module>[^'\"]+)['\"]\s*\)")
_GO_IMPORT_SPEC = re.compile(r"(?:[\w.]+\s+)?\"(?P<module>[^\"]+)\"")


@dataclass(slots=True)
class _Block:
    """A class-like declaration still being read: its methods arrive while its indented block lasts."""

    name: str
    kind: str
    indent: int
    start: int
    end: int
    bases: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    docstring: str | None = None
    is_public: bool = True
    methods: list[FunctionInfo] = field(default_factory=list)

    def freeze(self) -> ClassInfo:
        return ClassInfo(
            name=self.name,
            bases=self.bases,
            methods=tuple(self.methods),
            start_line=self.start,
            end_line=self.end,
            docstring=self.docstring,
            is_public=self.is_public,
            decorators=self.decorators,
            kind=self.kind,
        )


def analyze_with_regex(source: str, path: str, language: str, reason: str) -> FileAnalysis:
    """Approximate analysis of any text; never raises, whatever the input.

    ``reason`` says why no parser was used; it goes into the warning with the word "approximate".
    """
    warning = f"{path}: {reason}; used the regex fallback, so results are approximate"
    try:
        return _Scanner(source, path, language).scan(warning)
    except Exception as error:  # the fallback is the last resort: it must answer, even on input it cannot read
        return FileAnalysis(
            path=path,
            language=language,
            warnings=(f"{warning} (and it failed too: {type(error).__name__})",),
            used_fallback=True,
        )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _split_top_level(text: str) -> list[str]:
    """Comma-separated parts, ignoring commas inside brackets: ``a: Map<K, V>, b`` has two parts."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    previous = ""
    for char in text:
        # "<" opens only a generic (Map<K, V>), not Go's "<-chan"; ">" after "-" or "=" is an arrow.
        if char in "([{" or (char == "<" and (previous.isalnum() or previous == "_")):
            depth += 1
        elif (char in ")]}" or (char == ">" and previous not in "-=")) and depth:
            depth -= 1
        elif char == "," and not depth:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
        previous = char
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _parameter(text: str, name_first: bool) -> Parameter | None:
    head, _, default = text.partition("=") if "=" in text and "=>" not in text else (text, "", "")
    head = head.strip()
    kind: ParameterKind = "positional"
    if head.startswith("**"):
        kind, head = "var_keyword", head[2:]
    elif head.startswith(("*", "...")):
        kind, head = "var_positional", head.lstrip("*.")
    if ":" in head:
        name, _, annotation = head.partition(":")
        name = (name.split() or [""])[-1]  # "private readonly client: Http" (TypeScript) names client
    else:
        tokens = head.split()
        if len(tokens) < 2:
            name, annotation = head, ""
        elif name_first:  # Go: name type
            name, annotation = tokens[0], " ".join(tokens[1:])
        else:  # Java, C: Type name
            name, annotation = tokens[-1], " ".join(tokens[:-1])
    if annotation.startswith("...") or annotation.endswith("..."):  # Go's name ...T, Java's T... name
        kind, annotation = "var_positional", annotation.strip(".")
    name = name.strip().lstrip("*&").rstrip("?")
    if not name or name in ("self", "cls", "this", "&self", "mut"):
        return None
    return Parameter(name, annotation.strip() or None, default.strip() or None, kind)


class _Scanner:
    """One pass over the lines, with classes open while their indented block lasts."""

    def __init__(self, source: str, path: str, language: str) -> None:
        self.path = path
        self.language = language
        self.lines = [line.rstrip("\r")[:_MAX_LINE].expandtabs(4) for line in source.split("\n")]
        if self.lines and not self.lines[-1].strip() and source.endswith("\n"):
            self.lines.pop()
        self.kinds = self.classify()

    def classify(self) -> list[str]:
        """Each line: "blank", "comment" (only comment) or "code"."""
        kinds: list[str] = []
        in_block = False
        for line in self.lines:
            stripped = line.strip()
            if in_block:
                kinds.append("comment" if stripped else "blank")
                in_block = "*/" not in stripped
            elif not stripped:
                kinds.append("blank")
            elif stripped.startswith("/*"):
                kinds.append("comment")
                in_block = "*/" not in stripped[2:]
            elif stripped.startswith(("//", "--", "<!--")) or (
                stripped.startswith("#") and not _PREPROCESSOR.match(stripped)
            ):
                kinds.append("comment")
            else:
                kinds.append("code")
        return kinds

    def scan(self, warning: str) -> FileAnalysis:
        warnings = [warning]
        functions: list[FunctionInfo] = []
        imports: list[ImportInfo] = []
        blocks: dict[str, _Block] = {}
        open_blocks: list[_Block] = []
        binary = "\x00" in "".join(self.lines[:200])
        if binary:
            warnings.append(f"{self.path}: the text looks binary; only lines were counted")
        in_go_imports = False
        for index, line in enumerate(self.lines):
            if binary or self.kinds[index] != "code":
                continue
            stripped, indent = line.strip(), _indent(line)
            while open_blocks and indent <= open_blocks[-1].indent:
                block = open_blocks.pop()
                block.end = index + 1 if stripped[:1] in "})]" or stripped == "end" else self.last_code(index)
            if in_go_imports or stripped == "import (":
                in_go_imports = stripped != ")"
                if (spec := _GO_IMPORT_SPEC.match(stripped)) is not None:
                    imports.append(ImportInfo(spec["module"], (), index + 1))
                continue
            if (found := self.imports(stripped, index)) is not None:
                imports += found
                continue
            if (opened := self.block(stripped, index, indent)) is not None:
                open_blocks.append(self.merge(blocks, opened))
                continue
            owner = open_blocks[-1] if open_blocks else None
            function = self.function(stripped, index, indent, owner, blocks)
            if function is not None and not function.is_method:
                functions.append(function)
        for block in open_blocks:
            block.end = self.last_code(len(self.lines))
        classes = [block.freeze() for block in blocks.values()]
        exports = unique([f.name for f in functions if f.is_public] + [c.name for c in classes if c.is_public])
        imports += [
            ImportInfo(match["module"], (), index + 1)
            for index, line in enumerate(self.lines)
            if not binary and "require(" in line
            for match in _REQUIRE.finditer(line)
        ]
        return FileAnalysis(
            path=self.path,
            language=self.language,
            functions=tuple(functions),
            classes=tuple(classes),
            imports=tuple(sorted(imports, key=lambda info: info.line)),
            exports=tuple(exports),
            module_docstring=None if binary else self.module_docstring(),
            lines=self.counts(),
            warnings=tuple(warnings),
            used_fallback=True,
        )

    @staticmethod
    def merge(blocks: dict[str, _Block], block: _Block) -> _Block:
        """Registers a class-like block; Rust ``impl X`` and Go methods join the declaration of X."""
        existing = blocks.get(block.name)
        if existing is None:
            blocks[block.name] = block
        elif block.kind == "impl":
            existing.indent, existing.end = block.indent, block.end
            existing.bases += block.bases
            return existing
        else:  # the declaration comes after methods already seen
            block.methods = existing.methods + block.methods
            blocks[block.name] = block
        return block

    def counts(self) -> LineCounts:
        blank = self.kinds.count("blank")
        comment = self.kinds.count("comment")
        return LineCounts(total=len(self.lines), code=len(self.lines) - blank - comment, comment=comment, blank=blank)

    def last_code(self, before: int) -> int:
        """1-based number of the last code line before index ``before``."""
        for index in range(before - 1, -1, -1):
            if self.kinds[index] == "code":
                return index + 1
        return before

    def block_end(self, start: int, indent: int) -> int:
        """Where a declaration's indented block ends: before the next line indented no deeper."""
        for index in range(start + 1, len(self.lines)):
            if self.kinds[index] != "code" or _indent(self.lines[index]) > indent:
                continue
            closer = self.lines[index].strip()
            return index + 1 if closer[:1] in "})]" or closer == "end" else self.last_code(index)
        return self.last_code(len(self.lines))

    def imports(self, stripped: str, index: int) -> list[ImportInfo] | None:
        for pattern, style in _IMPORTS:
            match = pattern.match(stripped)
            if match is None:
                continue
            module = match["module"].strip()
            names = match.groupdict().get("names") or ""
            if style == "python":
                return [ImportInfo(part.split()[0], (), index + 1) for part in _split_top_level(module)]
            if style == "python-from":
                parts = [part.split()[0] for part in _split_top_level(names.strip("() \\")) if part.split()]
                return [ImportInfo(module, tuple(parts), index + 1, len(match["dots"]))]
            if style == "js":
                parts = [part.split()[0] for part in _split_top_level(names.replace("{", ",").replace("}", ","))]
                return [ImportInfo(module, tuple(part for part in parts if part not in ("*", "type")), index + 1)]
            if style == "dotted":
                head, _, last = module.rpartition(".")
                return [ImportInfo(head if last == "*" else module, (last,), index + 1)]
            if style == "rust":
                return [self.rust_use(module, index)]
            return [ImportInfo(module, (), index + 1)]
        return None

    @staticmethod
    def rust_use(path: str, index: int) -> ImportInfo:
        if "::{" in path:
            module, _, names = path.partition("::{")
            parts = [part.split(" as ")[0].strip() for part in _split_top_level(names.rstrip("}"))]
            return ImportInfo(module, tuple(parts), index + 1)
        module, _, last = path.rpartition("::")
        return ImportInfo(module or last, (last,) if module else (), index + 1)

    def is_public(self, name: str, mods: str, *, method: bool = False) -> bool:
        """Each language's visibility convention, as far as one line shows it."""
        if self.language == "go":
            return name[:1].isupper()
        if self.language == "rust":
            return re.search(r"\bpub\s", mods + " ") is not None and "pub(" not in mods
        if self.language == "java":
            return "public" in mods
        if self.language in ("javascript", "typescript", "tsx") and not method:
            return "export" in mods
        return not name.startswith(("_", "#")) and not re.search(r"\b(?:private|protected)\b", mods)

    def block(self, stripped: str, index: int, indent: int) -> _Block | None:
        match = _CLASS.match(stripped) or _GO_TYPE.match(stripped)
        kind = match["kind"] if match is not None else "impl"
        if match is None and (match := _RUST_IMPL.match(stripped)) is None:
            return None
        rest = match["rest"] or ""
        bases = [
            base.strip()
            for listed in re.findall(r"\b(?:extends|implements)\s+([\w.<>]+(?:\s*,\s*[\w.<>]+)*)", rest)
            for base in listed.split(",")
        ]
        if rest.startswith("(") and kind == "class":  # Python: class Name(Base, Other):
            bases = [part.split("=")[0].strip() for part in _split_top_level(rest[1 : rest.find(")")])]
        if kind == "impl" and rest:
            bases = [rest]  # the trait of impl Trait for Type
        decorators, docstring = self.leading(index)
        name = match["name"]
        mods = match.groupdict().get("mods") or ""
        return _Block(
            name=name,
            kind=kind,
            indent=indent,
            start=index + 1,
            end=index + 1,
            bases=tuple(bases),
            decorators=decorators,
            docstring=docstring or self.python_docstring(index),
            is_public=self.is_public(name, mods) or kind == "impl",
        )

    def function(
        self, stripped: str, index: int, indent: int, owner: _Block | None, blocks: dict[str, _Block]
    ) -> FunctionInfo | None:
        if "(" not in stripped:
            return None
        match = next((m for pattern in _FUNCTIONS if (m := pattern.match(stripped)) is not None), None)
        if match is None:
            match = next((m for pattern in _UNMARKED_FUNCTIONS if (m := pattern.match(stripped)) is not None), None)
            if match is None or {match["name"], match["returns"]} & _STATEMENT_WORDS:
                return None
        groups = match.groupdict()
        name, returns = groups.get("name") or "", (groups.get("returns") or "").strip().rstrip("{:").strip()
        mods = groups.get("mods") or ""
        if returns in _MODIFIER_WORDS:
            mods, returns = f"{mods} {returns}", ""
        if not name:
            return None
        receiver = (groups.get("receiver") or "").split()
        if receiver:  # Go: func (s *Store) Get(...) belongs to Store
            owner_name = re.sub(r"\[.*", "", receiver[-1].lstrip("*"))
            owner = blocks.setdefault(owner_name, _Block(owner_name, "impl", indent, index + 1, index + 1))
        elif owner is not None and indent <= owner.indent:
            owner = None
        end = self.block_end(index, indent)
        body = [self.lines[i] for i in range(index + 1, end) if self.kinds[i] == "code"]
        raises = [type_name(name) for name in (groups.get("throws") or "").split(",") if name.strip()]
        raises += [type_name(m) for line in body for m in _RAISE.findall(line) if type_name(m)[:1].isupper()]
        decorators, docstring = self.leading(index)
        parameters = [_parameter(part, self.language == "go") for part in _split_top_level(groups.get("params") or "")]
        info = FunctionInfo(
            name=name,
            qualname=f"{owner.name}.{name}" if owner is not None else name,
            parameters=tuple(parameter for parameter in parameters if parameter is not None),
            returns=returns or None,
            is_async="async" in mods or bool(groups.get("async")),
            decorators=decorators,
            start_line=index + 1,
            end_line=end,
            docstring=docstring or self.python_docstring(index),
            complexity=1 + sum(len(_BRANCH.findall(line)) for line in body),
            is_public=self.is_public(name, mods, method=owner is not None) or bool(owner and owner.kind == "interface"),
            is_method=owner is not None,
            returns_value=returns not in _NO_VALUE
            or any(_RETURN_VALUE.search(line) for line in body)
            or ("=>" in stripped and not stripped.endswith("{")),  # an arrow function's expression body
            raises=tuple(sorted(unique(raises))),
        )
        if owner is not None:
            owner.methods.append(info)
        return info

    def leading(self, index: int) -> tuple[tuple[str, ...], str | None]:
        """Decorators (``@x``, ``#[x]``) and the comment block directly above a declaration line."""
        decorators: list[str] = []
        comments: list[str] = []
        above = index - 1
        while above >= 0 and self.kinds[above] != "blank":
            text = self.lines[above].strip()
            if self.kinds[above] == "code" and text.startswith("@"):
                decorators.insert(0, text[1:])
            elif self.kinds[above] == "code" and text.startswith("#[") and text.endswith("]"):
                decorators.insert(0, text[2:-1])
            elif self.kinds[above] == "comment":
                if not _DIRECTIVE.match(text):
                    comments.insert(0, text)
            else:
                break
            above -= 1
        return tuple(decorators), _comment_block(comments)

    def python_docstring(self, index: int) -> str | None:
        """A triple-quoted string on the first code line after ``index`` (Python's docstring)."""
        nearby = range(index + 1, min(index + 3, len(self.lines)))
        following = next((i for i in nearby if self.kinds[i] == "code"), None)
        if following is None:
            return None
        text = self.lines[following].strip()
        quote, first = text[:3], text[3:]
        if quote not in ('"""', "'''"):
            return None
        collected = [first]
        if quote not in first:
            for line in self.lines[following + 1 : following + 200]:
                collected.append(line)
                if quote in line:
                    break
        body = "\n".join(collected)
        return inspect.cleandoc(body.split(quote, 1)[0]) or None

    def module_docstring(self) -> str | None:
        start = 1 if self.lines and self.lines[0].startswith("#!") else 0
        block: list[str] = []
        for index in range(start, len(self.lines)):
            if self.kinds[index] != "comment":
                break
            block.append(self.lines[index].strip())
        if block:
            return _comment_block(block)
        return self.python_docstring(start - 1)


def _comment_block(lines: list[str]) -> str | None:
    # A /* */ block spans lines that are one comment; line comments are one comment each.
    return clean_comments(["\n".join(lines)] if lines[:1] and lines[0].startswith("/*") else lines)
