"""The knowledge store: bad input, crash safety, idempotent ingestion, model changes and cited search."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import consultant.kb.store as store_module
from consultant.assets import knowledge_dir
from consultant.config import Settings
from consultant.embeddings import MODEL_NAME, MiniLMEmbeddingFunction, get_embedder
from consultant.errors import KnowledgeError
from consultant.kb.documents import chunk_document, file_hash, load_document
from consultant.kb.store import BUILTIN, IngestReport, KnowledgeStore, chunk_key, make_client, open_store

KNOWLEDGE = knowledge_dir()

AARDVARK = """# Aardvark handbook

## Feeding

Aardvarks eat termites at night and can dig through a termite mound in minutes.
"""
ZEBRA = """# Zebra handbook

## Stripes

Every zebra has its own stripe pattern, as unique as a fingerprint.
"""


class CountingEmbedder:
    """Wraps the real embedder and counts the work it is asked to do."""

    def __init__(self) -> None:
        self.inner = get_embedder()
        self.calls = 0
        self.texts = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


class BrokenEmbedder:
    def embed(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("onnxruntime fell over")


def fresh_store(root: Path, builtin_dir: Path | None = None) -> KnowledgeStore:
    """A real persistent Chroma store in its own directory."""
    return KnowledgeStore(make_client(Settings(consultant_data_dir=root), root / "chroma"),
                          builtin_dir=builtin_dir or root / "docs")


def line_for(report: IngestReport, path: Path) -> tuple[str, str]:
    """The one report line about `path` as (status, detail); fails unless there is exactly one."""
    lines = [(status, detail) for file, status, detail in report.lines if file == str(path)]
    assert len(lines) == 1, report.render()
    assert "\n" not in lines[0][1]
    return lines[0]


def texts_of(store: KnowledgeStore, doc: Path) -> list[str]:
    got = store.collection.get(where={"doc_id": store.doc_id(doc)}, include=["documents"])
    return [str(d) for d in got["documents"] or []]


def ingest_between_good_files(tmp_path: Path, name: str, data: bytes) -> tuple[IngestReport, KnowledgeStore, Path]:
    """Ingest a good file, the file under test, and another good file, all in one call."""
    docs = tmp_path / "docs"
    docs.mkdir()
    before, after = docs / "aardvark.md", docs / "zebra.md"
    before.write_text(AARDVARK)
    after.write_text(ZEBRA)
    odd = docs / name
    odd.write_bytes(data)
    store = fresh_store(tmp_path)
    report = store.ingest([before, odd, after])
    assert line_for(report, before)[0] == "ingested"
    assert line_for(report, after)[0] == "ingested"
    assert any("termite" in t for t in texts_of(store, before))
    assert any("stripe" in t for t in texts_of(store, after))
    return report, store, odd


# --- bad input: one clear line each, and the neighbours still go in ---------------------------------------
def test_empty_file_is_skipped_with_one_line_and_neighbours_are_ingested(tmp_path: Path) -> None:
    report, store, odd = ingest_between_good_files(tmp_path, "empty.md", b"")
    status, detail = line_for(report, odd)
    assert status == "skipped" and "empty" in detail
    assert texts_of(store, odd) == []


def test_binary_file_renamed_md_is_skipped_as_binary(tmp_path: Path) -> None:
    blob = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(8192)
    report, store, odd = ingest_between_good_files(tmp_path, "diagram.md", blob)
    status, detail = line_for(report, odd)
    assert status == "skipped" and "binary" in detail
    assert texts_of(store, odd) == []


def test_cp1252_text_is_ingested_decoded_with_a_warning(tmp_path: Path) -> None:
    text = "# Café pricing\n\nThe café’s naïve menu costs 5 € – résumé attached.\n"
    report, store, odd = ingest_between_good_files(tmp_path, "cafe.md", text.encode("cp1252"))
    status, detail = line_for(report, odd)
    assert status == "ingested" and "not UTF-8" in detail
    stored = " ".join(texts_of(store, odd))
    assert "café’s naïve menu costs 5 €" in stored
    assert "\ufffd" not in stored


def test_50_mb_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counter = CountingEmbedder()
    monkeypatch.setattr(store_module, "get_embedder", lambda: counter)
    line = b"Retrieval keeps knowledge outside the model; fine-tuning moves behaviour into its weights.\n"
    big = line * (50 * 1024 * 1024 // len(line) + 1)
    report, store, odd = ingest_between_good_files(tmp_path, "dump.md", big)
    assert odd.stat().st_size > 50 * 1024 * 1024
    status, detail = line_for(report, odd)
    assert status == "skipped" and "too large (50.0 MB" in detail
    assert texts_of(store, odd) == []
    assert counter.texts == 2  # one chunk for each neighbour, nothing for the big file


def test_file_without_headings_is_ingested_under_its_file_name(tmp_path: Path) -> None:
    text = b"We met on Tuesday.\n\nThe pelican migration data arrives weekly from the field team.\n"
    report, store, odd = ingest_between_good_files(tmp_path, "meeting-notes.md", text)
    status, detail = line_for(report, odd)
    assert status == "ingested" and detail == "1 chunks"
    top = store.search("pelican migration data", k=1)[0]
    assert top.source == "meeting-notes.md" and top.heading == "Meeting notes"


def test_duplicate_under_another_name_is_skipped_and_names_its_twin(tmp_path: Path) -> None:
    report, store, odd = ingest_between_good_files(tmp_path, "aardvark-copy.md", AARDVARK.encode())
    status, detail = line_for(report, odd)
    assert status == "skipped" and "duplicate of" in detail and "aardvark.md" in detail
    assert texts_of(store, odd) == []
    assert store.count() == 2


def test_corrupt_pdf_is_skipped_as_unreadable(tmp_path: Path) -> None:
    blob = b"%PDF-1.4\n" + random.Random(11).randbytes(4096)
    report, store, odd = ingest_between_good_files(tmp_path, "scan.pdf", blob)
    status, detail = line_for(report, odd)
    assert status == "skipped" and "PDF" in detail
    assert texts_of(store, odd) == []


# --- crash safety -----------------------------------------------------------------------------------------
def sections(marker: str, n: int) -> str:
    return "# Runbook\n\n" + "\n\n".join(
        f"## Step {i}\n\nOn {marker} day {i}, rotate the {marker} keys and page the {marker} on-call." for i in range(n))


def test_failing_embedder_keeps_the_previous_version_until_a_later_ingest_succeeds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "docs" / "runbook.md"
    doc.parent.mkdir()
    doc.write_text(sections("walrus", 3))
    store = fresh_store(tmp_path)
    store.ingest([doc])
    doc.write_text(sections("narwhal", 4))

    with monkeypatch.context() as patched:
        patched.setattr(store_module, "get_embedder", lambda: BrokenEmbedder())
        report = store.ingest([doc])
    status, detail = line_for(report, doc)
    assert status == "failed" and "RuntimeError" in detail
    texts = texts_of(store, doc)
    assert len(texts) == 3 and all("walrus" in t for t in texts)
    assert all("narwhal" not in p.text for p in store.search("narwhal keys", k=5))

    report = store.ingest([doc])
    assert line_for(report, doc) == ("ingested", "4 chunks")
    texts = texts_of(store, doc)
    assert len(texts) == 4 and all("narwhal" in t and "walrus" not in t for t in texts)


def test_store_write_failing_mid_file_leaves_no_half_new_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "docs" / "runbook.md"
    doc.parent.mkdir()
    doc.write_text(sections("walrus", 3))
    store = fresh_store(tmp_path)
    store.ingest([doc])
    doc.write_text(sections("narwhal", 5))

    real_add = store.collection.add
    calls = {"n": 0}

    def add_then_fail(**kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real_add(**kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(store_module, "ADD_BATCH", 2)  # five chunks: three batches, the second one fails
        patched.setattr(store.collection, "add", add_then_fail)
        report = store.ingest([doc])
    assert calls["n"] == 2
    status, detail = line_for(report, doc)
    assert status == "failed" and "disk full" in detail
    texts = texts_of(store, doc)
    assert len(texts) == 3 and all("walrus" in t for t in texts)
    assert all("narwhal" not in p.text for p in store.search("narwhal keys", k=5))

    assert line_for(store.ingest([doc]), doc) == ("ingested", "5 chunks")
    texts = texts_of(store, doc)
    assert len(texts) == 5 and all("narwhal" in t for t in texts)


# --- idempotency ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def builtin_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeStore]:
    """The built-in knowledge base, ingested once for the search tests (they only read it)."""
    store = fresh_store(tmp_path_factory.mktemp("builtin"), builtin_dir=KNOWLEDGE)
    report = store.ingest([KNOWLEDGE])
    assert report.count("ingested") == len(list(KNOWLEDGE.glob("*.md")))
    yield store


def test_second_ingest_of_unchanged_files_does_no_embedding_work(
        builtin_store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    counter = CountingEmbedder()
    monkeypatch.setattr(store_module, "get_embedder", lambda: counter)
    before = builtin_store.count()
    report = builtin_store.ingest([KNOWLEDGE])
    assert {status for _, status, _ in report.lines} == {"unchanged"}
    assert report.count("unchanged") == len(list(KNOWLEDGE.glob("*.md")))
    assert counter.calls == 0 and report.chunks_added == 0 and report.chunks_removed == 0
    assert builtin_store.count() == before


def test_changed_file_replaces_its_old_chunks(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "runbook.md"
    doc.parent.mkdir()
    doc.write_text(sections("walrus", 4))
    store = fresh_store(tmp_path)
    store.ingest([doc])
    assert store.count() == 4

    doc.write_text(sections("narwhal", 2))
    report = store.ingest([doc])
    assert line_for(report, doc) == ("ingested", "2 chunks")
    assert report.chunks_added == 2 and report.chunks_removed == 4
    expected = chunk_document(load_document(doc, doc.read_bytes()))
    assert store.count() == len(expected) == 2
    assert sorted(texts_of(store, doc)) == sorted(c.text for c in expected)
    assert store.collection.get(where_document={"$contains": "walrus"})["ids"] == []
    assert all("walrus" not in p.text for p in store.search("walrus keys", k=5))


def test_prune_removes_chunks_of_a_deleted_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "aardvark.md").write_text(AARDVARK)
    (docs / "zebra.md").write_text(ZEBRA)
    store = fresh_store(tmp_path)
    store.ingest([docs])
    (docs / "zebra.md").unlink()

    kept = store.ingest([docs])
    assert kept.count("pruned") == 0 and store.count() == 2  # without prune a deleted file stays

    report = store.ingest([docs], prune=True)
    assert [(status, detail) for _, status, detail in report.lines if status == "pruned"] == [
        ("pruned", "1 chunks of a deleted file")]
    assert store.count() == 1 and report.chunks_removed == 1
    assert all(p.source == "aardvark.md" for p in store.search("zebra stripes", k=3))


# --- ids relative to a named source ---------------------------------------------------------------------
def test_builtin_ids_are_the_same_wherever_the_knowledge_folder_lives(tmp_path: Path) -> None:
    ids = []
    for place in (tmp_path / "host-a" / "knowledge", tmp_path / "host-b" / "site-packages" / "knowledge"):
        (place / "animals").mkdir(parents=True)
        (place / "aardvark.md").write_text(AARDVARK)
        (place / "animals" / "zebra.md").write_text(ZEBRA)
        store = KnowledgeStore(make_client(Settings(consultant_data_dir=place.parent), place.parent / "chroma"),
                               builtin_dir=place)
        assert store.ingest([place]).count("ingested") == 2
        got = store.collection.get(include=["metadatas"])
        ids.append(sorted(got["ids"]))
        assert {m["doc_id"] for m in got["metadatas"] or []} == {"builtin:aardvark.md", "builtin:animals/zebra.md"}
        assert {m["source_name"] for m in got["metadatas"] or []} == {BUILTIN}
        assert {m["source"] for m in got["metadatas"] or []} == {"aardvark.md", "zebra.md"}  # citations show it
        assert store.doc_id(place / "animals" / "zebra.md") == "builtin:animals/zebra.md"
    assert ids[0] == ids[1]
    digest = file_hash(AARDVARK.encode())
    assert f"{chunk_key('builtin:aardvark.md')}:{digest[:10]}:0" in ids[0]


def test_a_user_folder_is_a_source_named_after_it_and_a_file_is_named_after_its_folder(tmp_path: Path) -> None:
    notes = tmp_path / "team-notes"
    (notes / "ops").mkdir(parents=True)
    (notes / "aardvark.md").write_text(AARDVARK)
    (notes / "ops" / "runbook.md").write_text(sections("walrus", 1))
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "zebra.md").write_text(ZEBRA)
    store = fresh_store(tmp_path)
    store.ingest([notes, tmp_path / "loose" / "zebra.md"])
    store.ingest([tmp_path / "loose" / "zebra.md"], source="handbook")  # same content: a duplicate, skipped
    got = store.collection.get(include=["metadatas"])
    rows = {(m["doc_id"], m["source_name"], m["source"], m["path"]) for m in got["metadatas"] or []}
    assert rows == {("team-notes:aardvark.md", "team-notes", "aardvark.md", "aardvark.md"),
                    ("team-notes:ops/runbook.md", "team-notes", "runbook.md", "ops/runbook.md"),
                    ("loose:zebra.md", "loose", "zebra.md", "zebra.md")}
    # a top-level file alone has the id it has when its folder is ingested: nothing to redo
    assert line_for(store.ingest([notes / "aardvark.md"]), notes / "aardvark.md")[0] == "unchanged"

    (tmp_path / "pelican.md").write_text("# Pelicans\n\nThe pelican migration data arrives weekly.\n")
    store.ingest([tmp_path / "pelican.md"], source="field-notes")
    assert store.doc_id(tmp_path / "pelican.md", "field-notes") == "field-notes:pelican.md"
    assert texts_of_id(store, "field-notes:pelican.md")
    with pytest.raises(KnowledgeError, match="source name"):
        store.ingest([notes], source="team:notes")


def texts_of_id(store: KnowledgeStore, doc_id: str) -> list[str]:
    got = store.collection.get(where={"doc_id": doc_id}, include=["documents"])
    return [str(d) for d in got["documents"] or []]


def make_legacy(store: KnowledgeStore, old_ids: dict[str, str]) -> None:
    """Rewrite a store the way the previous version wrote it: doc ids relative to the built-in folder or
    absolute, no source name, chunk ids from those doc ids. `old_ids`: new doc id -> old doc id."""
    got = store.collection.get(include=["documents", "metadatas", "embeddings"])
    store.collection.delete(ids=list(got["ids"]))
    ids, metas = [], []
    for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
        old = old_ids[str(meta["doc_id"])]
        ids.append(f"{chunk_key(old)}:{cid.split(':', 1)[1]}")
        metas.append({k: v for k, v in meta.items() if k != "source_name"} | {"doc_id": old, "path": "/x/" + old})
    store.collection.add(ids=ids, documents=got["documents"], embeddings=got["embeddings"], metadatas=metas)


def test_an_older_store_is_migrated_in_place_and_the_builtin_corpus_is_not_stored_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "aardvark.md").write_text(AARDVARK)
    (knowledge / "zebra.md").write_text(ZEBRA)
    notes = tmp_path / "elsewhere" / "notes"
    notes.mkdir(parents=True)
    (notes / "runbook.md").write_text(sections("walrus", 2))
    settings = Settings(consultant_data_dir=tmp_path / "data")
    store = open_store(settings, builtin_dir=knowledge)  # builds the built-in corpus on first use
    store.ingest([notes])
    expected = sorted(store.collection.get(include=[])["ids"])
    assert len(expected) == 4
    # the previous scheme: built-in files relative to the folder; others (and the built-in folder as another
    # host saw it, e.g. under its site-packages) absolute
    make_legacy(store, {"builtin:aardvark.md": "aardvark.md", "builtin:zebra.md": "/opt/other-host/knowledge/zebra.md",
                        "notes:runbook.md": str(notes.resolve() / "runbook.md")})
    assert not store.has_source(BUILTIN)
    store_module._STORES.clear()

    counter = CountingEmbedder()
    monkeypatch.setattr(store_module, "get_embedder", lambda: counter)
    reopened = open_store(settings, builtin_dir=knowledge)  # the built-in source is missing: ingests it, migrating
    assert counter.texts == 0  # nothing re-embedded
    assert sorted(reopened.collection.get(include=[])["ids"]) == expected
    got = reopened.collection.get(include=["metadatas"])
    assert {(m["doc_id"], m["source_name"], m["path"]) for m in got["metadatas"] or []} == {
        ("builtin:aardvark.md", BUILTIN, "aardvark.md"), ("builtin:zebra.md", BUILTIN, "zebra.md"),
        ("notes:runbook.md", "notes", "runbook.md")}
    report = reopened.ingest([knowledge, notes])
    assert report.migrated == 0 and {s for _, s, _ in report.lines} == {"unchanged"} and counter.texts == 0
    assert reopened.search("termites at night", k=1)[0].source == "aardvark.md"


def test_a_half_migrated_store_drops_the_old_copies(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "aardvark.md").write_text(AARDVARK)
    store.ingest([tmp_path / "docs"])
    current = store.collection.get(include=["documents", "metadatas", "embeddings"])
    make_legacy(store, {"builtin:aardvark.md": "aardvark.md"})
    store.collection.add(ids=current["ids"], documents=current["documents"], embeddings=current["embeddings"],
                         metadatas=current["metadatas"])  # the new copy was written, the old one not yet deleted
    assert store.count() == 2
    report = store.ingest([tmp_path / "docs"])
    assert store.count() == 1 and report.chunks_removed == 1 and report.count("unchanged") == 1
    assert store.collection.get(include=[])["ids"] == current["ids"]


# --- prune acts within the given sources ----------------------------------------------------------------
def test_prune_removes_only_documents_of_the_paths_given(tmp_path: Path) -> None:
    docs = tmp_path / "docs"  # the built-in folder of this store
    (docs / "archive").mkdir(parents=True)
    (docs / "aardvark.md").write_text(AARDVARK)
    (docs / "archive" / "old.md").write_text(sections("walrus", 1))
    team_a, team_b = tmp_path / "team-a", tmp_path / "team-b"
    for folder, text in ((team_a, ZEBRA), (team_b, sections("narwhal", 1))):
        folder.mkdir()
        (folder / "notes.md").write_text(text)
        (folder / "more.md").write_text(text.replace("#", "# More", 1) + "\nMore.\n")
    store = fresh_store(tmp_path)
    store.ingest([docs, team_a, team_b])
    everything = sorted(store._manifest()[0])
    assert len(everything) == 6

    # every source loses a file; team-b's folder disappears from this machine altogether
    (docs / "aardvark.md").unlink()
    (docs / "archive" / "old.md").unlink()
    (team_a / "more.md").unlink()
    (team_b / "more.md").unlink()
    report = store.ingest([team_a], prune=True)
    assert [d for d, s, _ in report.lines if s == "pruned"] == ["team-a:more.md"]
    report = store.ingest([docs / "archive"], prune=True)  # a subfolder of the built-in corpus: only inside it
    assert [d for d, s, _ in report.lines if s == "pruned"] == ["builtin:archive/old.md"]
    shutil.rmtree(team_b)
    report = store.ingest([team_b], prune=True)  # a missing folder prunes nothing (a typo must not empty a source)
    assert report.lines == [(str(team_b), "failed", "no such file or folder; nothing pruned for it")]
    report = store.ingest([docs], prune=True)
    assert [d for d, s, _ in report.lines if s == "pruned"] == ["builtin:aardvark.md"]
    assert sorted(store._manifest()[0]) == ["team-a:notes.md", "team-b:more.md", "team-b:notes.md"]


# --- the store's result cache ---------------------------------------------------------------------------
def test_results_are_cached_by_the_store_until_the_collection_changes(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "aardvark.md").write_text(AARDVARK)
    store = fresh_store(tmp_path)
    store.ingest([docs])
    counter = CountingEmbedder()
    monkeypatch.setattr(store_module, "get_embedder", lambda: counter)
    first = store.search("what do aardvarks eat", k=2)
    assert store.search("what do aardvarks eat", k=2) == first and counter.calls == 1
    section = store.section("aardvark.md", "Feeding")
    assert section is not None and store.section("aardvark.md", "Feeding") is section

    (docs / "zebra.md").write_text(ZEBRA)
    store.ingest([docs])  # our own write clears the cache
    assert len(store.cache) == 0
    assert len(store.search("what do aardvarks eat", k=2)) == 2 and counter.calls == 3  # zebra.md + the query

    # another writer on the same store (another process, a shared server) is noticed by the chunk count
    other = KnowledgeStore(store.client, builtin_dir=docs)
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "meerkat.md").write_text("# Meerkats\n\n## Feeding\n\nMeerkats eat scorpions.\n")
    other.ingest([tmp_path / "extra"])
    store.cache.check_interval = 0.0
    assert store.section("meerkat.md", "Feeding") is not None
    assert any(p.source == "meerkat.md" for p in store.search("what do aardvarks eat", k=3))

    store.cache.size = 3
    for query in ("termites", "stripes", "scorpions", "mounds"):
        store.search(query, k=1)
    assert len(store.cache) == 3


def cited_sections() -> list[tuple[str, str]]:
    """Every (file, section) the brief and the side answers cite (consultant/kb/citations.yaml)."""
    from consultant.brief.model import citation_map

    found: set[tuple[str, str]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node and "section" in node:
                found.add((str(node["file"]), str(node["section"])))
            for value in node.values():
                walk(value)

    walk(citation_map())
    return sorted(found)


def expected_section(source: str, heading: str) -> tuple[str, str, str]:
    """(chunk id, text, stance) of a section's first chunk, computed from the built-in file alone."""
    data = (KNOWLEDGE / source).read_bytes()
    doc = load_document(KNOWLEDGE / source, data)
    chunk = next(c for c in chunk_document(doc) if c.heading.split(" > ")[-1] == heading)
    return f"{chunk_key('builtin:' + source)}:{file_hash(data)[:10]}:{chunk.index}", chunk.text, doc.stance(chunk.heading)


