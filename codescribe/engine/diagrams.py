"""Import-graph diagrams a reader can follow: at most :data:`MAX_NODES` boxes each.

A project of up to :data:`MAX_NODES` modules is one diagram. A bigger one is drawn as an overview of
its packages (the deepest level of the module tree that has between 2 and :data:`MAX_NODES`
packages, each box counting its modules, each arrow the imports between two packages), then one
diagram per package, made the same way. A flat package that no level splits (rich's 78 modules
are all ``rich.*``) is drawn with its :data:`MAX_NODES` most connected modules, the others named
under the diagram. A diagram with more than twice as many arrows as boxes leaves out the arrows a
longer path implies (:func:`reduce_edges`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

__all__ = ["MAX_NODES", "Diagram", "import_diagrams", "mermaid_label", "reduce_edges"]

#: The most boxes one diagram holds; above about 30, Mermaid's layout of an import graph stops being readable.
MAX_NODES = 30


@dataclass(frozen=True, slots=True)
class Diagram:
    """One diagram: boxes and arrows, ready for a Mermaid ``flowchart``.

    Attributes:
        title: what it shows (``""`` for the whole project, else a package's name).
        nodes: ``(id, label)`` per box, labels already safe for Mermaid (:func:`mermaid_label`).
        edges: ``(from id, to id)`` per arrow: the first imports the second.
        left_out: modules of this part of the project not drawn (a flat package's least connected).
    """

    title: str
    nodes: list[tuple[str, str]] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def mermaid_label(text: str) -> str:
    r"""``text`` made safe inside a Mermaid node's ``"..."`` label: entity codes for ``"``, ``<``, ``>``, ``#``,
    ``%`` (``%%`` starts a directive or comment anywhere on a line) and control characters (a bell or a line
    break cost the whole diagram).

    Args:
        text: a module's name or a package's label.

    Returns:
        The label text, in Mermaid's ``#code;`` entities where needed.

    Examples:
        >>> mermaid_label('a"b<c>#d')
        'a#quot;b#lt;c#gt;#35;d'
        >>> mermaid_label("%%{init: x}%%\x07")
        '#37;#37;{init: x}#37;#37;#7;'
    """
    return _LABEL_UNSAFE.sub(lambda match: _LABEL_CODES.get(match.group(), f"#{ord(match.group())};"), text)


_LABEL_CODES = {'"': "#quot;", "<": "#lt;", ">": "#gt;"}
_LABEL_UNSAFE = re.compile('[#"<>%\x00-\x1f\x7f-\x9f]')


def _parts(name: str) -> list[str]:
    return name.split("/") if "/" in name else name.split(".")


def _prefix(name: str, depth: int) -> str:
    return ("/" if "/" in name else ".").join(_parts(name)[:depth])


def import_diagrams(graph: dict[str, set[str]], title: str = "") -> list[Diagram]:
    """The diagrams that draw an import graph, none with more than :data:`MAX_NODES` boxes.

    Args:
        graph: module name -> the modules it imports (as
            :meth:`~codescribe.engine.analysis.project.ProjectAnalysis.import_graph` gives it).
        title: the title of the first diagram.

    Returns:
        One diagram for a small graph; else an overview of packages followed by each package's
        diagrams, in package order.

    Examples:
        >>> graph = {f"app.m{i}": {"app.core"} for i in range(40)} | {"app.core": set(), "cli.main": {"app.m1"}}
        >>> diagrams = import_diagrams(graph)
        >>> [(d.title, len(d.nodes), len(d.left_out)) for d in diagrams]
        [('', 2, 0), ('app', 30, 11)]
        >>> diagrams[0].nodes
        [('p0', 'app (41 modules)'), ('p1', 'cli (1 module)')]
    """
    names = sorted(graph)
    if len(names) <= MAX_NODES:
        return [_plain(graph, names, title)]
    depth = _split_depth(names)
    if depth is None:  # flat: the most connected modules
        users = Counter(dependency for dependencies in graph.values() for dependency in set(dependencies))
        degree = {name: len(graph[name]) + users[name] for name in names}
        kept = sorted(sorted(names, key=lambda n: -degree[n])[:MAX_NODES])
        return [replace(_plain(graph, kept, title), left_out=[n for n in names if n not in kept])]
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_prefix(name, depth), []).append(name)
    ids = {group: f"p{index}" for index, group in enumerate(groups)}
    owner = {name: group for group, members in groups.items() for name in members}
    nodes = [(ids[g], mermaid_label(f"{g} ({len(m)} module{'s' if len(m) != 1 else ''})")) for g, m in groups.items()]
    edges = sorted(
        {(ids[owner[a]], ids[owner[b]]) for a in names for b in graph[a] if b in owner and owner[a] != owner[b]}
    )
    diagrams = [Diagram(title, nodes, edges)]
    for group, members in groups.items():
        if len(members) > 1:
            inner = {name: {dep for dep in graph[name] if dep in members} for name in members}
            diagrams += import_diagrams(inner, group)
    return diagrams


def _split_depth(names: list[str]) -> int | None:
    """The deepest level of the module tree with between 2 and :data:`MAX_NODES` packages, if any."""
    depths = range(1, max(len(_parts(name)) for name in names))
    fitting = [depth for depth in depths if 1 < len({_prefix(name, depth) for name in names}) <= MAX_NODES]
    return fitting[-1] if fitting else None


def _plain(graph: dict[str, set[str]], names: list[str], title: str) -> Diagram:
    ids = {name: f"m{index}" for index, name in enumerate(names)}
    edges = [(ids[name], ids[dep]) for name in names for dep in sorted(graph[name]) if dep in ids and dep != name]
    if len(edges) > 2 * len(names):
        edges = reduce_edges(edges)
    return Diagram(title, [(ids[name], mermaid_label(name)) for name in names], edges)


def reduce_edges(edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Leave out each arrow that a longer path already implies, keeping what reaches what.

    Arrows are dropped one at a time, each only when its head stays reachable from its tail in what
    is left, so reachability holds with cycles too (a transitive reduction; on a graph without
    cycles, the unique one). Used when a diagram has more than twice as many arrows as boxes.

    Args:
        edges: ``(from, to)`` pairs.

    Returns:
        The pairs kept, in their order.

    Examples:
        >>> reduce_edges([("a", "b"), ("b", "c"), ("a", "c")])
        [('a', 'b'), ('b', 'c')]
        >>> reduce_edges([("a", "b"), ("b", "a")])
        [('a', 'b'), ('b', 'a')]
    """
    kept = list(edges)
    for edge in list(edges):
        rest = [e for e in kept if e != edge]
        if _reaches(rest, *edge):
            kept = rest
    return kept


def _reaches(edges: list[tuple[str, str]], start: str, goal: str) -> bool:
    following: dict[str, list[str]] = {}
    for tail, head in edges:
        following.setdefault(tail, []).append(head)
    seen, pending = {start}, [start]
    while pending:
        for head in following.get(pending.pop(), ()):
            if head == goal:
                return True
            if head not in seen:
                seen.add(head)
                pending.append(head)
    return False
