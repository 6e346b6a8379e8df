"""A learned reader for the enum slots: softmax regression on the offline MiniLM sentence vectors.

Trained on `corpus/*.yaml` (utterances written for training only, kept apart from every eval set) by
`python -m consultant.nlu.learned.train`; the weights ship in `weights.npz` beside the corpus hash they were
trained on (a test fails when the corpus changed and the weights were not retrained).

It predicts, for one message and one slot, a value or `none` with a probability. The rules stay first: the
learned reading only fills an enum slot the rules left empty (see `consultant.nlu.read`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

SLOTS = ("need", "output_type", "auditability", "knowledge_change")
NONE = "none"
MAX_CHARS = 600  # an opening longer than this is cut: MiniLM reads 256 tokens at most anyway


def corpus_dir() -> Path:
    return Path(str(resources.files("consultant.nlu.learned").joinpath("corpus")))


def weights_path() -> Path:
    return Path(str(resources.files("consultant.nlu.learned").joinpath("weights.npz")))


def load_corpus(slot: str) -> list[tuple[str, str]]:
    data = yaml.safe_load((corpus_dir() / f"{slot}.yaml").read_text("utf-8"))
    return [(str(e["text"]), str(e["value"])) for e in data["examples"]]


def corpus_hash() -> str:
    """sha256 over the corpus files, in name order (what the shipped weights were trained on)."""
    digest = hashlib.sha256()
    for path in sorted(corpus_dir().glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Model:
    """One slot's classifier: weights (dims x classes), bias (classes) and the class names."""

    classes: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def train(vectors: np.ndarray, labels: list[str], l2: float = 1e-3, steps: int = 600, rate: float = 2.0) -> Model:
    """Full-batch gradient descent on the softmax cross-entropy with L2 (small data, deterministic)."""
    classes = tuple(sorted(set(labels)))
    index = {c: i for i, c in enumerate(classes)}
    y = np.zeros((len(labels), len(classes)))
    y[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
    weights = np.zeros((vectors.shape[1], len(classes)))
    bias = np.zeros(len(classes))
    for _ in range(steps):
        model = Model(classes, weights, bias)
        error = (model.probabilities(vectors) - y) / len(labels)
        weights = weights - rate * (vectors.T @ error + l2 * weights)
        bias = bias - rate * error.sum(axis=0)
    return Model(classes, weights, bias)


@lru_cache(maxsize=1)
def models() -> dict[str, Model]:
    """The shipped models, one per slot (empty when the weights file is missing)."""
    path = weights_path()
    if not path.exists():
        return {}
    data = np.load(path, allow_pickle=False)
    out = {}
    for slot in SLOTS:
        if f"{slot}__weights" in data:
            out[slot] = Model(tuple(str(c) for c in data[f"{slot}__classes"]), data[f"{slot}__weights"],
                              data[f"{slot}__bias"])
    return out


def shipped_hash() -> str | None:
    path = weights_path()
    if not path.exists():
        return None
    return str(np.load(path, allow_pickle=False)["corpus_sha256"])


def predict(slot: str, text: str) -> tuple[str, float] | None:
    """(value or "none", probability) for one message, or None when no model is shipped for the slot."""
    model = models().get(slot)
    if model is None or not text.strip():
        return None
    from consultant.embeddings import get_embedder

    vector = get_embedder().embed([text[:MAX_CHARS]])
    probs = model.probabilities(vector)[0]
    best = int(np.argmax(probs))
    return model.classes[best], float(probs[best])
