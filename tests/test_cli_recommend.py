"""`consultant recommend`: the scorer for scripts; bad input is exit 2 with a message, never a traceback."""

import json
import subprocess
import sys

import pytest


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "consultant", "recommend", *args],
                          capture_output=True, text=True, input=stdin, timeout=60)


def test_recommend_prints_label_reasons_flips_and_costs(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"need": "know_more", "knowledge_change": "weekly", "latency_budget_ms": 2000}))
    out = run(str(f))
    assert out.returncode == 0, out.stderr
    assert "Recommendation: RAG" in out.stdout
    assert "What would change it" in out.stdout
    assert "Cost over 12 months" in out.stdout
    assert "fine_tuning" not in out.stdout and "rag_prototype" not in out.stdout  # words, not labels


def test_recommend_json_output(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"need": "behave_differently", "auditability": "required"}))
    out = run(str(f), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["recommendation"]["label"] == "hybrid"
    assert data["profile"]["auditability"] == "required"
    assert set(data["recommendation"]["costs"]["options"]) == {"rag", "fine_tuning", "hybrid", "prompting"}
    assert data["recommendation"]["costs"]["shown"] == ["prompting", "fine_tuning", "hybrid"]  # behaviour need


@pytest.mark.parametrize(("content", "needle"), [
    ("{not json", "not valid JSON"),
    ('{"latency_budget_ms": 0}', "latency_budget_ms"),
    ('{"latency_budget_ms": "fast"}', "latency_budget_ms"),
    ('{"flavour": "rag"}', "flavour"),
    ('{"need": "everything"}', "need"),
    ('[1, 2, 3]', "JSON object"),
    ("", "not valid JSON"),
])
def test_bad_input_exits_2_naming_the_problem(tmp_path, content, needle):
    f = tmp_path / "bad.json"
    f.write_text(content)
    out = run(str(f))
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_file_exits_2():
    out = run("/nonexistent/profile.json")
    assert out.returncode == 2 and "cannot read" in out.stderr


# Malformed profile files: each must be answered with exit 2 and the field (or the problem) named.
MALFORMED_PROFILES = [
    ('{"monthly_queries": %s}' % ("9" * 400), "monthly_queries"),
    ('{"context_tokens": %s}' % ("1" * 5000), "context_tokens"),
    ('{"monthly_queries": NaN}', "monthly_queries"),
    ('{"monthly_queries": Infinity}', "monthly_queries"),
    ('{"latency_budget_ms": -Infinity}', "latency_budget_ms"),
    ('{"upfront_budget_usd": 1e400}', "upfront_budget_usd"),
    ('{"context_tokens": 1e308}', "context_tokens"),
    ('{"labeled_examples": -5}', "labeled_examples"),
    ('{"monthly_queries": 1.5}', "monthly_queries"),
    ('{"monthly_queries": true}', "monthly_queries"),
    ('{"monthly_queries": "lots"}', "monthly_queries"),
    ('{"monthly_queries": [1000]}', "monthly_queries"),
    ('{"latency_budget_ms": {"p95": 300}}', "latency_budget_ms"),
    ('{"need": ["know_more"]}', "need"),
    ('{"need": 5}', "need"),
    ('{"auditability": true}', "auditability"),
    ('{"need": "know_more\\u0000"}', "need"),
    ('{"need": "know_more", "need": "both"}', "need: given twice"),
    ('{"profile": {"knowledge_change": 7}}', "knowledge_change"),
    ('{"profile": []}', "profile"),
    ("[" * 100_000 + "]" * 100_000, "nested more than"),
    ('{"a":' * 5000 + "1" + "}" * 5000, "nested more than"),
    ('"just a string"', "JSON object"),
    ("null", "JSON object"),
    ("123", "JSON object"),
    ('{"latency_budget_ms": 99999999999999}', "latency_budget_ms"),
]

# Malformed cost tables (`--costs FILE`, also CONSULTANT_COSTS_FILE): the setting named, never a traceback.
MALFORMED_COSTS = [
    ('[prices]\ninput_per_mtok = "cheap"\n', "prices.input_per_mtok"),
    ("[prices]\ninput_per_mtok = nan\n", "prices.input_per_mtok"),
    ("[prices]\noutput_per_mtok = inf\n", "prices.output_per_mtok"),
    ("[prices]\nembedding_per_mtok = -1\n", "prices.embedding_per_mtok"),
    ("[prices]\ninput_per_mtok = 1e308\n", "prices.input_per_mtok"),
    ("prices = 5\n", "prices"),
    ('[fine_tuning.runs_per_year]\nweekly = "often"\n', "fine_tuning.runs_per_year.weekly"),
    ("[fine_tuning]\nruns_per_year = 3\n", "fine_tuning.runs_per_year"),
    ("[query]\noutput_tokens = %s\n" % ("9" * 400), "query.output_tokens"),
    ("[rag]\nbuild_usd = true\n", "rag.build_usd"),
    ("[prices]\nunknown_price = 3\n", "prices.unknown_price"),
    ("[query]\ndefault_monthly_queries = [1, 2]\n", "query.default_monthly_queries"),
    ("[fine_tuning]\ntraining_run_usd = -34000\n", "fine_tuning.training_run_usd"),
    ('[hybrid]\nbehaviour_runs_per_year = "1"\n', "hybrid.behaviour_runs_per_year"),
    ("not toml at all [[[", "cost table"),
]


def _in_process(argv, capsys):
    """`consultant ...` in this process (fast enough for dozens of files); any exception escaping is a traceback."""
    from consultant.cli import main

    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("content", "needle"), MALFORMED_PROFILES,
                         ids=[f"profile-{i}" for i in range(len(MALFORMED_PROFILES))])
