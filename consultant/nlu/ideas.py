"""Several ideas, one chosen: the parts of a message that are about the ideas the user set aside.

"Our bank has an investment-research summariser in the works - that team has 50,000 labeled summaries - and my
project routes customer emails into one of 9 intents. I'm only asking about the email router." The 50,000 is the
other team's: read as this project's training set it decides the recommendation, silently and wrongly.

Only a message that names several ideas (vocabulary `several_ideas`) and picks one (`narrowing_cues`) is cut up.
It is split into parts (sentences, clauses joined by "and my / and a", parentheses, dashes); a part said before the
cue is set aside when it names an idea (`idea_nouns`) but none of the chosen idea's words ("router" ~ "routes"),
and so is what continues it ("(that one would get 50,000 questions a month)", "- that team has ..."). A part that
names no idea at all ("I work for an airline") stays: when in doubt, the words are read and the gate's usual
confirmations apply. What the user says after the cue is about the idea chosen.
"""

from __future__ import annotations

import re

from consultant.nlu.vocabulary import VOCABULARY as V

SEVERAL = re.compile(rf"(?<![a-z])(?:{V.several_ideas})(?![a-z])")
NARROW = re.compile(rf"(?<![a-z])(?:{V.narrowing_cues})")
IDEA = re.compile(rf"(?<![a-z])(?:{V.idea_nouns})(?![a-z])")
# where one part ends and the next begins; the name of the group says how the next part hangs on this one
SPLIT = re.compile(r"(?P<end>[.;:!?]\s+)|(?P<open>\s*\(\s*)|(?P<close>\s*\)\s*[,;]?\s*)|(?P<dash>\s+[-–—]+\s+)|"
                   r"(?P<joined>,?\s+and\s+(?:also\s+)?(?=(?:a|an|my|our|the|mine|i|we)\b)|,\s+(?:but|while|whereas)\s+)")
# a part that goes on about the idea just named: "- that one's huge", "(they have about 20,000 labeled cases)"
CONTINUES = re.compile(r"^\W*(?:that one|that team|that's|this one|they|their|it|its|which|those|these|whose)\b")
VAGUE = re.compile(rf"(?:{V.idea_vague_words})")  # "let's discuss that one", "the internal one today"
MIN_STEM = 3


def _stem(word: str) -> str:
    """"routes" ~ "router", "coded" ~ "coding", "rewriting" ~ "rewriter": the word without its ending, 4 letters."""
    return re.sub(r"(?:ings?|ers?|ed|es|s|ions?)$", "", word)[:4]


def _words(text: str) -> set[str]:
    return {s for w in re.findall(r"[a-z][a-z&-]+", text) if not VAGUE.fullmatch(w) and len(s := _stem(w)) >= MIN_STEM}


def _parts(t: str, stop: int) -> list[tuple[int, int, bool]]:
    """(start, end, hangs on the part before) for the text before `stop`."""
    out: list[tuple[int, int, bool]] = []
    start, hangs = 0, False
    for m in SPLIT.finditer(t, 0, stop):
        if m.start() > start:
            out.append((start, m.start(), hangs or CONTINUES.match(t[start:m.start()]) is not None))
        start, hangs = m.end(), m.lastgroup in ("open", "dash")
    if stop > start:
        out.append((start, stop, hangs or CONTINUES.match(t[start:stop]) is not None))
    return out


def other_idea_spans(t: str) -> list[tuple[int, int]]:
    """The stretches of `t` (the working copy) about ideas other than the one the user chose; [] for most messages."""
    cue = NARROW.search(t)
    if cue is None or SEVERAL.search(t, 0, cue.start()) is None:
        return []
    named = t[cue.end():cue.end() + 60]
    named = re.split(r"[.,;:!?]|\bso\b|\bbecause\b", named)[0]
    parts = _parts(t, cue.start())
    chosen = _words(named) - _words(" ".join(IDEA.findall(named)))  # "the coding tool": "coding" picks it out
    if not chosen:
        chosen = _words(named)
    if not chosen:
        # "That's what I'd like to discuss", "so let's discuss that one": the idea described last
        last = next((p for p in reversed(parts) if not p[2] and IDEA.search(t[p[0]:p[1]])), None)
        if last is None:
            return []
        chosen = _words(t[last[0]:last[1]]) - _words(" ".join(IDEA.findall(t[last[0]:last[1]])))
    spans: list[tuple[int, int]] = []
    aside, kept = False, 0
    for start, end, hangs in parts:
        text = t[start:end]
        names_one = IDEA.search(text) is not None
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
    return spans + [m.span() for m in SEVERAL.finditer(t, 0, cue.start())]
