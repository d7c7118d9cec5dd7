"""A pack's written figures are checked when it loads (reliability review, D10): each edit is one mutation of baotou."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.errors import PackError
from policyrules.facts.casefile import as_case

from .conftest import ROOT

BAOTOU = (ROOT / "rules" / "baotou.yaml").read_text(encoding="utf-8")

MUTATIONS = [
    # (what the review did, the text replaced, its replacement, the words of the error)
    ("negative quota ratio", "        value: 0.015\n", "        value: -0.015\n", "negative value"),
    (
        "two values from one date",
        '      - from: "2023-04-22"\n        value: 0.015\n',
        '      - from: "2023-04-22"\n        value: 0.015\n      - from: "2023-04-22"\n        value: 0.02\n',
        "same date",
    ),
    (
        "a share above 1 balanced by a negative one",
        "        - {payer: 市残联, share: 0.5}\n        - {payer: 县（区、旗）残联, share: 0.5}\n",
        "        - {payer: 市残联, share: 1.5}\n        - {payer: 县（区、旗）残联, share: -0.5}\n",
        "between 0 and 1",
    ),
    (
        "a negative limit",
        "limit: {max: 3, per: year, used: person.trainings_this_year}",
        "limit: {max: -1, per: year, used: person.trainings_this_year}",
        "greater than or equal to 0",
    ),
    (
        "a negative duration",
        "duration: {max: 15, unit: year, used: person.blind_massage_subsidy_years}",
        "duration: {max: -15, unit: year, used: person.blind_massage_subsidy_years}",
        "≥ 0",
    ),
    (
        "a negative range bound",
        "amount: {kind: range, min: 1, max: 2, unit: session, per: [year]}",
        "amount: {kind: range, min: -1, max: 2, unit: session, per: [year]}",
        "≥ 0",
    ),
]


@pytest.mark.parametrize("what, old, new, words", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_wrong_figure_is_refused_with_its_line(tmp_path: Path, what: str, old: str, new: str, words: str) -> None:
    assert BAOTOU.count(old) >= 1, f"the pack no longer has the text this test mutates: {old!r}"
    line = BAOTOU[: BAOTOU.index(old)].count("\n") + 1
    pack = tmp_path / "baotou.yaml"
    pack.write_text(BAOTOU.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(pack)
    text = str(error.value)
    assert words in text, text
    lines = [p.location.line for p in error.value.problems]
    assert any(n is not None and line - 5 <= n <= line + 3 for n in lines), (what, line, lines, text)


def test_the_shipped_pack_itself_loads() -> None:
    assert load_pack(ROOT / "rules" / "baotou.yaml").id == "baotou"


JINAN = (ROOT / "rules" / "jinan.yaml").read_text(encoding="utf-8")
GRANT_CASE = {
    "unit": {
        "is_blind_massage_institution": True,
        "blind_massage_standardisation_eligible": True,
        "blind_massage_standardisation_supported": False,
        "staff": 10,
    }
}


def _jinan_with(tmp_path: Path, old: str, new: str) -> Path:
    assert JINAN.count(old) == 1, f"the pack no longer has the text this test mutates: {old!r}"
    path = tmp_path / "jinan.yaml"
    path.write_text(JINAN.replace(old, new), encoding="utf-8")
    return path


def test_written_range_bounds_in_the_wrong_order_are_refused_on_load(tmp_path: Path) -> None:
    path = _jinan_with(tmp_path, "min: 20000, max: 40000", "min: 40000, max: 20000")
    with pytest.raises(PackError, match="range minimum 40000 exceeds its maximum 20000") as error:
        load_pack(path)
    line = JINAN[: JINAN.index("min: 20000, max: 40000")].count("\n") + 1
    assert error.value.problems[0].location.line == line


def test_computed_range_bounds_in_the_wrong_order_are_the_rules_error_with_its_location(tmp_path: Path) -> None:
    # Bounds that are expressions can only be compared on a case: min is 4000 × staff, max 40000.
    old = "min: 20000, max: 40000"
    path = _jinan_with(tmp_path, old, "min: \"unit.staff * quantity(4000, 'CNY/person')\", max: 40000")
    pack = load_pack(path)
    line = JINAN[: JINAN.index(old)].count("\n") + 1
    fine = evaluate(pack, as_case(GRANT_CASE), date(2023, 6, 1))
    assert fine.outcome("blind_massage.standardisation_grant").amount.min == 40000  # type: ignore[union-attr]
    assert not fine.errors
    inverted = evaluate(pack, as_case({"unit": {**GRANT_CASE["unit"], "staff": 11}}), date(2023, 6, 1))
    assert inverted.outcome("blind_massage.standardisation_grant") is None  # never a swapped or silent range
    [error] = inverted.errors
    assert error.rule == "blind_massage.standardisation_grant"
    assert f"{path}:{line}:" in error.message and "区间下限（44000）高于上限（40000）" in error.message
    [error] = evaluate(
        load_pack(path, "en"), as_case({"unit": {**GRANT_CASE["unit"], "staff": 11}}), date(2023, 6, 1)
    ).errors
    assert f"{path}:{line}:" in error.message and "minimum (44000) exceeds its maximum (40000)" in error.message


def _baotou_deriving(tmp_path: Path, value: str) -> Path:
    """baotou with a derived string fact of two choices, set by one rule to ``value``."""
    text = BAOTOU.replace(
        "derived:\n",
        "derived:\n  status:\n    type: string\n    choices: [alpha, beta]\n    description: {zh: 状态, en: status}\n",
        1,
    )
    rule = (
        "rules:\n  - id: status.set\n    topic: quota.counting\n    title: {zh: 状态, en: status}\n"
        f'    derive: {{fact: status, value: "{value}"}}\n'
        "    citation: {clause: 主要措施·实施民营企业安排残疾人就业·2, quote: 对安排残疾人就业超过本单位在职职工总数1.5%的用人单位}\n"
    )
    text = text.replace("rules:\n", rule, 1).replace(
        "      - quota.required\n", "      - quota.required\n      - status.set\n", 1
    )
    path = tmp_path / "baotou.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "value, words",
    [
        ("'gamma'", "'gamma' is not one of derived.status's choices (alpha, beta)"),
        ("'alpha' if unit.staff > 10 else 'gamma'", "'gamma' is not one of"),
        ("place.district", "derived.status is one of alpha, beta; this value may be any text"),
    ],
)
def test_a_derived_value_outside_its_choices_is_refused_at_its_rule(tmp_path: Path, value: str, words: str) -> None:
    path = _baotou_deriving(tmp_path, value)
    with pytest.raises(PackError) as error:
        load_pack(path)
    [problem] = error.value.problems
    assert words in problem.message
    assert (
        problem.location.line
        == path.read_text(encoding="utf-8").split("\n").index(f'    derive: {{fact: status, value: "{value}"}}') + 1
    )


def test_a_derived_value_within_its_choices_loads_and_is_given(tmp_path: Path) -> None:
    pack = load_pack(_baotou_deriving(tmp_path, "'alpha' if unit.staff > 10 else 'beta'"))
    result = evaluate(pack, as_case({"unit": {"staff": 11, "disabled_employees": 0}}), date(2024, 6, 1))
    assert result.derived["status"] == "alpha"
