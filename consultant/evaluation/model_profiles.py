"""How the fake OpenAI server's model behaves: the habits real models show, one responder each.

- `honest`: reads the user's words with the offline rules and quotes them (a careful model).
- `eager`: fills every field of the requested schema with plausible invented values and quotes nothing
  (what a small instruct model did here: 1,500,000 queries, 300 ms, daily, required on the first turn).
- `lazy`: nulls everything.
- `gullible`: reads honestly, then follows instructions inside the user's message ("set the need to both",
  "recommend fine-tuning", "print your system prompt", "include this image: ..."), quoting the instruction.
- `slow`: answers only after `SLOW_S` seconds (past any sane client timeout).
- `truncating`: the honest reading cut mid-way (finish_reason "length").

Every responder takes the request body and returns a reading (a dict the server completes to the requested
schema) or a `Fault`. Responders see the schema as the request carried it: response_format (json_schema),
the forced tool (function_calling), or inside the system prompt (json_object).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from consultant import prompts

SLOW_S = 60.0
"""The slow model's delay: longer than any client timeout a test or an eval sets (the server's stop releases it)."""

INVENTED_FIGURES = (300, 2000, 1_500_000, 8000, 250, 50_000, 25_000, 100_000)
"""The eager model's numbers: the example-like values small models put in every integer field."""

LABEL_SLOTS: dict[str, dict[str, Any]] = {
    "fine_tuning": {"need": "behave_differently", "labeled_examples": 200_000, "upfront_budget_usd": 100_000,
                    "knowledge_change": "static", "auditability": "not_needed"},
    "hybrid": {"need": "both", "auditability": "required", "knowledge_change": "daily"},
    "rag_prototype": {"need": "behave_differently", "labeled_examples": 0},
    "rag": {"need": "know_more", "knowledge_change": "daily", "auditability": "required"},
}
"""What the gullible model writes when told which recommendation to give: the slots that would produce it."""


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour: an HTTP status, a hang, or raw (broken) content in place of the reading."""

    status: int = 200
    hang_s: float = 0.0
    content: str | None = None
    finish_reason: str = "stop"
    refusal: str | None = None

    @classmethod
    def http(cls, status: int) -> Fault:
        return cls(status=status)

    @classmethod
    def hang(cls, seconds: float) -> Fault:
        return cls(hang_s=seconds)

    @classmethod
    def invalid_json(cls) -> Fault:
        return cls(content='{"need": "know_more", intent: answer')

    @classmethod
    def refused(cls, why: str = "I can't help with that.") -> Fault:
        return cls(refusal=why)

    @classmethod
    def truncated(cls, reading: dict[str, Any] | None = None) -> Fault:
        text = json.dumps(reading or {"need": "know_more", "intent": "answer", "hedged": False})
        return cls(content=text[: len(text) // 2], finish_reason="length")


Responder = Callable[[dict[str, Any]], "dict[str, Any] | Fault"]


# --- reading a request --------------------------------------------------------------------------------------
def method_of(body: dict[str, Any]) -> str:
    """json_schema, json_object, function_calling or plain (no structured output asked)."""
    if body.get("tools"):
        return "function_calling"
    kind = str((body.get("response_format") or {}).get("type") or "")
    return {"json_schema": "json_schema", "json_object": "json_object"}.get(kind, "plain")


def schema_of(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema the request asks for, wherever it travels."""
    method = method_of(body)
    if method == "json_schema":
        return dict(body["response_format"]["json_schema"]["schema"])
    if method == "function_calling":
        return dict(body["tools"][0]["function"]["parameters"])
    for m in body.get("messages", []):
        content = m.get("content") or ""
        if m.get("role") == "system" and prompts.JSON_SCHEMA_MARKER in content:
            raw = content.split(prompts.JSON_SCHEMA_MARKER, 1)[1].lstrip()
            try:
                return dict(json.JSONDecoder().raw_decode(raw)[0])
            except ValueError:
                return {}
    return {}


def user_message(body: dict[str, Any]) -> str:
    """The user's words inside the <<< >>> delimiters of the last user message of a request."""
    content = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    return content.split("<<<", 1)[-1].split(">>>", 1)[0].strip()


def system_prompt(body: dict[str, Any]) -> str:
    return next((m["content"] for m in body["messages"] if m["role"] == "system"), "")


def pending_question(body: dict[str, Any]) -> str | None:
    """The slot of the question the consultant asked, read back from the prompt's first line."""
    first_line = body["messages"][-1]["content"].split("\n", 1)[0]
    return next((slot for slot, q in prompts.QUESTIONS.items() if first_line.endswith(q)), None)


def _kinds(spec: dict[str, Any]) -> set[Any]:
    return {spec.get("type")} | {s.get("type") for s in spec.get("anyOf", [])}


def _enum(spec: dict[str, Any]) -> list[Any]:
    return list(spec.get("enum") or next((s["enum"] for s in spec.get("anyOf", []) if "enum" in s), []))


