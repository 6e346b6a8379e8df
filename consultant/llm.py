"""The LLM seam: one structured reading of each user message through langchain-openai (the optional path)."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, cast

from pydantic import BaseModel, Field, SecretStr

from consultant import prompts
from consultant.config import Settings
from consultant.errors import ConsultantError, LLMUnavailable, ProfileValidationError
from consultant.nlu import confidence as level
from consultant.nlu import read as offline_read
from consultant.nlu.numbers import find_figures
from consultant.nlu.reading import Candidate, Reading
from consultant.nlu.text import working_copy
from consultant.profile import (
    SLOT_NAMES,
    Auditability,
    KnowledgeChange,
    Need,
    OutputType,
    SlotName,
    make_profile,
)
from consultant.tokens import count_tokens

if TYPE_CHECKING:
    from consultant.kb.store import Passage

METHODS = ("json_schema", "function_calling")
MAX_OUTPUT_TOKENS = 600
PASSAGE_TOKENS = 320  # one knowledge chunk is at most ~300 tokens
MESSAGE_OVERHEAD = 12  # chat framing per request (role markers, reply priming), as OpenAI counts it

#: The moves the model may report: its own vocabulary (the JSON schema it answers in), not the reader's
#: `consultant.nlu.reading.Intent`: the merged reading keeps the offline intent, except that the model's
#: side_question turns an "answer" that filled nothing into a "question" (`merge`).
ModelIntent = Literal["answer", "recommend_now", "side_question", "off_topic", "injection", "greeting", "thanks"]


class Quote(BaseModel):
    """The user's words behind one filled slot."""

    slot: SlotName
    words: str = Field(description="The shortest phrase of the user's message stating the value, copied verbatim.")


class TurnReading(BaseModel):
    """What the user's latest message says about their project. Null every slot the message does not state."""

    need: Need | None = Field(default=None, description="know_more: must know facts, documents, policies; "
                              "behave_differently: format, tone, labels, jargon, reasoning style; both.")
    knowledge_change: KnowledgeChange | None = Field(
        default=None, description="How often the knowledge it relies on changes; every sprint -> weekly.")
    output_type: OutputType | None = Field(default=None, description="What it must produce.")
    latency_budget_ms: int | None = Field(default=None, description="End-to-end response time in ms; 2 s -> 2000.")
    auditability: Auditability | None = Field(default=None, description="Must answers be traced to sources?")
    monthly_queries: int | None = Field(default=None, description="Queries per month; 50k a day -> 1500000.")
    context_tokens: int | None = Field(default=None, description="Tokens of retrieved context per prompt.")
    labeled_examples: int | None = Field(default=None, description="Labeled training examples; none -> 0.")
    upfront_budget_usd: int | None = Field(default=None, description="Spend before launch in USD; 25k -> 25000.")
    quotes: list[Quote] = Field(default_factory=list, description="One quote per slot filled above.")
    intent: ModelIntent = Field(description="The user's move in this message.")
    hedged: bool = Field(default=False, description="True when the user does not know the answer to the question "
                         "asked (not sure, no idea, skip) and gives no value for it.")
    side_answer: str | None = Field(default=None, description="Only for side_question: 2-4 sentences from the "
                                    "passages alone, citing them as [1], [2]; null if they do not cover it.")


def _trim(text: str, tokens: int) -> str:
    """`text` cut at a word boundary to at most `tokens` tokens."""
    if count_tokens(text) <= tokens:
        return text
    cut = text[: tokens * 4]
    while cut and count_tokens(cut + " …") > tokens:
        cut = cut[: int(len(cut) * 0.9)]
    return cut.rsplit(" ", 1)[0] + " …" if cut else ""


def _defuse(text: str) -> str:
    """The user's text with the prompt's delimiters broken, so it cannot close its own quotation."""
    return re.sub(r"<{3,}|>{3,}", lambda m: " ".join(m.group(0)), text)