# --- model change -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("our_function", [False, True], ids=["chroma-default-function", "our-function"])
def test_collection_of_another_embedding_model_is_rebuilt_not_mixed(tmp_path: Path, our_function: bool) -> None:
    client = make_client(Settings(consultant_data_dir=tmp_path), tmp_path / "chroma")
    extra = {"embedding_function": MiniLMEmbeddingFunction()} if our_function else {}
    old = client.create_collection("knowledge", metadata={"embedding_model": "bge-small-en-v1.5"}, **extra)
    old.add(ids=["old:1", "old:2"], documents=["legacy one", "legacy two"], embeddings=[[0.5] * 8, [0.25] * 8],
            metadatas=[{"doc_id": "legacy.md", "file_hash": "x"}] * 2)

    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "aardvark.md"
    doc.write_text(AARDVARK)
    store = KnowledgeStore(client, builtin_dir=tmp_path / "docs")
    assert store.rebuilt and store.count() == 0
    assert (store.collection.metadata or {})["embedding_model"] == MODEL_NAME

    report = store.ingest([doc])  # 384-d vectors: would fail in the old 8-d collection
    assert report.rebuilt and line_for(report, doc)[0] == "ingested"
    assert store.collection.get(ids=["old:1", "old:2"])["ids"] == []
    assert store.search("termites", k=1)[0].source == "aardvark.md"

    reopened = KnowledgeStore(client, builtin_dir=tmp_path / "docs")
    assert not reopened.rebuilt and reopened.count() == 1


