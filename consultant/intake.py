"""What a message must be before it reaches the consultation, the same for every entry point (the Python API,
the CLI, the UI and the LangGraph server): text, not empty once cleaned, and of a readable length."""

from __future__ import annotations

from typing import Any

from consultant.nlu.text import clean

MAX_MESSAGE_CHARS = 8_000  # a few pages: a feature description is a paragraph; more is a paste of something else

TOO_LONG = ("That message is {length:,} characters; the limit is {limit:,}. Please send a shorter summary (a few "
            "sentences about the feature is plenty). Nothing was stored.")
EMPTY_FIRST = "I received an empty message. Tell me about the AI feature you're planning."
EMPTY_LATER = "I received an empty message. Type an answer or a question."


def clean_message(text: Any) -> str:
    """Control and invisible characters removed, whitespace trimmed."""
    return clean(str(text if text is not None else ""))


def check(text: Any, started: bool) -> tuple[str, str | None]:
    """(the cleaned message, None) when it can be read, else ("", the reply that says why not)."""
    raw = str(text if text is not None else "")
    if len(raw) > MAX_MESSAGE_CHARS:
        return "", TOO_LONG.format(length=len(raw), limit=MAX_MESSAGE_CHARS)
    cleaned = clean_message(raw)
    if not cleaned:
        return "", EMPTY_LATER if started else EMPTY_FIRST
    return cleaned, None


def message_text(value: Any) -> str:
    """The text of an incoming chat message in any of the shapes LangGraph clients send: a string, a
    LangChain message, {"role": "user", "content": ...}, or content blocks [{"type": "text", "text": ...}]."""
    content = getattr(value, "content", None)
    if content is None and isinstance(value, dict):
        content = value.get("content", value.get("text"))
    if content is None:
        content = value
    if isinstance(content, list):
        return " ".join(str(b.get("text", "")) if isinstance(b, dict) else str(b) for b in content)
    return str(content if content is not None else "")
