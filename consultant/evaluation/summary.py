"""The eval report: accuracy, wrong readings apart from unknowns, label stability across styles, renderings."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from typing import Any

from consultant.evaluation.runner import ScenarioResult
from consultant.merge import READERS
from consultant.scoring import Label

LABELS = sorted(label.value for label in Label)


def _readings(results: list[ScenarioResult]) -> dict[str, Any]:
    """Expected slots by outcome: a wrong reading costs the recommendation, an unknown costs a question."""
    outcomes = [v["outcome"] for r in results for v in r.slots.values()]
    filled = sum(o != "unknown" for o in outcomes)
    wrong = [f"{r.id}: {slot} expected {v['expected']!r}, got {v['got']!r}"
             for r in results for slot, v in r.slots.items() if v["outcome"] == "wrong"]
    return {"expected_slots": len(outcomes), "filled": filled, "unknown": outcomes.count("unknown"),
            "wrong": len(wrong), "wrong_rate_of_filled": round(len(wrong) / filled, 4) if filled else 0.0,
            "wrong_list": wrong}


def _style_stability(results: list[ScenarioResult]) -> dict[str, Any] | None:
    """Cases written in several styles: how many changed label with the writing style alone."""
    groups: dict[str, list[ScenarioResult]] = defaultdict(list)
    for r in results:
        if r.style is not None:
            groups[r.base_id].append(r)
    groups = {k: v for k, v in groups.items() if len(v) > 1}
    if not groups:
        return None
    unstable = {base: {r.style: r.got for r in rs} for base, rs in groups.items() if len({r.got for r in rs}) > 1}
    styles = sorted({r.style for rs in groups.values() for r in rs if r.style})
    by_style = {style: {"scenarios": sum(r.style == style for r in results),
                        "correct": sum(r.correct for r in results if r.style == style)} for style in styles}
    return {"cases": len(groups), "changed_label": len(unstable), "unstable": unstable, "by_style": by_style}


def _readers(results: list[ScenarioResult]) -> dict[str, Any]:
    """Which reader decided each final slot value (offline / llm / both / confirmed / user / assumed), per slot."""
    per_slot: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        for slot, reader in r.readers.items():
            per_slot[slot][reader] += 1
    total: Counter[str] = sum(per_slot.values(), Counter())
    return {"total": {k: total[k] for k in READERS if total[k]},
            "per_slot": {slot: {k: c[k] for k in READERS if c[k]} for slot, c in sorted(per_slot.items())}}


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
        "errors": [f"{r.id}: {r.error}" for r in results if r.error],
        "over_max_questions": [r.id for r in results if r.within_max_questions is False],
        "per_label": {label: {"scenarios": sum(r.expected == label for r in results),
                              "correct": sum(r.correct for r in results if r.expected == label)}
                      for label in LABELS},
        "readings": _readings(results),
        "readers": _readers(results),
    }
    stability = _style_stability(results)
    if stability is not None:
        summary["style_stability"] = stability
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


def render_table(report: dict[str, Any]) -> str:
    rows = [f"{'scenario':<48} {'expected':<14} {'got':<14} {'ok':<3} {'q':>2} {'slots':>6} {'p50 ms':>7}"]
    for r in report["scenarios"]:
        ok_slots = sum(v["ok"] for v in r["slots"].values())
        rows.append(f"{r['id'][:48]:<48} {r['expected']:<14} {str(r['got']):<14} {'✓' if r['correct'] else '✗':<3} "
                    f"{r['questions']:>2} {ok_slots:>2}/{len(r['slots']):<3} {r['turn_ms_p50'] or 0:>7.1f}"
                    + (f"  ! {r['error']}" if r["error"] else ""))
    s = report["summary"]
    readings = s["readings"]
    per_label = "  ".join(f"{k} {v['correct']}/{v['scenarios']}" for k, v in s["per_label"].items() if v["scenarios"])
    rows += ["", f"scenarios {s['scenarios']}  recommendation accuracy {s['recommendation_accuracy']:.1%}  "
                 f"slot accuracy {s['slot_accuracy']:.1%}  median questions {s['median_questions']}  "
                 f"turn p50 {s['p50_turn_ms']} ms  p95 {s['p95_turn_ms']} ms",
             f"by label: {per_label}",
             f"expected slots {readings['expected_slots']}: {readings['wrong']} wrong readings "
             f"({readings['wrong_rate_of_filled']:.1%} of filled), {readings['unknown']} left unknown"]
    rows += _reader_rows(s)
    if "style_stability" in s:
        st = s["style_stability"]
        rows.append(f"styles: {st['changed_label']} of {st['cases']} cases changed label with the writing style; "
                    + "  ".join(f"{k} {v['correct']}/{v['scenarios']}" for k, v in st["by_style"].items()))
    if "baseline_median_questions" in s:
        rows.append(f"persona scenarios: adaptive asks a median of {s['adaptive_median_questions_persona']} questions "
                    f"({s['adaptive_accuracy_persona']:.1%} right) vs the nine-question baseline "
                    f"{s['baseline_median_questions']} ({s['baseline_accuracy']:.1%} right); ratio {s['questions_ratio']}")
    if s.get("slowest_scenario"):
        rows.append(f"slowest: {s['slowest_scenario']['id']} ({s['slowest_scenario']['total_ms']} ms over "
                    f"{s['slowest_scenario']['turns']} turns)")
    rows += [f"skipped: {p}" for p in s["skipped_files"]]
    return "\n".join(rows)


def _reader_rows(s: dict[str, Any]) -> list[str]:
    """The text table of which reader decided, per slot, and what the LLM path dropped."""
    readers = s.get("readers") or {}
    if not readers.get("per_slot"):
        return []
    used = [k for k in READERS if readers["total"].get(k)]
    rows = ["", f"{'decided by':<20} " + " ".join(f"{k:>9}" for k in used)]
    for slot, counts in readers["per_slot"].items():
        rows.append(f"{slot:<20} " + " ".join(f"{counts.get(k, 0):>9}" for k in used))
    rows.append(f"{'all slots':<20} " + " ".join(f"{readers['total'].get(k, 0):>9}" for k in used))
    if "llm" in s:
        llm = s["llm"]
        dropped = ", ".join(f"{k} {v}" for k, v in llm["dropped"].items()) or "none"
        rows.append(f"LLM ({llm['profile'] or llm['url'] or 'configured endpoint'}, {llm['method']}): {llm['calls']} "
                    f"calls, {llm['fallback_turns']} turns answered offline; model values not applied: {dropped}")
    return rows


def render_markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    lines = ["# Eval report", "", "| metric | value |", "|---|---|"]
    for key in ("scenarios", "recommendation_accuracy", "slot_accuracy", "median_questions", "p50_turn_ms",
                "p95_turn_ms", "baseline_median_questions", "baseline_accuracy", "adaptive_median_questions_persona",
                "questions_ratio"):
        if key in s:
            lines.append(f"| {key} | {s[key]} |")
    r = s["readings"]
    lines.append(f"| wrong readings | {r['wrong']} of {r['filled']} filled ({r['wrong_rate_of_filled']:.1%}) |")
    lines.append(f"| left unknown | {r['unknown']} of {r['expected_slots']} expected slots |")
    if "style_stability" in s:
        lines.append(f"| label changed with style | {s['style_stability']['changed_label']} of "
                     f"{s['style_stability']['cases']} cases |")
    if s.get("slowest_scenario"):
        lines.append(f"| slowest scenario | {s['slowest_scenario']['id']} ({s['slowest_scenario']['total_ms']} ms) |")
    readers = s.get("readers") or {}
    if readers.get("per_slot"):
        used = [k for k in READERS if readers["total"].get(k)]
        lines += ["", "| decided by | " + " | ".join(used) + " |", "|---|" + "---|" * len(used)]
        for slot, counts in readers["per_slot"].items():
            lines.append(f"| {slot} | " + " | ".join(str(counts.get(k, 0)) for k in used) + " |")
    if "llm" in s:
        lines += ["", f"LLM: {s['llm']['calls']} calls, {s['llm']['fallback_turns']} turns answered offline, "
                      f"model values not applied: {s['llm']['dropped'] or 'none'}"]
    lines += ["", "| scenario | expected | got | questions | slots | baseline |", "|---|---|---|---|---|---|"]
    for row in report["scenarios"]:
        ok = sum(v["ok"] for v in row["slots"].values())
        lines.append(f"| {row['id']} | {row['expected']} | {row['got']}{'' if row['correct'] else ' ✗'} | "
                     f"{row['questions']} | {ok}/{len(row['slots'])} | {row['baseline']['got'] or '-'} |")
    if r["wrong_list"]:
        lines += ["", "## Wrong readings", ""] + [f"- {w}" for w in r["wrong_list"]]
    if s["skipped_files"]:
        lines += ["", "## Skipped files", ""] + [f"- {p}" for p in s["skipped_files"]]
    return "\n".join(lines) + "\n"
