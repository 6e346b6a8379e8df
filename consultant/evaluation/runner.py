"""Scripted eval conversations (CONTRACT section 3) through the real agent, and the nine-question baseline."""

from __future__ import annotations

import contextlib
import shutil
import statistics
import tempfile
import time
import uuid
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consultant.evaluation.scenario import Scenario, load_scenarios
from consultant.merge import reader_of
from consultant.profile import SLOTS, Profile
from consultant.scoring import recommend

MAX_USER_TURNS = 20
NOT_SURE = "I'm not sure."
LLM_FALLBACK = "The language model was unavailable"  # the start of nodes.understand's notice


def slot_check(expected: Any, got: Any) -> bool:
    """Enums must match exactly; integers within 10 %."""
    if isinstance(expected, bool) or not isinstance(expected, int | float):
        return expected == got
    return isinstance(got, int | float) and abs(got - expected) <= 0.1 * abs(expected)


def slot_outcome(expected: Any, got: Any) -> str:
    """ok, unknown (never filled: it cost a question at most) or wrong (filled with another value)."""
    if slot_check(expected, got):
        return "ok"
    return "unknown" if got is None else "wrong"


def _score_slots(expected: dict[str, Any], profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {slot: {"expected": value, "got": profile.get(slot), "ok": slot_check(value, profile.get(slot)),
                   "outcome": slot_outcome(value, profile.get(slot))}
            for slot, value in expected.items()}


@dataclass
class ScenarioResult:
    id: str
    expected: str
    got: str | None
    questions: int
    slots: dict[str, dict[str, Any]]
    turn_ms: list[float]
    mode: str
    error: str | None = None
    baseline_got: str | None = None
    baseline_questions: int | None = None
    transcript: list[dict[str, Any]] = field(default_factory=list)
    max_questions: int | None = None
    base_id: str = ""
    style: str | None = None
    readers: dict[str, str] = field(default_factory=dict)  # slot -> which reader decided its final value
    llm_fallbacks: int = 0  # turns the LLM path failed and the offline engine answered

    @property
    def correct(self) -> bool:
        return self.got == self.expected

    @property
    def within_max_questions(self) -> bool | None:
        return None if self.max_questions is None else self.questions <= self.max_questions

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "expected": self.expected, "got": self.got, "correct": self.correct,
                "questions": self.questions, "max_questions": self.max_questions,
                "within_max_questions": self.within_max_questions, "slots": self.slots, "mode": self.mode,
                "base_id": self.base_id, "style": self.style, "readers": self.readers,
                "llm_fallbacks": self.llm_fallbacks,
                "turn_ms_p50": round(statistics.median(self.turn_ms), 1) if self.turn_ms else None,
                "turn_ms_max": round(max(self.turn_ms), 1) if self.turn_ms else None,
                "total_ms": round(sum(self.turn_ms), 1), "error": self.error,
                "baseline": {"got": self.baseline_got, "questions": self.baseline_questions}}


def run_scenario(consultant: Any, s: Scenario) -> ScenarioResult:
    """One conversation through the real agent: persona mode answers its questions, script mode replays turns."""
    thread = f"eval-{s.id[:60]}-{uuid.uuid4().hex[:8]}"
    timings: list[float] = []
    questions = 0
    fallbacks = 0
    transcript: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}

    def result(got: str | None, turn: Any, mode: str, error: str | None = None) -> ScenarioResult:
        profile = turn.profile.values() if turn is not None else {}
        readers: dict[str, str] = {slot: reader_of(p) for slot, p in (turn.provenance if turn is not None else {}).items()}
        return ScenarioResult(s.id, s.expect_label, got, questions, _score_slots(s.expect_profile, profile), timings,
                              mode, error=error, transcript=transcript, max_questions=s.max_questions,
                              base_id=s.base_id, style=s.style, readers=readers, llm_fallbacks=fallbacks)

    def send(text: str) -> Any:
        nonlocal questions, fallbacks, seen
        start = time.perf_counter()
        turn = consultant.reply(thread, text)
        timings.append((time.perf_counter() - start) * 1000)
        changed = {slot: reader_of(p) for slot, p in turn.provenance.items() if seen.get(slot) != p}
        seen = dict(turn.provenance)
        transcript.append({"user": text, "agent": turn.message, "pending_slot": turn.pending_slot,
                           "readers": changed, "notices": list(turn.notices)})
        fallbacks += any(n.startswith(LLM_FALLBACK) for n in turn.notices)
        if turn.pending_slot:
            questions += 1
        return turn

    turn = None
    try:
        if s.answers is not None and s.turns is None:
            mode = "persona"
            turn = send(s.opening)
            for _ in range(MAX_USER_TURNS - 1):
                if turn.recommendation is not None and turn.pending_slot is None:
                    break
                turn = send(s.answers.get(turn.pending_slot or "", NOT_SURE))
            if not (turn.recommendation is not None and turn.pending_slot is None):
                return result(None, turn, mode, f"no recommendation after {MAX_USER_TURNS} user turns")
        else:
            mode = "script"
            for text in ([s.opening] if s.opening else []) + list(s.turns or []):
                turn = send(text)
            assert turn is not None
        got = turn.recommendation.label.value if turn.recommendation is not None else None
        if got is None and mode == "script":
            # no recommendation given yet: judge the scorer's current reading of the conversation
            got = recommend(turn.profile).label.value
        return result(got, turn, mode)
    except Exception as exc:  # one broken scenario never stops the run
        return result(None, turn, "error", f"{type(exc).__name__}: {exc}")


