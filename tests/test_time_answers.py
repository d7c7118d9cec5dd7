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


def test_the_behavioural_diff_finds_the_graduation_year_difference_at_the_hire():
    """Baotou's 应届 (graduating in the year of the hire) against Shanghai's 畢業未滿5年 at the hire.

    Each side is asked a year after the hire (hire and question in different calendar years), so
    reading the graduation year against the date of evaluation instead of the hire gives another answer.
    """
    from policyrules.compare.behaviour import RelativeYear, behavioural_diff

    common = {
        "person.disability.certified": True,
        "person.graduation.level": "bachelor",
        "person.graduation.full_time": True,
        "hire.start_date": -366,  # days before each side's evaluation date: the previous calendar year
        "hire.contract_months": 12,
        "hire.social_insurance": True,
        "hire.public_welfare_post": False,
        "place.monthly_minimum_wage": 2000,
    }
    rows = [
        {**common, "person.graduation.year": RelativeYear(-1)},  # graduated in the year of the hire
        {**common, "person.graduation.year": RelativeYear(-3)},  # two years before the hire
        {**common, "person.graduation.year": RelativeYear(-7)},  # six years before the hire
    ]
    baotou, shanghai = load_pack("baotou"), load_pack("shanghai")
    days = (date(2024, 6, 3), date(2026, 7, 30))
    diff = behavioural_diff(baotou, shanghai, rows=rows, topics=["subsidy.graduate_hire"], days=days)
    topic = diff.topic("subsidy.graduate_hire")
    assert topic is not None
    # all three decided on both sides; the first two differ, the third agrees (nothing on both)
    assert (topic.differing, topic.agree, topic.a_only, topic.b_only) == (2, 1, 0, 0)
    by_year = {e.case["person"]["graduation"]["year"]: e for e in topic.examples}
    # 应届 at the hire: the 2023 graduate hired in 2023 is paid by Baotou, asked in 2024
    paid = by_year[2023]
    assert paid.case["hire"]["start_date"] == "2023-06-03"
    assert (paid.a.status, paid.b.status) == ("gives", "gives")
    assert paid.a.outcomes[0].rule == "subsidy.graduate_hire" and "10000" in (paid.a.outcomes[0].amount or "")
    # a graduate of two years before the hire: Shanghai (未滿5年) gives, Baotou (应届) nothing
    earlier = by_year[2021]
    assert (earlier.a.status, earlier.b.status) == ("nothing", "gives")
    assert earlier.b.outcomes[0].rule == "subsidy.graduate_hire.shanghai"


def test_a_case_silent_on_dispatch_is_counted_without_dispatched_workers_and_says_so():
    from policyrules.engine.evaluator import evaluate
    from policyrules.facts.casefile import as_case

    pack = load_pack("jinan")
    day = date(2024, 6, 1)
    unit = {"kind": "private_enterprise", "staff": 200, "disabled_employees": 2, "average_annual_wage": 80000}
    silent = evaluate(pack, as_case({"unit": unit, "place": {"average_social_wage": 100000}}), day)
    assert [(d.fact, d.value) for d in silent.defaults if d.fact == "unit.dispatched_disabled"] == [
        ("unit.dispatched_disabled", 0)
    ]
    assert "98号" in next(d.reason for d in silent.defaults if d.fact == "unit.dispatched_disabled")
    assert silent.outcome("fund.owed") is not None and silent.derived["fund_staff"] == 200
    assert not any(q.fact.startswith("unit.dispatch") for q in silent.questions)
    # a case that names an agreement but not the number waits for it; nothing is assumed
    named = evaluate(pack, as_case({"unit": {**unit, "dispatch_counted_by": "this_unit"}}), day)
    assert not [d for d in named.defaults if d.fact == "unit.dispatched_disabled"]
    assert "unit.dispatched_disabled" in next(u.missing for u in named.undetermined if u.rule == "fund.owed")
    # a case without a unit is not told about a unit's dispatched workers
    person = evaluate(pack, as_case({"person": {"disability": {"certified": True}}}), day)
    assert [d.fact for d in person.defaults] == ["application.date"]


def test_the_severe_dispatch_count_defaults_with_the_dispatch_count_and_the_reason_is_chinese_by_default():
    from policyrules.engine.evaluator import evaluate
    from policyrules.facts.casefile import as_case

    day = date(2024, 6, 1)
    unit = {"kind": "private_enterprise", "staff": 200, "disabled_employees": 2, "average_annual_wage": 80000}
    zh, en = (evaluate(load_pack("national_fund", lang), as_case({"unit": unit}), day) for lang in ("zh", "en"))
    for result in (zh, en):
        got = {d.fact: d.value for d in result.defaults}
        assert got["unit.dispatched_disabled"] == 0 and got["unit.dispatched_disabled_severe"] == 0
    said = {lang: {d.fact: d.reason for d in r.defaults} for lang, r in (("zh", zh), ("en", en))}
    assert "按0人计算" in said["zh"]["unit.dispatched_disabled"] and "98号" in said["zh"]["unit.dispatched_disabled"]
    assert "重度" in said["zh"]["unit.dispatched_disabled_severe"]
    assert "none are counted" in said["en"]["unit.dispatched_disabled"]
    assert "severely disabled" in said["en"]["unit.dispatched_disabled_severe"]
    # a count of dispatched workers given: how many of them are severely disabled is asked, never assumed
    given = evaluate(load_pack("national_fund"), as_case({"unit": {**unit, "dispatched_disabled": 2}}), day)
    assert [d.fact for d in given.defaults if d.fact.startswith("unit.")] == []
