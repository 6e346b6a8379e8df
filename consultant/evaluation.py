"""Scripted eval conversations (CONTRACT section 3): persona and script mode, the fixed-questionnaire baseline."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from consultant.profile import SLOTS, Profile
from consultant.scoring import Label, recommend

MAX_USER_TURNS = 20
NOT_SURE = "I'm not sure."
LABELS = {label.value for label in Label}


@dataclass
class Scenario:
    id: str
    path: str
    expect_label: str
    expect_profile: dict[str, Any]
    opening: str = ""
    answers: dict[str, str] | None = None
    turns: list[str] | None = None
    max_questions: int | None = None
    title: str = ""


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
                "turn_ms_p50": round(statistics.median(self.turn_ms), 1) if self.turn_ms else None,
                "turn_ms_max": round(max(self.turn_ms), 1) if self.turn_ms else None,
                "total_ms": round(sum(self.turn_ms), 1), "error": self.error,
                "baseline": {"got": self.baseline_got, "questions": self.baseline_questions}}


def _line_of(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}" if mark is not None else "unknown line"


def load_scenarios(paths: list[Path]) -> tuple[list[Scenario], list[str]]:
    """Scenarios from files and folders (*.yaml, *.yml below them); problems are reported, never fatal."""
    files: list[Path] = []
    problems: list[str] = []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file())
        elif p.is_file():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or folder")
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for f in files:
        try:
            doc = yaml.safe_load(f.read_text("utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{f}: {_line_of(exc)}: invalid YAML ({getattr(exc, 'problem', exc)})")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{f}: cannot read ({exc})")
            continue
        error = _validate(doc)
        if error:
            problems.append(f"{f}: {error}")
            continue
        sid = str(doc["id"])
        if sid in seen:
            problems.append(f"{f}: duplicate id '{sid}'")
            continue
        seen.add(sid)
        expect = doc["expect"]
        scenarios.append(Scenario(
            id=sid, path=str(f), expect_label=expect["recommendation"], expect_profile=dict(expect.get("profile") or {}),
            opening=str(doc.get("opening") or ""), answers={str(k): str(v) for k, v in (doc.get("answers") or {}).items()}
            if doc.get("answers") is not None else None,
            turns=[str(t) for t in doc["turns"]] if doc.get("turns") is not None else None,
            max_questions=expect.get("max_questions"), title=str(doc.get("title") or "")))
    return scenarios, problems


def _canonical(value: Any) -> Any:
    """"Fine-tuning", "RAG", "know more" -> the contract's spelling; numbers written as text -> numbers."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", text):
            number = float(text.replace(",", ""))
            return int(number) if number.is_integer() else number
        return re.sub(r"[\s-]+", "_", text.lower())
    return value


