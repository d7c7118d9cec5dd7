"""Exact money whoever calls: the library's own decimal context, figures rounded to the fen (audit D11, D12)."""

from __future__ import annotations

import datetime
import decimal
import threading
from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from policyrules.engine.money import money_step, round_money

from .conftest import BAOTOU_EMPLOYER

D = datetime.date(2024, 6, 1)
EMP = {**BAOTOU_EMPLOYER, "place": {"monthly_minimum_wage": "1987.55"}}  # a wage with fen in it


def _reward(case=EMP) -> Decimal:
    return policyrules.load_pack("baotou").evaluate(case, as_of=D).outcome("reward.excess_quota").amount.total


@pytest.mark.parametrize(
    "prec, rounding", [(4, decimal.ROUND_HALF_EVEN), (5, decimal.ROUND_HALF_EVEN), (6, decimal.ROUND_FLOOR)]
)
def test_results_do_not_depend_on_the_callers_decimal_context(prec, rounding):
    expected = _reward()
    assert expected == Decimal("29813.25")
    with decimal.localcontext() as ctx:
        ctx.prec = prec
        ctx.rounding = rounding
        result = policyrules.load_pack("baotou").evaluate(EMP, as_of=D)
        assert result.outcome("reward.excess_quota").amount.total == expected
        assert '"total":"29813.25"' in result.to_json().replace(" ", "")


def test_a_callers_context_in_another_thread_changes_nothing():
    seen = []

    def caller():
        decimal.getcontext().prec = 3
        seen.append(_reward())

    thread = threading.Thread(target=caller)
    thread.start()
    thread.join()
    assert seen == [Decimal("29813.25")]


def test_figures_are_exact_beyond_28_digits(tmp_path):
    pack = policyrules.load_pack(_pack(tmp_path, "person.business.monthly_rent * 3"))
    rent = "1234567890123456789012345678.91"  # 30 significant digits; the default context keeps 28
    result = pack.evaluate({"unit": {"staff": 3}, "person": {"business": {"monthly_rent": rent}}}, as_of=D)
    assert result.outcome("r.a").amount.total == Decimal("3703703670370370367037037036.73")


def test_money_is_rounded_half_up_to_the_fen():
    step = money_step("CNY")
    assert step == Decimal("0.01") and money_step("person") is None and money_step("CNY/month") is None
    assert round_money(Decimal("0.005"), step) == Decimal("0.01")
    assert round_money(Decimal("2.675"), step) == Decimal("2.68")
    assert str(round_money(Decimal("29700"), step)) == "29700"  # a whole figure keeps its form
    wage = "1980.00000000000000000000000001"
    amount = policyrules.load_pack("baotou").evaluate({**EMP, "place": {"monthly_minimum_wage": wage}}, as_of=D)
    amount = amount.outcome("reward.excess_quota").amount
    assert amount.total == amount.value * amount.count
    assert amount.total.as_tuple().exponent >= -2


def _pack(tmp_path: Path, amount: str) -> Path:
    source = Path(__file__).parent / "fixtures" / "check" / "unit.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "amount: {kind: formula, value: 'person.business.monthly_rent + person.social_insurance_paid_last_year', unit: CNY}",
        f"amount: {{kind: formula, value: '{amount}', unit: CNY, per: [month]}}",
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_negative_amount_never_comes_out(tmp_path):
    pack = policyrules.load_pack(_pack(tmp_path, "person.business.monthly_rent - 1000"))
    result = pack.evaluate({"unit": {"staff": 3}, "person": {"business": {"monthly_rent": 400}}}, as_of=D)
    assert result.entitlements == []
    (error,) = result.errors
    assert error.rule == "r.a" and "negative" in error.message
    fine = pack.evaluate({"unit": {"staff": 3}, "person": {"business": {"monthly_rent": 1400}}}, as_of=D)
    assert fine.outcome("r.a").amount.total == 400


