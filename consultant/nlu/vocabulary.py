"""The word classes of lexicon/vocabulary.yaml, compiled once: count nouns, people, model names, currencies..."""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field


class WordClass(BaseModel):
    """One class of words, with the messages that show what it does and does not cover."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    words: str = Field(default="", description="Regular-expression alternatives separated by ' | '.")
    map: dict[str, str] = Field(default_factory=dict)
    signs: dict[str, str] = Field(default_factory=dict)
    rates: dict[str, float] = Field(default_factory=dict)
    examples: list[str] = Field(default_factory=list)
    counter_examples: list[str] = Field(default_factory=list)

    def alternation(self) -> str:
        """The words as one regular-expression alternation, longest first (so "api calls" beats "calls")."""
        words = [w.strip() for w in self.words.split(" | ") if w.strip()]
        return "|".join(sorted(words, key=len, reverse=True))


class Vocabulary:
    """Attribute access to the compiled classes: `V.count_nouns` is a regex alternation, and so on."""

    def __init__(self, classes: dict[str, WordClass]) -> None:
        self.classes = classes

    def __getattr__(self, name: str) -> str:
        if name in ("classes",):
            raise AttributeError(name)
        try:
            return self.classes[name].alternation()
        except KeyError:
            raise AttributeError(name) from None

    @cached_property
    def currency_codes(self) -> dict[str, str]:
        """Sign or word (lower-case) -> ISO code."""
        money = self.classes["currency_words"]
        return {**{k.lower(): v for k, v in money.signs.items()}, **{k.lower(): v for k, v in money.map.items()}}

    @cached_property
    def currency_words(self) -> str:  # type: ignore[override]
        import re

        words = sorted(self.classes["currency_words"].map, key=len, reverse=True)
        return "|".join(re.escape(w) for w in words)

    @cached_property
    def usd_per_unit(self) -> dict[str, float]:
        return dict(self.classes["usd_per_unit"].rates)


def load_vocabulary() -> Vocabulary:
    raw: dict[str, Any] = yaml.safe_load(resources.files("consultant.nlu.lexicon").joinpath("vocabulary.yaml")
                                         .read_text("utf-8"))
    return Vocabulary({name: WordClass.model_validate(body) for name, body in raw.items()})


VOCABULARY = load_vocabulary()
