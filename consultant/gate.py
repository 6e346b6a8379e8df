"""The evidence gate: what a reading may change in the profile, and what must be confirmed first.

A reading at or above `confidence.APPLY` is stored with its provenance. A weaker one (a need read only from the
use case, a bare figure, a conversion near a threshold) becomes a *proposal*: the question policy confirms it
with choices when it could change the recommendation, and otherwise it is never stored. A stored value is
replaced only by a correction, by an answer to its own question, or by a clearer reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from consultant import nlu
from consultant.errors import ConsultantError
from consultant.nlu import confidence as level
from consultant.nlu.readers.need import UNDECIDED
from consultant.nlu.reading import Candidate, Reading
from consultant.nlu.vocabulary import VOCABULARY as V
from consultant.profile import SLOTS, Profile
from consultant.rules import effective_need

SOFT_SLOTS = ("need", "output_type")  # read from the gist of a message: only replaced when asked or corrected


@dataclass
class GateResult:
    profile: Profile
    applied: list[Candidate] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)  # Candidate dicts awaiting confirmation
    rejected: list[dict[str, Any]] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # slots of proposals the user said no to


def _replaces(profile: Profile, c: Candidate, pending: str | None, corrects: bool) -> bool:
    """May this reading replace the value already held for its slot?"""
    prov = profile.provenance.get(c.slot)
    if prov is None or prov.extractor in ("default",):
        return True
    if prov.extractor == "user_edit" and c.slot != pending and not (c.correction or corrects):
        return False
    if c.correction or corrects or c.slot == pending:
        return c.confidence >= level.INFERRED or c.extractor == "chosen"
    if c.slot == "need" and c.value == "both" and c.confidence >= level.ANSWER:
        return True  # "both things, honestly": adds the other half to what was said before
    if c.slot in SOFT_SLOTS:
        # a need given in answer to its own question is not redefined by a remark answering another one
        return prov.confidence < level.ANSWER and c.confidence > prov.confidence
    return c.confidence >= prov.confidence


def _out_of_range(c: Candidate) -> str | None:
    spec = SLOTS.get(c.slot)
    if spec is not None and spec.maximum is not None and isinstance(c.value, int) and c.value > spec.maximum:
        return f"{c.slot}: must be at most {spec.maximum:,}"
    return None


def _confirmation(reading: Reading, text: str, confirming: dict[str, Any] | None, pending: str | None) -> str | None:
    """"yes" / "no" to "is that right?" about the proposal in flight (None when it is not such an answer)."""
    if not confirming or confirming.get("slot") != pending:
        return None
    same = [c for c in reading.candidates if c.slot == pending]
    if same:
        value = confirming.get("value")
        repeated = isinstance(value, int) and any(isinstance(c.value, int) and value and not c.alternatives and
                                                  abs(c.value - value) <= 0.1 * abs(value) for c in same)
        # saying the same figure again confirms it; another one replaces it; the same two figures again (the
        # message repeated) are still the question, not an answer to it
        # ... and the same words said again for a value ("state revises the list every quarter", twice) insist on it
        # (a reading strong enough to store is stored as it stands; a learned guess or a shrug insists on nothing)
        restated = not isinstance(value, int) and not confirming.get("recheck") and not reading.hedged and \
            all(c.value == value and not c.alternatives and not c.applies and c.extractor == "rules" for c in same)
        return "yes" if repeated or restated else None
    said = nlu.moves.intents(nlu.working_copy(text))
    if "yes" in said and not confirming.get("recheck"):
        return "yes"  # (a recheck asks "this or that?": a bare "yes" answers neither)
    if "no" in said:
        return "no"
    return None


def apply(profile: Profile, reading: Reading, *, text: str, pending: str | None, proposals: list[dict[str, Any]],
          confirming: dict[str, Any] | None, turn: int | None, when: str) -> GateResult:
    """Apply one reading to the profile; see the module docstring for the rules."""
    result = GateResult(profile=profile, proposals=[p for p in proposals
                                                    if profile.values().get(p["slot"]) is None or p.get("recheck")])
    answer = _confirmation(reading, text, confirming, pending)
    candidates = list(reading.candidates)
    if answer == "yes" and confirming is not None:
        confirmed = Candidate.from_dict(confirming)
        candidates.append(Candidate(**{**confirmed.__dict__, "confidence": level.CONFIRMED,
                                       "evidence": f"{confirmed.evidence} (confirmed: “{text.strip()[:60]}”)"}))
    elif answer == "no" and confirming is not None:
        result.refused.append(str(confirming["slot"]))
        result.proposals = [p for p in result.proposals if p["slot"] != confirming["slot"]]
    for c in candidates:
        problem = _out_of_range(c)
        if problem:
            result.rejected.append({"slot": c.slot, "evidence": c.evidence, "reason": problem})
            continue
        if not c.applies:
            standing = next((p for p in result.proposals if p["slot"] == c.slot), None)
            # a weaker reading in passing does not push out a standing proposal ("both", from an answer about
            # the need) that is still waiting to be confirmed
            weaker = standing is not None and float(standing.get("confidence", 0)) >= c.confidence and \
                standing.get("value") != c.value
            if result.profile.values().get(c.slot) is None and not weaker:
                result.proposals = [p for p in result.proposals if p["slot"] != c.slot] + [c.to_dict()]
            continue
        confidence = c.confidence
        if result.profile.values().get(c.slot) == c.value:
            prov = result.profile.provenance.get(c.slot)
            # the value we hold said again is no news, unless it answers its own question: "Behave differently"
            # to "both, or only behave differently?" settles a need read from the use case
            if prov is not None and prov.confidence >= c.confidence and (prov.answered or c.slot != pending):
                continue
            confidence = max(confidence, prov.confidence if prov is not None else 0.0)
        elif result.profile.values().get(c.slot) is not None and not _replaces(result.profile, c, pending,
                                                                              reading.corrects):
            continue
        try:
            result.profile = result.profile.update(
                c.slot, c.value, source_message=c.evidence, extractor=c.extractor,  # type: ignore[arg-type]
                confidence=confidence, at=when, turn=turn, rule=c.source, note=c.note,
                answered=c.slot == pending or c.confidence >= level.CONFIRMED)
        except ConsultantError as exc:
            result.rejected.append({"slot": c.slot, "evidence": c.evidence, "reason": str(exc)})
            continue
        result.applied.append(c)
        filled = c.slot
        result.proposals = [p for p in result.proposals if p["slot"] != filled and
                            filled not in {a[0] for a in p.get("alternatives", [])}]
    if not _take_back(result, reading, text, turn, when) and reading.hedged and pending and \
            result.profile.values().get(pending) is None and answer is None:
        result.declined.append(pending)
    # "how often do products change? honestly no idea": the shrug is about the slot the user named
    result.declined += [s for s in reading.hedged_about if result.profile.values().get(s) is None]
    if "output_type" in result.declined and UNDECIDED_USE.search(nlu.working_copy(text)):
        # "What it should actually do - answer questions, write things, sort things - nobody has decided": a need read
        # from the use case had nothing else to stand on; it is no longer proposed (asked, not assumed). A plain "not
        # sure" about the output leaves it standing.
        result.proposals = [p for p in result.proposals if p["slot"] != "need" or p.get("recheck")]
    recheck = _recheck_need(result.profile, result.applied, unknown_change="knowledge_change" in result.declined)
    if recheck is not None and not any(p.get("recheck") for p in result.proposals):
        result.proposals.append(recheck)
    return result


RETRACTION = re.compile(rf"(?<![a-z])(?:{V.retraction_markers})(?![a-z])")


def _take_back(result: GateResult, reading: Reading, text: str, turn: int | None, when: str) -> bool:
    """"I think the problem is the tone." ... "Actually, I take that back. I don't really know what's wrong yet": a
    message that takes the last answer back and gives no new value leaves what that answer filled unknown again
    (the slots the previous message filled; not values the user typed into the profile panel). With a shrug, the
    slot is left open rather than asked again. Returns whether anything was taken back."""
    if turn is None or any(c.applies for c in reading.candidates) or \
            RETRACTION.search(nlu.working_copy(text)) is None:
        return False
    profile = result.profile
    taken = [slot for slot, prov in profile.provenance.items()
             if prov.turn == turn - 1 and prov.extractor != "user_edit" and getattr(profile, slot) is not None]
    for slot in taken:
        result.profile = result.profile.update(slot, None, source_message=text.strip()[:200], extractor="rules",
                                               confidence=0.0, at=when, turn=turn, rule="retraction")
        if reading.hedged:
            result.declined.append(slot)
    if taken:  # the weak readings of the message taken back go with it ("the tone" proposed as the output too)
        result.proposals = [p for p in result.proposals if p.get("recheck")]
    return bool(taken)


VOLATILE = ("daily", "weekly", "monthly")
UNDECIDED_USE = UNDECIDED  # the need reader's pattern (vocabulary `undecided_use`), one compiled copy


def _recheck_need(profile: Profile, applied: list[Candidate], unknown_change: bool = False) -> dict[str, Any] | None:
    """"Generate job postings in our brand voice" ... "pay bands change monthly": a behaviour need read from the
    use case, then knowledge that changes often. Does it have to know those facts too (both), or do they come
    in with each request? Proposed, so the consultant asks when the answer could change the recommendation.

    The same holds when the user cannot say how often the knowledge changes: for a behaviour need an unknown
    change rate counts as stable (fine-tuning), for "both" as changing (hybrid), so the need decides."""
    need, prov = profile.need, profile.provenance.get("need")
    change = next((c for c in applied if c.slot == "knowledge_change" and c.value in VOLATILE), None)
    if need != "behave_differently" or prov is None or prov.answered or (change is None and not unknown_change):
        return None
    evidence = change.evidence if change is not None else "how often the knowledge changes is not known"
    return {"slot": "need", "value": "both", "confidence": level.INFERRED, "evidence": evidence,
            "source": "recheck.volatile_knowledge", "extractor": "rules", "note": "",
            "alternatives": [["need", "behave_differently"]], "correction": False, "recheck": True}


def _assumable(proposal: dict[str, Any]) -> bool:
    """May an unconfirmed reading stand in for its slot? A need read from the use case may; so may an amount
    said in another currency (the amount and the currency were said; only the exchange rate is ours). A bare
    figure whose slot was a guess may not."""
    if proposal["slot"] == "need":
        return float(proposal.get("confidence", 0)) >= level.INFERRED
    return proposal.get("source") == "mention.money" and bool(proposal.get("note"))


def with_proposals(profile: Profile, proposals: list[dict[str, Any]], declined: list[str]) -> Profile:
    """The profile a recommendation is scored on when the user moves on without confirming a reading: each
    unconfirmed proposal that may stand in (`_assumable`) fills its still-unknown slot as an
    assumption, marked as such in its provenance, unless the user said they don't know. The stored profile is
    never changed."""
    scored = profile
    for proposal in proposals:
        slot = str(proposal["slot"])
        if not _assumable(proposal) or getattr(scored, slot) is not None or slot in declined:
            continue  # "not sure" to the confirmation: the reading is dropped, not assumed
        if slot == "need" and effective_need(scored) not in (None, proposal["value"]) and proposal["value"] != "both":
            # "... reason through job sequencing like our planner does" (a reasoning pattern, stored), then a know-more
            # guess from "our changeover rules" that was never confirmed: the need the stored output type implies
            # stands; an unconfirmed guess does not overrule what was read
            continue
        try:
            scored = scored.update(slot, proposal["value"], source_message=f"{proposal.get('evidence', '')} "
                                   "(assumed from your description, not confirmed)", extractor="default",
                                   confidence=float(proposal["confidence"]), at="assumed",
                                   rule=str(proposal.get("source") or ""))
        except ConsultantError:
            continue
    return scored
