"""Every fact has a domain; a case outside it is a CaseError naming the fact and its line (audit D8, D9, D11, D19)."""

from __future__ import annotations

import datetime
import json
import re

import pytest

import policyrules
from policyrules.errors import CaseError
from policyrules.facts.casefile import as_case, load_cases
from policyrules.facts.vocabulary import case_facts

from .conftest import BAOTOU_EMPLOYER as EMP

D = datetime.date(2024, 6, 1)


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


SEVERE = {"certificate": "disability", "grade": 1, "on_establishment": True, "monthly_wage": 3000}
SEVERE = {**SEVERE, "social_insurance_full": True}


@pytest.mark.parametrize(
    "unit",
    [
        {"staff": 1, "disabled_staff": [SEVERE]},  # the list: one person, counted as 2
        {"staff": 1, "disabled_staff": [SEVERE], "disabled_employees": 2},  # the list and its count
        {"staff": 1, "disabled_employees": 2},  # the count alone, already counted as the quota counts
    ],
    ids=["list", "list and count", "count"],
)
def test_a_unit_of_one_whose_grade_1_employee_counts_twice_is_accepted(unit):
    # 财税〔2015〕72号 第七条: a grade 1–2 certificate counts as 2 persons; the one employee is still one head.
    case = {
        "unit": {"kind": "private_enterprise", "dispatched_disabled": 0, **unit},
        "place": {"monthly_minimum_wage": 1980},
    }
    assert policyrules.Case.model_validate(case).unit.disabled_employees == 2
    result = policyrules.load_pack("national_fund").evaluate(
        {**case, "place": {**case["place"], "employment_quota_ratio": "0.015"}}, as_of=D
    )
    assert result.derived["fund_counted_disabled"] == 2


@pytest.mark.parametrize(
    "unit, words",
    [
        ({"staff": 1, "disabled_staff": [SEVERE, SEVERE]}, "lists 2 employees who count, more than unit.staff (1)"),
        ({"staff": 1, "disabled_employees": 3}, "disabled_employees (3) exceeds staff (1) even with every employee"),
        ({"staff": 1, "blind_medical_masseurs": 2}, "blind_medical_masseurs (2) exceeds staff (1)"),
    ],
)
def test_more_heads_than_staff_is_still_refused(unit, words):
    with pytest.raises(CaseError, match=re.escape(words)):
        as_case({"unit": unit, "place": {"monthly_minimum_wage": 1980}})


def test_dispatched_workers_with_no_dispatch_is_a_located_case_error(tmp_path):
    # docs/fidelity.md A3.6: no_dispatch says the unit has no disabled workers in labour dispatch.
    path = tmp_path / "c.yaml"
    path.write_text(
        "unit:\n  staff: 100\n  dispatched_disabled: 2\n  dispatch_counted_by: no_dispatch\n", encoding="utf-8"
    )
    with pytest.raises(CaseError, match="dispatched_disabled is 2, but dispatch_counted_by is no_dispatch") as info:
        policyrules.load_case(path)
    assert str(info.value).startswith(f"{path}:")
    for fine in ({"dispatched_disabled": 0, "dispatch_counted_by": "no_dispatch"}, {"dispatched_disabled": 2}):
        as_case({"unit": fine})


def test_a_table_row_with_dispatched_workers_and_no_dispatch_is_a_bad_value():
    pytest.importorskip("pyarrow")
    from policyrules.batch.run import evaluate
    from policyrules.errors import TableError

    rows = [
        {"unit.staff": 100, "unit.dispatched_disabled": 0, "unit.dispatch_counted_by": "no_dispatch"},
        {"unit.staff": 100, "unit.dispatched_disabled": 3, "unit.dispatch_counted_by": "no_dispatch"},
        {"unit.staff": 100, "unit.dispatched_disabled": 3, "unit.dispatch_counted_by": "this_unit"},
    ]
    with pytest.raises(TableError) as info:
        evaluate("national_fund", rows, D)
    assert [(b.row, b.column) for b in info.value.bad] == [(1, "unit.dispatched_disabled")]
    assert "dispatch_counted_by is no_dispatch" in str(info.value)


def _every_given_fact(model, prefix=""):
    """What ``flatten`` gives, found the long way: every field of every model, the None ones left out."""
    from pydantic import BaseModel

    out = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            out.update(_every_given_fact(value, f"{prefix}{name}."))
        elif value is not None and not isinstance(value, list):
            out[f"{prefix}{name}"] = value
    return out


def test_flatten_gives_every_fact_a_case_gives():
    # flatten reads the fields set, not every field: that holds while no case model has a default but None
    from pydantic import BaseModel

    from policyrules.check.casetests import find_test_files, load_test_file
    from policyrules.facts.case import Case, flatten

    from .conftest import ROOT

    models, todo = set(), [Case]
    while todo:
        cls = todo.pop()
        models.add(cls)
        for field in cls.model_fields.values():
            # a required field is always among those set; a default other than None would be left out
            assert field.is_required() or (field.default is None and field.default_factory is None), (cls, field)
            for arg in (field.annotation, *getattr(field.annotation, "__args__", ())):
                for inner in (arg, *getattr(arg, "__args__", ())):
                    if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in models:
                        todo.append(inner)
    assert len(models) > 10  # Case, Person, Unit and the models inside them
    cases = [c for path in (ROOT / "examples").glob("*.yaml") for c in load_cases(path)]
    cases += [t.case for path in find_test_files([ROOT / "rules"]) for t in load_test_file(path).tests]
    assert len(cases) > 600
    for case in cases:
        assert flatten(case) == _every_given_fact(case)
    counted = as_case({"unit": {"staff": 100, "seasonal_staff": [{"workers": 12, "months": 3}]}})
    assert flatten(counted)["unit.seasonal_staff_average"] == 3  # set by the case reader, after validation
