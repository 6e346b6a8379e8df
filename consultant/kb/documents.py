"""Documents in, heading-aware chunks out: Markdown, plain text, HTML and PDF, each checked for bad input."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from consultant.kb import poison
from consultant.tokens import count_tokens

SUPPORTED = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
             ".html": "html", ".htm": "html", ".pdf": "pdf"}
MAX_FILE_BYTES = 20 * 1024 * 1024
CHUNK_TOKENS = 220  # MiniLM reads 256 word pieces; ~220 tiktoken tokens fit inside that window
OVERLAP_TOKENS = 30
STANCES = ("rag", "fine_tuning", "hybrid", "rag_prototype", "neutral")  # what a knowledge section argues for
KNOWN_DIMENSIONS = ("need", "knowledge_change", "output_type", "latency_budget_ms", "auditability",
                    "monthly_queries", "context_tokens", "labeled_examples", "upfront_budget_usd", "general")


class DocumentError(Exception):
    """A file that cannot be ingested; the message is one line for the ingest report."""


@dataclass
class Section:
    heading_path: list[str]
    text: str


@dataclass
class Document:
    title: str
    sections: list[Section]
    dimensions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stances: dict[str, str] = field(default_factory=dict)  # section heading -> the option it argues for
    removed: list[str] = field(default_factory=list)  # instruction-like passages taken out (consultant.kb.poison)

    def stance(self, heading: str) -> str:
        """The option a section argues for ("rag", "fine_tuning", "hybrid", "rag_prototype"), else "neutral"."""
        return self.stances.get(heading.split(" > ")[-1], "neutral")


@dataclass(frozen=True)
class Chunk:
    text: str
    heading: str
    index: int
    content_hash: str


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise DocumentError("empty file, nothing to ingest")
    if size > MAX_FILE_BYTES:
        raise DocumentError(f"too large ({size / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB): "
                            "split it into smaller files")
    return path.read_bytes()


def _decode(data: bytes, warnings: list[str]) -> str:
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise DocumentError("binary content, not text (is it really a text file?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append("not UTF-8: decoded as Windows-1252; re-save as UTF-8 to be sure")
        return data.decode("cp1252", errors="replace")


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.05


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[end + 4:].lstrip("\n")


def parse_markdown(text: str, fallback_title: str) -> Document:
    meta, body = _front_matter(text)
    sections: list[Section] = []
    path: list[str] = []
    buffer: list[str] = []
    title = str(meta.get("title") or "")
    in_code = False

    def flush() -> None:
        content = "\n".join(buffer).strip()
        if content:
            sections.append(Section(list(path) or [title or fallback_title], content))
        buffer.clear()

    for line in body.splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            flush()
            level, name = len(match.group(1)), match.group(2).strip()
            if level == 1 and not title:
                title = name
            path[:] = path[: level - 1] + [name] if level > 1 else [name]
        else:
            buffer.append(line)
    flush()
    title = title or fallback_title
    dims = meta.get("dimensions") or []
    dims = [dims] if isinstance(dims, str) else [str(d) for d in dims if str(d) in KNOWN_DIMENSIONS]
    sources = [str(s) for s in (meta.get("sources") or [])] if isinstance(meta.get("sources"), list) else []
    raw = meta.get("stances")
    stances = {str(k): str(v) for k, v in raw.items() if str(v) in STANCES} if isinstance(raw, dict) else {}
    return Document(title, sections, dims, sources, stances=stances)


def parse_html(text: str, fallback_title: str) -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    hidden = poison.hidden_elements(soup)
    lines = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "pre", "td"]):
        content = el.get_text(" ", strip=True)
        if not content:
            continue
        lines.append(f"{'#' * int(el.name[1])} {content}" if el.name.startswith("h") else content)
    title = soup.title.get_text(strip=True) if soup.title else fallback_title
    if not lines:
        lines = [soup.get_text("\n", strip=True)]
    doc = parse_markdown("\n\n".join(lines), title or fallback_title)
    doc.removed[:0] = hidden
    return doc


def parse_pdf(data: bytes, fallback_title: str) -> Document:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"unreadable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    sections = [Section([fallback_title, f"page {i + 1}"], text) for i, text in enumerate(pages) if text]
    if not sections:
        raise DocumentError("PDF has no extractable text (scanned images need OCR first)")
    return Document(fallback_title, sections)


def load_document(path: Path, data: bytes) -> Document:
    """Parse one file's bytes by its extension; raises DocumentError with a one-line reason."""
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(f"unsupported file type '{path.suffix}' (use .md, .txt, .html or .pdf)")
    fallback = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or path.name
    if kind == "pdf":
        doc = parse_pdf(data, fallback)
    else:
        warnings: list[str] = []
        text = _decode(data, warnings)
        if not text.strip():
            raise DocumentError("no text in the file (only whitespace)")
        if kind == "html":
            doc = parse_html(text, fallback)
        else:
            comments = poison.strip_comments(text)
            if kind == "markdown":
                doc = parse_markdown(comments.text, fallback)
            else:
                doc = Document(fallback, [Section([fallback], comments.text.strip())])
            doc.removed[:0] = comments.removed
        doc.warnings.extend(warnings)
    _strip_instructions(doc)
    if not doc.sections:
        raise DocumentError("no text content after parsing" + (" (only instruction-like passages)" if doc.removed else ""))
    return doc


UNTITLED = "Untitled section"


def _strip_instructions(doc: Document) -> None:
    """Retrieved text is evidence, not instructions: every instruction-like sentence (and heading) is taken out
    of the document before it is chunked, and listed in `doc.removed` for the ingest report."""
    kept = []
    for section in doc.sections:
        for i, name in enumerate(section.heading_path):
            if poison.strip_instructions(name).removed:
                doc.removed.append(name)
                section.heading_path[i] = UNTITLED
        scrubbed = poison.strip_instructions(section.text)
        doc.removed += scrubbed.removed
        if scrubbed.text.strip():
            kept.append(Section(section.heading_path, scrubbed.text))
    doc.sections = kept


def chunk_document(doc: Document, chunk_tokens: int = CHUNK_TOKENS, overlap: int = OVERLAP_TOKENS) -> list[Chunk]:
    """Split each section within a token budget, with overlap; each chunk keeps its heading path."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_tokens, chunk_overlap=overlap,
                                              length_function=count_tokens)
    chunks: list[Chunk] = []
    for section in doc.sections:
        heading = " > ".join(dict.fromkeys([doc.title, *section.heading_path]))
        pieces = [section.text] if count_tokens(section.text) <= chunk_tokens else splitter.split_text(section.text)
        for piece in pieces:
            text = piece.strip()
            if text:
                chunks.append(Chunk(text, heading, len(chunks), hashlib.sha256(text.encode()).hexdigest()[:16]))
    return chunks
