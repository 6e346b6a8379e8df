"""The Chroma-backed knowledge store: idempotent ingestion and cited hybrid (vector + BM25) search."""

from __future__ import annotations

import contextlib
import hashlib
import sys
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from consultant.config import Settings, get_settings
from consultant.embeddings import MODEL_NAME, MiniLMEmbeddingFunction, get_embedder
from consultant.errors import KnowledgeError
from consultant.kb.bm25 import BM25
from consultant.kb.documents import (
    CHUNK_TOKENS,
    OVERLAP_TOKENS,
    SUPPORTED,
    DocumentError,
    chunk_document,
    file_hash,
    load_document,
    read_bytes,
)

COLLECTION = "knowledge"
CHUNKER = f"heading-aware/{CHUNK_TOKENS}/{OVERLAP_TOKENS}"  # recorded in the collection: a change rebuilds it
RRF_K = 60
CANDIDATES = 40  # per ranker, whatever k is: a top 3 is the head of the top 10, not a different list
# The keyword ranking counts a third of the vector ranking in the fusion (Weaviate's default alpha, 0.75):
# every file here says "RAG" and "fine-tuning", so exact words alone are a noisy signal.
KEYWORD_WEIGHT = 1 / 3
ADD_BATCH = 1000


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk with its citation."""

    text: str
    source: str
    heading: str
    chunk_id: str
    score: float
    dimensions: tuple[str, ...] = ()
    stance: str = "neutral"  # the option the section argues for (front matter `stances` of its file)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dimensions"] = list(self.dimensions)
        return data

    @property
    def citation(self) -> str:
        return f"{self.source} › {self.heading.split(' > ')[-1]}"


@dataclass
class IngestReport:
    """One line per file: what happened to it."""

    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (file, status, detail)
    chunks_added: int = 0
    chunks_removed: int = 0
    rebuilt: bool = False

    def add(self, path: str, status: str, detail: str = "") -> None:
        self.lines.append((path, status, detail))

    def count(self, status: str) -> int:
        return sum(1 for _, s, _ in self.lines if s == status)

    def render(self) -> str:
        out = [f"{status:<10} {path}{'  - ' + detail if detail else ''}" for path, status, detail in self.lines]
        out.append(f"{self.count('ingested')} ingested, {self.count('unchanged')} unchanged, "
                   f"{self.count('skipped')} skipped, {self.count('failed')} failed; "
                   f"{self.chunks_added} chunks added, {self.chunks_removed} removed")
        return "\n".join(out)


def _dim_key(dimension: str) -> str:
    return f"dim_{dimension}"


class KnowledgeStore:
    """A Chroma collection of chunks; one writer per process (Chroma is not process-safe for writers)."""

    def __init__(self, client: Any, builtin_dir: Path | None = None, name: str = COLLECTION) -> None:
        self.client = client
        self.builtin_dir = builtin_dir.resolve() if builtin_dir else None
        self.name = name
        self._lock = threading.RLock()
        self._bm25: tuple[int, BM25, dict[str, dict[str, Any]], dict[str, str]] | None = None
        self.rebuilt = False
        self.collection = self._open_collection()

    # --- collection and model bookkeeping ---------------------------------------------------------------
    def _open_collection(self) -> Any:
        ef = MiniLMEmbeddingFunction()
        metadata = {"embedding_model": MODEL_NAME, "chunker": CHUNKER}
        from chromadb.errors import NotFoundError

        foreign = False
        try:
            existing = self.client.get_collection(self.name, embedding_function=ef)
            built_with = existing.metadata or {}
            # vectors of another model are not comparable, and chunks cut another way are not the same chunks
            foreign = built_with.get("embedding_model") != MODEL_NAME or built_with.get("chunker") != CHUNKER
        except NotFoundError:
            existing = None
        except ValueError as exc:
            # Persisted with another embedding function (Chroma refuses to reopen it with ours).
            if "embedding function" not in str(exc).lower():
                raise
            foreign = True
        if foreign:
            # Vectors of another model are not comparable with ours: rebuild rather than mix them.
            self.client.delete_collection(self.name)
            existing = None
            self.rebuilt = True
        if existing is not None:
            return existing
        return self.client.create_collection(self.name, embedding_function=ef, metadata=metadata,
                                             configuration={"hnsw": {"space": "cosine"}})

    def count(self) -> int:
        return int(self.collection.count())

    def _doc_id(self, path: Path) -> str:
        resolved = path.resolve()
        if self.builtin_dir and resolved.is_relative_to(self.builtin_dir):
            return resolved.relative_to(self.builtin_dir).as_posix()
        return str(resolved)

    def _doc_path(self, doc_id: str) -> Path:
        return Path(doc_id) if Path(doc_id).is_absolute() or not self.builtin_dir else self.builtin_dir / doc_id

    def _manifest(self) -> dict[str, dict[str, Any]]:
        """doc_id -> {file hash -> [chunk ids]} for everything in the store."""
        got = self.collection.get(include=["metadatas"])
        manifest: dict[str, dict[str, Any]] = {}
        for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
            manifest.setdefault(str(meta["doc_id"]), {}).setdefault(str(meta["file_hash"]), []).append(cid)
        return manifest

    # --- ingestion --------------------------------------------------------------------------------------
    @staticmethod
    def expand(paths: Iterable[Path]) -> list[Path]:
        files: list[Path] = []
        for p in paths:
            if p.is_dir():
                files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                                and not any(part.startswith(".") for part in f.relative_to(p).parts))
            else:
                files.append(p)
        return files

    def ingest(self, paths: Iterable[Path], prune: bool = False, progress: bool = False) -> IngestReport:
        """Add or refresh files; unchanged files cost nothing; a failing file keeps its previous chunks."""
        with self._lock:
            report = IngestReport(rebuilt=self.rebuilt)
            manifest = self._manifest()
            by_hash = {h: d for d, hashes in manifest.items() for h in hashes}
            files = self.expand(list(paths))
            bar = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(total=len(files), unit="file", file=sys.stderr, desc="ingest")
            for path in files:
                self._ingest_file(path, manifest, by_hash, report)
                if bar:
                    bar.update(1)
            if bar:
                bar.close()
            if prune:
                for doc_id, hashes in manifest.items():
                    if not self._doc_path(doc_id).exists():
                        ids = [cid for chunk_ids in hashes.values() for cid in chunk_ids]
                        self.collection.delete(ids=ids)
                        report.chunks_removed += len(ids)
                        report.add(doc_id, "pruned", f"{len(ids)} chunks of a deleted file")
            if report.chunks_added or report.chunks_removed:
                self._bm25 = None
                self.__dict__.pop("_passage_cache", None)
            return report

    def _ingest_file(self, path: Path, manifest: dict[str, dict[str, Any]], by_hash: dict[str, str],
                     report: IngestReport) -> None:
        label = str(path)
        if not path.exists():
            report.add(label, "failed", "no such file")
            return
        doc_id = self._doc_id(path)
        try:
            data = read_bytes(path)
        except DocumentError as exc:
            report.add(label, "skipped", str(exc))
            return
        except OSError as exc:
            report.add(label, "failed", f"cannot read: {exc.strerror or exc}")
            return
        digest = file_hash(data)
        old = manifest.get(doc_id, {})
        if set(old) == {digest}:
            report.add(label, "unchanged")
            return
        twin = by_hash.get(digest)
        if twin is not None and twin != doc_id:
            report.add(label, "skipped", f"duplicate of {twin} (same content)")
            return
        try:
            doc = load_document(path, data)
            chunks = chunk_document(doc)
            if not chunks:
                raise DocumentError("no text content after parsing")
            vectors = get_embedder().embed([f"{c.heading}\n{c.text}" for c in chunks])
        except DocumentError as exc:
            report.add(label, "skipped", str(exc))
            return
        except Exception as exc:  # the embedder failed: this file keeps its previous chunks, others go on
            report.add(label, "failed", f"embedding failed ({type(exc).__name__}: {str(exc)[:120]})")
            return
        key = hashlib.sha1(doc_id.encode()).hexdigest()[:10]
        ids = [f"{key}:{digest[:10]}:{c.index}" for c in chunks]
        metas = [{
            "doc_id": doc_id, "source": path.name, "path": str(path.resolve()), "title": doc.title,
            "heading": c.heading, "chunk_index": c.index, "content_hash": c.content_hash, "file_hash": digest,
            "dimensions": ",".join(doc.dimensions), "sources": " | ".join(doc.sources),
            "stance": doc.stance(c.heading), **{_dim_key(d): True for d in doc.dimensions},
        } for c in chunks]
        # New chunks first, old ones after: a failure in between never leaves the file without chunks.
        end = 0
        try:
            for start in range(0, len(ids), ADD_BATCH):
                end = start + ADD_BATCH
                self.collection.add(ids=ids[start:end], documents=[c.text for c in chunks[start:end]],
                                    embeddings=vectors[start:end], metadatas=metas[start:end])  # type: ignore[arg-type]
        except BaseException as exc:
            # A later batch failed: withdraw the earlier ones so the file is served whole, as before.
            kept = set(old.get(digest, []))
            self._discard([cid for cid in ids[:end] if cid not in kept])
            if not isinstance(exc, Exception):
                raise
            report.add(label, "failed", f"store write failed ({type(exc).__name__}: {str(exc)[:120]})")
            return
        stale = [cid for h, chunk_ids in old.items() if h != digest for cid in chunk_ids]
        if stale:
            self.collection.delete(ids=stale)
        manifest[doc_id] = {digest: ids}
        by_hash[digest] = doc_id
        report.chunks_added += len(ids)
        report.chunks_removed += len(stale)
        report.add(label, "ingested", f"{len(ids)} chunks" + "".join(f"; warning: {w}" for w in doc.warnings))

    def _discard(self, ids: list[str]) -> None:
        """Best-effort delete (used to roll back a half-written file)."""
        if not ids:
            return
        with contextlib.suppress(Exception):  # the store is failing anyway; the next ingest cleans up
            self.collection.delete(ids=ids)

    # --- search -----------------------------------------------------------------------------------------
    def _keyword_index(self) -> tuple[BM25, dict[str, dict[str, Any]], dict[str, str]]:
        count = self.count()
        if self._bm25 is None or self._bm25[0] != count:
            got = self.collection.get(include=["documents", "metadatas"])
            ids = list(got["ids"])
            metas = {cid: dict(m) for cid, m in zip(ids, got["metadatas"] or [], strict=False)}
            docs = {cid: str(d) for cid, d in zip(ids, got["documents"] or [], strict=False)}
            texts = [f"{metas[cid].get('heading', '')} {docs[cid]}" for cid in ids]
            self._bm25 = (count, BM25(ids, texts), metas, docs)
        return self._bm25[1], self._bm25[2], self._bm25[3]

    def search(self, query: str, k: int = 4, dimension: str | None = None, hybrid: bool = True) -> list[Passage]:
        """The k best passages for a query, each with its citation; optionally within one dimension."""
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        k = min(k, 50)
        total = self.count()
        if total == 0:
            return []
        where = {_dim_key(dimension): True} if dimension else None
        pool = min(total, max(CANDIDATES, k))
        vector = get_embedder().embed([query[:2000]])[0]
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=pool, where=where,
                                    include=["documents", "metadatas", "distances"])
        ids = list(res["ids"][0])
        sims = {cid: 1.0 - float(d) for cid, d in zip(ids, res["distances"][0], strict=False)}  # type: ignore[index]
        metas = {cid: dict(m) for cid, m in zip(ids, res["metadatas"][0], strict=False)}  # type: ignore[index]
        docs = {cid: str(d) for cid, d in zip(ids, res["documents"][0], strict=False)}  # type: ignore[index]
        fused = {cid: 1.0 / (RRF_K + rank) for rank, cid in enumerate(ids)}
        if hybrid:
            index, all_metas, all_docs = self._keyword_index()
            hits = [(cid, s) for cid, s in index.search(query, pool * 2)
                    if cid in all_metas and (not dimension or all_metas[cid].get(_dim_key(dimension)))][:pool]
            for rank, (cid, _) in enumerate(hits):
                fused[cid] = fused.get(cid, 0.0) + KEYWORD_WEIGHT / (RRF_K + rank)
                metas.setdefault(cid, all_metas[cid])
                docs.setdefault(cid, all_docs[cid])
        best = sorted(fused, key=lambda cid: (-fused[cid], cid))[:k]
        missing = [cid for cid in best if cid not in sims]
        if missing:
            got = self.collection.get(ids=missing, include=["embeddings"])
            for cid, emb in zip(got["ids"], got["embeddings"], strict=False):  # type: ignore[arg-type]
                sims[cid] = float(sum(a * b for a, b in zip(vector, emb, strict=False)))
        return [_passage(cid, docs[cid], metas[cid], round(sims[cid], 4)) for cid in best]

    def section(self, source: str, heading: str) -> Passage | None:
        """The first chunk of a named section of a file (a reason's citation), or None when it is not stored."""
        got = self.collection.get(where={"source": source}, include=["documents", "metadatas"])
        found = [(cid, str(doc), dict(meta)) for cid, doc, meta in
                 zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False)
                 if str(meta.get("heading", "")).split(" > ")[-1] == heading]
        if not found:
            return None
        cid, doc, meta = min(found, key=lambda f: int(f[2].get("chunk_index", 0)))
        return _passage(cid, doc, meta, 1.0)