# --- search -----------------------------------------------------------------------------------------------
def declared_dimensions() -> dict[str, set[str]]:
    """file name -> dimensions its front matter declares."""
    out = {}
    for path in KNOWLEDGE.glob("*.md"):
        meta = yaml.safe_load(path.read_text().split("---")[1]) or {}
        out[path.name] = set(meta.get("dimensions") or [])
    return out


def test_search_returns_cited_passages(builtin_store: KnowledgeStore) -> None:
    passages = builtin_store.search("Are fine-tuned models faster than RAG?", k=4)
    assert len(passages) == 4
    for p in passages:
        assert p.text and p.source.endswith(".md") and (KNOWLEDGE / p.source).exists()
        assert p.heading and p.chunk_id and isinstance(p.score, float) and -1.0 <= p.score <= 1.0
    assert len({p.chunk_id for p in passages}) == 4
    assert passages[0].source == "latency.md"
    assert passages[0].citation.startswith("latency.md › ")


def test_dimension_filter_only_returns_files_declaring_it(builtin_store: KnowledgeStore) -> None:
    declared = declared_dimensions()
    allowed = {name for name, dims in declared.items() if "latency_budget_ms" in dims}
    assert allowed and allowed != set(declared)
    # A query about another topic: without the filter it would surface training-data.md.
    passages = builtin_store.search("how many labeled examples are needed", k=6, dimension="latency_budget_ms")
    assert passages
    assert all(p.source in allowed and "latency_budget_ms" in p.dimensions for p in passages)
    unfiltered = builtin_store.search("how many labeled examples are needed", k=6)
    assert any(p.source not in allowed for p in unfiltered)


