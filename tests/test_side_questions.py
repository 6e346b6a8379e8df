"""The side-question eval (evals/side_questions.yaml, written without looking at the knowledge base) as a gate."""

from __future__ import annotations

import pytest

from evals import side_questions


@pytest.fixture(scope="module")
def report():
    return side_questions.run()


def test_the_set_is_valid_and_large_enough():
    data = side_questions.load()
    assert len(data.questions) >= 40
    assert len({q.id for q in data.questions}) == len(data.questions)
    assert data.first_run is not None  # the figure before the set was studied is kept


def test_side_questions_land_at_least_85_percent_of_the_time(report):
    misses = [r["id"] for r in report["rows"] if not r["hit"]]
    assert report["hit_at_1"] >= side_questions.TARGET_HIT_AT_1, misses


def test_a_definition_question_is_answered_by_its_glossary_entry_not_stored(report):
    row = next(r for r in report["rows"] if r["id"] == "define-rag-acronym-1")
    assert row["hit"] and "retrieval-augmented generation" in row["answer"].lower()
