"""The LLM seam: one structured reading of each user message through langchain-openai (the optional path)."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import BaseModel, Field, SecretStr

from consultant import prompts
from consultant.config import Settings
from consultant.errors import ConsultantError, LLMUnavailable
from consultant.grounding import grounded_side_answer
from consultant.merge import merge
from consultant.nlu import read as offline_read
from consultant.nlu.reading import Reading
from consultant.profile import (
    Auditability,
    KnowledgeChange,
    Need,
    OutputType,
    SlotName,
)
from consultant.tokens import count_tokens

if TYPE_CHECKING:
    from consultant.kb.store import Passage

Method = Literal["json_schema", "function_calling", "json_object"]
METHODS: tuple[Method, ...] = ("json_schema", "function_calling", "json_object")
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


@dataclass
class LLMTurn:
    """One message read by both readers: the merged reading, the checked side answer, what was dropped."""

    reading: Reading
    side_answer: str | None = None
    dropped: Counter[str] = field(default_factory=Counter)


_PROBED: dict[tuple[str, str], Method] = {}  # (base URL, model) -> the method that worked, once per process
_PROBE_LOCK = threading.Lock()
PROBE_MESSAGE = "Hello, we are planning a support assistant."
PROBE_ORDER: tuple[Method, ...] = ("json_schema", "json_object", "function_calling")
"""`auto` tries the methods in this order: json_schema is the most constrained; llama-server refuses forced tool
calls but parses json_schema and json_object (issue 13); function_calling is the last resort of older servers."""


class LLM:
    """Reads each user message with one structured call; raises LLMUnavailable on any failure."""

    def __init__(self, settings: Settings) -> None:
        if settings.consultant_llm_method not in (*METHODS, "auto"):
            raise ConsultantError(f"CONSULTANT_LLM_METHOD must be one of {', '.join(METHODS)} or auto")
        from langchain_openai import ChatOpenAI  # ~1.6 s: only on the LLM path

        self.settings = settings
        self.chat = ChatOpenAI(
            model=settings.consultant_model, base_url=settings.openai_base_url,
            api_key=SecretStr(settings.openai_api_key or "not-needed"),  # local servers ignore it; the SDK requires one
            timeout=settings.consultant_llm_timeout_s, max_retries=settings.consultant_llm_max_retries,
            temperature=0, max_completion_tokens=MAX_OUTPUT_TOKENS, use_responses_api=False)
        self._readers: dict[Method, Any] = {}
        # The schema travels in every request (response_format, tools, or the system prompt for json_object) and
        # counts against the budget; the SDK's wrapping (name, strict, additionalProperties) adds under 10 %.
        self._schema_json = json.dumps(TurnReading.model_json_schema())
        self._schema_tokens = int(count_tokens(self._schema_json) * 1.1)
        self._lock = threading.Lock()
        self.calls = 0
        self.dropped: Counter[str] = Counter()  # model values not applied, by reason (consultant.merge)
        self.prompt_tokens = 0  # total over all calls
        self.last_prompt_tokens = 0

    # --- the structured-output method -----------------------------------------------------------------------
    @property
    def method(self) -> Method:
        """The configured method, or for `auto` the one the probe found for this base URL (json_schema before)."""
        chosen = self.settings.consultant_llm_method
        if chosen != "auto":
            return cast(Method, chosen)
        return _PROBED.get(self._key, "json_schema")

    @property
    def _key(self) -> tuple[str, str]:
        return (self.settings.openai_base_url or "https://api.openai.com/v1", self.settings.consultant_model)

    def _reader(self, method: Method) -> Any:
        if method not in self._readers:
            self._readers[method] = self.chat.with_structured_output(
                TurnReading, method="json_mode" if method == "json_object" else method)
        return self._readers[method]

    def _system(self, method: Method) -> str:
        if method == "json_object":
            return prompts.TURN_SYSTEM + prompts.JSON_OBJECT_FORMAT.format(schema=self._schema_json)
        return prompts.TURN_SYSTEM

    def _call(self, method: Method, system: str, user: str) -> TurnReading:
        try:
            reading = self._reader(method).invoke([("system", system), ("human", user)])
        except Exception as exc:  # any failure of the call, the transport or the parsing: go offline
            raise LLMUnavailable(_failure(exc, self.settings.consultant_llm_timeout_s)) from exc
        if not isinstance(reading, TurnReading):
            raise LLMUnavailable("invalid structured answer")  # e.g. a tool call whose arguments are not JSON
        return reading

    def probe(self) -> Method:
        """For `auto`: the first method of PROBE_ORDER this server answers in, found once per base URL and model."""
        with _PROBE_LOCK:
            if self._key in _PROBED:
                return _PROBED[self._key]
            failures = []
            for method in PROBE_ORDER:
                user = prompts.TURN_USER.format(question="(none)", known="none yet", message=PROBE_MESSAGE,
                                                passages="(none)")
                with self._lock:
                    self.calls += 1
                try:
                    self._call(method, self._system(method), user)
                except LLMUnavailable as exc:
                    failures.append(f"{method}: {exc}")
                    continue
                _PROBED[self._key] = method
                return method
        raise LLMUnavailable("no structured-output method works (" + "; ".join(failures) + ")")

    # --- the prompt ------------------------------------------------------------------------------------------
    def build_prompt(self, text: str, pending: str | None, current: Mapping[str, object],
                     passages: Sequence[Passage]) -> tuple[str, str, int, int]:
        """(system, user, prompt tokens, passages shown): passages, then known slots, trimmed to the budget."""
        budget = self.settings.consultant_turn_token_budget
        system_prompt = self._system(self.method)
        fixed = (0 if self.method == "json_object" else self._schema_tokens) + count_tokens(system_prompt) + \
            MESSAGE_OVERHEAD
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
        return system_prompt, user, fixed + count_tokens(user), len(blocks)

    # --- one turn --------------------------------------------------------------------------------------------
    def read(self, text: str, pending: str | None, current: Mapping[str, object], passages: Sequence[Passage],
             choices: Sequence[dict[str, object]] = (), reader: str = "both") -> LLMTurn:
        """The offline reading of the message, checked and completed by the model's (see consultant.merge)."""
        offline = offline_read(text, pending, current, list(choices), reader=cast(Any, reader))
        if offline.intent in ("instruction", "choice", "other_language"):
            return LLMTurn(offline)  # an instruction is never sent to the model to be read for slots
        if self.settings.consultant_llm_method == "auto":
            self.probe()
        system, user, tokens, shown = self.build_prompt(text, pending, current, passages)
        with self._lock:
            self.calls += 1
            self.prompt_tokens += tokens
            self.last_prompt_tokens = tokens
        reading = self._call(self.method, system, user)
        merged, dropped = merge(offline, reading, text, pending, current)
        side_answer, refused = grounded_side_answer(reading, list(passages)[:shown], system)
        if refused:
            dropped[f"side_answer_{refused}"] += 1
        with self._lock:
            self.dropped.update(dropped)
        return LLMTurn(merged, side_answer, dropped)


