"""The YAML test cases under rules/cases, collected by pytest (the same files `policyrules test` runs)."""

import pytest

from policyrules.check.casetests import find_test_files, run_test_file

from .conftest import ROOT

FILES = find_test_files([ROOT / "rules"])


def test_there_are_case_files():
    assert FILES


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT / "rules")) for p in FILES])
def test_case_file(path):
    failures = [
        f"{o.name}:\n    " + "\n    ".join(o.failures) + f"\n    fired: {', '.join(o.fired) or 'nothing'}"
        for o in run_test_file(path)
        if not o.passed
    ]
    assert not failures, "\n".join(failures)


def test_absent_topics_catches_an_outcome():
    """The same 低保 case that passes for rizhao fails the expectation on jinan, which does phase out."""
    from datetime import date

    from policyrules.check.casetests import Expect, check
    from policyrules.engine.evaluator import evaluate
    from policyrules.engine.loading import load_pack
    from policyrules.facts.case import Case

    case = Case.model_validate(
        {
            "person": {
                "disability": {"certified": True},
                "employment": "employed",
                "lowbao": {"household_receives": True, "no_longer_qualifies": True, "ceases_reason": "employment"},
            }
        }
    )
    expect = Expect(absent_topics=["lowbao.phase_out"])
    for name, should_fail in (("rizhao", False), ("jinan", True)):
        pack = load_pack(name)
        failures = check(evaluate(pack, case, date(2024, 6, 1)), expect, set(pack.rule_index))
        assert bool(failures) == should_fail, (name, failures)
