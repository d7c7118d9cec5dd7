"""Events judged at their dates, facts filled in from others, and how results say what they could not compute."""

from __future__ import annotations

from datetime import date

import pytest

from policyrules import CaseError, load_case
from policyrules.engine.evaluator import evaluate_facts
from policyrules.engine.loading import load_pack


def test_a_graduation_year_that_is_not_the_year_of_its_date_is_a_case_error(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("person:\n  graduation: {level: bachelor, year: 2022, date: '2023-07-01'}\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert "graduation" in str(info.value) and "2023-07-01" in str(info.value) and ":2:" in str(info.value)


def test_a_graduation_date_gives_its_year_to_every_engine():
    pack = load_pack("jinan")
    facts = {
        "person.disability.certified": True,
        "person.graduation.level": "bachelor",
        "person.graduation.date": date(2023, 7, 1),
        "unit.is_small_micro": True,
        "hire.start_date": date(2023, 9, 1),
    }
    for reference in (True, False):
        result = evaluate_facts(pack, facts, date(2024, 6, 1), reference=reference)
        assert result.outcome("subsidy.graduate_hire") is not None
