"""The YAML test cases under rules/cases, collected by pytest (the same files `policyrules test` runs)."""

import pytest

from policyrules.casetests import find_test_files, run_test_file

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
