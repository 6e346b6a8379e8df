"""Plain definitions from the knowledge base's glossary (consultant/knowledge/glossary.md): "what do you mean by X?"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFINITION_SENTENCES = 3  # a definition, not the whole entry


@dataclass(frozen=True)
class Term:
    name: str
    aliases: tuple[str, ...]
    text: str

    @property
    def short(self) -> str:
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z*])", self.text.strip())
        return " ".join(sentences[:DEFINITION_SENTENCES])


def parse(markdown: str) -> list[Term]:
    """`## Heading (alias)` sections; an optional "Also called: a, b." line adds aliases."""
    terms = []
    for block in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        names = [heading.strip()] + re.findall(r"\(([^)]*)\)", heading)
        name = re.sub(r"\s*\([^)]*\)", "", heading).strip()
        aliases = {name.lower(), *(n.lower().strip() for n in names)}
        also = re.search(r"^Also called:\s*(.+?)\.?\s*$", body, flags=re.MULTILINE)
        if also:
            aliases |= {a.strip().lower() for a in also.group(1).split(",") if a.strip()}
            body = body.replace(also.group(0), "")
        terms.append(Term(name, tuple(sorted(aliases, key=len, reverse=True)), body.strip()))
    return terms


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    from consultant.kb.store import default_builtin_dir

    path = Path(default_builtin_dir()) / "glossary.md"
    try:
        return tuple(parse(path.read_text("utf-8")))
    except OSError:
        return ()


def define(question: str) -> Term | None:
    """The glossary term a question asks about (the longest alias it mentions), or None."""
    q = question.lower()
    best: tuple[int, Term] | None = None
    for term in terms():
        for alias in term.aliases:
            if re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", q) and (best is None or len(alias) > best[0]):
                best = (len(alias), term)
    return best[1] if best else None
