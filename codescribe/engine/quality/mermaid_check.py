r"""The faults that stop Mermaid from drawing a flowchart, found without running Mermaid.

Mermaid's flowchart syntax (https://mermaid.js.org/syntax/flowchart.html) breaks on a few things
a writer easily gets wrong, and the page then shows an error instead of the diagram:

- a node or subgraph id its grammar reserves (``end``, which closes a ``subgraph``; ``call``,
  ``href``, ``interpolate``, ``graph``, ``_blank`` ...);
- characters that open or close a shape (``( ) [ ] { }``), ``|`` or ``@`` inside a label or link
  text that is not quoted (``A[parse(text)]``; ``A["parse(text)"]`` is fine);
- brackets, pipes and quotes that do not pair up, an arrow followed by an arrow, and a direction
  other than ``TB``, ``TD``, ``BT``, ``RL`` or ``LR`` (upper case).

Ids may hold ``/`` (Go's import paths), Mermaid 11's ``id@{ shape: ... }`` and edge ids
(``a e1@--> b``) are read, and so is link text written inside the arrow (``a -- end --> b``). A
diagram's front matter (``---`` ... ``---``) is skipped. Of the other diagram types, a
``sequenceDiagram``'s messages need their ``: text`` and one of its arrows, its notes their text and
its blocks their ``end``; a ``classDiagram``'s relations are its arrows (``<|--``, ``*--``, ``..>``
...) and its names hold no ``::`` unquoted; a state's transition is ``-->``; an entity relation has
its crow's-foot ends and a label; a pie slice's value is a number; the rest are checked for a known
header and blocks (a line ending in ``{`` to a line ``}``) that pair up. The live tests hold these
rules against Mermaid's own parser, run in Chromium, on the diagrams CodeScribe draws and on the
faults the trials found.
"""

from __future__ import annotations

import re

__all__ = ["DIAGRAM_TYPES", "mermaid_faults"]

