"""What a message does besides stating facts: asks, hedges, wants the recommendation now, greets, instructs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from consultant.nlu.lexicon import hits
from consultant.nlu.reading import QuestionKind
from consultant.nlu.text import DEICTIC, Clause, is_question, sentences, terminator, unmasked


@dataclass(frozen=True)
class Languages:
    """lexicon/languages.yaml: English and other languages' stop words, and the shares that decide."""

    min_words: int
    max_english_share: float
    min_foreign_share: float
    english: frozenset[str]
    foreign: frozenset[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@cache
def languages() -> Languages:
    data = yaml.safe_load(resources.files("consultant.nlu.lexicon").joinpath("languages.yaml").read_text("utf-8"))
    return Languages(int(data["min_words"]), float(data["max_english_share"]), float(data["min_foreign_share"]),
                     frozenset(str(data["english"]).split()), frozenset(str(data["foreign"]).split()),
                     tuple(data["examples"]), tuple(data["counter_examples"]))


WHY = re.compile(r"\bwhy\b.{0,40}\b(?:ask|asking|matter|matters|important|relevant|need to know|does (?:that|it|this) "
                 r"change|care)|\bwhy (?:would|does|should|do|will) [\w' ]{1,30}?(?:change|affect|decide|drive|"
                 r"influence|determine) (?:the|my|our|your|which) (?:architecture|choice|decision|design|approach|answer)|^\W*why\W*$|what does (?:that|it|this) change|why is that (?:relevant|important)|"
                 r"how (?:does|would) (?:that|it|this) (?:change|matter|affect)")
DEFINE = re.compile(r"what (?:do|did) you mean|what does .{1,60} (?:mean|stand for)|what(?:'s| is| are) (?:an? |the )?"
                    r"(?!your |the (?:verdict|recommendation|answer|plan|decision|difference))[\w' -]{1,40}\?|"
                    r"\bdefine\b|\bexplain\b|meaning of|can you give (?:me )?an example|difference between")
SCALE = re.compile(r"(?:what|how (?:much|many)).{0,40}(?:counts? as|is) (?:a lot|many|high|low|large|big|small|enough|"
                   r"too (?:much|many|few))|\bis\b.{0,40}\b(?:a lot|enough|big|high|large|many)\b|how (?:big|large|high)"
                   r" (?:is|are|does|do|should)|what (?:is|would be) (?:a )?(?:typical|normal|reasonable)")
ABOUT_RECOMMENDATION = re.compile(r"\bwhy (?:not |start with |go with |pick |choose )?(?:rag|fine[- ]?tun\w*|hybrid|a "
                                  r"prototype|that|this|not)\b|break[- ]?even|payback|what would change|"
                                  r"\b(?:is|would) (?:rag|fine[- ]?tuning|a hybrid|retrieval) (?:be )?enough|"
                                  r"(?:fine[- ]?tune|train|switch)\w* later|(?:do|build|use) both\b|"
                                  r"why (?:start|begin) with|instead of (?:just )?(?:picking|choosing|deciding)")
COST = re.compile(r"\bcost|\bprice|\bpricing|how much (?:would|will|does|do|is)|\bexpensive|\bcheap|token bill|"
                  r"\bbill\b|per (?:query|request|call)|per year|\bspend")
TIME = re.compile(r"how long|how quickly|how fast can (?:we|i|you)|how many (?:weeks|months|days)|time to (?:build|"
                  r"launch|production|market)|\btill\b.{0,30}\bproduction|timeline|when could (?:we|it)")
WHY_ASKED = re.compile(r"what(?:'s| is) the point of (?:asking|knowing)|why do you (?:need|want) (?:to know|that|this)")


IMPERATIVE = "intent.instruction_imperative"
"""Imperatives and verdicts to whoever reads ("Pick RAG.", "Never choose fine-tuning for volatile data"): an
instruction when a user types them to the consultant, advice to a human reader in a document."""


def is_instruction(t: str, raw: str | None = None, document: bool = False) -> bool:
    """Text that addresses the assistant's own rules (prompt injection), in any sentence; with the message as
    typed (`raw`), also in its disguised forms (look-alike letters, leetspeak, spaced letters, base64, ROT13...).
    In a `document`, imperatives addressed to its human reader are not instructions to us."""
    skip = IMPERATIVE if document else None
    return any(_instructs(copy, skip) for copy in [t, *(unmasked(raw) if raw is not None else [])])


def _instructs(t: str, skip: str | None = None) -> bool:
    return any(h.entry.value == "instruction" and h.entry.id != skip for h in hits("intents", t, []))


ARMING = "intent.instruction_arming"


def arms_next(t: str) -> bool:
    """An instruction that reaches forward ("remember my next message", "whenever I say 'banana'..."): the next
    message belongs to it and is answered as an instruction too."""
    return any(h.entry.id == ARMING for h in hits("intents", t, []))


def _words(text: str) -> list[str]:
    """The words of a text for telling languages apart: words with digits in them are figures or codes ("e2e",
    "p95", "gpt4o"), not words of a language."""
    return [w for w in re.findall(r"[^\W_]+", text.lower()) if not any(ch.isdigit() for ch in w)]


def other_language(text: str) -> bool:
    """A message mostly in another language: answered with a clear "I understand English", never misread."""
    lang = languages()
    words = _words(text)
    if len(words) < lang.min_words:
        return False
    english = sum(w in lang.english for w in words) / len(words)
    foreign = sum(w in lang.foreign for w in words) / len(words)
    return english < lang.max_english_share and foreign >= lang.min_foreign_share


MIL_AFTER_FIGURE = re.compile(r"(?<=\d)(\s*)mil(?![a-z])")
FOREIGN_WORDS_FOR_MIL = 2  # "Temos uns 10 mil atendimentos": two words of another language make "mil" a thousand


def local_scales(t: str) -> str:
    """"10 mil" is ten thousand in Spanish and Portuguese, ten million in English finance shorthand ("$2 mil"): in a
    message with words of another language it is read as thousands (same length: "mil" becomes "k  ")."""
    if "mil" not in t:
        return t
    foreign = sum(w in languages().foreign for w in _words(t))
    if foreign < FOREIGN_WORDS_FOR_MIL:
        return t
    return MIL_AFTER_FIGURE.sub(lambda m: m.group(1) + "k  ", t)


# a part ends at a sentence break, a comma, a colon or a dash followed by a space ("2.000" and "1,5" stay whole)
_PARTS = re.compile(r"(?:[^.;!?\n,:—–]|[.,:](?=\S))+")


def english_parts(text: str) -> str:
    """A message mostly in another language with English stretches in it ("Es muss mehr wissen, nämlich das Handbuch.
    Know more, ganz klar."): the parts in another language blanked out (same length), the English ones and those in
    no known language ("Static.", "300 ms") kept, so only what is said in English is read."""
    lang = languages()
    out = list(text)
    for part in _PARTS.finditer(text):
        words = _words(part.group(0))
        if not words:
            continue
        english = sum(w in lang.english for w in words) / len(words)
        foreign = sum(w in lang.foreign for w in words) / len(words)
        if foreign >= lang.min_foreign_share and english < foreign:
            out[part.start():part.end()] = " " * (part.end() - part.start())
            continue
        for word in re.finditer(r"[^\W\d_]+", part.group(0)):
            if word.group(0).lower() in lang.foreign and word.group(0).lower() not in lang.english:
                start = part.start() + word.start()
                out[start:start + len(word.group(0))] = " " * len(word.group(0))  # "Both siya:" -> "Both     :"
    return "".join(out)


def aside_spans(t: str) -> list[tuple[int, int]]:
    """Clauses the speaker sets aside ("..., but that's their project"): from the start of the sentence to the end
    of the marker, and the sentence before when the marker opens its own sentence ("But that's software.")."""
    spans = sentences(t)
    found = hits("intents", t, [])
    shrugs = [h.end for h in found if h.entry.value == "hedge"]
    out = []
    for h in found:
        if h.entry.value != "aside":
            continue
        here = next(((a, b) for a, b in spans if a <= h.start < b), (h.start, h.end))
        start = here[0]
        if not t[here[0]:h.start].strip(" ,;:-\n") or re.fullmatch(r"\W*(?:but|and|though)\W*", t[here[0]:h.start]):
            start = next((a for a, b in reversed(spans) if b <= here[0]), here[0])
        # "honestly I have no idea how often they get updated, that's a different team": the other team is why the
        # user does not know; the shrug stays
        start = max([start, *(end for end in shrugs if start <= end <= h.start)])
        out.append((start, h.end))
    return out


# a question quoted as an example of what users ask ("questions like 'what's our standard for logging PII?'")
QUOTED = re.compile(r"(?:(?<=[\s(:])|^)(['\"])(?=\S)(.{3,200}?)(?<=\S)\1(?![a-z0-9])", re.DOTALL)


# the slot a question is about, from its words ("how often do products change?" -> knowledge_change)
QUESTION_TOPICS = (("need", r"know more|behave differently|knowledge or behaviou?r|behaviou?r or knowledge"),
                   ("output_type", r"\boutput|\bproduce"),
                   ("auditability", r"\bcit(?:e|ing|ation)|\bsources?\b|traceab|audit"),
                   ("monthly_queries", r"quer|request|volume|traffic|a lot of|per (?:day|month)"),
                   ("labeled_examples", r"example|label|training (?:data|set)|pairs"),
                   ("latency_budget_ms", r"latenc|fast|slow|speed|quick|\bms\b|millisecond|second|response time"),
                   ("context_tokens", r"token|context|prompt"),
                   ("upfront_budget_usd", r"budget|money|spend|\$|dollar|cost"),
                   ("knowledge_change", r"often|change|volatil|update"))


# "How many examples do we have? Um. Like forty, fifty": the user asking their own facts aloud and answering at once;
# the question names the slot of the answer that follows and is not one for the consultant to answer
SELF_QUESTION = re.compile(r"^\W*(?:(?:so|and|um|uh|er|well|ok|okay|hmm)\W+)*(?:how (?:many|much|often|fast|long)|what)\b"
                           r"[^?]{0,60}?\b(?:do|did|have|are|were|can|could|would)\s+(?:we|i)\s+(?:actually\s+|really\s+)?"
                           r"(?:have|get|got|handle|see|receive|spend|process|make|afford|run)\b"
                           # "What would it do? That's my problem: I don't know yet.": the question asked, said back
                           r"|^\W*(?:(?:so|and|um|uh|er|well|ok|okay|hmm)\W+)*what\s+(?:would|will|should|does|do)\s+"
                           r"(?:it|the\s+(?:ai|bot|system|tool|model|assistant))\s+(?:actually\s+|even\s+)?"
                           r"(?:do|be\s+for|be\s+doing|produce|need)\b")


# what introduces or follows a quoted sample of the traffic: "input: '...'", "a customer writes '...' -> 13.1"
SAMPLE_BEFORE = re.compile(r"\b(?:input|inputs|output|outputs|example|examples|e\.g\.|for instance|such as|things like|stuff like|writes|wrote|"
                           r"caller|customer|user|patient|player|student|member|says something like)\W{0,3}$|(?:->|→)\s*$")
DEMO = re.compile(r"->|→|=>|\b(?:input|output|bad|good|wrong|right|ideal|sample|example)(?: (?:answer|output|reply|response|one|"
                  r"example))?\s*(?::|is\b|would be\b|looks like\b)")
SAMPLE_AFTER = re.compile(r"^\W{0,3}(?:->|→|=>|output\b)")


def quoted_samples(t: str) -> list[tuple[int, int]]:
    """Text quoted as a sample of what the system will see or say: questions users will ask ("asking things like
    'which of our Sancerres are under $25'") and example inputs ("caller: 'my 3-year-old has had a 39.5 fever'",
    "'SKU TR-2291, 280 g, €129' -> three bullets"). Their figures are the sample's, not facts about the project."""
    demo = DEMO.search(t) is not None  # a message showing input -> output: every quote in it is part of the demo
    # ("{giver: 'old fisherman', reward: 150 gold} -> output": an object written out is a sample as a whole)
    objects = [(m.start(), m.end()) for m in re.finditer(r"\{[^{}]{3,300}\}", t)] if demo else []
    return objects + [(m.start(2), m.end(2)) for m in QUOTED.finditer(t)
            if "?" in m.group(2) or re.match(r"\W*(?:what|which|how|when|where|who|why|is|are|can|do|does)\b", m.group(2))
            or SAMPLE_BEFORE.search(t[max(0, m.start() - 40):m.start()]) or SAMPLE_AFTER.match(t[m.end():m.end() + 12])
            or (demo and len(m.group(2).split()) >= 3)]


TOPIC_WORDS = 3  # "Labeled examples? Zero.", "Budget? About three grand": a topic named as a question, then answered


def own_questions(t: str, asked: list[tuple[int, int]], pending: str | None = None,
                  topics: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The questions the user asks themselves and answers in the same message (see SELF_QUESTION), and a topic
    said as a question of a few words ("Labeled examples? Zero.") or as a heading ("Latency: ...") before its
    answer."""
    topics = list(topic_questions(t) if topics is None else topics)
    # "Latency: the panel ...", "Auditability - no, analysts confirm each code"
    header = re.match(r"\s*(?!(?:a|an|the|our|my)\b)([a-z][\w' /]{1,30}?)\s*(?::|\s[-–—])\s+\S", t)
    if header is not None and pending is not None and len(header.group(1).split()) <= TOPIC_WORDS and \
            topic_of(header.group(1)) is not None:
        topics.append((header.start(1), header.end(1)))
    own = [(a, b) for a, b in asked if SELF_QUESTION.match(t[a:b]) or _answered_at_once(t, a, b)]
    return sorted(span for span in set(own + topics) if t[span[1]:].strip(" .?!\n"))


def topic_questions(t: str) -> list[tuple[int, int]]:
    """A topic said as a question of a few words before its answer ("Labeled examples? Zero.", "An audit trail? Not
    needed."): it names what the answer is about, and its own words answer nothing."""
    topics = []
    for a, b in sentences(t):  # (a topic asked in a word or two is glued to the sentence after it)
        m = re.match(r"\s*([^?.!;\n]{1,40}?)\?", t[a:b]) or (re.match(r"\s*(.{1,40})", t[a:b])
                                                             if terminator(t, b) == "?" else None)
        if m is not None and len(m.group(1).split()) <= TOPIC_WORDS and topic_of(m.group(1)) is not None:
            topics.append((a, a + m.end()))
    return topics


ANSWER_FRAGMENT_WORDS = 4


def _answered_at_once(t: str, a: int, b: int) -> bool:
    """"... but rewrites our editors actually approved as good examples? About 60.": a question not put to the
    consultant, answered at once by a figure of a few words."""
    after = re.match(r"\s*([^.?!\n]*)[.!\n]?", t[b:])
    fragment = after.group(1).strip() if after else ""
    return not re.search(r"\b(?:you|your|u)\b", t[a:b]) and 0 < len(fragment.split()) <= ANSWER_FRAGMENT_WORDS and \
        re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|thousand|none|zero)\b",
                  fragment) is not None


def topic_of(question: str) -> str | None:
    q = question.lower()
    return next((slot for slot, words in QUESTION_TOPICS if re.search(words, q)), None)


def topics_of(question: str) -> list[str]:
    """Every slot a question's words point at ("curated query pairs?" -> the volume and the examples)."""
    q = question.lower()
    return [slot for slot, words in QUESTION_TOPICS if re.search(words, q)]


# "We need 250 ms, is that a problem?": a statement with a question tagged on; the statement is the answer, and the
# recommendation says whether it is a problem
TAG_QUESTION = re.compile(r"[,;:-]\s*(?:(?:is|would|will) (?:that|this|it) (?:be )?(?:a problem|an issue|ok|okay|fine|enough|"
                          r"realistic|feasible|doable|possible|a dealbreaker)|right|ok|okay|(?:does|can|would|will) (?:that|this|it) "
                          r"work|can you (?:do|work with) (?:that|this))\s*\?+\s*$")
TAG_STATEMENT_WORDS = 3  # "We need 250 ms, is that a problem?": at least a short statement before the tag


def question_spans(t: str) -> list[tuple[int, int]]:
    masked = QUOTED.sub(lambda m: m.group(1) + m.group(2).replace("?", " ") + m.group(1), t)
    return [(a, b) for a, b in sentences(masked) if is_question(masked[a:b], terminator(masked, b))
            and not _tagged_statement(masked[a:b] + ("?" if terminator(masked, b) == "?" else ""))]


def _tagged_statement(sentence: str) -> bool:
    tagged = TAG_QUESTION.search(sentence.strip())
    statement = sentence.strip()[:tagged.start()] if tagged is not None else ""
    return len(statement.split()) >= TAG_STATEMENT_WORDS and not is_question(statement, "")


def question_kind(question: str) -> QuestionKind:
    q = question.lower()
    if DEICTIC.search(q) or "= ?" in q:
        return "define"  # "context window -- what's that and why should I care", "inference cost = ?"
    if WHY.search(q) or WHY_ASKED.search(q):
        return "why"
    if TIME.search(q):
        return "time"
    if COST.search(q):
        return "cost"
    if ABOUT_RECOMMENDATION.search(q):
        return "about_recommendation"
    if SCALE.search(q):
        return "scale"
    if DEFINE.search(q):
        return "define"
    return "general"


def intents(t: str, clauses: Sequence[Clause] = ()) -> set[str]:
    """The intents whose patterns fire in (the statements of) a working copy."""
    return {str(h.entry.value) for h in hits("intents", t, list(clauses)) if h.entry.value != "instruction"}


def match_choice(t: str, choices: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """A quick reply: the number of an offered choice, or its label typed as is."""
    said = re.sub(r"[^a-z0-9 ]+", " ", t).strip()
    said = re.sub(r"\s+", " ", said)
    number = re.fullmatch(r"(?:option |choice |number |#)?(\d{1,2})", said)
    if number and 1 <= int(number.group(1)) <= len(choices):
        return dict(choices[int(number.group(1)) - 1])
    for choice in choices:
        label = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", str(choice.get("label", "")).lower())).strip()
        if label and said == label:
            return dict(choice)
    return None