def _validate(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return "not a mapping of scenario fields"
    if not doc.get("id"):
        return "missing 'id'"
    expect = doc.get("expect")
    if isinstance(expect, dict):
        expect["recommendation"] = _canonical(expect.get("recommendation"))
        if isinstance(expect.get("profile"), dict):
            expect["profile"] = {str(k): _canonical(v) for k, v in expect["profile"].items()}
    if not isinstance(expect, dict) or expect.get("recommendation") not in LABELS:
        return f"expect.recommendation must be one of {', '.join(sorted(LABELS))}"
    if doc.get("answers") is None and doc.get("turns") is None:
        return "needs 'answers' (persona mode) or 'turns' (script mode)"
    if doc.get("answers") is not None and not isinstance(doc["answers"], dict):
        return "'answers' must map slot names to answers"
    if doc.get("turns") is not None and not isinstance(doc["turns"], list):
        return "'turns' must be a list of messages"
    bad = [k for k in (doc.get("answers") or {}) if k not in SLOTS]
    if bad:
        return f"unknown slot(s) in answers: {', '.join(map(str, bad))}"
    bad = [k for k in (expect.get("profile") or {}) if k not in SLOTS]
    if bad:
        return f"unknown slot(s) in expect.profile: {', '.join(map(str, bad))}"
    if not doc.get("opening") and not doc.get("turns"):
        return "needs an 'opening' message"
    return None


def slot_check(expected: Any, got: Any) -> bool:
    if isinstance(expected, bool) or not isinstance(expected, int | float):
        return expected == got
    return isinstance(got, int | float) and abs(got - expected) <= 0.1 * abs(expected)


def _score_slots(expected: dict[str, Any], profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {slot: {"expected": value, "got": profile.get(slot), "ok": slot_check(value, profile.get(slot))}
            for slot, value in expected.items()}


def run_scenario(consultant: Any, s: Scenario) -> ScenarioResult:
    """One conversation through the real agent: persona mode answers its questions, script mode replays turns."""
    thread = f"eval-{s.id}-{uuid.uuid4().hex[:8]}"
    timings: list[float] = []
    questions = 0
    transcript: list[dict[str, Any]] = []

    def send(text: str) -> Any:
        nonlocal questions
        start = time.perf_counter()
        turn = consultant.reply(thread, text)
        timings.append((time.perf_counter() - start) * 1000)
        transcript.append({"user": text, "agent": turn.message, "pending_slot": turn.pending_slot})
        if turn.pending_slot:
            questions += 1
        return turn

    try:
        if s.answers is not None and s.turns is None:
            mode = "persona"
            turn = send(s.opening)
            for _ in range(MAX_USER_TURNS - 1):
                if turn.recommendation is not None and turn.pending_slot is None:
                    break
                turn = send(s.answers.get(turn.pending_slot or "", NOT_SURE))
            else:
                if not (turn.recommendation is not None and turn.pending_slot is None):
                    return ScenarioResult(s.id, s.expect_label, None, questions, _score_slots(s.expect_profile, turn.profile),
                                          timings, mode, error=f"no recommendation after {MAX_USER_TURNS} user turns",
                                          transcript=transcript)
        else:
            mode = "script"
            messages = ([s.opening] if s.opening else []) + list(s.turns or [])
            turn = None
            for text in messages:
                turn = send(text)
            assert turn is not None
        state = consultant.state(thread)
        rec = turn.recommendation or (state.recommendation if state else None)
        if rec is None and mode == "script":
            # no recommendation given yet: judge the scorer's current reading of the conversation
            rec = recommend(Profile.model_validate(turn.profile)).to_dict()
        got = rec["label"] if rec else None
        return ScenarioResult(s.id, s.expect_label, got, questions, _score_slots(s.expect_profile, turn.profile),
                              timings, mode, transcript=transcript)
    except Exception as exc:  # one broken scenario never stops the run
        return ScenarioResult(s.id, s.expect_label, None, questions, {}, timings, "error", error=f"{type(exc).__name__}: {exc}")


def run_baseline(s: Scenario) -> tuple[str | None, int]:
    """A static advisory quiz: all nine questions in order, whatever the answers, then the scorer."""
    from consultant.nlu import understand

    if s.answers is None:
        return None, 0
    profile = Profile()
    messages: list[tuple[str | None, str]] = [(None, s.opening)] + [(slot, s.answers.get(slot, NOT_SURE)) for slot in SLOTS]
    for pending, text in messages:
        for u in understand(text, pending, profile.values()).updates:
            try:
                profile = profile.update(u.slot, u.value, source_message=u.evidence, extractor="rules",  # type: ignore[arg-type]
                                         confidence=u.confidence, at="baseline")
            except ValueError:
                continue
    return recommend(profile).label.value, len(SLOTS)


def summarise(results: list[ScenarioResult], problems: list[str]) -> dict[str, Any]:
    n = len(results)
    slot_checks = [v["ok"] for r in results for v in r.slots.values()]
    all_turns = sorted(t for r in results for t in r.turn_ms)
    persona = [r for r in results if r.baseline_questions]
    summary: dict[str, Any] = {
        "scenarios": n,
        "recommendation_accuracy": round(sum(r.correct for r in results) / n, 4) if n else 0.0,
        "slot_accuracy": round(sum(slot_checks) / len(slot_checks), 4) if slot_checks else 1.0,
        "median_questions": statistics.median([r.questions for r in results]) if n else 0,
        "p95_turn_ms": round(all_turns[min(len(all_turns) - 1, int(0.95 * len(all_turns)))], 1) if all_turns else 0.0,
        "p50_turn_ms": round(statistics.median(all_turns), 1) if all_turns else 0.0,
        "skipped_files": problems,
        "over_max_questions": [r.id for r in results if r.within_max_questions is False],
        "per_label": {label: {"scenarios": sum(r.expected == label for r in results),
                              "correct": sum(r.correct for r in results if r.expected == label)}
                      for label in sorted(LABELS)},
    }
    if persona:
        adaptive = [r.questions for r in persona]
        baseline = [r.baseline_questions or 0 for r in persona]
        summary.update({
            "baseline_median_questions": statistics.median(baseline),
            "baseline_accuracy": round(sum(r.baseline_got == r.expected for r in persona) / len(persona), 4),
            "adaptive_median_questions_persona": statistics.median(adaptive),
            "adaptive_accuracy_persona": round(sum(r.correct for r in persona) / len(persona), 4),
            "questions_ratio": round(statistics.median(adaptive) / max(1, statistics.median(baseline)), 3),
        })
    if results:
        slowest = max(results, key=lambda r: sum(r.turn_ms))
        summary["slowest_scenario"] = {"id": slowest.id, "total_ms": round(sum(slowest.turn_ms), 1),
                                       "turns": len(slowest.turn_ms)}
    return summary


def run_eval(paths: list[Path], consultant: Any = None, baseline: bool = True, llm: bool = False) -> dict[str, Any]:
    """Run every scenario under `paths`; returns the report (CONTRACT section 3 fields and more)."""
    scenarios, problems = load_scenarios(paths)
    if consultant is None:
        consultant = make_eval_consultant(llm=llm)
    results = []
    for s in scenarios:
        r = run_scenario(consultant, s)
        r.max_questions = s.max_questions
        if baseline:
            r.baseline_got, r.baseline_questions = run_baseline(s)
        results.append(r)
    return {"summary": summarise(results, problems), "scenarios": [r.to_dict() for r in results],
            "transcripts": {r.id: r.transcript for r in results}}


def make_eval_consultant(llm: bool = False) -> Any:
    """A consultant for evals: the shared knowledge store, a throwaway checkpoint database, offline unless --llm."""
    from consultant.api import Consultant
    from consultant.config import get_settings
    from consultant.kb.store import open_store

    settings = get_settings()
    store = open_store(settings)
    scratch = Path(tempfile.mkdtemp(prefix="consultant-eval-"))
    eval_settings = settings.model_copy(update={"consultant_data_dir": scratch})
    if not llm:
        eval_settings = eval_settings.model_copy(update={"openai_api_key": None, "openai_base_url": None})
    return Consultant(eval_settings, store=store)


def render_table(report: dict[str, Any]) -> str:
    rows = [f"{'scenario':<48} {'expected':<14} {'got':<14} {'ok':<3} {'q':>2} {'slots':>6} {'p50 ms':>7}"]
    for r in report["scenarios"]:
        ok_slots = sum(v["ok"] for v in r["slots"].values())
        rows.append(f"{r['id'][:48]:<48} {r['expected']:<14} {str(r['got']):<14} {'✓' if r['correct'] else '✗':<3} "
                    f"{r['questions']:>2} {ok_slots:>2}/{len(r['slots']):<3} {r['turn_ms_p50'] or 0:>7.1f}"
                    + (f"  ! {r['error']}" if r["error"] else ""))
    s = report["summary"]
    rows += ["", f"scenarios {s['scenarios']}  recommendation accuracy {s['recommendation_accuracy']:.1%}  "
                 f"slot accuracy {s['slot_accuracy']:.1%}  median questions {s['median_questions']}  "
                 f"turn p50 {s['p50_turn_ms']} ms  p95 {s['p95_turn_ms']} ms"]
    if "baseline_median_questions" in s:
        rows.append(f"persona scenarios: adaptive asks a median of {s['adaptive_median_questions_persona']} questions "
                    f"({s['adaptive_accuracy_persona']:.1%} right) vs the nine-question baseline "
                    f"{s['baseline_median_questions']} ({s['baseline_accuracy']:.1%} right); ratio {s['questions_ratio']}")
    if s.get("slowest_scenario"):
        rows.append(f"slowest: {s['slowest_scenario']['id']} ({s['slowest_scenario']['total_ms']} ms over "
                    f"{s['slowest_scenario']['turns']} turns)")
    rows += [f"skipped: {p}" for p in s["skipped_files"]]
    return "\n".join(rows)


def render_markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    lines = ["# Eval report", "", "| metric | value |", "|---|---|"]
    for key in ("scenarios", "recommendation_accuracy", "slot_accuracy", "median_questions", "p50_turn_ms",
                "p95_turn_ms", "baseline_median_questions", "baseline_accuracy", "adaptive_median_questions_persona",
                "questions_ratio"):
        if key in s:
            lines.append(f"| {key} | {s[key]} |")
    if s.get("slowest_scenario"):
        lines.append(f"| slowest scenario | {s['slowest_scenario']['id']} ({s['slowest_scenario']['total_ms']} ms) |")
    lines += ["", "| scenario | expected | got | questions | slots | baseline |", "|---|---|---|---|---|---|"]
    for r in report["scenarios"]:
        ok = sum(v["ok"] for v in r["slots"].values())
        lines.append(f"| {r['id']} | {r['expected']} | {r['got']}{'' if r['correct'] else ' ✗'} | {r['questions']} | "
                     f"{ok}/{len(r['slots'])} | {r['baseline']['got'] or '-'} |")
    if s["skipped_files"]:
        lines += ["", "## Skipped files", ""] + [f"- {p}" for p in s["skipped_files"]]
    return "\n".join(lines) + "\n"
