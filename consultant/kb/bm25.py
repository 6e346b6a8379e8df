"""A small in-memory BM25 index: keyword ranking to fuse with the vector search."""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

# Letters and digits are separate tokens, so "300ms" matches "300 ms" and "llama2" matches "Llama 2".
_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:[.,][0-9]+)*")
_STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from",
    "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the",
    "their", "them", "there", "this", "to", "us", "was", "we", "what", "when", "where", "which", "who",
    "why", "will", "with", "you", "your", "should", "would"])
_CACHE_LIMIT = 500_000


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


class _Terms(dict[str, str]):
    """raw token -> index term ('' for a stop word), computed once per distinct token."""

    def __missing__(self, raw: str) -> str:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        term = self[raw] = "" if raw in _STOP else stem(raw.replace(",", ""))
        return term


_TERMS = _Terms()


def tokenize(text: str) -> list[str]:
    # map/filter keep the per-token work in C: this runs over every chunk when the index is (re)built.
    return list(filter(None, map(_TERMS.__getitem__, _TOKEN.findall(text.lower()))))


class BM25:
    """Okapi BM25 with every (term, document) weight computed at build time: a query is a few array sums."""

    def __init__(self, ids: list[str], texts: list[str], k1: float = 1.4, b: float = 0.75) -> None:
        self.ids = ids
        self.k1, self.b = k1, b
        n = len(texts)
        vocab: defaultdict[str, int] = defaultdict()
        vocab.default_factory = vocab.__len__  # a new term gets the next id
        term_ids: list[int] = []
        lengths = np.zeros(n, dtype=np.int64)
        for i, text in enumerate(texts):
            before = len(term_ids)
            term_ids.extend(map(vocab.__getitem__, tokenize(text)))
            lengths[i] = len(term_ids) - before
        self.vocab = dict(vocab)
        # One (term, document) pair per distinct occurrence, sorted by term then document: a CSR matrix.
        pairs, tf = np.unique(np.array(term_ids, dtype=np.int64) * max(n, 1) + np.repeat(np.arange(n), lengths),
                              return_counts=True)
        term_of, self.doc_of = pairs // max(n, 1), pairs % max(n, 1)
        df = np.bincount(term_of, minlength=len(self.vocab))
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.avg = float(lengths.mean()) if n and lengths.any() else 1.0
        norm = k1 * (1 - b + b * lengths / self.avg)
        self.weight = idf[term_of] * tf * (k1 + 1) / (tf + norm[self.doc_of])
        self.indptr = np.searchsorted(term_of, np.arange(len(self.vocab) + 1))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        terms = [self.vocab[t] for t in dict.fromkeys(tokenize(query)) if t in self.vocab]
        if not terms or k <= 0:
            return []
        scores = np.zeros(len(self.ids), dtype=np.float64)
        for term in terms:
            span = slice(self.indptr[term], self.indptr[term + 1])
            scores[self.doc_of[span]] += self.weight[span]  # a term's documents are distinct: exact addition
        hits = np.flatnonzero(scores)
        best = hits[np.lexsort((hits, -scores[hits]))][:k]  # highest score first, then document order
        return [(self.ids[i], float(scores[i])) for i in best]
