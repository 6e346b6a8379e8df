"""The Chroma-backed knowledge store: idempotent ingestion and cited hybrid (vector + BM25) search.

Document ids are relative to a named source, so every host gives a file the same id: `<source>:<path>`.
The built-in corpus is the source `builtin`, rooted at the knowledge folder; a folder given by a user is a
source named after the folder (or `--source NAME`) with its files relative to it; a single file is its own
root, named after the folder it sits in. Chunk ids derive from the document id and the file's content.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from consultant.config import Settings, get_settings
from consultant.embeddings import MODEL_NAME, MiniLMEmbeddingFunction, get_embedder
from consultant.errors import KnowledgeError
from consultant.kb import poison
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
# Recorded in the collection: a change rebuilds it ("instructions-stripped": chunks stored before instruction-like
# passages were taken out at ingest may hold them, so such a store is rebuilt once).
CHUNKER = f"heading-aware/{CHUNK_TOKENS}/{OVERLAP_TOKENS}/instructions-stripped"
RRF_K = 60
CANDIDATES = 40  # per ranker, whatever k is: a top 3 is the head of the top 10, not a different list
# The keyword ranking counts a third of the vector ranking in the fusion (Weaviate's default alpha, 0.75):
# every file here says "RAG" and "fine-tuning", so exact words alone are a noisy signal.
KEYWORD_WEIGHT = 1 / 3
ADD_BATCH = 1000
BUILTIN = "builtin"  # the source name of the knowledge folder shipped with the package
CACHE_SIZE = 512  # search and section results kept per store (the same questions recur across consultations)
# Another process writing to a shared store (a Chroma server) is noticed when the chunk count changes; a change
# that keeps the count is noticed when the cached entry (and the keyword index) expire.
CACHE_MAX_AGE_S = 300.0
CACHE_CHECK_S = 1.0
_SOURCE_NAME = re.compile(r"^[^:\x00-\x1f]{1,100}$")


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
    migrated: int = 0  # documents of an older store whose ids were rewritten to the source-relative scheme
    removed: int = 0  # instruction-like passages taken out of the ingested documents (consultant.kb.poison)

    def add(self, path: str, status: str, detail: str = "") -> None:
        self.lines.append((path, status, detail))

    def count(self, status: str) -> int:
        return sum(1 for _, s, _ in self.lines if s == status)

    def render(self) -> str:
        out = [f"{status:<10} {path}{'  - ' + detail if detail else ''}" for path, status, detail in self.lines]
        if self.migrated:
            out.append(f"{self.migrated} documents of an older store moved to source-relative ids (no re-embedding)")
        out.append(f"{self.count('ingested')} ingested, {self.count('unchanged')} unchanged, "
                   f"{self.count('skipped')} skipped, {self.count('failed')} failed, {self.count('pruned')} pruned; "
                   f"{self.chunks_added} chunks added, {self.chunks_removed} removed" +
                   (f"; {self.removed} instruction-like passages removed from the documents (never stored)"
                    if self.removed else ""))
        return "\n".join(out)


def _dim_key(dimension: str) -> str:
    return f"dim_{dimension}"


def source_name(name: str) -> str:
    """A valid source name (no ':', no control characters, 1-100 characters), or a KnowledgeError saying why."""
    name = name.strip()
    if not _SOURCE_NAME.match(name):
        raise KnowledgeError(f"invalid source name {name!r}: use 1-100 characters without ':'")
    return name


def _default_source(folder: Path) -> str:
    """A folder's name as a source name (':' replaced)."""
    return (folder.name.replace(":", "-").strip() or "root")[:100]


def chunk_key(doc_id: str) -> str:
    """The prefix every chunk id of a document starts with (chunk ids: `<key>:<file hash>:<index>`)."""
    return hashlib.sha1(doc_id.encode()).hexdigest()[:10]


def split_doc_id(doc_id: str) -> tuple[str, str]:
    """`<source>:<relative path>` -> (source, relative path)."""
    source, _, rel = doc_id.partition(":")
    return source, rel


@dataclass(frozen=True)
class Root:
    """Where ids of a path's documents come from: a named source and the folder they are relative to.

    `scope` is the part of the source the path stands for: a relative path prefix ("" = the whole source,
    "sub/" = a subfolder) for a folder, the exact relative path for a file. `--prune` acts inside it only.
    """

    source: str
    base: Path
    path: Path
    scope: str
    is_file: bool

    def doc_id(self, file: Path) -> str:
        return f"{self.source}:{self.rel(file)}"

    def rel(self, file: Path) -> str:
        return file.resolve().relative_to(self.base).as_posix()

    def covers(self, doc_id: str) -> bool:
        source, rel = split_doc_id(doc_id)
        if source != self.source:
            return False
        return rel == self.scope if self.is_file else rel.startswith(self.scope)


