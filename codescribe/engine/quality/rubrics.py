"""The rubric data: criteria and points per document type, section synonyms, thresholds.

Everything the scorer weighs lives in these tables; the code in the other modules only
measures. Points per document type add up to 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "CODE_BLOCK_TIERS",
    "COMPONENT_WEIGHTS",
    "DOC_SECTION_KINDS",
    "GRADE_BANDS",
    "INSTALL_COMMAND",
    "INVENTORY_WORDS",
    "NON_CODE_LANGUAGES",
    "PARTIAL_CREDIT",
    "PLACEHOLDER_WORDS",
    "PROSE_MENTION_CREDIT",
    "RICH_DISTINCT_WORDS",
    "RICH_LIST_ITEMS",
    "RICH_WORDS",
    "RUBRICS",
    "SECTION_SYNONYMS",
    "STOPWORDS",
    "STRUCTURE_ADVICE",
    "STRUCTURE_MIN_H2",
    "STRUCTURE_WEIGHTS",
    "USAGE_PROSE_ONLY_CREDIT",
    "CriterionSpec",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One line of a rubric: what is measured, how many points it is worth, what to do when it falls short.

    Examples:
        >>> overview = RUBRICS["readme"][0]
        >>> overview.key, overview.max_points
        ('overview', 20)
    """

    key: str
    name: str
    max_points: float
    suggestion: str


RUBRICS: Mapping[str, tuple[CriterionSpec, ...]] = MappingProxyType(
    {
        "readme": (
            CriterionSpec(
                "overview",
                "Overview",
                20,
                "Open with a paragraph (or an 'Overview' section) saying what the code does.",
            ),
            CriterionSpec(
                "installation",
                "Installation",
                15,
                "Add an 'Installation' section with the install command in a code block.",
            ),
            CriterionSpec(
                "usage", "Usage examples", 20, "Add a 'Usage' section with three or more runnable code examples."
            ),
            CriterionSpec("api_coverage", "API coverage", 25, "Mention every public function and class by name."),
            CriterionSpec(
                "structure",
                "Structure",
                20,
                "Give the README one H1 title, several H2 sections with content, and a list or table.",
            ),
        ),
        "docstrings": (
            CriterionSpec("coverage", "Docstring coverage", 30, "Give every public function and method a docstring."),
            CriterionSpec("params", "Parameters", 25, "Document every parameter in an 'Args:' section (or @param)."),
            CriterionSpec(
                "returns", "Returns", 20, "Add a 'Returns:' section (or @returns) to functions that return a value."
            ),
            CriterionSpec(
                "examples", "Examples", 15, "Add an 'Examples:' section (>>> lines or @example) to public functions."
            ),
            CriterionSpec(
                "types", "Types", 10, "State parameter and return types (annotations, 'name (type):' or @param {Type})."
            ),
        ),
        "module": (
            CriterionSpec("overview", "Overview", 20, "Open with a paragraph saying what the module is for."),
            CriterionSpec(
                "api_coverage",
                "API coverage",
                30,
                "Give every public function, class and method its own entry, and say what each constant is.",
            ),
            CriterionSpec(
                "signatures",
                "Signatures",
                20,
                "Show each function's signature, with all its parameters, in a code block.",
            ),
            CriterionSpec("examples", "Examples", 15, "Add code examples that call the module's functions."),
            CriterionSpec(
                "structure", "Structure", 15, "Use one H1 title, H2 sections with content, and lists or tables."
            ),
        ),
        "api": (
            CriterionSpec(
                "endpoints",
                "API documented",
                25,
                "Give every public function, method and class its own section, and say what each constant is.",
            ),
            CriterionSpec(
                "parameters", "Parameters", 20, "Describe every parameter of each function outside its signature."
            ),
            CriterionSpec("returns", "Returns", 20, "Add a 'Returns' entry to each function that returns a value."),
            CriterionSpec("examples", "Examples", 20, "Add a code example calling each function."),
            CriterionSpec("errors", "Errors", 15, "Add a 'Raises' entry naming the exceptions each function raises."),
        ),
        "architecture": (
            CriterionSpec("overview", "Overview", 25, "Open with an overview of the system and its purpose."),
            CriterionSpec(
                "components", "Components", 25, "Add a 'Components' section naming each module and class and its role."
            ),
            CriterionSpec(
                "data_flow", "Data flow", 20, "Add a 'Data flow' section describing how data moves between components."
            ),
            CriterionSpec(
                "diagrams", "Diagrams", 15, "Add a ```mermaid diagram with edges (A --> B) between components."
            ),
            CriterionSpec(
                "design",
                "Design decisions",
                15,
                "Add a 'Design decisions' section explaining the choices and trade-offs.",
            ),
        ),
    }
)


#: Lowest score for each grade, best first; anything below the last band is an F.
GRADE_BANDS: tuple[tuple[int, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))

#: Heading words (case-insensitive, whole words) that mark a section of each kind.
SECTION_SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "overview": (
            "overview",
            "introduction",
            "intro",
            "about",
            "description",
            "summary",
            "what is",
            "what it does",
            "purpose",
            "background",
            "motivation",
            "context",
        ),
        "installation": ("installation", "install", "installing", "getting started", "setup", "set up", "set-up"),
        "usage": (
            "usage",
            "use",
            "using",
            "examples",
            "example",
            "quick start",
            "quickstart",
            "quick-start",
            "tutorial",
            "how to use",
        ),
        "components": (
            "components",
            "component",
            "modules",
            "module",
            "structure",
            "building blocks",
            "layers",
            "layer",
            "packages",
            "classes",
            "parts",
        ),
        "data_flow": (
            "data flow",
            "dataflow",
            "flow",
            "how it works",
            "lifecycle",
            "life cycle",
            "pipeline",
            "dependencies",
            "dependency",
            "interactions",
            "sequence",
            "control flow",
            "processing",
            "request flow",
        ),
        "design": (
            "design decisions",
            "design",
            "decisions",
            "decision",
            "rationale",
            "trade-offs",
            "tradeoffs",
            "trade offs",
            "considerations",
            "principles",
            "why",
            "choices",
            "alternatives",
        ),
    }
)

