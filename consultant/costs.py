"""12-month cost of ownership for rag, fine_tuning and hybrid; prices live in costs.toml (overridable)."""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from consultant.errors import ConsultantError
from consultant.profile import Profile

MONTHS = 12
OPTIONS = ("rag", "fine_tuning", "hybrid", "prompting")
BEHAVE = "behave_differently"


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


#: The largest value any cost setting may take in a costs file. A trillion dollars, tokens or runs is far
#: beyond any real case, and bounding it keeps every sum a finite float (a 400-digit integer would overflow).
MAX_COST_SETTING = 1e12


def _number_problem(value: Any) -> str | None:
    """Why `value` cannot be a cost setting (None when it can): a finite number from 0 to MAX_COST_SETTING."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, got {type(value).__name__} {str(value)[:40]!r}"
    if isinstance(value, int) and value.bit_length() > 64:
        return f"must be at most {MAX_COST_SETTING:,.0f}, got a {len(str(abs(value)))}-digit number"
    if not math.isfinite(value):
        return f"must be a finite number, got {value}"
    if not 0 <= value <= MAX_COST_SETTING:
        return f"must be between 0 and {MAX_COST_SETTING:,.0f}, got {value:g}"
    return None


def check_overrides(defaults: dict[str, Any], override: Any, where: str = "") -> None:
    """A costs file has the shape of costs.toml: the same tables, the same keys, numbers where it has numbers
    (finite, 0 to MAX_COST_SETTING). Raises
    ConsultantError naming the first bad field, e.g. `prices.input_per_mtok: must be a number, got str 'cheap'`."""
    if not isinstance(override, dict):
        raise ConsultantError(f"{where or 'the costs file'}: must be a table of settings, got "
                              f"{type(override).__name__}")
    for key, value in override.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in defaults:
            known = ", ".join(sorted(defaults))
            raise ConsultantError(f"{name}: not a cost setting (known here: {known})")
        if isinstance(defaults[key], dict):
            check_overrides(defaults[key], value, name)
            continue
        problem = _number_problem(value)
        if problem:
            raise ConsultantError(f"{name}: {problem}")


@dataclass(frozen=True)
class CostTable:
    """Prices and assumptions, plus the token counts of the production prompt templates."""

    data: dict[str, Any]
    rag_template_tokens: int
    ft_template_tokens: int

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the table's content (memo keys must not depend on object identity)."""
        return json.dumps([self.data, self.rag_template_tokens, self.ft_template_tokens], sort_keys=True)

    def get(self, section: str, key: str) -> Any:
        return self.data[section][key]

    @property
    def runs_per_year(self) -> dict[str, float]:
        return dict(self.data["fine_tuning"]["runs_per_year"])

    def with_overrides(self, overrides: dict[str, float] | None) -> CostTable:
        """This table with the user's own prices ("prices.input_per_mtok", "fine_tuning.training_run_usd"...).

        Only the assumptions in ADJUSTABLE may change, each within its range; the decision rules keep the
        framework's thresholds (a training run's $8,000 floor is the framework's, not a price)."""
        if not overrides:
            return self
        data = json.loads(json.dumps(self.data))
        for key, value in overrides.items():
            spec = ADJUSTABLE.get(key)
            if spec is None:
                raise ConsultantError(f"{key}: not an adjustable cost assumption (one of {', '.join(ADJUSTABLE)})")
            number = float(value)
            if not spec[1] <= number <= spec[2]:
                raise ConsultantError(f"{key}: {number:g} is outside {spec[1]:g}-{spec[2]:g}")
            section, name = key.split(".")
            data[section][name] = number
        key = json.dumps([self.fingerprint, sorted(overrides.items())])
        if key not in _OVERRIDDEN:
            if len(_OVERRIDDEN) > 256:
                _OVERRIDDEN.clear()
            _OVERRIDDEN[key] = CostTable(data, self.rag_template_tokens, self.ft_template_tokens)
        return _OVERRIDDEN[key]


# The cost assumptions a user may set for their own case: key -> (label, minimum, maximum).
ADJUSTABLE: dict[str, tuple[str, float, float]] = {
    "prices.input_per_mtok": ("Base model input, $ per million tokens", 0.01, 100.0),
    "prices.output_per_mtok": ("Base model output, $ per million tokens", 0.01, 400.0),
    "prices.finetuned_input_per_mtok": ("Fine-tuned model input, $ per million tokens", 0.01, 200.0),
    "prices.finetuned_output_per_mtok": ("Fine-tuned model output, $ per million tokens", 0.01, 800.0),
    "fine_tuning.training_run_usd": ("One retraining run, $", 100.0, 1_000_000.0),
}
_OVERRIDDEN: dict[str, CostTable] = {}


