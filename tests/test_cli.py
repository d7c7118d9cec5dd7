"""The command line: each command's output on shipped packs and examples."""

import json
import re

from policyrules.interfaces.cli import main

from .conftest import ROOT


def test_list_json(capsys):
    assert main(["list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["baotou"]["document"] == "包府办发〔2023〕43号"
    assert rows["baotou"]["valid_until"] == "2024-12-31"


def test_validate_all_packs(capsys, sources):
    assert main(["validate", "--sources", str(sources), "--require-sources"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"✔ baotou \d+\.\d+\.\d+: .*，(\d+)/\1 条引文已与原文核对", out), out


def test_explain_terminal_output(capsys):
    assert (
        main(
            [
                "explain",
                "baotou",
                str(ROOT / "examples" / "baotou-employer.yaml"),
                "reward.excess_quota",
                "--as-of",
                "2024-06-01",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "reward.excess_quota" in out and "derived.excess_persons >= 1" in out


def test_explain_unknown_rule(capsys):
    assert main(["explain", "baotou", str(ROOT / "examples" / "baotou-employer.yaml"), "no.such.rule"]) == 2
    assert "没有规则 'no.such.rule'" in capsys.readouterr().err


def test_evaluate_terminal_output(capsys):
    assert main(["evaluate", "baotou", str(ROOT / "examples" / "baotou-employer.yaml"), "--as-of", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    assert "29700" in out and "权益" in out


def test_schema_is_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False and "rules" in schema["properties"]
    assert main(["schema", "--case"]) == 0
    assert "person" in json.loads(capsys.readouterr().out)["properties"]


def test_generated_docs_are_current(capsys):
    assert main(["docs", "--dir", str(ROOT / "docs"), "--check"]) == 0, capsys.readouterr().err


def test_coverage_command(capsys):
    assert main(["coverage", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(r["percent"] == 100 for r in rows)


def test_evaluate_a_figure_beyond_range_is_the_rule_s_error_not_a_traceback(capsys, tmp_path):
    """A wage given as text within range whose reward passes 1e30: as a division by zero, the rule's error in
    words at the amount's line, the other rules printed, exit 0 (the evaluation ran; errors are in its result)."""
    text = (ROOT / "examples" / "baotou-employer.yaml").read_text(encoding="utf-8")
    case = tmp_path / "huge.yaml"
    case.write_text(text.replace("monthly_minimum_wage: 1980", 'monthly_minimum_wage: "9e29"'), encoding="utf-8")
    assert main(["evaluate", "baotou", str(case), "--as-of", "2024-06-01"]) == 0
    captured = capsys.readouterr()
    assert "规则出错 reward.excess_quota：" in captured.out and "baotou.yaml:512:9: 金额的合计" in captured.out
    assert "超出结果能容纳的范围" in captured.out and "民营企业报告安排残疾人就业情况" in captured.out
    assert "Traceback" not in captured.err and "内部错误" not in captured.err
    assert main(["evaluate", "baotou", str(case), "--as-of", "2024-06-01", "--json"]) == 0
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert error["rule"] == "reward.excess_quota" and "13500000000000000000000000000000" in error["message"]
