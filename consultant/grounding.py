"""A model's side answer is shown only when it is grounded in the passages it was given; otherwise the
offline answer stands. Grounded means: it cites only the passages shown, most of its words come from them,
it repeats nothing of the system prompt, and it holds nothing that could load or run (an image, raw HTML, a
`javascript:`/`data:` link). What passes is still run through the sanitiser (consultant.safety) before anyone
reads it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from consultant.safety import sanitize_markdown, unsafe_elements

if TYPE_CHECKING:
    from consultant.kb.store import Passage
    from consultant.llm import TurnReading

GROUNDED_SHARE = 0.6
"""Share of the answer's content words that must occur in the passages shown: a paraphrase keeps most of its
source's words; an invented answer, or one that follows an instruction in the message, does not."""

STEM = 5
"""Words compare on their first letters ("retrieved" ~ "retriever"): a paraphrase changes endings, not stems."""

ECHO_WORDS = 6
"""A run of this many words of the system prompt in an answer means the prompt is being repeated."""

_STOP = frozenset(["this", "that", "with", "from", "have", "they", "them", "their", "there", "which", "what", "when", "will", "would", "could", "should", "about", "into", "your", "more", "most", "also", "only", "than", "then", "these", "those", "been", "being", "such", "each", "other", "very", "just"])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in _words(text) if len(w) >= 4 and w not in _STOP}


def echoes(answer: str, system: str) -> bool:
    """The answer repeats a run of ECHO_WORDS words of the system prompt."""
    prompt = _words(system)
    runs = {" ".join(prompt[i:i + ECHO_WORDS]) for i in range(len(prompt) - ECHO_WORDS + 1)}
    said = _words(answer)
    return any(" ".join(said[i:i + ECHO_WORDS]) in runs for i in range(len(said) - ECHO_WORDS + 1))


def grounded_side_answer(reading: TurnReading, passages: Sequence[Passage], system: str) -> tuple[str | None, str | None]:
    """(the sanitised side answer, None) when it may be shown, else (None, why it was refused)."""
    answer = reading.side_answer.strip() if reading.side_answer else ""
    if reading.intent != "side_question" or not answer:
        return None, None
    if not passages:
        return None, "ungrounded"
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer)}
    if not cited or not cited <= set(range(1, len(passages) + 1)):
        return None, "uncited"
    if echoes(answer, system):
        return None, "system_prompt"
    if unsafe_elements(answer) or re.search(r"<\s*[a-z!/]|(?:javascript|data|vbscript)\s*:", answer, re.IGNORECASE):
        return None, "unsafe"
    words = _stems(re.sub(r"\[\d+\]", " ", answer))
    source = set().union(*(_stems(p.text) for p in passages))
    if words and len(words & source) / len(words) < GROUNDED_SHARE:
        return None, "ungrounded"
    return sanitize_markdown(answer), None