def run_baseline(s: Scenario) -> tuple[str | None, int]:
    """A static advisory quiz: all nine questions in order, whatever the answers, then the scorer."""
    from consultant import gate
    from consultant.nlu import read

    if s.answers is None:
        return None, 0
    profile = Profile()
    messages: list[tuple[str | None, str]] = [(None, s.opening)] + [(slot, s.answers.get(slot, NOT_SURE)) for slot in SLOTS]
    for pending, text in messages:
        result = gate.apply(profile, read(text, pending, profile.values()), text=text, pending=pending, proposals=[],
                            confirming=None, turn=None, when="baseline")
        profile = result.profile
    return recommend(profile).label.value, len(SLOTS)


@contextlib.contextmanager
def llm_endpoint(profile: str | None = None, url: str | None = None) -> Iterator[str | None]:
    """The base URL an eval's LLM path talks to: a fake server with a model profile, started on loopback for
    the run (`--llm eager`), a given URL (`--llm-url`), or None for the configured endpoint."""
    if profile:
        from consultant.evaluation.fake_openai import FakeOpenAI

        with FakeOpenAI(profile) as fake:
            yield fake.base_url
        return
    yield url


def run_eval(paths: list[Path], consultant: Any = None, baseline: bool = True, llm: bool = False,
             reader: str | None = None, llm_profile: str | None = None, llm_url: str | None = None) -> dict[str, Any]:
    """Run every scenario under `paths`; returns the report (CONTRACT section 3 fields and more). `llm_profile`
    runs against the fake server's model profile, `llm_url` against that endpoint (both imply `llm`)."""
    from consultant.evaluation.summary import summarise

    scenarios, problems = load_scenarios(paths)
    with llm_endpoint(llm_profile, llm_url) as base_url:
        owned = consultant is None
        if consultant is None:
            consultant = make_eval_consultant(llm=llm or base_url is not None, reader=reader, base_url=base_url)
        results = []
        try:
            for s in scenarios:
                r = run_scenario(consultant, s)
                if baseline:
                    r.baseline_got, r.baseline_questions = run_baseline(s)
                results.append(r)
        finally:
            if owned:
                consultant.close()
    summary = summarise(results, problems)
    llm_client = getattr(consultant, "llm", None)
    if llm_client is not None:
        summary["llm"] = {"profile": llm_profile, "url": llm_url, "method": llm_client.method,
                          "calls": llm_client.calls, "fallback_turns": sum(r.llm_fallbacks for r in results),
                          "dropped": dict(Counter(llm_client.dropped).most_common())}
    return {"summary": summary, "scenarios": [r.to_dict() for r in results],
            "transcripts": {r.id: r.transcript for r in results}}


def make_eval_consultant(llm: bool = False, reader: str | None = None, base_url: str | None = None,
                         store: Any = None) -> Any:
    """A consultant for evals: the shared knowledge store (`store`, or the configured one opened here), a throwaway
    checkpoint database, offline unless --llm (then the configured endpoint, or `base_url`). A caller that runs many
    sets passes one store to all of them: its warm search cache spares each new consultant the start-up searches.
    The checkpoint folder is removed when the consultant is collected or the process ends (each eval used to leave
    a few megabytes in the temp folder, thousands of them after a day of gate runs)."""
    from consultant.api import Consultant
    from consultant.config import get_settings
    from consultant.kb.store import open_store

    settings = get_settings()
    store = store if store is not None else open_store(settings)
    scratch = Path(tempfile.mkdtemp(prefix="consultant-eval-"))
    eval_settings = settings.model_copy(update={"consultant_data_dir": scratch})
    if not llm:
        eval_settings = eval_settings.model_copy(update={"openai_api_key": None, "openai_base_url": None})
    elif base_url is not None:
        eval_settings = eval_settings.model_copy(update={"openai_base_url": base_url})
    if reader is not None:
        eval_settings = eval_settings.model_copy(update={"consultant_reader": reader})
    consultant = Consultant(eval_settings, store=store)
    weakref.finalize(consultant, shutil.rmtree, scratch, ignore_errors=True)
    return consultant
