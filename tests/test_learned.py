"""The learned reader: shipped weights match their corpus, the corpus stays apart from every eval set, and the
three reader settings (rules, learned, both) all run."""

from __future__ import annotations

from pathlib import Path

import yaml

from consultant.nlu import read
from consultant.nlu.learned import SLOTS, corpus_hash, load_corpus, predict, shipped_hash

EVALS = Path(__file__).resolve().parents[1] / "evals" / "scenarios"


def test_the_shipped_weights_were_trained_on_this_corpus() -> None:
    assert shipped_hash() == corpus_hash(), "the corpus changed: run `python -m consultant.nlu.learned.train`"


def test_no_training_utterance_appears_in_an_eval_set() -> None:
    said: set[str] = set()
    for path in EVALS.rglob("*.yaml"):
        doc = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(doc, dict):
            said |= {str(doc.get("opening") or "").strip().lower()}
            said |= {str(a).strip().lower() for a in (doc.get("answers") or {}).values()}
            said |= {str(t).strip().lower() for t in (doc.get("turns") or [])}
    # short stock answers ("Not sure.", "Nice to have.") are how everyone talks; longer ones must be our own
    overlap = [text for slot in SLOTS for text, _ in load_corpus(slot)
               if len(text.split()) > 4 and text.strip().lower() in said]
    assert not overlap, overlap[:5]


def test_the_learned_model_reads_a_plain_answer() -> None:
    value, probability = predict("auditability", "Every answer has to show the clause it came from.") or ("", 0.0)
    assert value == "required" and probability > 0.5


def test_each_reader_setting_reads_numbers_with_the_rules() -> None:
    for reader in ("rules", "learned", "both"):
        reading = read("We get 50k queries a day.", None, reader=reader)  # type: ignore[arg-type]
        assert reading.slots().get("monthly_queries") == 1_500_000, reader


def test_both_fills_an_enum_answer_the_rules_could_not_read() -> None:
    text = "Honestly the team would be lost without being able to open the original page each answer relied on."
    assert "auditability" not in read(text, "auditability", reader="rules").slots()
    got = read(text, "auditability", reader="both").candidates
    assert [c.extractor for c in got if c.slot == "auditability"] in ([], ["embedding"])
