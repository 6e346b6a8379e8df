"""A small in-memory BM25 index: keyword ranking to fuse with the vector search."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np

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
    """Okapi BM25 with each (term, document) weight computed once, so a query is a few array additions."""

    def __init__(self, ids: list[str], texts: list[str], k1: float = 1.4, b: float = 0.75) -> None:
        self.ids = ids
        self.k1, self.b = k1, b
        postings: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        lengths = np.zeros(len(texts), dtype=np.float64)
        for i, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[i] = sum(counts.values())
            for term, tf in counts.items():
                docs, tfs = postings[term]
                docs.append(i)
                tfs.append(tf)
        n = len(texts)
        self.avg = float(lengths.mean()) if n and lengths.any() else 1.0
        norm = k1 * (1 - b + b * lengths / self.avg)
        self.weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (docs, tfs) in postings.items():
            doc_ids = np.array(docs, dtype=np.int64)
            freq = np.array(tfs, dtype=np.float64)
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            self.weights[term] = (doc_ids, idf * freq * (k1 + 1) / (freq + norm[doc_ids]))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        terms = [t for t in dict.fromkeys(tokenize(query)) if t in self.weights]
        if not terms or k <= 0:
            return []
        scores = np.zeros(len(self.ids), dtype=np.float64)
        for term in terms:
            doc_ids, weights = self.weights[term]
            scores[doc_ids] += weights  # a term's documents are distinct: plain fancy-index addition is exact
        hits = np.flatnonzero(scores)
        best = hits[np.lexsort((hits, -scores[hits]))][:k]  # highest score first, then document order
        return [(self.ids[i], float(scores[i])) for i in best]
