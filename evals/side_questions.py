"""The side-question eval: does a question asked mid-interview get the answer it needs?

Each question in evals/side_questions.yaml (written without looking at the knowledge base) is asked in a real
consultation through the public API, while the interview is on the question's `pending` slot (or on the key
question when none is given). hit@1: the answer part of the reply (before the interview resumes) contains at
least one of the question's `answer_facts`. Run: `python -m evals.side_questions [--json FILE]`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(__file__).resolve().parent
QUESTIONS = ROOT / "side_questions.yaml"
OPENING = "We want an assistant that answers our support agents' questions from our policy documents."
RESUMES = ("Back to the interview:", "Back to my question:")  # where the reply goes back to the interview
TARGET_HIT_AT_1 = 0.85


class SideQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    kind: str
    topic: str
    pending: str | None = None
    answer_facts: list[str] = Field(min_length=1)
    notes: str | None = None


class FirstRun(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hit_at_1: float
    note: str


class SideQuestionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    author: str
    date: str | datetime.date
    first_run: FirstRun | None = None  # before anyone studied the set; from then on it measures regression
    questions: list[SideQuestion]


def load(path: Path = QUESTIONS) -> SideQuestionSet:
    return SideQuestionSet.model_validate(yaml.safe_load(path.read_text("utf-8")))


def answer_part(message: str) -> str:
    """The reply up to where it resumes the interview (the question and its reason are not the answer)."""
    cut = min((i for i in (message.find(r) for r in RESUMES) if i != -1), default=len(message))
    return message[:cut]


def ask(consultant: Any, q: SideQuestion) -> str:
    thread = f"side-{q.id}-{uuid.uuid4().hex[:6]}"
    consultant.reply(thread, OPENING)
    if q.pending:
        consultant.graph.update_state(consultant._config(thread), {"pending_slot": q.pending, "confirming": None,
                                                                   "choices": []})
    return str(consultant.reply(thread, q.question).message)


def run(consultant: Any = None, path: Path = QUESTIONS) -> dict[str, Any]:
    from consultant.evaluation import make_eval_consultant

    consultant = consultant or make_eval_consultant()
    data = load(path)
    rows = []
    for q in data.questions:
        reply = ask(consultant, q)
        answer = answer_part(reply).lower()
        hit = any(fact.lower() in answer for fact in q.answer_facts)
        rows.append({"id": q.id, "kind": q.kind, "question": q.question, "hit": hit, "answer": answer_part(reply)})
    hits = sum(r["hit"] for r in rows)
    by_kind: Counter[str] = Counter(r["kind"] for r in rows)
    hit_kind: Counter[str] = Counter(r["kind"] for r in rows if r["hit"])
    return {"questions": len(rows), "hit_at_1": round(hits / max(len(rows), 1), 4),
            "by_kind": {k: f"{hit_kind[k]}/{n}" for k, n in sorted(by_kind.items())}, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="write the full results here")
    args = parser.parse_args(argv)
    report = run()
    print(f"side questions: hit@1 {report['hit_at_1']:.0%} of {report['questions']} (target {TARGET_HIT_AT_1:.0%}); "
          + ", ".join(f"{k} {v}" for k, v in report["by_kind"].items()))
    for r in report["rows"]:
        if not r["hit"]:
            print(f"  miss {r['id']}: {r['question']!r}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0 if report["hit_at_1"] >= TARGET_HIT_AT_1 else 1


if __name__ == "__main__":
    sys.exit(main())
