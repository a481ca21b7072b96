"""Pairwise judging: two systems' documents of one sample, shown in a random order, and the better one.

Runs after the samples, on the documents the run kept: for every sample (doc type, file, repeat)
that two systems both finished, the judge sees the source and the two documents, the order drawn
from ``judge.seed`` and the pair's id (so a resumed run shows each pair as before), and answers
``WINNER: 1``, ``2`` or ``TIE``. Verdicts go to the run's store (``<run>/run.sqlite``), each with
the release of its reservation; a resumed run judges only the pairs that have none. Judge calls
are budgeted like samples.
"""

from __future__ import annotations

import asyncio
import random
from itertools import combinations
from typing import Any, Protocol

from ..engine.prompts import PromptSet
from ..llm import LLMError
from ..llm.budget import failed_cost
from ..llm.providers.base import LLMProvider
from ..llm.tokens import max_prompt_tokens
from ..progress import progress_bar
from .execute import JUDGE, RunSetup
from .limits import SystemLimiter
from .metrics import parse_pairwise_verdict
from .store import RunStore

__all__ = ["judge_pairs"]
SourceLimit, DocumentLimit = 60_000, 30_000  # characters of each shown to the judge


class Spending(Protocol):
    """The run's budget, as the pairwise phase uses it.

    The runner passes its own budget; any object with these two methods will do (a structural
    :class:`typing.Protocol`). When the suite has a ``budget_usd``, each judge call is reserved
    first, under its pair id, and settled when its answer (or its failure) comes.

    Examples:
        >>> class Unlimited:
        ...     def reserve(self, sample_id: str, system: str, prompt_tokens: int) -> bool:
        ...         return True
        ...
        ...     def settle(self, key: str, cost: float | None, spent: bool) -> bool:
        ...         return True
        >>> spending: Spending = Unlimited()
        >>> spending.reserve("a|b|readme|add.py|0", JUDGE, 12_000)
        True
    """

    def reserve(self, sample_id: str, system: str, prompt_tokens: int) -> bool:
        """Whether the budget allows a call; if so, its worst case is held under ``sample_id``.

        Args:
            sample_id: the reservation's key (for a pairwise judge call, the pair's id).
            system: whose provider prices the call: a system's name, or :data:`JUDGE`.
            prompt_tokens: the most tokens the system and user prompts make
                (:func:`~codescribe.llm.tokens.max_prompt_tokens`).

        Returns:
            ``True`` when the call may go, ``False`` when it could cross the budget.

        Examples:
            The pairwise judge reserves each call like this::

                if spending.reserve(pair_id, JUDGE, max_prompt_tokens(system_prompt, user_prompt)):
                    answer = await judge.agenerate(user_prompt, system_prompt=system_prompt)
        """
        ...

    def settle(self, key: str, cost: float | None, spent: bool) -> bool:
        """Close the reservation under ``key`` once its call is over.

        Args:
            key: the reservation's key, as given to :meth:`reserve`.
            cost: what the call cost, in USD; ``None`` when unknown (the worst case held stays spent).
            spent: ``True`` when the call was billed (answered, or failed after using something);
                ``False`` when it failed before, which releases the reservation.

        Returns:
            whether ``key`` held a reservation.

        Examples:
            The pairwise judge settles each call like this::

                spending.settle(pair_id, answer.metadata.cost_usd, True)  # answered
                spending.settle(pair_id, None, False)  # the call failed
        """
        ...