#: The diagram types Mermaid 11 knows (the first word of a diagram).
DIAGRAM_TYPES = frozenset(
    {
        "flowchart",
        "graph",
        "sequenceDiagram",
        "classDiagram",
        "classDiagram-v2",
        "stateDiagram",
        "stateDiagram-v2",
        "erDiagram",
        "journey",
        "gantt",
        "pie",
        "quadrantChart",
        "requirementDiagram",
        "gitGraph",
        "C4Context",
        "C4Container",
        "C4Component",
        "C4Dynamic",
        "C4Deployment",
        "mindmap",
        "timeline",
        "zenuml",
        "sankey-beta",
        "xychart-beta",
        "block-beta",
        "packet-beta",
        "kanban",
        "architecture-beta",
        "radar-beta",
    }
)
#: Words Mermaid's flowchart grammar reserves: a node named so is read as the statement it starts.
_RESERVED = frozenset(
    {
        "end",
        "subgraph",
        "class",
        "classDef",
        "style",
        "linkStyle",
        "click",
        "call",
        "href",
        "interpolate",
        "graph",
        "flowchart",
        "_blank",
        "_self",
        "_parent",
        "_top",
    }
)
#: The directions a flowchart's header may give (https://mermaid.js.org/syntax/flowchart.html#direction).
_DIRECTIONS = frozenset({"TB", "TD", "BT", "RL", "LR", "<", ">", "^", "v"})
#: What a label or link text may not hold unquoted: shape brackets, and ``|`` and ``@`` (checked with Mermaid 11).
_UNQUOTABLE = "()[]{}|@"
#: Link text written inside the arrow: ``a -- text --> b``, ``a -. text .-> b``, ``a == text ==> b``.
_TEXT_ARROW = re.compile(r"(?<![-=.])(--|==|-\.)\s+([^-=>|]+?)\s+(-{2,}>?|={2,}>?|\.-+>?)")
#: A relation between classes as Mermaid writes it: an end, a line (``--`` solid, ``..`` dotted), an end.
_CLASS_RELATION = re.compile(r"(?:<\||\*|o|<|\(\))?(?:--|\.\.)(?:\|>|\*|o|>|\(\))?")
#: A token between spaces that is made of arrow characters (it may start or end with an ``o`` end).
_RELATION_TOKEN = re.compile(r"(?<=\s)(o?[<>|*().=-][<>|*().o=-]*)(?=\s)")
#: An entity relation: two entities, ends and a line (``||--o{``, ``}|..||``), and its label after ``:``.
_ER_RELATION = re.compile(
    r'^[\w-]+\s*(?:\|o|\|\||\}o|\}\|)(?:--|\.\.)(?:o\||\|\||o\{|\|\{)\s*[\w-]+\s*:\s*(?:\S.*|"")$'
)
_ER_LINK = re.compile(r"(?:--|\.\.)")
_SINGLE_ARROW = re.compile(r"(?<![-=])->(?!>)")
_PIE_SLICE = re.compile(r'^\s*"[^"]*"\s*:\s*(\S+)\s*$')
_NUMBER = re.compile(r"\+?(?:\d+\.?\d*|\.\d+)")  # a slice is never negative
_BARE_NOTE = re.compile(r"^[Nn]ote\s+(?:left of|right of|over)\s+[^:]+$")
#: An arrow in a sequence message, and those Mermaid has (https://mermaid.js.org/syntax/sequenceDiagram.html).
_SEQUENCE_ARROW = re.compile(r"<*[-=]+[>x)]*>*")
_SEQUENCE_ARROWS = re.compile(r"-{1,2}(?:>>|>|x|\))|<<-{1,2}>>")
#: A sequence diagram's message: ``A->>B: text`` (the colon and text are required).
_MESSAGE = re.compile(r"^[^:]*?(?:-{1,2}(?:>>|>|x|\)|\(\)?)[+-]?)\s*[^:\s][^:]*$")
#: Statements that have syntaxes of their own (a subgraph's title, a style), not nodes and links.
_STATEMENTS = frozenset({"subgraph", "classDef", "class", "style", "linkStyle", "click", "direction"})
_QUOTED = re.compile(r'"[^"]*"')
#: A node shape's opening and its closing, longest first (https://mermaid.js.org/syntax/flowchart.html).
_SHAPES = (
    ("(((", ")))"),
    ("((", "))"),
    ("([", "])"),
    ("[[", "]]"),
    ("[(", ")]"),
    ("[/", ("/]", "\\]")),
    ("[\\", ("\\]", "/]")),
    ("{{", "}}"),
    ("(", ")"),
    ("[", "]"),
    ("{", "}"),
    (">", "]"),
)
_ARROW = re.compile(r"(?:<|x|o)?(?:-{2,}|={2,}|-\.+-|~{3,})(?:>|x|o)?|-\.+->")
_EDGE_TEXT = re.compile(r"\|([^|]*)\|")
_ID = re.compile(r"[\w$./-]*\w|\w")
_CLASS_NAME = re.compile(r"[\w:-]+")
_SEQUENCE_BLOCKS = ("loop", "alt", "opt", "par", "critical", "break", "rect", "box")