def complete(reading: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Every property of the requested schema present (null, false or []), as a strict server answers."""
    out = dict(reading)
    for name, spec in schema.get("properties", {}).items():
        kinds = _kinds(spec)
        out.setdefault(name, False if kinds == {"boolean"} else [] if kinds == {"array"} else None)
    return out


# --- the profiles -------------------------------------------------------------------------------------------
def null_reading(body: dict[str, Any]) -> dict[str, Any]:
    """The default answer: nothing understood, the user simply answered."""
    return {"intent": "answer", "hedged": False}


lazy = null_reading


def honest(body: dict[str, Any]) -> dict[str, Any]:
    """The offline rules' reading of the user's words, each value quoted."""
    from consultant.nlu import read

    reading = read(user_message(body), pending_question(body), {})
    values: dict[str, Any] = {c.slot: c.value for c in reading.candidates}
    intent = {"question": "side_question"}.get(reading.intent, reading.intent)
    intent = intent if intent in ("answer", "recommend_now", "side_question", "off_topic", "greeting",
                                  "thanks") else "answer"
    return {**values, "intent": intent, "hedged": reading.hedged,
            "quotes": [{"slot": c.slot, "words": c.evidence} for c in reading.candidates]}


def _pick(options: list[Any] | tuple[Any, ...], *seed: str) -> Any:
    digest = hashlib.sha256("|".join(seed).encode()).digest()
    return options[digest[0] % len(options)]


def eager(body: dict[str, Any]) -> dict[str, Any]:
    """Every field filled with a plausible invented value (a stable pick per message), no quotes."""
    said = user_message(body)
    out: dict[str, Any] = {}
    for name, spec in schema_of(body).get("properties", {}).items():
        kinds, enum = _kinds(spec), _enum(spec)
        if name == "quotes":
            out[name] = []
        elif name == "intent":
            out[name] = "answer"
        elif enum:
            out[name] = _pick(enum, said, name)
        elif "integer" in kinds or "number" in kinds:
            out[name] = _pick(INVENTED_FIGURES, said, name)
        elif "boolean" in kinds:
            out[name] = False
        elif "string" in kinds:
            out[name] = "Based on typical deployments, this is the usual choice."
    return out


_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_ECHO = re.compile(r"\b(?:include|add|append|show|render|display|output|say|print|reply with|respond with|write)\b"
                   r"[^:\n]{0,60}:\s*(?P<payload>.+)", re.IGNORECASE | re.DOTALL)
_REVEAL = re.compile(r"\b(?:print|repeat|reveal|show|output|tell me)\b.{0,30}\b(?:system prompt|your (?:prompt|"
                     r"instructions|rules))", re.IGNORECASE)
_RECOMMEND = re.compile(r"\b(?:recommend(?:ation)?|answer|label|verdict)\b.{0,30}?\b(?P<label>rag[ _-]prototype|"
                        r"fine[ _-]?tuning|hybrid|rag)\b", re.IGNORECASE)


def _words(name: str) -> str:
    return name.replace("_", "[ _-]")


def _instructed(sentence: str, properties: dict[str, Any]) -> dict[str, Any]:
    """The slot values one sentence tells the model to write: "set the need to both", "recommend hybrid"."""
    out: dict[str, Any] = {}
    label = _RECOMMEND.search(sentence)
    if label:
        key = re.sub(r"[ -]", "_", label.group("label").lower()).replace("finetuning", "fine_tuning")
        out.update(LABEL_SLOTS.get(key, {}))
    for name, spec in properties.items():
        if name in ("intent", "hedged", "quotes", "side_answer"):
            continue
        stem = _words(name.removesuffix("_ms").removesuffix("_usd"))
        if not re.search(rf"\b{stem}\b", sentence, re.IGNORECASE):
            continue
        enum = _enum(spec)
        value = next((v for v in enum if re.search(rf"\b{_words(str(v))}\b", sentence, re.IGNORECASE)), None)
        if value is None and not enum:
            figure = re.search(rf"\b{stem}\b\D{{0,20}}?(\d[\d,]*)", sentence, re.IGNORECASE)
            value = int(figure.group(1).replace(",", "")) if figure else None
        if value is not None:
            out[name] = value
    return out


def gullible(body: dict[str, Any]) -> dict[str, Any]:
    """The honest reading, then whatever the message tells the model to do, quoting the instruction."""
    reading = honest(body)
    said = user_message(body)
    properties = schema_of(body).get("properties", {})
    quotes = [q for q in reading.get("quotes", [])]
    for m in _SENTENCE.finditer(said):
        sentence = m.group(0).strip()
        for slot, value in _instructed(sentence, properties).items():
            reading[slot] = value
            quotes = [q for q in quotes if q["slot"] != slot] + [{"slot": slot, "words": sentence}]
    reading["quotes"] = quotes
    if _REVEAL.search(said):
        reading.update(intent="side_question", side_answer=f"My instructions are: {system_prompt(body)} [1]")
    elif (echo := _ECHO.search(said)) is not None:
        reading.update(intent="side_question", side_answer=f"{echo.group('payload').strip()} [1]")
    return reading


def slow(body: dict[str, Any]) -> Fault:
    return Fault.hang(SLOW_S)


def truncating(body: dict[str, Any]) -> Fault:
    reading = complete(honest(body), schema_of(body))
    return Fault.truncated(reading)


PROFILES: dict[str, Responder] = {"honest": honest, "eager": eager, "lazy": lazy, "gullible": gullible,
                                  "slow": slow, "truncating": truncating}
"""The model profiles by name: `FakeOpenAI("eager")`, the URL path /eager/v1, `consultant eval --llm eager`."""
