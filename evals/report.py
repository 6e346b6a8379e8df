"""`make eval`: the scenario eval (public and held-out sets) and the retrieval eval, written to evals/reports/."""

from __future__ import annotations

import json
from pathlib import Path

from consultant.evaluation import render_markdown, render_table, run_eval
from evals import retrieval

ROOT = Path(__file__).resolve().parent
REPORTS = ROOT / "reports"


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    sets = [("scenarios", ROOT / "scenarios")] + [(d.name, d) for d in sorted(ROOT.glob("heldout*")) if d.is_dir()]
    for name, folder in sets:
        report = run_eval([folder])
        print(f"== {name} ({folder.relative_to(ROOT.parent)})")
        print(render_table(report))
        (REPORTS / f"{name}.json").write_text(json.dumps({k: v for k, v in report.items() if k != "transcripts"},
                                                         indent=2))
        (REPORTS / f"{name}.md").write_text(render_markdown(report))
        (REPORTS / f"{name}-transcripts.json").write_text(json.dumps(report["transcripts"], indent=2))
        print()
    print("== retrieval (evals/retrieval.yaml)")
    retrieval.main(["--json", str(REPORTS / "retrieval.json")])
    print(f"\nreports written to {REPORTS.relative_to(ROOT.parent)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