def _failure(exc: Exception, timeout_s: float) -> str:
    """A short, user-facing reason for a failed call."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return f"no answer within {timeout_s:g} s"
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        return "rate limited" if code == 429 else f"server error {code}" if code >= 500 else f"request refused ({code})"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect"
    if isinstance(exc, openai.LengthFinishReasonError):
        return "truncated answer"
    if "Refusal" in type(exc).__name__:
        return "the model refused"
    return "invalid structured answer"


class LLM:
    """Reads each user message with one structured call; raises LLMUnavailable on any failure."""

    def __init__(self, settings: Settings) -> None:
        if settings.consultant_llm_structured_method not in METHODS:
            raise ConsultantError(f"CONSULTANT_LLM_STRUCTURED_METHOD must be one of {', '.join(METHODS)}")
        from langchain_openai import ChatOpenAI  # ~1.6 s: only on the LLM path

        self.settings = settings
        self.chat = ChatOpenAI(
            model=settings.consultant_model, base_url=settings.openai_base_url,
            api_key=SecretStr(settings.openai_api_key or "not-needed"),  # local servers ignore it; the SDK requires one
            timeout=settings.consultant_llm_timeout_s, max_retries=settings.consultant_llm_max_retries,
            temperature=0, max_completion_tokens=MAX_OUTPUT_TOKENS, use_responses_api=False)
        method = cast(Literal["json_schema", "function_calling"], settings.consultant_llm_structured_method)
        self.reader = self.chat.with_structured_output(TurnReading, method=method)
        # The schema travels in every request (response_format or tools) and counts against the budget;
        # the SDK's wrapping (name, strict, additionalProperties) adds under 10 %.
        self._schema_tokens = int(count_tokens(json.dumps(TurnReading.model_json_schema())) * 1.1)
        self._lock = threading.Lock()
        self.calls = 0
        self.dropped: Counter[str] = Counter()  # model values not applied: unquoted, out_of_range, disagreed
        self.prompt_tokens = 0  # total over all calls
        self.last_prompt_tokens = 0

    # --- the prompt ------------------------------------------------------------------------------------------
    def build_prompt(self, text: str, pending: str | None, current: Mapping[str, object],
                     passages: Sequence[Passage]) -> tuple[str, str, int, int]:
        """(system, user, prompt tokens, passages shown): passages, then known slots, trimmed to the budget."""
        budget = self.settings.consultant_turn_token_budget
        fixed = self._schema_tokens + count_tokens(prompts.TURN_SYSTEM) + MESSAGE_OVERHEAD
        fields = {"question": prompts.QUESTIONS.get(pending or "", "(none)"), "message": _defuse(text),
                  "known": ", ".join(f"{k}={v}" for k, v in current.items() if v is not None) or "none yet",
                  "passages": "(none)"}
        used = fixed + count_tokens(prompts.TURN_USER.format(**fields))
        if used > budget:
            fields["known"] = "(omitted)"
            used = fixed + count_tokens(prompts.TURN_USER.format(**fields))
            if used > budget:
                raise LLMUnavailable("message too long for the token budget")
        blocks: list[str] = []
        for i, p in enumerate(passages, 1):
            room = budget - used - 8
            if room < 40:
                break
            block = f"[{i}] {p.source} › {p.heading.split(' > ')[-1]}\n{_trim(p.text, min(room, PASSAGE_TOKENS))}"
            blocks.append(block)
            used = fixed + count_tokens(prompts.TURN_USER.format(**{**fields, "passages": "\n\n".join(blocks)}))
        if blocks:
            fields["passages"] = "\n\n".join(blocks)
        user = prompts.TURN_USER.format(**fields)
        return prompts.TURN_SYSTEM, user, fixed + count_tokens(user), len(blocks)

    # --- one turn --------------------------------------------------------------------------------------------
    def read(self, text: str, pending: str | None, current: Mapping[str, object], passages: Sequence[Passage],
             choices: Sequence[dict[str, object]] = ()) -> tuple[Reading, str | None]:
        """The offline reading of the message, checked and completed by the model's (see `merge`)."""
        offline = offline_read(text, pending, current, list(choices))
        if offline.intent in ("instruction", "choice", "other_language"):
            return offline, None  # an instruction is never sent to the model to be read for slots
        system, user, tokens, shown = self.build_prompt(text, pending, current, passages)
        with self._lock:
            self.calls += 1
            self.prompt_tokens += tokens
            self.last_prompt_tokens = tokens
        try:
            reading = self.reader.invoke([("system", system), ("human", user)])
        except Exception as exc:  # any failure of the call, the transport or the parsing: go offline
            raise LLMUnavailable(_failure(exc, self.settings.consultant_llm_timeout_s)) from exc
        if not isinstance(reading, TurnReading):
            raise LLMUnavailable("invalid structured answer")  # e.g. a tool call whose arguments are not JSON
        merged, dropped = merge(offline, reading, text, pending)
        with self._lock:
            self.dropped.update(dropped)
        return merged, self._side_answer(reading, shown)

    def _side_answer(self, reading: TurnReading, shown: int) -> str | None:
        side_answer = reading.side_answer.strip() if reading.side_answer else None
        if reading.intent != "side_question" or not shown:
            return None
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", side_answer or "")}
        if side_answer and (not cited or not cited <= set(range(1, shown + 1))):
            raise LLMUnavailable("side answer not grounded in the passages given")
        return side_answer


