"""The Streamlit page driven headlessly: chat to a recommendation, what-if edits, exports, refresh, errors."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

from consultant import ui_support
from consultant.api import Consultant
from consultant.assets import ui_app
from consultant.config import Settings
from consultant.prompts import GREETING

APP = str(ui_app())
OPENING = "We want a support assistant that answers questions from our help center docs"
VOLATILITY = "Policies change every week"
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


def open_app(thread: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if thread:
        at.query_params["thread"] = thread
    return at.run()


def say(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chat(at: AppTest) -> list[tuple[str, str]]:
    """(role, Markdown) of every chat message, in order."""
    return [(m.name, "\n".join(md.value for md in m.markdown)) for m in at.chat_message]


def decision(at: AppTest) -> str | None:
    """The label behind the brief's headline (the card shows words: "Fine-tuning" -> 'fine_tuning')."""
    from consultant.ui_support import label_of_headline

    brief = next((c for c in at.get("flex_container") if getattr(c, "key", None) == "brief"), None)
    heads = [h.value for h in at.subheader] if brief is None else [h.value for h in brief.subheader]
    return label_of_headline(heads[-1]) if heads else None


def slot_widget(at: AppTest, slot: str) -> Any:
    key = f"slot::{at.query_params['thread']}::{slot}"
    return next(w for w in [*at.selectbox, *at.number_input] if w.key == key)


