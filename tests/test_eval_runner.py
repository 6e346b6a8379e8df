"""`consultant eval`: both scenario modes, malformed files skipped by name and line, the gate, the baseline."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from consultant.evaluation import load_scenarios, run_eval, slot_check

SCENARIOS = Path(__file__).resolve().parents[1] / "evals" / "scenarios" / "public"
REGRESSION = SCENARIOS.parent / "regression"

PERSONA = """id: persona-weekly-policies
title: Support assistant over changing help-center policies
source: synthetic
opening: "We want a support assistant that answers questions from our help center."
answers:
  need: "It mostly needs to know our policies; its tone is fine."
  knowledge_change: "Policies change every week or two."
  latency_budget_ms: "A second or two is fine, it's chat."
expect:
  recommendation: rag
  profile:
    need: know_more
    knowledge_change: weekly
"""
SCRIPT = """id: script-side-question
opening: "We need JSON extraction from invoices."
turns:
  - "what is LoRA?"
  - "we have 40k labeled invoices, the format never changes, budget 50k"
  - "just give me your recommendation"
expect:
  recommendation: fine_tuning
"""


def test_scenarios_load_and_malformed_files_are_reported_by_name_and_line(tmp_path):
    (tmp_path / "good.yaml").write_text(PERSONA)
    (tmp_path / "broken.yaml").write_text("id: x\nexpect: [unclosed\n")
    (tmp_path / "wrong.yml").write_text("id: y\nopening: hi\nanswers: {}\nexpect: {recommendation: maybe}\n")
    scenarios, problems = load_scenarios([tmp_path])
    assert [s.id for s in scenarios] == ["persona-weekly-policies"]
    assert any("broken.yaml" in p and "line" in p for p in problems)
    assert any("wrong.yml" in p and "recommendation" in p for p in problems)


def test_integer_slots_match_within_ten_percent():
    assert slot_check(1_500_000, 1_400_000) and not slot_check(1_500_000, 1_300_000)
    assert slot_check("weekly", "weekly") and not slot_check("weekly", "monthly")


def test_persona_and_script_modes_run_through_the_agent(tmp_path):
    (tmp_path / "a.yaml").write_text(PERSONA)
    (tmp_path / "b.yaml").write_text(SCRIPT)
    report = run_eval([tmp_path])
    by_id = {r["id"]: r for r in report["scenarios"]}
    assert by_id["persona-weekly-policies"]["correct"] and by_id["persona-weekly-policies"]["questions"] >= 1
    assert by_id["script-side-question"]["mode"] == "script" and by_id["script-side-question"]["correct"]
    summary = report["summary"]
    for key in ("scenarios", "recommendation_accuracy", "slot_accuracy", "median_questions", "p95_turn_ms",
                "baseline_median_questions"):
        assert key in summary
    assert summary["baseline_median_questions"] == 9


def test_an_eval_leaves_no_checkpoint_folder_behind(tmp_path, monkeypatch):
    """Each eval gets a throwaway checkpoint folder; it is removed when the run ends (they used to pile up in /tmp)."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    (tmp_path / "a.yaml").write_text(SCRIPT)
    report = run_eval([tmp_path], baseline=False)
    assert report["scenarios"][0]["correct"]
    assert not list(scratch.glob("consultant-eval-*"))


