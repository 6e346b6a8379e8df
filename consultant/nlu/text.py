"""Text basics: cleaning, a same-length lower-cased working copy, clauses, and quotes of the user's words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

from consultant.profile import SLOT_NAMES, Auditability, Need, OutputType

# Invisible characters people paste without knowing (zero-width spaces, joiners, BOM, bidi marks).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                              "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2026": ".",
                              "\u00d7": "x"})


def clean(text: object) -> str:
    """The message as it will be stored: control and invisible characters removed, NFC, trimmed."""
    raw = unicodedata.normalize("NFC", str(text if text is not None else ""))
    return _INVISIBLE.sub("", _CONTROL.sub("", raw)).strip()


_SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
# the profile's own names stay whole: "latency_budget_ms: 80" is an order to set a slot (intents.yaml), not a fact
_PROFILE_NAMES = frozenset([*SLOT_NAMES, *(v for kind in (Need, OutputType, Auditability) for v in get_args(kind)),
                            "fine_tuning", "rag_prototype"])


def working_copy(text: str) -> str:
    """Lower-cased, typographic quotes and dashes unified, config keys split into words ("p95_latency_ms: 800" is
    "p95 latency ms: 800"); exactly as long as `text`, so spans map back."""
    return _SNAKE.sub(lambda m: m.group(0) if m.group(0) in _PROFILE_NAMES else m.group(0).replace("_", " "),
                      text.translate(_SAME_LENGTH).lower())


_VOCABULARY = ("daily", "weekly", "monthly", "quarterly", "yearly", "annually", "biweekly", "fortnightly", "latency",
               "citations", "auditability", "auditable", "regulator", "regulated", "labelled", "budget", "milliseconds",
               "knowledge", "behaviour", "behavior", "classification", "structured", "thousand", "million",
               "examples", "seconds", "queries", "requests", "policies", "documents", "compliance", "traceable",
               "sources", "changes", "category", "categories", "minutes", "required", "needed", "traced",
               "quarterly", "allocation", "approved", "billion", "billions", "millions", "thousands", "trillion",
               "important", "necessary", "irrelevant", "quarter", "quarters")
# words only mended when two of their letters are swapped ("chnage"): too close to others for the fuzzy match
# ("exchange", "unchanged" are not typos of "change")
_SWAPPED_ONLY = frozenset(("change", "changes", "changed", "dropped", "duplicate", "labeled"))
# misspellings too short for the fuzzy match, of words the readers depend on ("kno more", "tone is fien"), and of
# words the fuzzy match must leave alone ("formatt": "format" is one letter from "formal")
SHORT_TYPOS = {"kno": "know", "knwo": "know", "fien": "fine", "fne": "fine", "evry": "every", "eveyr": "every",
               "yaer": "year", "yera": "year", "yeer": "year", "mnth": "month", "wekk": "week", "weeek": "week",
               "nto": "not", "teh": "the", "wiht": "with", "mst": "must", "nede": "need", "dosnt": "doesn't",
               "dosent": "doesn't", "doesnot": "does not", "donot": "do not", "dnt": "don't", "formatt": "format",
               "fromat": "format", "foramt": "format"}
_GLUED_NOT = re.compile(r"\b(not)(knowledge|needed|required|necessary|important|sure|really|about|behaviou?r|style|"
                        r"tone|format|facts)\b", re.IGNORECASE)
_SHORT_TYPO = re.compile(r"(?<![\w'])(?:" + "|".join(SHORT_TYPOS) + r")(?![\w'])", re.IGNORECASE)


def _one_edit(a: str, b: str) -> bool:
    """One letter added, dropped or changed: "milion" / "million", "latancy" / "latency"."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _is_a_word(word: str) -> bool:
    """A word the tokenizer has as one token of its own (" regulation", " exchange") is a word of the language, not a
    typo: "regulation" is not mended to "regulator". Misspellings split into pieces (" qa|ur|ter|ly")."""
    from consultant.tokens import count_tokens

    return count_tokens(" " + word) == 1