def click_choice(at: AppTest, label: str) -> AppTest:
    """Click one of the quick replies under the last question."""
    next(b for b in at.button if b.label == label and (b.key or "").startswith("choice-")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def consultation() -> AppTest:
    """A fresh consultation taken to its recommendation: the need confirmed with a quick reply."""
    at = open_app()
    say(at, OPENING)
    click_choice(at, "Know more")
    return say(at, VOLATILITY)


def test_first_screen_shows_title_explanation_greeting_and_chat_box() -> None:
    at = open_app()
    assert not at.exception
    assert "Architecture consultant" in at.title[0].value
    assert "recommend RAG, fine-tuning, a hybrid or a RAG prototype" in at.caption[0].value
    assert chat(at) == [("assistant", GREETING)]
    assert len(at.chat_input) == 1
    assert at.query_params["thread"].startswith("ui-")  # the consultation lives in the URL
    assert decision(at) is None  # nothing known yet, no card
    assert any("Offline mode" in c.value for c in at.caption)


def test_conversation_reaches_a_rag_recommendation_with_cited_sources() -> None:
    at = say(open_app(), OPENING)
    role, reply = chat(at)[-1]
    assert role == "assistant" and "know more" in reply and "Is that right" in reply  # the inferred need, confirmed
    assert slot_widget(at, "need").value == "unknown"  # a proposal is not stored before it is confirmed
    assert "asking now" in slot_widget(at, "need").label

    click_choice(at, "Know more")
    role, reply = chat(at)[-1]
    assert role == "assistant" and "How often does the knowledge" in reply
    assert "Preliminary" in " ".join(md.value for md in at.markdown)  # a live draft before the agent recommends
    assert slot_widget(at, "need").value == "know_more"
    assert "asking now" in slot_widget(at, "knowledge_change").label
    assert any("chosen" in c.value for c in at.caption)  # provenance: picked from the choices

    say(at, VOLATILITY)
    roles = [r for r, _ in chat(at)]
    assert roles == ["assistant", "user", "assistant", "user", "assistant", "user", "assistant"]
    assert "### RAG · " in chat(at)[-1][1]
    assert decision(at) == "rag"
    assert "Preliminary" not in " ".join(md.value for md in at.markdown)
    assert any(e.label.startswith("[1] ") and " › " in e.label and ".md" not in e.label for e in at.expander)
    assert any(e.label.startswith("Source: ") for e in at.expander)  # each reason opens its passage
    assert len(at.get("vega_lite_chart")) == 2  # contributions + 12-month cost
    assert any("not viable" in md.value for md in at.markdown)  # weekly change: fine-tuning is not viable
    for md in [*at.markdown, *at.caption]:  # budgets like "$8k-$60k" must not become LaTeX
        assert not UNESCAPED_DOLLAR.search(md.value), md.value


def test_a_what_if_sits_beside_the_answers_with_a_way_back(consultation: AppTest) -> None:
    at = consultation
    before = chat(at)
    slot_widget(at, "need").set_value("behave_differently").run()
    assert not at.exception and not at.error
    assert decision(at) == "hybrid"  # the brief shows the scenario...
    assert chat(at) == before  # ...without a chat turn
    assert [m.value for m in at.metric] == ["RAG", "Hybrid: a fine-tuned model with retrieval"]  # both outcomes
    assert any("You said: know more" in c.value for c in at.caption)
    assert "(what-if)" in slot_widget(at, "need").label
    slot_widget(at, "monthly_queries").set_value(3_000_000).run()
    assert slot_widget(at, "monthly_queries").value == 3_000_000

    next(b for b in at.button if b.key == "reset_what_if").click().run()  # back to the answers
    assert decision(at) == "rag" and not at.metric
    assert slot_widget(at, "need").value == "know_more" and slot_widget(at, "monthly_queries").value is None


def test_exports_carry_the_decision_the_reasons_and_the_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    downloads: dict[str, Any] = {}
    original = st.download_button

    def recording(label: str, data: Any, **kwargs: Any) -> Any:
        downloads[kwargs["file_name"].rsplit(".", 1)[-1]] = data
        return original(label, data, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    at = open_app()
    say(at, OPENING)
    click_choice(at, "Know more")
    say(at, VOLATILITY)
    assert [b.label for b in at.download_button] == [
        "ADR (Markdown)", "Brief (PDF)", "Profile + recommendation (JSON)", "Eval scenario (YAML)"]
    assert downloads["pdf"].startswith(b"%PDF")

    adr = downloads["md"]
    assert adr.startswith("# A support assistant that answers questions") and adr.splitlines()[0].endswith(": RAG")
    assert "## Options considered" in adr and "**RAG** (chosen)" in adr and "weekly" in adr
    assert "## Sources" in adr and ".md" not in adr.split("## Sources")[1]  # sources by title
    assert json.loads(downloads["json"])["recommendation"]["label"] == "rag"
    scenario = yaml.safe_load(downloads["yaml"])
    assert scenario["expect"]["recommendation"] == "rag"
    assert scenario["opening"] == OPENING and scenario["turns"] == ["Know more", VOLATILITY]


def test_refresh_with_the_thread_id_restores_the_consultation(consultation: AppTest) -> None:
    thread = consultation.query_params["thread"]
    again = open_app(thread)
    assert not again.exception
    assert again.query_params["thread"] == thread
    assert chat(again) == chat(consultation)
    assert decision(again) == "rag"
    assert slot_widget(again, "knowledge_change").value == "weekly"


def test_past_consultations_can_be_resumed(consultation: AppTest) -> None:
    thread = consultation.query_params["thread"]
    next(b for b in consultation.sidebar.button if b.label == "New consultation").click().run()
    resume = next(b for b in consultation.sidebar.button if b.key == f"open::{thread}")
    assert "support assistant that answers questions" in resume.label and " · RAG · " in resume.label
    assert "rag" not in resume.label  # the outcome in words, with the date
    resume.click().run()
    assert consultation.query_params["thread"] == thread
    assert decision(consultation) == "rag"


def test_another_browser_session_lists_none_of_them_but_opens_one_by_its_link(consultation: AppTest) -> None:
    thread = consultation.query_params["thread"]
    assert thread.startswith("ui-") and len(thread) >= 3 + 22  # 128 random bits: the link is the key
    other = open_app()
    assert not [b for b in other.sidebar.button if (b.key or "").startswith("open::")]
    say(other, "We need a classifier for support tickets")  # its own consultation is listed to it alone
    own = other.query_params["thread"]
    next(b for b in other.sidebar.button if b.label == "New consultation").click().run()
    assert [b.key for b in other.sidebar.button if (b.key or "").startswith("open::")] == [f"open::{own}"]
    by_link = open_app(thread)  # whoever holds the link opens the consultation
    assert decision(by_link) == "rag" and chat(by_link) == chat(consultation)


def test_new_consultation_starts_a_fresh_thread(consultation: AppTest) -> None:
    thread = consultation.query_params["thread"]
    next(b for b in consultation.sidebar.button if b.label == "New consultation").click().run()
    assert consultation.query_params["thread"] != thread
    assert chat(consultation) == [("assistant", GREETING)]


def test_a_failing_turn_shows_a_plain_banner_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Consultant, thread_id: str, text: str, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    at = open_app()
    monkeypatch.setattr(Consultant, "reply", broken)
    at.chat_input[0].set_value(OPENING).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Sorry, something went wrong while I tried to answer that message. Your consultation so far is safe; "
        "please try again."]


def test_an_invalid_thread_link_starts_a_new_consultation() -> None:
    at = open_app("x" * 500)
    assert not at.exception
    assert at.query_params["thread"].startswith("ui-")
    assert "isn't valid" in at.warning[0].value


def test_the_mode_indicator_names_the_endpoint_and_model_never_the_key() -> None:
    settings = Settings(openai_api_key="sk-secret-123", openai_base_url="http://127.0.0.1:9999/v1",
                        consultant_model="small-model")
    line = ui_support.mode_line(settings)
    assert "127.0.0.1:9999 · small-model" in line and "sk-secret" not in line


def test_dollars_are_escaped_once_so_budgets_stay_text() -> None:
    assert ui_support.escape_dollars("$8k-$60k") == r"\$8k-\$60k"
    assert ui_support.escape_dollars(ui_support.escape_dollars("$5")) == r"\$5"
