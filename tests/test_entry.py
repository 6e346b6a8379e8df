"""A good guest in another process: importing the package or building `Consultant()` reads no `.env`, freezes
no heap and configures no logging; the CLI and UI entry points do those for their own process."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from consultant.config import Settings, get_settings, read_env_file
from consultant.entry import PACKAGE_LOGGER, start


@pytest.fixture
def dotenv_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working folder whose .env would switch the LLM path on and turn the log level up."""
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-from-dotenv\nCONSULTANT_LOG_LEVEL=debug\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    level = logging.getLogger(PACKAGE_LOGGER).level
    get_settings.cache_clear()
    yield tmp_path / ".env"
    read_env_file(None)
    get_settings.cache_clear()
    logging.getLogger(PACKAGE_LOGGER).setLevel(level)


def test_consultant_in_a_host_process_ignores_dotenv_and_leaves_gc_alone(dotenv_here: Path) -> None:
    from consultant.api import Consultant

    root_handlers = list(logging.getLogger().handlers)
    frozen = gc.get_freeze_count()
    bot = Consultant(with_knowledge=False)
    try:
        assert bot.settings.openai_api_key is None and bot.llm is None  # the offline reading path
        assert get_settings().llm_enabled is False and Settings().openai_api_key is None
        assert gc.get_freeze_count() == frozen  # nothing moved to the permanent generation
        assert logging.getLogger().handlers == root_handlers
        assert bot.reply("guest", "A help-center bot; the policies change every week.").profile.knowledge_change \
            == "weekly"
    finally:
        bot.close()


def test_entry_point_reads_dotenv_and_applies_the_log_level(dotenv_here: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settings = start()
    assert settings.openai_api_key == "sk-from-dotenv" and settings.llm_enabled
    assert settings.consultant_log_level == "DEBUG"
    assert logging.getLogger(PACKAGE_LOGGER).getEffectiveLevel() == logging.DEBUG
    monkeypatch.setenv("CONSULTANT_LOG_LEVEL", "error")  # the environment wins over the file
    read_env_file(None)
    settings = start(dotenv_here)
    assert settings.consultant_log_level == "ERROR"
    assert logging.getLogger(PACKAGE_LOGGER).getEffectiveLevel() == logging.ERROR


def test_a_missing_dotenv_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        assert start().openai_api_key is None
    finally:
        read_env_file(None)
        get_settings.cache_clear()
