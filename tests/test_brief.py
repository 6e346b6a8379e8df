"""The decision brief: one model, rendered for chat, ADR, PDF and terminal, with evidence that holds."""

from __future__ import annotations

import random
import re
import uuid

import pytest
import yaml

from consultant.api import Consultant
from consultant.assets import knowledge_dir
from consultant.brief import build_brief, feature_title, render
from consultant.brief.model import citation_map, reason_citation
from consultant.kb.documents import load_document
from consultant.profile import SLOTS, Profile
from consultant.scoring import recommend

KNOWLEDGE = knowledge_dir()
RAW_LABELS = re.compile(r"\b(?:rag_prototype|fine_tuning|behave_differently|know_more|not_needed|upfront_budget_usd|"
                        r"latency_budget_ms|monthly_queries)\b|`rag`")


def _sections() -> dict[tuple[str, str], str]:
    """(file, section heading) -> the stance its file declares for it."""
    out = {}
    for path in KNOWLEDGE.glob("*.md"):
        doc = load_document(path, path.read_bytes())
        for section in doc.sections:
            out[(path.name, section.heading_path[-1])] = doc.stance(section.heading_path[-1])
    return out


def _profiles(n: int = 2500) -> list[Profile]:
    """A seeded sample across every slot's values (and unknowns), thresholds included."""
    rng = random.Random(7)
    ints = {"latency_budget_ms": [200, 300, 301, 2000], "monthly_queries": [1_000, 300_000, 20_000_000],
            "context_tokens": [1_500, 8_000, 12_000], "labeled_examples": [0, 99, 100, 5_000, 150_000],
            "upfront_budget_usd": [5_000, 7_999, 8_000, 90_000]}
    out = []
    for _ in range(n):
        values = {}
        for slot, spec in SLOTS.items():
            options = list(spec.values) if spec.is_enum else ints[slot]
            values[slot] = rng.choice([None, *options])
        out.append(Profile(**values))
    return out


@pytest.fixture(scope="module")
def consultant(tmp_path_factory) -> Consultant:
    return Consultant()


def test_every_reason_the_scorer_gives_cites_a_section_that_argues_the_same_way():
    sections = _sections()
    seen = set()
    for profile in _profiles():
        for c in recommend(profile).contributions:
            if c.favours == "neutral":
                continue
            seen.add((c.slot, c.favours))
    assert len(seen) >= 12  # the sample reaches the reasons of every dimension
    for slot, favours in sorted(seen):
        entry = reason_citation(slot, favours)
        assert entry is not None, f"no citation for a reason of {slot} pointing to {favours}"
        stance = sections.get((entry["file"], entry["section"]))
        assert stance is not None, f"{slot}/{favours}: {entry} is not a section of consultant/knowledge/"
        assert stance in (favours, "neutral"), f"{slot}/{favours} cites {entry['section']!r}, which argues for {stance}"


def test_every_cited_section_exists_and_label_citations_match_their_label():
    sections = _sections()
    data = citation_map()
    for label, entry in data["labels"].items():
        assert sections.get((entry["file"], entry["section"])) in (label, "neutral"), entry
    for entry in data["answers"].values():
        assert (entry["file"], entry["section"]) in sections, entry


def test_a_brief_ties_each_reason_to_the_users_words_and_the_passage_text(consultant):
    thread = f"brief-{uuid.uuid4().hex[:8]}"
    consultant.reply(thread, "We want an assistant that answers claims adjusters' questions from our policy wording.")
    consultant.reply(thread, "Know more")
    consultant.reply(thread, "The wording changes every week.")
    brief = consultant.brief(thread)
    assert brief.title.startswith("An assistant that answers claims adjusters")
    assert brief.label == "rag" and brief.headline == "RAG"
    volatility = next(r for r in brief.reasons if r.slot == "knowledge_change")
    assert volatility.quote and "every week" in volatility.quote
    assert volatility.evidence is not None and volatility.evidence.stance == "rag"
    assert len(volatility.evidence.text) > 100  # the passage itself, not a file name


def test_thresholds_and_labels_read_as_people_say_them():
    profile = Profile(need="behave_differently", knowledge_change="static", labeled_examples=5_000,
                      upfront_budget_usd=50_000, auditability="not_needed")
    brief = build_brief(profile, recommend(profile))
    changes = " ".join(brief.changes)
    assert "fewer than about 100 labeled examples" in changes
    assert "budget under about $8,000" in changes
    text = render.chat(brief, "settled") + render.adr(brief) + render.text(brief)
    assert not RAW_LABELS.search(text), RAW_LABELS.search(text)
    assert "99" not in changes and "7,999" not in changes