def load_cost_table(override: Path | None = None) -> CostTable:
    """The default table, with `override` (a TOML file) merged on top; templates counted with tiktoken."""
    from consultant.prompts import FINE_TUNED_TEMPLATE, RAG_ANSWER_TEMPLATE
    from consultant.tokens import count_tokens

    data = tomllib.loads((Path(__file__).parent / "costs.toml").read_text("utf-8"))
    if override is not None:
        try:
            given = tomllib.loads(Path(override).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
            raise ConsultantError(f"cost table {override}: {exc}") from None
        try:
            check_overrides(data, given)
        except ConsultantError as exc:
            raise ConsultantError(f"cost table {override}: {exc}") from None
        data = _merge(data, given)
    return CostTable(data, count_tokens(RAG_ANSWER_TEMPLATE), count_tokens(FINE_TUNED_TEMPLATE))


@lru_cache(maxsize=1)
def default_cost_table() -> CostTable:
    """The table of the configured costs file (CONSULTANT_COSTS_FILE), loaded once per process."""
    from consultant.config import get_settings

    return load_cost_table(get_settings().consultant_costs_file)


@dataclass(frozen=True)
class OptionCost:
    """One option's 12 months: per-query cost, fixed costs and the cumulative curve."""

    option: str
    per_query_usd: float
    input_tokens: int
    training_runs: float
    upfront_usd: float
    monthly_usd: list[float]
    cumulative_usd: list[float]
    viable: bool = True
    note: str = ""  # why it is not viable, in plain words

    @property
    def total_usd(self) -> float:
        return self.cumulative_usd[-1]


@dataclass(frozen=True)
class CostComparison:
    """The three options side by side, with what was assumed to compute them."""

    options: dict[str, OptionCost]
    monthly_queries: int
    context_tokens: int
    knowledge_change: str
    break_even_month: int | None  # first month fine-tuning's cumulative cost is at or below the baseline's
    assumptions: list[str] = field(default_factory=list)
    baseline: str = "rag"  # what fine-tuning is compared with: retrieval, or prompting for a behaviour need
    prices: list[str] = field(default_factory=list)  # the price assumptions every figure rests on

    @property
    def cheapest(self) -> str:
        return min((o for o in self.options.values() if o.viable), key=lambda o: o.total_usd).option

    @property
    def shown(self) -> list[str]:
        """The options worth comparing for this need: a behaviour need is compared with prompting, not RAG."""
        first = "prompting" if self.baseline == "prompting" else "rag"
        return [first, "fine_tuning", "hybrid"]


def _per_query(table: CostTable, input_tokens: int, finetuned: bool) -> float:
    prices = table.data["prices"]
    inp = prices["finetuned_input_per_mtok"] if finetuned else prices["input_per_mtok"]
    out = prices["finetuned_output_per_mtok"] if finetuned else prices["output_per_mtok"]
    return (input_tokens * inp + table.get("query", "output_tokens") * out) / 1_000_000


def _runs_by_month(runs_per_year: float) -> list[float]:
    """Training runs falling in each month: the first at launch, the rest spread evenly."""
    if runs_per_year >= MONTHS:
        return [runs_per_year / MONTHS] * MONTHS
    runs = [0.0] * MONTHS
    count = max(1, round(runs_per_year))
    for i in range(count):
        runs[(i * MONTHS) // count] += 1
    return runs


def _option(option: str, per_query: float, input_tokens: int, upfront: float, monthly: float,
            runs: list[float], run_cost: float, queries: int) -> OptionCost:
    bills = [monthly + queries * per_query + r * run_cost for r in runs]
    bills[0] += upfront
    cumulative, total = [], 0.0
    for bill in bills:
        total += bill
        cumulative.append(round(total, 2))
    return OptionCost(option, per_query, input_tokens, round(sum(runs), 6), upfront, [round(b, 2) for b in bills],
                      cumulative)


def assumed_change(need: str | None) -> str:
    """The change rate costed when it is unknown, the same one the explanation states: a behaviour task is
    stable (one training run); knowledge is assumed to change more than once a quarter (retrieval's case)."""
    return "yearly" if need == BEHAVE else "monthly"


def compare_costs(profile: Profile, table: CostTable | None = None, need: str | None = None) -> CostComparison:
    """12-month cost of ownership of each option at the profile's volume, context and change rate.

    `need` is the key question's answer (inferred by the caller when unknown): it picks the baseline fine-tuning
    is compared with and the change rate assumed when none is known.
    """
    table = table or default_cost_table()
    q, rag_cfg, ft_cfg = table.data["query"], table.data["rag"], table.data["fine_tuning"]
    prompt_cfg = table.data["prompting"]
    assumptions = []
    queries = profile.monthly_queries
    if queries is None:
        queries = int(q["default_monthly_queries"])
        assumptions.append(f"volume assumed at {queries:,} queries a month")
    context = profile.context_tokens
    if context is None:
        context = int(q["default_context_tokens"])
        assumptions.append(f"retrieval context assumed at {context:,} tokens (top 3-5 chunks)")
    change: str = profile.knowledge_change or assumed_change(need)
    if profile.knowledge_change is None:
        assumptions.append("knowledge assumed stable (one training run a year)" if change == "yearly" else
                           "knowledge assumed to change more than once a quarter (monthly retraining)")

    embed = q["question_tokens"] * table.get("prices", "embedding_per_mtok") / 1_000_000
    rag_in = table.rag_template_tokens + q["question_tokens"] + context
    ft_in = table.ft_template_tokens + q["question_tokens"]
    shot_in = table.ft_template_tokens + q["question_tokens"] + int(prompt_cfg["few_shot_tokens"])
    rag_monthly = rag_cfg["vector_db_monthly_usd"] + rag_cfg["pipeline_maintenance_monthly_usd"]
    run_cost = float(ft_cfg["training_run_usd"])
    max_runs = float(ft_cfg.get("max_runs_per_year", 12))
    wanted_runs = float(table.runs_per_year[change])
    viable = wanted_runs <= max_runs
    no_runs = [0.0] * MONTHS

    options = {
        "rag": _option("rag", _per_query(table, rag_in, False) + embed, rag_in, rag_cfg["build_usd"],
                       rag_monthly, no_runs, 0.0, queries),
        "fine_tuning": _option("fine_tuning", _per_query(table, ft_in, True), ft_in, 0.0,
                               ft_cfg["model_ops_monthly_usd"], _runs_by_month(min(wanted_runs, max_runs)),
                               run_cost, queries),
        "hybrid": _option("hybrid", _per_query(table, rag_in, True) + embed, rag_in, rag_cfg["build_usd"],
                          rag_monthly + ft_cfg["model_ops_monthly_usd"],
                          _runs_by_month(table.data["hybrid"]["behaviour_runs_per_year"]), run_cost, queries),
        "prompting": _option("prompting", _per_query(table, shot_in, False), shot_in, prompt_cfg["build_usd"],
                             prompt_cfg["monthly_usd"], no_runs, 0.0, queries),
    }
    if not viable:
        ft = options["fine_tuning"]
        options["fine_tuning"] = OptionCost(**{**ft.__dict__, "viable": False, "note": (
            f"not viable: the knowledge changes {change}, faster than a model can be retrained "
            f"(at most {max_runs:g} runs a year)")})
    baseline = "prompting" if need == BEHAVE else "rag"
    base_curve, ft_curve = options[baseline].cumulative_usd, options["fine_tuning"].cumulative_usd
    break_even = next((m + 1 for m in range(MONTHS) if ft_curve[m] <= base_curve[m]), None) if viable else None
    return CostComparison(options, queries, context, change, break_even, assumptions, baseline, _prices(table))


def _prices(table: CostTable) -> list[str]:
    """The assumptions behind every cost figure, in the words the card and the ADR print."""
    p, ft = table.data["prices"], table.data["fine_tuning"]
    return [
        f"base model ${p['input_per_mtok']:.2f} / ${p['output_per_mtok']:.2f} per million input / output tokens; "
        f"fine-tuned ${p['finetuned_input_per_mtok']:.2f} / ${p['finetuned_output_per_mtok']:.2f}",
        f"one training run ${float(ft['training_run_usd']):,.0f} (the framework's ${float(ft['training_run_low_usd']):,.0f}"
        f"-${float(ft['training_run_high_usd']):,.0f} range); at most {float(ft.get('max_runs_per_year', 12)):g} a year",
        f"{table.get('query', 'output_tokens')} output tokens per answer; RAG adds "
        f"${table.data['rag']['vector_db_monthly_usd'] + table.data['rag']['pipeline_maintenance_monthly_usd']:,.0f} "
        "a month for its vector store and pipeline",
    ]
