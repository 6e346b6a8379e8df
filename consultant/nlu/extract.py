"""Rule-based slot extraction: every slot a message mentions, using the pending question as context."""

from __future__ import annotations

import re
from collections.abc import Mapping

from consultant.nlu import lexicon as lx
from consultant.nlu.quantities import numeric_updates
from consultant.nlu.text import INT_SLOTS, SlotUpdate, evidence_of, fix_typos, normalise

__all__ = ["INT_SLOTS", "SlotUpdate", "evidence_of", "extract", "fix_typos", "is_hedge", "normalise"]


def _last_match(patterns: list[tuple[str, re.Pattern[str]]], t: str) -> list[tuple[str, re.Match[str]]]:
    found = [(value, m) for value, rx in patterns for m in rx.finditer(t)]
    return sorted(found, key=lambda vm: vm[1].start())


def _negated(t: str, m: re.Match[str], fine_after: bool = True) -> bool:
    """Negated ("not about tone") or waved off ("the tone is fine") within its clause."""
    before = t[max(0, m.start() - 40):m.start()]
    clause_start = max(before.rfind(c) for c in ".,;!?") + 1
    if lx.NEGATION.search(before[clause_start:]):
        return True
    rest = re.split(r"[,;.!?]| but ", t[m.end():m.end() + 60])[0]  # "is fine" must be about this cue
    if fine_after and re.match(r"^[^.;!?]{0,60}?,\s*(?:and\s+)?(?:that|which|this|it)(?:'s| is) (?:fine|ok|okay|good enough|"
                               r"all we need)", t[m.end():m.end() + 90]):
        return True  # "it can sound like a generic assistant, that's fine"
    return fine_after and bool(lx.FINE_AFTER.match(rest))


def _change_update(text: str, t: str, pending: str | None, masked: str, current: object = None) -> SlotUpdate | None:
    matches = _last_match(lx.CHANGE_PATTERNS, masked)
    # drop overlapping weaker matches ("every two weeks" also contains "every ... week")
    chosen: list[tuple[str, re.Match[str]]] = []
    for value, m in matches:
        if chosen and m.start() < chosen[-1][1].end():
            if m.end() - m.start() > chosen[-1][1].end() - chosen[-1][1].start():
                chosen[-1] = (value, m)
            continue
        chosen.append((value, m))
    rejected = {value for value, m in chosen
                if re.search(r"\bnot\s*(?:even\s*)?$|\bno longer\s*$|\binstead of\s*$|\brather than\s*$",
                             masked[max(0, m.start() - 25):m.start()])}
    valid = []
    for value, m in chosen:
        if value in rejected:
            continue  # "monthly, not quarterly ... the quarterly thing was the board review"
        if value == "static" and m.group(0) in ("stable", "locked", "settled") and pending != "knowledge_change":
            window = masked[max(0, m.start() - 60):m.end() + 60]
            if not re.search(r"chang|updat|content|knowledge|docs|data|corpus|catalog|rules|polic", window):
                continue
        before = masked[max(0, m.start() - 25):m.start()]
        if re.search(r"\bnot\s*(?:even\s*)?$|\bno longer\s*$|\binstead of\s*$|\brather than\s*$", before):
            continue
        if pending != "knowledge_change":
            window = masked[max(0, m.start() - 80):m.end() + 60]
            if not lx.CHANGE_CONTEXT.search(window):
                continue
        valid.append((value, m))
    valid = [(v, m) for v, m in valid
             if not (v == "static" and re.match(r"\s*(?:how|the way|its|the model|the tone|the style|the behaviou?r)",
                                                masked[m.end():m.end() + 20]))]
    if not valid:
        return None
    from consultant.profile import CHANGE_ORDER

    correcting = bool(lx.CORRECTION_BETWEEN.search(masked))
    fresh = [(v, m) for v, m in valid if v != current]
    if len({v for v, _ in valid}) > 1 and not correcting:
        # "new devices land each quarter; otherwise the manuals don't change": the knowledge changes as often as
        # its most volatile part
        value, m = min(valid, key=lambda vm: CHANGE_ORDER.index(vm[0]))
    elif correcting and current is not None and fresh:
        value, m = fresh[0]  # "I was wrong: it changes once a year. Monthly was the release notes."
    else:
        value, m = valid[-1]
    return SlotUpdate("knowledge_change", value, 0.9 if pending == "knowledge_change" else 0.8,
                      "rules", evidence_of(text, m.start(), m.end()), m.start())


