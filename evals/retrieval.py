"""Retrieval eval: hit@1, hit@k and MRR of the knowledge store on labelled questions, vectors vs hybrid."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from consultant.kb.store import KnowledgeStore, Passage

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PATH = "evals/retrieval.yaml"
MRR_DEPTH = 10


def load_questions(path: str | Path = DEFAULT_PATH) -> list[dict[str, Any]]:
    """The labelled questions; a relative path is tried from the working directory, then the repo root."""
    candidate = Path(path)
    if not candidate.exists() and not candidate.is_absolute():
        candidate = REPO / candidate
    items = yaml.safe_load(candidate.read_text("utf-8")) or []
    if not isinstance(items, list):
        raise ValueError(f"{candidate}: expected a list of {{question, expect}} items")
    return items


def is_hit(passage: Passage, expect: list[dict[str, str]]) -> bool:
    """The passage matches one expectation: same source, heading path containing the expected heading."""
    heading = passage.heading.lower()
    return any(passage.source == e["source"] and str(e.get("heading") or "").lower() in heading for e in expect)


def first_hit_rank(passages: list[Passage], expect: list[dict[str, str]]) -> int | None:
    """1-based rank of the first matching passage, or None."""
    return next((i for i, p in enumerate(passages, 1) if is_hit(p, expect)), None)


def run_retrieval_eval(store: KnowledgeStore, path: str | Path = DEFAULT_PATH, k: int = 3,
                       hybrid: bool = True) -> dict[str, Any]:
    """Search every question (top 10) and score it: hit@1, hit@k, MRR over the top 10, one row per question."""
    rows = []
    for item in load_questions(path):
        expect = list(item["expect"])
        passages = store.search(str(item["question"]), k=max(k, MRR_DEPTH), hybrid=hybrid)
        rank = first_hit_rank(passages, expect)
        rows.append({
            "question": item["question"],
            "expected": [f"{e['source']} › {e.get('heading') or '*'}" for e in expect],
            "top": [f"{p.source} › {p.heading.split(' > ')[-1]}" for p in passages[:k]],
            "top_sources": [p.source for p in passages[:k]],
            "rank": rank,
        })
    n = len(rows) or 1
    ranks = [r["rank"] for r in rows]
    return {
        "variant": "hybrid (vectors + BM25, RRF)" if hybrid else "vectors only",
        "hybrid": hybrid,
        "questions": len(rows),
        "k": k,
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / n,
        "hit@3": sum(1 for r in ranks if r is not None and r <= 3) / n,
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
        "rows": rows,
    }


def build_builtin_store(root: Path, knowledge_dir: Path | None = None) -> KnowledgeStore:
    """A fresh store holding only the built-in knowledge (the package's own folder unless given), so user
    documents never skew the figures."""
    from consultant.config import Settings
    from consultant.kb.store import default_builtin_dir, make_client

    knowledge_dir = knowledge_dir or default_builtin_dir()
    store = KnowledgeStore(make_client(Settings(consultant_data_dir=root), root / "chroma"), knowledge_dir)
    store.ingest([knowledge_dir])
    return store


def _rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def render(results: list[dict[str, Any]]) -> str:
    """Per-question ranks for each variant side by side, then the summary figures."""
    k = results[0]["k"]
    heads = ["vec" if not r["hybrid"] else "hyb" for r in results]
    out = ["  ".join(f"{h:>3}" for h in heads) + "  question  ->  expected  |  top result"]
    for i, row in enumerate(results[0]["rows"]):
        ranks = "  ".join(f"{_rank(r['rows'][i]['rank']):>3}" for r in results)
        marker = "" if all(r["rows"][i]["rank"] is not None and r["rows"][i]["rank"] <= k for r in results) else "  <-"
        top = results[-1]["rows"][i]["top"][:1]
        out.append(f"{ranks}  {row['question'][:70]}  ->  {row['expected'][0]}  |  {top[0] if top else '-'}{marker}")
    out.append("")
    out.append(f"{'variant':<32}{'questions':>10}{'hit@1':>8}{f'hit@{k}':>8}{'MRR@10':>8}")
    for r in results:
        out.append(f"{r['variant']:<32}{r['questions']:>10}{r['hit@1']:>8.3f}{r[f'hit@{k}']:>8.3f}{r['mrr']:>8.3f}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.retrieval", description=__doc__)
    parser.add_argument("--questions", default=DEFAULT_PATH, help=f"the labelled questions (default {DEFAULT_PATH})")
    parser.add_argument("-k", type=int, default=3, help="hit@k cut-off (default 3)")
    parser.add_argument("--no-hybrid", action="store_true", help="only the vectors-only variant")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="retrieval-eval-") as tmp:
        store = build_builtin_store(Path(tmp))
        variants = [False] if args.no_hybrid else [False, True]
        results = [run_retrieval_eval(store, args.questions, k=args.k, hybrid=h) for h in variants]
    print(render(results))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"variants": results}, indent=2, ensure_ascii=False))
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
