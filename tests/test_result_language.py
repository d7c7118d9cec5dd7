"""A result's own sentences are in the pack's language, with their figures: reasons for a "no", validity,
defaults, and the limits and durations that withhold a benefit. A portal shows them to a citizen as they are."""

from __future__ import annotations

import re
from datetime import date

import policyrules
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.facts.case import Case

HAN = re.compile(r"[\u4e00-\u9fff]")
# A 4th training this year under baotou's limit of 3 a year; no application date, so as_of stands in.
TRAINEE = {
    "person": {
        "disability": {"category": "physical", "grade": 3, "certified": True},
        "hardship_household": True,
        "seeks_work": True,
        "trainings_this_year": 3,
    },
    "application": {
        "kind": "vocational_training",
        "training": {"days": 5, "class_hours": 40, "same_project_level_this_year": False},
    },
}
# A graduate hired 2023-07-01: baotou's subsidy runs 3 years, so on 2026-07-01 it has ended.
GRADUATE = {
    "person": {
        "disability": {"category": "hearing", "grade": 3, "certified": True},
        "graduation": {"level": "bachelor", "year": 2023},
    },
    "unit": {"kind": "private_enterprise"},
    "hire": {"start_date": "2023-07-01", "contract_months": 36, "social_insurance": True, "public_welfare_post": False},
    "place": {"monthly_minimum_wage": 1980},
}
DAY = date(2024, 6, 1)


def texts(result) -> dict[str, str]:
    """The sentences a portal shows, by what they explain."""
    limit = next(x for x in result.exclusions if x.reason == "limit_reached")
    not_met = next(g for g in result.not_granted if g.rule == "recruitment.priority")
    return {"limit": limit.summary, "because": not_met.because, "default": result.defaults[0].reason}


def test_a_result_in_chinese_says_why_with_its_figures():
    pack = policyrules.load_pack("baotou")
    got = texts(pack.evaluate(TRAINEE, as_of=DAY))  # Chinese unless asked otherwise
    assert got == {
        "limit": "已达次数上限：每年最多 3 次",
        "because": "不满足：application.kind == 'public_sector_recruitment'（application.kind=vocational_training）",
        "default": "未给出申请日期：以评估日期作为申请日期",
    }
    late = pack.evaluate(TRAINEE, as_of=date(2030, 1, 1))
    assert late.validity.reason == "2030-01-01 不在有效期内：有效期至 2024-12-31（正文末段：有效期至2024年12月31日）"
    assert late.validity.period == "2023-04-30起至2024-12-31"
    gone = next(g for g in late.not_granted if g.rule == "training.vocational")
    assert gone.because == (
        "2030-01-01（评估日期，未给出申请日期）不在 包府办发〔2023〕43号 的有效期（2023-04-30起至2024-12-31）内；"
        "有效期至 2024-12-31（正文末段：有效期至2024年12月31日）"
    )
    ended = pack.evaluate(GRADUATE, as_of=date(2026, 7, 1))
    assert next(g.because for g in ended.not_granted if g.reason == "ended") == (
        "已于 2026-06-30 期满：自2023-07-01（录用）起最长 3 年"
    )


def test_the_same_result_in_english_says_the_same_figures():
    pack = policyrules.load_pack("baotou")
    got = texts(pack.evaluate(TRAINEE, as_of=DAY, lang="en"))
    assert got == {
        "limit": "limit reached: at most 3 per year",
        "because": "not met: application.kind == 'public_sector_recruitment' (application.kind=vocational_training)",
        "default": "no application date given: the application is taken as made on the date the case is decided as of",
    }
    late = pack.evaluate(TRAINEE, as_of=date(2030, 1, 1), lang="en")
    assert late.validity.reason == "not in force on 2030-01-01: ended 2024-12-31 (正文末段: 有效期至2024年12月31日)"
    gone = next(g for g in late.not_granted if g.rule == "training.vocational")
    assert gone.because == (
        "not in force on 2030-01-01 (as_of, no application date given): 包府办发〔2023〕43号 from 2023-04-30 to "
        "2024-12-31; ended 2024-12-31 (正文末段: 有效期至2024年12月31日)"
    )
    ended = pack.evaluate(GRADUATE, as_of=date(2026, 7, 1), lang="en")
    assert next(g.because for g in ended.not_granted if g.reason == "ended") == (
        "ended on 2026-06-30: 3 year(s) from the hire on 2023-07-01"
    )


def test_every_sentence_of_a_result_is_in_its_language_and_the_same_by_every_path():
    """Generated code and the closures give the same words; each sentence opens in the result's language."""
    for lang in ("zh", "en"):
        pack = load_pack("baotou", lang)
        for case, day in ((TRAINEE, DAY), (TRAINEE, date(2030, 1, 1)), (GRADUATE, date(2026, 7, 1))):
            fast = evaluate(pack, Case.model_validate(case), day)
            assert fast == evaluate(pack, Case.model_validate(case), day, reference=True)
            said = [g.because for g in fast.not_granted] + [x.summary for x in fast.exclusions if x.reason != "rule"]
            said += [d.reason for d in fast.defaults] + [fast.validity.reason or "", fast.validity.period]
            assert len(said) > 5
            # a sentence opens with its words or a date: the first ten characters hold Han only in Chinese
            for text in filter(None, said):
                assert bool(HAN.search(text[:12])) == (lang == "zh"), text
