"""Every command speaks Chinese unless --lang en is given: no heading, label or message is English only.

Each command of the CLI runs once in the default language; what it prints may hold ids, fact paths,
numbers, file names, 文号, quotes, options and the expression language, but no English word. A command
added without a run here fails the first test, so nothing new escapes the check. The same holds for the
--help of every command (and argparse's own words and errors), for every finding `check` can report once
a pack loads, and for explain's trace with arithmetic errors in it.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

import pytest

from policyrules.check.consistency import ERRORS_ON_LOAD
from policyrules.engine.words import CLI_ZH, WORDS
from policyrules.expr.parser import FUNCTIONS
from policyrules.interfaces.cli import build_parser, main
from policyrules.pack.files import shipped_packs

from .conftest import ROOT

EMPLOYER = str(ROOT / "examples" / "baotou-employer.yaml")
CHECK = ROOT / "tests" / "fixtures" / "check"
# a pack broken for each finding check reports, the reader's load errors included
FINDINGS = [str(p) for p in sorted(CHECK.glob("*.yaml"))]
ARITHMETIC = str(ROOT / "tests" / "fixtures" / "arithmetic.yaml")
CASES_CSV = (
    "unit.kind,unit.staff,unit.disabled_employees,unit.fiscally_funded,unit.is_concentrated_employment_unit,"
    "place.monthly_minimum_wage\nprivate_enterprise,200,6,false,false,1980\nprivate_enterprise,100,1,false,false,1980\n"
    # rows batch hands to the scalar engine, each for its reason: a count past the columns' exact range, a figure
    # finer than a fen
    "private_enterprise,1000000000000000,100000000000000,false,false,1980\nprivate_enterprise,200,6,false,false,1980.125\n"
)

# Each command's runs in the default language (text output: what a person reads). "{tmp}" is a scratch folder.
RUNS: dict[str, list[list[str]]] = {
    "list": [["list"]],
    "validate": [["validate", "baotou", "shanghai"]],
    # a small clean pack, then one pack broken for each finding (checking a shipped one takes seconds)
    "check": [
        ["check", "{tmp}/clean.yaml"],
        ["check", *FINDINGS, "--sources", str(CHECK / "sources")],
        ["check", "--across", "jinan", "liaocheng"],
    ],
    "coverage": [["coverage", "baotou", "jinan"]],
    "evaluate": [
        ["evaluate", "baotou", EMPLOYER, "--as-of", "2024-06-01", "--all"],
        ["evaluate", "baotou", EMPLOYER, "--as-of", "2026-06-01"],
        ["evaluate", "jilin", "example:jilin-agency", "--as-of", "2026-06-01", "--format", "markdown"],
        ["evaluate", "baotou", "example:national_fund-employer", "--as-of", "2024-06-01"],
    ],
    "explain": [
        ["explain", "baotou", EMPLOYER, "--as-of", "2024-06-01"],
        ["explain", "baotou", "{tmp}/unit.yaml", "reward.excess_quota", "--as-of", "2024-06-01"],
        # a division by zero, a negative amount and an inverted range: each rule's error, in words
        ["explain", ARITHMETIC, "{tmp}/zero.yaml", "--as-of", "2024-06-01"],
        ["explain", ARITHMETIC, "{tmp}/zero.yaml", "grant.negative", "--as-of", "2024-06-01"],
        ["evaluate", ARITHMETIC, "{tmp}/zero.yaml", "--as-of", "2024-06-01"],
    ],
    "test": [
        ["test", str(ROOT / "rules" / "cases" / "baotou")],  # -v adds the cases' own names (data)
        # a case expected otherwise in every way a test can expect
        ["test", str(ROOT / "tests" / "fixtures" / "failing_cases.yaml")],
    ],
    "diff": [
        ["diff", "shanghai", "national_2025"],
        ["diff", "baotou", "jinan", "--format", "markdown"],
        ["diff", "baotou", "jinan", "--cases", "400", "--topic", "reward.excess_quota"],
        ["diff", "baotou", "jinan", "--case-file", "{tmp}/cases.csv", "--format", "markdown"],
    ],
    "matrix": [["matrix", "baotou", "jinan", "shanghai"], ["matrix", "baotou", "fujian", "--format", "markdown"]],
    "docs": [["docs", "--dir", "{tmp}/docs", "--check"]],
    "schema": [],  # JSON Schema: machine output, no prose
    "compliance": [["compliance", "baotou", "example:national_fund-employer"]],
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
    r"|\b[a-z]+(?:-[a-z]+)+\b"  # a finding's code (always-true)
)
_NAMES = {
    *shipped_packs(),
    *("and", "or", "not", "if", "else", "true", "false", "in"),  # the expression language
    *FUNCTIONS,
    *("policyrules", "OpenAPI", "Parquet", "CSV", "JSON"),
    *("vs",),  # in "baotou vs jinan": a mark, as in 比较 A vs B
    *("conflict", "overlap", "unsatisfiable", *ERRORS_ON_LOAD),  # a finding's code (the others have a hyphen)
    *("alongside", "precedence", "external", "questions"),  # keys of a pack or test file, named as written
}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


_JSON = re.compile(r"\{[^{}]*\}")


def _pack_prose() -> list[str]:
    """What pack authors wrote as plain prose (interpretation notes): data, like quotes."""
    from policyrules.engine.loading import load_pack

    texts = set()
    for name in shipped_packs():
        pack = load_pack(name)
        for rule in pack.rules:
            texts.update(rule.notes)
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
    (tmp_path / "unit.yaml").write_text("unit: {kind: private_enterprise}\n", encoding="utf-8")
    (tmp_path / "zero.yaml").write_text("unit: {kind: private_enterprise, staff: 100, disabled_employees: 0}\n")
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


def _every_parser(lang: str = "zh") -> dict[str, argparse.ArgumentParser]:
    parser = build_parser(lang)  # type: ignore[arg-type]
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    return {"": parser, **commands}


def _help_texts(lang: str) -> set[str]:
    return {
        text
        for p in _every_parser(lang).values()
        for text in [p.description, *(a.help for a in p._actions)]
        if text and text != argparse.SUPPRESS
    }


# In --help, besides what any output may hold: the values an option takes (they are typed as printed),
# and the names of formats, standards and tools.
_HELP_NAMES = {
    *(str(c) for p in _every_parser().values() for a in p._actions if a.choices for c in a.choices),
    *("YAML", "Schema", "HTTP", "API", "Accept", "Language", "Dask", "Markdown", "Parquet"),
}
_SYNTAX = re.compile(r"\b(?:example|local):")  # example:NAME, local:N


def help_english(text: str) -> list[str]:
    return [w for w in english_words(_SYNTAX.sub(" ", text)) if w not in _HELP_NAMES]


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("command", sorted(_every_parser()))
def test_help_is_chinese_unless_asked_in_english(command, capsys):
    argv = [command, "--help"] if command else ["--help"]
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "用法：policyrules" in text and "显示本帮助并退出" in text and "\n选项：\n" in text
    assert [line for line in text.splitlines() if help_english(line)] == []
    # each option's help starts in one column of the terminal, however wide its Chinese placeholder
    starts = [re.match(r"  \S.*?\s{2,}(?=\S)", line) for line in text.splitlines()]
    assert len({_columns(m.group(0)) for m in starts if m}) == 1
    # --lang en anywhere on the line, as before --help
    for english in ([*argv, "--lang", "en"], ["--lang=en", *argv]):
        with pytest.raises(SystemExit):
            main(english)
        text = capsys.readouterr().out
        assert text.startswith("usage: policyrules") and "show this help message and exit" in text


@pytest.mark.parametrize(
    "argv, said",
    [
        (["evaluate"], "policyrules evaluate：错误：缺少必需的参数：规则包, 案例"),
        (["evaluate", "baotou", EMPLOYER, "--format", "yaml"], "参数 --format：无效的选择：'yaml'（可选："),
        (["diff", "baotou", "jinan", "--cases", "many"], "参数 --cases：应为整数，实际为 'many'"),
        (["diff", "baotou", "jinan", "--cases", "0"], "参数 --cases：至少需要 1 个案例，实际为 0"),
        (["list", "--frmat", "json"], "无法识别的参数：--frmat json"),
        (["serve", "--port", "http"], "参数 --port：无效的值：'http'"),
        ([], "缺少必需的参数：命令"),
    ],
)
def test_a_usage_error_is_said_in_chinese(argv, said, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert said in err and err.startswith("用法：") and help_english(err) == []
    with pytest.raises(SystemExit):
        main([*argv, "--lang", "en"])
    assert "error: " in capsys.readouterr().err


def test_every_help_text_has_its_chinese_with_the_same_fields():
    fields = re.compile(r"%\((\w+)\)")
    assert [k for k, zh in CLI_ZH.items() if not set(fields.findall(zh)) <= set(fields.findall(k))] == []
    # the help texts as written (English) are the keys: each has its Chinese, and that is what --help says
    english = _help_texts("en")
    assert english - set(CLI_ZH) == set() and _help_texts("zh") == {CLI_ZH[t] for t in english}


def test_the_findings_are_data_said_in_either_language():
    from policyrules.check.consistency import check_pack

    for path in FINDINGS:
        for zh, en in zip(check_pack(path, CHECK / "sources"), check_pack(path, CHECK / "sources", "en")):
            assert zh.phrase == en.phrase and zh.said("en") == en.message and en.said("zh") == zh.message
            assert english_words(zh.message) == [] and english_words(en.message), en.message


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


# ── input errors: what someone who mistyped reads, in the default language ──────────────────────────
_NAMES.update({"YAML", "UTF", "ASCII", "YYYY", "MM", "DD"})  # names of formats, as JSON and CSV are
_ARGUMENT = re.compile(r"\bexample:[\w-]+|\b\w+=")  # a shipped example's name, a Python keyword argument

_EXPRESSION_PACK = (ROOT / "tests" / "fixtures" / "bad_expression.yaml").read_text(encoding="utf-8")
BAD_INPUTS: dict[str, tuple[str, str, list[str]]] = {
    # name: (file written to {tmp}, its text, the command)
    "yaml syntax": ("case.yaml", "unit:\n  staff: [1\n", ["evaluate", "baotou", "{file}", "--as-of", "2024-06-01"]),
    "duplicate key": ("case.yaml", "unit:\n  staff: 1\n  staff: 2\n", ["explain", "baotou", "{file}"]),
    "json": ("case.json", '{"unit": {"staff": }}', ["evaluate", "baotou", "{file}"]),
    "schema": (
        "case.yaml",
        "unit:\n  staff: -3\n  kind: martian\n  fiscally_funded: maybe\n",
        ["evaluate", "baotou", "{file}"],
    ),
    "case value": (
        "case.yaml",
        "place:\n  monthly_minimum_wage: abc\nhire:\n  start_date: 2024-02-30\n",
        ["evaluate", "baotou", "{file}"],
    ),
    "unknown fact": ("case.yaml", "unit:\n  staf: 3\n", ["evaluate", "baotou", "{file}"]),
    "expression": (
        "pack.yaml",
        _EXPRESSION_PACK.replace("unit.establishment_size", "unit.establishment_siz"),
        ["validate", "{file}"],
    ),
    "bad date": ("-", "", ["evaluate", "baotou", EMPLOYER, "--as-of", "2024/06/01"]),
    "unknown pack": ("-", "", ["evaluate", "baotuo", EMPLOYER]),
    "unknown example": ("-", "", ["evaluate", "baotou", "example:baotou"]),
    "unknown topic": ("-", "", ["diff", "baotou", "jinan", "--cases", "10", "--topic", "reward.excess_quot"]),
    "table": (
        "cases.csv",
        "unit.staf,unit.kind\n10,private_enterprise\n",
        ["batch", "baotou", "{file}", "-o", "{tmp}/out.parquet", "--as-of", "2024-06-01"],
    ),
    "table value": (
        "cases.csv",
        "unit.staff,unit.kind\nmany,private_enterprise\n",
        ["batch", "baotou", "{file}", "-o", "{tmp}/out.parquet", "--as-of", "2024-06-01"],
    ),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_an_input_error_in_the_default_language_prints_no_english(name, tmp_path: Path, capsys):
    file, text, argv = BAD_INPUTS[name]
    if file.endswith(".csv"):
        pytest.importorskip("pyarrow")
    path = tmp_path / file
    if text:
        path.write_text(text, encoding="utf-8")
    argv = [a.replace("{file}", str(path)).replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) in (1, 2)  # validate says a pack that does not load is a finding (1)
    err = _ARGUMENT.sub(" ", capsys.readouterr().err)
    # the file's own lines, echoed under a location with a caret, are the user's data
    echoed = {line.strip() for line in text.splitlines()}
    lines = [line for line in err.splitlines() if line.strip() not in echoed and set(line.strip()) != {"^"}]
    assert lines and [line for line in lines if english_words(line)] == []
    assert main([*argv, "--lang", "en"]) in (1, 2)
    assert english_words(capsys.readouterr().err), f"{name} --lang en printed no English"
