"""Evals as typed data: scenario files and set manifests, the runner through the real agent, the report."""

from consultant.evaluation.runner import (
    ScenarioResult,
    make_eval_consultant,
    run_baseline,
    run_eval,
    run_scenario,
    slot_check,
    slot_outcome,
)
from consultant.evaluation.scenario import (
    Scenario,
    SetManifest,
    load_manifest,
    load_scenarios,
    scenario_json_schema,
)
from consultant.evaluation.summary import render_markdown, render_table, summarise

__all__ = ["Scenario", "ScenarioResult", "SetManifest", "load_manifest", "load_scenarios", "make_eval_consultant",
           "render_markdown", "render_table", "run_baseline", "run_eval", "run_scenario", "scenario_json_schema",
           "slot_check", "slot_outcome", "summarise"]
