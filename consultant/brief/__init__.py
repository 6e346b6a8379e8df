"""The decision brief: one model (`model.py`) and one renderer per medium (chat, ADR, PDF, terminal text)."""

from consultant.brief import render
from consultant.brief.model import Brief, build_brief, feature_title

__all__ = ["Brief", "build_brief", "feature_title", "render"]