@pytest.mark.parametrize("query", ["", "   \n\t"])
def test_empty_query_returns_nothing(builtin_store: KnowledgeStore, query: str) -> None:
    assert builtin_store.search(query) == []
    assert builtin_store.search(query, hybrid=False) == []


def test_every_cited_section_is_found_in_the_embedded_store(builtin_store: KnowledgeStore) -> None:
    assert len(cited_sections()) >= 20
    for source, heading in cited_sections():
        passage = builtin_store.section(source, heading)
        assert passage is not None, (source, heading)
        assert (passage.chunk_id, passage.text, passage.stance) == expected_section(source, heading)


def test_cli_search_json_builds_the_builtin_store_on_first_use(tmp_path: Path) -> None:
    env = {**os.environ, "CONSULTANT_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "consultant", "search", "How often does our knowledge change?",
                           "-k", "3", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    passages = json.loads(done.stdout)
    assert isinstance(passages, list) and len(passages) == 3
    for p in passages:
        assert {"text", "source", "heading", "score"} <= set(p)
        assert isinstance(p["text"], str) and p["text"] and isinstance(p["score"], float)
        assert (KNOWLEDGE / p["source"]).exists()
    assert (tmp_path / "data" / "chroma").is_dir()


# --- other formats ----------------------------------------------------------------------------------------
def text_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF with real text (Helvetica), written by hand: no extra dependency."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.fixture(scope="module")
def formats_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KnowledgeStore, IngestReport]]:
    root = tmp_path_factory.mktemp("formats")
    docs = root / "docs"
    docs.mkdir()
    (docs / "runbook.html").write_text(
        "<html><head><title>Ops runbook</title><script>var token = 'do-not-index';</script></head><body>"
        "<nav>Home | About</nav><h1>Ops runbook</h1><h2>Rotating keys</h2>"
        "<p>Rotate the quokka signing keys every ninety days.</p><footer>Copyright</footer></body></html>")
    (docs / "pricing.pdf").write_bytes(text_pdf(["Quarterly pricing review",
                                                 "Zanzibar tariffs rose by twelve percent in the spring."]))
    (docs / "plain-notes.txt").write_text("The capybara cluster was resized to eight nodes on Friday.\n")
    store = fresh_store(root)
    yield store, store.ingest([docs])


