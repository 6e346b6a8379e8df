"""The scorer: one test per framework rule, the boundaries, and properties that must always hold."""

from hypothesis import given, settings
from hypothesis import strategies as st

from consultant import Profile, recommend
from consultant.profile import SLOTS, make_profile
from consultant.scoring import Label


def label(**slots):
    return recommend(Profile(**slots)).label


# --- one test per rule ----------------------------------------------------------------------------------

def test_key_question_know_more_leads_to_the_rag_family():
    assert label(need="know_more") == Label.RAG


def test_key_question_behave_differently_leads_to_the_fine_tuning_family():
    assert label(need="behave_differently") == Label.FINE_TUNING


def test_know_more_with_knowledge_changing_more_than_quarterly_is_rag():
    rec = recommend(Profile(need="know_more", knowledge_change="weekly", latency_budget_ms=150))
    assert rec.label == Label.RAG
    assert rec.rule == "volatile_knowledge"
    assert any("$8k-$60k" in c.reason for c in rec.contributions if c.slot == "knowledge_change")


def test_know_more_stable_without_a_driver_stays_rag():
    assert label(need="know_more", knowledge_change="yearly", latency_budget_ms=2000, monthly_queries=20_000) == Label.RAG


def test_know_more_stable_with_sub_300ms_latency_is_fine_tuning():
    rec = recommend(Profile(need="know_more", knowledge_change="static", latency_budget_ms=250))
    assert rec.label == Label.FINE_TUNING
    assert rec.rule == "stable_knowledge_latency"


def test_know_more_stable_with_volume_and_long_context_is_fine_tuning_for_cost():
    rec = recommend(Profile(need="know_more", knowledge_change="yearly", latency_budget_ms=2000,
                            monthly_queries=2_000_000, context_tokens=8_000))
    assert rec.label == Label.FINE_TUNING
    assert rec.rule == "stable_knowledge_cost"
    assert rec.costs.break_even_month is not None and rec.costs.break_even_month <= 12


def test_behave_differently_with_current_knowledge_is_hybrid():
    assert label(need="behave_differently", knowledge_change="daily") == Label.HYBRID


def test_behave_differently_with_source_attribution_is_hybrid():
    assert label(need="behave_differently", auditability="required") == Label.HYBRID


def test_both_needs_with_unknown_change_rate_is_hybrid():
    assert label(need="both") == Label.HYBRID


def test_auditability_required_makes_know_more_rag_outright():
    rec = recommend(Profile(need="know_more", knowledge_change="static", latency_budget_ms=100,
                            auditability="required"))
    assert rec.label == Label.RAG
    assert rec.rule == "auditability_required"


def test_large_labeled_dataset_strengthens_fine_tuning():
    base = dict(need="behave_differently", knowledge_change="yearly")
    small = recommend(Profile(**base, labeled_examples=5_000))
    large = recommend(Profile(**base, labeled_examples=250_000))
    assert small.label == large.label == Label.FINE_TUNING
    assert large.confidence > small.confidence


def test_unknown_need_is_a_rag_prototype_with_the_staged_plan():
    rec = recommend(Profile())
    assert rec.label == Label.RAG_PROTOTYPE
    assert len(rec.plan) == 3 and rec.plan[0].startswith("Stage 1")


def test_behaviour_need_without_training_data_is_a_rag_prototype():
    assert label(need="behave_differently", labeled_examples=0) == Label.RAG_PROTOTYPE


def test_budget_below_one_training_run_blocks_fine_tuning():
    assert label(need="behave_differently", upfront_budget_usd=5_000) == Label.RAG_PROTOTYPE
    assert label(need="know_more", knowledge_change="static", latency_budget_ms=200,
                 upfront_budget_usd=5_000) == Label.RAG


def test_output_type_answers_the_key_question_when_need_is_unknown():
    assert label(output_type="factual_answers") == Label.RAG
    assert label(output_type="classification") == Label.FINE_TUNING


# --- boundaries -----------------------------------------------------------------------------------------

def test_latency_boundary_300_is_fine_tuning_301_is_not():
    stable = dict(need="know_more", knowledge_change="yearly")
    assert label(**stable, latency_budget_ms=300) == Label.FINE_TUNING
    assert label(**stable, latency_budget_ms=301) == Label.RAG


