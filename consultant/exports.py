"""Exports of a consultation: JSON and an eval scenario (the ADR and the PDF are renderers of the brief)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import yaml

from consultant.costs import CostTable
from consultant.profile import Profile
from consultant.scoring import recommend


def slug(text: str, limit: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "consultation"


def scenario_yaml(thread_id: str, values: dict[str, Any], table: CostTable | None = None) -> str:
    """A script-mode scenario (CONTRACT section 3) replaying the user's messages, expecting what those messages
    lead to: values edited in the panel and what-if scenarios are not in the messages, so they are left out."""
    users = [m["content"] for m in values.get("transcript", []) if m["role"] == "user"]
    profile = Profile.model_validate(values.get("profile") or {})
    edited = [s for s, p in profile.provenance.items() if p.extractor == "user_edit"]
    if edited:
        profile = profile.assume(**dict.fromkeys(edited))
    rec = recommend(profile, table).to_dict() if edited else values.get("recommendation") or {}
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
