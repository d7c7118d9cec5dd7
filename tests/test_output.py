"""Output that survives a pipe: plain text with nothing cut, one JSON flag everywhere, tables that wrap."""

import io
import json
import re
from datetime import date

import pytest
from rich.console import Console

import policyrules
from policyrules.interfaces.cli import build_parser, main
from policyrules.interfaces.render import print_result, result_markdown, result_text

from .conftest import ROOT

EMPLOYER = str(ROOT / "examples" / "baotou-employer.yaml")


def _decided(result):
    return [*result.entitlements, *result.obligations, *result.sanctions]


def test_evaluate_in_a_pipe_shows_every_citation_in_full_in_chinese(capsys):
    # capsys is not a terminal: this is what `policyrules evaluate … | cat` prints
    assert main(["evaluate", "baotou", EMPLOYER, "--as-of", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    result = policyrules.load_pack("baotou").evaluate(policyrules.load_case(EMPLOYER), as_of="2024-06-01")
    outcomes = [*_decided(result), *result.exclusions]
    assert outcomes
    for o in outcomes:
        for text in (o.rule, o.topic, o.title, o.summary, o.citation.document, o.citation.clause, o.citation.quote):
            assert text in out, text
    assert "…" not in out and "\x1b[" not in out
    assert "权益" in out and "每超比例安排1名残疾人每年奖励当地月最低工资标准的5倍" in out
    assert "29700 元/年" in out
    for u in result.undetermined:  # what to ask next, in full
        assert u.rule in out and ", ".join(u.missing) in out


def test_english_is_a_choice(capsys):
    assert main(["evaluate", "baotou", EMPLOYER, "--as-of", "2024-06-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Entitlements" in out and "Reward of 5 × monthly minimum wage" in out
    assert "每超额安排1名残疾人，每年给予用人单位当地月最低工资标准的5倍进行奖励" in out  # the quote as printed
    assert "29700 CNY per year" in out


def test_markdown_keeps_every_citation(capsys):
    assert main(["evaluate", "baotou", EMPLOYER, "--as-of", "2024-06-01", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# baotou 4.0.1") and "## 权益" in out
    assert "  - 原文: 每超额安排1名残疾人，每年给予用人单位当地月最低工资标准的5倍进行奖励" in out
    assert "  - 出处: 包府办发〔2023〕43号 主要措施·实施民营企业安排残疾人就业·2" in out


def test_not_in_force_suggests_a_date(capsys):
    assert main(["evaluate", "baotou", EMPLOYER, "--as-of", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "不在有效期内" in out and "--as-of" in out and "2024-12-31" in out


@pytest.mark.parametrize("width", [60, 80, 120])
def test_terminal_tables_wrap_instead_of_cutting(width):
    pack = policyrules.load_pack("baotou")
    case = policyrules.load_case(EMPLOYER)
    result = pack.evaluate(case, as_of="2024-06-01")
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=True, color_system=None, highlight=False)
    print_result(result, console, "zh")
    out = buf.getvalue()
    assert "…" not in out
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines)
    # the quote is all there, read down its column
    flat = re.sub(r"[\s│┃|]", "", out)
    assert "每年给予用人单位当地月最低工资标准" in flat or all(
        ch in flat for ch in "每年给予用人单位当地月最低工资标准"
    )


def test_plain_and_markdown_renderers_share_their_content():
    result = policyrules.load_pack("jilin").evaluate({"unit": {"kind": "public_institution"}}, as_of=date(2025, 12, 1))
    text, md = result_text(result, "zh"), result_markdown(result, "zh")
    for u in result.undetermined:
        assert u.rule in text and u.rule in md


def _option_strings(command: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {s for a in sub.choices[command]._actions for s in a.option_strings}


COMMANDS = ["list", "validate", "evaluate", "explain", "test", "check", "coverage", "diff", "matrix", "compliance"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_format_json_with_json_as_alias_and_a_language(command):
    options = _option_strings(command)
    assert {"--format", "--json", "--lang"} <= options


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["validate", "baotou"],
        ["evaluate", "baotou", EMPLOYER, "--as-of", "2024-06-01"],
        ["explain", "baotou", EMPLOYER, "reward.excess_quota", "--as-of", "2024-06-01"],
        ["test", str(ROOT / "rules" / "cases" / "baotou")],
        ["check", "baotou"],
        ["coverage", "baotou"],
        ["diff", "baotou", "jinan", "--topic", "reward.excess_quota"],
        ["matrix", "baotou", "jinan"],
    ],
)
def test_json_is_an_alias_of_format_json(capsys, argv):
    rc1 = main([*argv, "--json"])
    one = capsys.readouterr().out
    rc2 = main([*argv, "--format", "json"])
    two = capsys.readouterr().out
    assert rc1 == rc2 and one == two
    json.loads(one)


def test_test_command_reports_in_json(capsys):
    assert main(["test", str(ROOT / "rules" / "cases" / "baotou"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["failed"] == 0 and data["passed"] == len(data["tests"]) > 10
