"""LLM-path benchmark: LLM calls and prompt tokens per turn of a scripted consultation against a fake server."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from consultant.api import Consultant
from consultant.config import get_settings
from consultant.tokens import count_tokens
from tests.fake_openai import FakeOpenAI

TARGETS = {"calls_per_turn_max": ("<=", 1), "prompt_tokens_max": ("<", 2500)}

# (user message, the reading the scripted model returns for it)
SCRIPT: list[tuple[str, dict[str, Any]]] = [
    ("We're building a support assistant that answers customer questions from our help-center articles and "
     "refund policies.", {"need": "know_more", "output_type": "factual_answers", "intent": "answer",
                          "quotes": [{"slot": "need", "words": "answers customer questions"}]}),
    ("The policies change every week or two.", {"knowledge_change": "weekly", "intent": "answer",
                                                "quotes": [{"slot": "knowledge_change", "words": "every week or two"}]}),
    ("What is re-ranking, and would we need it?",
     {"intent": "side_question", "side_answer": "Re-ranking reorders retrieved passages with a more precise model "
                                                "so the best evidence comes first [1]."}),
    ("Yes, every answer must link the article it came from.", {"auditability": "required", "intent": "answer"}),
    ("Around 40k conversations a day, and replies within two seconds.",
     {"monthly_queries": 1_200_000, "latency_budget_ms": 2000, "intent": "answer"}),
    ("No labeled data, and about $20k to spend before launch.",
     {"labeled_examples": 0, "upfront_budget_usd": 20_000, "intent": "answer"}),
    ("Thanks, give me the recommendation now.", {"intent": "recommend_now"}),
]


def sent_tokens(body: dict[str, Any]) -> int:
    """Prompt tokens of one request as the server received it: message texts plus the schema it carried."""
    schema = body.get("response_format") or body.get("tools")
    return sum(count_tokens(m["content"]) for m in body["messages"]) + count_tokens(json.dumps(schema))


def run(method: str = "json_schema", knowledge: bool = True) -> dict[str, Any]:
    """Play SCRIPT through the real agent and client; per-turn calls and prompt tokens, with PASS/MISS."""
    base = get_settings()
    store = None
    if knowledge:
        from consultant.kb.store import open_store

        store = open_store(base)
    calls, estimated, measured, fallbacks = [], [], [], 0
    with FakeOpenAI() as fake, tempfile.TemporaryDirectory(prefix="bench-llm-") as scratch:
        settings = base.model_copy(update={
            "openai_base_url": fake.base_url, "openai_api_key": None, "consultant_data_dir": Path(scratch),
            "consultant_llm_method": method, "consultant_llm_max_retries": 0})
        bot = Consultant(settings, store=store, with_knowledge=knowledge)
        for text, reading in SCRIPT:
            fake.enqueue(reading)
            before, sent = bot.llm.calls, len(fake.requests)
            turn = bot.reply("bench", text)
            calls.append(bot.llm.calls - before)
            estimated.append(bot.llm.last_prompt_tokens)
            measured.extend(sent_tokens(b) for b in fake.requests[sent:])
            fallbacks += any(n.startswith("The language model was unavailable") for n in turn.notices)
    figures: dict[str, Any] = {
        "method": method, "turns": len(SCRIPT), "knowledge": knowledge, "label": turn.recommendation.label.value if turn.recommendation else None,
        "calls_per_turn": calls, "calls_per_turn_max": max(calls), "fallbacks": fallbacks,
        "prompt_tokens_per_turn": estimated, "prompt_tokens_sent_per_turn": measured,
        "prompt_tokens_mean": round(statistics.mean(estimated), 1), "prompt_tokens_max": max(estimated + measured),
        "token_budget": settings.consultant_turn_token_budget,
    }
    figures["pass"] = {"calls_per_turn_max": figures["calls_per_turn_max"] <= 1 and fallbacks == 0,
                       "prompt_tokens_max": figures["prompt_tokens_max"] < 2500}
    return figures


def render(f: dict[str, Any]) -> str:
    def verdict(name: str) -> str:
        op, target = TARGETS[name]
        return f"target {op} {target:,}: {'PASS' if f['pass'][name] else 'MISS'}"

    return "\n".join([
        f"scripted consultation: {f['turns']} turns, structured method {f['method']}, knowledge store "
        f"{'on' if f['knowledge'] else 'off'}, recommendation {f['label']}, fallbacks {f['fallbacks']}",
        f"LLM calls per turn   {f['calls_per_turn']}   max {f['calls_per_turn_max']}   {verdict('calls_per_turn_max')}",
        f"prompt tokens/turn   {f['prompt_tokens_per_turn']} (client count, budget {f['token_budget']:,})",
        f"  as sent            {f['prompt_tokens_sent_per_turn']} (message texts + schema JSON, from the server's log)",
        f"  mean {f['prompt_tokens_mean']:,}   max {f['prompt_tokens_max']:,}   {verdict('prompt_tokens_max')}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_llm", description=__doc__)
    parser.add_argument("--method", choices=["json_schema", "function_calling"], default="json_schema")
    parser.add_argument("--no-knowledge", action="store_true", help="skip the knowledge store (no passages)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args.method, knowledge=not args.no_knowledge)
    print(render(figures))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0 if all(figures["pass"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
