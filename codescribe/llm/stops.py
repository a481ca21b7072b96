"""Why a model stopped, in each provider's words, and what that makes of its answer.

Only a stop at the answer's natural end is a finished answer. The words are the providers' own:
OpenAI's ``finish_reason`` (``stop``, ``length``, ``content_filter``, and gateways' ``error``), Anthropic's
``stop_reason`` (``end_turn``, ``stop_sequence``, ``max_tokens``, ``model_context_window_exceeded``,
``refusal``, ``pause_turn``) and Gemini's ``finishReason`` (``STOP``, ``MAX_TOKENS``, ``SAFETY`` ...).
A reason in none of the lists is no finished answer either: it is named in the error.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["CUT", "FAILED", "FINISHED", "REFUSED", "Stop", "stop_kind"]

#: The model reached the end of its answer (or a stop sequence).
FINISHED = frozenset({"stop", "end_turn", "stop_sequence", "STOP", "FINISH_REASON_STOP"})
#: The answer was cut at the output limit or the context window: a part of a document.
CUT = frozenset({"length", "max_tokens", "MAX_TOKENS", "model_context_window_exceeded"})
#: The model, or the provider's filter, declined to answer.
REFUSED = frozenset(
    {"refusal", "content_filter", "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY"}
)
#: The provider failed while it answered (OpenAI-compatible gateways such as OpenRouter say ``error``).
FAILED = frozenset({"error"})


class Stop(Enum):
    """What a stop reason makes of an answer."""

    FINISHED = "finished"
    CUT = "cut"
    REFUSED = "refused"
    FAILED = "failed"
    OTHER = "other"


def stop_kind(reason: str | None) -> Stop:
    """What the stop reason ``reason`` makes of the answer it ends.

    Args:
        reason: the provider's word; ``None`` when a whole (not streamed) answer gave none, which some
            OpenAI-compatible servers do: its body is complete, so it counts as finished.

    Returns:
        The kind: ``FINISHED`` (a whole answer), ``CUT`` (at a limit), ``REFUSED``, ``FAILED`` (the provider
        failed), or ``OTHER`` (any other reason, ``pause_turn`` or ``tool_calls``: no finished document).

    Examples:
        >>> stop_kind("end_turn"), stop_kind("model_context_window_exceeded"), stop_kind("pause_turn")
        (<Stop.FINISHED: 'finished'>, <Stop.CUT: 'cut'>, <Stop.OTHER: 'other'>)
    """
    if reason is None or reason in FINISHED:
        return Stop.FINISHED
    if reason in CUT:
        return Stop.CUT
    if reason in REFUSED:
        return Stop.REFUSED
    return Stop.FAILED if reason in FAILED else Stop.OTHER
