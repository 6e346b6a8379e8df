"""Retrieval context: how many tokens a RAG prompt would carry (k chunks x chunk size counts as k x size)."""

from __future__ import annotations

import re

from consultant.nlu import confidence as level
from consultant.nlu.numbers import SMALL_NUMBER_WORDS, small_number
from consultant.nlu.readers.context import Context
from consultant.nlu.reading import Candidate, as_int
from consultant.nlu.text import sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "context_tokens"
_ABOUT = r"(?:~|about |around |roughly |approx\.? |approximately |maybe )?"
_K = r"\d{1,3}|" + SMALL_NUMBER_WORDS
MAX_RETRIEVED = 50  # "300 articles of about 1,200 tokens each in the help center" is the corpus, not one prompt
# the things retrieved, counted ("12 chunks", "24 clauses", "10 manual passages", "the top 7 articles")
PIECES = r"(?:chunks?|passages?|results?|sections?|snippets?|excerpts?|paragraphs?|documents?|docs|clauses?|articles?|pages?)"
_TOP_K = re.compile(rf"\btop[- ]?k\s*(?:=|of)?\s*(?P<k>\d{{1,3}})\s*(?:of|x|×|chunks? of|results? of|passages? of)?\s*{_ABOUT}"
                    r"(?P<size>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>k)?[- ]?(?:tokens?|tok)\b|"
                    # "twelve chunks of about 1,000 tokens", "five sections of about 2,000 tokens each"
                    rf"\b(?P<k2>{_K})\s*(?:[a-z]+\s+)?{PIECES}"
                    rf"\s*(?:of|x|×|at)\s*{_ABOUT}"
                    r"(?P<size2>\d[\d,]*(?:\.\d+)?)\s*(?P<scale2>k)?[- ]?(?:tokens?|tok)\b")
# "512-token chunks and top-k 12", "chunk size 1,000 tokens, we retrieve 8": a chunk size and a number of chunks said
# apart in one sentence
CHUNK_SIZE = re.compile(r"\b(?P<size>\d[\d,]*)\s*(?P<scale>k)?[- ]?tok(?:en)?s?[- ]chunks?\b|"
                        r"\bchunks?(?: size)?\s*(?:of|is|=|:)?\s*(?P<size2>\d[\d,]*)\s*(?P<scale2>k)?[- ]?tok(?:en)?s?\b|"
                        # "eight sections per question, each about 1,000 tokens"
                        r"\beach(?: (?:one|of them))?,?\s+(?:is\s+)?(?:about |around |roughly |~)?(?P<size3>\d[\d,]*)\s*"
                        r"(?P<scale3>k)?[- ]?tok(?:en)?s?\b|"
                        # "they average about 800 tokens each"
                        r"\b(?:average|averages|averaging|are|run|runs)\s+(?:about |around |roughly |~)?(?P<size4>\d[\d,]*)\s*"
                        r"(?P<scale4>k)?[- ]?tok(?:en)?s?\s+(?:each|apiece)\b")
CHUNK_COUNT = re.compile(r"\btop[- ]?k\s*(?:=|of|is|:)?\s*(?P<k>\d{1,3})\b|"
                         rf"\b(?P<k3>\d{{1,2}}|{SMALL_NUMBER_WORDS})\s+(?:[a-z]+\s+)?{PIECES}\b(?!\s+of\b)|"
                         r"\b(?:retrieves?|retrieving|fetch(?:es)?|pulls?|returns?)\s+(?:the\s+)?(?:top\s+)?(?P<k2>\d{1,3})\b"
                         r"(?!\s*[- ]?(?:k\b|tok))")
# "$0.0025 per 1K input tokens": a price's unit, not a prompt
PRICE_UNIT_BEFORE = re.compile(r"(?:\bper|/|\bfor every|\bfor each)\s*$")
# "we chunk at 512 tokens", "chunk size: 800 tokens": one chunk, not the prompt
CHUNK_BEFORE = re.compile(r"\bchunk(?:s|ed|ing)?(?: size)?\s*(?:at|of|is|=|:|into|to|in)?\s*(?:about |around |~)?$")
NOT_CONTEXT_AFTER = re.compile(r"^\W*(?:\w+\s+)?(?:chunks?\b|context window|window|a second|per second|/s\b|a minute|"
                               r"a day|a month|per (?:day|month|second|minute)|of output|output|limit)")


def read(ctx: Context) -> list[Candidate]:
    top = _TOP_K.search(ctx.t)
    k = small_number(top.group("k") or top.group("k2")) if top else 0
    if top and k <= MAX_RETRIEVED:
        size = _size(top, "", "2")
        return [Candidate(SLOT, int(k * size), level.STATED, ctx.quote(top.start(), top.end()), "tokens.top_k",
                          top.start(), top.end())]
    split = _chunks_times_k(ctx)
    if split is not None:
        return [split]
    out = []
    earlier: set[int] = set()
    answering = ctx.answers(SLOT)
    for m in ctx.mentions:
        if m.negated or not (m.kind == "tokens" or (answering and m.kind == "bare" and m.value >= 100)):
            continue
        if PRICE_UNIT_BEFORE.search(ctx.t[max(0, m.start - 12):m.start]) or \
                CHUNK_BEFORE.search(ctx.t[max(0, m.start - 30):m.start]):
            continue
        if NOT_CONTEXT_AFTER.match(ctx.t[m.end:m.end + 30]):
            continue  # chunk sizes, context windows, throughput and output lengths are not the prompt
        about = ctx.near(V.token_context_words, m.start)
        if not (about or answering):
            continue
        value = m.high if m.high is not None else m.value
        out.append(Candidate(SLOT, as_int(value), level.STATED if about else level.ANSWER,
                             ctx.quote(m.start, m.end), f"mention.{m.kind}", m.start, m.end))
        if m.when == "current" or ctx.of_the_past(m.start, m.end):
            earlier.add(m.start)
    # "Our PoC used 3,000-token prompts ... production prompts will be about 10,000 tokens": beside a figure said of
    # the system to be built, one said of a pilot is how it was (a prototype's measurement alone is the estimate)
    if any(ctx.of_the_new(c.start) for c in out):
        out = [c for c in out if c.start not in earlier]
    return out


def _chunks_times_k(ctx: Context) -> Candidate | None:
    """"Our retriever uses 512-token chunks and top-k 12": 12 chunks of 512 tokens, said apart in one sentence."""
    for size in CHUNK_SIZE.finditer(ctx.t):
        first, last = sentence_bounds(ctx.t, size.start(), size.end())
        if size.group("size3") or size.group("size4"):
            # "We'd pass the top 5 articles; they average around 900 tokens each": "each" refers back a sentence
            first = sentence_bounds(ctx.t, first - 2)[0] if first > 1 else first
        count = CHUNK_COUNT.search(ctx.t, first, last)
        if count is None:
            continue
        tokens = _size(size, "", "2", "3", "4")
        start, end = min(size.start(), count.start()), max(size.end(), count.end())
        k = small_number(count.group("k") or count.group("k2") or count.group("k3"))
        if k > MAX_RETRIEVED:
            continue
        return Candidate(SLOT, as_int(tokens * k), level.STATED,
                         ctx.quote(start, end), "tokens.top_k", start, end)
    return None


def _size(match: re.Match[str], *variants: str) -> float:
    """The chunk size a pattern matched, in tokens: the first of its `size<variant>` groups that matched, times a
    thousand when its `scale<variant>` group ("k") did."""
    said = next(v for v in variants if match.group(f"size{v}"))
    return float(match.group(f"size{said}").replace(",", "")) * (1000 if match.group(f"scale{said}") else 1)