def _passage(cid: str, text: str, meta: dict[str, Any], score: float) -> Passage:
    return Passage(text, str(meta["source"]), str(meta["heading"]), cid, score,
                   tuple(filter(None, str(meta.get("dimensions", "")).split(","))), str(meta.get("stance", "neutral")))


_STORES: dict[str, KnowledgeStore] = {}
_STORES_LOCK = threading.Lock()


def default_builtin_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "knowledge"


def make_client(settings: Settings, path: Path | None = None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.consultant_chroma_url and path is None:
        from urllib.parse import urlparse

        url = urlparse(settings.consultant_chroma_url)
        return chromadb.HttpClient(host=url.hostname or "localhost", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=chroma_settings)
    target = path or settings.chroma_dir
    target.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(target), settings=chroma_settings)


def open_store(settings: Settings | None = None, path: Path | None = None, builtin_dir: Path | None = None,
               ensure_builtin: bool = True) -> KnowledgeStore:
    """The process's store for a data dir (cached); builds the built-in knowledge on first use."""
    settings = settings or get_settings()
    builtin = builtin_dir or default_builtin_dir()
    key = f"{settings.consultant_chroma_url or ''}|{path or settings.chroma_dir}|{builtin}"
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            try:
                store = KnowledgeStore(make_client(settings, path), builtin)
            except KnowledgeError:
                raise
            except Exception as exc:
                raise KnowledgeError(f"cannot open the knowledge store: {exc}") from exc
            if ensure_builtin and builtin.is_dir() and store.count() == 0:
                store.ingest([builtin])
            _STORES[key] = store
    return store