def _own_clause(t: str, m: re.Match[str]) -> str:
    """The clause a match sits in: from the last sentence break or contrast word before it to the next one after."""
    start = max([t.rfind(c, 0, m.start()) for c in ".;!?"] +
                [x.end() for x in re.finditer(r"\b(?:but|though|although|however)\b", t[:m.start()])] + [-1])
    end_match = re.search(r"[.;!?]|\b(?:but|though|although|however)\b", t[m.end():])
    end = m.end() + end_match.start() if end_match else len(t)
    return t[max(start, 0):end]


def _audit_update(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    hits: list[tuple[int, str, re.Match[str]]] = []
    for m in lx.AUDIT_NOT_NEEDED.finditer(t):
        weak = m.group(0) in ("irrelevant",) or re.match(r"not (?:\w+ )?(?:needed|necessary|important|required|a priority|"
                                                          r"relevant)|(?:don't|do not) (?:really )?care", m.group(0))
        if weak and pending != "auditability" and not re.search(
                r"cit|source|trace|audit|referenc|attribut", t[max(0, m.start() - 50):m.end() + 30]):
            continue  # "format irrelevant" says nothing about citations
        hits.append((m.start(), "not_needed_weak" if weak else "not_needed", m))
    for m in lx.AUDIT_REQUIRED.finditer(t):
        if any(h[2].start() <= m.start() < h[2].end() for h in hits):
            continue
        clause = t[max(t.rfind(c, 0, m.start()) for c in ".;!?:") + 1:m.end() + 80].split(".")[0]
        if m.group(0).startswith("audit") and pending != "auditability" and not re.search(
                r"trail|trace|source|cite|citation|evidence|prove|show|answers?|responses?|output|want|need|require|"
                r"check|ask|must|traceab|defensib", clause.replace(m.group(0), "")):
            continue  # "after every monthly safety audit" names an event, not a need for attribution
        ambiguous = m.group(0) in ("sec", "cms", "ema", "pci", "gdpr", "liable", "liability", "content")
        if ambiguous and pending != "auditability" and not re.search(r"cite|source|trace|audit|regulat|complian", t):
            continue
        if lx.AUDIT_METAPHOR.search(t[max(0, m.start() - 20):m.end()]):
            continue  # "the compiler is the auditor"
        value = "not_needed_neg" if _negated(t, m) or lx.AUDIT_NEGATED_AFTER.match(t[m.end():m.end() + 60]) else "required"
        clause = _own_clause(t, m)
        if value == "required" and lx.AUDIT_PREFERRED.search(clause):
            value = "preferred"  # "audit-wise it's nice to have"
        hits.append((m.start(), value, m))
    for m in lx.AUDIT_PREFERRED.finditer(t):
        if pending == "auditability" or re.search(r"cit|source|referenc|trace|link|audit", t[max(0, m.start() - 60):m.end() + 60]):
            if m.group(0) in ("prefer", "preferred", "optional", "appreciate") and pending != "auditability" and \
                    not re.search(r"cit|source", t[max(0, m.start() - 40):m.end() + 40]):
                continue
            hits.append((m.start(), "preferred", m))
    if not hits and pending == "auditability":
        if lx.YES.match(t):
            return SlotUpdate("auditability", "required", 0.8, "rules", text.strip()[:160])
        if lx.NO.match(t):
            return SlotUpdate("auditability", "not_needed", 0.8, "rules", text.strip()[:160])
        mention = re.search(r"\b(?:cit(?:e|ation)s?|sourc(?:es?|ing)|references?)\b", t)
        if mention and not lx.HEDGE.search(t):
            negated = lx.NEGATION.search(t[max(0, mention.start() - 30):mention.start()])
            value = "not_needed" if negated else (
                "preferred" if re.search(r"\b(?:maybe|would|could|some)\b", t) else "required")
            return SlotUpdate("auditability", value, 0.6, "rules", text.strip()[:160])
    if not hits:
        return None
    # strongest statement wins: an explicit requirement outranks a preference; a later negation wins
    contrast = [m.end() for m in re.finditer(r"\b(?:but|though|although|however)\b", t)]
    if contrast and any(h[0] > contrast[-1] for h in hits) and any(h[0] < contrast[-1] for h in hits):
        hits = [h for h in hits if h[0] > contrast[-1]]  # "citations would be nice, but legal says they're mandatory"
    # an explicit statement outranks one read through a negation, which outranks a preference
    rank = {"required": 3, "not_needed": 3, "not_needed_neg": 2.5, "preferred": 2, "not_needed_weak": 1}
    hits.sort(key=lambda h: (rank[h[1]], h[0]))
    start, value, m = hits[-1]
    if value.startswith("not_needed"):
        turn = re.search(r"\b(?:but|though|although|however)\b", t[m.end():])
        later = [h for h in hits if h[1] == "preferred" and turn and h[0] > m.end() + turn.start()]
        if later:
            start, value, m = later[-1]  # "not required, but it'd be nice to show the source"
    value = "not_needed" if value.startswith("not_needed") else value
    return SlotUpdate("auditability", value, 0.85, "rules", evidence_of(text, m.start(), m.end()), start)


def _cue_score(rx: re.Pattern[str], t: str) -> tuple[float, int, int]:
    score, neg, first = 0.0, 0, -1
    for m in rx.finditer(t):
        if lx.PROVIDED_AFTER.match(t[m.end():m.end() + 60]):
            continue  # "the facts come from the client intake": input, not knowledge
        if _negated(t, m):
            neg += 1
            continue
        score += 1
        first = m.start() if first < 0 else first
    return score, neg, first


def _need_update(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    know, know_neg, k_at = _cue_score(lx.KNOW_CUES, t)
    behave, behave_neg, b_at = _cue_score(lx.BEHAVE_CUES, t)
    explicit_both = bool(lx.BOTH_CUES.search(t)) and (
        pending == "need" or re.search(r"(?:^|[.;!?,:\-]\s*)\W*(?:so,?\s*|i think,?\s*|honestly,?\s*|really,?\s*)?both\b", t) is not None)
    for phrase, side in ((r"\bbehav(?:e|ing)[- ]differently\b", "behave"), (r"\bknow(?:ing)?[- ]more\b", "know")):
        m = re.search(phrase, t)
        if m and not _negated(t, m):
            know, behave = (know + 2, behave) if side == "know" else (know, behave + 2)
    mostly = re.search(r"\b(?:mostly|mainly|primarily|purely|entirely|only|just|mostly about|really about|it's (?:all )?about|"
                       r"more about)\b\s+(?:\w+\s+){0,3}?"
                       r"(?P<what>know|knowledge|facts|information|content|docs|behav|tone|format|style|voice|how it)", t)
    if mostly and re.search(r"\b(?:i|we|you|they)\s+(?:\w+\s+)?know\b", mostly.group(0)):
        mostly = None  # "only thing I know": the speaker knowing, not the system
    if mostly:
        what = mostly.group("what")
        if what.startswith(("know", "fact", "info", "content", "doc")):
            know += 2
        else:
            behave += 2
    both_and = re.search(r"\bboth\b[^.;]{0,100}\band\b", t)
    if both_and and know and behave:
        explicit_both = True  # "an assistant that both knows the amendments and writes in our format"
    if explicit_both:
        return SlotUpdate("need", "both", 0.9, "rules", text.strip()[:160])
    if lx.STRONG_NO_KNOW.search(t) and not lx.STRONG_NO_BEHAVE.search(t):
        know, know_neg = 0, know_neg + 1  # "it doesn't need to know anything beyond the ticket"
    elif lx.STRONG_NO_BEHAVE.search(t) and not lx.STRONG_NO_KNOW.search(t):
        behave, behave_neg = 0, behave_neg + 1
    if pending == "need" and re.search(r"\b(?:also|too|as well|additionally|on top)\b", t) and know and behave:
        return SlotUpdate("need", "both", 0.9, "rules", text.strip()[:160])
    if know_neg and not know and behave:
        return SlotUpdate("need", "behave_differently", 0.85, "rules", text.strip()[:160])
    if behave_neg and not behave and know:
        return SlotUpdate("need", "know_more", 0.85, "rules", text.strip()[:160])
    if not know and not behave:
        return None
    if know and behave and min(know, behave) / max(know, behave) >= 0.5 and min(know, behave) >= 1 and not mostly:
        at = min(p for p in (k_at, b_at) if p >= 0)
        return SlotUpdate("need", "both", 0.65, "rules", evidence_of(text, at, at + 1), at)
    value, at = ("know_more", k_at) if know > behave else ("behave_differently", b_at)
    # one-sided and repeated: clear; mixed or single cue: tentative (the policy confirms it)
    # one-sided and repeated: clear; a single cue, even in answer to the need question, stays a reading
    confidence = 0.85 if max(know, behave) >= 2 and min(know, behave) == 0 else 0.65
    if pending == "need":
        confidence = 0.9 if max(know, behave) >= 2 or mostly else 0.6
    return SlotUpdate("need", value, confidence, "rules", evidence_of(text, max(at, 0), max(at, 0) + 1), max(at, 0))


def _confirm_need(text: str, t: str, pending: str | None, current: Mapping[str, object]) -> SlotUpdate | None:
    """A yes/no to "it mainly needs to know more - right?" confirms or flips the tentative reading."""
    value = current.get("need")
    if pending != "need" or value is None:
        return None
    if lx.YES.match(t) or re.match(r"^\W*(?:right|exactly|spot on|that's (?:right|it|correct)|correct|yep)\b", t):
        return SlotUpdate("need", str(value), 0.95, "rules", text.strip()[:160])
    if lx.NO.match(t) and value in ("know_more", "behave_differently"):
        flipped = "behave_differently" if value == "know_more" else "know_more"
        return SlotUpdate("need", flipped, 0.8, "rules", text.strip()[:160])
    return None


def _output_update(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    scores: dict[str, tuple[int, int]] = {}
    for value, rx in lx.OUTPUT_PATTERNS:
        hits = [m for m in rx.finditer(t) if not _negated(t, m) and not lx.PROVIDED_AFTER.match(t[m.end():m.end() + 60])]
        if hits:
            scores[value] = (len(hits), hits[0].start())
    if not scores:
        return None
    # behaviour outputs are more specific than "answers questions" when both appear
    order = ["structured_output", "classification", "reasoning_pattern", "style_or_tone", "factual_answers"]
    best = max(scores, key=lambda v: (scores[v][0] + (0.5 if v != "factual_answers" else 0), -order.index(v)))
    at = scores[best][1]
    return SlotUpdate("output_type", best, 0.75, "rules", evidence_of(text, at, at + 1), at)


def _latency_phrase(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    slow = lx.LATENCY_SLOW.search(t)
    about_latency = slow and (pending == "latency_budget_ms" or lx.LATENCY_WORDS.search(t) or
                              re.search(r"batch|overnight|async", slow.group(0)))
    if slow and about_latency and not _negated(t, slow, fine_after=False):
        return SlotUpdate("latency_budget_ms", 60_000, 0.7, "rules", evidence_of(text, slow.start(), slow.end()))
    fast = lx.LATENCY_FAST.search(t)
    if fast and pending == "latency_budget_ms" and not _negated(t, fast, fine_after=False):
        return SlotUpdate("latency_budget_ms", 300, 0.6, "rules", evidence_of(text, fast.start(), fast.end()))
    if pending == "latency_budget_ms" and re.search(r"\b(?:doesn't|does not|don't|not) (?:really )?matter|not (?:a|an) "
                                                    r"(?:issue|concern|constraint)|not critical|whatever", t):
        return SlotUpdate("latency_budget_ms", 10_000, 0.6, "rules", text.strip()[:160])
    return None


def _zero_examples(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    m = re.search(r"\b(?:no|zero|none|nothing|not any|(?:don't|do not|doesn't) have(?: any)?|haven't got(?: any)?)\s+"
                  r"(?:\w+\s+){0,2}?(?:labell?ed|annotated|training|examples?|data(?:set)?|samples?|pairs?)", t)
    if m and not re.search(r"\bno\s+(?:\w+\s+){0,2}?(?:need|idea)", m.group(0)):
        return SlotUpdate("labeled_examples", 0, 0.85, "rules", evidence_of(text, m.start(), m.end()), m.start())
    if pending == "labeled_examples" and (lx.NO.match(t) or re.match(r"^\W*(?:zero|0)\b", t)):
        return SlotUpdate("labeled_examples", 0, 0.8, "rules", text.strip()[:160])
    if pending == "labeled_examples" and re.search(r"\ba (?:handful|few)\b(?! (?:hundred|thousand))", t):
        return SlotUpdate("labeled_examples", 20, 0.6, "rules", text.strip()[:160])
    return None


def extract(text: str, pending: str | None = None, current: Mapping[str, object] | None = None) -> list[SlotUpdate]:
    """Every slot value the message states, as rules read it (later statements win within a message)."""
    text = fix_typos(text)
    t = normalise(text)
    current = current or {}
    updates = numeric_updates(text, t, pending, current)
    # frequencies that belong to a volume ("50k queries daily") are masked before reading change rates
    masked = t
    for u in updates:
        if u.slot == "monthly_queries":
            masked = masked[:u.position] + " " * (u.end - u.position) + masked[u.end:]
    found = {u.slot for u in updates}
    need = _need_update(text, t, pending)
    if need is None or pending == "need" and need.confidence < 0.9:
        need = _confirm_need(text, t, pending, current) or need
    earlier = current.get("need")
    if need is not None and earlier not in (None, need.value) and need.value != "both" and \
            re.search(r"\b(?:also|too|as well|additionally|on top of that)\b", t):
        need = SlotUpdate("need", "both", 0.9, "rules", need.evidence, need.position)  # "it ALSO needs to know X"
    readings = [_change_update(text, t, pending, masked, current.get("knowledge_change")), need] + [
        fn(text, t, pending) for fn in (_audit_update, _output_update, _latency_phrase, _zero_examples)]
    for reading in readings:
        if reading is not None and reading.slot not in found:
            updates.append(reading)
            found.add(reading.slot)
    return updates


def is_hedge(text: str) -> bool:
    return bool(lx.HEDGE.search(normalise(text)))
