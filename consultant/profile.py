"""The decision profile: nine slots, their provenance and the history of corrections."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from consultant.errors import ProfileValidationError

Need = Literal["know_more", "behave_differently", "both"]
KnowledgeChange = Literal["daily", "weekly", "monthly", "quarterly", "yearly", "static"]
OutputType = Literal["factual_answers", "structured_output", "style_or_tone", "classification", "reasoning_pattern"]
Auditability = Literal["required", "preferred", "not_needed"]
Extractor = Literal["rules", "embedding", "llm", "user_edit", "default", "chosen"]
#: The nine slots of the contract, as a type every module shares (SLOTS below is the same list, in this order).
SlotName = Literal["need", "knowledge_change", "output_type", "latency_budget_ms", "auditability",
                   "monthly_queries", "context_tokens", "labeled_examples", "upfront_budget_usd"]


# Upper bounds of the integer slots: far beyond any real project, low enough that arithmetic on them (costs,
# flips) stays exact and finite. A figure above them is a typo or a joke ("1e308 queries"), never a fact.
MAX_LATENCY_MS = 86_400_000  # a day
MAX_MONTHLY_QUERIES = 10**12  # a trillion a month: beyond the largest public services
MAX_CONTEXT_TOKENS = 10_000_000  # beyond the largest context windows
MAX_LABELED_EXAMPLES = 10**11
MAX_BUDGET_USD = 10**11


@dataclass(frozen=True)
class SlotSpec:
    """What a slot captures and which values it takes (`values` is empty for integer slots)."""

    name: str
    dimension: str
    label: str
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    question: str = ""  # the slot as a person asks it, for panels and briefs

    @property
    def is_enum(self) -> bool:
        return bool(self.values)


SLOTS: dict[str, SlotSpec] = {
    s.name: s
    for s in (
        SlotSpec("need", "key question", "Need", get_args(Need),
                 question="Must it know more, behave differently, or both?"),
        SlotSpec("knowledge_change", "data volatility", "How often the knowledge changes", get_args(KnowledgeChange),
                 question="How often does the knowledge change?"),
        SlotSpec("output_type", "output type", "What it produces", get_args(OutputType),
                 question="What does it produce?"),
        SlotSpec("latency_budget_ms", "latency", "Response time", minimum=1, maximum=MAX_LATENCY_MS,
                 question="How fast must it answer (end to end)?"),
        SlotSpec("auditability", "auditability", "Citations", get_args(Auditability),
                 question="Must answers cite their sources?"),
        SlotSpec("monthly_queries", "budget / TCO", "Queries a month", minimum=0, maximum=MAX_MONTHLY_QUERIES,
                 question="How many queries a month?"),
        SlotSpec("context_tokens", "budget / TCO", "Retrieved context per query", minimum=0,
                 maximum=MAX_CONTEXT_TOKENS, question="How much retrieved text goes into each prompt?"),
        SlotSpec("labeled_examples", "training data", "Labeled examples", minimum=0, maximum=MAX_LABELED_EXAMPLES,
                 question="How many labeled examples could it learn from?"),
        SlotSpec("upfront_budget_usd", "budget distribution", "Budget before launch", minimum=0,
                 maximum=MAX_BUDGET_USD, question="What can you spend before launch?"),
    )
}
SLOT_NAMES: tuple[str, ...] = tuple(SLOTS)
if get_args(SlotName) != SLOT_NAMES:  # one vocabulary: the type and the specs can't drift apart
    raise RuntimeError(f"SlotName {get_args(SlotName)} and SLOTS {SLOT_NAMES} differ")
# Ordered from most to least volatile; "more than once a quarter" means the first three.
CHANGE_ORDER: tuple[str, ...] = get_args(KnowledgeChange)
VOLATILE_CHANGES = frozenset({"daily", "weekly", "monthly"})

SlotValue = str | int | None


class Provenance(BaseModel):
    """Where a slot value came from."""

    model_config = ConfigDict(frozen=True)

    source_message: str = Field(description="The user's words the value was read from.")
    extractor: Extractor
    confidence: float = Field(ge=0.0, le=1.0)
    turn: int | None = Field(default=None, description="Index of the user message in the conversation.")
    rule: str | None = Field(default=None, description="The lexicon entry or reader that produced the value, "
                             "so a misreading names its rule.")
    note: str | None = Field(default=None, description="What the reading assumed, e.g. an exchange rate.")
    answered: bool = Field(default=False, description="Given in answer to the slot's own question, chosen from its "
                           "choices or confirmed; False when read from a message about something else.")


class Correction(BaseModel):
    """One change of an already filled slot."""

    model_config = ConfigDict(frozen=True)

    slot: str
    old: SlotValue
    new: SlotValue
    at: str = Field(description="When: an ISO timestamp or a turn label supplied by the caller.")
    source_message: str = ""


class Profile(BaseModel):
    """One consultation's answers. Every slot may be unknown (None)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    need: Need | None = None
    knowledge_change: KnowledgeChange | None = None
    output_type: OutputType | None = None
    latency_budget_ms: int | None = Field(default=None, gt=0, le=MAX_LATENCY_MS, description="End-to-end budget in ms.")
    auditability: Auditability | None = None
    monthly_queries: int | None = Field(default=None, ge=0, le=MAX_MONTHLY_QUERIES)
    context_tokens: int | None = Field(default=None, ge=0, le=MAX_CONTEXT_TOKENS)
    labeled_examples: int | None = Field(default=None, ge=0, le=MAX_LABELED_EXAMPLES)
    upfront_budget_usd: int | None = Field(default=None, ge=0, le=MAX_BUDGET_USD)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    history: list[Correction] = Field(default_factory=list)

    def values(self) -> dict[str, SlotValue]:
        """slot -> value (None when unknown), in slot order."""
        return {name: getattr(self, name) for name in SLOT_NAMES}

    def known(self) -> dict[str, SlotValue]:
        return {k: v for k, v in self.values().items() if v is not None}

    def unknown(self) -> list[str]:
        return [k for k, v in self.values().items() if v is None]

    def with_values(self, **changes: SlotValue) -> Profile:
        """A copy with slot values replaced (validated); provenance is kept as is. Used for what-ifs."""
        data = self.values()
        data.update(changes)
        return make_profile(data)

    def assume(self, **changes: SlotValue) -> Profile:
        """A what-if copy without validation, for values the scorer generated itself (fast)."""
        return self.model_copy(update=changes)

    def update(
        self,
        slot: str,
        value: SlotValue,
        *,
        source_message: str,
        extractor: Extractor,
        confidence: float,
        at: str,
        turn: int | None = None,
        rule: str | None = None,
        note: str | None = None,
        answered: bool = False,
    ) -> Profile:
        """A copy with `slot` set; a changed value is recorded as a correction."""
        if slot not in SLOTS:
            raise ProfileValidationError(f"unknown slot '{slot}' (known: {', '.join(SLOT_NAMES)})")
        new = self.with_values(**{slot: value})
        old = getattr(self, slot)
        provenance = dict(self.provenance)
        history = list(self.history)
        if value is None:
            provenance.pop(slot, None)
        else:
            provenance[slot] = Provenance(
                source_message=source_message, extractor=extractor, confidence=confidence, turn=turn, rule=rule,
                note=note or None, answered=answered,
            )
        if old is not None and old != value:
            history.append(Correction(slot=slot, old=old, new=value, at=at, source_message=source_message))
        return new.model_copy(update={"provenance": provenance, "history": history})