@lru_cache(maxsize=8192)
def _spelling(word: str) -> str:
    from difflib import get_close_matches

    if len(word) < 6 or word in _VOCABULARY or word in _SWAPPED_ONLY:
        return word
    # two letters swapped ("chnage", "qaurterly"): the word it was meant to be, whatever its length
    swapped = next((w for i in range(len(word) - 1)
                    if (w := word[:i] + word[i + 1] + word[i] + word[i + 2:]) in _VOCABULARY or w in _SWAPPED_ONLY),
                   None)
    if swapped is not None:
        return swapped
    match = get_close_matches(word, _VOCABULARY, n=1, cutoff=0.84)
    if not match or match[0].startswith(word[:-1]) or word.startswith(match[0][:-1]) or word.endswith(match[0]):
        return word  # "second"/"seconds", "labeled"/"labelled": variants, not typos; "unlabelled" is its own word
    if not _one_edit(word, match[0]) and _is_a_word(word):
        return word  # "regulation" is a word two letters from "regulator", not a typo of it ("milion" is one)
    return match[0]


_CONTRACTIONS = re.compile(r"\b(doesnt|dont|isnt|arent|wasnt|werent|cant|wont|didnt|havent|hasnt|shouldnt|wouldnt|"
                           r"couldnt|mustnt|neednt|whats|thats|hows|wheres|whos)\b", re.IGNORECASE)


# chat shorthand for time units: "once a yr", "every 2 wks" (ms, sec, min, hr are read as durations already)
ABBREVIATIONS = {"yr": "year", "yrs": "years", "wk": "week", "wks": "weeks", "mth": "month", "mths": "months",
                 "qtr": "quarter", "qtrs": "quarters"}
_ABBREVIATED = re.compile(r"(?<![\w$£€])(?:" + "|".join(ABBREVIATIONS) + r")(?![\w])", re.IGNORECASE)
# chat shorthand for the words the intents depend on: "what do u recommend?", "pls just tell me"
CHAT_SHORTHAND = {"u": "you", "ur": "your", "pls": "please", "plz": "please"}
_CHAT = re.compile(r"(?<![\w$£€.'’-])(?:" + "|".join(CHAT_SHORTHAND) + r")(?![\w.'’-])", re.IGNORECASE)


# a word typed twice ("once a a quarter", "all the the time"); not "half half", which means something
_DOUBLED = re.compile(r"\b(?!half\b)([a-z]+) \1\b", re.IGNORECASE)


# words speech-to-text writes for their homophones, mended only where the homophone cannot stand: "every answer has to
# site the guideline section", "fixed for the hole year" (dictated messages)
HOMOPHONES = (
    (re.compile(r"\b(to|must|should|always|and|will|can|please|it|they|we|doesn't|don't)\s+site(s|d)?\s+"
                r"(?=(?:the|its|their|our|a|an|every|each|which|where|sources?|references?|it|them|chapter|section)\b)",
                re.IGNORECASE), r"\1 cite\2 "),
    (re.compile(r"\b(the|a)\s+hole\s+(?=(?:year|month|week|day|quarter|thing|time|team|catalog\w*|library|corpus)\b)",
                re.IGNORECASE), r"\1 whole "),
)


def fix_typos(text: str) -> str:
    """"qaurterly" -> "quarterly", "lantency" -> "latency", "doesnt" -> "doesn't": the words the readers depend on."""
    text = _DOUBLED.sub(lambda m: m.group(1), text)
    for homophone, word in HOMOPHONES:
        text = homophone.sub(word, text)
    text = _CONTRACTIONS.sub(lambda m: m.group(0)[:-1] + "'" + m.group(0)[-1], text)
    text = _ABBREVIATED.sub(lambda m: ABBREVIATIONS[m.group(0).lower()], text)
    text = _CHAT.sub(lambda m: CHAT_SHORTHAND[m.group(0).lower()], text)
    text = _SHORT_TYPO.sub(lambda m: SHORT_TYPOS[m.group(0).lower()], text)
    text = _GLUED_NOT.sub(lambda m: m.group(1) + " " + m.group(2), text)  # "behaviour notknowledge"
    return re.sub(r"[A-Za-z]{6,}", lambda m: m.group(0) if m.group(0).lower() == _spelling(m.group(0).lower())
                  else _spelling(m.group(0).lower()), text)


