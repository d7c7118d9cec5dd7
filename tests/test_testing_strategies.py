"""policyrules.testing: valid cases from the vocabulary, boundary values, missing facts, dates."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings

from policyrules.check import strategies as testing
from policyrules.dates import months_between
from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledPack
from policyrules.errors import PackError
from policyrules.facts.case import Case, flatten
from policyrules.facts.vocabulary import case_facts
from policyrules.pack.files import shipped_packs


def _collect(strategy: Any, examples: int = 500) -> list[Any]:
    seen: list[Any] = []

    @settings(
        max_examples=examples, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def draw(value: Any) -> None:
        seen.append(value)

    draw()
    return seen


def _pack(name: str) -> CompiledPack:
    try:
        return load_pack(name)
    except PackError as exc:
        pytest.skip(f"pack {name} does not load: {exc}")


def test_every_fact_of_the_vocabulary_has_a_strategy():
    """A fact added to facts.py gets one without a change to testing.py."""
    assert set(testing._facts()) == set(case_facts())


def test_cases_are_valid_use_every_fact_and_often_miss_facts():
    drawn = _collect(testing.cases(), 4000)
    assert all(isinstance(c, Case) for c in drawn)
    values: dict[str, set[Any]] = defaultdict(set)
    missing = 0
    for case in drawn:
        flat = flatten(case)
        missing += len(case_facts()) - len(flat)
        for path, value in flat.items():
            values[path].add(value)
    assert set(values) == set(case_facts()), "some fact is never given"
    assert missing > len(drawn) * len(case_facts()) * 0.2, "facts are rarely missing"
    assert any(len(flatten(c)) == 0 for c in drawn), "the empty case is never drawn"
    assert not testing.FALLBACKS, f"a case invariant is missing from testing.AT_MOST: {testing.FALLBACKS[0]}"
    for case in drawn:  # invariants hold by construction
        u = case.unit
        if u is not None and u.staff is not None:
            assert u.disabled_employees is None or u.disabled_employees <= u.staff
        if u is not None and u.dispatch_counted_by == "no_dispatch":  # docs/fidelity.md A3.6
            assert not u.dispatched_disabled
    assert any(
        c.unit and c.unit.dispatch_counted_by == "no_dispatch" and c.unit.dispatched_disabled == 0 for c in drawn
    ), "no dispatch is never drawn with its count"
    # Boundary values from the table are drawn.
    for path, wanted in (
        ("unit.establishment_size", {49, 50, 66, 67}),
        ("unit.staff", {99, 100, 101, 199, 200, 201}),
        ("person.age", {64, 65, 66}),
        ("person.business.monthly_rent", {999, 1000, 1001}),
        ("person.trainings_this_year", {2, 3, 4}),
        ("hire.contract_months", {11, 12, 13, 35, 36, 37}),
    ):
        assert wanted <= values[path], (path, wanted - values[path])


@pytest.mark.parametrize("name", shipped_packs())
def test_pack_cases_read_only_its_facts_and_lean_on_its_thresholds(name: str):
    pack = _pack(name)
    reads = testing._reads(pack)
    constants = testing.pack_constants(pack)
    boundaries = testing.boundary_values(pack)
    for path, values in constants.items():  # every threshold the pack compares with, and its neighbours
        for c in values:
            if path in boundaries and isinstance(c, int) and not isinstance(c, bool) and c >= 1:
                assert {c - 1, c, c + 1} <= boundaries[path], (path, c)
    seen: dict[str, list[Any]] = defaultdict(list)
    for case, _ in _collect(testing.evaluations(pack), 800):
        for path, value in flatten(case).items():
            assert path in reads
            seen[path].append(value)
    for path, values in seen.items():
        if path in boundaries and len(values) >= 30:
            share = sum(v in boundaries[path] for v in values) / len(values)
            assert share > 0.3, f"{path}: only {share:.0%} of values drawn are boundary values"
        if path in constants and any(isinstance(c, str) for c in constants[path]):
            names = {c for c in constants[path] if isinstance(c, str)}
            assert len(names & set(values)) >= len(names) / 2, f"{path}: few of {sorted(names)} drawn"


def test_as_of_dates_cover_validity_edges():
    pack = _pack("baotou" if "baotou" in shipped_packs() else shipped_packs()[0])
    days = set(_collect(testing.as_of_dates(pack)))
    start = pack.valid_from
    assert {start - timedelta(days=1), start, start + timedelta(days=1)} <= days
    if pack.valid_until is not None:
        end = pack.valid_until
        assert {end - timedelta(days=1), end, end + timedelta(days=1)} <= days
    inside = [d for d in days if start <= d <= (pack.valid_until or date.max)]
    assert len(inside) > len(days) / 2, "most dates should be in force"


def test_date_facts_fall_on_month_boundaries_from_the_as_of_date():
    pack = _pack("baotou" if "baotou" in shipped_packs() else shipped_packs()[0])
    if "person.business.licensed_on" not in testing._reads(pack):
        pytest.skip("the pack reads no licence date")
    months = []
    for case, as_of in _collect(testing.evaluations(pack), 800):
        business = case.person.business if case.person else None
        if business is not None and business.licensed_on is not None:
            months.append(months_between(business.licensed_on, as_of))
    edges = [m for m in months if m in (11, 12, 13, 35, 36, 37)]
    assert len(edges) > len(months) / 10 and len(set(edges)) >= 3, sorted(set(months))


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_cases_around_a_given_date(year):
    """Calendar years are drawn around the as-of date: each year next to it is found (not merely possible)."""
    day = date(2024, 3, 31)
    found = find(
        testing.cases(around=day),
        lambda c: bool(c.person and c.person.graduation and c.person.graduation.year == year),
        settings=settings(
            max_examples=5000,
            derandomize=True,
            database=None,
            phases=[Phase.generate],  # found is enough: no shrinking
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert found.person.graduation.year == year
