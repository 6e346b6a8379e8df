"""Architecture consultant for AI teams: RAG, fine-tuning, hybrid, or a RAG prototype first."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# onnxruntime (the embedder, and Chroma) sends usage telemetry to Microsoft about 10 s after its first session on
# its Linux builds too, from native code no Python socket guard sees; `disable_telemetry_events()` does not stop
# it, this variable does, and only when set before onnxruntime is first imported. A host that sets it keeps its value.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from consultant.profile import Profile
from consultant.results import RecommendationResult
from consultant.scoring import Recommendation, recommend

if TYPE_CHECKING:
    from consultant.api import Consultant, Turn
    from consultant.healthcheck import Health

__all__ = ["Consultant", "Profile", "Recommendation", "RecommendationResult", "Turn", "health", "recommend"]


def health() -> Health:
    """Are the knowledge store and the checkpointer reachable? `consultant.health().ok`, `.reason` (one line)."""
    from consultant.healthcheck import health as check

    return check()


def __getattr__(name: str) -> Any:
    # The agent pulls in LangGraph and Chroma: load it only when asked for, so the scorer stays light.
    if name in ("Consultant", "Turn"):
        from consultant import api

        return getattr(api, name)
    raise AttributeError(name)