# --- clauses -----------------------------------------------------------------------------------------------
# a full stop breaks a sentence when a space or the end follows it; "1.5 s" and "Budget... $9,500" run on
_BREAK = re.compile(r"[;!?\n]|(?<!\.)\.(?=\s|$)")


def sentence_bounds(t: str, start: int, end: int | None = None) -> tuple[int, int]:
    """(first, past-last) of the stretch around t[start:end] between sentence breaks (.;!? and newlines): the
    window the readers look in for a cue's or a figure's own sentence."""
    breaks = [m.end() for m in _BREAK.finditer(t, 0, start)]
    left = breaks[-1] if breaks else 0
    if left and t[left - 1] == "?":
        # "Budget? About three grand": a topic asked as one or two words belongs to the sentence after it
        before = breaks[-2] if len(breaks) > 1 else 0
        topic = t[before:left]
        if len(topic.split()) <= 2 and not _WH.match(topic):
            left = before
    right = _BREAK.search(t, start if end is None else end)
    return left, right.start() if right is not None else len(t)


CONTRAST = r"but|however|although|though|whereas|except|yet|instead|rather"
# an ellipsis pauses and does not end a sentence ("Budget... the synod gave us $9,500")
_SENTENCE_END = re.compile(r"[!?;\n]+|(?<!\.)\.(?![\d.])(?:\s+|$)")
_CLAUSE_BREAK = re.compile(rf",(?!\d)|\b(?:{CONTRAST})\b|\s-\s|\s--\s|\(|\)")  # "5,000" is one figure
_LEAD = r"^\W*(?:(?:and|but|so|ok|okay|also|wait|sorry|hmm|um|umm|uh|er|erm|like|yeah|btw|quick question|one question|" \
        r"one more thing)[,:]?\s+)*"
_AUX = (r"(?:is|are|was|were|do|does|did|can|could|would|will|should|shall|may|might|isn't|aren't|don't|doesn't|"
        r"won't|wouldn't|shouldn't|has|have|hasn't|haven't)")
# A question asks: "why does that matter", "what do you mean", "how many is a lot", "is 15k enough", "explain X".
# Not: "how it talks is irrelevant", "what it lacks is our data" (a wh-word without an auxiliary after it).
_QUESTION_START = re.compile(
    _LEAD + rf"(?:(?:what|why|how|which|who|whom|whose|when|where)(?:'s|'re)?\s+(?:\w+\s+)?{_AUX}\b|"
    r"(?:what|why|how|which|who)(?:'s|'re)\b|why\b|how (?:much|many|long|often|fast|big)\b|"
    rf"{_AUX}\s+(?:it|this|that|there|i|we|you|they|rag|fine|a|an|the|\d)|explain\b|define\b|tell me (?:about|more)\b|"
    r"eli5\b|explain like\b)")
# "what's that" after a term: the term is what is asked about ("you mentioned chunking. what's that?")
DEICTIC = re.compile(r"(?:^|[-—,:;.?!]\s*)(?:so |ok |okay |sorry,? )?what(?:'s| is| are| does) (?:that|this|it|those|these)"
                     r"(?: mean)?\b")
_WH = re.compile(_LEAD + r"(?:what|why|how|which|who|whom|whose|when|where)\b")
# an answer said with a rising tone: it opens with a hedge or a figure and asks nothing of anyone
_TENTATIVE = re.compile(r"^\W*(?:like|maybe|about|around|roughly|probably|prob|perhaps|approx(?:imately)?|~|somewhere|"
                        r"i think|i guess|i'?d say|guess|possibly|\d)(?!.*\b(?:you|your|is|are|does|do|can|should|would|"
                        r"what|why|how|which)\b)")


@dataclass(frozen=True)
class Clause:
    """A stretch of a message between breaks; polarity and question-hood are decided per clause."""

    start: int
    end: int
    text: str  # from the working copy
    sentence: int  # index of its sentence in the message
    question: bool  # the sentence it sits in asks something
    after_contrast: bool  # it opens with "but", "however"...


def terminator(t: str, end: int) -> str:
    """The punctuation that closes a sentence ending at `end` ("" at the end of the message)."""
    rest = t[end:end + 3].lstrip(" ")
    return rest[:1] if rest[:1] in ".!?;" else ""


