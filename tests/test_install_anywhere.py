"""Installed anywhere: honest about missing source texts, shipped cases from any directory, a typed API."""

import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime

import pytest

import policyrules
from policyrules.interfaces.cli import main

from .conftest import ROOT

VERIFYING = [["validate", "baotou"], ["check", "baotou"], ["coverage", "baotou"]]


@pytest.mark.parametrize("argv", VERIFYING)
def test_without_source_texts_quotes_are_reported_not_verified(capsys, tmp_path, argv):
    missing = str(tmp_path / "no-sources")
    assert main([*argv, "--sources", missing, "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "quotes NOT verified" in captured.err and missing in captured.err
    assert "✔" not in captured.out
    assert main([*argv, "--sources", missing, "--require-sources"]) == 1
    assert "未经核对" in capsys.readouterr().err


@pytest.mark.parametrize("argv", VERIFYING)
def test_with_source_texts_require_sources_passes(capsys, sources, argv):
    # Under CI=true the sources fixture fails when the texts are missing: CI runs every verifying
    # command with --require-sources.
    assert main([*argv, "--sources", str(sources), "--require-sources"]) == 0
    assert "NOT verified" not in capsys.readouterr().err


def test_an_external_only_pack_does_not_claim_verified_quotes(capsys, sources):
    assert main(["validate", "national_2025", "--sources", str(sources), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"national_2025 [0-9.]+: .*, 0 of 0 quotes verified \(\d+ external citations cannot be verified\)", out
    )


def test_shipped_cases_run_from_any_directory(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["test", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    passed = int(re.search(r"(\d+) passed, 0 failed", out).group(1))
    assert passed > 400


def test_example_cases_ship_in_the_package_and_run_by_name(capsys, tmp_path, monkeypatch):
    from policyrules.facts.casefile import shipped_examples

    # the wheel carries examples/ as policyrules/examples, as it carries rules/
    assert '"examples" = "policyrules/examples"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert shipped_examples() == sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
    monkeypatch.chdir(tmp_path)
    case = policyrules.load_case("example:baotou-employer")
    assert case == policyrules.load_case(ROOT / "examples" / "baotou-employer.yaml")
    assert main(["evaluate", "baotou", "example:baotou-employer", "--as-of", "2024-06-01", "--json"]) == 0
    assert '"total": "29700"' in capsys.readouterr().out
    assert main(["evaluate", "baotou", "example:baotuo-employer", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "no example named 'baotuo-employer'" in err and "example:baotou-employer" in err
    assert main(["evaluate", "baotou", "example:../rules/baotou"]) == 2  # a name, never a path out of examples/


def test_testing_imports_without_hypothesis_and_names_the_extra():
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import policyrules.testing as t\n"
        "try:\n"
        "    t.cases()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install 'policyrules[testing]'" in out


def test_result_types_are_exported():
    for name in ("Result", "OutcomeOut", "AmountOut", "CitationOut", "ExclusionOut", "UndeterminedOut", "Validity"):
        assert name in policyrules.__all__
        assert getattr(policyrules, name).__module__ == "policyrules.engine.result"
    assert "BackendError" in policyrules.__all__ and "StructuralDiff" in policyrules.__all__


CASE = {"unit": {"kind": "private_enterprise", "staff": 200, "disabled_employees": 6}}


def test_as_of_as_a_string_or_a_date():
    pack = policyrules.load_pack("baotou")
    assert pack.evaluate(CASE, as_of="2024-06-01") == pack.evaluate(CASE, as_of=date(2024, 6, 1))


@pytest.mark.parametrize(
    "as_of, message",
    [
        ("2024-06-31", "no such day"),
        ("01/06/2024", "YYYY-MM-DD"),
        (datetime(2024, 6, 1, 12, 0), "got a datetime"),
        (20240601, "YYYY-MM-DD"),
    ],
)
def test_a_bad_as_of_is_a_clean_error(as_of, message):
    pack = policyrules.load_pack("baotou")
    for call in (pack.evaluate, pack.explain):
        with pytest.raises(policyrules.InputError) as exc:
            call(CASE, as_of=as_of)
        assert str(exc.value).startswith("as_of: ") and message in str(exc.value)


def _readme_python() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", text, re.S)
    return block


def test_readme_python_example_prints_what_it_says(tmp_path):
    block = _readme_python()
    out = subprocess.run(
        [sys.executable, "-c", block], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout.splitlines()
    promised = [
        line.split("#", 1)[1].strip() for line in block.splitlines() if line.startswith("print(") and "#" in line
    ]
    assert promised and out[: len(promised)] == promised


def test_readme_python_example_type_checks_strictly(tmp_path):
    if shutil.which("mypy", path=os.path.dirname(sys.executable)) is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mypy is not installed (it is in the test extra)")
        pytest.skip("mypy is not installed")
    path = tmp_path / "readme_example.py"
    path.write_text(_readme_python(), encoding="utf-8")
    run = subprocess.run(
        [
            os.path.join(os.path.dirname(sys.executable), "mypy"),
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