def test_html_is_ingested_with_headings_and_without_scripts_or_navigation(
        formats_store: tuple[KnowledgeStore, IngestReport]) -> None:
    store, report = formats_store
    assert report.count("ingested") == 3, report.render()
    top = store.search("quokka signing keys", k=1)[0]
    assert top.source == "runbook.html" and top.heading == "Ops runbook > Rotating keys"
    assert "ninety days" in top.text
    indexed = " ".join(str(d) for d in store.collection.get(include=["documents"])["documents"] or [])
    assert "do-not-index" not in indexed and "Home | About" not in indexed and "Copyright" not in indexed


def test_pdf_text_is_ingested_per_page(formats_store: tuple[KnowledgeStore, IngestReport]) -> None:
    store, _ = formats_store
    top = store.search("Zanzibar tariffs", k=1)[0]
    assert top.source == "pricing.pdf" and top.heading == "Pricing > page 1"
    assert "twelve percent" in top.text


def test_plain_text_is_ingested_under_its_file_name(formats_store: tuple[KnowledgeStore, IngestReport]) -> None:
    store, _ = formats_store
    top = store.search("capybara cluster nodes", k=1)[0]
    assert top.source == "plain-notes.txt" and top.heading == "Plain notes"


def test_collection_chunked_another_way_is_rebuilt(tmp_path: Path) -> None:
    from consultant.kb.store import CHUNKER

    client = make_client(Settings(consultant_data_dir=tmp_path), tmp_path / "chroma")
    old = client.create_collection("knowledge", embedding_function=MiniLMEmbeddingFunction(),
                                   metadata={"embedding_model": MODEL_NAME, "chunker": "heading-aware/300/40"})
    old.add(ids=["old:1"], documents=["a chunk cut the old way"], embeddings=[[0.1] * 384],
            metadatas=[{"doc_id": "legacy.md", "file_hash": "x"}])
    store = KnowledgeStore(client, builtin_dir=tmp_path)
    assert store.rebuilt and store.count() == 0
    assert (store.collection.metadata or {})["chunker"] == CHUNKER
