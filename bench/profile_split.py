"""Where a profiled run's time goes, by layer: ``bench/eval_throughput.py``'s profile split.

Every function's own time is assigned to a layer by the file it is defined in; the functions of
other modules (the standard library, builtins, other packages) belong to their callers, in
proportion to the time each caller's calls took.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
from typing import Any

__all__ = ["ENTRY_POINTS", "LAYERS", "attribute", "entry_points", "layer_of", "profile_listing"]

#: The layers of the profile split, in report order; "other" takes what no layer claims.
LAYERS: dict[str, str] = {
    "evals": "runner and store (`codescribe/evals`)",
    "quality": "scoring (`codescribe/docs/quality`)",
    "analysis": "analysis (`codescribe/docs/analysis`)",
    "prompts": "prompt rendering (`codescribe/docs/prompts`, `jinja2`, templates)",
    "llm": "provider layer (`codescribe/llm`)",
    "sdk": "SDK call (`openai`, `httpx2`, `aiohttp`, `pydantic`, ...)",
    "loop": "event loop (`asyncio`, `selectors`: scheduling, socket I/O, waiting)",
    "other": "other (`codescribe/docs/generator`, the rest)",
}
SDK_PACKAGES = (
    "openai",
    "httpx2",
    "httpcore2",
    "h11",
    "anyio",
    "sniffio",
    "pydantic",
    "pydantic_core",
    "aiohttp",
    "multidict",
    "yarl",
    "propcache",
    "frozenlist",
    "aiohappyeyeballs",
    "aiosignal",
)
LOOP_MODULES = ("asyncio", "selectors.py")

#: Entry points whose cumulative time per sample the report lists: (label, file suffix, function).
ENTRY_POINTS: tuple[tuple[str, str, str], ...] = (
    ("the file read (`Path.read_text`, runner)", "pathlib.py", "read_text"),
    ("analysis (`analyze_source`)", "codescribe/docs/analysis/__init__.py", "analyze_source"),
    ("prompt rendering (`PromptSet.messages`)", "codescribe/docs/prompts.py", "messages"),
    (
        "provider call (`LLMProvider.agenerate_with_streaming`, resumptions)",
        "codescribe/llm/providers/base.py",
        "agenerate_with_streaming",
    ),
    ("scoring (`score_document`)", "codescribe/docs/quality/__init__.py", "score_document"),
    ("the record (`_measures`)", "codescribe/evals/execute.py", "_measures"),
    ("storing (`ResultStore.append`)", "codescribe/evals/store.py", "append"),
    ("of which `os.fsync`", "~", "<built-in method posix.fsync>"),
)

#: pstats' key of a function: (file, line, name); builtins have the file "~".
Key = tuple[str, int, str]


def layer_of(filename: str) -> str | None:
    """The layer a function's own time belongs to, or None when its callers decide."""
    path = filename.replace(os.sep, "/")
    for folder, layer in (("codescribe/evals/", "evals"), ("codescribe/docs/quality/", "quality"),
                          ("codescribe/docs/analysis/", "analysis"), ("codescribe/llm/", "llm")):  # fmt: skip
        if folder in path:
            return layer
    if path.endswith(("codescribe/docs/prompts.py", ".j2")) or "/jinja2/" in path:
        return "prompts"
    if "/codescribe/" in path:
        return "other"
    parts = path.split("/")
    if "site-packages" in parts:
        package = parts[parts.index("site-packages") + 1] if parts[-1] != "site-packages" else ""
        return "sdk" if package in SDK_PACKAGES else None
    if parts[-1] in LOOP_MODULES or "asyncio" in parts[:-1]:
        return "loop"
    return None


def attribute(stats: pstats.Stats) -> dict[str, float]:
    """Profiled seconds per layer: own time by file, the unclaimed functions' time shared among callers."""
    table: dict[Key, tuple[int, int, float, float, dict[Key, tuple[int, int, float, float]]]]
    table = stats.stats  # type: ignore[attr-defined]
    shares: dict[Key, dict[str, float]] = {}

    def distribution(key: Key, visiting: frozenset[Key]) -> dict[str, float]:
        """Which layers ``key``'s calls come from, as fractions adding up to 1."""
        layer = layer_of(key[0])
        if layer is not None:
            return {layer: 1.0}
        if key in shares:
            return shares[key]
        callers = table[key][4] if key in table else {}
        mixed: dict[str, float] = {}
        total = 0.0
        for caller, (_, _, _, cumulative) in callers.items():
            if caller in visiting or cumulative <= 0:
                continue  # recursion: the outer call already counts
            for name, part in distribution(caller, visiting | {key}).items():
                mixed[name] = mixed.get(name, 0.0) + part * cumulative
            total += cumulative
        result = {name: value / total for name, value in mixed.items()} if total else {"other": 1.0}
        if not visiting:
            shares[key] = result
        return result

    split = dict.fromkeys(LAYERS, 0.0)
    for key, (_, _, own, _, callers) in table.items():
        layer = layer_of(key[0])
        if layer is not None:
            split[layer] += own
            continue
        if not callers:
            split["other"] += own
            continue
        for caller, (_, _, own_from_caller, _) in callers.items():
            for name, part in distribution(caller, frozenset({key})).items():
                split[name] += own_from_caller * part
    return split


def entry_points(stats: pstats.Stats) -> list[tuple[str, float, int]]:
    """Cumulative profiled seconds and calls of each of :data:`ENTRY_POINTS`."""
    table: dict[Key, tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    found = []
    for label, suffix, name in ENTRY_POINTS:
        seconds, calls = 0.0, 0
        for (filename, _, function), (_, primitive, _, cumulative, callers) in table.items():
            if function != name or not filename.replace(os.sep, "/").endswith(suffix):
                continue
            if suffix == "pathlib.py":  # only the runner's read of the corpus file
                mine = [c for c in callers if c[0].replace(os.sep, "/").endswith("codescribe/evals/execute.py")]
                seconds += sum(callers[c][3] for c in mine)
                calls += sum(callers[c][1] for c in mine)
            else:
                seconds += cumulative
                calls += primitive
        found.append((label, seconds, calls))
    return found


def profile_listing(profiler: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    for order in ("tottime", "cumulative"):
        out.write(f"\n=== zero-latency run, by {order} ===\n")
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
    return out.getvalue()