class _ResultCache:
    """A small LRU of search and section results, dropped whenever the collection changes.

    The store clears it after its own writes. Writes by other processes (hosts sharing a Chroma server) are
    noticed by the chunk count, checked at most once per `check_interval` seconds so that a cache hit costs no
    round trip; a change that keeps the count is noticed when entries expire (`max_age`)."""

    def __init__(self, size: int = CACHE_SIZE, max_age: float = CACHE_MAX_AGE_S,
                 check_interval: float = CACHE_CHECK_S) -> None:
        self.size = size
        self.max_age = max_age
        self.check_interval = check_interval
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self._count: int | None = None  # the chunk count the entries were computed at
        self._checked = -float("inf")  # when the count was last compared
        self._generation = 0  # bumped by every clear: a result computed across a clear is not stored
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _drop(self) -> None:
        self._entries.clear()
        self._generation += 1

    def clear(self) -> None:
        with self._lock:
            self._drop()
            self._count = None
            self._checked = -float("inf")

    def get_or_compute(self, key: tuple[Any, ...], compute: Callable[[], Any], count: Callable[[], int]) -> Any:
        now = time.monotonic()
        if now - self._checked > self.check_interval:
            current = count()
            with self._lock:
                if current != self._count:
                    self._drop()
                    self._count = current
                self._checked = now
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] <= self.max_age:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
            generation = self._generation
            self.misses += 1
        value = compute()
        with self._lock:
            if generation == self._generation:
                self._entries[key] = (now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


class KnowledgeStore:
    """A Chroma collection of chunks; one writer per process (Chroma is not process-safe for writers)."""

    def __init__(self, client: Any, builtin_dir: Path | None = None, name: str = COLLECTION) -> None:
        self.client = client
        self.builtin_dir = builtin_dir.resolve() if builtin_dir else None
        self.name = name
        self._lock = threading.RLock()
        self._bm25: tuple[int, float, BM25, dict[str, dict[str, Any]], dict[str, str]] | None = None
        self.cache = _ResultCache()
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

    def invalidate(self) -> None:
        """Forget cached results and the keyword index (the collection changed)."""
        self.cache.clear()
        self._bm25 = None

    def root(self, path: Path, source: str | None = None) -> Root:
        """The source and root a path's documents are named by (see the module docstring)."""
        resolved = path.resolve()
        if source is not None:
            source = source_name(source)
        builtin = self.builtin_dir
        if builtin is not None and source in (None, BUILTIN) and resolved.is_relative_to(builtin):
            rel = resolved.relative_to(builtin).as_posix()
            if resolved.is_dir():
                return Root(BUILTIN, builtin, resolved, "" if rel == "." else rel + "/", False)
            return Root(BUILTIN, builtin, resolved, rel, True)
        if resolved.is_dir():
            return Root(source or _default_source(resolved), resolved, resolved, "", False)
        return Root(source or _default_source(resolved.parent), resolved.parent, resolved, resolved.name, True)

    def doc_id(self, path: Path, source: str | None = None) -> str:
        """The id a file gets when it is ingested on its own: `<source>:<path relative to the source root>`."""
        return self.root(path, source).doc_id(path)

    def has_source(self, name: str) -> bool:
        """Whether any document of this source is stored."""
        got = self.collection.get(where={"source_name": name}, limit=1, include=[])
        return bool(got["ids"])

    def _manifest(self) -> tuple[dict[str, dict[str, list[str]]], set[str]]:
        """doc_id -> {file hash -> [chunk ids]} for everything in the store, and the ids stored the old way."""
        got = self.collection.get(include=["metadatas"])
        manifest: dict[str, dict[str, list[str]]] = {}
        legacy: set[str] = set()
        for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
            doc_id = str(meta.get("doc_id", cid))
            manifest.setdefault(doc_id, {}).setdefault(str(meta.get("file_hash", "")), []).append(cid)
            if "source_name" not in meta:
                legacy.add(doc_id)
        return manifest, legacy

    # --- migration of stores written before source-relative ids -----------------------------------------
    def _legacy_target(self, old_id: str, hashes: Iterable[str], builtin_hashes: dict[str, str]) -> str:
        """The source-relative id of a document stored under an old id (a path relative to the built-in
        folder, or an absolute path on the host that ingested it)."""
        for digest in hashes:
            if digest in builtin_hashes:  # the built-in corpus, wherever the ingesting host kept it
                return f"{BUILTIN}:{builtin_hashes[digest]}"
        path = Path(old_id)
        if not path.is_absolute():
            return f"{BUILTIN}:{path.as_posix()}"
        if self.builtin_dir is not None and path.is_relative_to(self.builtin_dir):
            return f"{BUILTIN}:{path.relative_to(self.builtin_dir).as_posix()}"
        # what ingesting the file, or its folder, gives today: the folder's name as the source
        return f"{_default_source(path.parent)}:{path.name}"

    def _builtin_hashes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.builtin_dir is None or not self.builtin_dir.is_dir():
            return out
        for f in self.expand([self.builtin_dir]):
            with contextlib.suppress(OSError, DocumentError):
                out.setdefault(file_hash(read_bytes(f)), f.relative_to(self.builtin_dir).as_posix())
        return out

    def _migrate(self, manifest: dict[str, dict[str, list[str]]], legacy: set[str], report: IngestReport) -> None:
        """Rewrite old ids to source-relative ones in place: vectors are copied, nothing is re-embedded; a
        document already stored under its new id (another host migrated it, or ingested it) loses its old copy."""
        if not legacy:
            return
        builtin_hashes = self._builtin_hashes()
        for old_id in sorted(legacy):
            hashes = manifest.pop(old_id)
            new_id = self._legacy_target(old_id, hashes, builtin_hashes)
            source, rel = split_doc_id(new_id)
            if new_id in manifest:  # already stored under its new id: the old copy is a duplicate, or older
                old_ids = [cid for chunk_ids in hashes.values() for cid in chunk_ids]
                self.collection.delete(ids=old_ids)
                report.chunks_removed += len(old_ids)
                continue
            target = manifest[new_id] = {}
            for digest, old_ids in hashes.items():
                got = self.collection.get(ids=old_ids, include=["documents", "metadatas", "embeddings"])
                metas = [{**dict(m), "doc_id": new_id, "source_name": source, "path": rel}
                         for m in got["metadatas"] or []]
                ids = [f"{chunk_key(new_id)}:{digest[:10]}:{m.get('chunk_index', i)}" for i, m in enumerate(metas)]
                for start in range(0, len(ids), ADD_BATCH):
                    end = start + ADD_BATCH
                    self.collection.upsert(ids=ids[start:end], embeddings=got["embeddings"][start:end],  # type: ignore[index]
                                           documents=(got["documents"] or [])[start:end], metadatas=metas[start:end])
                new = set(ids)
                self.collection.delete(ids=[cid for cid in got["ids"] if cid not in new])
                target[digest] = ids
            report.migrated += 1

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

    def ingest(self, paths: Iterable[Path], prune: bool = False, progress: bool = False,
               source: str | None = None) -> IngestReport:
        """Add or refresh files; unchanged files cost nothing; a failing file keeps its previous chunks.

        `source` names the source of every path (default: `builtin` inside the knowledge folder, else the
        folder's name). `prune` removes documents that no longer exist, within the given paths only: the
        sources and subfolders they stand for, never another source's documents.
        """
        with self._lock:
            report = IngestReport(rebuilt=self.rebuilt)
            try:
                return self._ingest(list(paths), prune, progress, source, report)
            finally:
                if report.chunks_added or report.chunks_removed or report.migrated:
                    self.invalidate()

    def _ingest(self, paths: list[Path], prune: bool, progress: bool, source: str | None,
                report: IngestReport) -> IngestReport:
        roots = [(path, self.root(path, source)) for path in paths]  # a bad source name fails before any write
        manifest, legacy = self._manifest()
        self._migrate(manifest, legacy, report)
        by_hash = {h: d for d, hashes in manifest.items() for h in hashes}
        plan: list[tuple[Path, Root]] = []
        prunable: list[Root] = []
        for given, root in roots:
            if not root.path.exists():
                report.add(str(given), "failed", "no such file or folder" + ("; nothing pruned for it" if prune else ""))
                continue
            prunable.append(root)
            plan += [(f, root) for f in self.expand([given])]
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(plan), unit="file", file=sys.stderr, desc="ingest")
        for path, root in plan:
            self._ingest_file(path, root, manifest, by_hash, report)
            if bar:
                bar.update(1)
        if bar:
            bar.close()
        if prune:
            present = {root.doc_id(path) for path, root in plan}
            for doc_id in sorted(manifest):
                if doc_id in present or not any(root.covers(doc_id) for root in prunable):
                    continue
                ids = [cid for chunk_ids in manifest.pop(doc_id).values() for cid in chunk_ids]
                self.collection.delete(ids=ids)
                report.chunks_removed += len(ids)
                report.add(doc_id, "pruned", f"{len(ids)} chunks of a deleted file")
        return report

    def _ingest_file(self, path: Path, root: Root, manifest: dict[str, dict[str, list[str]]],
                     by_hash: dict[str, str], report: IngestReport) -> None:
        label = str(path)
        if not path.exists():
            report.add(label, "failed", "no such file")
            return
        doc_id = root.doc_id(path)
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
        key = chunk_key(doc_id)
        ids = [f"{key}:{digest[:10]}:{c.index}" for c in chunks]
        rel = root.rel(path)
        metas = [{
            "doc_id": doc_id, "source_name": root.source, "source": path.name, "path": rel, "title": doc.title,
            "heading": c.heading, "chunk_index": c.index, "content_hash": c.content_hash, "file_hash": digest,
            "dimensions": ",".join(doc.dimensions), "sources": " | ".join(doc.sources),
            "stance": doc.stance(c.heading), "instructions_removed": len(doc.removed),
            **{_dim_key(d): True for d in doc.dimensions},
        } for c in chunks]
        # New chunks first, old ones after: a failure in between never leaves the file without chunks.
        # Another host adding the same file at the same moment adds the same ids: Chroma keeps one copy.
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
        report.removed += len(doc.removed)
        report.add(label, "ingested", f"{len(ids)} chunks" + "".join(f"; warning: {w}" for w in doc.warnings) +
                   (f"; {poison.report(doc.removed)}" if doc.removed else ""))

    def _discard(self, ids: list[str]) -> None:
        """Best-effort delete (used to roll back a half-written file)."""
        if not ids:
            return
        with contextlib.suppress(Exception):  # the store is failing anyway; the next ingest cleans up
            self.collection.delete(ids=ids)

    # --- search -----------------------------------------------------------------------------------------
    def _keyword_index(self, count: int) -> tuple[BM25, dict[str, dict[str, Any]], dict[str, str]]:
        index = self._bm25
        if index is None or index[0] != count or time.monotonic() - index[1] > CACHE_MAX_AGE_S:
            got = self.collection.get(include=["documents", "metadatas"])
            ids = list(got["ids"])
            metas = {cid: dict(m) for cid, m in zip(ids, got["metadatas"] or [], strict=False)}
            docs = {cid: str(d) for cid, d in zip(ids, got["documents"] or [], strict=False)}
            texts = [f"{metas[cid].get('heading', '')} {docs[cid]}" for cid in ids]
            index = self._bm25 = (count, time.monotonic(), BM25(ids, texts), metas, docs)
        return index[2], index[3], index[4]

    def search(self, query: str, k: int = 4, dimension: str | None = None, hybrid: bool = True) -> list[Passage]:
        """The k best passages for a query, each with its citation; optionally within one dimension.

        Results are cached per store until the collection changes."""
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        k = min(k, 50)
        found = self.cache.get_or_compute(("search", query, k, dimension, hybrid),
                                          lambda: self._search(query, k, dimension, hybrid), self.count)
        return list(found)

    def _search(self, query: str, k: int, dimension: str | None, hybrid: bool) -> list[Passage]:
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
            index, all_metas, all_docs = self._keyword_index(total)
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
        # a chunk the keyword index still knows but the collection no longer has (changed by another process)
        return [_passage(cid, docs[cid], metas[cid], round(sims[cid], 4)) for cid in best if cid in sims]

    def section(self, source: str, heading: str) -> Passage | None:
        """The first chunk of a named section of a file (a reason's citation), or None when it is not stored.

        When several sources hold a file of that name (a shared store), the built-in corpus wins, then the
        smallest document id: the same answer from an embedded store and a Chroma server. Cached."""
        return self.cache.get_or_compute(("section", source, heading), lambda: self._section(source, heading),
                                         self.count)

    def _section(self, source: str, heading: str) -> Passage | None:
        got = self.collection.get(where={"source": source}, include=["documents", "metadatas"])
        found = [(cid, str(doc), dict(meta)) for cid, doc, meta in
                 zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False)
                 if str(meta.get("heading", "")).split(" > ")[-1] == heading]
        if not found:
            return None

        def rank(item: tuple[str, str, dict[str, Any]]) -> tuple[bool, str, int, str]:
            cid, _, meta = item
            return (meta.get("source_name") != BUILTIN, str(meta.get("doc_id", "")),
                    int(meta.get("chunk_index", 0)), cid)

        cid, doc, meta = min(found, key=rank)
        return _passage(cid, doc, meta, 1.0)


def _passage(cid: str, text: str, meta: dict[str, Any], score: float) -> Passage:
    return Passage(text, str(meta["source"]), str(meta["heading"]), cid, score,
                   tuple(filter(None, str(meta.get("dimensions", "")).split(","))), str(meta.get("stance", "neutral")))


_STORES: dict[str, KnowledgeStore] = {}
_STORES_LOCK = threading.Lock()


def default_builtin_dir() -> Path:
    """The built-in knowledge folder shipped inside the package (consultant/knowledge)."""
    from consultant.assets import knowledge_dir

    return knowledge_dir()


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
            # Not "the store is empty": on a shared server other hosts' documents may be there already; an
            # older store (ids without a source) is migrated by this ingest, its built-in files unchanged.
            if ensure_builtin and builtin.is_dir() and not store.has_source(BUILTIN):
                store.ingest([builtin])
            _STORES[key] = store
    return store
