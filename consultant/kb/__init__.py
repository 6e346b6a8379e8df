"""The knowledge store: load documents, chunk them by heading, embed, ingest idempotently, search with citations."""

from consultant.kb.store import IngestReport, KnowledgeStore, Passage, open_store

__all__ = ["IngestReport", "KnowledgeStore", "Passage", "open_store"]
