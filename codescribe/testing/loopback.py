"""What the local servers have in common: a loopback address that speaks both protocols."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

__all__ = ["LoopbackServer"]


class LoopbackServer(ABC):
    """A server on 127.0.0.1 answering OpenAI (``/v1``) and Anthropic requests; a context
    manager that starts it and stops it again.

    Subclasses (:class:`~codescribe.testing.LocalLLMServer`, and the project's own scripted server in
    ``tests/scripted_server.py``) give :attr:`url`, :meth:`start` and :meth:`stop`; ``with server:``
    calls :meth:`start` on entry and :meth:`stop` on exit, even after an error.

    Examples:
        >>> class Fixed(LoopbackServer):
        ...     url = "http://127.0.0.1:8080"
        ...     def start(self):
        ...         print("started")
        ...         return self
        ...     def stop(self):
        ...         print("stopped")
        >>> with Fixed() as server:
        ...     urls = server.openai_url, server.anthropic_url
        started
        stopped
        >>> urls
        ('http://127.0.0.1:8080/v1', 'http://127.0.0.1:8080')
    """

    @property
    @abstractmethod
    def url(self) -> str:
        """``http://127.0.0.1:<port>``.

        Returns:
            the server's address: scheme, loopback host and port, without a trailing slash.

        Examples:
            >>> members = {"url": "http://127.0.0.1:8080", "start": lambda self: self, "stop": lambda self: None}
            >>> server = type("Fixed", (LoopbackServer,), members)()
            >>> server.url
            'http://127.0.0.1:8080'
        """

    @property
    def openai_url(self) -> str:
        """The base URL for OpenAI clients.

        Returns:
            :attr:`url` followed by ``/v1`` (clients add ``/chat/completions``).

        Examples:
            >>> members = {"url": "http://127.0.0.1:8080", "start": lambda self: self, "stop": lambda self: None}
            >>> server = type("Fixed", (LoopbackServer,), members)()
            >>> server.openai_url
            'http://127.0.0.1:8080/v1'
        """
        return f"{self.url}/v1"

    @property
    def anthropic_url(self) -> str:
        """The base URL for Anthropic clients.

        Returns:
            :attr:`url` itself (Anthropic clients add ``/v1/messages``).

        Examples:
            >>> members = {"url": "http://127.0.0.1:8080", "start": lambda self: self, "stop": lambda self: None}
            >>> server = type("Fixed", (LoopbackServer,), members)()
            >>> server.anthropic_url
            'http://127.0.0.1:8080'
        """
        return self.url

    @abstractmethod
    def start(self) -> Self:
        """Start serving; ``with server:`` calls it.

        Returns:
            the server itself, started, so that ``server = Server().start()`` works.

        Examples:
            >>> members = {"url": "http://127.0.0.1:8080", "start": lambda self: self, "stop": lambda self: None}
            >>> server = type("Fixed", (LoopbackServer,), members)()
            >>> server.start() is server
            True
        """

    @abstractmethod
    def stop(self) -> None:
        """Stop serving and free the port; leaving a ``with server:`` block calls it.

        Examples:
            >>> members = {"url": "http://127.0.0.1:8080", "start": lambda self: self, "stop": lambda self: None}
            >>> server = type("Fixed", (LoopbackServer,), members)()
            >>> server.stop()
        """

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
