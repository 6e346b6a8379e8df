"""Eval scenarios and set manifests as typed data (CONTRACT section 3): loaded, validated, described by a schema."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from consultant.profile import SLOT_NAMES, SlotValue
from consultant.scoring import Label

STYLE_SEPARATOR = "--"  # "<base-id>--<style>": one case written in several styles (label stability)


def canonical(value: Any) -> Any:
    """"Fine-tuning", "RAG", "know more" -> the contract's spelling; numbers written as text -> numbers."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", text):
            number = float(text.replace(",", ""))
            return int(number) if number.is_integer() else number
        return re.sub(r"[\s-]+", "_", text.lower())
    return value


def _known_slots(mapping: dict[Any, Any], where: str) -> dict[str, Any]:
    bad = [str(k) for k in mapping if k not in SLOT_NAMES]
    if bad:
        raise ValueError(f"unknown slot(s) in {where}: {', '.join(bad)}")
    return {str(k): v for k, v in mapping.items()}


class Expectation(BaseModel):
    """What a scenario must end with."""

    model_config = ConfigDict(extra="forbid")

    recommendation: Label = Field(description="The label the consultation must end with.")
    profile: dict[str, SlotValue] = Field(default_factory=dict, description="Only the slots that must be extracted; "
                                          "enums exactly, integers within 10 %.")
    max_questions: int | None = Field(default=None, ge=0, description="Optional cap on the questions asked.")

    @field_validator("recommendation", mode="before")
    @classmethod
    def _label(cls, value: Any) -> Any:
        return canonical(value)

    @field_validator("profile", mode="before")
    @classmethod
    def _profile(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("must map slot names to values")
        return {k: canonical(v) for k, v in _known_slots(value, "expect.profile").items()}


class Scenario(BaseModel):
    """One scripted consultation: persona mode (`answers`) or script mode (`turns`)."""

    model_config = ConfigDict(extra="allow")  # teams may keep notes of their own beside the contract's fields

    id: str = Field(min_length=1, description="Unique across the files of one run.")
    title: str = ""
    source: str = Field(default="synthetic", description="'synthetic' or where the case is documented.")
    opening: str = Field(default="", description="The first user message.")
    answers: dict[str, str] | None = Field(default=None, description="Persona mode: the user's answer per slot.")
    turns: list[str] | None = Field(default=None, description="Script mode: user messages in order.")
    expect: Expectation
    path: str = Field(default="", exclude=True, description="The file it was read from (set by the loader).")

    @field_validator("id", "title", "source", "opening", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else str(value)

    @field_validator("answers", mode="before")
    @classmethod
    def _answers(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ValueError("'answers' must map slot names to answers")
        return {k: str(v) for k, v in _known_slots(value, "answers").items()}

    @field_validator("turns", mode="before")
    @classmethod
    def _turns(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            raise ValueError("'turns' must be a list of messages")
        return [str(t) for t in value]

    @model_validator(mode="after")
    def _mode(self) -> Scenario:
        if self.answers is None and self.turns is None:
            raise ValueError("needs 'answers' (persona mode) or 'turns' (script mode)")
        if not self.opening and not self.turns:
            raise ValueError("needs an 'opening' message")
        return self

    # --- views the runner uses -------------------------------------------------------------------------
    @property
    def expect_label(self) -> str:
        return self.expect.recommendation.value

    @property
    def expect_profile(self) -> dict[str, SlotValue]:
        return dict(self.expect.profile)

    @property
    def max_questions(self) -> int | None:
        return self.expect.max_questions

    @property
    def base_id(self) -> str:
        """The case a style variant belongs to ("bank-triage--terse" -> "bank-triage")."""
        return self.id.split(STYLE_SEPARATOR, 1)[0]

    @property
    def style(self) -> str | None:
        return self.id.split(STYLE_SEPARATOR, 1)[1] if STYLE_SEPARATOR in self.id else None


class FirstRun(BaseModel):
    """The figures of a set's first run, before anyone studied its failures."""

    model_config = ConfigDict(extra="allow")

    recommendation_accuracy: float = Field(ge=0, le=1)
    reader: str = Field(description="Which reader the first run measured.")


DEFAULT_GATE = 0.95
"""Every regression set must stay at or above this accuracy unless its manifest says why not (see SetManifest)."""


class SetManifest(BaseModel):
    """MANIFEST.yaml beside a scenario set: who wrote it, how, and what its figures can mean."""

    model_config = ConfigDict(extra="allow")

    name: str
    author: str
    how: str
    date: date
    scenarios: int = Field(ge=0)
    first_run: FirstRun | None = None
    tuned_on: bool = Field(description="True once the set's failures were studied: it then measures regression.")
    note: str = ""
    gate: float = Field(default=0.95, ge=0.0, le=1.0, description="The accuracy `make test` requires of the set.")
    gate_reason: str = Field(default="", description="Why a set is gated below 0.95 (required then): the cases it "
                             "fails by the product's design, named.")

    @model_validator(mode="after")
    def _a_lower_gate_says_why(self) -> SetManifest:
        if self.gate < DEFAULT_GATE and not self.gate_reason.strip():
            raise ValueError(f"gate {self.gate} is below {DEFAULT_GATE}: gate_reason must say which cases fail by design")
        return self


def _line_of(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}" if mark is not None else "unknown line"


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "enum":
            message = f"must be one of {', '.join(label.value for label in Label)}"
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def scenario_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """*.yaml / *.yml files under `paths` (MANIFEST.yaml excluded), and the paths that do not exist."""
    files: list[Path] = []
    problems: list[str] = []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file()
                            and f.name != "MANIFEST.yaml")
        elif p.is_file():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


def load_scenarios(paths: list[Path]) -> tuple[list[Scenario], list[str]]:
    """Scenarios from files and folders; every problem is reported with its file (and line), never fatal."""
    files, problems = scenario_files(paths)
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for f in files:
        try:
            doc = yaml.safe_load(f.read_text("utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{f}: {_line_of(exc)}: invalid YAML ({getattr(exc, 'problem', exc)})")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{f}: cannot read ({exc})")
            continue
        except RecursionError:
            problems.append(f"{f}: nested too deeply to be a scenario")
            continue
        if not isinstance(doc, dict):
            problems.append(f"{f}: not a mapping of scenario fields")
            continue
        try:
            scenario = Scenario.model_validate({**doc, "path": str(f)})
        except ValidationError as exc:
            problems.append(f"{f}: {_describe(exc)}")
            continue
        if scenario.id in seen:
            problems.append(f"{f}: duplicate id '{scenario.id}'")
            continue
        seen.add(scenario.id)
        scenarios.append(scenario)
    return scenarios, problems


def load_manifest(folder: Path) -> SetManifest | None:
    """The set's MANIFEST.yaml, validated (None when the folder has none)."""
    path = folder / "MANIFEST.yaml"
    if not path.exists():
        return None
    return SetManifest.model_validate(yaml.safe_load(path.read_text("utf-8")))


def scenario_json_schema() -> dict[str, Any]:
    """The JSON schema of a scenario file (evals/scenario.schema.json is generated from it)."""
    return Scenario.model_json_schema(mode="validation")
