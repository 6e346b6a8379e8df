"""The Chroma server path: a real `chroma run` on a free loopback port, the consultant pointed at it with
CONSULTANT_CHROMA_URL, and two "hosts" sharing it (another process, another store object, other local paths)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from consultant.api import Consultant
from consultant.assets import knowledge_dir
from consultant.config import Settings
from consultant.kb.store import BUILTIN, KnowledgeStore, chunk_key, make_client, open_store
from tests.test_knowledge import AARDVARK, ZEBRA, cited_sections, expected_section

KNOWLEDGE = knowledge_dir()
PELICAN = "# Pelican field notes\n\n## Migration\n\nThe pelican migration data arrives weekly from the field team.\n"

pytestmark = pytest.mark.usefixtures("use_chroma_server")


def server_store() -> KnowledgeStore:
    """This process's store, as the consultant opens it from the configuration (CONSULTANT_CHROMA_URL)."""
    return open_store(Settings(), ensure_builtin=False)


def other_host(tmp_path: Path) -> tuple[KnowledgeStore, Path]:
    """A second store object on the same server whose built-in knowledge sits at another local path."""
    knowledge = tmp_path / "other-host" / "site-packages" / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    return KnowledgeStore(make_client(Settings()), builtin_dir=knowledge), knowledge


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`consultant ...` in a fresh process: the configuration comes from the environment, as on another host."""
    env = {**os.environ, "CONSULTANT_DATA_DIR": str(cwd / "data")}
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "consultant", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)


def doc_ids(store: KnowledgeStore, source: str | None = None) -> set[str]:
    got = store.collection.get(where={"source_name": source} if source else None, include=["metadatas"])
    return {str(m["doc_id"]) for m in got["metadatas"] or []}


def test_the_builtin_knowledge_is_ingested_into_the_server_and_searched(use_chroma_server: str,
                                                                        tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    store = server_store()
    report = store.ingest([KNOWLEDGE])
    files = sorted(p.name for p in KNOWLEDGE.glob("*.md"))
    assert report.count("failed") == 0 and report.count("ingested") + report.count("unchanged") == len(files)
    assert doc_ids(store) >= {f"{BUILTIN}:{name}" for name in files}
    # the chunks are on the server, not in a local directory
    host, port = use_chroma_server.removeprefix("http://").split(":")
    raw = chromadb.HttpClient(host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False))
    assert raw.get_collection("knowledge").count() == store.count() > 0

    passages = store.search("Are fine-tuned models faster than RAG?", k=4)
    assert len(passages) == 4 and passages[0].source == "latency.md"
    # chunk ids depend on the source and the content only: computed here from the file, without the store
    top = passages[0]
    assert top.chunk_id.startswith(chunk_key(f"{BUILTIN}:latency.md") + ":")

    done = cli("search", "Are fine-tuned models faster than RAG?", "-k", "4", "--json", cwd=tmp_path / "host-b")
    assert done.returncode == 0, done.stderr
    assert [p["chunk_id"] for p in json.loads(done.stdout)] == [p.chunk_id for p in passages]
    assert not (tmp_path / "host-b" / "data" / "chroma").exists()  # the other process used the server too


def test_a_consultation_through_the_server_gets_citations() -> None:
    consultant = Consultant(Settings())
    assert consultant.store is not None and consultant.store is server_store()
    thread = f"server-{uuid.uuid4().hex[:8]}"
    turn = consultant.reply(thread, "We want a support assistant that answers questions from our help center.")
    answers = {"need": "It mostly needs to know our policies; its tone is fine.",
               "knowledge_change": "Policies change every week or two."}
    for _ in range(6):
        if turn.recommendation is not None and turn.pending_slot is None:
            break
        turn = consultant.reply(thread, answers.get(turn.pending_slot or "", "I'm not sure."))
    assert turn.recommendation is not None and turn.recommendation.label == "rag"
    assert turn.citations
    names = {p.name for p in KNOWLEDGE.glob("*.md")}
    assert all(c["source"] in names and c["chunk_id"] for c in turn.citations)


def test_a_second_host_ingesting_the_builtin_corpus_adds_no_chunks(tmp_path: Path) -> None:
    store = server_store()
    store.ingest([KNOWLEDGE])
    before = store.count()
    ids_before = set(store.collection.get(include=[])["ids"])

    host_b, knowledge_b = other_host(tmp_path)
    report = host_b.ingest([knowledge_b])
    assert {status for _, status, _ in report.lines} == {"unchanged"}, report.render()
    assert report.chunks_added == 0 and host_b.count() == before

    done = cli("ingest", "--quiet", cwd=tmp_path / "host-c")  # another process, another data dir and cwd
    assert done.returncode == 0, done.stderr
    assert f"0 ingested, {len(list(KNOWLEDGE.glob('*.md')))} unchanged" in done.stdout
    assert store.count() == before and set(store.collection.get(include=[])["ids"]) == ids_before


def test_pruning_one_source_leaves_other_sources_alone(tmp_path: Path) -> None:
    store = server_store()
    store.ingest([KNOWLEDGE])
    builtin = doc_ids(store, BUILTIN)
    team_a = tmp_path / "host-a" / "team-a"
    team_a.mkdir(parents=True)
    (team_a / "aardvark.md").write_text(AARDVARK)
    (team_a / "zebra.md").write_text(ZEBRA)
    assert store.ingest([team_a]).count("ingested") == 2

    host_b, _ = other_host(tmp_path)
    team_b = tmp_path / "host-b" / "notes"
    team_b.mkdir(parents=True)
    (team_b / "pelican.md").write_text(PELICAN)
    assert host_b.ingest([team_b], source="team-b").count("ingested") == 1
    shutil.rmtree(team_b)  # gone from this machine: only the server has it now
    assert doc_ids(store, "team-b") == {"team-b:pelican.md"}
    assert host_b.search("zebra stripe pattern", k=1)[0].source == "zebra.md"  # cached by host b

    (team_a / "zebra.md").unlink()
    report = store.ingest([team_a], prune=True)
    assert [(doc, status) for doc, status, _ in report.lines if status == "pruned"] == [("team-a:zebra.md", "pruned")]
    assert doc_ids(store, "team-a") == {"team-a:aardvark.md"}
    assert doc_ids(store, "team-b") == {"team-b:pelican.md"}
    assert doc_ids(store, BUILTIN) == builtin

    # `make run` prunes the built-in source only: another process doing so leaves both teams' documents
    done = cli("ingest", "--prune", "--quiet", cwd=tmp_path / "host-c")
    assert done.returncode == 0, done.stderr
    assert " 0 pruned" in done.stdout
    assert doc_ids(store, "team-a") == {"team-a:aardvark.md"} and doc_ids(store, "team-b") == {"team-b:pelican.md"}

    # host b's cached results notice the change made through the server (once per check interval)
    host_b.cache.check_interval = 0.0
    assert all(p.source != "zebra.md" for p in host_b.search("zebra stripe pattern", k=1))
    assert host_b.search("pelican migration data", k=1)[0].source == "pelican.md"


def test_sections_are_the_same_on_the_server_as_in_the_files(tmp_path: Path) -> None:
    store = server_store()
    store.ingest([KNOWLEDGE])
    # a file of the same name and heading in another source does not take over a built-in citation
    impostor = tmp_path / "team-c" / "latency.md"
    impostor.parent.mkdir()
    impostor.write_text("# Latency\n\n## Fine-tuned models are faster on the same task\n\nNot in our shop.\n")
    store.ingest([impostor.parent])
    for source, heading in cited_sections():
        passage = store.section(source, heading)
        assert passage is not None, (source, heading)
        assert (passage.chunk_id, passage.text, passage.stance) == expected_section(source, heading)
    assert store.section("latency.md", "No such heading") is None


def test_the_store_caches_results_until_the_collection_changes(tmp_path: Path) -> None:
    store = server_store()
    store.ingest([KNOWLEDGE])
    store.invalidate()
    first = store.search("What does a retraining run cost?", k=3)
    hits = store.cache.hits
    assert store.search("What does a retraining run cost?", k=3) == first and store.cache.hits == hits + 1
    docs = tmp_path / "team-d"
    docs.mkdir()
    (docs / "retraining.md").write_text("# Retraining\n\n## What a retraining run costs\n\n"
                                        "A retraining run of the walrus model costs 34,000 dollars.\n")
    store.ingest([docs])
    assert len(store.cache) == 0
    assert any(p.source == "retraining.md" for p in store.search("What does a retraining run cost?", k=3))