def test_change_boundary_quarterly_is_stable_monthly_is_not():
    fast = dict(need="know_more", latency_budget_ms=200)
    assert label(**fast, knowledge_change="quarterly") == Label.FINE_TUNING
    assert label(**fast, knowledge_change="monthly") == Label.RAG


def test_examples_boundary_99999_and_100000():
    base = dict(need="behave_differently", knowledge_change="static")
    below = recommend(Profile(**base, labeled_examples=99_999))
    at = recommend(Profile(**base, labeled_examples=100_000))
    assert at.confidence > below.confidence
    def strength(rec):
        return next(c.strength for c in rec.contributions if c.slot == "labeled_examples")

    assert strength(at) > strength(below)


def test_examples_boundary_99_and_100_for_a_training_set():
    assert label(need="behave_differently", labeled_examples=99) == Label.RAG_PROTOTYPE
    assert label(need="behave_differently", labeled_examples=100) == Label.FINE_TUNING


def test_budget_boundary_7999_and_8000():
    assert label(need="behave_differently", upfront_budget_usd=7_999) == Label.RAG_PROTOTYPE
    assert label(need="behave_differently", upfront_budget_usd=8_000) == Label.FINE_TUNING


# --- explanation content --------------------------------------------------------------------------------

def test_contributions_name_the_users_value_and_the_threshold():
    rec = recommend(Profile(need="know_more", knowledge_change="yearly", latency_budget_ms=250))
    latency = next(c for c in rec.contributions if c.slot == "latency_budget_ms")
    assert "250 ms" in latency.reason and "300 ms" in latency.reason
    assert latency.favours == "fine_tuning"


def test_assumptions_cover_every_unknown_slot():
    p = Profile(need="know_more")
    assert {a.slot for a in recommend(p).assumptions} == set(p.unknown())


def test_flip_reads_like_a_sentence():
    rec = recommend(Profile(need="know_more", knowledge_change="weekly"))
    assert rec.label == Label.RAG
    hybrid = [f for f in rec.flips if f.slot == "need"]
    assert hybrid and all(f.description.startswith("if ") for f in hybrid)
    stable = recommend(Profile(need="know_more", knowledge_change="yearly", latency_budget_ms=250))
    assert any(f.slot == "knowledge_change" and f.value == "monthly" and f.label == Label.RAG for f in stable.flips)


# --- properties -----------------------------------------------------------------------------------------

def _enum(slot):
    return st.none() | st.sampled_from(SLOTS[slot].values)


profiles = st.builds(
    lambda **kw: make_profile(kw),
    need=_enum("need"), knowledge_change=_enum("knowledge_change"), output_type=_enum("output_type"),
    auditability=_enum("auditability"),
    latency_budget_ms=st.none() | st.integers(1, 10_000),
    monthly_queries=st.none() | st.integers(0, 50_000_000),
    context_tokens=st.none() | st.integers(0, 50_000),
    labeled_examples=st.none() | st.integers(0, 1_000_000),
    upfront_budget_usd=st.none() | st.integers(0, 1_000_000),
)


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_property_the_same_profile_always_gives_the_same_recommendation(p):
    a, b = recommend(p), recommend(p.model_copy(deep=True))
    assert a.to_dict() == b.to_dict()


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_property_required_auditability_never_yields_fine_tuning(p):
    assert recommend(p.with_values(auditability="required")).label != Label.FINE_TUNING


@settings(max_examples=200, deadline=None)
@given(profiles, st.sampled_from(["daily", "weekly", "monthly"]))
def test_property_knowledge_changing_monthly_or_faster_never_yields_fine_tuning(p, change):
    assert recommend(p.with_values(knowledge_change=change)).label != Label.FINE_TUNING


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_property_know_more_with_required_auditability_is_rag(p):
    assert recommend(p.with_values(need="know_more", auditability="required")).label == Label.RAG


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_property_each_reported_flip_really_flips_the_label(p):
    rec = recommend(p)
    for flip in rec.flips:
        assert recommend(p.with_values(**{flip.slot: flip.value})).label == flip.label != rec.label


def test_the_cost_driver_needs_long_retrieval_prompts():
    short = dict(need="know_more", knowledge_change="yearly", latency_budget_ms=2000, monthly_queries=3_000_000)
    assert label(**short, context_tokens=2_000) == Label.RAG
    assert label(**short) == Label.RAG  # unknown context is assumed short (~2,000 tokens)
    assert label(**short, context_tokens=5_999) == Label.RAG
    assert label(**short, context_tokens=6_000) == Label.FINE_TUNING
