"""Pack-level properties, checked with hypothesis on generated cases for every shipped pack."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from policyrules.check.citations import sources_dir, squeeze
from policyrules.check.strategies import evaluations
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.engine.result import Result
from policyrules.facts.case import Case
from policyrules.pack.files import shipped_packs

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

# Caps the texts print, by (pack, topic): the figure one outcome may never exceed.
CAPS = {
    ("baotou", "startup.rent_subsidy"): Decimal(1000),  # 按每月最高不超过1000元
    ("baotou", "startup.guarantee_loan"): Decimal(200000),  # 最高不超过20万元
    ("jinan", "startup.subsidy"): Decimal(30000),  # 最高3万元
}

# Facts the texts reward monotonically, by topic: one more never lowers the total.
MONOTONE = (
    ("reward.excess_quota", "unit.disabled_employees"),
    ("blind_massage.institution_support", "unit.blind_masseurs"),
    ("blind_massage.institution_support", "unit.blind_medical_masseurs"),
)


def _source(pack) -> str | None:
    src = sources_dir()
    if src is None or not pack.document.source_file:
        return None
    return squeeze((src / pack.document.source_file).read_text(encoding="utf-8"))


def violations(pack, case: Case, as_of: date, result: Result, source: str | None) -> list[str]:
    """Every invariant the result breaks, one line each."""
    out: list[str] = []
    outcomes = [*result.entitlements, *result.obligations, *result.sanctions]
    windows = {}
    doc = pack
    while doc is not None:
        windows[doc.document.number] = (doc.valid_from, doc.valid_until)
        doc = doc.parent
    for o in outcomes:
        start, end = windows[o.event.document]
        day = o.event.date
        if day is None or day < start or (end is not None and day > end):
            out.append(f"{o.rule}: granted at an event on {day}, outside the validity of {o.event.document}")
    for o in outcomes:
        c = o.citation
        if not c.quote or not c.clause:
            out.append(f"{o.rule}: empty citation")
        elif (
            not c.external
            and source is not None
            and c.document == pack.document.number
            and squeeze(c.quote) not in source
        ):
            out.append(f"{o.rule}: quote not in the source")
        a = o.amount
        if a is not None and a.kind == "cap" and a.value is not None and a.cap is not None and a.value > a.cap:
            out.append(f"{o.rule}: {a.value} exceeds its cap {a.cap}")
        if a is not None and a.kind == "no_figure" and (a.value is not None or a.total is not None):
            out.append(f"{o.rule}: a figure invented for an amount the text leaves open")
        for field in ("value", "total", "min", "max"):
            v = getattr(a, field, None) if a is not None else None
            if v is not None and v < 0:
                out.append(f"{o.rule}: negative {field} {v}")
        if o.limit is not None and o.limit.used is not None and o.limit.used >= o.limit.max:
            out.append(f"{o.rule}: granted with {o.limit.used} of at most {o.limit.max} per {o.limit.per} used")
        cap = CAPS.get((pack.id, o.topic))
        if cap is not None and a is not None and a.value is not None and a.value > cap:
            out.append(f"{o.rule}: {a.value} exceeds the text's {cap}")
        for topic in o.excludes:
            both = [e.rule for e in result.entitlements if e.topic == topic]
            if both:
                out.append(f"{o.rule} granted together with {', '.join(both)}, which it excludes")
    training = next(
        (
            o
            for o in result.entitlements
            if o.topic == "training.vocational" and o.amount and o.amount.value is not None
        ),
        None,
    )
    if pack.id == "shanghai" and training is not None:
        used = case.person.free_training_value_this_year if case.person else None
        if used is not None and training.amount.value + used > 10000:  # 累計不超過1萬元
            out.append(f"shanghai training {training.amount.value} + {used} already used exceeds 10000 a year")
    return out


@pytest.mark.parametrize("name", shipped_packs())
def test_invariants_hold_on_generated_cases(name):
    pack = load_pack(name)
    source = _source(pack)

    @SETTINGS
    @given(evaluations(pack))
    def check(case_and_day):
        case, day = case_and_day
        result = evaluate(pack, case, day)
        again = evaluate(pack, case, day)
        assert result.to_json() == again.to_json(), "same case, same date, different result"
        problems = violations(pack, case, day, result, source)
        assert not problems, "\n".join(problems)

    check()


def _topic_total(result: Result, topic: str) -> Decimal | None:
    outs = [o for o in result.entitlements if o.topic == topic]
    if any(o.amount is None or o.amount.total is None for o in outs):
        return None
    return sum((o.amount.total for o in outs), Decimal(0))


def _monotone_pairs(pack):
    return [
        (t, f)
        for t, f in MONOTONE
        if any(r.topic == t and r.amount and r.amount.kind != "no_figure" for r in pack.rules)
    ]


@pytest.mark.parametrize("name", [n for n in shipped_packs() if _monotone_pairs(load_pack(n))])
def test_monotone_where_the_text_is(name):
    pack = load_pack(name)
    pairs = _monotone_pairs(pack)

    @SETTINGS
    @given(evaluations(pack), st.sampled_from(pairs))
    def check(case_and_day, pair):
        case, day = case_and_day
        topic, path = pair
        part, field = path.split(".")
        unit = case.unit
        if unit is None or getattr(unit, field) is None:
            return
        more = getattr(unit, field) + 1
        if unit.staff is not None and more > unit.staff:
            return
        bigger = case.model_copy(update={"unit": unit.model_copy(update={field: more})})
        before = _topic_total(evaluate(pack, case, day), topic)
        after = _topic_total(evaluate(pack, bigger, day), topic)
        if before is not None and after is not None:
            assert after >= before, f"{path} {more - 1} → {more} lowered {topic} from {before} to {after}"

    check()


def rent_cases(day: date = date(2024, 6, 1)):
    """Rent-subsidy applications around baotou's thresholds: rent near the cap, months near 12 and 36."""
    licensed = st.integers(0, 48).map(
        lambda months: date(day.year - (months + 12 - day.month) // 12, (day.month - months - 1) % 12 + 1, 1)
    )
    return st.builds(
        lambda rent, since, kind: (
            Case.model_validate(
                {
                    "person": {
                        "disability": {"certified": True},
                        "hukou_in_jurisdiction": True,
                        "business": {
                            "kind": kind,
                            "licensed_on": since,
                            "operating": True,
                            "rents_premises": True,
                            "monthly_rent": rent,
                        },
                    },
                    "place": {"in_jurisdiction": True},
                    "application": {"kind": "rent_subsidy"},
                }
            ),
            day,
        ),
        st.integers(0, 5000),
        licensed,
        st.sampled_from(["individual_business", "small_micro_enterprise", "blind_massage_shop"]),
    )


@SETTINGS
@given(rent_cases())
def test_rent_subsidy_never_exceeds_1000_a_month(case_and_day):
    pack = load_pack("baotou")
    case, day = case_and_day
    assert violations(pack, case, day, evaluate(pack, case, day), None) == []


def test_a_removed_cap_is_caught(tmp_path):
    """Plant a bug (the rent subsidy without its 1000 cap): the same property finds a case that shows it."""
    real = load_pack("baotou")
    text = open(real.source_path, encoding="utf-8").read()
    planted = text.replace(
        "        kind: cap\n        cap: 1000\n        actual: person.business.monthly_rent\n",
        "        kind: formula\n        value: person.business.monthly_rent\n",
    )
    assert planted != text
    path = tmp_path / "baotou.yaml"
    path.write_text(planted, encoding="utf-8")
    broken = load_pack(path)  # same id, so the text's caps for baotou apply to it

    def breaks(case_and_day):
        case, day = case_and_day
        return bool(violations(broken, case, day, evaluate(broken, case, day), None))

    case, _ = find(rent_cases(), breaks, settings=settings(max_examples=500, derandomize=True, deadline=None))
    assert case.person.business.monthly_rent > 1000
