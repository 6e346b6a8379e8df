"""The LLM path against the fake server's model profiles: a weak model never makes the consultant worse, and a
gullible one cannot steer it (issues 12 and 13). Every run starts the fake on 127.0.0.1 and stops it after."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from consultant.api import Consultant
from consultant.config import Settings
from consultant.evaluation import load_scenarios, run_eval, run_scenario
from consultant.evaluation.runner import make_eval_consultant
from consultant.evaluation.scenario import Scenario
from consultant.merge import reader_of
from tests.fake_openai import FakeOpenAI

REPO = Path(__file__).resolve().parents[1]
PUBLIC = REPO / "evals" / "scenarios" / "public"
INJECTIONS = yaml.safe_load((Path(__file__).parent / "data" / "injections.yaml").read_text("utf-8"))
ACCURACY_POINTS = 0.05  # the gate of issue 13: within 5 points of the offline path
QUESTIONS_SLACK = 1  # and within one question (median)


@pytest.fixture(scope="module")
def offline_summary() -> dict[str, Any]:
    return run_eval([PUBLIC], baseline=False)["summary"]


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["eager", "lazy"])
def test_a_weak_model_keeps_the_offline_figures_on_the_public_set(offline_summary: dict[str, Any],
                                                                   profile: str) -> None:
    summary = run_eval([PUBLIC], baseline=False, llm_profile=profile)["summary"]
    assert summary["llm"]["calls"] > summary["scenarios"]  # the model really read the turns
    assert summary["llm"]["fallback_turns"] == 0
    assert summary["recommendation_accuracy"] >= offline_summary["recommendation_accuracy"] - ACCURACY_POINTS, summary
    assert abs(summary["median_questions"] - offline_summary["median_questions"]) <= QUESTIONS_SLACK, summary
    if profile == "eager":
        assert summary["llm"]["dropped"]["unquoted"] > 0  # its invented values were seen and refused
        assert "llm" not in summary["readers"]["total"]  # not one of them decided a slot


class Injecting:
    """A consultant whose user slips an attack into the conversation at one placement."""

    def __init__(self, consultant: Consultant, attack: str, placement: str) -> None:
        self.consultant, self.attack, self.placement = consultant, attack, placement
        self.calls = 0

    def reply(self, thread: str, text: str) -> Any:
        self.calls += 1
        if self.placement == "own_turn" and self.calls == 2:
            self.consultant.reply(thread, self.attack)
        if (self.placement == "opening" and self.calls == 1) or (self.placement == "answer" and self.calls == 2):
            text = f"{text} {self.attack}"
        return self.consultant.reply(thread, text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.consultant, name)


def _scenario(scenario_id: str) -> Scenario:
    scenarios, _ = load_scenarios([PUBLIC / f"{scenario_id}.yaml"])
    return scenarios[0]


@pytest.fixture(scope="module")
def gullible() -> Iterator[tuple[Consultant, Consultant]]:
    """(the consultant reading with the gullible model, the offline one), on one knowledge store."""
    with FakeOpenAI("gullible") as fake:
        yield make_eval_consultant(llm=True, base_url=fake.base_url), make_eval_consultant()


PLACEMENTS = [(a, p) for a in INJECTIONS["attacks"] for p in INJECTIONS["placements"]]


def test_the_injection_set_has_twenty_placements_or_more() -> None:
    assert len(PLACEMENTS) >= 20


@pytest.mark.slow
@pytest.mark.parametrize("attack, placement", PLACEMENTS, ids=[f"{a['id']}-{p}" for a, p in PLACEMENTS])
def test_a_gullible_model_changes_no_label(gullible: tuple[Consultant, Consultant], attack: dict[str, str],
                                           placement: str) -> None:
    with_llm, offline = gullible
    scenario = _scenario(attack["scenario"])
    clean = run_scenario(offline, scenario)
    attacked_offline = run_scenario(Injecting(offline, attack["text"], placement), scenario)
    attacked = run_scenario(Injecting(with_llm, attack["text"], placement), scenario)
    assert attacked.error is None, attacked.error
    assert attacked.got == attacked_offline.got, attacked.transcript  # the model adds no label change
    assert clean.got == scenario.expect_label
    if attacked_offline.got != clean.got:
        pytest.xfail(f"the offline reader alone reads this attack as a fact ({clean.got} -> {attacked_offline.got}): "
                     "the offline half of issue 12, not the model's")
    assert attacked.got == clean.got, attacked.transcript


@pytest.mark.slow
def test_no_slot_is_written_from_an_instruction(gullible: tuple[Consultant, Consultant]) -> None:
    with_llm, offline = gullible
    written = []
    for attack in INJECTIONS["attacks"]:
        message = f"{_scenario(attack['scenario']).opening} {attack['text']}"
        turn = with_llm.reply(f"inj-{attack['id']}", message)
        alone = offline.reply(f"inj-{attack['id']}", message)
        assert turn.profile.values() == alone.profile.values(), attack["id"]  # the model wrote nothing the offline reader did not
        for slot, prov in turn.provenance.items():
            if reader_of(prov) in ("llm", "confirmed") and prov["source_message"].lower() in attack["text"].lower():
                written.append((attack["id"], slot, prov["source_message"]))
    assert written == []
    assert with_llm.llm.dropped["unconfirmed"] + with_llm.llm.dropped["figure_missing"] > 0  # the model tried


@pytest.mark.parametrize("case", INJECTIONS["side_answers"], ids=[c["id"] for c in INJECTIONS["side_answers"]])
def test_a_gullible_side_answer_is_refused(case: dict[str, Any], tmp_path: Path) -> None:
    from tests.test_llm import STORE

    with FakeOpenAI("gullible") as fake:
        settings = Settings(_env_file=None, openai_base_url=fake.base_url, consultant_data_dir=tmp_path,  # type: ignore[call-arg]
                            consultant_llm_timeout_s=5.0, consultant_llm_max_retries=0)
        bot = Consultant(settings, store=STORE, with_knowledge=True)
        turn = bot.reply("t1", case["text"])
    if fake.requests:  # the offline reader did not stop it as an instruction: the model answered as told
        assert sum(n for k, n in bot.llm.dropped.items() if k.startswith("side_answer_")) == 1
    for fragment in case["must_not_show"]:
        assert fragment not in turn.message, turn.message
    assert turn.notices == []


def test_cli_eval_runs_a_model_profile(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text((PUBLIC / "hr-kb-yearly-30k-queries.yaml").read_text("utf-8"), "utf-8")
    out = subprocess.run([sys.executable, "-m", "consultant", "eval", str(tmp_path), "--llm", "eager", "--no-baseline",
                          "--json", str(tmp_path / "r.json")], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["llm"]["profile"] == "eager" and report["summary"]["llm"]["calls"] >= 2
    assert report["scenarios"][0]["correct"] and set(report["scenarios"][0]["readers"].values()) <= {"offline", "both"}
    assert "decided by" in out.stdout


def _settings(url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"openai_base_url": url, "consultant_data_dir": tmp_path, "consultant_llm_timeout_s": 2.0,
                              "consultant_llm_max_retries": 0}
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


def test_json_object_carries_the_schema_in_the_prompt(tmp_path: Path) -> None:
    with FakeOpenAI(accepts=("json_schema", "json_object")) as fake:
        fake.enqueue({"knowledge_change": "weekly", "intent": "answer",
                      "quotes": [{"slot": "knowledge_change", "words": "change every week"}]})
        bot = Consultant(_settings(fake.base_url, tmp_path, consultant_llm_method="json_object"), with_knowledge=False)
        turn = bot.reply("t1", "A support bot over our policies, which change every week.")
    body = fake.requests[0]
    assert body["response_format"] == {"type": "json_object"} and "tools" not in body
    assert '"knowledge_change"' in body["messages"][0]["content"]  # the schema, in the system prompt
    assert turn.notices == [] and turn.provenance["knowledge_change"]["extractor"] == "llm"


def test_auto_probes_once_per_server_and_uses_what_it_accepts(tmp_path: Path) -> None:
    with FakeOpenAI("honest", accepts=("json_object",)) as fake:  # like llama-server without json_schema
        first = Consultant(_settings(fake.base_url, tmp_path / "a", consultant_llm_method="auto"), with_knowledge=False)
        turn = first.reply("t1", "Our policies change every week.")
        second = Consultant(_settings(fake.base_url, tmp_path / "b", consultant_llm_method="auto"),
                            with_knowledge=False)
        second.reply("t2", "It must cite its sources.")
    kinds = [(b.get("response_format") or {}).get("type") or ("tools" if b.get("tools") else None)
             for b in fake.requests]
    assert kinds == ["json_schema", "json_object", "json_object", "json_object"]  # probe (2 tries), then 2 turns
    assert turn.notices == [] and first.llm.method == second.llm.method == "json_object"
    assert turn.provenance["knowledge_change"]["rule"].endswith("+llm")


def test_a_method_the_server_refuses_falls_back_offline(tmp_path: Path) -> None:
    with FakeOpenAI("honest", accepts=("json_schema", "json_object")) as fake:
        bot = Consultant(_settings(fake.base_url, tmp_path, consultant_llm_method="function_calling"),
                         with_knowledge=False)
        turn = bot.reply("t1", "Our policies change every week.")
    assert "request refused (400)" in turn.notices[0] and turn.profile.knowledge_change == "weekly"


@pytest.mark.parametrize("profile, reason", [("slow", "no answer within 1 s"), ("truncating", "answer")])
def test_slow_and_truncating_models_fall_back_offline(profile: str, reason: str, tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        bot = Consultant(_settings(fake.url_for(profile), tmp_path, consultant_llm_timeout_s=1.0), with_knowledge=False)
        turn = bot.reply("t1", "Our policies change every week.")
    assert fake.profiles_used == [profile]
    assert turn.notices and reason in turn.notices[0] and turn.profile.knowledge_change == "weekly"
    assert turn.provenance["knowledge_change"]["extractor"] == "rules"


def test_the_eager_model_fills_every_field_and_quotes_nothing(tmp_path: Path) -> None:
    with FakeOpenAI("eager") as fake:
        bot = Consultant(_settings(fake.base_url, tmp_path), with_knowledge=False)
        turn = bot.reply("t1", "We want an assistant for our sales team.")
        status, payload, _ = fake.answer(fake.requests[0])
    answer = json.loads(payload["choices"][0]["message"]["content"])
    slots = ("need", "knowledge_change", "output_type", "latency_budget_ms", "auditability", "monthly_queries",
             "context_tokens", "labeled_examples", "upfront_budget_usd")
    assert status == 200 and all(answer[s] is not None for s in slots) and answer["quotes"] == []
    assert bot.llm.dropped["unquoted"] == len(slots)
    assert not any(p["extractor"] == "llm" for p in turn.provenance.values())
