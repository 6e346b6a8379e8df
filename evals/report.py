"""`make eval`: every scenario set (public, regression, fresh) and the retrieval eval, written to evals/reports/."""

from __future__ import annotations

import json
from pathlib import Path

from consultant.evaluation import load_manifest, make_eval_consultant, render_markdown, render_table, run_eval
from evals import retrieval, side_questions

ROOT = Path(__file__).resolve().parent
SCENARIOS = ROOT / "scenarios"
REPORTS = ROOT / "reports"


def scenario_sets() -> list[Path]:
    """Every folder under evals/scenarios/ that holds a MANIFEST.yaml: public first, then by name."""
    folders = sorted(p.parent for p in SCENARIOS.rglob("MANIFEST.yaml"))
    return sorted(folders, key=lambda p: (p.name != "public", str(p)))


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    consultant = make_eval_consultant()
    overview = []
    for folder in scenario_sets():
        manifest = load_manifest(folder)
        name = str(folder.relative_to(SCENARIOS)).replace("/", "-")
        report = run_eval([folder], consultant=consultant)
        print(f"== {name} ({folder.relative_to(ROOT.parent)})")
        print(render_table(report))
        (REPORTS / f"{name}.json").write_text(json.dumps({k: v for k, v in report.items() if k != "transcripts"},
                                                         indent=2))
        (REPORTS / f"{name}.md").write_text(render_markdown(report))
        (REPORTS / f"{name}-transcripts.json").write_text(json.dumps(report["transcripts"], indent=2))
        first = manifest.first_run.recommendation_accuracy if manifest and manifest.first_run else None
        overview.append((name, report["summary"]["recommendation_accuracy"], first,
                         manifest.tuned_on if manifest else None))
        print()
    print("== overview: accuracy now (first run, before anyone studied the set; tuned on since?)")
    for name, now, first, tuned in overview:
        print(f"  {name:<28} {now:6.1%}   first run {'-' if first is None else f'{first:.1%}'}"
              f"{'   (tuned on: regression only)' if tuned else ''}")
    print("\n== retrieval (evals/retrieval.yaml)")
    retrieval.main(["--json", str(REPORTS / "retrieval.json")])
    print("\n== side questions (evals/side_questions.yaml)")
    side_questions.main(["--json", str(REPORTS / "side-questions.json")])
    print(f"\nreports written to {REPORTS.relative_to(ROOT.parent)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
