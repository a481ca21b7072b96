"""Evaluation suites: YAML files saying what to run, validated with clear errors.

```yaml
name: smoke
systems:
  - {provider: offline}
  - {provider: anthropic, model: claude-sonnet-5-5, concurrency: 8, rpm: 50, adaptive_concurrency: true}
doc_types: [readme, docstrings]
corpus: {languages: [python, go], sizes: [small, medium], limit: 20}
repeats: 1
budget_usd: 2.00
cache: false
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..engine.doc_types import check_doc_type

__all__ = ["CorpusSelection", "Judge", "Suite", "SuiteError", "SystemSpec", "load_suite"]


class SuiteError(ValueError):
    """A suite file that cannot be used; the message names the file and each bad field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SystemSpec(_Strict):
    """One provider/model under test, with its own concurrency and rate limit: an entry of ``systems:``.

    Every field is a key of the entry in the suite's YAML; unknown keys are refused, and the model
    is frozen once validated.

    Attributes:
        provider: the provider's name or alias (``offline``, ``anthropic``, ``openai``, ``llamacpp`` ...).
        model: the model; ``None``: ``LLM_MODEL``, else the provider's default.
        base_url: the endpoint; ``None``: ``LLM_BASE_URL``, else the provider's default.
        concurrency: the most calls in flight at once for this system, 1 to 256 (default 4).
        rpm: requests per minute at most, spaced evenly; ``None`` (the default) for no rate limit.
        adaptive_concurrency: halve the calls in flight on a 429/529 and grow back on success
            (see :class:`~codescribe.evals.limits.SystemLimiter`).
        max_tokens: the most tokens a call may write (at least 1); ``None``: the provider's setting.
        label: the system's name in records and reports; ``None``: ``provider/model`` (see :attr:`name`).

    Examples:
        >>> SystemSpec(provider="anthropic", model="claude-sonnet-5-5", concurrency=8, rpm=50).name
        'anthropic/claude-sonnet-5-5'
    """

    provider: str
    model: str | None = None
    base_url: str | None = None
    concurrency: int = Field(default=4, ge=1, le=256)
    rpm: float | None = Field(default=None, gt=0, description="requests per minute; none = unlimited")
    #: Halve the calls in flight on a 429/529 and grow back on success (see ``SystemLimiter``).
    adaptive_concurrency: bool = False
    max_tokens: int | None = Field(default=None, ge=1)
    label: str | None = None

    @property
    def name(self) -> str:
        """How the system is named in records and reports: its ``label``, else ``provider/model``.

        Returns:
            the ``label`` when set; else ``provider/model``, or just ``provider`` when no model is named.

        Examples:
            >>> SystemSpec(provider="offline").name
            'offline'
            >>> SystemSpec(provider="openai", model="gpt-6.1-sol").name
            'openai/gpt-6.1-sol'
            >>> SystemSpec(provider="openai", model="gpt-6.1-sol", label="baseline").name
            'baseline'
        """
        return self.label or (f"{self.provider}/{self.model}" if self.model else self.provider)


class CorpusSelection(_Strict):
    """Which files of the corpus a suite runs on: the ``corpus:`` mapping of a suite.

    An empty list selects everything for that field; a file must pass every non-empty one.

    Attributes:
        languages: languages to keep, as the manifest names them (``python``, ``go`` ...).
        sizes: sizes to keep: ``small``, ``medium`` or ``large``.
        paths: glob patterns (``fnmatch``) matched against each file's path relative to the corpus.
        limit: keep at most this many of the selected files, in manifest order; ``None`` keeps all.

    Examples:
        >>> CorpusSelection(languages=["python"], sizes=["small"], limit=20).limit
        20
    """

    languages: list[str] = Field(default_factory=list)
    sizes: list[Literal["small", "medium", "large"]] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list, description="glob patterns relative to the corpus")
    limit: int | None = Field(default=None, ge=1)


class Judge(_Strict):
    """An optional LLM judge (prompts in ``prompts/judge/``).

    ``rubric``: grades each document 1-5 against the source. ``pairwise``: after the samples, shows
    it two systems' documents of the same sample, in an order drawn at random for each pair (from
    ``seed``), and asks which is better; a run then reports each pair's wins, ties, a sign test, and
    how often the document shown first won (the judge's own position bias).

    Attributes:
        provider: the judge's provider name or alias.
        model: the judge's model; ``None``: ``LLM_MODEL``, else the provider's default.
        mode: ``rubric`` (the default) or ``pairwise``.
        concurrency: the most judge calls in flight at once, 1 to 256 (default 4).
        rpm: judge calls per minute at most; ``None`` (the default) for no rate limit.
        adaptive_concurrency: back off on 429/529 like a system (see :class:`SystemSpec`).
        seed: seeds the order in which ``pairwise`` shows each pair's two documents.

    Examples:
        >>> Judge(provider="anthropic", mode="pairwise", seed=7).mode
        'pairwise'
    """

    provider: str
    model: str | None = None
    mode: Literal["rubric", "pairwise"] = "rubric"
    concurrency: int = Field(default=4, ge=1, le=256)
    rpm: float | None = Field(default=None, gt=0, description="requests per minute; none = unlimited")
    adaptive_concurrency: bool = False
    seed: int = 0