def mermaid_faults(code: str) -> list[str]:
    r"""What would stop Mermaid from drawing this diagram, one sentence per fault found.

    Args:
        code: the text of a ``mermaid`` block.

    Returns:
        The faults, each naming the line (1-based, within the block); empty when none is found.

    Examples:
        >>> mermaid_faults('flowchart LR\n  a["parse()"] --> b[done]')
        []
        >>> for fault in mermaid_faults("flowchart LR\n  add --> end\n  start[caller()] --> add"):
        ...     print(fault)
        line 2: `end` is reserved in Mermaid; name the node something else
        line 3: the label `caller()` holds `(` or `)`; put it in quotes: `["caller()"]`
    """
    stripped = [(number, line.strip()) for number, line in enumerate(code.splitlines(), 1)]
    body = [(number, line) for number, line in stripped if line and not line.startswith("%%")]
    if body and body[0][1] == "---":  # front matter (YAML) first: the diagram starts after its closing ---
        closing = next((i for i, (_, line) in enumerate(body[1:], 1) if line == "---"), None)
        if closing is None:
            return [f"line {body[0][0]}: the front matter `---` is not closed"]
        body = body[closing + 1 :]
    if not body:
        return ["the diagram is empty"]
    header_number, header = body[0]
    words = header.split()
    kind = words[0].rstrip(":;") if words else ""
    if kind not in DIAGRAM_TYPES:
        return [f"line {header_number}: `{kind}` is not a Mermaid diagram type (flowchart, sequenceDiagram ...)"]
    family = kind.removesuffix("-v2")  # ``classDiagram-v2`` is read as ``classDiagram``
    if family == "sequenceDiagram":
        return _sequence_faults(body[1:])
    if family == "classDiagram":
        return _class_faults(body[1:])
    if family in ("stateDiagram", "pie", "erDiagram"):
        return _relation_faults(body[1:], family) + _brace_faults(body[1:])
    if family not in ("flowchart", "graph"):
        return _brace_faults(body[1:])
    faults = []
    direction = words[1].rstrip(";") if len(words) > 1 else None
    if direction is not None and direction not in _DIRECTIONS:
        faults.append(f"line {header_number}: `{direction}` is no direction; use TB, TD, BT, RL or LR (upper case)")
    return faults + _flowchart_faults(body[1:])


def _flowchart_faults(body: list[tuple[int, str]]) -> list[str]:
    """The faults of a flowchart's lines after its header: subgraphs paired with ``end``, nodes and links."""
    faults: list[str] = []
    depth = 0
    for number, line in body:
        first = line.split(maxsplit=1)[0].rstrip(";")
        if first == "subgraph" and not _ARROW.match(line[len(first) :].strip()):
            depth += 1
            faults += _subgraph_faults(number, line[len(first) :].strip())
            continue
        if first == "end" and line.rstrip(";") == "end":
            if depth == 0:
                faults.append(f"line {number}: `end` closes no subgraph")
            depth = max(0, depth - 1)
            continue
        faults += _line_faults(number, line)
    if depth:
        faults.append(f"line {body[-1][0]}: a subgraph is not closed with `end`")
    return faults


def _sequence_faults(body: list[tuple[int, str]]) -> list[str]:
    """A sequence diagram's messages without their ``: text``, and blocks not closed."""
    messages = [
        f"line {number}: the message `{line}` has no `: text`; Mermaid needs one (`A->>B: asks`)"
        for number, line in body
        if _MESSAGE.match(line)
    ]
    messages += [
        f"line {number}: a note needs its text: `Note over A: text`" for number, line in body if _BARE_NOTE.match(line)
    ]
    for number, line in body:
        arrow = _SEQUENCE_ARROW.search(line.split(":", 1)[0]) if ":" in line else None
        if arrow and not _SEQUENCE_ARROWS.fullmatch(arrow.group()):
            messages.append(f"line {number}: `{arrow.group()}` is no message arrow (`->>`, `-->>`, `->`, `-x`, `-)`)")
    return messages[:1] + _block_faults(body, _SEQUENCE_BLOCKS, "a block (loop, alt, opt ...)")


def _class_faults(body: list[tuple[int, str]]) -> list[str]:
    """A class diagram's names with ``::`` outside backticks or quotes (Rust's or C++'s paths), and braces."""
    unquoted = [(number, _QUOTED.sub('""', re.sub(r"`[^`]*`", "``", line))) for number, line in body]
    paths = [
        f"line {number}: `::` in a class name; put the name in backticks" for number, line in unquoted if "::" in line
    ]
    return paths[:1] + _relation_faults(body, "classDiagram") + _brace_faults(body)


