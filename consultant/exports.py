"""Exports of a consultation: an Architecture Decision Record, JSON, and an eval scenario."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import yaml

from consultant.costs import CostTable
from consultant.messages import cost_table, show_value
from consultant.profile import SLOTS, Profile
from consultant.report import LABEL_TITLES
from consultant.safety import sanitize_markdown
from consultant.scoring import recommend


def slug(text: str, limit: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "consultation"


def scenario_yaml(thread_id: str, values: dict[str, Any]) -> str:
    """A script-mode scenario (CONTRACT section 3) replaying the user's messages, expecting today's outcome."""
    users = [m["content"] for m in values.get("transcript", []) if m["role"] == "user"]
    profile = Profile.model_validate(values.get("profile") or {})
    rec = values.get("recommendation") or {}
    doc: dict[str, Any] = {
        "id": f"{slug(users[0] if users else thread_id)}-{slug(thread_id, 12)}",
        "title": (users[0][:80] if users else "Exported consultation"),
        "source": f"exported consultation {thread_id}",
        "opening": users[0] if users else "",
        "turns": users[1:],
        "expect": {"recommendation": rec.get("label", "rag_prototype"), "profile": profile.known()},
    }
    header = (f"# why: exported on {datetime.now(UTC).date()}; the scorer gave {rec.get('label')} "
              f"(rule {rec.get('rule')}) for this conversation\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def profile_json(profile: Profile, table: CostTable | None = None) -> str:
    rec = recommend(profile, table)
    return json.dumps({"profile": profile.values(), "provenance": {k: v.model_dump() for k, v in profile.provenance.items()},
                       "recommendation": rec.to_dict()}, indent=2)


def adr_markdown(profile: Profile, table: CostTable | None, transcript: list[dict[str, Any]]) -> str:
    """Context, decision, reasons per dimension, consequences, costs and sources, ready for a planning doc."""
    rec = recommend(profile, table)
    label = rec.label.value
    first = next((m["content"] for m in transcript if m["role"] == "user"), "")
    sources: dict[str, None] = {}
    for m in transcript:
        for c in m.get("citations") or []:
            sources[f"{c['source']} › {c['heading'].split(' > ')[-1]}"] = None
    lines = [f"# ADR: {LABEL_TITLES[label]} for “{first[:70]}”", "",
             "- Status: proposed", f"- Date: {datetime.now(UTC).date()}",
             f"- Decision: **{label}** (confidence {rec.confidence:.0%})", "", "## Context", "",
             first or "(no description given)", "", "| dimension | value | from |", "|---|---|---|"]
    for slot, spec in SLOTS.items():
        prov = profile.provenance.get(slot)
        quote = (prov.source_message if prov else "").replace("|", "/")[:100]
        lines.append(f"| {spec.label} | {show_value(slot, getattr(profile, slot))} | {quote} |")
    lines += ["", "## Decision", "", rec.summary, "", "## Reasons by dimension", ""]
    lines += [f"- **{c.dimension}** ({c.favours.replace('_', ' ')}): {c.reason}" for c in rec.contributions
              if c.favours != "neutral"] or ["- (no dimension known yet)"]
    lines += ["", "## Consequences", ""]
    consequences = {
        "rag": ["Ongoing cost sits in retrieval infrastructure (vector store, embeddings, pipeline upkeep).",
                "Knowledge updates are immediate: re-index, no retraining.", "Every answer can cite its sources.",
                "Invest in chunking, embedding choice, ranking and re-ranking: naive RAG underperforms."],
        "fine_tuning": ["Upfront training cost ($8k-$60k per run) and a retraining pipeline to maintain.",
                        "Shorter prompts: lower per-query cost and latency at scale.",
                        "No source attribution: answers cannot be traced to documents.",
                        "Knowledge changes require a new training run."],
        "hybrid": ["Two systems to build and evaluate: a fine-tuned model and a retrieval layer.",
                   "Train or evaluate the fine-tuned model with retrieved context (RAFT-style), or retrieval can hurt it.",
                   "Behaviour is stable while knowledge stays current and citable."],
        "rag_prototype": ["Start small: a RAG prototype, measured in production.",
                          "Revisit this decision with the evidence it produces."],
    }[label]
    lines += [f"- {c}" for c in consequences]
    if rec.assumptions:
        lines += ["", "## Assumptions", ""] + [f"- {SLOTS[a.slot].label}: {a.assumed}" for a in rec.assumptions]
    if rec.flips:
        lines += ["", "## What would change this decision", ""] + [f"- {f.description}" for f in rec.flips]
    if rec.plan:
        lines += ["", "## Staged plan", ""] + [f"{i}. {s}" for i, s in enumerate(rec.plan, 1)]
    lines += ["", "## 12-month cost of ownership", "", cost_table(rec), "", "## Sources", ""]
    lines += [f"- {s}" for s in sources] or ["- (none cited)"]
    return sanitize_markdown("\n".join(lines)) + "\n"  # quotes of the user's words must not become markup
