"""Every fact has a domain; a case outside it is a CaseError naming the fact and its line (audit D8, D9, D11, D19)."""

from __future__ import annotations

import datetime
import json

import pytest

import policyrules
from policyrules.errors import CaseError
from policyrules.facts.casefile import load_cases
from policyrules.facts.vocabulary import case_facts

D = datetime.date(2024, 6, 1)
EMP = {
    "unit": {
        "kind": "private_enterprise",
        "staff": 200,
        "disabled_employees": 6,
        "fiscally_funded": False,
        "is_concentrated_employment_unit": False,
    },
    "place": {"monthly_minimum_wage": 1980},
}


def test_a_negative_wage_is_refused_with_its_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("unit:\n  staff: 200\nplace:\n  monthly_minimum_wage: -1980\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    (problem,) = info.value.problems
    assert problem.message == "place.monthly_minimum_wage: Value error, must be ≥ 0"
    assert (problem.location.line, problem.location.column) == (4, 25)


def test_negative_counts_are_refused_in_json_with_their_line(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{"unit": {\n  "staff": -100,\n  "disabled_employees": -200}}', encoding="utf-8")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    assert [(p.path, p.location.line) for p in info.value.problems] == [
        (("unit", "staff"), 2),
        (("unit", "disabled_employees"), 3),
    ]


def test_negative_values_are_refused_in_csv_with_their_row(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("unit.staff,place.monthly_minimum_wage\n5,1980\n-5,-1980\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_cases(path)
    assert {p.location.line for p in info.value.problems} == {3} and len(info.value.problems) == 2


def test_the_api_refuses_what_files_refuse():
    b = policyrules.load_pack("baotou")
    for bad in (
        {**EMP, "place": {"monthly_minimum_wage": -1980}},
        {**EMP, "unit": {**EMP["unit"], "staff": -100, "disabled_employees": -200}},
        {**EMP, "place": {"monthly_minimum_wage": "1e999999999"}},
        {**EMP, "place": {"monthly_minimum_wage": "1e-999999999"}},
        {**EMP, "place": {"monthly_minimum_wage": "١٩٨٠"}},
        {"person": {"age": -1}},
        {"person": {"hukou_place": "\ud800"}},
    ):
        with pytest.raises(CaseError):
            b.evaluate(bad, as_of=D)


@pytest.mark.parametrize("grade", [True, False, 1.0, "1", 0, 5])
def test_a_grade_is_a_whole_number_from_1_to_4(grade):
    with pytest.raises(CaseError, match="grade"):
        policyrules.load_pack("baotou").evaluate({"person": {"disability": {"grade": grade}}}, as_of=D)


def test_grade_true_in_a_file_is_refused(tmp_path):
    for name, text in (
        ("g.yaml", "person:\n  disability:\n    grade: true\n"),
        ("g.json", json.dumps({"person": {"disability": {"grade": True}}})),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CaseError, match="grade is a whole number 1 to 4"):
            policyrules.load_case(path)


def test_the_in_domain_case_still_gives_the_reward():
    result = policyrules.load_pack("baotou").evaluate(EMP, as_of=D)
    assert result.outcome("reward.excess_quota").amount.total == 29700


def test_every_number_fact_states_its_domain():
    for info in case_facts().values():
        if info.type.kind == "number":
            assert info.domain, info.path
    assert case_facts()["unit.staff"].domain == "whole number ≥ 0"
    assert case_facts()["person.disability.grade"].domain == "1, 2, 3 or 4"


def test_the_case_schema_states_the_domains():
    schema = policyrules.Case.model_json_schema()
    unit = schema["$defs"]["Unit"]["properties"]
    assert {"type": "integer", "minimum": 0, "maximum": 10**15} in unit["staff"]["anyOf"]
    wage = schema["$defs"]["Place"]["properties"]["monthly_minimum_wage"]["anyOf"]
    assert {"type": "number", "minimum": 0} in wage
