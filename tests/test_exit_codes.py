"""The exit-code table: 0 ok, 1 findings, 2 usage or input error, 3 a defect (one line; traceback with --debug)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyrules.interfaces import cli
from policyrules.interfaces.cli import main

from .conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "baotou-employer.yaml")


def test_ok_is_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "baotou", EXAMPLE, "--as-of", "2024-06-01", "--format", "json"]) == 0


@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_a_pack_that_does_not_exist_is_a_usage_error_in_every_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, "nosuchpack"] + ([EXAMPLE] if command == "evaluate" else [])
    assert main(argv) == 2
    assert "nosuchpack" in capsys.readouterr().err


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "baotou", EXAMPLE, "--as-of", "2024-06-31", "--lang", "en"]) == 2
    assert (
        capsys.readouterr().err == "policyrules: --as-of: '2024-06-31' is written YYYY-MM-DD but there is no such day\n"
    )


def test_a_broken_case_file_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("unit:\n  staff: -3\n", encoding="utf-8")
    assert main(["evaluate", "baotou", str(case)]) == 2
    assert f"{case}:2" in capsys.readouterr().err


def test_a_defect_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_: object) -> int:
        raise KeyError("planted")

    monkeypatch.setattr(cli.packs, "cmd_list", broken)
    assert main(["list"]) == 3
    err = capsys.readouterr().err
    assert "内部错误：KeyError" in err and "--debug" in err and "Traceback" not in err
    assert main(["list", "--lang", "en"]) == 3
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(KeyError, match="planted"):
        main(["--debug", "list"])


def test_an_ascii_terminal_gets_escapes_not_a_crash() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("policyrules")), "evaluate", "baotou", EXAMPLE, "--as-of", "2024-06-01"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("ascii", "replace")
    assert b"\\u" in done.stdout and b"29700" in done.stdout


@pytest.mark.parametrize(
    "content",
    [b"pack: baotou\ntests:\n  - name: \xff\xfe\n", bytes(range(256)) * 4],
    ids=["not UTF-8", "binary"],
)
def test_a_test_directory_with_an_unreadable_file_names_it_and_runs_the_rest(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    good = ROOT / "rules" / "cases" / "shanghai" / "fidelity.yaml"
    (tmp_path / "good.yaml").write_bytes(good.read_bytes())
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    assert main(["test", str(tmp_path), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert f"{bad}:" in captured.err and "not UTF-8" in captured.err and "Traceback" not in captured.err
    assert " passed, 0 failed (2 files, 1 could not be read)" in captured.out  # the good file still ran
    assert "\x00" not in captured.err and "\x1b" not in captured.err  # no binary sent to the terminal


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


EMPLOYER = (ROOT / "examples" / "baotou-employer.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "argv",
    [
        ["evaluate", "baotou", "-", "--as-of", "2024-06-01", "--format", "json"],
        ["explain", "baotou", "-", "reward.excess_quota", "--as-of", "2024-06-01", "--format", "json"],
        ["compliance", "baotou", "-", "--years", "2024..2024", "--format", "json"],
        ["diff", "baotou", "jinan", "--case-file", "-", "--format", "json"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_dash_reads_the_case_from_standard_input(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EMPLOYER if argv[0] != "diff" else "- " + EMPLOYER.replace("\n", "\n  ")
    _stdin(monkeypatch, text)
    assert main(argv) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    # the case was read: its staff (200) and disabled employees (6) decide what is shown
    wanted = {
        "evaluate": '"total": "29700"',
        "explain": "unit.disabled_employees",
        "compliance": '"rewards_change": "9900"',
        "diff": '"cases": 1',
    }
    assert wanted.get(argv[0], '"staff": 200') in out, out[:2000]


@pytest.mark.parametrize(
    "text, where",
    [
        ("unit:\n  staff: -3\n", "<stdin>:2:10: unit.staff"),  # YAML
        ('{"unit": {"staff": 3,\n  "staff": 4}}', "<stdin>:2:3: duplicate key 'staff'"),  # JSON, told by its '{'
        ("[1, 2]", "<stdin>:1:1: a case file holds a mapping"),
    ],
)
def test_errors_in_standard_input_are_located_as_stdin(
    text: str, where: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("evaluate", "explain"):
        _stdin(monkeypatch, text)
        assert main([command, "baotou", "-", "--lang", "en"]) == 2
        assert where in capsys.readouterr().err