def _short(value: Any) -> str:
    """A value for an error message: a 400-digit number is named by its size, not printed."""
    if isinstance(value, int) and abs(value) >= 10**15:  # past 4,300 digits str() itself refuses: count by log10
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else int(math.log10(abs(value))) + 1
        return f"a {digits}-digit number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(error: Mapping[str, Any]) -> str:
    field = ".".join(str(p) for p in error.get("loc", ())) or "profile"
    if error.get("type") == "extra_forbidden":
        return f"unknown slot '{field}' (known: {', '.join(SLOT_NAMES)})"
    spec = SLOTS.get(field)
    if spec and spec.is_enum:
        return f"{field}: {error['input']!r} is not one of {', '.join(spec.values)}"
    if spec and spec.maximum is not None and error.get("type", "") == "less_than_equal":
        return f"{field}: must be at most {spec.maximum:,}, got {_short(error.get('input'))}"
    if spec and spec.minimum is not None and error.get("type", "").startswith(("greater_than", "int")):
        bound = "greater than 0" if spec.minimum == 1 else "0 or more"
        return f"{field}: must be a whole number {bound}, got {_short(error.get('input'))}"
    return f"{field}: {error.get('msg', 'invalid value')}"


def make_profile(data: dict[str, Any]) -> Profile:
    """Build a Profile from plain data, raising ProfileValidationError naming each bad field."""
    if not isinstance(data, dict):
        raise ProfileValidationError(f"a profile must be a JSON object of slots, got {type(data).__name__}")
    cleaned = dict(data)
    for name, spec in SLOTS.items():
        value = cleaned.get(name)
        # bool is an int in Python; a true/false count is a typo, not a number.
        if not spec.is_enum and isinstance(value, bool | str | list | dict):
            raise ProfileValidationError(f"{name}: must be a whole number, got {_short(value)}")
        if not spec.is_enum and isinstance(value, float):
            if not value.is_integer():  # also NaN and infinities
                raise ProfileValidationError(f"{name}: must be a whole number, got {_short(value)}")
            cleaned[name] = int(value)
        if spec.is_enum and value is not None and not isinstance(value, str):
            raise ProfileValidationError(f"{name}: {_short(value)} is not one of {', '.join(spec.values)}")
    try:
        return Profile.model_validate(cleaned)
    except ValidationError as exc:
        raise ProfileValidationError("; ".join(_describe(e) for e in exc.errors())) from None
