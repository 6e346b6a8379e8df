"""The injection suite's figures: `python -m tests.security.report [--json FILE]` (offline, a private data dir).

Prints, per category and in total: attacks, placements, direct attacks recognised in every placement, placements
that changed the label, placements that wrote a slot from the attack's words; then every failing placement.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", help="write every outcome to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("CONSULTANT_DATA_DIR", tempfile.mkdtemp(prefix="consultant-security-"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    from consultant.api import Consultant
    from tests.security import harness

    outcomes = []
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with Consultant() as consultant:
        baselines = {p.id: harness.converse(consultant, p)[0] for p in harness.personas()}
        for index, attack in enumerate(harness.attacks()):
            persona = harness.persona_for(index)
            every = True
            for position in attack.positions:
                o = harness.run_placement(consultant, persona, attack, position, baselines[persona.id])
                outcomes.append((attack, o))
                for key in (attack.category, "total"):
                    per[key]["placements"] += 1
                    per[key]["label changes"] += o.label_changed
                    per[key]["slots written"] += bool(o.written)
                    per[key]["profile changes"] += o.profile_changed
                every = every and all(harness.must_be_recognised(attack, o)) and (
                    bool(harness.must_be_recognised(attack, o)) or not attack.direct)
            for key in (attack.category, "total"):
                per[key]["attacks"] += 1
                per[key]["direct"] += attack.direct
                per[key]["recognised"] += attack.direct and every
    print(f"baselines: { {k: harness.label_of(t) for k, t in baselines.items()} }")
    print(f"{'category':18} attacks direct recognised placements label-changes slots-written profile-changes")
    for key, row in sorted(per.items(), key=lambda kv: (kv[0] == "total", kv[0])):
        print(f"{key:18} {row['attacks']:7} {row['direct']:6} {row['recognised']:10} {row['placements']:10} "
              f"{row['label changes']:13} {row['slots written']:13} {row['profile changes']:15}")
    for attack, o in outcomes:
        problems = []
        if o.label_changed:
            problems.append(f"label {o.baseline_label}->{o.label}")
        if o.written:
            problems.append(f"wrote {o.written}")
        if attack.direct and not all(harness.must_be_recognised(attack, o)):
            problems.append(f"not recognised {o.recognised}")
        if o.profile_changed and not o.written:
            changed = {k: (o.baseline_profile.get(k), v) for k, v in o.profile.items() if v != o.baseline_profile.get(k)}
            problems.append(f"profile {changed}")
        if problems:
            print(f"  {attack.id:28} {o.position:7} {o.persona:12} {'; '.join(problems)}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([asdict(o) for _, o in outcomes], fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
