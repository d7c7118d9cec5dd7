"""Bad packs and bad cases: every problem named with file and line, never a traceback."""

import pytest

from policyrules import load_case, load_pack
from policyrules.errors import CaseError, PackError
from policyrules.interfaces.cli import main

from .conftest import FIXTURES


def test_bad_expression_names_file_line_column_and_caret():
    with pytest.raises(PackError) as info:
        load_pack(FIXTURES / "bad_expression.yaml")
    (problem,) = info.value.problems
    assert problem.location.file.endswith("bad_expression.yaml")
    assert problem.location.line == 11
    # the caret sits under the misspelt value, not at the start of the line
    line = problem.location.source_line
    assert line[problem.location.column - 1 :].startswith("'party_govt_agency'")
    assert "'party_govt_agency' is not a possible value" in problem.message
    assert "^" in str(problem)


@pytest.mark.parametrize(
    "when, at",
    [
        ("unit.establishment_size ** 2 >= 50", "** 2"),  # a plain string
        ("|\n      (unit.establishment_size) % 2 == 0", "% 2"),  # a block scalar, the operator after a parenthesis
        ("unit.kind == 'x' or unit.establishment_size is 50", "is 50"),
    ],
)
def test_a_forbidden_operator_is_pointed_at_not_the_start_of_the_expression(tmp_path, when, at):
    text = (FIXTURES / "bad_expression.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "operator.yaml"
    bad.write_text(text.replace("\"unit.kind == 'party_govt_agency' and unit.establishment_size >= 50\"", when))
    with pytest.raises(PackError) as info:
        load_pack(bad)
    (problem,) = info.value.problems
    assert problem.location.line == (12 if when.startswith("|") else 11)
    assert problem.location.source_line[problem.location.column - 1 :].startswith(at)


def test_all_schema_problems_are_collected():
    with pytest.raises(PackError) as info:
        load_pack(FIXTURES / "bad_schema.yaml")
    messages = "\n".join(str(p) for p in info.value.problems)
    assert "bad_schema.yaml:2:" in messages and "level" in messages  # 'town' is no level
    assert "unknown key 'colour'" in messages
    lines = sorted(p.location.line for p in info.value.problems)
    assert lines == [2, 16]


def test_unit_mixing_is_a_load_error():
    text = (
        (FIXTURES / "bad_schema.yaml")
        .read_text()
        .replace("level: town", "level: city")
        .replace("      colour: red\n", "")
    )
    path = FIXTURES.parent / "_tmp_units.yaml"
    path.write_text(text)
    try:
        with pytest.raises(PackError) as info:
            load_pack(path)
        (problem,) = info.value.problems
        assert "mixes units [CNY/month] and [CNY/year]" in problem.message
        assert problem.location.line == 15
    finally:
        path.unlink()


def test_duplicate_key_in_pack():
    with pytest.raises(PackError, match=r"duplicate_key.yaml:2:1: duplicate key 'id'"):
        load_pack(FIXTURES / "duplicate_key.yaml")


def test_bad_case_names_each_field():
    with pytest.raises(CaseError) as info:
        load_case(FIXTURES / "bad_case.yaml")
    text = str(info.value)
    assert "bad_case.yaml:3:" in text and "unit.staff" in text
    assert "bad_case.yaml:4:" in text and "unknown key 'colour'" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["evaluate", str(FIXTURES / "bad_expression.yaml"), str(FIXTURES / "bad_case.yaml")],
        ["evaluate", "baotou", str(FIXTURES / "bad_case.yaml")],
        ["evaluate", "no_such_pack", str(FIXTURES / "bad_case.yaml")],
        ["evaluate", "baotou", str(FIXTURES / "missing.yaml")],
    ],
)
def test_cli_reports_without_traceback(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("policyrules:")


def test_case_list_errors_point_into_the_right_item(tmp_path):
    from policyrules.facts.casefile import load_cases

    path = tmp_path / "cases.yaml"
    path.write_text("- unit: {staff: 200}\n- unit:\n    staff: 10\n    disabled_employees: lots\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_cases(path)
    (problem,) = info.value.problems
    assert problem.location.line == 4 and "disabled_employees" in problem.message


def test_csv_cases_name_the_row(tmp_path):
    from policyrules.facts.casefile import load_cases

    path = tmp_path / "cases.csv"
    path.write_text("unit.staff,unit.disabled_employees\n200,6\n10,21\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_cases(path)
    (problem,) = info.value.problems
    assert problem.location.line == 3 and "exceeds staff" in problem.message
    path.write_text("unit.staf\n1\n", encoding="utf-8")
    with pytest.raises(CaseError, match="unknown fact column 'unit.staf'"):
        load_cases(path)


def test_a_share_used_as_money_is_a_unit_error(tmp_path):
    text = (FIXTURES / "bad_schema.yaml").read_text(encoding="utf-8").replace("level: town", "level: city")
    text = text.replace("      colour: red\n", "").replace(
        'value: "person.business.monthly_rent + person.social_insurance_paid_last_year", unit: CNY, per: [month]',
        'value: "unit.staff / unit.staff", unit: CNY',
    )
    path = tmp_path / "share.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(path)
    (problem,) = info.value.problems
    assert problem.code == "unit" and "this is in [1], expected [CNY]" in problem.message