def _quoted(text: str, quote: str, value: object) -> bool:
    """The quote is the user's own words and, for a figure, contains it (read back by the offline number reader)."""
    said = working_copy(" ".join(text.split()))
    words = working_copy(" ".join(quote.split()))
    if not words.strip() or words not in said:
        return False
    if isinstance(value, int) and not isinstance(value, bool):
        if value == 0:
            return re.search(r"\b(?:no|none|zero|nothing|0|not any|don't have|do not have)\b", words) is not None
        figures = [f.value for f in find_figures(words)]
        return any(f and abs(value - f) / max(abs(f), 1) < 0.01 or _scaled(value, f) for f in figures)
    return True


def _scaled(value: int, figure: float) -> bool:
    """"50k a day" -> 1,500,000 a month; "2 s" -> 2,000 ms: the figure times a unit or period factor."""
    return figure > 0 and any(abs(value - figure * factor) / max(value, 1) < 0.02
                              for factor in (1000, 30, 52 / 12, 1 / 12, 720, 43_200, 2_592_000, 60_000))


def merge(offline: Reading, reading: TurnReading, text: str, pending: str | None) -> tuple[Reading, Counter[str]]:
    """The LLM as a second reader, never the only one.

    A value the model gives counts only with a quote of the user's words that supports it (it contains the
    figure, for numbers); unquoted values are dropped. Where both readers agree the value is applied; where they
    disagree, the two readings become one proposal with both choices (the consultant confirms it if it could
    change the recommendation); a quoted value the offline reader missed is added.
    """
    quotes: dict[str, str] = {str(q.slot): q.words for q in reading.quotes}
    by_slot = {c.slot: c for c in offline.candidates}
    dropped: Counter[str] = Counter()
    merged: dict[str, Candidate] = dict(by_slot)
    for slot in SLOT_NAMES:
        value = getattr(reading, slot)
        if value is None:
            continue
        try:
            make_profile({slot: value})
        except ProfileValidationError:
            dropped["out_of_range"] += 1  # the offline reader reports figures like that itself
            continue
        quote = quotes.get(slot, "")
        if not _quoted(text, quote, value):
            dropped["unquoted"] += 1  # no supporting words of the user: an invented or example value
            continue
        own = by_slot.get(slot)
        confidence = level.ANSWER if slot == pending else level.STATED
        if reading.hedged:
            confidence = min(confidence, level.HEDGED_CAP)
        if own is None:
            merged[slot] = Candidate(slot, value, confidence, quote.strip()[:160], "llm", extractor="llm")
        elif own.value == value:
            merged[slot] = Candidate(**{**own.__dict__, "confidence": max(own.confidence, confidence),
                                        "source": f"{own.source}+llm", "extractor": "llm"})
        else:
            dropped["disagreed"] += 1
            merged[slot] = Candidate(**{**own.__dict__, "confidence": min(own.confidence, level.WEAK),
                                        "alternatives": ((slot, value),), "source": f"{own.source}|llm"})
    out = Reading(candidates=list(merged.values()), intent=offline.intent, hedged=offline.hedged,
                  question=offline.question, question_kind=offline.question_kind, rejected=offline.rejected,
                  corrects=offline.corrects)
    if out.intent == "answer" and reading.intent == "side_question" and not out.candidates:
        out.intent, out.question = "question", text.strip()
    return out, dropped
