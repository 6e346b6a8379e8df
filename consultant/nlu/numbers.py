"""Numbers as people type them: "50k", "1.2M", "~3e5", "12,000", "two hundred thousand", "half a million"."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"zero": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "couple": 2, "three": 3,
         "few": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
         "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "several": 5, "half": 0.5, "quarter": 0.25}
SCALES = {"hundred": 100, "thousand": 1_000, "grand": 1_000, "k": 1_000, "m": 1_000_000, "mm": 1_000_000,
          "mil": 1_000_000, "mln": 1_000_000, "million": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000,
          "billion": 1_000_000_000, "lakh": 100_000}
# "hundreds of thousands", "tens of thousands", "thousands": order-of-magnitude talk
PLURAL_SCALES = {"tens": 10, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000}

_NUMERIC = re.compile(
    r"(?<![\w.])(?P<num>10\s*(?:\^|\*\*)\s*\d{1,2}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<=[€£$])\d{1,3}(?:\.\d{3})+(?!\d)|"
    r"\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d{1,3}(?:[ \u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
    r"(?:\s*-?\s*(?P<scale>k|mm|m|mil|mln|million|thousand|grand|b|bn|billion|lakh)\b)?"
    r"(?:\s*-?\s*ish\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+|\S", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMatch:
    value: float
    start: int
    end: int
    text: str
    from_article: bool = False  # "a second": the number is only the article "a"


def _word_numbers(text: str) -> list[NumberMatch]:
    """Spans of number words ("two hundred thousand", "half a million", "a few thousand", "thousands")."""
    out: list[NumberMatch] = []
    words = [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[a-zA-Z]+", text)]
    i = 0
    while i < len(words):
        w = words[i][0]
        if w in PLURAL_SCALES:
            value = float(PLURAL_SCALES[w])
            j = i + 1
            if j + 1 < len(words) and words[j][0] == "of" and words[j + 1][0] in PLURAL_SCALES:
                value = PLURAL_SCALES[w] * PLURAL_SCALES[words[j + 1][0]]
                j += 2
            value *= 3  # "thousands" ~ a few thousand
            out.append(NumberMatch(value, words[i][1], words[j - 1][2], text[words[i][1]:words[j - 1][2]]))
            i = j
            continue
        if w not in UNITS and w not in SCALES or w in ("k", "m", "b", "mm", "bn", "mil", "mln"):
            i += 1
            continue
        if w in ("a", "an") and i + 1 < len(words) and words[i + 1][0] == "quarter" and \
                not (i + 2 < len(words) and words[i + 2][0] in ("million", "thousand", "billion")):
            i += 2  # "once a quarter" is a period, not a number
            continue
        total, current, j, seen_real = 0.0, 0.0, i, False
        last_end = words[i][2]
        while j < len(words):
            t = words[j][0]
            if t in ("and", "of") and seen_real:
                j += 1
                continue
            if t in UNITS:
                nxt = words[j + 1][0] if j + 1 < len(words) else ""
                if t in ("a", "an"):
                    joins = nxt in ("few", "couple", "half", "dozen", "quarter") or (nxt in SCALES and len(nxt) > 2)
                    if joins and (seen_real or nxt not in ("few", "couple", "half", "dozen", "quarter")):
                        # "half a million", "a hundred": the article stands for one of the scale
                        current = current or (1.0 if not seen_real else current)
                        j += 1
                        continue
                    if joins:
                        j += 1
                        continue
                    if seen_real:
                        break
                if t == "quarter" and nxt not in ("million", "thousand", "billion"):
                    break
                current += UNITS[t]
                seen_real = seen_real or t not in ("a", "an")
            elif t in SCALES and t not in ("k", "m", "b", "mm", "bn", "mil", "mln"):
                scale = SCALES[t]
                current = (current or 1) * scale
                if scale >= 1_000:
                    total += current
                    current = 0
                seen_real = True
            else:
                break
            last_end = words[j][2]
            j += 1
        value = total + current
        span = text[words[i][1]:last_end]
        article_only = span.lower() in ("a", "an")
        is_zero = span.lower() in ("zero", "none")
        if (value or is_zero) and (seen_real or article_only):
            out.append(NumberMatch(value, words[i][1], last_end, span, from_article=article_only))
        i = max(j, i + 1)
    return out


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number in the text, in order, with its span; digits win over overlapping words."""
    found: list[NumberMatch] = []
    for m in _NUMERIC.finditer(text):
        raw = m.group("num")
        power = re.fullmatch(r"10\s*(?:\^|\*\*)\s*(\d{1,2})", raw)
        if power:
            raw = str(10 ** int(power.group(1)))  # "10^6"
        elif re.fullmatch(r"\d{1,3}(?:[. \u202f]\d{3})+", raw) and not re.fullmatch(r"\d+\.\d+", raw.replace(" ", "")) \
                or re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", raw) or (raw.count(".") == 1 and m.start() > 0 and
                                                                   text[m.start() - 1] in "€£$" and len(raw.split(".")[1]) == 3):
            raw = re.sub(r"[. \u202f]", "", raw)  # "€40.000", "8 000": thousands separators
        raw = raw.replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        scale = (m.group("scale") or "").lower()
        value *= SCALES.get(scale, 1)
        found.append(NumberMatch(value, m.start(), m.end(), m.group(0)))
    for w in _word_numbers(text):
        if not any(w.start < f.end and f.start < w.end for f in found):
            found.append(w)
    return sorted(found, key=lambda n: n.start)
