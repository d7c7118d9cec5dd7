"""Input errors are data said in either language: each keeps its file, line, column and path, and its text is
Chinese by default (the command line, the HTTP API) and English when asked, or from ``str()``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import policyrules
from policyrules.errors import CaseError, InputError, PackError, Problem, TableError
from policyrules.reading.validate import pydantic_reason

from .conftest import ROOT

HAN = "\u4e00-\u9fff"


def _problems(path: Path, text: str) -> list[Problem]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    return info.value.problems


def _where(p: Problem) -> tuple[int | None, int | None]:
    return p.location.line, p.location.column


@pytest.mark.parametrize(
    "text, where, zh, en",
    [
        # YAML that does not parse: the parser's reason is said too, not only "invalid YAML"
        (
            "unit:\n  staff: [1\n",
            (3, 1),
            "YAML 格式错误：缺少预期的 ',' 或 ']'",
            "invalid YAML: did not find expected ',' or ']'",
        ),
        ("unit:\n  staff: 10\n  staff: 12\n", (3, 3), "键 'staff' 重复", "duplicate key 'staff'"),
        # pydantic's errors, by their type
        (
            "unit:\n  staff: -3\n",
            (2, 10),
            "unit.staff：应大于或等于 0",
            "unit.staff: Input should be greater than or equal to 0",
        ),
        (
            "unit:\n  kind: martian\n",
            (2, 9),
            "unit.kind：应为 'party_government_agency', 'public_institution'",
            "unit.kind: Input should be 'party_government_agency'",
        ),
        (
            "unit:\n  fiscally_funded: maybe\n",
            (2, 20),
            "unit.fiscally_funded：应为 true 或 false",
            "Input should be a valid boolean",
        ),
        # a value our own types refuse
        (
            "place:\n  monthly_minimum_wage: abc\n",
            (2, 25),
            "应为用半角数字（ASCII）书写的数字，却是 'abc'",
            "Value error, expected a number written in ASCII digits, got 'abc'",
        ),
        (
            "hire:\n  start_date: 2024-02-30\n",
            (2, 15),
            "'2024-02-30' 按 YYYY-MM-DD 书写，但没有这一天",
            "there is no such day",
        ),
        # an unknown fact, with the facts it may be a misspelling of
        (
            "unit:\n  staf: 3\n",
            (2, 3),
            "未知的键 'staf'；是否想写 'unit.staff'",
            "unknown key 'staf'; did you mean 'unit.staff'",
        ),
    ],
)
def test_a_case_error_keeps_its_place_and_speaks_either_language(tmp_path: Path, text, where, zh, en):
    (p, *_) = _problems(tmp_path / "case.yaml", text)
    assert _where(p) == where and p.location.file == str(tmp_path / "case.yaml")
    assert zh in p.text("zh") and zh in p.render("zh") and p.render("zh").startswith(f"{p.location}: ")
    assert en in p.text("en")
    assert str(p) == p.render("en") and p.message == p.text("en")  # Python's view stays English
    assert p.key and dict(p.fields)  # the phrase and its values are data


def test_an_error_names_its_path_and_code_whatever_the_language(tmp_path: Path):
    (p,) = _problems(tmp_path / "case.yaml", "unit:\n  staff: -3\n")
    assert p.path == ("unit", "staff") and p.code == "schema" and p.key == "schema.at"
    error = CaseError([p])
    assert error.text("zh") == p.render("zh") and str(error) == p.render("en")


def test_an_unknown_pydantic_error_type_keeps_pydantic_s_words_and_names_the_type():
    said = pydantic_reason({"type": "uuid_parsing", "msg": "Input should be a valid UUID", "ctx": {}})
    assert said.text("zh") == "Input should be a valid UUID（pydantic 错误类型 uuid_parsing）"
    assert said.text("en") == "Input should be a valid UUID (uuid_parsing)"


def _pack(tmp_path: Path, old: str, new: str) -> list[Problem]:
    text = (ROOT / "tests" / "fixtures" / "bad_expression.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pack.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PackError) as info:
        policyrules.load_pack(path)
    return info.value.problems


def test_an_expression_error_points_into_the_expression_in_either_language(tmp_path: Path):
    when = "unit.kind == 'party_govt_agency' and unit.establishment_size >= 50"
    (p,) = _pack(tmp_path, when, "unit.staf >= 50")
    assert (p.location.line, p.location.column) == (11, 12) and p.code == "expression"
    assert p.text("zh") == "未知的事实 'unit.staf'；是否想写 'unit.staff' 或 'unit.is_hospital'？"
    assert p.text("en") == "unknown fact 'unit.staf'; did you mean 'unit.staff' or 'unit.is_hospital'?"
    (p,) = _pack(tmp_path, when, "unit.staff >= date('2024-01-01')")
    assert p.text("zh") == "比较 '>=' 把数值 [person]与日期相比"
    assert p.text("en") == "comparison '>=' compares a number [person] with a date"


def test_a_schema_error_in_a_pack_speaks_either_language(tmp_path: Path):
    (p,) = _pack(
        tmp_path, "title: {zh: a rule with a typo in a value, en: a rule with a typo in a value}", "title: 一条规则"
    )
    assert p.location.line == 10 and p.path[-1] == "title"
    assert "单独一个字符串缺少 en（英文）" in p.text("zh")
    assert "a plain string lacks en (English)" in p.text("en")


def test_a_bad_value_of_a_table_keeps_its_row_and_column_in_either_language():
    pytest.importorskip("pyarrow")
    from policyrules.batch.inputs import check_columns

    with pytest.raises(TableError) as info:
        check_columns(["unit.staf"], (), "cases.csv")
    (bad,) = info.value.bad
    assert bad.column == "unit.staf" and bad.key == "batch.unknown_column_hint"
    assert info.value.text("zh") == (
        "cases.csv: 列 unit.staf：不是词汇表中的事实；是否想写 unit.staff 或 unit.is_hospital？（要原样带出其他列，请用 --keep 选项或 keep= 参数）"
    )
    assert str(info.value) == (
        "cases.csv: column unit.staf: not a fact of the vocabulary; did you mean unit.staff or unit.is_hospital? "
        "(carry other columns through with keep=/--keep)"
    )


def test_a_bad_cell_of_a_table_names_its_row(tmp_path: Path):
    pytest.importorskip("pyarrow")
    from policyrules.batch import evaluate_to_parquet

    table = tmp_path / "cases.csv"
    table.write_text("unit.staff,unit.kind\n10,private_enterprise\nmany,private_enterprise\n", encoding="utf-8")
    with pytest.raises(TableError) as info:
        evaluate_to_parquet("baotou", table, tmp_path / "out.parquet", as_of="2024-06-01")
    assert info.value.text("zh").startswith(f"{table}: 第 1 行，列 unit.staff：应为整数（值为 'many'）")
    assert str(info.value).startswith(f"{table}: row 1, column unit.staff: expected a whole number (got 'many')")


def test_an_argument_error_speaks_either_language():
    with pytest.raises(InputError) as info:
        policyrules.load_pack("baotou").evaluate({}, as_of="2024/06/01")
    (p,) = info.value.problems
    assert p.location.file == "as_of" and p.code == "argument"
    assert info.value.text("zh") == "as_of: 应为写成 YYYY-MM-DD 的日期，却是 '2024/06/01'"
    assert str(info.value) == "as_of: expected a date written YYYY-MM-DD, got '2024/06/01'"


def test_an_unknown_pack_speaks_either_language():
    with pytest.raises(policyrules.PackNotFound) as info:
        policyrules.load_pack("baotuo")
    assert info.value.text("zh").startswith("没有名为 'baotuo' 的规则包；随附的规则包：")
    assert str(info.value).startswith("no pack named 'baotuo'; shipped packs: ")


def test_every_phrase_an_error_is_made_with_is_in_the_table():
    # a key missing from the table would turn an input error into an internal one
    from policyrules.engine.words import WORDS

    call = re.compile(
        r"(?:\.of|\.at|\bInvalid|\.error|\.problem|\.stop|\b_Fail|\bsay|\.fail|\.fail_at_operator)\("
        r'\s*(?:[^()"]*?,\s*)?"([a-z_]+\.[a-z_.]+)"'
    )
    used = {
        (path.name, key)
        for path in Path(policyrules.__file__).parent.rglob("*.py")
        for key in call.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 150  # the pattern finds the calls
    assert sorted((name, key) for name, key in used if key not in WORDS) == []


def test_a_backend_error_is_said_in_either_language():
    from policyrules.backends import evaluate_with
    from policyrules.engine.loading import load_pack
    from policyrules.errors import BackendError
    from policyrules.facts.case import Case

    with pytest.raises(BackendError) as exc:
        evaluate_with("drools", load_pack("baotou"), Case(), date(2024, 6, 1))
    assert str(exc.value) == "unknown backend 'drools'; choose one of: native, durable"
    assert exc.value.text("zh") == "未知的后端 'drools'；可选：native, durable"


def test_an_expression_s_arithmetic_error_is_said_with_only_the_expression_stage_loaded():
    """expr/ sits below the engine, so the phrases it raises live in the errors' own table."""
    import subprocess
    import sys

    code = (
        "import sys; from policyrules.expr.compile import EvaluationError; from policyrules.errors import Phrase; "
        "assert 'policyrules.engine.words' not in sys.modules; "
        "print(Phrase('arith.division_by_zero').text('zh'), "
        "Phrase.of('arith.not_whole', k=1.5, what=Phrase('arith.days')).text('en'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "除数为零 cannot add 1.5 days to a date: not a whole number"
