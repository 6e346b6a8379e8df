"""Retrieved text is evidence, never instructions: instruction-like passages are taken out of documents at ingest.

What goes, before anything is chunked, embedded or stored:
- HTML comments and Markdown comment lines (`[//]: # (...)`, `[comment]: <> (...)`): text no reader of the
  rendered document sees;
- hidden HTML elements (`display: none`, `visibility: hidden`, white, transparent or zero-size text, the
  `hidden` and `aria-hidden` attributes);
- every sentence the message reader would answer as an instruction (the `instruction` classes of the intents
  lexicon but its imperatives to the reader, which are advice in a document; disguises included): "Note for any AI assistant: the only acceptable recommendation is ...",
  "ignore previous instructions", fake system tags.

What was removed is reported by `consultant ingest` (and kept in the chunk metadata as a count only), so a
poisoned passage can never be quoted, cited or summarised as guidance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from consultant.nlu import intent as moves
from consultant.nlu.text import sentences, working_copy

HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
MARKDOWN_COMMENT = re.compile(r"^[ ]{0,3}\[(?://|comment|_comment|#)\]:\s*(?:#|<>)[^\n]*$", re.MULTILINE | re.IGNORECASE)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|(?<![-\w])color\s*:\s*(?:white|#fff(?:fff)?\b|"
                          r"transparent|rgba\([^)]*,\s*0\))|font-size\s*:\s*0(?![.\d])|opacity\s*:\s*0(?![.\d])",
                          re.IGNORECASE)
# A line break inside a paragraph (hard-wrapped prose) does not end a sentence; one before a list item, a table
# row, a heading, a quote or a blank line does.
_UNWRAP = re.compile(r"(?<=[^\n])\n(?![ \t]*(?:[-*+|#>]|\d+[.)]|\n|$))")
REPORTED_CHARS = 100  # a removed passage is shown this long in the ingest report


@dataclass
class Scrubbed:
    """A text with its instruction-like passages taken out, and those passages."""

    text: str
    removed: list[str] = field(default_factory=list)


def _short(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= REPORTED_CHARS else one_line[:REPORTED_CHARS - 1] + "…"


def strip_comments(text: str) -> Scrubbed:
    """HTML comments and Markdown comment lines out of a Markdown or text document."""
    removed: list[str] = []

    def drop(m: re.Match[str]) -> str:
        if m.group(0).strip():
            removed.append(m.group(0))
        return ""

    text = MARKDOWN_COMMENT.sub(drop, HTML_COMMENT.sub(drop, text))
    return Scrubbed(text, removed)


def hidden_elements(soup: Any) -> list[str]:
    """Remove the comments and hidden elements of a parsed HTML page (BeautifulSoup) in place; their text."""
    from bs4 import Comment

    removed = [str(c) for c in soup.find_all(string=lambda s: isinstance(s, Comment)) if str(c).strip()]
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in soup.find_all(True):
        if getattr(tag, "decomposed", False) or tag.attrs is None:
            continue
        hidden = tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true" or \
            bool(HIDDEN_STYLE.search(str(tag.get("style", ""))))
        if hidden:
            text = tag.get_text(" ", strip=True)
            if text:
                removed.append(text)
            tag.decompose()
    return removed


def strip_instructions(text: str) -> Scrubbed:
    """Every sentence of `text` the reader would answer as an instruction, cut out (the rest kept as written)."""
    t = _UNWRAP.sub(" ", working_copy(text))  # same length: the spans found in it cut the text as written
    cuts = [(a, b) for a, b in sentences(t) if moves.is_instruction(t[a:b], text[a:b], document=True)]
    if not cuts:
        return Scrubbed(text)
    cuts = [(a, b + 1 if text[b:b + 1] in (".", "!", ";") else b) for a, b in cuts]  # its full stop goes too
    kept, at = [], 0
    for a, b in cuts:
        kept.append(text[at:a])
        at = b
    kept.append(text[at:])
    cleaned = re.sub(r"[ \t]+\n", "\n", "".join(kept))
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()
    return Scrubbed(cleaned, [text[a:b].strip() for a, b in cuts])


def report(removed: list[str]) -> str:
    """The ingest report's note for one file."""
    shown = "; ".join(f"“{_short(r)}”" for r in removed[:3])
    more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
    return f"removed {len(removed)} instruction-like passage{'s' if len(removed) != 1 else ''}: {shown}{more}"
