"""A result built on first read is, for every caller, the Result the evaluator would have built at once."""

from __future__ import annotations

import copy
import pickle
from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel, TypeAdapter

import policyrules
from policyrules.backends.durable import evaluate as durable_evaluate
from policyrules.engine.deferred import DeferredResult
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.engine.result import Result
from policyrules.facts.case import Case
from policyrules.facts.casefile import load_case

from .conftest import ROOT

DAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def pair():
    pack = load_pack("baotou")
    case = load_case(ROOT / "examples" / "baotou-employer.yaml")
    return (lambda: evaluate(pack, case, DAY)), evaluate(pack, case, DAY, reference=True)


def test_evaluate_defers_and_nothing_is_built_before_a_read(pair):
    fresh, eager = pair
    result = fresh()
    assert isinstance(result, DeferredResult) and isinstance(result, Result)
    assert type(eager) is Result
    assert object.__getattribute__(result, "_source") is not None
    assert result.entitlements == eager.entitlements  # the first read of an outcome builds the outcomes only
    assert result.exclusions == eager.exclusions and result.obligations == eager.obligations
    assert object.__getattribute__(result, "_source") is not None
    first = result.entitlements
    assert result.undetermined == eager.undetermined  # any other field builds the whole Result
    assert object.__getattribute__(result, "_source") is None
    assert first and all(a is b for a, b in zip(result.entitlements, first))  # around the same outcome objects
    assert result.outcome("reward.excess_quota").amount.total == 29700  # 3 persons beyond the quota × 5 × 1980
    assert result == eager and result.to_json() == eager.to_json()


def test_same_json_dump_fields_and_repr(pair):
    fresh, eager = pair
    assert fresh().to_json() == eager.to_json()
    assert fresh().model_dump_json() == eager.model_dump_json()
    assert fresh().model_dump() == eager.model_dump()
    assert fresh().model_dump(exclude_unset=True) == eager.model_dump(exclude_unset=True)
    assert fresh().model_fields_set == eager.model_fields_set
    assert dict(fresh()) == dict(eager)
    assert repr(fresh()) == repr(eager)
    assert TypeAdapter(Result).dump_json(fresh()) == TypeAdapter(Result).dump_json(eager)


def test_json_is_written_once(pair):
    fresh, _ = pair
    result = fresh()
    assert result.to_json() is result.to_json()
    assert result.to_json(exclude_none=True) != result.to_json()


def test_equality_both_ways_and_with_durable(pair):
    fresh, eager = pair
    assert fresh() == eager and eager == fresh() and not (fresh() != eager)
    changed = eager.model_copy(update={"backend": "durable"})
    assert fresh() != changed and changed != fresh()
    pack = load_pack("baotou")
    case = load_case(ROOT / "examples" / "baotou-employer.yaml")
    assert fresh().model_copy(update={"backend": "durable"}) == durable_evaluate(pack, case, DAY)


def test_copies_pickles_and_nesting(pair):
    fresh, eager = pair
    copied = fresh().model_copy(update={"backend": "other"})
    assert copied.backend == "other" and copied.entitlements == eager.entitlements
    assert copy.deepcopy(fresh()) == eager
    assert pickle.loads(pickle.dumps(fresh())) == eager

    class Envelope(BaseModel):
        result: Result

    assert Envelope(result=fresh()).model_dump_json() == Envelope(result=eager).model_dump_json()
    assert Result.model_validate(fresh()) == eager


def test_still_frozen_and_unknown_attributes_still_fail(pair):
    fresh, _ = pair
    result = fresh()
    with pytest.raises(ValueError):
        result.pack = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.no_such_field  # noqa: B018


def test_public_api_returns_the_same_result():
    pack = policyrules.load_pack("baotou")
    case = load_case(ROOT / "examples" / "baotou-employer.yaml")
    assert pack.evaluate(case, as_of=DAY) == evaluate(pack.compiled, case, DAY, reference=True)


def test_json_writes_every_field_of_a_result_in_its_order():
    from policyrules.engine import deferred

    assert [*deferred._HEAD, *(name for name, _ in deferred._WRITERS)] == list(Result.model_fields)


def test_json_is_byte_identical_on_every_case_file_and_each_shared_entry_is_written_once():
    from policyrules.check.casetests import find_test_files, load_test_file
    from policyrules.engine import deferred

    spliced = [name for name, write in deferred._WRITERS if write is deferred._list]
    lists = 0
    for path in find_test_files([ROOT / "rules"]):
        spec = load_test_file(path)
        pack = load_pack(spec.pack)
        for t in spec.tests[::4]:  # a quarter of them: every file, every kind of list, in a second or two
            fast, eager = evaluate(pack, t.case, t.as_of), evaluate(pack, t.case, t.as_of, reference=True)
            assert fast.to_json() == eager.model_dump_json(indent=2), f"{path.name}: {t.name}"
            lists += sum(bool(getattr(fast, name)) for name in spliced)
    assert lists > 300  # every spliced list, non-empty, many times over
    pack = load_pack("baotou")
    case = load_case(ROOT / "examples" / "baotou-employer.yaml")
    first, second = evaluate(pack, case, DAY), evaluate(pack, case, DAY)
    first.to_json()
    shared = [e for name in spliced for e in getattr(second, name)]
    assert shared and all(deferred._FRAGMENT.made[id(e)][0] is e for e in shared)  # written by the first result


def test_results_share_an_outcome_only_when_it_shows_the_same_figures_as_written():
    # 10000 and 10000.0 are equal Decimals: an outcome shared between them would show the other's figure.
    pack = load_pack("jinan")
    day = date(2024, 6, 1)

    def case(base: str) -> dict:
        business = {"kind": "individual_business", "pension_medical_due_min_base": base}
        return {
            "person": {"disability": {"certified": True}, "employment": "self_employed", "business": business},
            "application": {"kind": "startup_subsidy"},
        }

    def insurance(result: Result):
        (outcome,) = [o for o in result.entitlements if o.rule == "startup.individual_business_insurance"]
        return outcome

    api = policyrules.load_pack("jinan")
    first, second, third = (api.evaluate(case(b), as_of=day) for b in ("10000", "10000.0", "10000"))
    assert str(insurance(first).amount.value) == "6000.0"  # 60% of the insurance due (二（三）5)
    assert str(insurance(second).amount.value) == "6000.00"
    assert insurance(third) is insurance(first)  # the same figures: one outcome, written to JSON once
    for base, result in (("10000", first), ("10000.0", second)):
        reference = evaluate(pack, Case.model_validate(case(base)), day, reference=True)
        assert repr(result.entitlements) == repr(reference.entitlements)  # each figure as its case wrote it
        assert result.to_json() == reference.model_dump_json(indent=2)


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"a": None, "b": True, "c": False, "d": Decimal("3.000"), "e": Decimal("-0"), "f": Decimal("1E+3")},
        {"day": date(2024, 2, 29), "n": Decimal("0.015")},
        {"choice": '引号"与\\反斜杠\n', "n": Decimal(2)},  # text: written by pydantic
        {"名称": Decimal(1)},  # a name JSON would escape is written by pydantic too
    ],
)
def test_derived_facts_are_written_as_pydantic_writes_them(values):
    from policyrules.engine import deferred

    want = deferred._DERIVED.dump_json(values, indent=2).decode().replace("\n", "\n  ") if values else "{}"
    assert deferred._derived(values) == want
