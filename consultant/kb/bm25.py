"""A small in-memory BM25 index: keyword ranking to fuse with the vector search."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

# Letters and digits are separate tokens, so "300ms" matches "300 ms" and "llama2" matches "Llama 2".
_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:[.,][0-9]+)*")
_STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from",
    "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the",
    "their", "them", "there", "this", "to", "us", "was", "we", "what", "when", "where", "which", "who",
    "why", "will", "with", "you", "your", "should", "would"])


@lru_cache(maxsize=200_000)  # a corpus has a small vocabulary: stem each word once, not each occurrence
def stem(token: str) -> str:
    """A light, consistent suffix stripper: costs/cost, changed/changes/change, tuning/tuned/tune meet."""
    t = token
    if len(t) <= 3 or not t.isalpha():
        return t
    if t.endswith("ies") and len(t) > 4:
        t = t[:-3] + "y"
    elif t.endswith("sses"):
        t = t[:-2]
    elif t.endswith("s") and not t.endswith(("ss", "us", "is")):
        t = t[:-1]
    for suffix in ("ing", "ed"):
        if t.endswith(suffix) and len(t) - len(suffix) >= 3:
            t = t[: -len(suffix)]
            if t[-1] == t[-2] and t[-1] not in "lsz":  # embedding -> embedd -> embed
                t = t[:-1]
            break
    if t.endswith("e") and len(t) > 3:
        t = t[:-1]
    return t


def tokenize(text: str) -> list[str]:
    return [stem(t.replace(",", "")) for t in _TOKEN.findall(text.lower()) if t not in _STOP]


class BM25:
    def __init__(self, ids: list[str], texts: list[str], k1: float = 1.4, b: float = 0.75) -> None:
        self.ids = ids
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths: list[int] = []
        for i, text in enumerate(texts):
            counts = Counter(tokenize(text))
            self.lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                self.postings[term].append((i, tf))
        self.avg = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        n = len(texts)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        scores: dict[int, float] = defaultdict(float)
        for term in set(tokenize(query)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc, tf in self.postings[term]:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.avg)
                scores[doc] += idf * tf * (self.k1 + 1) / (tf + norm)
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(self.ids[i], s) for i, s in best]