def test_the_adr_has_a_feature_title_options_deciders_sources_by_title_and_the_users_currency(consultant):
    thread = f"adr-{uuid.uuid4().hex[:8]}"
    consultant.reply(thread, "We want a model that writes our product descriptions in our brand voice.")
    consultant.reply(thread, "It never changes.")
    consultant.reply(thread, "About 20,000 approved descriptions.")
    consultant.reply(thread, "We have 60k euros.")
    adr = consultant.export_adr(thread)
    first = adr.splitlines()[0]
    assert first.startswith("# A model that writes our product descriptions") and first.endswith(": Fine-tuning")
    for heading in ("## Context", "## Options considered", "## Decision", "## Consequences", "## Cost over 12 months",
                    "## Open questions", "## Sources"):
        assert heading in adr
    assert "| Deciders |" in adr and "(chosen)" in adr
    assert "€60,000" in adr  # the user's currency kept beside the dollars
    sources = adr.split("## Sources")[1]
    assert ".md" not in sources and "›" in sources
    assert not RAW_LABELS.search(adr)
    pdf = consultant.export_pdf(thread)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1_000


def test_a_what_if_is_a_scenario_beside_the_answers_never_over_them(consultant):
    thread = f"whatif-{uuid.uuid4().hex[:8]}"
    consultant.reply(thread, "We want an assistant that answers questions from our help center.")
    consultant.reply(thread, "Know more")
    consultant.reply(thread, "Policies change every week.")
    before = consultant.state(thread)
    consultant.what_if(thread, "knowledge_change", "static")
    consultant.what_if(thread, "latency_budget_ms", 200)
    after = consultant.state(thread)
    assert after.profile == before.profile  # the user's answers are untouched
    said, scenario = consultant.brief(thread), consultant.brief(thread, what_if=True)
    assert said.label == "rag" and scenario.label == "fine_tuning"
    row = next(r for r in scenario.rows if r.slot == "knowledge_change")
    assert row.said == "weekly" and row.what_if == "hardly ever (static)"
    assert "What-if scenario" in consultant.export_adr(thread, what_if=True)
    exported = yaml.safe_load(consultant.export_scenario(thread))
    assert exported["expect"]["profile"]["knowledge_change"] == "weekly"  # the eval scenario is what they said
    assert exported["expect"]["recommendation"] == "rag"
    consultant.reset_what_if(thread)
    assert consultant.scenario(thread) == {} and consultant.brief(thread, what_if=True).label == "rag"


def test_a_what_if_with_a_bad_value_is_a_clear_error_naming_the_field(consultant):
    from consultant.errors import ConsultantError

    thread = f"whatif-{uuid.uuid4().hex[:8]}"
    consultant.reply(thread, "We want an assistant that answers questions from our help center.")
    with pytest.raises(ConsultantError, match="knowledge_change"):
        consultant.what_if(thread, "knowledge_change", "hourly")


def test_after_the_recommendation_a_change_gets_a_short_reply_not_the_whole_brief(consultant):
    thread = f"delta-{uuid.uuid4().hex[:8]}"
    consultant.reply(thread, "We want an assistant that answers questions from our help center.")
    consultant.reply(thread, "Know more")
    first = consultant.reply(thread, "Policies change every week.")
    assert first.recommendation is not None and "### RAG" in first.message
    later = consultant.reply(thread, "We get about 60 million questions a month.")
    assert "Still **RAG**" in later.message and "###" not in later.message
    assert len(later.message) < len(first.message) / 3


def test_feature_titles_come_from_what_the_team_wants():
    assert feature_title("Hi! We want a bot that answers adjusters' questions. It's urgent.") == \
        "A bot that answers adjusters' questions"
    assert feature_title("") == ""
    assert len(feature_title("We want " + "a very long feature description " * 10)) <= 73


def test_every_slot_has_a_plain_question_for_panels_and_briefs():
    assert all(spec.question.endswith("?") and "_" not in spec.question for spec in SLOTS.values())


def test_the_team_can_set_its_own_prices_and_every_figure_follows(consultant):
    from consultant.errors import ConsultantError

    thread = f"prices-{uuid.uuid4().hex[:8]}"
    consultant.reply(thread, "We want an assistant that answers questions from our help center.")
    consultant.reply(thread, "Know more")
    consultant.reply(thread, "Policies change every week, about 300k questions a month.")
    before = consultant.brief(thread).costs
    consultant.set_costs(thread, {"prices.input_per_mtok": 4.0})
    after = consultant.brief(thread).costs
    rag_before, rag_after = before.rows[0], after.rows[0]
    assert rag_after.per_thousand > rag_before.per_thousand * 5
    assert any("$4.00" in a for a in after.assumptions)  # the assumption behind the figure says so
    assert "$4.00" in consultant.export_adr(thread)
    with pytest.raises(ConsultantError, match="prices.input_per_mtok"):
        consultant.set_costs(thread, {"prices.input_per_mtok": -1})
    with pytest.raises(ConsultantError, match="vector_db"):
        consultant.set_costs(thread, {"rag.vector_db": 1})
    consultant.set_costs(thread, {})
    assert consultant.brief(thread).costs.rows[0].per_thousand == rag_before.per_thousand
