"""Several ideas, one chosen: the parts of a message that are about the ideas the user set aside.

"Our bank has an investment-research summariser in the works - that team has 50,000 labeled summaries - and my
project routes customer emails into one of 9 intents. I'm only asking about the email router." The 50,000 is the
other team's: read as this project's training set it decides the recommendation, silently and wrongly.

Only a message that names several ideas (vocabulary `several_ideas`) and picks one is cut up. The pick is a cue
before the idea's name (`narrowing_cues`: "I'm only asking about the email router", "we're building the lore
companion") or after it (`chosen_after`: "The quote generator wins", "the lease assistant is the one"), or a number
from a numbered list ("(1) ..., (2) ..., (3) .... The team voted for (2)").

The message is split into parts (sentences, the items of a list, clauses joined by "and my / and a", parentheses,
dashes); a part said before the pick is set aside when it names an idea (`idea_nouns`, or it is an item of the list
of ideas) but none of the chosen idea's words ("router" ~ "routes"), and so is what continues it ("(that one would
get 50,000 questions a month)", "- that team has ..."). A part that names no idea at all ("I work for an airline")
stays: when in doubt, the words are read and the gate's usual confirmations apply. What the user says after the pick
is about the idea chosen.
"""

from __future__ import annotations

import re

from consultant.nlu.vocabulary import VOCABULARY as V

SEVERAL = re.compile(rf"(?<![a-z])(?:{V.several_ideas})(?![a-z])")
NARROW = re.compile(rf"(?<![a-z])(?:{V.narrowing_cues})")
# "The quote generator wins.", "the lease analysis assistant is the one": the name said first, then the pick
CHOSEN_AFTER = re.compile(rf"(?:^|[.;:!?]\s+|,\s+(?:but|so|and)\s+)(?P<name>[^.;:!?,]{{3,60}}?)\s+(?:{V.chosen_after})(?![a-z])")
IDEA = re.compile(rf"(?<![a-z])(?:{V.idea_nouns})(?![a-z])")
# where one part ends and the next begins; the name of the group says how the next part hangs on this one
# ("item": the next entry of a list of ideas, "a support bot, a contract classifier", "(2) a tax-rule assistant")
SPLIT = re.compile(r"(?P<item>\s*\(\d\)\s*|,\s+(?=(?:a|an|one|some|something)\b))|"
                   r"(?P<end>[.;:!?]\s+)|(?P<open>\s*\(\s*)|(?P<close>\s*\)\s*[,;]?\s*)|(?P<dash>\s+[-–—]+\s+)|"
                   r"(?P<joined>,?\s+and\s+(?:also\s+)?(?=(?:a|an|my|our|the|mine|i|we|one|some|something)\b)|,\s+(?:but|while|whereas)\s+)")
NUMBERED = re.compile(r"\((\d)\)")
PICKED_NUMBER = re.compile(r"^\W*(?:\((\d)\)|(?:number|option|idea|no\.?|#)\s*(\d)\b)")
# a part that goes on about the idea just named: "- that one's huge", "(they have about 20,000 labeled cases)"
CONTINUES = re.compile(r"^\W*(?:that one|that team|that's|this one|they|their|it|its|which|those|these|whose)\b")
VAGUE = re.compile(rf"(?:{V.idea_vague_words})")  # "let's discuss that one", "the internal one today"
MIN_STEM = 3
Part = tuple[int, int, bool, bool]  # (start, end, hangs on the part before, an item of the list of ideas)


def _stem(word: str) -> str:
    """"routes" ~ "router", "coded" ~ "coding", "rewriting" ~ "rewriter": the word without its ending, 4 letters."""
    return re.sub(r"(?:ings?|ers?|ed|es|s|ions?)$", "", word)[:4]


def _words(text: str) -> set[str]:
    return {s for w in re.findall(r"[a-z][a-z&-]+", text) if not VAGUE.fullmatch(w) and len(s := _stem(w)) >= MIN_STEM}


def _parts(t: str, stop: int, listed: tuple[int, int] | None) -> list[Part]:
    """(start, end, hangs on the part before, an item of the list) for the text before `stop`."""
    out: list[Part] = []
    start, hangs = 0, False

    def add(a: int, b: int) -> None:
        item = listed is not None and listed[0] <= a < listed[1]
        out.append((a, b, hangs or CONTINUES.match(t[a:b]) is not None, item))

    for m in SPLIT.finditer(t, 0, stop):
        if m.start() > start:
            add(start, m.start())
        start, hangs = m.end(), m.lastgroup in ("open", "dash")
    if stop > start:
        add(start, stop)
    return out


