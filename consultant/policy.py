"""The question policy: ask the unknown slot that can most change the recommendation, or stop and recommend."""

from __future__ import annotations

from typing import Any

from consultant.costs import CostTable, default_cost_table
from consultant.profile import SLOT_NAMES, Profile, SlotValue
from consultant.scoring import decide_label

MAX_ASKS = 2
MAX_UNCOUNTED = 3
"""How often per slot an instruction (or a message in another language) may put the open question again without
using up its asks: a message misread as an instruction and sent again must not loop forever; after these, such
a move counts as an ask like any other and the interview moves on."""
# Tie-break when several slots matter equally: the framework's order.
PRIORITY = ("need", "knowledge_change", "auditability", "latency_budget_ms", "labeled_examples", "monthly_queries",
            "context_tokens", "upfront_budget_usd", "output_type")
# A few values per slot, one on each side of every threshold the scorer uses.
REPRESENTATIVES: dict[str, tuple[SlotValue, ...]] = {
    "need": ("know_more", "behave_differently", "both"),
    "knowledge_change": ("weekly", "quarterly", "static"),
    "output_type": ("factual_answers", "classification"),
    "latency_budget_ms": (200, 2_000),
    "auditability": ("required", "not_needed"),
    "monthly_queries": (10_000, 3_000_000),
    "context_tokens": (1_500, 12_000),
    "labeled_examples": (0, 5_000, 200_000),
    "upfront_budget_usd": (5_000, 200_000),
}


def _label(profile: Profile, table: CostTable, memo: dict[tuple[SlotValue, ...], str], **changes: SlotValue) -> str:
    """The label of a what-if (`profile` with `changes`); `memo` holds the what-ifs one pass of the policy has
    already scored (the same combination comes up from several slots). Kept per pass on purpose: a memo that
    outlived the turn grew the heap the garbage collector walks, and the turn's p95 doubled with it."""
    key = tuple(changes[s] if s in changes else getattr(profile, s) for s in SLOT_NAMES)
    label = memo.get(key)
    if label is None:
        label = memo[key] = decide_label(profile.assume(**changes) if changes else profile, table)
    return label


def relevance(profile: Profile, table: CostTable | None = None,
              declined: tuple[str, ...] | list[str] = ()) -> dict[str, tuple[int, int]]:
    """How much each unknown slot could still change the label.

    Returns slot -> (labels it reaches alone, answers of another open slot under which it matters). A slot
    matters alone when one of its values changes the label as things stand; it matters jointly when it changes
    the label once one other open slot is answered: "stable knowledge" alone may not move RAG, but stable
    knowledge plus a 200 ms budget does.
    """
    table = table or default_cost_table()
    unknown = profile.unknown()
    memo: dict[tuple[SlotValue, ...], str] = {}
    current = _label(profile, table, memo)
    scores: dict[str, tuple[int, int]] = {}
    for slot in unknown:
        alone = {_label(profile, table, memo, **{slot: v}) for v in REPRESENTATIVES[slot]}
        jointly = 0
        for other in unknown:
            if other == slot or other in declined:
                continue  # a slot the user cannot answer will not make this one matter
            for w in REPRESENTATIVES[other]:
                if len({_label(profile, table, memo, **{other: w, slot: v}) for v in REPRESENTATIVES[slot]}) > 1:
                    jointly += 1
        if alone - {current} or jointly:
            scores[slot] = (len(alone - {current}), jointly)
    if any(s not in declined for s in scores):
        return scores
    return {**scores, **_with_two_others(profile, table, tuple(declined))}


_THREE_WAY: dict[tuple[str, tuple[SlotValue, ...], tuple[str, ...]], dict[str, tuple[int, int]]] = {}


def _with_two_others(profile: Profile, table: CostTable, declined: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Before the interview stops: does an open slot matter once *two* other open slots are answered?

    The cost rule needs three facts at once (stable knowledge, long prompts and a high volume): with a 2-second
    budget known, "how often does it change?" moves nothing alone or with any one other answer, yet yearly
    knowledge with 12,000-token prompts at 3 million queries a month is fine-tuning. The pairwise pass misses it,
    so this one runs only when that pass found nothing (it is about ten times the work), memoised per profile.
    """
    key = (table.fingerprint, tuple(profile.values().values()), declined)
    if key in _THREE_WAY:
        return _THREE_WAY[key]
    memo: dict[tuple[SlotValue, ...], str] = {}
    open_slots = [s for s in profile.unknown() if s not in declined]
    scores: dict[str, tuple[int, int]] = {}
    for slot in open_slots:
        others = [o for o in open_slots if o != slot]
        jointly = sum(
            1 for i, a in enumerate(others) for b in others[i + 1:] for v in REPRESENTATIVES[a] for w in REPRESENTATIVES[b]
            if len({_label(profile, table, memo, **{a: v, b: w, slot: x}) for x in REPRESENTATIVES[slot]}) > 1)
        if jointly:
            scores[slot] = (0, jointly)
    if len(_THREE_WAY) > 1024:
        _THREE_WAY.clear()
    _THREE_WAY[key] = scores
    return scores


MAX_CONFIRMATIONS = 1  # a proposal is confirmed once; "no" or "not sure" leaves the slot to its own question


def _options(proposal: dict[str, Any]) -> list[tuple[str, SlotValue]]:
    return [(str(proposal["slot"]), proposal["value"])] + [(str(s), v) for s, v in proposal.get("alternatives", [])]


def pick_proposal(profile: Profile, proposals: list[dict[str, Any]], asks: dict[str, int], declined: list[str],
                  table: CostTable | None = None) -> dict[str, Any] | None:
    """The weak reading to confirm now: the first one whose choices could change the label, need first.

    A proposal that could not change the recommendation is never asked about (and never stored).
    """
    table = table or default_cost_table()
    memo: dict[tuple[SlotValue, ...], str] = {}
    current = _label(profile, table, memo)
    ordered = sorted(proposals, key=lambda p: PRIORITY.index(p["slot"]) if p["slot"] in PRIORITY else 99)
    for proposal in ordered:
        slot = str(proposal["slot"])
        recheck = bool(proposal.get("recheck"))  # a held value that later facts put in doubt (gate._recheck_need)
        if (getattr(profile, slot) is not None and not recheck) or slot in declined or \
                asks.get(f"confirm:{slot}", 0) >= MAX_CONFIRMATIONS + recheck:
            continue
        options = [(s, v) for s, v in _options(proposal) if recheck or getattr(profile, s) is None]
        if any(_label(profile, table, memo, **{s: v}) != current for s, v in options):
            return proposal
    return None


def questions_left(profile: Profile, asks: dict[str, int], declined: list[str], table: CostTable | None = None) -> int:
    """About how many questions could still matter (the "question 2 of about 4" estimate)."""
    scores = relevance(profile, table, declined)
    return sum(1 for s in scores if s not in declined and asks.get(s, 0) < MAX_ASKS)


def next_slot(profile: Profile, asks: dict[str, int], declined: list[str],
              table: CostTable | None = None) -> str | None:
    """The slot to ask about next, or None when no open slot could still change the recommendation.

    Never re-asks a filled slot, never asks again a slot the user could not answer ("not sure"), and asks any
    slot at most twice (the second time only when the first answer was not understood).
    """
    scores = relevance(profile, table, declined)
    eligible = [s for s in scores if s not in declined and asks.get(s, 0) < MAX_ASKS]
    if not eligible:
        return None
    return min(eligible, key=lambda s: (-scores[s][0], PRIORITY.index(s)))
