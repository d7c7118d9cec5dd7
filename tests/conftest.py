import os
from pathlib import Path

import pytest

from policyrules.check.citations import sources_dir
from policyrules.engine import codegen

ROOT = Path(__file__).resolve().parents[1]
# The baotou employer of the README: 200 staff, 6 disabled employees, so 3 above the 1.5% quota (29700 a year).
BAOTOU_EMPLOYER = {
    "unit": {
        "kind": "private_enterprise",
        "staff": 200,
        "disabled_employees": 6,
        "fiscally_funded": False,
        "is_concentrated_employment_unit": False,
    },
    "place": {"monthly_minimum_wage": 1980},
}
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sources() -> Path:
    """The source texts. Under CI they must be there: a missing directory fails, it does not skip."""
    found = sources_dir()
    if found is None or not found.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("source texts not found (../shared/sources or $POLICYRULES_SOURCES)")
        pytest.skip("source texts not available on this machine")
    return found


@pytest.fixture(autouse=True)
def generated_code_from_the_first_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every evaluation in the tests runs the generated function, so every test is also a test of it."""
    monkeypatch.setattr(codegen, "GENERATE_AFTER", 1)
