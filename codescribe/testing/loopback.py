"""What the local servers have in common: a loopback address that speaks both protocols."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

__all__ = ["LoopbackServer"]


class LoopbackServer(ABC):
    """A server on 127.0.0.1 answering OpenAI (``/v1``) and Anthropic requests; a context
    manager that starts it and stops it again.

    Subclasses (:class:`~codescribe.testing.ScriptedLLMServer`,
    :class:`~codescribe.testing.LocalLLMServer`) give :attr:`url`, :meth:`start` and :meth:`stop`;
    ``with server:`` calls :meth:`start` on entry and :meth:`stop` on exit, even after an error.

    Examples:
        >>> from codescribe.testing import ScriptedLLMServer
        >>> with ScriptedLLMServer() as server:
        ...     server.openai_url == f"{server.url}/v1", server.anthropic_url == server.url
        (True, True)
    """

    @property
    @abstractmethod
    def url(self) -> str:
        """``http://127.0.0.1:<port>``.

        Returns:
            the server's address: scheme, loopback host and port, without a trailing slash.

        Examples:
            >>> from codescribe.testing import ScriptedLLMServer
            >>> with ScriptedLLMServer() as server:
            ...     server.url.startswith("http://127.0.0.1:")
            True
        """

    @property
    def openai_url(self) -> str:
        """The base URL for OpenAI clients.

        Returns:
            :attr:`url` followed by ``/v1`` (clients add ``/chat/completions``).

        Examples:
            >>> from codescribe.testing import ScriptedLLMServer
            >>> with ScriptedLLMServer() as server:
            ...     server.openai_url.removeprefix(server.url)
            '/v1'
        """
        return f"{self.url}/v1"

    @property
    def anthropic_url(self) -> str:
        """The base URL for Anthropic clients.

        Returns:
            :attr:`url` itself (Anthropic clients add ``/v1/messages``).

        Examples:
            >>> from codescribe.testing import ScriptedLLMServer
            >>> with ScriptedLLMServer() as server:
            ...     server.anthropic_url == server.url
            True
        """
        return self.url

    @abstractmethod
    def start(self) -> Self:
        """Start serving; ``with server:`` calls it.

        Returns:
            the server itself, started, so that ``server = Server().start()`` works.

        Examples:
            >>> from codescribe.testing import ScriptedLLMServer
            >>> server = ScriptedLLMServer().start()
            >>> server.stop()
        """
        ...

    @abstractmethod
    def stop(self) -> None:
        """Stop serving and free the port; leaving a ``with server:`` block calls it.

        Examples:
            >>> from codescribe.testing import ScriptedLLMServer
            >>> server = ScriptedLLMServer().start()
            >>> server.stop()
        """
        ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
