"""Numbers as people type them, before they mean anything: digits in several locales, scale suffixes, number
words, magnitude talk ("a few hundred thousand", "low millions") and ranges ("2-3", "between 10k and 20k").

Every figure is a `Figure` with its span; a range keeps both ends. What a figure counts (money, time, queries)
is decided later, by `mentions.py`, from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Scale words and suffixes in the languages our users write numbers in (English first; German and Indian
# forms are common in this product's audience: "1,5 Mio.", "50 Tsd.", "3 lakh").
SCALES = {"k": 1e3, "thousand": 1e3, "thousands": 1e3, "grand": 1e3, "tsd": 1e3, "tausend": 1e3, "m": 1e6,
          "mm": 1e6, "mn": 1e6, "mil": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6, "mio": 1e6,
          "millionen": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9, "mrd": 1e9, "lakh": 1e5,
          "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7, "juta": 1e6, "hundred": 1e2,
          "tys": 1e3, "man": 1e4, "millones": 1e6, "millón": 1e6, "milhões": 1e6, "milhão": 1e6, "milyon": 1e6,
          "milioni": 1e6, "milione": 1e6, "miljoen": 1e6}  # Polish "20 tys. zł"; Japanese "80 man yen" (万, ten thousand; only before yen)
UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
         "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
# Vague quantities: a conventional value (what a person means on average), always marked approximate.
VAGUE = {"a few dozen": 36, "few dozen": 36, "a couple dozen": 24, "a couple of dozen": 24, "a couple": 2, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "several": 5, "a handful of": 5,
         "a handful": 5, "dozens of": 36, "dozens": 36, "a dozen": 12}
# "low millions" ~ 2M; "tens of thousands" ~ 30k; "six figures" ~ 300k (money talk).
MAGNITUDE = re.compile(
    r"\b(?:(?P<pos>low|mid|high|single[- ]digit|double[- ]digit|triple[- ]digit)[- ]"
    r"(?P<of>hundreds|thousands|millions|billions|tens of thousands|hundreds of thousands)"
    r"|(?P<plural>tens|hundreds|thousands|millions|billions)(?: of (?P<plural2>thousands|millions))?"
    r"|(?P<figs>low |mid |high )?(?P<n>five|six|seven|eight|5|6|7|8)[- ]figures?)\b")
_POSITION = {"low": 2, "mid": 5, "high": 8, "single-digit": 5, "single digit": 5, "double-digit": 30,
             "double digit": 30, "triple-digit": 300, "triple digit": 300}
_PLURAL = {"tens": 10, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
           "tens of thousands": 1e4, "hundreds of thousands": 1e5}
_FIGURES = {"five": 1e4, "six": 1e5, "seven": 1e6, "eight": 1e7, "5": 1e4, "6": 1e5, "7": 1e6, "8": 1e7}

_SCALE_RX = r"(?:k|mm|mn|mln|mil|million|millions|mio\.?|millionen|thousands?|grand|tsd\.?|tausend|bn|b|billions?|mrd\.?|" \
            r"lakhs?|lacs?|crores?|juta|tys\.?|millones|millón|milhões|milhão|milyon|milioni|milione|miljoen|" \
            r"man(?=\s*(?:yen|円))|m)(?![a-z])"
_DIGITS = re.compile(
    r"(?<![\w.,])(?P<num>10\s*(?:\^|\*\*)\s*\d{1,3}"  # 10^6
    r"|0,\d+(?![\d,])"  # 0,301 / 0,25: a leading zero before a comma is always a decimal comma
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?!\d|,\d)"  # 1,20,000 / 12,34,567 (Indian grouping: lakh, crore)
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,234,567.5
    r"|\d{1,3}(?:'\d{3})+"  # 1'200 (Swiss)
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d|\.\d)"  # 1.234.567 / 50.000 / 1.500,5 (European)
    r"|\d{1,3}(?: \d{3})+(?!\d|[.,]\d)"  # 1 234 567, "CAD 75 000."
    r"|\d+,\d{1,2}(?!\d)"  # 1,5 (European decimal)
    r"|\d*\.\d+(?:e[+-]?\d+)?|\d+(?:e[+-]?\d+)?)"  # 1.5, .5, 3e5
    rf"(?:\s*-?\s*(?P<scale>{_SCALE_RX}))?"
    r"(?P<ish>\s*-?\s*ish\b)?", re.IGNORECASE)
_ONE_THOUSANDS_DOT = re.compile(r"\d{1,3}\.\d{3}")  # "5.000", "50.000": 5,000 in most of Europe, 5.0 in English
_RANGE_JOIN = re.compile(r"^\s*(?:-|to|–|or|and|/)\s*[$€£¥₹]?\s*$")  # "$5,000 to $6,000"
_COMMA_PAIR = re.compile(r"^,\s?$")  # "maybe 50, 60 at most": two close guesses are one range
_APPROX_BEFORE = re.compile(r"(?:~|\babout|\baround|\broughly|\bapprox(?:imately|\.)?|\bca\.?|\bcirca|\bsome|\bmaybe|"
                            r"\bperhaps|\bnearly|\balmost|\bestimated|\bin the region of|\bon the order of|\bgive or take)"
                            r"\s*$")


@dataclass(frozen=True)
class Figure:
    """One number in a message: its value, where it is, and how exact it was said."""

    value: float
    start: int
    end: int
    text: str
    low: float | None = None  # ranges keep both ends ("2-3 s": low 2, high 3; value is the upper end)
    high: float | None = None
    approx: bool = False
    from_article: bool = False  # "a second", "an hour": the number is only the article
    vague: bool = False  # "a few", "low millions": a conventional value for a vague quantity
    dotted: bool = False  # written "5.000": read as 5,000 (a thousands dot); `decimal_reading` is the other way

    @property
    def decimal_reading(self) -> float | None:
        """"5.000" with its dot as a decimal point (5), for a figure read with a thousands dot (5,000); else None.
        Counts ("50.000 queries") keep the thousands reading; a measurement ("5.000 rps", "1.500 s") is asked."""
        return self.value / 1000 if self.dotted else None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


def _parse_digits(raw: str) -> float | None:
    raw = raw.strip()
    power = re.fullmatch(r"10\s*(?:\^|\*\*)\s*(\d{1,3})", raw)
    if power:
        return float(10 ** int(power.group(1)))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):  # European thousands (and decimals)
        return float(raw.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+,\d{1,2}", raw) or re.fullmatch(r"0,\d+", raw):  # European decimal
        return float(raw.replace(",", "."))
    try:
        return float(raw.replace(",", "").replace("'", "").replace(" ", ""))
    except ValueError:
        return None


def _digit_figures(t: str) -> list[Figure]:
    out = []
    for m in _DIGITS.finditer(t):
        value = _parse_digits(m.group("num"))
        if value is None:
            continue
        scale = (m.group("scale") or "").lower().rstrip(".")
        if scale == "m" and re.match(r"\s*(?:in\b|ins\b|inutes?\b|onths?\b|eters?\b|etres?\b)", t[m.end():m.end() + 8]):
            scale = ""  # "5 min" / "5 months": not millions
        if scale:
            # "1.500 Mio" is 1.5 million, not 1,500 million: a scale after a dotted figure reads the dot as decimal
            if re.fullmatch(r"\d{1,3}\.\d{3}", m.group("num")):
                value = float(m.group("num"))
            value *= SCALES.get(scale, SCALES.get(scale.rstrip("s"), 1))
        before = t[max(0, m.start() - 30):m.start()]
        approx = bool(m.group("ish")) or bool(_APPROX_BEFORE.search(before))
        dotted = not scale and bool(_ONE_THOUSANDS_DOT.fullmatch(m.group("num")))
        out.append(Figure(value, m.start(), m.end(), t[m.start():m.end()], approx=approx, dotted=dotted))
    return out


_WORD = re.compile(r"[a-z]+")
# the scales that may follow a number word: "six millions of questions" (non-native), "sixty K", "four lakh" (dictated)
_SCALE_WORDS = {w: SCALES[w] for w in ("hundred", "thousand", "grand", "million", "billion", "thousands", "millions",
                                       "billions", "k", "lakh", "lakhs", "crore", "crores")}
_DIGIT_WORDS = {w: v for w, v in UNITS.items() if v < 10}  # "two point five million": the digits after "point"


# digits said one by one: "seven-nine-nine-nine dollars" is 7,999, "nine-nine" 99 (not "two-three weeks", a range)
_D = r"(?:zero|one|two|three|four|five|six|seven|eight|nine)"
_SPOKEN_DIGITS = re.compile(rf"\b{_D}(?:-(?:{_D}|oh)){{2,}}\b|\b{_D}(?: (?:{_D}|oh)){{3,}}\b|"
                            r"\b(zero|one|two|three|four|five|six|seven|eight|nine)-\1\b")
# "point three seconds": a decimal said without its leading zero; "ten to the five": a power of ten
_LEADING_POINT = re.compile(r"(?<![\w.-])(?<!\d )point((?:\s+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine))+)\b")
_POWER_OF_TEN = re.compile(r"\bten to the (?:power of )?(two|three|four|five|six|seven|eight|nine|\d)\b")


def _spoken_figures(t: str) -> list[Figure]:
    """Figures said in ways the number-word grammar does not cover (see the patterns above)."""
    digit = {**{w: v for w, v in UNITS.items() if v < 10}, "oh": 0}
    out = [Figure(float("".join(str(digit[w]) for w in re.split(r"[- ]", m.group(0)))), m.start(), m.end(), m.group(0))
           for m in _SPOKEN_DIGITS.finditer(t)]
    out += [Figure(float("0." + "".join(str(digit[w]) for w in m.group(1).split())), m.start(), m.end(), m.group(0))
            for m in _LEADING_POINT.finditer(t)
            if not re.search(rf"\b(?:{'|'.join(UNITS)}|{'|'.join(_SCALE_WORDS)})\s+$", t[max(0, m.start() - 12):m.start()])]
    out += [Figure(10.0 ** (int(m.group(1)) if m.group(1).isdigit() else UNITS[m.group(1)]), m.start(), m.end(), m.group(0))
            for m in _POWER_OF_TEN.finditer(t)]
    return out


def _decimals(t: str, words: list[tuple[str, int, int]], j: int) -> tuple[float, int] | None:
    """The digit words after "point" at words[j], as a fraction, and the index of the last one."""
    digits = ""
    while j + 1 < len(words) and words[j + 1][0] in _DIGIT_WORDS and t[words[j][2]:words[j + 1][1]].strip() == "":
        j += 1
        digits += str(_DIGIT_WORDS[words[j][0]])
    return (float("0." + digits), j) if digits else None


def _word_figures(t: str) -> list[Figure]:
    """Number words: "two hundred and fifty thousand", "twenty-five", "half a million", "a hundred"."""
    out: list[Figure] = []
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(t)]
    i = 0
    while i < len(words):
        w, start, end = words[i]
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        after = words[i + 2][0] if i + 2 < len(words) else ""
        if w in ("half", "a") and nxt in ("a", "half") and after in ("million", "thousand", "billion"):
            out.append(Figure(0.5 * _SCALE_WORDS[after], start, words[i + 2][2], t[start:words[i + 2][2]]))
            i += 3
            continue
        if w not in UNITS and not (w in ("a", "an") and nxt in _SCALE_WORDS and nxt != "k"):
            i += 1
            continue
        total, current, j = 0.0, 0.0, i
        while j < len(words):
            word = words[j][0]
            joined = t[words[j - 1][2]:words[j][1]] if j > i else " "
            if j > i and (joined.strip() not in ("", "-") or (joined.strip() == "-" and joined != "-")):
                break  # "two, three", "a hundred - ninety-nine": separate figures (only "twenty-five" is joined)
            if j > i and joined.strip() == "-" and current in _DIGIT_WORDS.values() and UNITS.get(word, 99) < 10:
                break  # "two-three weeks": a range (joined below), not two plus three
            if word in ("a", "an") and j == i:
                current = 1.0
            elif word == "dozen" and j > i and current:
                current *= UNITS["dozen"]  # "three dozen" is 36
            elif word in UNITS:
                current += UNITS[word]
            elif word in _SCALE_WORDS:
                current = (current or 1.0) * _SCALE_WORDS[word]
                if _SCALE_WORDS[word] >= 1e3:
                    total, current = total + current, 0.0
            elif word == "and" and j + 1 < len(words) and words[j + 1][0] in UNITS and (total or current >= 100):
                pass  # "two hundred and fifty"
            elif word == "point" and j > i and current < 1e3 and (decimals := _decimals(t, words, j)) is not None:
                fraction, j = decimals
                current += fraction  # "two point five", "zero point three"
            else:
                break
            end = words[j][2]
            j += 1
        if t[start:end].strip() not in ("a", "an"):
            out.append(Figure(total + current, start, end, t[start:end]))
        i = max(j, i + 1)
    return out


def _vague_figures(t: str) -> list[Figure]:
    """"a few hundred thousand", "low millions", "six figures", "a couple of", "dozens of"."""
    out = []
    for m in MAGNITUDE.finditer(t):
        if m.group("pos"):
            value = _POSITION[m.group("pos").replace("-", " ") if m.group("pos").replace("-", " ") in _POSITION
                              else m.group("pos")] * _PLURAL[m.group("of")] / (10 if m.group("of") == "tens of thousands" else 1)
            if m.group("pos").startswith(("single", "double", "triple")):
                value = _POSITION[m.group("pos")] * _PLURAL[m.group("of")]
        elif m.group("n"):
            base = _FIGURES[m.group("n")]
            value = base * {"low ": 2, "mid ": 5, "high ": 8}.get(m.group("figs") or "", 3)
        else:
            unit = _PLURAL[m.group("plural")]
            value = unit * (_PLURAL[m.group("plural2")] if m.group("plural2") else 1) * 3
        out.append(Figure(float(value), m.start(), m.end(), m.group(0), approx=True, vague=True))
    for phrase, n in sorted(VAGUE.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", t):
            out.append(Figure(float(n), m.start(), m.end(), m.group(0), approx=True, vague=True))
    return out


def _scaled_vague(t: str, vague: Figure, figures: list[Figure]) -> Figure | None:
    """"a few hundred thousand" = 3 x 100 x 1000: a vague count followed by scale words."""
    rest = re.match(r"\s*(?:of\s+)?((?:hundred|thousand|million|billion|k\b|m\b)(?:\s+(?:thousand|million))?)", t[vague.end:])
    if not rest:
        return None
    scale = 1.0
    for word in rest.group(1).split():
        scale *= SCALES[word]
    end = vague.end + rest.end()
    return Figure(vague.value * scale, vague.start, end, t[vague.start:end], approx=True, vague=True)


_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1, "two thirds": 2 / 3,
              "three quarters": 0.75, **{f"{w} tenths": UNITS[w] / 10 for w in ("two", "three", "four", "five", "six",
                                                                                 "seven", "eight", "nine")}}
# ("a quarter second", "a tenth second": the "of a" left out)
_FRACTION = re.compile(r"\b(?:(?:(?:a|one)\s+)?(third|quarter|fifth|tenth)(?:\s+of\s+an?|(?<=quarter)|(?<=fifth)|(?<=tenth)|"
                       r"(?<=third))|(half)\s+an?|(two\s+thirds|three\s+quarters|(?:two|three|four|five|six|seven|eight|nine)\s+tenths)"
                       r"\s+of\s+an?)(?:\s+|-)"
                       r"(?=(?:second|sec|minute|min|hour)\b)")


# "a quarter of a million certificates", "three quarters of a million": a fraction of a scale word
_FRACTION_OF_SCALE = re.compile(r"\b(?:(?:a|one)\s+(third|quarter|fifth|tenth)|(two\s+thirds|three\s+quarters))\s+of\s+an?\s+"
                                r"(thousand|million|billion)\b")


def _fractions(t: str) -> list[Figure]:
    """"a third of a second", "half a second": a fraction of one unit; "a quarter of a million": of a scale."""
    units = [Figure(_FRACTIONS[re.sub(r"\s+", " ", m.group(1) or m.group(2) or m.group(3))], m.start(),
                    m.start() + len(m.group(0).rstrip(" -")),
                    m.group(0).strip(" -"), approx=True)
             for m in _FRACTION.finditer(t)]  # the span ends at the figure's last word, so the unit follows it
    scaled = [Figure(_FRACTIONS[re.sub(r"\s+", " ", m.group(1) or m.group(2))] * SCALES[m.group(3)], m.start(), m.end(),
                     m.group(0), approx=True)
              for m in _FRACTION_OF_SCALE.finditer(t)]
    return units + scaled


# "a second signature", "a second marker", "a second pair of eyes": "second" as an ordinal, before the thing it
# counts; "a second or two", "a second is fine", "a second per answer", "a second round trip": a duration
NOT_COUNTED_AFTER_SECOND = (r"or|to|and|is|was|'s|per|a|an|of|for|at|in|on|max|maximum|tops|latency|delay|wait|waiting|"
                            r"response|round|roundtrip|round-trip|end|would|will|should|could|can|must|with|under|over|"
                            r"so|but|then|lag|time|the|they|we|it|i|you|he|she|users?|people|customers?|later|earlier|"
                            r"ago|after|before|faster|slower|longer|less|more|each|every|that|this|which|while|when|if|"
                            r"feels?|seems?|sounds?|as|too|from|by|p\d+|ms|sec")
ORDINAL_SECOND = re.compile(rf"second\s+(?!(?:{NOT_COUNTED_AFTER_SECOND})\b)[a-z][a-z-]+")


def _articles(t: str) -> list[Figure]:
    """"a second", "an hour", "a day": the article as the number one (only next to a unit of time; not "a second
    signature")."""
    return [Figure(1.0, m.start(), m.start() + len(m.group(1)), m.group(1), from_article=True)
            for m in re.finditer(r"\b(an?)\s+(?=(?:second|sec|minute|min|hour)\b)", t)
            if not ORDINAL_SECOND.match(t, m.end())]


def _overlaps(a: Figure, b: Figure) -> bool:
    return a.start < b.end and b.start < a.end


def _join_ranges(t: str, figures: list[Figure]) -> list[Figure]:
    """"2-3", "10k to 20k", "between 1 and 2 million", "a second or two": one figure with both ends."""
    out: list[Figure] = []
    i = 0
    while i < len(figures):
        a = figures[i]
        b = figures[i + 1] if i + 1 < len(figures) else None
        gap = t[a.end:b.start] if b is not None else ""
        unit_gap = re.match(r"^\s*(second|sec|minute|min|hour|day|week|month)s?\s+or\s+$", gap)
        pair = b is not None and _COMMA_PAIR.match(gap) is not None and a.value < b.value <= 2 * a.value < 2000
        # (not "$7,999 - $8,000+ needs board": an end that opens upwards is a line drawn beside the figure)
        open_ended = b is not None and re.match(r"\s*(?:k\b\s*)?\+", t[b.end:b.end + 4]) is not None
        if b is not None and (_RANGE_JOIN.match(gap) or unit_gap or pair) and not b.from_article and b.value > 0 \
                and not open_ended:
            low, high = a.value, b.value
            if unit_gap:
                pass  # "a second or two": both ends in the unit named in between
            elif _bare(a.text) == low and _bare(b.text) and _bare(b.text) < high:
                low = low * high / _bare(b.text)  # "10-20k", "2 to 3 million": the scale belongs to both ends
            if high >= low and not (gap.strip() in ("or", "and", "/") and high > 20 * max(low, 1)):
                out.append(Figure(high, a.start, b.end, t[a.start:b.end], low=low, high=high,
                                  approx=True, vague=a.vague or b.vague))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _bare(text: str) -> float:
    m = re.match(r"[\d.,]+", text)
    value = _parse_digits(m.group(0)) if m else None
    return value or 0.0


_HALF_SCALED = re.compile(r"^\s+(thousand|grand|million|billion|k|m)\b")
_AND_A_HALF = re.compile(r"^\s+(?:(?:second|sec|minute|min|hour)s?\s+)?and (?:a )?half\b")


def _halves(t: str, figures: list[Figure]) -> list[Figure]:
    """"a second and a half", "two and a half minutes": the figure plus one half.

    With the unit in between ("a second and a half") the figure keeps its span, so the unit still follows it;
    without ("two and a half minutes") the span grows over "and a half" up to the unit.
    """
    out: list[Figure] = []
    for f in figures:
        if out and out[-1].start < f.start < out[-1].end:
            continue  # inside a figure already grown over it ("a half thousand" in "seven and a half thousand")
        m = _AND_A_HALF.match(t[f.end:])
        if m is None:
            out.append(f)
            continue
        scale = _HALF_SCALED.match(t[f.end + m.end():])
        if scale is not None:
            # "seven and a half thousand dollars", "two and a half million queries": the scale applies to the whole
            end = f.end + m.end() + scale.end()
            out.append(Figure((f.value + 0.5) * SCALES[scale.group(1)], f.start, end, t[f.start:end], approx=f.approx))
            continue
        unit_between = re.match(r"^\s+(?:second|sec|minute|min|hour)s?\s", t[f.end:]) is not None
        end = f.end if unit_between else f.end + m.end()
        out.append(Figure(f.value + 0.5, f.start, end, t[f.start:end], approx=f.approx))
    return out


# "one short of a hundred", "one dollar under eight thousand": the gap between two figures
_SHORT_OF = re.compile(r"^\s+(?:(?:dollars?|bucks?|euros?|pounds?|quid)\s+)?(?:short|shy) of\s+$|"
                       r"^\s+(?:dollars?|bucks?|euros?|pounds?|quid)\s+(?:under|below|less than)\s+$")


def _short_of(t: str, figures: list[Figure]) -> list[Figure]:
    """"one short of a hundred" is 99, "one dollar under eight thousand" 7,999: a small figure "short of" a larger
    one is their difference."""
    out: list[Figure] = []
    skip = False
    for a, b in zip(figures, [*figures[1:], None], strict=False):
        if skip:
            skip = False
            continue
        if b is not None and _SHORT_OF.match(t[a.end:b.start]) and a.value < b.value:
            out.append(Figure(b.value - a.value, a.start, b.end, t[a.start:b.end]))
            skip = True
            continue
        out.append(a)
    return out


def find_figures(t: str) -> list[Figure]:
    """Every number in a working copy (lower-cased), in order: digits win over words that overlap them."""
    found = _digit_figures(t)
    vague = _vague_figures(t)
    scaled = [f for v in vague if (f := _scaled_vague(t, v, found))]
    for f in scaled + [v for v in vague if not any(_overlaps(v, s) for s in scaled)]:
        if not any(_overlaps(f, g) for g in found):
            found.append(f)
    for f in _spoken_figures(t):
        if not any(_overlaps(f, g) for g in found):
            found.append(f)
    for f in _fractions(t) + _word_figures(t) + _articles(t):
        inside = [g for g in found if _overlaps(f, g)]
        if inside and all(g.vague and f.start <= g.start and g.end <= f.end for g in inside):
            found = [g for g in found if g not in inside]  # "six millions": the number word, not a vague "millions"
            inside = []
        if not inside:
            found.append(f)
    found.sort(key=lambda f: f.start)
    return _just_under(t, _join_ranges(t, _short_of(t, _halves(t, found))))


# "a tad under eight grand", "just shy of a hundred": a figure said to be slightly less than a round one; so is one
# said to be "not quite", "almost" or "nearly" reached ("99 redlined contracts, so not quite a hundred")
JUST_UNDER = re.compile(r"\b(?:just|a tad|a touch|a hair|a bit|slightly|a little|fractionally)\s+(?:under|below|less than|"
                         r"short of|shy of)\s*[$€£¥₹]?\s*$|\bjust shy of\s*[$€£¥₹]?\s*$"
                         r"|\b(?:not quite|almost|nearly)\s+[$€£¥₹]?\s*$")
ROUND_FROM = 10  # below this the figure is a unit count ("just under 2 seconds" stays 2)


def _just_under(t: str, figures: list[Figure]) -> list[Figure]:
    return [replace(f, value=f.value - 1, approx=True, low=None, high=None)
            if f.value >= ROUND_FROM and f.low is None and JUST_UNDER.search(t[max(0, f.start - 24):f.start]) else f
            for f in figures]


SMALL_NUMBER_WORDS = "|".join(w for w, v in UNITS.items() if 2 <= v <= 20)
"""A regex alternation of the number words from two to twenty ("twelve chunks", "for the past six weeks")."""


def small_number(said: str) -> int:
    """"12" or "twelve" -> 12 (a count said in digits or as one of the words in SMALL_NUMBER_WORDS)."""
    return int(said) if said.isdigit() else int(UNITS[said])