def _subgraph_faults(number: int, rest: str) -> list[str]:
    """The faults of a ``subgraph`` line's id and title (``subgraph core [Core routing]``)."""
    bare = _QUOTED.sub('""', rest)
    ident = _ID.match(bare)
    if ident is not None and ident.group() in _RESERVED:
        return [f"line {number}: `{ident.group()}` is reserved in Mermaid; name the subgraph something else"]
    title = bare[ident.end() :].strip() if ident is not None else bare
    if title.startswith("[") and title.endswith("]") and any(char in title[1:-1] for char in _UNQUOTABLE):
        return [f'line {number}: the title `{title[1:-1]}` holds `(` or `)`; put it in quotes: `["{title[1:-1]}"]`']
    return []


def _line_faults(number: int, line: str) -> list[str]:
    """The faults of one flowchart line of nodes and links."""
    first = line.split(maxsplit=1)[0]
    rest = line[len(first) :].strip()
    if first in _STATEMENTS and not _ARROW.match(rest) and not rest.startswith(("&", ":::")):
        return []  # a statement with a syntax of its own
    if line.count('"') % 2:
        return [f'line {number}: a quote `"` is not closed']
    bare = _TEXT_ARROW.sub(" --> ", _QUOTED.sub('""', line))
    faults: list[str] = []
    if bare.count("|") % 2:
        return [f"line {number}: a link text's `|` is not closed (`-->|text| b`)"]
    for label in _EDGE_TEXT.findall(bare):
        if any(char in label for char in _UNQUOTABLE) or ('""' in label and label.strip() != '""'):
            faults.append(f'line {number}: the link text `{label}` holds a bracket; put it in quotes: `|"{label}"|`')
    bare = _EDGE_TEXT.sub("||", bare)
    nodes, fault = _nodes(bare)
    if fault is not None:
        return [*faults, f"line {number}: {fault}"]
    # Mermaid reads ``click`` first on a line as a node (its click statement needs a callback), nowhere else
    reserved = next((n for i, n in enumerate(nodes) if n in _RESERVED and (i or n != "click")), None)
    if reserved is not None:
        faults.append(f"line {number}: `{reserved}` is reserved in Mermaid; name the node something else")
    if _ARROW.fullmatch(bare.split()[-1]):  # bare keeps a mark of every part of the line: it is never blank
        faults.append(f"line {number}: a link leads nowhere (the line ends with an arrow)")
    return faults


def _nodes(line: str) -> tuple[list[str], str | None]:
    """The node ids a line of nodes and links names, or the fault that stops reading it."""
    nodes: list[str] = []
    index = 0
    after_arrow = False
    while index < len(line):
        char = line[index]
        if char.isspace() or char in "&;|":
            index += 1
            continue
        arrow = _ARROW.match(line, index)
        if arrow and arrow.end() > index:
            if after_arrow:
                return nodes, f"`{line[index : index + 20]}`: an arrow follows an arrow with no node between"
            index, after_arrow = arrow.end(), True
            continue
        after_arrow = False
        if line.startswith(":::", index):  # a class: ``a:::warm`` (its name may hold ``:``)
            match = _CLASS_NAME.match(line, index + 3)
            index = match.end() if match else index + 3
            continue
        match = _ID.match(line, index)
        if match is None:
            return nodes, f"`{line[index : index + 20]}` is no node or link"
        nodes.append(match.group())
        index = match.end()
        if line.startswith("@", index):  # Mermaid 11: ``a@{ shape: rect }``, or the edge id of ``a e1@--> b``
            index, fault = _after_at(line, index, nodes)
            if fault is not None:
                return nodes, fault
            continue
        shape = next(((opening, closing) for opening, closing in _SHAPES if line.startswith(opening, index)), None)
        if shape is None:
            continue
        opening, closing_text = shape
        closings = (closing_text,) if isinstance(closing_text, str) else closing_text
        start = index + len(opening)
        ends = [(found, closing) for closing in closings if (found := line.find(closing, start)) >= 0]
        if not ends:
            return nodes, f"the shape `{opening}` of `{match.group()}` is not closed"
        end, closing = min(ends)
        label = line[start:end]
        if any(char in label for char in _UNQUOTABLE):
            return nodes, f'the label `{label}` holds `(` or `)`; put it in quotes: `{opening}"{label}"{closing}`'
        if '"' in label and label.strip() != '""':
            return nodes, f'the label `{label}` holds a quote inside; quote the whole label: `{opening}"..."{closing}`'
        index = end + len(closing)
    return nodes, None


