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
