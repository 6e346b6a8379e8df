"""Does a quote support a value? The check a second reader's (the LLM's) slot value must pass to count.

A value counts only with a quote that is the user's own words from the current message, that is not an
instruction to the assistant, and that supports it:
- a number: the quote contains the figure, as the offline reader types it (a duration in ms, a rate per
  month, money, a count); a model name, version, year, id, percentage or headcount never supports a figure;
  "none"/"no labeled data" supports 0 only when the offline reader reads 0 from it;
- an enum value: the offline reader, reading the quote alone, does not read another value for the slot
  (so "we don't need citations" cannot support `auditability: required`).
Each failure has a name; the merge counts them (`consultant.merge`).
"""

from __future__ import annotations

import re
from typing import Literal

from consultant.nlu import intent as moves
from consultant.nlu import read
from consultant.nlu.mentions import Mention, find_mentions, inherit_units
from consultant.nlu.text import fix_typos, working_copy

Verdict = Literal["supported", "unquoted", "not_in_message", "instruction", "figure_missing", "contradicted"]

FIGURE_TOLERANCE = 0.03
"""How far the model's normalised figure may sit from the offline reader's (30 vs 30.4 days a month, rounding)."""

NEVER_A_SLOT_VALUE = frozenset(["year", "version", "id", "percent", "people", "categories"])
"""Mention kinds that can never become a slot value (nlu/mentions.py): they never support a figure either."""

UNIT_FACTORS = (1, 1000, 30, 52 / 12, 1 / 12, 720, 43_200, 2_592_000, 60_000)
"""A bare figure times a unit or period factor ("50k a day" -> 1,500,000 a month; "2 s" -> 2,000 ms)."""


ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.|\[\.\.\.\])\s*")


def _flat(text: str) -> str:
    return working_copy(" ".join(fix_typos(text).split()))


def _in_message(quote: str, text: str) -> bool:
    """The quote's words occur in the message, in order; an ellipsis in the quote may skip words."""
    said, at = _flat(text), 0
    for piece in (p.strip() for p in ELLIPSIS.split(quote)):
        if not piece:
            continue
        found = said.find(_flat(piece), at)
        if found < 0:
            return False
        at = found + len(_flat(piece))
    return True


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= FIGURE_TOLERANCE * max(abs(b), 1.0)


def _mention_supports(m: Mention, value: int) -> bool:
    if m.kind in NEVER_A_SLOT_VALUE:
        return False
    ends = [m.value, m.figure.value] + [e for e in (m.low, m.high) if e is not None]
    if any(_close(value, e) for e in ends):
        return True
    return m.kind in ("bare", "count", "word") and m.figure.value > 0 and \
        any(_close(value, m.figure.value * f) for f in UNIT_FACTORS)


def _figure_in(quote: str, slot: str, value: int, pending: str | None) -> bool:
    """The quote says this figure (checked by the offline reader's typed mentions, or its reading of the quote)."""
    own = read(quote, pending, {}, reader="rules")
    if any(c.slot == slot and isinstance(c.value, int) and _close(value, c.value) for c in own.candidates):
        return True
    if value == 0:
        return False  # "none" is 0 only when the offline reader reads it so for this slot
    t = working_copy(quote)
    return any(_mention_supports(m, value) for m in inherit_units(t, find_mentions(t)))


def _contradicts(quote: str, slot: str, value: object, pending: str | None) -> bool:
    """The offline reader, reading the quote alone, reads another value for this slot."""
    own = read(quote, pending, {}, reader="rules")
    return any(c.slot == slot and c.value != value and c.applies for c in own.candidates)


def support(text: str, quote: str, slot: str, value: object, pending: str | None = None) -> Verdict:
    """Whether `quote` (the model's) supports `slot = value` as a reading of the user's message `text`."""
    words = _flat(quote)
    if not re.search(r"\w", words):
        return "unquoted"
    if not _in_message(quote, text):
        return "not_in_message"
    if moves.is_instruction(words):
        return "instruction"
    if isinstance(value, int) and not isinstance(value, bool):
        return "supported" if _figure_in(quote, slot, value, pending) else "figure_missing"
    return "contradicted" if _contradicts(quote, slot, value, pending) else "supported"


def corroborated(quote: str, slot: str, value: object) -> bool:
    """The offline reader, reading the quote as an answer to the slot's own question, finds this value (at any
    confidence): the quote speaks to the slot. A figure the quote contains (see `support`) speaks for itself."""
    if isinstance(value, int) and not isinstance(value, bool):
        return True
    own = read(quote, slot, {}, reader="rules")
    return any(c.slot == slot and c.value == value for c in own.candidates)
