"""Every example in the README and docs/ is run, so the docs cannot drift from what the library does."""

import doctest
import os
import re
import shlex
import subprocess
import sys

import pytest

import policyrules
from policyrules.interfaces.cli import build_parser, main

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(kind: str):
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(rf"^ *```{kind}\n(.*?)^ *```", text, re.S | re.M):
            yield path, block


def _console_commands():
    for path, block in _blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ policyrules "):
                yield pytest.param(line[2:], id=f"{path.name}: {line[2:]}")


@pytest.mark.parametrize("command", list(_console_commands()))
def test_console_examples_run(command, capsys, monkeypatch):
    argv = shlex.split(command)[1:]
    if "--backend" in argv and "durable" in argv:
        pytest.importorskip("durable.engine")
    monkeypatch.chdir(ROOT)
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.strip()
    if argv[:2] == ["evaluate", "baotou"] and "--json" in argv:
        assert '"total": "29700"' in out and "主要措施·实施民营企业安排残疾人就业·2" in out


def test_the_durable_plan_example_matches(tmp_path):
    pytest.importorskip("durable.engine")
    (block,) = [b for _, b in _blocks("console") if "python -m policyrules.backends.durable" in b]
    shown = [line for line in block.splitlines()[1:] if line.strip() != "…"]
    out = subprocess.run(
        [sys.executable, "-m", "policyrules.backends.durable", "baotou"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for line in shown:
        assert line in out, line


def _readme_table_rows():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for cell in re.findall(r"^\| `(policyrules [^`]+)` \|", text, re.M):
        yield pytest.param(cell, id=cell)


@pytest.mark.parametrize("usage", list(_readme_table_rows()))
def test_readme_command_table_names_real_commands_and_options(usage):
    words = usage.replace("\\|", "|").split()
    command = words[1]
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert command in sub, command
    actions = sub[command]._actions
    options = {s: a for a in actions for s in a.option_strings}
    for i, word in enumerate(words):
        flag = word.strip("[]")
        if not flag.startswith("--"):
            continue
        assert flag in options, f"{command}: no option {flag}"
        choices = options[flag].choices
        following = words[i + 1].strip("[]") if i + 1 < len(words) else ""
        if choices and following and "|" in following:
            assert set(following.split("|")) <= set(choices), (flag, following, choices)


def test_package_docstring_example():
    failures, tried = doctest.testmod(policyrules, verbose=False, report=True)[:2]
    assert tried >= 3 and failures == 0


def test_api_calls_named_in_the_docs():
    # docs/checking.md: policyrules.check.consistency.check(pack) with a pack from load_pack
    from policyrules.check.consistency import Finding, check

    assert all(isinstance(f, Finding) for f in check(policyrules.load_pack("baotou")))
    # docs/comparing.md: policyrules.diff(a, b) returns a StructuralDiff
    assert isinstance(policyrules.diff("baotou", "jinan"), policyrules.StructuralDiff)
    text = (ROOT / "docs" / "checking.md").read_text(encoding="utf-8")
    assert "policyrules.check.consistency.check(pack)" in text


def test_readme_setup_block_is_two_lines_that_name_real_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```sh setup\n(.*?)```", text, re.S)
    lines = block.strip().splitlines()
    assert len(lines) == 2
    tail = lines[0].split("&& .venv/bin/policyrules ", 1)[1]
    argv = shlex.split(tail)
    assert argv[0] in next(a for a in build_parser()._actions if a.dest == "command").choices
    assert os.path.exists(ROOT / argv[2])