class Suite(_Strict):
    """A whole suite file, validated: what to run, on which files, how often, within what budget.

    Build one with :func:`load_suite` (which also names the file in its errors) or
    ``Suite.model_validate(mapping)``; unknown keys are refused, and the model is frozen.

    Attributes:
        name: the suite's name (letters, digits, ``_``, ``.``, ``-``); new run ids start with it.
        systems: the systems under test, at least one; their :attr:`SystemSpec.name` must differ, and
            none may be called ``judge``.
        doc_types: the doc types each file is documented as (default ``["readme"]``), each one of
            :data:`~codescribe.engine.doc_types.DOC_TYPES`.
        corpus: which corpus files to run on (default: all of them).
        corpus_dir: the corpus folder; :func:`load_suite` makes a relative one relative to the suite
            file. ``None``: the runner's ``corpus_dir``, else the bundled corpus.
        repeats: how many times each (system, doc type, file) is run, 1 to 100 (default 1).
        judge: an optional LLM judge; ``None`` for none.
        budget_usd: the most the run may spend, in USD; ``None`` for no budget.
        cache: reuse an earlier identical answer from the response cache instead of calling again.
        stream: stream every generation, so each sample records its time to first token.
        keep_documents: keep every generated document in the run's store (``pairwise`` requires it).

    Examples:
        >>> suite = Suite.model_validate({"name": "smoke", "systems": [{"provider": "offline"}]})
        >>> suite.doc_types, suite.repeats, suite.budget_usd
        (['readme'], 1, None)
    """

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    systems: list[SystemSpec] = Field(min_length=1)
    doc_types: list[str] = Field(default_factory=lambda: ["readme"], min_length=1)
    corpus: CorpusSelection = Field(default_factory=CorpusSelection)
    corpus_dir: str | None = None
    repeats: int = Field(default=1, ge=1, le=100)
    judge: Judge | None = None
    budget_usd: float | None = Field(default=None, gt=0)
    cache: bool = False
    #: Stream every generation, so that each sample records its time to first token.
    stream: bool = True
    #: Keep every generated document in the run's store (pairwise judging needs them).
    keep_documents: bool = True

    @field_validator("doc_types")
    @classmethod
    def _known_doc_types(cls, doc_types: list[str]) -> list[str]:
        return [check_doc_type(doc_type) for doc_type in doc_types]

    @field_validator("systems")
    @classmethod
    def _unique_names(cls, systems: list[SystemSpec]) -> list[SystemSpec]:
        names = [system.name for system in systems]
        if "judge" in names:
            raise ValueError("`judge` names the suite's judge: give that system another label")
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"systems must be distinct; repeated: {', '.join(duplicates)} (give each a label)")
        return systems

    @model_validator(mode="after")
    def _pairwise_needs_documents_of_two_systems(self) -> Suite:
        if self.judge is not None and self.judge.mode == "pairwise":
            if len(self.systems) < 2:
                raise ValueError("judge.mode pairwise compares systems: list at least two under `systems`")
            if not self.keep_documents:
                raise ValueError("judge.mode pairwise reads the kept documents: keep_documents must be true")
        return self


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite file (YAML, see the module docstring).

    A relative ``corpus_dir`` in the file is taken relative to the file's folder, wherever the
    suite is run from.

    Args:
        path: the suite file, e.g. ``evals/suites/smoke.yaml``.

    Returns:
        the validated :class:`Suite`.

    Raises:
        SuiteError: the file cannot be read, is not valid YAML, is not a mapping, or breaks a rule of
            :class:`Suite`; the message names the file and every bad field.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> path = Path(folder.name) / "smoke.yaml"
        >>> _ = path.write_text("name: smoke\\nsystems:\\n  - {provider: offline}\\ndoc_types: [readme, docstrings]\\n")
        >>> suite = load_suite(path)
        >>> suite.name, [system.name for system in suite.systems], suite.doc_types
        ('smoke', ['offline'], ['readme', 'docstrings'])
        >>> _ = path.write_text("name: smoke\\nsystems: []\\n")
        >>> try:
        ...     load_suite(path)
        ... except SuiteError as error:
        ...     print(str(error).removeprefix(f"{path}: "))
        systems: List should have at least 1 item after validation, not 0
        >>> folder.cleanup()
    """
    import yaml

    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SuiteError(f"{file}: cannot read the suite ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise SuiteError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SuiteError(f"{file}: a suite is a YAML mapping with at least `name` and `systems`.")
    if isinstance(data.get("corpus_dir"), str):  # relative to the suite file, wherever it is run from
        data["corpus_dir"] = str(file.parent / Path(data["corpus_dir"]).expanduser())
    try:
        return Suite.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or '(top)'}: {error['msg']}" for error in exc.errors()
        )
        raise SuiteError(f"{file}: {problems}") from exc
