r"""The faults that stop Mermaid from drawing a flowchart, found without running Mermaid.

Mermaid's flowchart syntax (https://mermaid.js.org/syntax/flowchart.html) breaks on a few things
a writer easily gets wrong, and the page then shows an error instead of the diagram:

- the node id ``end`` (in lower case: it closes a ``subgraph``);
- characters that open or close a shape (``( ) [ ] { }``) inside a label that is not quoted
  (``A[parse(text)]``; ``A["parse(text)"]`` is fine);
- brackets and quotes that do not pair up.

Other diagram types (``sequenceDiagram``, ``classDiagram`` ...) are only checked for a known
header. The live tests hold these rules against Mermaid's own parser, run in Chromium.
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
_KEYWORDS = frozenset({"subgraph", "end", "direction", "classDef", "class", "style", "linkStyle", "click", "%%"})
_QUOTED = re.compile(r'"[^"]*"')
#: A node's square (``A[text]``) or curly (``A{text}``) shape, its label not quoted.
_PLAIN_LABEL = re.compile(r"(?<=[\w])(\[|\{)(?![\[({/\\])([^\[\]{}\"]*(?:\([^\[\]{}\"]*\))?[^\[\]{}\"]*)(?:\]|\})")


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
        line 2: `end` is reserved in Mermaid (it closes a subgraph); name the node something else
        line 3: the label `caller()` holds `(` or `)`; put it in quotes: `["caller()"]`
    """
    lines = code.splitlines()
    body = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    body = [(number, line) for number, line in body if not line.startswith("%%")]
    if not body:
        return ["the diagram is empty"]
    header_number, header = body[0]
    kind = header.split()[0].rstrip(":;") if header.split() else ""
    if kind == "---":  # front matter
        return []
    if kind not in DIAGRAM_TYPES:
        return [f"line {header_number}: `{kind}` is not a Mermaid diagram type (flowchart, sequenceDiagram ...)"]
    if kind not in ("flowchart", "graph"):
        return []
    faults: list[str] = []
    for number, line in body[1:]:
        faults += _line_faults(number, line)
    return faults


def _line_faults(number: int, line: str) -> list[str]:
    faults: list[str] = []
    first = line.split(maxsplit=1)[0]
    if first in _KEYWORDS and first != "end":
        return []  # subgraph titles, styles and classes have syntaxes of their own
    if line == "end":
        return []
    if line.count('"') % 2:
        return [f'line {number}: a quote `"` is not closed']
    bare = _QUOTED.sub('""', line)
    if re.search(r"(?:^|[\s;&>|])end(?=\s*(?:$|;|&|-|=|\[|\(|\{))", bare) or re.search(
        r"(?:-{2,}>?|={2,}>?|\|)\s*end\s*$", bare
    ):
        faults.append(
            f"line {number}: `end` is reserved in Mermaid (it closes a subgraph); name the node something else"
        )
    label_fault = _label_fault(bare)
    if label_fault:
        faults.append(f"line {number}: {label_fault}")
    elif not _balanced(bare):
        faults.append(f"line {number}: its brackets do not pair up")
    return faults


def _label_fault(line: str) -> str | None:
    """A square or curly shape whose unquoted label holds ``(`` or ``)`` (quoted labels are removed first)."""
    for match in _PLAIN_LABEL.finditer(line):
        label = match.group(2)
        if any(char in label for char in "()"):
            opening, closing = match.group(1), "]" if match.group(1) == "[" else "}"
            return f'the label `{label}` holds `(` or `)`; put it in quotes: `{opening}"{label}"{closing}`'
    return None


def _balanced(line: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in line:
        if char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            return False
    return not stack