def _after_at(line: str, index: int, nodes: list[str]) -> tuple[int, str | None]:
    """Past the ``@`` after an id: a shape's ``@{ ... }`` (the id is a node), or an edge id before an arrow (not
    a node: it is taken off ``nodes``); the fault when it is neither."""
    if line.startswith("@{", index):
        closing = line.find("}", index)
        return (closing + 1, None) if closing >= 0 else (index, f"the `@{{` of `{nodes[-1]}` is not closed")
    if _ARROW.match(line, index + 1):
        nodes.pop()
        return index + 1, None
    return index, f"`{nodes[-1]}@`: an `@` after an id opens a shape (`@{{ shape: rect }}`) or names a link"


def _block_faults(body: list[tuple[int, str]], openers: tuple[str, ...], what: str) -> list[str]:
    depth = 0
    for number, line in body:
        first = line.split(maxsplit=1)[0]
        if first in openers:
            depth += 1
        elif first == "end":
            if depth == 0:
                return [f"line {number}: `end` closes no {what}"]
            depth -= 1
    return [f"line {body[-1][0]}: {what} is not closed with `end`"] if depth else []


def _brace_faults(body: list[tuple[int, str]]) -> list[str]:
    """Blocks opened by a line ending in ``{`` and closed by a line ``}`` (a class's, an entity's, a state's),
    paired; a brace inside a line (an ER diagram's crow's foot ``}|..o{``, ``class A { +x }``) opens nothing."""
    depth = 0
    for number, line in body:
        text = _QUOTED.sub('""', line).strip()
        if text.endswith("{") and not text.startswith("}"):
            depth += 1
        elif text == "}":
            depth -= 1
            if depth < 0:
                return [f"line {number}: a `}}` closes no block"]
    return [f"line {body[-1][0]}: a `{{` block is not closed"] if depth else []


def _relation_faults(body: list[tuple[int, str]], kind: str) -> list[str]:
    """Links a diagram type has no arrow for: a class relation is ``[<|*o<(]`` ``--`` or ``..`` ``[|>*o>)]``
    (``<->`` is none); a state's transition is ``-->`` (not ``->``); a pie slice's value is a number."""
    depth = 0
    for number, line in body:
        text = _QUOTED.sub('""', line).strip()
        depth += text.endswith("{") - (text == "}")
        if depth > 0:  # a class's members, a state's inside: their own syntax
            continue
        if kind == "classDiagram":
            for token in _RELATION_TOKEN.findall(f" {text} "):
                if not _CLASS_RELATION.fullmatch(token):
                    return [f"line {number}: `{token}` is no class relation (`<|--`, `*--`, `o--`, `-->`, `..>`, `--`)"]
        elif kind == "stateDiagram" and _SINGLE_ARROW.search(text.split(":", 1)[0]):
            return [f"line {number}: a state's transition is `-->`, not `->`"]
        elif kind == "pie" and (slice_ := _PIE_SLICE.match(line)) and not _NUMBER.fullmatch(slice_.group(1)):
            return [f"line {number}: the slice's value `{slice_.group(1)}` is no number"]
        elif kind == "erDiagram" and _ER_LINK.search(text) and not _ER_RELATION.match(text):
            return [f"line {number}: an entity relation is `A ||--o{{ B : label` (ends `|o`, `||`, `}}o`, `}}|`)"]
    return []
