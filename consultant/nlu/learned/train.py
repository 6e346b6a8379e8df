"""Train the learned reader on corpus/*.yaml and write weights.npz (run after any corpus change).

    .venv/bin/python -m consultant.nlu.learned.train [--folds 5]

Prints a k-fold cross-validated accuracy per slot on the training corpus itself (a sanity figure, not an
eval: the eval sets are never used for training).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from consultant.nlu.learned import SLOTS, corpus_hash, load_corpus, train, weights_path


def cross_validated(vectors: np.ndarray, labels: list[str], folds: int) -> float:
    order = np.random.default_rng(7).permutation(len(labels))
    correct = 0
    for k in range(folds):
        test = order[k::folds]
        fit = np.setdiff1d(order, test)
        model = train(vectors[fit], [labels[i] for i in fit])
        predicted = model.probabilities(vectors[test]).argmax(axis=1)
        correct += sum(model.classes[p] == labels[i] for p, i in zip(predicted, test, strict=True))
    return correct / len(labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    from consultant.embeddings import get_embedder

    embedder = get_embedder()
    arrays: dict[str, np.ndarray] = {"corpus_sha256": np.array(corpus_hash())}
    for slot in SLOTS:
        examples = load_corpus(slot)
        texts, labels = [t for t, _ in examples], [v for _, v in examples]
        vectors = embedder.embed(texts)
        accuracy = cross_validated(vectors, labels, args.folds)
        model = train(vectors, labels)
        arrays[f"{slot}__weights"] = model.weights.astype(np.float32)
        arrays[f"{slot}__bias"] = model.bias.astype(np.float32)
        arrays[f"{slot}__classes"] = np.array(model.classes)
        print(f"{slot:18} {len(labels):5} utterances  {len(model.classes)} classes  "
              f"{args.folds}-fold accuracy {accuracy:.3f}")
    np.savez_compressed(weights_path(), **arrays)  # type: ignore[arg-type]
    print(f"wrote {weights_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
