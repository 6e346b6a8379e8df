"""Print how the offline reader reads a message: clauses, typed mentions, lexicon hits with polarity, candidates.

    .venv/bin/python scripts/trace_reading.py "message" [pending_slot]
"""

from __future__ import annotations

import sys

from consultant.nlu import read
from consultant.nlu.lexicon import LEXICONS, hits
from consultant.nlu.mentions import find_mentions
from consultant.nlu.text import clauses, fix_typos, working_copy


def main(argv: list[str]) -> int:
    text, pending = argv[0], (argv[1] if len(argv) > 1 else None)
    t = working_copy(fix_typos(text))
    cl = clauses(t)
    print("clauses:", [(c.text.strip(), "Q" if c.question else "") for c in cl])
    print("mentions:", [(m.kind, m.value, m.noun, m.when, m.negated) for m in find_mentions(t)])
    for name in LEXICONS:
        for h in hits(name, t, cl, pending):
            print(f"  {name:16} {h.entry.id:32} {t[h.start:h.end]!r:40} {h.polarity}")
    r = read(text, pending)
    print("intent:", r.intent, "hedged:", r.hedged, "question:", r.question, r.question_kind)
    for c in r.candidates:
        print(f"  -> {c.slot} = {c.value!r} ({c.confidence}, {c.source}) alt={c.alternatives} {c.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
