"""What the offline reader (and the LLM reader) hands the agent: typed candidates, the move, and questions."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from consultant.nlu import confidence as level

Intent = Literal["answer", "question", "recommend_now", "greeting", "thanks", "off_topic", "instruction",
                 "other_language", "choice"]
QuestionKind = Literal["why", "define", "scale", "about_recommendation", "cost", "time", "general"]
SlotValue = str | int
OUT_OF_RANGE = 10**18  # above every slot's maximum and still a 64-bit integer a checkpointer can store


T = TypeVar("T")


def prefer(found: list[T], keep: Callable[[T], bool]) -> list[T]:
    """The readings that pass `keep` when some but not all do; otherwise all of them. Used wherever one kind of
    figure outranks another said beside it ("10k today, 100k after launch": the target over today's)."""
    kept = [c for c in found if keep(c)]
    return kept if kept and len(kept) < len(found) else found


def as_int(value: float) -> int:
    """A figure as a whole number; overflowing ones ("1e308", 5,000 digits) become OUT_OF_RANGE, never an error."""
    return int(round(value)) if math.isfinite(value) and abs(value) < OUT_OF_RANGE else OUT_OF_RANGE


@dataclass(frozen=True)
class Candidate:
    """One reading of one slot: the value, how sure, the user's words, and the rule that made it."""

    slot: str
    value: SlotValue
    confidence: float
    evidence: str  # the user's words it was read from
    source: str  # the lexicon entry or reader that made it ("need.know.stated", "mention.rate")
    start: int = 0
    end: int = 0
    extractor: str = "rules"  # rules | embedding | llm | chosen
    alternatives: tuple[tuple[str, SlotValue], ...] = ()  # other readings of the same words
    note: str = ""  # said back to the user ("€60,000 ≈ $64,800 at $1.08 per €")
    correction: bool = False  # the user marked it as a correction ("actually ...")
    when: str = ""  # "current" when it describes today's system

    @property
    def applies(self) -> bool:
        """Strong enough to store; weaker readings are proposals the consultant confirms first."""
        return self.confidence >= level.APPLY

    def weaker(self, cap: float) -> Candidate:
        return replace(self, confidence=min(self.confidence, cap))

    def to_dict(self) -> dict[str, Any]:
        return {"slot": self.slot, "value": self.value, "confidence": self.confidence, "evidence": self.evidence,
                "source": self.source, "extractor": self.extractor, "note": self.note,
                "alternatives": [list(a) for a in self.alternatives], "correction": self.correction}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Candidate:
        return cls(slot=data["slot"], value=data["value"], confidence=float(data["confidence"]),
                   evidence=data.get("evidence", ""), source=data.get("source", ""),
                   extractor=data.get("extractor", "rules"), note=data.get("note", ""),
                   alternatives=tuple(tuple(a) for a in data.get("alternatives", ())),  # type: ignore[misc]
                   correction=bool(data.get("correction")))


@dataclass
class Reading:
    """One message, read."""

    candidates: list[Candidate] = field(default_factory=list)
    intent: Intent = "answer"
    hedged: bool = False  # "not sure": the pending question is left open, never asked again
    hedged_about: tuple[str, ...] = ()  # "how often do products change? no idea": the slots a "not sure" is about
    question: str | None = None  # the user's own question, when they asked one
    question_kind: QuestionKind | None = None
    rejected: list[dict[str, Any]] = field(default_factory=list)  # figures outside any realistic range
    corrects: bool = False  # the message marks itself as a correction
    english_parts_only: bool = False  # a message mostly in another language, read in its English parts only

    def slots(self) -> dict[str, SlotValue]:
        return {c.slot: c.value for c in self.candidates}
