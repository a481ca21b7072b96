"""What the routes share: a document generator per allowed provider and model, and each provider's gate.

A provider's calls are held to ``concurrency`` at once across all requests, with at most ``queue``
more waiting; a request beyond that is answered 503 at once rather than queued without bound.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import TracebackType

from ..engine.generator import DocGenerator
from ..engine.writers import OFFLINE, writer_for
from ..llm.factory import key_status
from .errors import ApiError
from .settings import ServerSettings, _provider

__all__ = ["Choice", "Gate", "Service", "Ticket"]


@dataclass(frozen=True)
class Choice:
    """The provider and model a request is answered by (``model`` ``None``: the provider's configured one)."""

    provider: str
    model: str | None


class Gate:
    """At most ``slots`` calls at once, and ``queue`` more waiting; beyond that, :class:`ApiError` 503.

    A request takes its place with :meth:`reserve` before anything is sent to the client, so requests
    that arrive together are counted together: a stream beyond capacity is refused with the 503, never
    answered 200 and then failed.

    Args:
        slots: calls in flight at once.
        queue: calls that may wait for a slot.
    """

    def __init__(self, slots: int, queue: int) -> None:
        self.slots, self.queue = slots, queue
        self.admitted = 0  # reserved: in flight, waiting, or about to wait
        self.semaphore = asyncio.Semaphore(slots)

    def reserve(self) -> Ticket:
        """Take a place among ``slots + queue``, or refuse.

        Returns:
            The :class:`Ticket` that holds the place until it is released (``async with`` it to wait
            for a slot and call).

        Raises:
            ApiError: 503 with ``Retry-After: 1`` when ``slots + queue`` places are taken.

        Examples:
            >>> gate = Gate(slots=1, queue=0)
            >>> ticket = gate.reserve()
            >>> gate.reserve()
            Traceback (most recent call last):
            ...
            codescribe.server.errors.ApiError: The service is at capacity for this provider: try again shortly.
            >>> ticket.release(); gate.admitted
            0
        """
        if self.admitted >= self.slots + self.queue:
            raise ApiError(503, "BUSY", "The service is at capacity for this provider: try again shortly.", 1.0)
        return Ticket(self)


class Ticket:
    """One request's place at a :class:`Gate`, released exactly once however the request ends.

    ``async with ticket`` waits for a slot and gives it back on exit; :meth:`release` may also be
    called on its own (a stream whose client left before it started) and any number of times.

    Args:
        gate: the gate the place is taken at (counted at once).
    """

    def __init__(self, gate: Gate) -> None:
        self._gate = gate
        self._holds_slot = False
        self._released = False
        gate.admitted += 1

    async def __aenter__(self) -> Ticket:
        try:
            await self._gate.semaphore.acquire()
        except BaseException:
            self.release()
            raise
        self._holds_slot = True
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()

    def release(self) -> None:
        """Give back the slot (if one is held) and the place; later calls do nothing.

        Examples:
            >>> gate = Gate(slots=1, queue=0)
            >>> ticket = gate.reserve()
            >>> ticket.release(); ticket.release(); gate.admitted
            0
        """
        if self._holds_slot:
            self._holds_slot = False
            self._gate.semaphore.release()
        if not self._released:
            self._released = True
            self._gate.admitted -= 1


class Service:
    """The generators and gates of one running app.

    Args:
        settings: what requests may choose, and the limits.
    """

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._generators: dict[Choice, DocGenerator] = {}
        self._gates: dict[str, Gate] = {}

    def choose(self, provider: str | None, model: str | None) -> Choice:
        """The provider and model of a request's ``X-LLM-Provider`` and ``X-LLM-Model`` headers.

        Args:
            provider: the header's value, a name or alias; ``None`` (no header): the default provider.
            model: the header's value; ``None`` (no header): the provider's configured model.

        Returns:
            The choice, the provider's name canonical.

        Raises:
            ApiError: 400 naming what is allowed, for a provider or a model the operator did not allow.

        Examples:
            >>> service = Service(ServerSettings.from_env({"LLM_PROVIDER": "openai"}))
            >>> service.choose(None, None), service.choose("Offline", None)
            (Choice(provider='openai', model=None), Choice(provider='offline', model=None))
            >>> service.choose("anthropic", None)
            Traceback (most recent call last):
            ...
            codescribe.server.errors.ApiError: X-LLM-Provider 'anthropic' is not allowed here; allowed: openai, offline.
        """
        allowed = self.settings.allowed_providers
        name = self.settings.default_provider if provider is None else _canonical(provider)
        if name not in allowed:
            raise ApiError(
                400, "VALIDATION", f"X-LLM-Provider {provider!r} is not allowed here; allowed: {', '.join(allowed)}."
            )
        chosen = None if model is None else model.strip()
        if chosen is not None and chosen not in self.settings.allowed_models:
            models = ", ".join(self.settings.allowed_models) or "none (each provider uses its configured model)"
            raise ApiError(400, "VALIDATION", f"X-LLM-Model {chosen!r} is not allowed here; allowed: {models}.")
        return Choice(name, None if name == OFFLINE else chosen)

    def generator(self, choice: Choice) -> DocGenerator:
        """The generator of ``choice``, made at its first request and kept.

        Args:
            choice: the provider and model (from :meth:`choose`).

        Returns:
            The :class:`~codescribe.engine.generator.DocGenerator` writing with them.

        Raises:
            LLMError: the provider cannot be built (no key, a bad setting): ``operation`` is ``configure``.

        Examples:
            >>> service = Service(ServerSettings.from_env({}))
            >>> service.generator(Choice("offline", None)).offline
            True
        """
        if choice not in self._generators:
            self._generators[choice] = DocGenerator(writer=writer_for(choice.provider, model=choice.model))
        return self._generators[choice]

    def gate(self, choice: Choice) -> Gate:
        """The gate of ``choice``'s provider, shared by its models and by every request.

        Args:
            choice: the provider and model (from :meth:`choose`).

        Returns:
            The provider's :class:`Gate`, made at its first request.

        Examples:
            >>> service = Service(ServerSettings.from_env({}))
            >>> service.gate(Choice("offline", None)) is service.gate(Choice("offline", "other"))
            True
        """
        if choice.provider not in self._gates:
            self._gates[choice.provider] = Gate(self.settings.concurrency, self.settings.queue)
        return self._gates[choice.provider]

    def providers(self) -> dict[str, dict[str, object]]:
        """Each allowed provider: whether its key is set (never the key), and whether it is the default.

        Returns:
            Provider name → ``{"configured": bool, "key": "set" | "missing" | "not needed", "default": bool}``.

        Examples:
            >>> Service(ServerSettings.from_env({})).providers()
            {'offline': {'configured': True, 'key': 'not needed', 'default': True}}
        """
        listed: dict[str, dict[str, object]] = {}
        for name in self.settings.allowed_providers:
            status = "not needed" if name == OFFLINE else key_status(name)[0]
            listed[name] = {
                "configured": status != "missing",
                "key": status,
                "default": name == self.settings.default_provider,
            }
        return listed

    async def aclose(self) -> None:
        """Close the providers' connections (at shutdown).

        Examples:
            >>> import asyncio
            >>> asyncio.run(Service(ServerSettings.from_env({})).aclose())
        """
        for generator in self._generators.values():
            if generator.provider is not None:
                await generator.provider.aclose()


def _canonical(name: str) -> str:
    try:
        return _provider(name, "X-LLM-Provider")
    except ValueError:  # an unknown name: not allowed either
        return name.strip().lower()
