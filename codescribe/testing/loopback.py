"""What the local servers have in common: a loopback address that speaks both protocols."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

__all__ = ["LoopbackServer"]


class LoopbackServer(ABC):
    """A server on 127.0.0.1 answering OpenAI (``/v1``) and Anthropic requests; a context
    manager that starts it and stops it again."""

    @property
    @abstractmethod
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""

    @property
    def openai_url(self) -> str:
        """The base URL for OpenAI clients."""
        return f"{self.url}/v1"

    @property
    def anthropic_url(self) -> str:
        """The base URL for Anthropic clients."""
        return self.url

    @abstractmethod
    def start(self) -> Self: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