#: A section is "complete" with this much prose (words, and distinct words) or a non-empty code block or a list.
RICH_WORDS = 15
RICH_DISTINCT_WORDS = 6
RICH_LIST_ITEMS = 2
#: Share of a criterion's points a present-but-thin section earns.
PARTIAL_CREDIT = 0.5
#: Words that are not content: placeholders a generator leaves behind.
PLACEHOLDER_WORDS: frozenset[str] = frozenset(
    {"todo", "tbd", "fixme", "xxx", "placeholder", "coming", "soon", "wip", "n/a", "na"}
    | {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "eiusmod", "tempor"}
)

#: Words that say nothing on their own ("See installation and usage." has no content once these and the
#: section's own keywords are set aside). Counted towards RICH_WORDS, not towards RICH_DISTINCT_WORDS.
STOPWORDS: frozenset[str] = _words(
    """
    a an the and or but nor of to in on at by for with from as into onto about is are was were be been being it its
    this that these those there here see also below above please refer read more details detail section sections
    information info via etc you your we our us will can may should
    """
)

#: Words that count a code's parts or name its language: an overview of them alone ("calc has 8 modules in
#: python.", "a Go module of 120 lines of code", "Uses: `pkg.exc`") says nothing about what the code does.
INVENTORY_WORDS: frozenset[str] = _words(
    """
    has have contains defines module modules file files package packages function functions class classes method
    methods line lines code source public private exports export builds written uses used imports
    python javascript typescript tsx go rust java
    """
)

#: README / module usage examples: (code blocks at least, share of the points), best first.
CODE_BLOCK_TIERS: tuple[tuple[int, float], ...] = ((3, 1.0), (2, 0.75), (1, 0.5))
#: A usage section with prose but no code block.
USAGE_PROSE_ONLY_CREDIT = 0.25
#: A parameter named in prose only (no Args entry / @param) earns this share.
PROSE_MENTION_CREDIT = 0.5

#: README / module structure: the parts of the points and what earns them.
STRUCTURE_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "title": 0.25,  # exactly one H1, and it comes first
        "sections": 0.25,  # STRUCTURE_MIN_H2 or more H2 sections
        "hierarchy": 0.25,  # share of headings that have content and do not skip a level
        "lists": 0.25,  # a list or a table outside code
    }
)
STRUCTURE_MIN_H2 = 3
#: What to fix when a structure part falls short.
STRUCTURE_ADVICE: Mapping[str, str] = MappingProxyType(
    {
        "title": "one H1 title, first",
        "sections": f"{STRUCTURE_MIN_H2} or more H2 sections",
        "hierarchy": "content under every heading and no skipped heading levels",
        "lists": "a list or a table",
    }
)

#: Architecture components: a components section with content, and the share of classes named.
COMPONENT_WEIGHTS: Mapping[str, float] = MappingProxyType({"section": 0.4, "named": 0.6})

#: Code-block languages that are not program code (no identifiers are read from them, they are not examples).
NON_CODE_LANGUAGES: frozenset[str] = frozenset(
    {
        "bash",
        "sh",
        "shell",
        "console",
        "zsh",
        "fish",
        "powershell",
        "ps1",
        "cmd",
        "bat",
        "text",
        "txt",
        "plain",
        "plaintext",
        "json",
        "jsonc",
        "yaml",
        "yml",
        "toml",
        "ini",
        "cfg",
        "conf",
        "mermaid",
        "diff",
        "xml",
        "html",
        "css",
        "sql",
        "csv",
        "markdown",
        "md",
        "dockerfile",
        "makefile",
        "env",
        "dotenv",
        "log",
        "output",
        "graphql",
    }
)

#: A line that is only an install / setup command (such blocks are not usage examples).
INSTALL_COMMAND = (
    r"^\s*(?:\$\s*)?(?:sudo\s+)?(?:pip3?|python3?\s+-m\s+pip|uv|poetry|pipx|conda|npm|npx|yarn|pnpm|bun|cargo|"
    r"go\s+(?:get|install)|gem|brew|apt(?:-get)?|git\s+clone|cd|make|mvn|gradle|composer)\b"
)

#: Docstring / doc-comment section headers (Google "Args:", NumPy "Parameters" + dashes, Rust "# Examples")
#: and what they document; "other" sections only end the one before them.
DOC_SECTION_KINDS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "args",
                "arguments",
                "parameters",
                "params",
                "keyword args",
                "keyword arguments",
                "other parameters",
                "inputs",
                "request",
            ),
            "params",
        ),
        **dict.fromkeys(("returns", "return", "yields", "yield", "return value", "response", "output"), "returns"),
        **dict.fromkeys(("raises", "raise", "exceptions", "throws", "errors", "panics"), "raises"),
        **dict.fromkeys(("examples", "example", "usage"), "examples"),
        **dict.fromkeys(
            (
                "note",
                "notes",
                "see also",
                "attributes",
                "warning",
                "warnings",
                "references",
                "todo",
                "methods",
                "safety",
                "warns",
                "receives",
            ),
            "other",
        ),
    }
)
