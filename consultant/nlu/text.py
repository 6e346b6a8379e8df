"""Text basics for the rules: the update record, normalisation (same length as the input), quotes of evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

BARE_CONFIDENCE = 0.74  # a number with no unit, read as the answer to the pending question
INT_SLOTS = ("latency_budget_ms", "monthly_queries", "context_tokens", "labeled_examples", "upfront_budget_usd")


@dataclass(frozen=True)
class SlotUpdate:
    slot: str
    value: str | int
    confidence: float
    extractor: str
    evidence: str
    position: int = 0
    end: int = 0  # where the words that gave the value end (0: unknown)


_HALVES = re.compile(r"\b(?:(?P<n>\d+|one|a|an) (?P<u>second|sec|minute|min|hour)s? and a half|"
                     r"(?P<n2>\d+|one|two|three) and a half (?P<u2>seconds?|secs?|minutes?|mins?|hours?))\b")
_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3"}


def _halves(match: re.Match[str]) -> str:
    """"a second and a half" -> "1.5 seconds", padded to the same length so positions still line up."""
    n, unit = (match.group("n"), match.group("u")) if match.group("n") else (match.group("n2"), match.group("u2"))
    unit = unit.rstrip("s")
    out = f"{_WORDS.get(n, n)}.5 {unit}s"
    return out.ljust(len(match.group(0)))[: len(match.group(0))]


_VOCABULARY = ("daily", "weekly", "monthly", "quarterly", "yearly", "annually", "biweekly", "fortnightly", "latency",
               "citations", "auditability", "auditable", "regulator", "regulated", "labelled", "budget", "milliseconds",
               "knowledge", "behaviour", "classification", "structured", "thousand", "million")


@lru_cache(maxsize=4096)
def _spelling(word: str) -> str:
    from difflib import get_close_matches

    if len(word) < 6 or word in _VOCABULARY:
        return word
    match = get_close_matches(word, _VOCABULARY, n=1, cutoff=0.84)
    if not match or match[0].startswith(word[:-1]) or word.startswith(match[0][:-1]):
        return word  # "second"/"seconds", "labeled"/"labelled": variants, not typos
    return match[0]


def fix_typos(text: str) -> str:
    """"qaurterly" -> "quarterly", "lantency" -> "latency": a small vocabulary the rules depend on."""
    return re.sub(r"[A-Za-z]{6,}", lambda m: m.group(0) if m.group(0).lower() == _spelling(m.group(0).lower())
                  else _spelling(m.group(0).lower()), text)


def normalise(text: str) -> str:
    """Lower-cased text with typographic quotes and dashes unified; same length as the input."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return _HALVES.sub(_halves, text.lower())


def evidence_of(original: str, start: int, end: int) -> str:
    """The clause around a match, as the user wrote it (for read-backs and provenance)."""
    left = max(original.rfind(sep, 0, start) for sep in (".", "!", "?", ";", "\n"))
    rights = [i for i in (original.find(sep, end) for sep in (".", "!", "?", ";", "\n")) if i != -1]
    # "0.4 s" has a dot inside: only split on a dot followed by whitespace
    while left > 0 and original[left] == "." and left + 1 < len(original) and original[left + 1].isdigit():
        left = max(original.rfind(sep, 0, left) for sep in (".", "!", "?", ";", "\n"))
    right = min([r for r in rights if not (original[r] == "." and r + 1 < len(original) and original[r + 1].isdigit())],
                default=len(original))
    clause = original[left + 1:right].strip(" ,-")
    if len(clause) > 160:
        lo, hi = max(0, start - 70), min(len(original), end + 70)
        while lo > 0 and not original[lo - 1].isspace():
            lo -= 1
        while hi < len(original) and not original[hi].isspace():
            hi += 1
        clause = ("…" if lo > 0 else "") + original[lo:hi].strip() + ("…" if hi < len(original) else "")
    return clause
