"""Every example and counter-example in consultant/nlu/lexicon/*.yaml is a test.

An entry's examples must fire (affirmed, in the right place); its counter-examples must not fire affirmatively.
Word classes of the vocabulary type every figure of their examples as their kind, and no figure of their
counter-examples. Polarity triggers give the stated polarity for the stated cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from consultant.nlu.lexicon import LEXICONS, Entry, hits, lexicon
from consultant.nlu.mentions import find_mentions
from consultant.nlu.polarity import polarity, triggers
from consultant.nlu.text import clause_at, clauses, fix_typos, working_copy
from consultant.nlu.vocabulary import VOCABULARY

ENTRIES = [(name, entry) for name in LEXICONS for entry in lexicon(name).entries]


def _fires(name: str, entry: Entry, text: str) -> bool:
    """Does the entry fire affirmatively on `text`, read as it would be: as an answer to its slot's question
    for answer-only entries, in passing (context required) for the others."""
    t = working_copy(fix_typos(text))
    lex = lexicon(name)
    pending = (entry.slot or lex.slot) if entry.answer_only or lex.examples_as_answers else None
    return any(h.affirmed for h in hits(name, t, clauses(t), pending) if h.entry.id == entry.id)


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[e.id for _, e in ENTRIES])
def test_every_example_fires_and_no_counter_example_does(name: str, entry: Entry) -> None:
    for example in entry.examples:
        assert _fires(name, entry, example), f"{entry.id} should fire on {example!r}"
    for counter in entry.counter_examples:
        assert not _fires(name, entry, counter), f"{entry.id} fired on its counter-example {counter!r}"


def test_entry_ids_are_unique() -> None:
    ids = [e.id for _, e in ENTRIES]
    assert len(ids) == len(set(ids))


KINDS = [(name, cls) for name, cls in VOCABULARY.classes.items() if cls.kind in ("count", "people", "categories",
                                                                                 "version", "id")]


@pytest.mark.parametrize(("name", "cls"), KINDS, ids=[n for n, _ in KINDS])
def test_word_classes_type_their_examples(name: str, cls) -> None:  # noqa: ANN001
    for example in cls.examples:
        kinds = [m.kind for m in find_mentions(working_copy(example))]
        assert cls.kind in kinds, f"{name}: {example!r} typed as {kinds}"
    for counter in cls.counter_examples:
        kinds = [m.kind for m in find_mentions(working_copy(counter))]
        assert cls.kind not in kinds, f"{name}: counter-example {counter!r} typed as {kinds}"


POLARITY = [(name, example) for name in ("pre_negation", "post_negation", "pre_dismissal", "free_relative",
                                         "modifier_dismissal",
                                         "pre_hypothetical",
                                         "post_dismissal",
                                         "refer_back_dismissal", "pseudo_negation",
                                         "right_after_dismissal", "alone_after_dismissal", "negation_heading",
                                         "verdict_subject", "complaint")
            for example in getattr(triggers(), name).examples]


@pytest.mark.parametrize(("name", "example"), POLARITY, ids=[f"{n}:{e[:30]}" for n, e in POLARITY])
def test_polarity_examples(name: str, example: str) -> None:
    text, cue, expected = (part.strip() for part in example.split("=>"))
    t = working_copy(text)
    m = re.search(re.escape(cue), t)
    assert m is not None, f"cue {cue!r} not in {text!r}"
    assert polarity(t, clause_at(clauses(t), m.start()), m.start(), m.end()) == expected


def _marker_matchers() -> list[tuple[str, Callable[[str], object]]]:
    from consultant.gate import RETRACTION, UNDECIDED_USE
    from consultant.nlu.readers.context import CORRECTION
    from consultant.nlu.readers.need import reported_spans

    return [("opinion_verbs", reported_spans), ("correction_markers", CORRECTION.search),
            ("undecided_use", UNDECIDED_USE.search), ("retraction_markers", RETRACTION.search)]


@pytest.mark.parametrize(("name", "matches"), _marker_matchers(), ids=[n for n, _ in _marker_matchers()])
def test_marker_classes_find_their_examples_and_not_their_counter_examples(name: str,
                                                                           matches: Callable[[str], object]) -> None:
    """Word classes read by one pattern: "I think" reports an opinion, "sorry, 500k" corrects, "nobody has decided
    what it should do" leaves the use open, "I take that back" retracts (a plain "sorry" does not)."""
    cls = VOCABULARY.classes[name]
    for example in cls.examples:
        assert matches(working_copy(example)), example
    for counter in cls.counter_examples:
        assert not matches(working_copy(counter)), counter


def test_service_metrics_examples_are_todays_operation_and_counter_examples_are_not() -> None:
    """A dashboard's figures ("average speed to answer is 41 seconds", "210,000 calls a month, AHT 5:10") are no
    response-time budget and no stored volume; the counter-examples are read as said."""
    from consultant.nlu import read

    metrics = VOCABULARY.classes["service_metrics"]
    for example in metrics.examples:
        applied = {c.slot for c in read(example).candidates if c.applies}
        assert not applied & {"latency_budget_ms", "monthly_queries"}, example
    for counter in metrics.counter_examples:
        applied = {c.slot for c in read(counter).candidates if c.applies}
        assert applied & {"latency_budget_ms", "monthly_queries"}, counter