def _pick(t: str) -> tuple[int, str] | None:
    """(where the pick starts, the words that name the idea picked), or None when nothing is picked."""
    cue = NARROW.search(t)
    after = next((m for m in CHOSEN_AFTER.finditer(t) if _name_words(m.group("name"))
                  or PICKED_NUMBER.match(m.group("name"))), None)
    if cue is not None and (after is None or _named(t, cue.end()) and cue.start() < after.start()):
        return cue.start(), t[cue.end():cue.end() + 60]
    if after is not None:
        return after.start("name"), after.group("name")
    return (cue.start(), t[cue.end():cue.end() + 60]) if cue is not None else None


def _named(t: str, at: int) -> bool:
    name = _first_phrase(t[at:at + 60])
    return bool(_name_words(name)) or PICKED_NUMBER.match(name) is not None


def _first_phrase(text: str) -> str:
    return re.split(r"[.,;:!?]|\bso\b|\bbecause\b", text)[0]


def _name_words(text: str) -> set[str]:
    """The words that tell one idea from another: "the coding tool" -> "coding" (not the idea noun "tool")."""
    return _words(text) - _words(" ".join(IDEA.findall(text)))


def _list_of_ideas(t: str, several: re.Match[str]) -> tuple[int, int]:
    """The stretch after "three ideas:" (or "we brainstormed") up to the end of its sentence: the list of ideas."""
    end = re.compile(r"[.!?](?:\s|$)").search(t, several.end())
    return several.end(), end.start() if end is not None else len(t)


def other_idea_spans(t: str) -> list[tuple[int, int]]:
    """The stretches of `t` (the working copy) about ideas other than the one the user chose; [] for most messages."""
    pick = _pick(t)
    several = SEVERAL.search(t, 0, pick[0]) if pick is not None else None
    if pick is None or several is None:
        return []
    stop, named = pick[0], _first_phrase(pick[1])
    parts = _parts(t, stop, _list_of_ideas(t, several))
    number = PICKED_NUMBER.match(named)
    chosen = _name_words(named)  # "the coding tool": "coding" picks it out
    if number is not None:
        wanted = f"({number.group(1) or number.group(2)})"
        picked = next((p for p in parts if p[3] and t[max(0, p[0] - 5):p[0]].strip().endswith(wanted)), None)
        item = t[picked[0]:picked[1]] if picked is not None else ""
        chosen = _name_words(item)
    phrase = re.sub(r"^(?:the|a|an|our|my)\s+|\s+(?:first|one|for now|today|idea|project)$", "", named.strip())
    exact = [p for p in parts if p[3] and len(phrase) > 3 and phrase in t[p[0]:p[1]]]
    if len(exact) == 1:
        # "'the AM assistant'": the one item that names it word for word, by its own words when the name has none
        item = t[exact[0][0]:exact[0][1]]
        chosen = _name_words(phrase) or _name_words(item)
    if not chosen:
        chosen = _words(named)
    if not chosen:
        # "That's what I'd like to discuss", "so let's discuss that one": the idea described last
        last = next((p for p in reversed(parts) if not p[2] and IDEA.search(t[p[0]:p[1]])), None)
        if last is None:
            return []
        chosen = _name_words(t[last[0]:last[1]])
    spans: list[tuple[int, int]] = []
    aside, kept = False, 0
    for start, end, hangs, listed in parts:
        text = t[start:end]
        names_one = listed or IDEA.search(text) is not None
        if hangs and aside and not names_one:  # (a part that names an idea is judged on its own words)
            spans.append((start, end))
            continue
        aside = names_one and not (_words(text) & chosen)
        kept += bool(_words(text) & chosen)
        if aside:
            spans.append((start, end))
    if not kept:
        return []  # no part names the idea chosen: the choice was not understood, so nothing is
    # "two things", "three AI ideas": said of the ideas, not of what this one needs (not "it must do two things")
    return spans + [m.span() for m in SEVERAL.finditer(t, 0, stop)]
