"""Settings: the only place the environment (and `.env`) is read.

`.env` is read only when an entry point the consultant owns asks for it (`consultant.entry.start`, called by
the `consultant` command and the Streamlit UI): importing the package or building `Consultant()` inside another
program reads the process environment alone, so a stray `.env` in the host's working folder (an
`OPENAI_API_KEY`, say) never switches the reading path on behind its back.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Every knob of the consultant; environment variables override the defaults."""

    model_config = SettingsConfigDict(env_file=None, env_file_encoding="utf-8", extra="ignore")

    openai_api_key: str | None = Field(default=None, description="Switches the LLM path on when set.")
    openai_base_url: str | None = Field(
        default=None, description="Any OpenAI-compatible endpoint; switches the LLM path on when set."
    )
    consultant_model: str = Field(default="gpt-4o-mini", description="Chat model for the LLM path.")
    consultant_data_dir: Path = Field(
        default=Path(".consultant"), description="Chroma store, checkpoint database, exports."
    )
    consultant_chroma_url: str | None = Field(
        default=None, description="Use a Chroma server (http://host:port) instead of the embedded store."
    )
    consultant_checkpoint_url: str | None = Field(
        default=None, description="A postgresql:// URL for a shared checkpointer (needs the `postgres` extra)."
    )
    consultant_costs_file: Path | None = Field(
        default=None, description="A TOML file overriding prices and assumptions of the cost model."
    )
    consultant_llm_timeout_s: float = Field(default=12.0, gt=0, description="Per LLM request timeout.")
    consultant_llm_max_retries: int = Field(default=1, ge=0, le=5, description="Retries per LLM request.")
    consultant_llm_method: Literal["json_schema", "function_calling", "json_object", "auto"] = Field(
        default="json_schema",
        validation_alias=AliasChoices("consultant_llm_method", "consultant_llm_structured_method"),
        description="How structured output is requested: json_schema, function_calling (a forced tool call), "
        "json_object (the schema in the prompt, e.g. llama-server), or auto (a one-time probe per base URL). "
        "CONSULTANT_LLM_STRUCTURED_METHOD is the older name.",
    )
    consultant_reader: Literal["rules", "learned", "both"] = Field(
        default="both", description="Offline reading of the enum slots: the lexicon rules, the learned model, or "
        "both (rules first, the learned model where they find nothing).")
    consultant_keep_checkpoints: int | None = Field(
        default=None, ge=1, le=1_000_000,
        description="Keep only the newest N checkpoints of each consultation, pruned after every write (unset: "
        "keep all, for LangGraph's time travel; ~19 KB a turn). The consultant itself only reads the latest.")
    consultant_turn_token_budget: int = Field(
        default=2500, gt=0, description="Maximum prompt tokens the LLM path may send in one turn."
    )
    consultant_log_level: LogLevel = Field(
        default="WARNING", description="Level of the consultant's loggers, applied by the CLI and the UI (INFO "
        "shows one `consultant.turn` line per turn); a host program configures logging itself.")

    @field_validator("consultant_log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def llm_enabled(self) -> bool:
        """The LLM path is on when a key or an endpoint is configured."""
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def chroma_dir(self) -> Path:
        return self.consultant_data_dir / "chroma"

    @property
    def checkpoint_path(self) -> Path:
        return self.consultant_data_dir / "checkpoints.sqlite"

    @property
    def tiktoken_cache_dir(self) -> Path:
        return self.consultant_data_dir / "tiktoken"

    @property
    def exports_dir(self) -> Path:
        return self.consultant_data_dir / "exports"


_env_file: Path | None = None  # set by `read_env_file` (entry points only); None: the environment alone


def read_env_file(path: Path | None) -> None:
    """Let `get_settings()` also read this dotenv file (values in the environment still win). Entry points
    only: the CLI and the UI call it (through `consultant.entry.start`) with `.env` in the working folder."""
    global _env_file
    if path != _env_file:
        _env_file = path
        get_settings.cache_clear()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings(...)` instead)."""
    return Settings(_env_file=_env_file)  # type: ignore[call-arg]
