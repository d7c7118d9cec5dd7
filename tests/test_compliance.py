"""The employment security fund year by year (policyrules compliance), and the list of disabled employees."""

import json
from datetime import date
from decimal import Decimal

import pytest

from policyrules.compliance import compliance, parse_years
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.errors import CaseError, InputError
from policyrules.facts.casefile import as_case
from policyrules.interfaces.cli import main

from .conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "employer-compliance.yaml")


def _employer(staff, disabled, kind="private_enterprise", **unit):
    return as_case(
        {
            "unit": {
                "kind": kind,
                "staff": staff,
                "disabled_employees": disabled,
                "dispatch_counted_by": "no_dispatch",
                "average_annual_wage": 80000,
                **unit,
            },
            "place": {"average_social_wage": 100000},
        }
    )


def test_cli_table_prints_each_year_with_the_fund(capsys):
    assert main(["compliance", "jinan", EXAMPLE, "--years", "2023..2024", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    # 150 staff × 1.5% = 2.25 required, 1 counted (the 11-month contract does not count):
    # 1.25 × 95000 = 118750, below 1% so 90% = 106875.
    for text in ("2023", "2024", "2.25", "1.25", "118,750", "106,875", "pay 90%", "11 months", "财政部公告2023年第8号"):
        assert text in out
    assert "one more disabled hire of grade 2 (counts as 2): fund -106,875 yuan" in out
    assert "year  staff  quota  counted" in out
    assert "2024 wage used: no wage given for 2023; the case's last-year wage (unit.average_annual_wage) 95,000" in out


def test_cli_table_is_chinese_by_default_and_json_keys_do_not_change_with_the_language(capsys):
    assert main(["compliance", "jinan", EXAMPLE, "--years", "2023..2024"]) == 0
    out = capsys.readouterr().out
    assert "残疾人就业保障金（逐年）" in out
    assert "年度  在职职工  应安排  已安排  差额  应缴费额  减免" in out
    for text in ("按90%缴纳", "118,750", "106,875", "合同11个月", "（外部文件）", "未给出2023年工资"):
        assert text in out
    assert "2023年：再安排1名持残疾人证（2级）的残疾人（按2人计算）：保障金 -106,875 元" in out
    assert "残疾职工 李某：不计入" in out
    for english in ("pay 90%", "one more", "employee", "year  staff"):
        assert english not in out
    reports = []
    for lang in ("zh", "en"):
        assert main(["compliance", "jinan", EXAMPLE, "--years", "2024", "--format", "json", "--lang", lang]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    zh, en = reports
    assert zh["years"][0].keys() == en["years"][0].keys() and zh["employees"] == en["employees"]
    assert zh["employees"][1]["why"] == [{"code": "contract", "figures": ["11"]}]


def test_cli_json_gives_the_same_figures(capsys):
    assert main(["compliance", "jinan", EXAMPLE, "--years", "2023..2024", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [y["year"] for y in report["years"]] == [2023, 2024]
    y = report["years"][0]
    assert (y["quota"], y["counted_disabled"], y["fund_full"], y["fund_due"]) == ("2.25", "1", "118750", "106875")
    assert y["payable_share"] == "0.9" and y["reduction"] == "11875"
    assert y["next_hire"]["fund_change"] == "-106875"
    assert [e["status"] for e in report["employees"]] == ["counted", "not_counted"]
    assert {o["rule"] for o in y["fund"]} == {"fund.owed", "fund.reduction.2023"}
    assert report["fund_pack"] == "national_fund"


def test_grade_2_hire_counts_twice_grade_3_once():
    pack = load_pack("liaocheng")
    case = _employer(200, 1)  # 3 required, 1 counted: 90% of 2 × 80000 = 144000
    two = compliance(pack, case, [2024], hire_grade=2).years[0]
    three = compliance(pack, case, [2024], hire_grade=3).years[0]
    assert two.fund_due == Decimal("144000")
    # grade 2: 201 staff, 3 counted: 0.015 short, at 1% or more → 50% of 1200 = 600
    assert two.next_hire.counts_as == 2 and two.next_hire.fund_due == Decimal("600")
    # grade 3: 201 staff, 2 counted: 1.015 short, 2/201 below 1% → 90% of 81200 = 73080
    assert three.next_hire.counts_as == 1 and three.next_hire.fund_due == Decimal("73080")


def test_an_exempt_enterprise_owes_nothing_in_2027_and_the_full_amount_in_2028():
    case = as_case(
        {
            "unit": {
                "kind": "private_enterprise",
                "staff": 30,
                "disabled_employees": 0,
                "dispatch_counted_by": "no_dispatch",
                "average_annual_wage": 80000,
            },
            "place": {"employment_quota_ratio": "0.015", "average_social_wage": 100000},
        }
    )
    rows = compliance(load_pack("national_fund"), case, [2027, 2028]).years
    assert (rows[0].exempt, rows[0].fund_due, rows[0].reduction) == (True, Decimal(0), Decimal("36000"))
    assert (rows[1].exempt, rows[1].owed, rows[1].fund_due) == (False, True, Decimal("36000"))


def test_a_year_the_pack_is_not_in_force_is_reported_not_computed():
    rows = compliance(load_pack("baotou"), _employer(200, 1), [2024, 2025]).years
    assert rows[0].in_force and rows[0].fund_due == Decimal("144000")
    assert not rows[1].in_force and rows[1].fund_due is None and "2024-12-31" in rows[1].reason


def test_missing_wage_leaves_the_amount_open_and_says_why():
    case = as_case(
        {
            "unit": {
                "kind": "private_enterprise",
                "staff": 200,
                "disabled_employees": 1,
                "dispatch_counted_by": "no_dispatch",
            }
        }
    )
    row = compliance(load_pack("jinan"), case, [2024]).years[0]
    assert row.owed is True and row.fund_due is None
    assert row.missing == ["place.average_social_wage", "unit.average_annual_wage"]


def test_a_count_that_disagrees_with_the_list_is_refused():
    record = {
        "certificate": "disability",
        "grade": 1,
        "on_establishment": True,
        "monthly_wage": 3000,
        "social_insurance_full": True,
    }
    with pytest.raises(CaseError, match="disagrees with unit.disabled_staff, which counts 2"):
        as_case(
            {
                "unit": {"staff": 10, "disabled_employees": 1, "disabled_staff": [record]},
                "place": {"monthly_minimum_wage": 2100},
            }
        )
    assert (
        as_case(
            {"unit": {"staff": 10, "disabled_staff": [record]}, "place": {"monthly_minimum_wage": 2100}}
        ).unit.disabled_employees
        == 2
    )


def test_a_disability_certificate_has_four_grades():
    with pytest.raises(CaseError, match="grades 1 to 4"):
        as_case({"unit": {"disabled_staff": [{"certificate": "disability", "grade": 5}]}})


def test_years_are_a_year_or_a_range():
    assert parse_years("2023..2025") == [2023, 2024, 2025] and parse_years("2024") == [2024]
    for bad in ("2025..2023", "20x4", "1000..3000"):
        with pytest.raises(InputError):
            parse_years(bad)


def test_bad_years_are_a_clean_error(capsys):
    assert main(["compliance", "jinan", EXAMPLE, "--years", "soon"]) == 2
    assert "--years" in capsys.readouterr().err


def test_seasonal_workers_are_a_yearly_average_in_the_table():
    # 72号 第八条: 季节性用工应当折算为年平均用工人数. 188 staff + 12 workers × 3 months = 191.
    case = _employer(188, 2, seasonal_staff=[{"workers": 12, "months": 3}])
    assert case.unit.seasonal_staff_average == 3
    row = compliance(load_pack("jinan"), case, [2024]).years[0]
    # 191 × 1.5% = 2.865 required, 2 counted (2 ≥ 1.91: 50%): 0.865 × 80000 × 0.5 = 34600
    assert (row.staff, row.quota, row.fund_due) == (Decimal("191"), Decimal("2.865"), Decimal("34600"))


def test_a_seasonal_figure_that_disagrees_with_the_list_is_refused():
    with pytest.raises(CaseError, match="disagrees with unit.seasonal_staff, 36 months of work, which average 3"):
        _employer(188, 2, seasonal_staff_average=2, seasonal_staff=[{"workers": 12, "months": 3}])
    seven = _employer(0, 0, seasonal_staff=[{"workers": 5, "months": 7}])
    assert seven.unit.seasonal_staff_average == Decimal("2.91666667")  # 35 ÷ 12, half up at 8 places
    assert _employer(188, 2).unit.seasonal_staff_average == 0  # staff given, no seasonal workers: none apart
    with pytest.raises(CaseError):
        _employer(188, 2, seasonal_staff=[{"workers": 1, "months": 13}])


def test_more_severe_dispatched_workers_than_dispatched_workers_is_refused():
    with pytest.raises(CaseError, match="dispatched_disabled_severe \\(2\\) exceeds dispatched_disabled \\(1\\)"):
        _employer(200, 2, dispatched_disabled=1, dispatched_disabled_severe=2)


def test_each_year_uses_the_wage_of_the_year_before_and_the_hire_with_it():
    # 200 staff, 1 counted: 3 required, 2 short, below 1% (90%).
    wages = [{"year": 2023, "average_annual_wage": 90000}, {"year": 2024, "average_annual_wage": 100000}]
    case = _employer(200, 1, average_annual_wages=wages)
    rows = compliance(load_pack("liaocheng"), case, [2024, 2025], hire_grade=3).years
    # 2024 on the 2023 wage: 2 × 90000 × 0.9 = 162000; one more of grade 3 (201 staff, 2 counted):
    # 1.015 × 90000 × 0.9 = 82215, so the hire saves 79785 at that year's wage.
    assert (rows[0].unit_wage, rows[0].wage_source) == (Decimal("90000"), "unit.average_annual_wages[2023]")
    assert rows[0].fund_due == Decimal("162000")
    assert rows[0].next_hire.fund_due == Decimal("82215") and rows[0].next_hire.fund_change == Decimal("-79785")
    # 2025 on the 2024 wage: 2 × 100000 × 0.9 = 180000; after the hire 1.015 × 100000 × 0.9 = 91350
    assert (rows[1].unit_wage, rows[1].wage_source) == (Decimal("100000"), "unit.average_annual_wages[2024]")
    assert rows[1].fund_due == Decimal("180000") and rows[1].next_hire.fund_due == Decimal("91350")


def test_a_year_without_its_wage_says_the_case_wage_is_carried():
    case = _employer(200, 1, average_annual_wages=[{"year": 2023, "average_annual_wage": 90000}])
    rows = compliance(load_pack("liaocheng"), case, [2024, 2025]).years
    assert rows[0].wage_source == "unit.average_annual_wages[2023]"
    # no 2024 wage listed: the case's unit.average_annual_wage (80000) is used, and said
    assert (rows[1].unit_wage, rows[1].wage_source) == (Decimal("80000"), "unit.average_annual_wage")
    assert rows[1].fund_due == Decimal("144000")
    with pytest.raises(CaseError, match="gives 2023 more than once"):
        _employer(200, 1, average_annual_wages=[{"year": 2023, "average_annual_wage": 1}] * 2)


def test_a_seasonal_average_with_no_finite_decimal_still_gives_the_fund_to_the_fen():
    # 28 staff + 5 workers × 7 months: 35 ÷ 12 = 2.91666667 (half up at 8 places), 30.91666667 staff: not exempt.
    case = _employer(28, 0, seasonal_staff=[{"workers": 5, "months": 7}])
    pack = load_pack("national_fund")
    result = evaluate(
        pack,
        case.model_copy(update={"place": case.place.model_copy(update={"employment_quota_ratio": Decimal("0.015")})}),
        date(2024, 6, 1),
    )
    assert result.derived["fund_staff"] == Decimal("30.91666667") and result.derived["fund_exempt"] is False
    # 30.91666667 × 1.5% × 80000 × 90% = 33390.0000036: 33390.00 to the fen
    (owed,) = [o for o in result.obligations if o.rule == "fund.owed"]
    assert owed.amount.total == Decimal("33390.00")