def test_cli_writes_reports_and_fails_below_min_accuracy(tmp_path):
    wrong = PERSONA.replace("recommendation: rag", "recommendation: hybrid")
    (tmp_path / "s.yaml").write_text(wrong)
    out = subprocess.run([sys.executable, "-m", "consultant", "eval", str(tmp_path), "--json", str(tmp_path / "r.json"),
                          "--markdown", str(tmp_path / "r.md"), "--min-accuracy", "0.9"],
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 1, out.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["scenarios"][0]["got"] == "rag" and report["scenarios"][0]["correct"] is False
    assert "# Eval report" in (tmp_path / "r.md").read_text()


def test_cli_report_piped_into_a_closed_pipe_keeps_its_files_and_prints_no_traceback(tmp_path):
    (tmp_path / "a.yaml").write_text(PERSONA)
    (tmp_path / "b.yaml").write_text(SCRIPT)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the table is printed, as with `| head -0`
    out = subprocess.run([sys.executable, "-m", "consultant", "eval", str(tmp_path), "--json", str(tmp_path / "r.json"),
                          "--no-baseline"], stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=180)
    os.close(write_end)
    assert "Traceback" not in out.stderr, out.stderr
    assert len(json.loads((tmp_path / "r.json").read_text())["scenarios"]) == 2


def test_public_scenario_set_has_60_plus_with_10_per_label():
    scenarios, problems = load_scenarios([SCENARIOS])
    assert not problems
    assert len(scenarios) >= 60
    for label in ("rag", "fine_tuning", "hybrid", "rag_prototype"):
        assert sum(s.expect_label == label for s in scenarios) >= 10, label


@pytest.mark.slow
def test_regression_gate_on_the_public_scenario_set():
    """The offline agent must keep the figures issue 4 asks for on the public set."""
    summary = run_eval([SCENARIOS])["summary"]
    assert summary["recommendation_accuracy"] >= 0.95, summary
    assert summary["readings"]["wrong_rate_of_filled"] <= 0.03, summary["readings"]
    assert summary["median_questions"] <= 5, summary
    assert summary["adaptive_median_questions_persona"] < summary["baseline_median_questions"]


def test_cli_exports_a_consultation_as_a_scenario_that_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULTANT_DATA_DIR", str(tmp_path / "data"))
    script = ("from consultant import Consultant\n"
              "c = Consultant()\n"
              "c.reply('exp-1', 'It needs to know our help-center articles.')\n"
              "c.reply('exp-1', 'they change every week')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "scenarios" / "exported.yaml"
    out.parent.mkdir()
    exported = subprocess.run([sys.executable, "-m", "consultant", "export", "exp-1", "-o", str(out)],
                              capture_output=True, text=True, timeout=180)
    assert exported.returncode == 0, exported.stderr
    scenarios, problems = load_scenarios([out.parent])
    assert not problems and scenarios[0].expect_label == "rag"
    assert scenarios[0].turns == ["they change every week"]
    missing = subprocess.run([sys.executable, "-m", "consultant", "export", "no-such-thread"],
                             capture_output=True, text=True, timeout=180)
    assert missing.returncode == 2 and "no consultation" in missing.stderr


def test_scenarios_written_loosely_are_read_the_contract_way(tmp_path):
    loose = PERSONA.replace("recommendation: rag", "recommendation: RAG").replace("knowledge_change: weekly",
                                                                              "knowledge_change: Weekly")
    (tmp_path / "loose.yaml").write_text(loose + "  max_questions: 0\n")
    scenarios, problems = load_scenarios([tmp_path])
    assert not problems and scenarios[0].expect_label == "rag"
    assert scenarios[0].expect_profile["knowledge_change"] == "weekly"
    report = run_eval([tmp_path], baseline=False)
    assert report["scenarios"][0]["correct"]
    assert report["summary"]["over_max_questions"] == ["persona-weekly-policies"]


HELD_OUT = sorted(p for p in REGRESSION.iterdir() if p.is_dir())
_STORE: list = []  # one knowledge store per test process, opened on its first set


def _summary_of(folder: Path) -> dict:
    """One set through a consultant of its own (a fresh checkpoint database), on this process's one store: its warm
    search cache spares each set the start-up searches (~2 s a set, ~2 minutes of the gate). Each set is its own
    test, so `make test` spreads the sets over its test processes (pytest-xdist) with everything else; the gate
    used to run in a pool of its own while the rest of the suite waited on one core."""
    from consultant.config import get_settings
    from consultant.evaluation.runner import make_eval_consultant
    from consultant.kb.store import open_store

    if not _STORE:
        _STORE.append(open_store(get_settings()))
    return run_eval([folder], consultant=make_eval_consultant(store=_STORE[0]), baseline=False)["summary"]


@pytest.mark.slow
@pytest.mark.parametrize("folder", HELD_OUT, ids=[p.name for p in HELD_OUT])
def test_regression_gate_on_the_held_out_sets(folder):
    """Sets once written blind by other authors and since tuned on: they guard against regressions."""
    from consultant.evaluation import load_manifest

    summary = _summary_of(folder)
    manifest = load_manifest(folder)
    assert summary["scenarios"] >= 30
    # 0.95, unless the manifest names the cases the set fails by the product's design (gate_reason)
    assert summary["recommendation_accuracy"] >= (manifest.gate if manifest else 0.95), summary


def test_every_scenario_set_has_a_valid_manifest_and_every_file_validates():
    from consultant.evaluation import load_manifest

    folders = [SCENARIOS, *HELD_OUT]
    for folder in folders:
        manifest = load_manifest(folder)
        assert manifest is not None, f"{folder} has no MANIFEST.yaml"
        scenarios, problems = load_scenarios([folder])
        assert not problems, problems
        assert manifest.scenarios == len(scenarios), folder


def test_a_set_gated_below_095_must_say_why():
    from consultant.evaluation import SetManifest

    base = {"name": "x", "author": "a", "how": "h", "date": "2026-12-07", "scenarios": 44, "tuned_on": True}
    with pytest.raises(ValueError, match="gate_reason"):
        SetManifest.model_validate({**base, "gate": 0.9})
    assert SetManifest.model_validate({**base, "gate": 0.9, "gate_reason": "four cases ..."}).gate == 0.9


def test_the_published_json_schema_matches_the_scenario_model():
    from consultant.evaluation import scenario_json_schema

    published = json.loads((SCENARIOS.parents[1] / "scenario.schema.json").read_text())
    assert published == scenario_json_schema(), "regenerate evals/scenario.schema.json from the Scenario model"


def test_report_separates_wrong_readings_from_unknowns_and_counts_style_changes(tmp_path):
    (tmp_path / "a.yaml").write_text(PERSONA.replace("id: persona-weekly-policies", "id: policies--terse"))
    (tmp_path / "b.yaml").write_text(PERSONA.replace("id: persona-weekly-policies", "id: policies--typos")
                                     .replace("Policies change every week or two.", "I'm not sure.")
                                     .replace("knowledge_change: weekly", "knowledge_change: monthly"))
    summary = run_eval([tmp_path], baseline=False)["summary"]
    readings = summary["readings"]
    assert readings["unknown"] == 1 and readings["wrong"] == 0  # "not sure" leaves it open: unknown, not wrong
    assert summary["style_stability"]["cases"] == 1
