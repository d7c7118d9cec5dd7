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
