"""Safe text for every place a person reads: nothing rendered may load remote content or run script.

Two kinds of text reach a reader:
- **user and document text** (a user's message, a quote of it, a retrieved passage): shown as text. Its
  Markdown is kept readable (lists, emphasis, tables) but images are replaced by their alt text, links are
  shown with their destination and only for http(s)/mailto, and raw HTML is escaped.
- **our own Markdown** (replies, the brief, exports): built from the pieces above, then passed through the
  same sanitiser as a last gate, so a quote we forgot to escape still cannot load anything.

The regex rewrite does the work; a real CommonMark parser (markdown-it-py, the family of parsers Streamlit's
renderer belongs to) then checks the result, and anything it still reads as an image, HTML or an unsafe link
makes the whole text fall back to fully escaped plain text. The parser is the judge, not the regexes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SAFE_SCHEMES = ("http://", "https://", "mailto:")
_IMAGE_INLINE = re.compile(r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\((?P<dest>[^()\s]*(?:\([^()]*\)[^()\s]*)*)"
                           r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_IMAGE_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\s*(?:\[[^\]]*\])?")
_LINK_INLINE = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\((?P<dest>[^()\s]*(?:\([^()]*\)[^()\s]*)*)"
                          r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?P<dest>[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>")
_HTML_ENTITY_SCHEME = re.compile(r"&#0*(?:58|x0*3a);?|&colon;", re.IGNORECASE)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _destination(dest: str) -> str:
    """A link destination as shown to the reader (angle brackets and entities removed)."""
    return _HTML_ENTITY_SCHEME.sub(":", dest.strip().strip("<>"))


def _is_safe(dest: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", _destination(dest)).lower()
    return cleaned.startswith(SAFE_SCHEMES)


def _link(match: re.Match[str]) -> str:
    text, dest = match.group("text").strip(), _destination(match.group("dest"))
    if _is_safe(dest):
        return f"{text} ({escape_text(dest)})" if text and text != dest else escape_text(dest)
    return f"{text} (link removed)" if text else "(link removed)"


def escape_text(text: str) -> str:
    """Every Markdown-significant character escaped: the text renders exactly as typed, inert."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _rewrite(text: str) -> str:
    text = _IMAGE_INLINE.sub(lambda m: f"(image not shown: {m.group('alt').strip() or 'no description'})", text)
    text = _IMAGE_REF.sub(lambda m: f"(image not shown: {m.group('alt').strip() or 'no description'})", text)
    text = _REF_DEFINITION.sub("", text)
    text = _LINK_INLINE.sub(_link, text)
    text = _AUTOLINK.sub(lambda m: escape_text(_destination(m.group("dest"))) if _is_safe(m.group("dest"))
                         else "(link removed)", text)
    return text.replace("<", "&lt;")  # raw HTML is never markup here: "<img ...>" shows as text


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"linkify": False}).enable(["table", "strikethrough"])


def _walk(tokens: list[Any]) -> Any:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def unsafe_elements(markdown: str) -> list[str]:
    """What a CommonMark parser would render from `markdown` that could load or run something."""
    found = []
    for token in _walk(_parser().parse(markdown)):
        if token.type == "image":
            found.append(f"image {token.attrGet('src')}")
        elif token.type in ("html_inline", "html_block"):
            found.append(f"html {token.content[:40]!r}")
        elif token.type == "link_open" and not _is_safe(str(token.attrGet("href") or "")):
            found.append(f"link {token.attrGet('href')}")
    return found


def sanitize_markdown(text: str) -> str:
    """Markdown that renders without remote images, unsafe links or raw HTML (see the module docstring)."""
    if not text:
        return ""
    rewritten = _rewrite(str(text))
    if unsafe_elements(rewritten):
        return escape_text(text)  # the parser still sees something: show every character as typed
    return rewritten
