"""Typed results for embedders: the recommendation a `Turn` carries, as pydantic models with `.model_dump()`.

The graph stores the recommendation as JSON (`Recommendation.to_dict()`); `Turn.recommendation` reads it back
into these models, so `turn.recommendation.label`, `.confidence` and `.flips[0].description` are typed and
`turn.recommendation.model_dump()` is the stored document again. `Turn.profile` is the `Profile` model itself.
Unknown keys a newer version may store are kept (`extra="allow"`), so a dump never loses them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from consultant.profile import SlotValue
from consultant.rules import Label


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")


class ContributionResult(_Result):
    """What one known slot says: which option it favours, how strongly (0..1) and why."""

    dimension: str
    slot: str
    value: SlotValue
    favours: str = Field(description="A label value, or 'neutral'.")
    strength: float
    reason: str


class AssumptionResult(_Result):
    """What was assumed for an unknown slot."""

    slot: str
    assumed: str


class FlipResult(_Result):
    """A single-slot change that would change the label."""

    slot: str
    value: SlotValue
    label: Label
    description: str


class OptionCostResult(_Result):
    """One option's 12 months."""

    per_query_usd: float
    twelve_month_usd: float
    training_runs: float
    cumulative_usd: list[float]
    viable: bool = True
    note: str = ""


class CostsResult(_Result):
    """The options side by side, with what was assumed to compute them."""

    monthly_queries: int
    context_tokens: int
    break_even_month: int | None = None
    baseline: str = "rag"
    shown: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    prices: list[str] = Field(default_factory=list)
    options: dict[str, OptionCostResult] = Field(default_factory=dict)


class RecommendationResult(_Result):
    """The recommendation of a consultation (the JSON view of `consultant.scoring.Recommendation`)."""

    label: Label
    confidence: float = Field(ge=0.0, le=1.0)
    rule: str
    summary: str
    explanation: str = ""
    contributions: list[ContributionResult] = Field(default_factory=list)
    assumptions: list[AssumptionResult] = Field(default_factory=list)
    flips: list[FlipResult] = Field(default_factory=list)
    plan: list[str] = Field(default_factory=list)
    costs: CostsResult | None = None