def test_an_overflow_is_an_error_naming_the_rule(tmp_path):
    pack = policyrules.load_pack(_pack(tmp_path, "person.business.monthly_rent * 1e999999 * 1e999999"))
    big = {"unit": {"staff": 3}, "person": {"business": {"monthly_rent": "1e30"}}}
    result = pack.evaluate(big, as_of=D)
    assert result.entitlements == []
    (error,) = result.errors
    assert error.rule == "r.a" and error.message
    result.to_json()  # and the result still serialises


def test_a_figure_beyond_a_result_s_range_is_the_rule_s_error_whichever_way_in():
    """A legal wage (9e29, within 1e30) times 5 months times 3 persons passes what a Result holds: the rule's
    error at the amount's line, said in the pack's language; the other rules still come out (the same from a
    case dict, a flat fact dict by either path of the engine, and text in a case)."""
    from policyrules.engine.evaluator import evaluate_facts
    from policyrules.engine.loading import load_pack
    from policyrules.facts.case import flatten

    huge = {**EMP, "place": {"monthly_minimum_wage": Decimal("9e29")}}
    pack = policyrules.load_pack("baotou")
    want = "baotou.yaml:512:9: 金额的合计（13500000000000000000000000000000）超出结果能容纳的范围：数字应在 1e-30 与 1e30 之间"
    results = [pack.evaluate(huge, as_of=D), pack.evaluate({**EMP, "place": {"monthly_minimum_wage": "9e29"}}, as_of=D)]
    facts = flatten(policyrules.Case.model_validate(huge))
    engine = load_pack("baotou")
    results += [evaluate_facts(engine, facts, D), evaluate_facts(engine, facts, D, reference=True)]
    for result in results:
        (error,) = result.errors
        assert error.rule == "reward.excess_quota" and want in error.message, error.message
        assert result.outcome("reward.excess_quota") is None
        assert result.obligations and result.derived["excess_persons"] == 3
        result.to_json()
    english = policyrules.load_pack("baotou", lang="en").evaluate(huge, as_of=D).errors[0].message
    assert "the amount's total (13500000000000000000000000000000) is beyond what a result holds" in english
    # a total within range still comes out
    assert _reward({**EMP, "place": {"monthly_minimum_wage": Decimal("6e28")}}) == Decimal("9e29")


@pytest.mark.parametrize("text", ["0", "-0", "0.000", "-0.00", "0E+5", "-0E-3", "6000.00", "1E+3", "0.0150", "-2.50"])
def test_a_number_is_written_normalised_and_minus_zero_stays_minus(text):
    from policyrules.types import CONTEXT, decimal_text

    value = Decimal(text)
    for _ in range(2):  # the second time from the remembered texts
        assert decimal_text(value) == format(value.normalize(CONTEXT), "f")


@pytest.mark.parametrize(
    "matching, wage, total", [("closures", "1987.61", "29814.15"), ("generated", "1987.63", "29814.45")]
)
def test_outcomes_built_when_first_read_are_exact_in_the_readers_context(matching, wage, total, monkeypatch):
    # The outcomes are built on first read, perhaps under another context than the evaluation's; each wage is
    # used by no other test, so the outcome is built here, not taken from an earlier result.
    from policyrules.engine import evaluator
    from policyrules.engine.codegen import generated
    from policyrules.engine.loading import load_pack

    pack = load_pack("baotou")
    if matching == "closures":
        monkeypatch.setattr(evaluator, "for_evaluation", lambda pack: None)
    else:
        generated(pack)
    case = policyrules.Case.model_validate({**EMP, "place": {"monthly_minimum_wage": wage}})
    result = evaluator.evaluate(pack, case, D)
    with decimal.localcontext() as ctx:
        ctx.prec = 4
        ctx.rounding = decimal.ROUND_FLOOR
        assert result.outcome("reward.excess_quota").amount.total == Decimal(total)  # 15 × the wage
