"""One structured log line per turn, on the `consultant.turn` logger (INFO).

    thread=cli-1a2b turn=3 outcome=ok action=ask slots_changed=knowledge_change,need label=- ms=41.7 path=offline

Fields: the thread id, the turn number, the outcome (`ok`, `rejected`: the message was refused before the
conversation, `failed`: a node raised and the turn was rolled back), the move the agent chose, the slots whose
value changed, the recommendation's label once one is given (`-` before), the wall time of the call in ms and
the reading path (`llm`, or `offline` for the rules and learned readers, including an LLM fallback). Never the
user's words. The same fields ride on the record as `record.turn` (a dict) for structured handlers.
Library code only emits: the CLI and UI set the level (CONSULTANT_LOG_LEVEL=INFO shows these lines).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from consultant.profile import SLOT_NAMES

TURN_LOGGER = logging.getLogger("consultant.turn")
NONE = "-"  # how an absent field reads in the line


def _slots(values: dict[str, Any]) -> dict[str, Any]:
    profile = values.get("profile") or {}
    return {slot: profile.get(slot) for slot in SLOT_NAMES}


def turn_fields(thread_id: str, before: dict[str, Any], after: dict[str, Any], *, outcome: str,
                ms: float) -> dict[str, Any]:
    """The turn's fields from the state before and after it (graph values)."""
    done = outcome == "ok"
    old, new = _slots(before), _slots(after)
    rec = after.get("recommendation") if after.get("recommended") else None
    return {
        "thread": thread_id,
        "turn": int(after.get("turn") or 0),
        "outcome": outcome,
        "action": after.get("action") if done else None,
        "slots_changed": [slot for slot in SLOT_NAMES if old[slot] != new[slot]],
        "label": rec.get("label") if isinstance(rec, dict) else None,
        "ms": round(ms, 1),
        "path": (after.get("understanding") or {}).get("path", "offline") if done else None,
    }


def _value(value: Any) -> str:
    if value is None or value == []:
        return NONE
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return json.dumps(text) if not text or any(c.isspace() or c in '="' for c in text) else text


def turn_line(fields: dict[str, Any]) -> str:
    """key=value pairs; a value with spaces, '=' or quotes is JSON-quoted."""
    return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


def log_turn(thread_id: str, before: dict[str, Any], after: dict[str, Any], *, outcome: str, ms: float) -> None:
    if TURN_LOGGER.isEnabledFor(logging.INFO):
        fields = turn_fields(thread_id, before, after, outcome=outcome, ms=ms)
        TURN_LOGGER.info(turn_line(fields), extra={"turn": fields})
