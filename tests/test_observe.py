"""Observability: one `consultant.turn` line per reply, and `consultant healthz` / `consultant.health()`."""

from __future__ import annotations

import logging
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

import consultant
from consultant.api import Consultant
from consultant.cli import main
from consultant.config import Settings
from consultant.healthcheck import check_checkpointer, health
from consultant.kb.store import KnowledgeStore, make_client
from tests.fake_openai import FakeOpenAI, Fault
from tests.test_knowledge import AARDVARK

LINE = re.compile(r"^(\w+=(\"[^\"]*\"|\S+))( \w+=(\"[^\"]*\"|\S+))*$")


def turn_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "consultant.turn"]


def parsed(record: logging.LogRecord) -> dict[str, str]:
    line = record.getMessage()
    assert LINE.match(line), line
    return dict(part.split("=", 1) for part in shlex.split(line))


def test_one_structured_line_per_turn(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="consultant.turn")
    thread = "log me"  # a space: the value is quoted
    with Consultant(Settings(consultant_data_dir=tmp_path), with_knowledge=False) as bot:
        bot.reply(thread, "A help-center bot; the policies change every week.")
        bot.reply(thread, "   ")  # refused before the conversation
        last = bot.reply(thread, "Every answer must cite its source, and just give me your recommendation.")
    records = turn_records(caplog)
    assert len(records) == 3
    first, empty, third = (parsed(r) for r in records)
    assert first["thread"] == thread and first["turn"] == "1" and first["outcome"] == "ok"
    assert first["action"] != "-" and first["path"] == "offline"
    assert "knowledge_change" in first["slots_changed"].split(",")
    assert float(first["ms"]) > 0
    assert empty["outcome"] == "rejected" and empty["turn"] == "1" and empty["slots_changed"] == "-"
    assert third["turn"] == "2" and "auditability" in third["slots_changed"].split(",")
    assert last.recommendation is not None and third["label"] == last.recommendation.label.value
    fields: dict[str, Any] = records[2].turn  # type: ignore[attr-defined]
    assert fields["turn"] == 2 and fields["label"] == last.recommendation.label
    assert "policies" not in " ".join(r.getMessage() for r in records)  # never the user's words


def test_the_turn_line_names_the_llm_path_and_its_fallback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="consultant.turn")
    with FakeOpenAI() as fake:
        fake.enqueue({"need": "know_more", "knowledge_change": "weekly", "intent": "answer",
                      "quotes": [{"slot": "knowledge_change", "words": "change every week"}]}, Fault.http(500))
        settings = Settings(openai_base_url=fake.base_url, consultant_data_dir=tmp_path, consultant_llm_timeout_s=2.0,
                            consultant_llm_max_retries=0)
        with Consultant(settings, with_knowledge=False) as bot:
            bot.reply("llm", "A support bot over our help-center policies, which change every week.")
            bot.reply("llm", "About 50k questions a month.")
    lines = [parsed(r) for r in turn_records(caplog)]
    assert [line["path"] for line in lines] == ["llm", "offline"]  # the second request failed: offline reader


def test_a_failed_turn_is_logged_as_failed_with_nothing_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    import consultant.nodes as nodes

    caplog.set_level(logging.INFO, logger="consultant.turn")
    with Consultant(Settings(consultant_data_dir=tmp_path), with_knowledge=False) as bot:
        bot.reply("broken", "We want a support bot that answers from our help center articles")

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("a reader bug")

        monkeypatch.setattr(nodes, "read", broken)
        assert not bot.reply("broken", "it changes every week").stored
    ok, failed = (parsed(r) for r in turn_records(caplog))
    assert ok["outcome"] == "ok" and failed["outcome"] == "failed"
    assert failed["turn"] == ok["turn"] == "1" and failed["slots_changed"] == "-"  # rolled back
    assert failed["action"] == "-" and failed["path"] == "-"


def test_nothing_is_logged_below_info(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="consultant.turn")
    with Consultant(Settings(consultant_data_dir=tmp_path), with_knowledge=False) as bot:
        bot.reply("quiet", "A help-center bot; the policies change every week.")
    assert turn_records(caplog) == []


def test_health_fails_on_an_empty_store_then_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(consultant_data_dir=tmp_path)
    empty = health(settings)
    assert not empty and "empty" in empty.reason and "\n" not in empty.reason
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "aardvark.md").write_text(AARDVARK, "utf-8")
    KnowledgeStore(make_client(settings)).ingest([docs])
    good = health(settings)
    assert good.ok and good.reason.startswith("ok: ") and "chunks" in good.reason
    monkeypatch.setenv("CONSULTANT_DATA_DIR", str(tmp_path))
    consultant.config.get_settings.cache_clear()
    try:
        assert consultant.health().ok
        assert main(["healthz"]) == 0
        assert capsys.readouterr().out.startswith("ok: ")
        settings.checkpoint_path.write_bytes(b"this is not a database" * 100)
        assert main(["healthz"]) == 1
        err = capsys.readouterr().err.strip()
        assert "unreadable" in err and len(err.splitlines()) == 1
    finally:
        consultant.config.get_settings.cache_clear()


def test_checkpointer_health_on_postgres(pg_url: str) -> None:
    assert check_checkpointer(Settings(consultant_checkpoint_url=pg_url)).ok
    down = pg_url.rsplit("@", 1)[0] + "@127.0.0.1:9/nowhere"  # discard port: nothing listens
    bad = check_checkpointer(Settings(consultant_checkpoint_url=down))
    assert not bad.ok and "unreachable" in bad.reason and "\n" not in bad.reason