def _pairs(setup: RunSetup, store: RunStore) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(system a, system b, a's record, b's record) for every sample both finished, a before b in the suite;
    each record carries its document."""
    documents = store.documents()
    finished: dict[tuple[str, str, int], dict[str, dict[str, Any]]] = {}
    for record in store.records():
        kept = documents.get(record["sample_id"])
        if record.get("status") == "ok" and kept is not None:
            slot = finished.setdefault((record["doc_type"], record["file"], record["repeat"]), {})
            slot[record["system"]] = {**record, "document": kept}
    systems = [spec.name for spec in setup.suite.systems]
    return [
        (a, b, found[a], found[b])
        for _, found in sorted(finished.items())
        for a, b in combinations(systems, 2)
        if a in found and b in found
    ]


async def judge_pairs(
    setup: RunSetup, judge: LLMProvider, spending: Spending, limiter: SystemLimiter | None, *, progress: bool = False
) -> int:
    """Judge every pair that has no verdict yet, each call through ``limiter`` (the judge's limits).

    A pair is two systems' kept documents of one sample (doc type, file, repeat) that both
    finished ``ok``, the first system listed earlier in the suite. Each verdict is stored in the
    run's store as it comes: ``pair_id``, ``system_a``, ``system_b``, ``doc_type``, ``file``,
    ``repeat``, ``shown_first``, ``choice`` (``"1"``, ``"2"``, ``"tie"`` or ``None``), ``winner``
    (a system's name, ``"tie"`` or ``None``) and ``judge_cost_usd`` (USD). A failed call, a
    refused budget, an unreadable source or an answer without a ``WINNER:`` line is stored too,
    with a ``judge_error``. At most twice the judge's ``concurrency`` pairs are held at once.
    ``judge`` is closed (:meth:`~codescribe.llm.providers.base.LLMProvider.aclose`) when done.

    Args:
        setup: the run: its suite (which must have a judge), corpus folder and run folder.
        judge: the judge's provider.
        spending: the run's budget (see :class:`Spending`); used only when the suite has a
            ``budget_usd``.
        limiter: the limiter every judge call goes through; ``None`` for no limits.
        progress: show a progress bar on stderr.

    Returns:
        the number of pairs judged now (each has a verdict, whether the judge decided or not).

    Raises:
        ValueError: the suite has no judge.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from codescribe.evals.corpus import CorpusFile
        >>> from codescribe.evals.suite import Suite
        >>> import httpx2  # the OpenAI SDK's HTTP client; its MockTransport plays the judge's server
        >>> from codescribe.llm import LLMConfig
        >>> from codescribe.llm.providers.openai import OpenAIProvider
        >>> folder = tempfile.TemporaryDirectory()
        >>> root = Path(folder.name)
        >>> _ = (root / "add.py").write_text("def add(a, b):\\n    return a + b\\n")
        >>> suite = Suite.model_validate({
        ...     "name": "ab",
        ...     "systems": [{"provider": "offline", "label": "a"}, {"provider": "offline", "label": "b"}],
        ...     "judge": {"provider": "llamacpp", "mode": "pairwise"},
        ... })
        >>> files = [CorpusFile(path="add.py", language="python")]
        >>> setup = RunSetup(suite, "ab-1", files, root, root / "run", root / "cache")
        >>> store = RunStore(setup.run_dir)
        >>> store.start({"run_id": "ab-1"})
        >>> for system in ("a", "b"):
        ...     record = {"sample_id": f"{system}|readme|add.py|0", "system": system, "status": "ok",
        ...               "doc_type": "readme", "file": "add.py", "repeat": 0}
        ...     store.finish(record, f"# add\\n\\nWritten by {system}.\\n")
        >>> class Unlimited:
        ...     def reserve(self, sample_id: str, system: str, prompt_tokens: int) -> bool:
        ...         return True
        ...
        ...     def settle(self, key: str, cost: float | None, spent: bool) -> bool:
        ...         return True
        >>> verdict = {"role": "assistant", "content": "The first is clearer.\\nWINNER: 1"}
        >>> answer = {"id": "1", "object": "chat.completion", "created": 0, "model": "smollm2",
        ...           "choices": [{"index": 0, "message": verdict, "finish_reason": "stop"}],
        ...           "usage": {"prompt_tokens": 60, "completion_tokens": 9, "total_tokens": 69}}
        >>> transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=answer))
        >>> config = LLMConfig(provider="openai", api_key="k", base_url="http://judge.invalid/v1", model="smollm2")
        >>> judge = OpenAIProvider(config, async_http_client=httpx2.AsyncClient(transport=transport))
        >>> asyncio.run(judge_pairs(setup, judge, Unlimited(), None))
        1
        >>> [(verdict["shown_first"], verdict["choice"], verdict["winner"]) for verdict in store.verdicts()]
        [('a', '1', 'a')]
        >>> store.close()
        >>> folder.cleanup()
    """
    if setup.suite.judge is None:
        raise ValueError(f"{setup.run_dir}: the suite has no judge; add a 'judge:' section to compare pairwise.")
    store = RunStore(setup.run_dir)
    done = {verdict["pair_id"] for verdict in store.verdicts()}
    todo = [pair for pair in _pairs(setup, store) if _pair_id(pair[2], pair[1]) not in done]
    judging = _Judging(setup, judge, spending, limiter)
    bar = progress_bar(len(todo), progress, unit="pair", desc="judging pairs")
    room = asyncio.Semaphore(2 * setup.suite.judge.concurrency)  # pairs held at once: calling, or writing

    async def one(a: str, b: str, record_a: dict[str, Any], record_b: dict[str, Any]) -> None:
        try:
            store.add_verdict(await judging.verdict(a, b, record_a, record_b))
            if bar is not None:
                bar.update(1)
        finally:
            room.release()

    try:
        async with asyncio.TaskGroup() as group:
            for pair in todo:
                await room.acquire()
                group.create_task(one(*pair))
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    finally:
        store.close()
        await judge.aclose()
        if bar is not None:
            bar.close()
    return len(todo)


class _Judging:
    def __init__(self, setup: RunSetup, judge: LLMProvider, spending: Spending, limiter: SystemLimiter | None) -> None:
        assert setup.suite.judge is not None
        self.setup, self.judge, self.spending, self.limiter = setup, judge, spending, limiter
        self.seed = setup.suite.judge.seed
        self.prompts = PromptSet()

    async def verdict(self, a: str, b: str, record_a: dict[str, Any], record_b: dict[str, Any]) -> dict[str, Any]:
        pair_id = _pair_id(record_a, b)
        first, second = (a, b) if random.Random(f"{self.seed}|{pair_id}").random() < 0.5 else (b, a)
        documents = {a: record_a["document"], b: record_b["document"]}
        verdict: dict[str, Any] = {
            "pair_id": pair_id,
            "run_id": self.setup.run_id,
            "system_a": a,
            "system_b": b,
            "doc_type": record_a["doc_type"],
            "file": record_a["file"],
            "repeat": record_a["repeat"],
            "shown_first": first,
        }
        try:
            code = (self.setup.corpus_dir / record_a["file"]).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:  # the corpus changed since the samples ran
            return {**verdict, "choice": None, "winner": None, "judge_error": "INPUT", "error": str(exc)}
        context = {
            "path": record_a["file"],
            "doc_type": record_a["doc_type"],
            "code": code[:SourceLimit],
            "first": documents[first][:DocumentLimit],
            "second": documents[second][:DocumentLimit],
        }
        verdict.update(
            await self._ask(
                pair_id,
                self.prompts.render("judge/pairwise_system.j2", **context),
                self.prompts.render("judge/pairwise_user.j2", **context),
            )
        )
        choice = verdict.get("choice")
        verdict["winner"] = None if choice is None else {"1": first, "2": second}.get(choice, "tie")
        return verdict

    async def _ask(self, pair_id: str, system_prompt: str, user_prompt: str) -> dict[str, Any]:
        """The judge's choice ("1", "2", "tie"), or why there is none."""
        budgeted = self.setup.suite.budget_usd is not None
        if budgeted and not self.spending.reserve(pair_id, JUDGE, max_prompt_tokens(system_prompt, user_prompt)):
            return {"choice": None, "judge_error": "BUDGET"}
        try:
            answer = await self.judge.agenerate(user_prompt, system_prompt=system_prompt, limiter=self.limiter)
        except LLMError as exc:  # a call that failed part way may still be billed: its cost is kept
            billed, cost = failed_cost(exc)
            self.spending.settle(pair_id, cost, billed)
            return {"choice": None, "judge_error": exc.error_type.value, **({"judge_cost_usd": cost} if billed else {})}
        self.spending.settle(pair_id, answer.metadata.cost_usd, True)
        choice = parse_pairwise_verdict(answer.text)
        return {
            "choice": choice,
            "judge_cost_usd": answer.metadata.cost_usd,
            **({"judge_error": "UNPARSED"} if choice is None else {}),
        }


def _pair_id(record_a: dict[str, Any], b: str) -> str:
    return f"{record_a['system']}|{b}|{record_a['doc_type']}|{record_a['file']}|{record_a['repeat']}"
