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
    # helper-25's re-trial: class, state, sequence, ER and pie diagrams Mermaid 11 refuses, and flowchart cases.
    'flowchart TD\n  A["foo] --> B',
    "flowchart TD\n  A[foo (bar)] --> B",
    "flowchart TD\n  A[foo [bar]] --> B",
    "flowchart TD\n  A{foo {bar}} --> B",
    "flowchart TD\n  subgraph one\n    A --> B\n  C --> D",
    "flowchart TD\n  A --> B\n  end",
    "flowchart TD\n  A --> B -->",
    "flowchart TD\n  subgraph --> B",
    "flowchart TD\n  style --> B",
    "flowchart TD\n  A -->|a|b| B",
    "classDiagram\n  class Foo {\n    +int x",
    "classDiagram\n  A <-> B",
    "stateDiagram-v2\n  state X {\n    A --> B",
    "stateDiagram-v2\n  A -> B",
    "erDiagram\n  A ||--o{ B",
    "erDiagram\n  A |x--o{ B : r",
    "erDiagram\n  A {\n    string x",
    "sequenceDiagram\n  loop forever\n    A->>B: hi",
    "sequenceDiagram\n  A=>B: hi",
    "sequenceDiagram\n  Note over A",
    'pie\n  "Dogs" : many',
    "flowchat TD\n  A --> B",
    "classDiagram\n  A -> B",
    "classDiagram\n  A ==> B",
    "sequenceDiagram\n  A->>B",
    'pie\n  "A" : -1',
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
    # ... and accepts (an ER diagram's crow's feet are no braces).
    "flowchart TD\n  A --> B & C\n  B & C --> D",
    "flowchart LR\n  A -->|go| B --> C",
    "flowchart LR\n  A -. maybe .-> B",
    "flowchart LR\n  A ==> B\n  B ~~~ C",
    "flowchart LR\n  A --o B\n  B --x C\n  C <--> D",
    "flowchart TD\n  A((circle)) --> B>asym]\n  B --> C{{hex}}\n  C --> D[/trap\\]\n  D --> E[(db)]",
    "flowchart TD\n  A --> B\n  classDef hot fill:#f96\n  class A hot\n"
    "  style B fill:#9f6,stroke:#333\n  B:::hot --> C",
    "flowchart TD\n  A --> B\n  linkStyle 0 stroke:#f00",
    "flowchart TD\n  %% a comment\n  A --> B",
    "flowchart TD\n  my-node --> B",
    "flowchart TD\n  pkg.mod --> B",
    "flowchart TD\n  \u00dcber --> B",
    'flowchart TD\n  A["`**bold** text`"] --> B',
    'flowchart TD\n  A["say #quot;hi#quot;"] --> B',
    'flowchart TD\n  A["foo (bar)"] --> B',
    "flowchart TD\n  subgraph one [The One]\n    A --> B\n  end\n  one --> C",
    'flowchart TD\n  subgraph "Quoted title"\n    A --> B\n  end',
    "flowchart LR\n  subgraph outer\n    direction TB\n    subgraph inner\n      A --> B\n    end\n"
    "  end\n  inner --> C",
    "flowchart TD;\n  A --> B;\n  B --> C;",
    "flowchart TD",
    "graph\n  A --> B",
    "flowchart TD\n  default --> B",
    "flowchart TD\n  endpoint --> B",
    "flowchart TD\n  A[end] --> B",
    "flowchart TD\n  A --> |text| B",
    "flowchart TD\n  A -- some text --> B",
    "flowchart TD\n  A e1@--> B",
    'flowchart TD\n  A@{ shape: cyl, label: "Store" } --> B',
    'flowchart TD\n  A --> B\n  click A callback "tip"',
    "flowchart TD\n  A[key: value] --> B",
    "flowchart TD\n  A[a; b] --> B",
    "flowchart TD\n  A[issue #12] --> B",
    "flowchart TD\n  A[a & b] --> B",
    "flowchart TD\n  A[List<int>] --> B",
    "flowchart LR\n  github.com/a/b --> github.com/a/c",
    "flowchart LR\n  1 --> 2",
    "classDiagram\n  class Box~T~\n  Box~T~ <|-- IntBox",
    'classDiagram\n  Customer "1" --> "*" Order : places',
    "classDiagram\n  class Foo {\n    +int x\n    +bar(a) bool\n  }",
    "classDiagram\n  Foo : +method()",
    "classDiagram\n  class Foo.Bar",
    "classDiagram\n  class `Foo.Bar`",
    "classDiagram\n  namespace Shapes {\n    class Square\n  }",
    "classDiagram\n  class Shape\n  <<interface>> Shape",
    'classDiagram\n  class Animal["An animal"]',
    "classDiagram\n  class my-class",
    "stateDiagram-v2\n  [*] --> S1\n  S1 --> S2 : go\n  S2 --> [*]",
    'stateDiagram-v2\n  state "Long name" as L\n  state X {\n    [*] --> Y\n  }\n  L --> X',
    "stateDiagram-v2\n  state f <<fork>>\n  [*] --> f\n  f --> A\n  f --> B\n  note right of A : a note",
    "stateDiagram-v2\n  state P {\n    A --> B\n    --\n    C --> D\n  }",
    "erDiagram\n  CUSTOMER ||--o{ ORDER : places",
    'erDiagram\n  CUSTOMER {\n    string name PK "the name"\n    int age\n  }',
    "erDiagram\n  LINE-ITEM }|..|| PRODUCT : contains",
    "sequenceDiagram\n  autonumber\n  participant A as Alice\n  A->>B: hi\n  B-->>A: ok\n"
    "  loop every s\n    A-)B: ping\n  end\n  alt good\n    A-xB: x\n  else bad\n    B->>A: y\n  end\n"
    "  Note over A,B: text",
    "sequenceDiagram\n  A->>+B: call\n  B-->>-A: back",
    "sequenceDiagram\n  par one\n    A->>B: a\n  and two\n    A->>C: b\n  end\n  critical c\n"
    "    A->>B: x\n  option o\n    B->>A: y\n  end",
    'pie title Pets\n  "Dogs" : 386\n  "Cats" : 85',
    "gantt\n  title T\n  dateFormat YYYY-MM-DD\n  section S\n  Task :a1, 2024-01-01, 30d",
    "classDiagram\n  class Box~T~\n  Box~T~ <|-- IntBox",
    'classDiagram\n  Customer "1" --> "*" Ticket : buys',
    "classDiagram\n  class Animal {\n    +int age\n    +isMammal() bool\n    -eat(food) void\n  }\n  Animal <|-- Duck",
    "classDiagram\n  Animal <|--|> Zebra",
    "classDiagram\n  Class01 --() bar",
    "classDiagram\n  Shape <|.. Circle\n  A ..> B\n  C .. D",
    "classDiagram\n  A *-- B\n  C o-- D\n  E --* F\n  G --o H",
    "classDiagram\n  class Shape\n  <<interface>> Shape",
    'classDiagram\n  note "hello"\n  note for Duck "can fly"',
    "classDiagram\n  namespace Shapes {\n    class Circle\n  }",
    "classDiagram\n  Animal : +int age\n  Animal : +isMammal()",
    "stateDiagram-v2\n  [*] --> Still\n  Still --> Moving : push\n  Moving --> [*]",
    "stateDiagram-v2\n  state First {\n    [*] --> second\n    second --> [*]\n  }",
    "stateDiagram-v2\n  state if_state <<choice>>\n  [*] --> if_state\n  if_state --> False: if n < 0",
    "stateDiagram-v2\n  State1 --> State2\n  note right of State1 : Important",
    "stateDiagram-v2\n  state fork_state <<fork>>\n  [*] --> fork_state",
    "stateDiagram-v2\n  state Active {\n    [*] --> A\n    --\n    [*] --> B\n  }",
    "stateDiagram-v2\n  A --> B : x -> y",
    "sequenceDiagram\n  participant A\n  A->>B: hi\n  B-->>A: ok\n  A-xB: lost\n  A-)B: async",
    "sequenceDiagram\n  A->>B: hi\n  Note right of A: thinks\n  Note over A,B: both",
    "sequenceDiagram\n  A->>+B: hi\n  B-->>-A: ok",
    "sequenceDiagram\n  loop Every minute\n    A->>B: ping\n  end",
    "sequenceDiagram\n  autonumber\n  A->>B: hi",
    "sequenceDiagram\n  A<<->>B: hi",
    "sequenceDiagram\n  A->>B: a => b",
    'pie title Pets\n  "Dogs" : 386\n  "Cats" : 85.5',
    'pie showData\n  "A" : 1',
    'erDiagram\n  CUSTOMER ||--|{ LINE-ITEM : "has"\n  ORDER ||..o| INVOICE : bills',
    "erDiagram\n  p[Person] {\n    string name\n  }\n  p ||--o{ a : has",
    "erDiagram\n  CUSTOMER",
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
