"""A diagram Mermaid cannot draw earns no diagram points: ../shared/cases/broken-mermaid-scores-full.

The rules are held against Mermaid's own parser in tests/live/test_mermaid_parser.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.engine.analysis import analyze_source
from codescribe.engine.quality import score_document
from codescribe.engine.quality.mermaid_check import mermaid_faults

# the input of ../shared/cases/broken-mermaid-scores-full (the same file as rewrite-drops-code/lazy)
INVENTORY = (Path(__file__).parent / "fixtures" / "rewrites" / "lazy_inventory.py").read_text()
PAGE = """# Architecture of inventory

## Overview

The inventory module keeps stock counts in a dictionary and offers add_item, remove_item and total.

## Components

- `add_item` adds units; `remove_item` removes units and raises ValueError; `total` sums the stock.

## Data flow

Callers pass a stock mapping to add_item and remove_item, then read total.

## Diagram

```mermaid
flowchart LR
{edges}
```

## Design decisions

Plain dictionaries keep the module dependency-free.
"""
BROKEN = "    start[caller()] --> add[add_item(stock, name, count)]\n    add --> end\n    end --> total[total(stock)]"
VALID = (
    '    start["caller()"] --> add["add_item(stock, name, count)"]\n    add --> done["end"]\n'
    '    done --> total["total(stock)"]'
)

#: Flowcharts Mermaid 11 refuses, and one of each fault kind; each is checked in Chromium too.
BROKEN_DIAGRAMS = [
    "flowchart LR\n  a --> end",
    "flowchart TD\n  end --> b",
    "flowchart LR\n  a[parse(text)] --> b",
    "flowchart LR\n  a{is it (x)?} --> b",
    'flowchart LR\n  a["open] --> b',
    "flowchart LR\n  a[open --> b",
    "graph LR\n  a --> b]",
    "flowchrt LR\n  a --> b",
    # Trial of issue 12: Mermaid 11's parser refuses these, which the rules used to pass.
    "flowchart LR\n  a --> click",
    "flowchart LR\n  style --> core",
    "flowchart LR\n  class --> core",
    "flowchart LR\n  a(parse(text)) --> b",
    "flowchart LR\n  a --> b[x]]",
    'flowchart LR\n  a["x"] --> subgraph',
    "flowchart LR\n  a --> b{{x(y)}}",
    "flowchart LR\n  a>x(y)] --> b",
    "flowchart LR\n  a --> b\n  end",
    "flowchart LR\n  subgraph one\n  a --> b\n  end\n  end",
    "flowchart LR\n  a[[x(y)]] --> b",
    "flowchart LR\n  a([x(y)]) --> b",
    'flowchart LR\n  a["x"] --> b[y"z"]',
    "flowchart LR\n  a -->|call (x)| b",
    "flowchart LR\n  a --> b((x(y)))",
    "sequenceDiagram\n  A->>B: hi\n  end",
    "classDiagram\n  class A {\n  +int x\n  ",
    "flowchart LR\n  a --> b --> ",
    "flowchart LR\n  a --> b & c --> end",
    "flowchart LR\n    start(caller()) --> add(add_item(stock))\n    add --> total",
    "flowchart LR\n    start -->|add_item(stock)| add\n    add --> total",
    "flowchart LR\n    start --> add\n    add --> class",
    "flowchart LR\n    start --> add\n    add --> total\n    end",
    "flowchart LR\n    start --> add -->",
    # helper-24's trial (issue 12): Mermaid 11 refuses these too (reserved ids, `|` and `@` unquoted, link texts
    # not closed or holding quotes, front matter hiding a fault, a lower-case direction, Rust paths in a class
    # diagram, a message without its text), and variants of each kind.
    "flowchart LR\n    call --> mux",
    "flowchart LR\n    href --> mux",
    "flowchart LR\n    interpolate --> mux",
    "flowchart LR\n    subgraph end\n        mux --> tree\n    end",
    "flowchart LR\n    subgraph core [Core (routing)]\n        mux --> tree\n    end",
    "flowchart LR\n    mux[Mux|Router] --> tree",
    "flowchart LR\n    mux[@chi/mux] --> tree",
    'flowchart LR\n    mux -->|calls "find"| tree',
    "flowchart LR\n    mux -->|calls tree",
    "flowchart LR\n    mux --> --> tree",
    "---\ntitle: chi\n---\nflowchart LR\n    mux --> end",
    "flowchart lr\n    mux --> tree",
    "classDiagram\n    chi::Mux --> chi::node",
    "sequenceDiagram\n    Client->>Mux",
    "flowchart LR\n    mux --> style",
    "flowchart LR\n    a --> linkStyle",
    "flowchart LR\n    a --> classDef",
    "flowchart LR\n    graph --> a",
    "flowchart LR\n    a --> flowchart",
    "flowchart LR\n    a --> _blank",
    "flowchart LR\n    _self --> a",
    "flowchart LR\n    mux[chi@mux] --> tree",
    "flowchart td\n    a --> b",
    "graph lr\n    a --> b",
    "flowchart LR\n    a --> --> b",
    "flowchart LR\n    a[x@y] --> b",
    "flowchart LR\n    a[x|y] --> b",
    "flowchart LR\n    a[/y] --> b",
    "flowchart LR\n    a[\\y] --> b",
    "flowchart LR\n    a -->|x(y| b",
    "flowchart LR\n    a -->|x)y| b",
    "flowchart LR\n    a -->|x[y| b",
    "flowchart LR\n    a -->|x]y| b",
    "flowchart LR\n    a -->|x{y| b",
    "flowchart LR\n    a -->|x}y| b",
    "flowchart LR\n    a -->|x@y| b",
    'flowchart LR\n    a -->|x"y| b',
    "flowchart LR\n    a(x@y) --> b",
    "flowchart LR\n    a(x|y) --> b",
]
VALID_DIAGRAMS = [
    "flowchart LR\n  a --> b",
    'flowchart LR\n  a["parse(text)"] --> b["end"]',
    "flowchart LR\n  subgraph core\n    a --> b\n  end\n  b --> c",
    "graph TD\n  a((circle)) --> b([stadium]) --> c[[sub]] --> d[(db)] --> e{{hex}}",
    "flowchart LR\n  a -->|uses| b\n  b -.-> c\n  c ==> d\n  d --- o1",
    "flowchart LR\n  %% a comment\n  a:::warm --> b\n  classDef warm fill:#f96\n  style b fill:#bbf",
    "sequenceDiagram\n  Alice->>Bob: Hello (there)",
    # ... and accepts these.
    "flowchart LR\n  click --> core",
    "flowchart LR\n  a[one; two] --> b",
    "flowchart LR\n  a --> default",
    "flowchart LR\n  a --> |x| b\n  a --x c",
    "flowchart LR\n  a --> b:::foo:bar",
    "flowchart LR\n  a.b --> c.d",
    "flowchart LR\n  a-b --> c",
    "flowchart LR\n  a --> b[<script>]",
    "graph TD\n  A --> B\n  B --> C{x}",
    "flowchart LR\n  a --> b\n  click a call foo()",
    "flowchart LR\n  a[#quot;x#quot;] --> b",
    "flowchart LR\n  a[x] -- y --> b[z]\n  a --> end_x",
    "flowchart LR\n  direction --> b",
    # ... and accepts these, which the rules refused: ids with `/` (Go's import paths), `@{ shape }`, edge ids,
    # link text inside the arrow (`-- end -->`), quoted `|` and `@`.
    "flowchart LR\n    github.com/go-chi/chi/v5 --> github.com/go-chi/chi/v5/middleware",
    "flowchart LR\n    mux@{ shape: rounded } --> tree",
    "flowchart LR\n    mux -- end --> tree",
    "flowchart LR\n    click --> mux",
    "flowchart LR\n    default --> mux",
    "flowchart LR\n    a --> direction",
    "flowchart LR\n    callback --> a",
    "flowchart LR\n    endpoint --> a",
    "flowchart LR\n    hrefs --> a",
    "flowchart LR\n    End --> a",
    'flowchart LR\n    mux["Mux|Router"] --> tree',
    'flowchart LR\n    mux["@chi/mux"] --> tree',
    'flowchart LR\n    subgraph core ["Core (routing)"]\n        mux --> tree\n    end',
    "flowchart LR\n    subgraph core [Core routing]\n        mux --> tree\n    end",
    "flowchart LR\n    subgraph Core routing\n        mux --> tree\n    end",
    'flowchart LR\n    mux -->|"calls find"| tree',
    "flowchart LR\n    mux -->|calls| tree",
    "flowchart TB\n    a --> b",
    "flowchart\n    a --> b",
    "---\ntitle: chi\n---\nflowchart LR\n    mux --> tree",
    "classDiagram\n    Animal <|-- Duck",
    "classDiagram\n    class chi_Mux",
    "sequenceDiagram\n    Client->>Mux: request",
    "flowchart LR\n    github.com/go-chi/chi-v5 --> a",
    "flowchart LR\n    internal/common --> mem",
    'flowchart LR\n    a@{ shape: rect, label: "A" } --> b',
    "flowchart LR\n    a -. end .-> b",
    "flowchart LR\n    a e1@--> b",
    "flowchart LR\n    a[x<y] --> b",
    "flowchart LR\n    a[x;y] --> b",
    "flowchart LR\n    a[x#y] --> b",
    "flowchart LR\n    a -->|x;y| b",
]


def diagram_points(edges: str) -> float:
    report = score_document(PAGE.replace("{edges}", edges), analyze_source(INVENTORY, "inventory.py"), "architecture")
    return next(c.points for c in report.breakdown if c.name == "Diagrams")


def test_the_broken_diagram_gets_no_diagram_points_and_the_valid_one_all() -> None:
    assert diagram_points(BROKEN) == 0
    assert diagram_points(VALID) == 15


def test_the_suggestion_names_the_fault() -> None:
    report = score_document(PAGE.replace("{edges}", BROKEN), analyze_source(INVENTORY, "inventory.py"), "architecture")
    diagram = next(c for c in report.breakdown if c.name == "Diagrams")

    assert "`end` is reserved" in diagram.suggestion
    assert 'put it in quotes: `["caller()"]`' in diagram.suggestion


@pytest.mark.parametrize("diagram", BROKEN_DIAGRAMS)
def test_each_kind_of_fault_is_found(diagram: str) -> None:
    assert mermaid_faults(diagram)


@pytest.mark.parametrize("diagram", VALID_DIAGRAMS)
def test_valid_diagrams_have_no_faults(diagram: str) -> None:
    assert mermaid_faults(diagram) == []
