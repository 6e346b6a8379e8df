"""The evidence gate: what is stored, what is proposed, and what later facts put back in doubt."""

from __future__ import annotations

from consultant import gate
from consultant.nlu import read
from consultant.profile import Profile


def _apply(profile: Profile, text: str, pending: str | None) -> gate.GateResult:
    return gate.apply(profile, read(text, pending, profile.values()), text=text, pending=pending, proposals=[],
                      confirming=None, turn=1, when="t1")


def test_a_behaviour_need_read_from_the_use_case_is_rechecked_when_the_knowledge_turns_out_volatile():
    opened = _apply(Profile(), "We want a model that writes our outreach emails in our brand voice.", None).profile
    assert opened.need == "behave_differently" and not opened.provenance["need"].answered
    result = _apply(opened, "The offers it mentions change every week.", "knowledge_change")
    recheck = [p for p in result.proposals if p.get("recheck")]
    assert [(p["slot"], p["value"]) for p in recheck] == [("need", "both")]
    assert result.profile.need == "behave_differently"  # proposed, never stored silently


def test_a_behaviour_need_is_rechecked_when_the_user_cannot_say_how_often_the_knowledge_changes():
    # unknown change: stable for a behaviour need (fine-tuning), changing for "both" (hybrid), so the need decides
    opened = _apply(Profile(), "We want a bot that leaves code review comments the way our senior reviewers would.",
                    None).profile
    result = _apply(opened, "Honestly, I don't know. I'd just be guessing.", "knowledge_change")
    assert "knowledge_change" in result.declined
    recheck = [p for p in result.proposals if p.get("recheck")]
    assert [(p["slot"], p["value"]) for p in recheck] == [("need", "both")]


def test_a_bare_yes_to_an_either_or_recheck_confirms_neither_side_and_its_words_decide():
    opened = _apply(Profile(), "We want a model that writes our outreach emails in our brand voice.", None).profile
    recheck = next(p for p in _apply(opened, "The offers change every week.", "knowledge_change").proposals
                   if p.get("recheck"))
    for text, need in (("Yes.", "behave_differently"),
                       ("Yes, is more about how it talk, not what it know.", "behave_differently")):
        result = gate.apply(opened, read(text, "need"), text=text, pending="need", proposals=[recheck],
                            confirming=recheck, turn=3, when="t3")
        assert result.profile.need == need, text


def test_the_held_need_named_in_answer_to_its_recheck_settles_it():
    # "Behave differently" to "both, or only behave differently?": the value we hold, now answered, is asked no more
    opened = _apply(Profile(), "We want a model that writes our outreach emails in our brand voice.", None).profile
    recheck = next(p for p in _apply(opened, "The offers change every week.", "knowledge_change").proposals
                   if p.get("recheck"))
    text = "Behave differently - the offers come in with each request."
    result = gate.apply(opened, read(text, "need"), text=text, pending="need", proposals=[recheck],
                        confirming=recheck, turn=3, when="t3")
    assert result.profile.need == "behave_differently" and result.profile.provenance["need"].answered
    assert not [p for p in result.proposals if p.get("recheck")]


def test_a_need_the_user_gave_in_answer_to_its_question_is_not_rechecked():
    answered = _apply(Profile(), "Behave differently: it has to write like us.", "need").profile
    assert answered.provenance["need"].answered
    result = _apply(answered, "The offers it mentions change every week.", "knowledge_change")
    assert not [p for p in result.proposals if p.get("recheck")]


def test_the_same_two_figures_again_are_not_an_answer_to_which_one():
    text = "Payroll costs $400,000. Maybe $6,000 could go to this."
    first = read(text, "upfront_budget_usd")
    weak = next(c for c in first.candidates if c.slot == "upfront_budget_usd")
    assert weak.alternatives, "two budgets and nothing to tell them apart: asked, not stored"
    result = gate.apply(Profile(), read(text, "upfront_budget_usd"), text=text, pending="upfront_budget_usd",
                        proposals=[weak.to_dict()], confirming=weak.to_dict(), turn=2, when="t2")
    assert result.profile.upfront_budget_usd is None  # repeating the message picks neither
    said = "$6,000."
    chosen = gate.apply(Profile(), read(said, "upfront_budget_usd"), text=said, pending="upfront_budget_usd",
                        proposals=[weak.to_dict()], confirming=weak.to_dict(), turn=3, when="t3")
    assert chosen.profile.upfront_budget_usd == 6_000


def _at(profile: Profile, text: str, pending: str | None, turn: int) -> gate.GateResult:
    return gate.apply(profile, read(text, pending, profile.values()), text=text, pending=pending, proposals=[],
                      confirming=None, turn=turn, when=f"t{turn}")


def test_an_answer_taken_back_leaves_its_slot_open_again_and_the_question_asked_is_not_declined():
    said = _at(Profile(), "It's the tone, I'd say.", "need", 1).profile
    assert said.need == "behave_differently"
    result = _at(said, "Scratch that - honestly I have no idea what's wrong with it yet.", "knowledge_change", 2)
    assert result.profile.need is None and "need" in result.declined
    assert "knowledge_change" not in result.declined
    assert [c.slot for c in result.profile.history] == ["need"]  # the change is on record
    # "sorry" corrects a figure; it takes nothing back
    kept = _at(said, "Sorry, no idea.", "knowledge_change", 2)
    assert kept.profile.need == "behave_differently" and "knowledge_change" in kept.declined
    # only what the previous message filled is taken back
    later = _at(said, "Scratch that, I don't know.", "knowledge_change", 3)
    assert later.profile.need == "behave_differently"