def sentences(t: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the working copy (decimal points and "e.g." do not end one).

    A topic asked as one or two words ("Tone? Whatever, standard is fine.") belongs to the sentence after it.
    """
    spans = _sentences(t)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and t[merged[-1][0]:merged[-1][1]].strip().endswith("?") and \
                len(t[merged[-1][0]:merged[-1][1]].split()) <= 2 and not _WH.match(t[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _sentences(t: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(t):
        if m.group(0).startswith(".") and re.search(r"\b(?:e\.g|i\.e|vs|approx|ca|etc|mr|dr)$", t[start:m.start()]):
            continue
        if m.group(0).startswith(".") and re.search(r"\b(?:no|nr)$", t[start:m.start()]) and \
                re.match(r"\s*#?\d", t[m.end() - 1 if m.group(0).endswith(" ") else m.end():]):
            continue  # "No. 5" is a number; "No. It changes monthly" is two sentences
        end = m.end() if "?" in m.group(0) else m.start()
        if t[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if t[start:].strip():
        spans.append((start, len(t)))
    return spans


def is_echo(question: str) -> bool:
    """"Knowledge or behaviour?", "How it phrases things?": the consultant's question said back before answering
    it (two options offered back, or a wh-word with no verb of asking), not a question to answer."""
    s = question.strip().rstrip("?").strip()
    return bool(re.search(r"\w \bor\b \w", s)) or (bool(_WH.match(s)) and not _QUESTION_START.match(s) and
                                                   not DEICTIC.search(s))


def is_question(sentence: str, terminator: str = "") -> bool:
    """A sentence that asks something.

    It ends with "?" and is more than a tentative answer ("Like 40?", "Weekly?" state a value with a shrug), or
    it opens like a question and is not closed by a full stop ("what do you mean by traceable").
    """
    s = sentence.strip().rstrip("?").strip()
    if DEICTIC.search(s):
        return True  # "context window -- what's that", "p95 latency?? whats that"
    if (terminator == "?" or sentence.strip().endswith("?")) and _TENTATIVE.match(s):
        return False  # "like 30 really good ones? most of our reports are messy": a figure given with a shrug
    if terminator == "?" or sentence.strip().endswith("?"):
        if re.search(r"\w \bor\b \w", s):
            return True  # "Knowledge or behaviour?": the question asked back, not an answer to it
        # "rag = ?", "inference cost = ? vs training cost": a term set equal to a question mark
        return bool(_QUESTION_START.match(s) or _WH.match(s) or "= ?" in sentence) or len(s.split()) > 4
    if terminator in (".", "!"):
        return False
    return bool(_QUESTION_START.match(s)) and (len(s.split()) <= UNTERMINATED_QUESTION_WORDS or
                                               _ASKS_BACK.search(s) is not None)


UNTERMINATED_QUESTION_WORDS = 14
"""A sentence that opens like a question but has no "?" asks only when short: longer, it is a statement that starts
with a wh-word ("what we need is ...") ... unless it asks back about the question itself (_ASKS_BACK): dictated
messages run on without punctuation ("um why does it matter whether people can trace the answer back like why are
you asking about that")."""
_ASKS_BACK = re.compile(r"\bwhy (?:are|do|would|did) you (?:ask|need|want|care)|\bwhy does (?:it|that|this) matter\b|"
                        r"\bwhat do you mean\b")


def clauses(t: str) -> list[Clause]:
    """The clauses of a working copy, in order."""
    out: list[Clause] = []
    for index, (s_start, s_end) in enumerate(sentences(t)):
        sentence = t[s_start:s_end]
        asks = is_question(sentence, terminator(t, s_end))
        cuts = [0] + [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            piece = sentence[a:b]
            if not piece.strip(" ,-()"):
                continue
            contrast = bool(re.match(rf"^\W*(?:{CONTRAST})\b", piece))
            out.append(Clause(s_start + a, s_start + b, piece, index, asks, contrast))
    return out


def clause_at(all_clauses: list[Clause], position: int) -> Clause | None:
    return next((c for c in all_clauses if c.start <= position < c.end), None)


def evidence_of(original: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence around a span, as the user wrote it (for read-backs and provenance), cut at words."""
    spans = sentences(working_copy(original))
    left, right = next(((a, b) for a, b in spans if a <= start < b), (0, len(original)))
    right = max(right, end)
    quote = original[left:right].strip(" ,;-")
    if len(quote) <= limit:
        return quote
    lo, hi = max(left, start - limit // 2), min(right, end + limit // 2)
    while lo > left and not original[lo - 1].isspace():
        lo -= 1
    while hi < right and not original[hi].isspace():
        hi += 1
    return ("…" if lo > left else "") + original[lo:hi].strip() + ("…" if hi < right else "")


# --- disguised text ----------------------------------------------------------------------------------------
# Instructions hidden from a pattern reader: look-alike letters from other scripts, digits for letters, letters
# spaced or dotted apart, hyphens inside words, base64, ROT13 or reversed text. `unmasked` gives the readings of a
# message with each disguise taken off; they are only ever checked for instructions (never read for slots, never
# quoted), so a reading that makes no sense for a normal message costs nothing.

HOMOGLYPHS = str.maketrans({
    # Cyrillic and Greek letters drawn like Latin ones (Unicode confusables): "іgnоrе" typed to slip past "ignore".
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ѵ": "v", "ɡ": "g", "ɩ": "i", "ı": "i"})
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
"""Digits and signs written for letters ("1gn0r3 th3 4b0v3"): undone only inside words that mix them with letters."""
_LEET_WORD = re.compile(r"(?=[a-z0-9@$!]*[a-z])(?=[a-z0-9@$!]*[0-9@$])[a-z0-9@$!]{2,}")
_SPACED = re.compile(r"(?<![a-z])[a-z](?:[ .·_*][a-z]){2,}(?![a-z])")  # "i g n o r e", "t h e", "i.g.n.o.r.e"
_INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")  # "ig-nore pre-vious in-struc-tions"
_SPACED_HYPHEN = re.compile(r"(?<=[a-z]) - (?=[a-z])")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
MIN_DECODED_LETTERS = 0.7  # a base64 run counts as text when at least this share of it decodes to letters or spaces
_ROT13 = str.maketrans("abcdefghijklmnopqrstuvwxyz", "nopqrstuvwxyzabcdefghijklm")


def _decoded(run: str) -> str | None:
    """A base64 run as text, or None when it does not decode to (mostly) words."""
    import base64
    import binascii

    try:
        data = base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
        text = data.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    letters = sum(ch.isalpha() or ch.isspace() for ch in text)
    return text if text and letters / len(text) >= MIN_DECODED_LETTERS and " " in text else None


def unmasked(text: str) -> list[str]:
    """Working copies of `text` with each disguise taken off (the plain working copy not included)."""
    plain = unicodedata.normalize("NFKC", text)  # full-width and styled letters ("ｉｇｎｏｒｅ") to plain ones
    t = working_copy(_INVISIBLE.sub("", plain)).translate(HOMOGLYPHS)
    t = _LEET_WORD.sub(lambda m: m.group(0).translate(LEET), t)
    t = _SPACED.sub(lambda m: re.sub(r"[ .·_*]", "", m.group(0)), t)
    t = _INNER_HYPHEN.sub("", _SPACED_HYPHEN.sub("-", t))
    t = re.sub(r"\s+", " ", t)
    out = [t, t.translate(_ROT13), t[::-1]]
    for run in _BASE64.findall(text):
        decoded = _decoded(run)
        if decoded is not None:
            out.append(working_copy(decoded))
    return out


# "but now", "these days", ", and": words that bring a sentence back from the past to today
NOW = re.compile(r"\b(?:but|now|since then|these days|today|currently|nowadays)\b|[,;]\s*and\b")


def said_of_the_past(t: str, start: int, past: re.Pattern[str]) -> bool:
    """"Back in 2019 we fiddled with it every week, but now it's strictly quarterly": a past marker before the
    rate in its sentence, and no "but" / "now" between them that brings the sentence back to today."""
    before = t[sentence_bounds(t, start)[0]:start]
    back = [m.end() for m in NOW.finditer(before)]
    return past.search(before[back[-1]:] if back else before) is not None
