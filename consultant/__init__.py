"""Architecture consultant for AI teams: RAG, fine-tuning, hybrid, or a RAG prototype first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from consultant.offline import quiet_environment

quiet_environment()  # before anything imports onnxruntime: it reads its telemetry switch when it loads

from consultant.profile import Profile  # noqa: E402
from consultant.results import RecommendationResult  # noqa: E402
from consultant.scoring import Recommendation, recommend  # noqa: E402

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