def test_every_malformed_profile_exits_2_naming_the_field(tmp_path, capsys, content, needle):
    f = tmp_path / "bad.json"
    f.write_text(content)
    code, err = _in_process(["recommend", str(f)], capsys)
    assert code == 2, err
    assert needle in err
    assert len(err) < 600  # a sentence, not a dump of the input


@pytest.mark.parametrize(("content", "needle"), MALFORMED_COSTS, ids=[f"costs-{i}" for i in range(len(MALFORMED_COSTS))])
def test_every_malformed_cost_table_exits_2_naming_the_setting(tmp_path, capsys, content, needle):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"need": "know_more", "monthly_queries": 100_000}))
    costs = tmp_path / "costs.toml"
    costs.write_text(content)
    code, err = _in_process(["recommend", str(profile), "--costs", str(costs)], capsys)
    assert code == 2, err
    assert needle in err and "cost table" in err
    assert len(err) < 600


def test_a_byte_order_mark_and_a_valid_cost_override_are_accepted(tmp_path, capsys):
    profile = tmp_path / "p.json"
    profile.write_text("\ufeff" + json.dumps({"need": "know_more", "knowledge_change": "weekly"}), "utf-8")
    costs = tmp_path / "costs.toml"
    costs.write_text("[prices]\ninput_per_mtok = 0.5\n[fine_tuning.runs_per_year]\nweekly = 26\n")
    from consultant.cli import main

    assert main(["recommend", str(profile), "--json", "--costs", str(costs)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recommendation"]["label"] == "rag"


def test_the_large_malformed_files_show_no_traceback_in_a_real_process(tmp_path):
    for i, (content, needle) in enumerate([MALFORMED_PROFILES[0], MALFORMED_PROFILES[20]]):
        f = tmp_path / f"bad{i}.json"
        f.write_text(content)
        out = run(str(f))
        assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr


MALFORMED_SCENARIOS = ["{not: yaml: [", "- just\n- a list\n", "a: &a [*a]\n", "[" * 5000, "\x00\x01binary",
                       "id: x\ntitle: t\nturns: 5\n"]


@pytest.mark.parametrize("content", MALFORMED_SCENARIOS, ids=[f"scenario-{i}" for i in range(len(MALFORMED_SCENARIOS))])
def test_every_malformed_scenario_file_is_named_and_the_run_exits_2(tmp_path, capsys, content):
    """`consultant eval` reads user files too: each broken one is listed as skipped, with its name, not a traceback."""
    f = tmp_path / "broken.yaml"
    f.write_text(content)
    from consultant.cli import main

    assert main(["eval", str(f), "--no-baseline"]) == 2
    out, err = capsys.readouterr()
    assert f"skipped: {f}" in out and "no scenarios ran" in err
