"""Every command speaks Chinese unless --lang en is given: no heading, label or message is English only.

Each command of the CLI runs once in the default language; what it prints may hold ids, fact paths,
numbers, file names, 文号, quotes, options and the expression language, but no English word. A command
added without a run here fails the first test, so nothing new escapes the check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyrules.engine.words import WORDS
from policyrules.expr.parser import FUNCTIONS
from policyrules.interfaces.cli import build_parser, main
from policyrules.pack.files import shipped_packs

from .conftest import ROOT

EMPLOYER = str(ROOT / "examples" / "baotou-employer.yaml")
CASES_CSV = (
    "unit.kind,unit.staff,unit.disabled_employees,unit.fiscally_funded,unit.is_concentrated_employment_unit,"
    "place.monthly_minimum_wage\nprivate_enterprise,200,6,false,false,1980\nprivate_enterprise,100,1,false,false,1980\n"
)

# Each command's runs in the default language (text output: what a person reads). "{tmp}" is a scratch folder.
RUNS: dict[str, list[list[str]]] = {
    "list": [["list"]],
    "validate": [["validate", "baotou", "shanghai"]],
    # a small clean pack: checking a shipped one takes seconds; a finding's own message is the check's (English)
    "check": [["check", "{tmp}/clean.yaml"]],
    "coverage": [["coverage", "baotou", "jinan"]],
    "evaluate": [
        ["evaluate", "baotou", EMPLOYER, "--as-of", "2024-06-01", "--all"],
        ["evaluate", "baotou", EMPLOYER, "--as-of", "2026-06-01"],
        ["evaluate", "jilin", "example:jilin-agency", "--as-of", "2026-06-01", "--format", "markdown"],
        ["evaluate", "baotou", "example:national_fund-employer", "--as-of", "2024-06-01"],
    ],
    "explain": [["explain", "baotou", EMPLOYER, "--as-of", "2024-06-01"]],
    "test": [["test", str(ROOT / "rules" / "cases" / "baotou")]],  # -v adds the cases' own names (data)
    "diff": [
        ["diff", "shanghai", "national_2025"],
        ["diff", "baotou", "jinan", "--format", "markdown"],
        ["diff", "baotou", "jinan", "--cases", "400", "--topic", "reward.excess_quota"],
        ["diff", "baotou", "jinan", "--case-file", "{tmp}/cases.csv", "--format", "markdown"],
    ],
    "matrix": [["matrix", "baotou", "jinan", "shanghai"], ["matrix", "baotou", "fujian", "--format", "markdown"]],
    "docs": [["docs", "--dir", "{tmp}/docs", "--check"]],
    "schema": [],  # JSON Schema: machine output, no prose
    "compliance": [],  # its report is being put into Chinese with the fund's own work (docs/compliance.md)
    "serve": [],  # its one line is tested below, without starting a server
    "batch": [["batch", "baotou", "{tmp}/cases.csv", "-o", "{tmp}/out.parquet", "--as-of", "2024-06-01"]],
    "simulate": [["simulate", "baotou", "jinan", "{tmp}/cases.csv", "--as-of", "2024-06-01"]],
    "population": [["population", "--employers", "20", "--persons", "20", "-o", "{tmp}/pop.parquet"]],
}
NEEDS = {"batch": "pyarrow", "simulate": "pyarrow", "population": "pyarrow"}

# What may stay in Latin letters: identifiers (dotted, with '_' or digits), options, paths and file names,
# the expression language's words, pack ids, and a few names that are names in any language.
_ALLOWED = re.compile(
    r"```\w*"  # a Markdown code fence
    r"|`[^`]*`"  # code in Markdown
    r"|'[^']*'"  # a string in an expression
    r"|<[^<>]*>"  # an HTML tag or comment
    r"|\]\(#[\w-]+\)"  # a Markdown link's target
    r"|(?<![\w-])--?[a-z][\w-]*"  # an option
    r"|[\w./~-]*[/\\][\w./~-]*"  # a path
    r"|\b[A-Za-z][\w-]*(?:\.[\w-]+)+"  # a dotted id, fact path or file name
    r"|\b\w*(?:_|\d)\w*"  # snake_case ids and anything with a digit
    r"|\b[a-f0-9]{16}\b"  # a content hash
)
_NAMES = {
    *shipped_packs(),
    *("and", "or", "not", "if", "else", "true", "false", "in"),  # the expression language
    *FUNCTIONS,
    *("policyrules", "OpenAPI", "Parquet", "CSV", "JSON"),
    *("vs",),  # in "baotou vs jinan": a mark, as in 比较 A vs B
}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


_JSON = re.compile(r"\{[^{}]*\}")


def _pack_prose() -> list[str]:
    """What pack authors wrote as plain prose (interpretation notes, where a figure is set): data, like quotes."""
    from policyrules.engine.loading import load_pack

    texts = set()
    for name in shipped_packs():
        pack = load_pack(name)
        for rule in pack.rules:
            texts.update(rule.notes)
            if rule.amount is not None and rule.amount.reference:
                texts.add(rule.amount.reference)
    return sorted(texts, key=len, reverse=True)


PACK_PROSE = _pack_prose()


def english_words(text: str) -> list[str]:
    """The English words of ``text`` once ids, options, paths, numbers, names and pack prose are taken out."""
    for prose in PACK_PROSE:
        if prose in text:
            text = text.replace(prose, " ")
    while _JSON.search(text):  # a case as JSON, nested
        text = _JSON.sub(" ", text)
    rest = _ALLOWED.sub(" ", text)
    return [w for w in _LATIN_WORD.findall(rest) if w not in _NAMES]


def test_every_command_has_a_run():
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert commands == set(RUNS)


@pytest.mark.parametrize("command", [c for c, runs in RUNS.items() if runs])
def test_a_command_in_the_default_language_prints_no_english(command, tmp_path: Path, capsys):
    if command in NEEDS:
        pytest.importorskip(NEEDS[command])
    (tmp_path / "cases.csv").write_text(CASES_CSV, encoding="utf-8")
    pack = (ROOT / "tests" / "fixtures" / "bad_expression.yaml").read_text(encoding="utf-8")
    # the fixture's ledger entry already says how sure its (made-up) text is, as an external citation needs
    pack = pack.replace("party_govt_agency", "party_government_agency").replace(
        "quote: 测试}", "quote: 测试, external: true}"
    )
    (tmp_path / "clean.yaml").write_text(pack, encoding="utf-8")
    found = {}
    for argv in RUNS[command]:
        argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
        rc = main(argv)
        assert rc in (0, 1), (argv, rc)
        out = capsys.readouterr()
        text = out.out + out.err
        assert text.strip(), argv
        english = [line for line in text.splitlines() if english_words(line)]
        if english:
            found[" ".join(argv)] = english[:5]
        # and English when asked
        assert main([*argv, "--lang", "en"]) in (0, 1)
        out = capsys.readouterr()
        assert english_words(out.out + out.err), f"{argv} --lang en printed no English"
    assert found == {}


def test_serve_says_where_the_page_is_in_chinese(monkeypatch, capsys):
    pytest.importorskip("fastapi")
    uvicorn = pytest.importorskip("uvicorn")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    assert main(["serve", "--pack", str(ROOT / "rules" / "baotou.yaml")]) == 0
    line = capsys.readouterr().out
    assert "案例页面" in line and english_words(line) == []


def test_every_phrase_exists_in_both_languages():
    han = re.compile(r"[\u4e00-\u9fff]")
    fields = re.compile(r"\{\w+(?:!r)?\}")
    lacking = [
        k for k, (zh, en) in WORDS.items() if (english_words(fields.sub(" ", zh)) and not han.search(zh)) or not en
    ]
    assert lacking == []
    # the Chinese says everything the English says, so a phrase cannot lose a figure in translation
    names = re.compile(r"\{(\w+)")
    assert [k for k, (zh, en) in WORDS.items() if not set(names.findall(en)) <= set(names.findall(zh))] == []


@pytest.mark.parametrize(
    "line, english",
    [
        ("baotou 2.0.0（内容哈希 6edecef5d0a012d5） 评估日期 2024-06-01", []),
        ("  规则：reward.excess_quota（主题 reward.excess_quota，对象 单位）", []),
        ("unit.kind == 'private_enterprise' and unit.staff >= 1", []),
        ("共 3 条 rules undecided", ["rules", "undecided"]),
        ("金额：8000 CNY per person", ["CNY", "per", "person"]),
    ],
)
def test_the_check_itself(line, english):
    assert english_words(line) == english
