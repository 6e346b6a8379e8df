"""The 12-month cost model: a hand-computed example to the cent, the break-even boundary, overrides."""

from pathlib import Path

import pytest

from consultant import Profile, recommend
from consultant.costs import compare_costs, load_cost_table
from consultant.errors import ConsultantError
from consultant.prompts import FINE_TUNED_TEMPLATE, RAG_ANSWER_TEMPLATE
from consultant.scoring import Label
from consultant.tokens import count_tokens


def test_prompt_templates_are_counted_with_tiktoken_offline():
    # o200k_base counts of the production templates; the hand computation below relies on them.
    assert count_tokens(RAG_ANSWER_TEMPLATE) == 81
    assert count_tokens(FINE_TUNED_TEMPLATE) == 15


def test_hand_computed_example_from_the_seed_figures_to_the_cent():
    # 100,000 queries a month, 8,000-token retrieval contexts (the seed's 6k-12k heavy case),
    # knowledge changing quarterly: 4 retraining runs at $34,000 (midpoint of the seed's $8k-$60k).
    c = compare_costs(Profile(monthly_queries=100_000, context_tokens=8_000, knowledge_change="quarterly"))
    rag, ft, hybrid = c.options["rag"], c.options["fine_tuning"], c.options["hybrid"]
    # RAG: 81 template + 60 question + 8,000 context = 8,141 input tokens at $0.40/M, 300 output at $1.60/M,
    # plus embedding the 60-token question at $0.02/M: (3,256.4 + 480 + 1.2) / 1e6 = $0.0037376 a query.
    assert rag.input_tokens == 8_141
    assert rag.per_query_usd == pytest.approx(0.0037376)
    assert rag.monthly_usd[1] == 1_173.76            # $800 infra + 100,000 x $0.0037376
    assert rag.monthly_usd[0] == 11_173.76           # + the $10,000 build in month 1
    assert rag.total_usd == 24_085.12                # 10,000 + 12 x 1,173.76
    # Fine-tuning: 15 + 60 = 75 input tokens at $0.80/M, 300 output at $3.20/M = $0.00102 a query;
    # runs in months 1, 4, 7, 10.
    assert ft.per_query_usd == pytest.approx(0.00102)
    assert ft.training_runs == 4
    assert ft.monthly_usd[0] == 34_502.00 and ft.monthly_usd[1] == 502.00
    assert ft.total_usd == 142_024.00                # 4 x 34,000 + 12 x 502
    # Hybrid: the RAG prompt on the fine-tuned model ($0.007474), one behaviour run, both kinds of upkeep:
    # 10,000 + 34,000 + 12 x (800 + 400 + 747.40).
    assert hybrid.total_usd == 67_368.80
    assert c.break_even_month is None


def _table(tmp_path: Path, run_usd: int) -> Path:
    path = tmp_path / "costs.toml"
    path.write_text(f"""
[prices]
input_per_mtok = 0.0
output_per_mtok = 0.0
finetuned_input_per_mtok = 0.0
finetuned_output_per_mtok = 0.0
embedding_per_mtok = 0.0
[rag]
build_usd = 0
vector_db_monthly_usd = 100
pipeline_maintenance_monthly_usd = 0
[fine_tuning]
training_run_usd = {run_usd}
model_ops_monthly_usd = 0
""")
    return path


def test_exactly_at_break_even_in_month_12_counts_as_paying_back(tmp_path):
    profile = Profile(need="know_more", knowledge_change="yearly", latency_budget_ms=2000, monthly_queries=1000,
                      context_tokens=8000)
    at = load_cost_table(_table(tmp_path, 1_200))   # RAG $100 x 12 == one $1,200 run
    assert compare_costs(profile, at).break_even_month == 12
    assert recommend(profile, at).label == Label.FINE_TUNING
    above = load_cost_table(_table(tmp_path, 1_201))
    assert compare_costs(profile, above).break_even_month is None
    assert recommend(profile, above).label == Label.RAG


def test_retraining_cadence_follows_knowledge_change_up_to_monthly():
    runs = {ch: compare_costs(Profile(knowledge_change=ch)).options["fine_tuning"].training_runs
            for ch in ("monthly", "quarterly", "yearly", "static")}
    assert runs == {"monthly": 12, "quarterly": 4, "yearly": 1, "static": 1}


@pytest.mark.parametrize("change", ["daily", "weekly"])
def test_knowledge_that_changes_faster_than_a_model_can_be_retrained_is_not_viable_not_a_huge_bill(change):
    c = compare_costs(Profile(knowledge_change=change, monthly_queries=100_000), need="know_more")
    ft = c.options["fine_tuning"]
    assert not ft.viable and "not viable" in ft.note and change in ft.note
    assert ft.training_runs == 12  # capped: never 52 or 365 runs
    assert c.break_even_month is None and c.cheapest != "fine_tuning"


def test_a_behaviour_need_compares_fine_tuning_with_prompting_not_with_rag():
    c = compare_costs(Profile(monthly_queries=3_000_000, knowledge_change="static"), need="behave_differently")
    assert c.baseline == "prompting" and c.shown[0] == "prompting"
    shot, rag = c.options["prompting"], c.options["rag"]
    assert shot.input_tokens < rag.input_tokens  # worked examples, no retrieved context
    know = compare_costs(Profile(monthly_queries=3_000_000, knowledge_change="static"), need="know_more")
    assert know.baseline == "rag"


def test_the_unknown_change_rate_costed_is_the_one_the_explanation_assumes():
    behave = compare_costs(Profile(), need="behave_differently")
    know = compare_costs(Profile(), need="know_more")
    assert behave.knowledge_change == "yearly" and know.knowledge_change == "monthly"
    assert any("stable" in a for a in behave.assumptions)
    assert any("more than once a quarter" in a for a in know.assumptions)


def test_cumulative_cost_is_month_by_month_and_never_decreases():
    c = compare_costs(Profile(monthly_queries=300_000))
    for option in c.options.values():
        assert len(option.cumulative_usd) == 12
        assert option.cumulative_usd == sorted(option.cumulative_usd)


def test_unknown_volume_and_context_are_assumed_and_said(tmp_path):
    c = compare_costs(Profile())
    assert c.monthly_queries == 10_000 and c.context_tokens == 2_000
    assert any("10,000" in a for a in c.assumptions)


def test_a_broken_costs_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[prices\ninput = ")
    with pytest.raises(ConsultantError, match="bad.toml"):
        load_cost_table(bad)
