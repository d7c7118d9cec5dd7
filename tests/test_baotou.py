"""The baotou pack against its text: the outcomes issue-level users rely on."""

import json
from datetime import date

import pytest

from policyrules import load_case, load_pack
from policyrules.check.coverage import coverage
from policyrules.interfaces.cli import main

from .conftest import ROOT

EMPLOYER = ROOT / "examples" / "baotou-employer.yaml"
IN_FORCE = date(2024, 6, 1)


@pytest.fixture(scope="module")
def baotou():
    return load_pack("baotou")


def test_example_employer_gets_the_excess_quota_reward_with_citation(baotou):
    result = baotou.evaluate(load_case(EMPLOYER), as_of=IN_FORCE)
    reward = result.outcome("reward.excess_quota")
    assert reward.amount.value == 9900  # 5 × 1980
    assert reward.amount.count == 3  # 6 disabled − 1.5% × 200
    assert reward.amount.total == 29700
    assert reward.amount.per == ["person", "year"]
    assert reward.citation.document == "包府办发〔2023〕43号"
    assert reward.citation.clause == "主要措施·实施民营企业安排残疾人就业·2"
    assert "每超额安排1名残疾人" in reward.citation.quote


def test_without_minimum_wage_the_formula_comes_back_with_the_missing_fact(baotou):
    case = load_case(EMPLOYER).model_copy(update={"place": None})
    reward = baotou.evaluate(case, as_of=IN_FORCE).outcome("reward.excess_quota")
    assert reward.amount.value is None and reward.amount.total is None
    assert reward.amount.count == 3
    assert reward.amount.expression == "quantity(5, 'month') * place.monthly_minimum_wage"
    assert reward.amount.missing == ["place.monthly_minimum_wage"]


def test_cli_json_matches_the_api(baotou, capsys):
    assert main(["evaluate", "baotou", str(EMPLOYER), "--as-of", "2024-06-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    api = json.loads(baotou.evaluate(load_case(EMPLOYER), as_of=IN_FORCE).to_json())
    assert data == api
    (reward,) = [e for e in data["entitlements"] if e["rule"] == "reward.excess_quota"]
    assert reward["amount"]["total"] == "29700"  # money is an exact decimal string in JSON


def test_fiscally_funded_units_get_no_reward_and_see_why(baotou):
    case = load_case(EMPLOYER)
    funded = case.model_copy(update={"unit": case.unit.model_copy(update={"fiscally_funded": True})})
    result = baotou.evaluate(funded, as_of=IN_FORCE)
    assert result.outcome("reward.excess_quota") is None
    (excl,) = [x for x in result.exclusions if x.rule == "reward.excess_quota.not_fiscal"]
    assert excl.withheld == ["reward.excess_quota"]


def test_validity_window_is_respected(baotou):
    case = load_case(EMPLOYER)
    assert not baotou.evaluate(case, as_of=date(2023, 4, 29)).validity.in_force
    assert baotou.evaluate(case, as_of=date(2023, 4, 30)).validity.in_force
    assert baotou.evaluate(case, as_of=date(2024, 12, 31)).validity.in_force
    late = baotou.evaluate(case, as_of=date(2025, 1, 1))
    assert not late.validity.in_force and late.entitlements == []


@pytest.mark.parametrize("size, fires", [(49, False), (50, True)])
def test_agency_quota_duty_includes_50(baotou, size, fires):
    case = {
        "unit": {"kind": "party_government_agency", "establishment_size": size, "staff": size, "disabled_employees": 0}
    }
    duty = baotou.evaluate(case, as_of=IN_FORCE).outcome("quota.public_sector.duty")
    assert (duty is not None) == fires
    if fires:
        assert duty.amount.value == 1 and duty.status == "due" and duty.deadline == date(2025, 12, 31)


@pytest.mark.parametrize("rent, paid", [(999, 999), (1000, 1000), (1001, 1000)])
def test_rent_subsidy_is_capped_at_1000(baotou, rent, paid):
    case = {
        "person": {
            "disability": {"certified": True},
            "hukou_in_jurisdiction": True,
            "business": {
                "kind": "individual_business",
                "licensed_on": "2023-01-01",
                "operating": True,
                "rents_premises": True,
                "monthly_rent": rent,
            },
        },
        "place": {"in_jurisdiction": True},
        "application": {"kind": "rent_subsidy"},
    }
    subsidy = baotou.evaluate(case, as_of=date(2024, 1, 1)).outcome("startup.rent_subsidy")
    assert subsidy.amount.value == paid and subsidy.amount.per == ["month"]
    assert [f.amount for f in subsidy.funding] == [paid / 2, paid / 2]


def test_every_clause_is_accounted_for(baotou, sources):
    c = coverage(baotou.compiled, sources)
    assert c.percent == 100 and c.rules == c.rules_in_ledger
    assert c.numbered == c.anchored and c.numbered >= 28  # 一、, 1．…, （七）…（十）, 三（一）…（六）
    assert c.unaccounted == () and c.anchor_problems == ()


def test_explain_names_the_false_sub_condition(baotou, capsys):
    case = {"unit": {"kind": "party_government_agency", "establishment_size": 49, "staff": 49, "disabled_employees": 0}}
    report = baotou.explain(case, "quota.public_sector.duty", as_of=IN_FORCE)
    (rule,) = report.rules
    assert rule.fired is False
    leaves = []

    def walk(t):
        leaves.append(t) if not t.parts else [walk(p) for p in t.parts]

    walk(rule.condition)
    (size,) = [t for t in leaves if t.text == "unit.establishment_size >= 50"]
    assert size.value is False and size.facts == {"unit.establishment_size": "49"}