def test_not_budget_words_examples_are_no_budget_and_counter_examples_are() -> None:
    """Revenue, running costs, quotes and fines are not the upfront budget, even in answer to the budget question;
    "Fine, it's $5,000" is an answer (the word is an interjection, not a penalty)."""
    from consultant.nlu import read

    words = VOCABULARY.classes["not_budget_words"]
    for example in words.examples:
        assert "upfront_budget_usd" not in read(example, "upfront_budget_usd").slots(), example
    for counter in words.counter_examples:
        assert "upfront_budget_usd" in read(counter, "upfront_budget_usd").slots(), counter


@pytest.mark.parametrize("name", ["chosen_after", "not_this_idea"])
def test_idea_classes_match_their_examples_and_not_their_counter_examples(name: str) -> None:
    """The words that pick an idea after its name, and those that set a fact aside as another idea's: each example
    holds them, no counter-example does (a sentence they match is read as about another idea)."""
    cls = VOCABULARY.classes[name]
    pattern = re.compile(rf"(?<![a-z])(?:{cls.alternation()})(?![a-z])")
    for example in cls.examples:
        assert pattern.search(working_copy(example)), example
    for counter in cls.counter_examples:
        assert not pattern.search(working_copy(counter)), counter


def test_facts_said_of_an_idea_set_aside_are_not_read() -> None:
    """"The upsell classifier had 15,000 labeled bookings, but we're not doing that": the examples are another
    idea's; "We're not doing that by hand anymore" sets nothing aside."""
    from consultant.nlu import read

    for name in ("not_this_idea", "not_doing_that"):
        for example in VOCABULARY.classes[name].examples:
            assert not set(read(example, "knowledge_change").slots()) - {"need"}, example
    budget = "Our cap is $7,999: anything at $8,000 or more needs board sign-off, and we're not doing that."
    assert read(budget, "upfront_budget_usd").slots() == {"upfront_budget_usd": 7999}
    assert set(read("We're not doing that by hand anymore; it changes weekly.", "knowledge_change").slots()) == \
        {"knowledge_change"}


def test_pipeline_words_examples_are_no_response_time_and_counter_examples_are() -> None:
    """How fresh the data is or how long a load runs ("our data freshness SLA is 1 hour") is no response-time
    budget, even in answer to the latency question; the counter-examples are."""
    from consultant.nlu import read

    words = VOCABULARY.classes["pipeline_words"]
    for example in words.examples:
        assert "latency_budget_ms" not in read(example, "latency_budget_ms").slots(), example
    for counter in words.counter_examples:
        assert "latency_budget_ms" in read(counter, "latency_budget_ms").slots(), counter


def test_other_parties_figures_are_not_stored_and_the_counter_examples_keep_theirs() -> None:
    """A figure in a clause about a competitor, a vendor's demo or a bigger peer is at most proposed; the user's own
    figure beside it (or a clause where the user says "we") is read."""
    from consultant.nlu import read

    numeric = {"monthly_queries", "context_tokens", "latency_budget_ms", "labeled_examples", "upfront_budget_usd"}
    for example in VOCABULARY.classes["other_parties"].examples:
        assert not {c.slot for c in read(example).candidates if c.applies} & numeric, example
    for counter in VOCABULARY.classes["other_parties"].counter_examples:
        assert {c.slot for c in read(counter).candidates if c.applies} & numeric, counter


@pytest.mark.parametrize("name", ["current_markers", "target_markers"])
def test_current_and_target_markers_time_their_examples(name: str) -> None:
    """A figure in a current marker's example describes today's system; in a target marker's, the requirement."""
    cls = VOCABULARY.classes[name]
    want, other = ("current", "target") if name == "current_markers" else ("target", "current")
    for example in cls.examples:
        whens = [m.when for m in find_mentions(working_copy(example))]
        assert want in whens, f"{name}: {example!r} timed as {whens}"
    for counter in cls.counter_examples:
        whens = [m.when for m in find_mentions(working_copy(counter))]
        assert want not in whens and other in whens, f"{name}: counter-example {counter!r} timed as {whens}"


@pytest.mark.parametrize("name", ["hypothetical_markers", "hypothetical_after"])
def test_hypothetical_markers_mark_their_examples_figures(name: str) -> None:
    """A figure in an example is said under a condition (Context.hypothetical); in a counter-example it is not."""
    from consultant.nlu.readers.context import Context

    cls = VOCABULARY.classes[name]
    for text, want in [(e, True) for e in cls.examples] + [(c, False) for c in cls.counter_examples]:
        t = working_copy(text)
        ctx = Context(text, t)
        figures = [m for m in ctx.mentions if m.kind not in ("id", "year", "version")]
        assert figures, f"{name}: no figure in {text!r}"
        assert any(ctx.hypothetical(m.start, m.end) for m in figures) == want, f"{name}: {text!r}"


def test_security_cadence_examples_are_no_change_rate_and_counter_examples_are() -> None:
    """Keys rotated, logs retained, backups taken on a schedule are deployment policy ("we rotate keys every 90
    days"); the counter-examples say how often the knowledge itself changes."""
    from consultant.nlu import read

    cadence = VOCABULARY.classes["security_cadence"]
    for example in cadence.examples:
        applied = {c.slot: c.value for c in read(example, "knowledge_change").candidates if c.applies}
        assert "knowledge_change" not in applied, example
    for counter in cadence.counter_examples:
        applied = {c.slot: c.value for c in read(counter, "knowledge_change").candidates if c.applies}
        assert "knowledge_change" in applied, counter
