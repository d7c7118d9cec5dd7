"""`policyrules check`: clean on shipped packs, and each finding code caught on a pack broken for it."""

import json
from pathlib import Path

import pytest

from policyrules.check.consistency import check_pack
from policyrules.interfaces.cli import main
from policyrules.pack.files import shipped_packs

CHECK = Path(__file__).parent / "fixtures" / "check"
SOURCES = CHECK / "sources"
FIXTURES = sorted(CHECK.glob("*.yaml"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_broken_fixture_is_caught(path):
    findings = check_pack(path, SOURCES)
    codes = {f.code for f in findings}
    assert path.stem in codes, f"expected {path.stem}, got {sorted(codes)}"
    for f in findings:
        assert f.file and f.message
        if f.code not in ("yaml", "schema", "never-set", "unused-derived", "unused-parameter"):
            assert f.line is not None, f


def test_every_code_has_a_fixture():
    from policyrules.check import consistency as check

    documented = set()
    for word in check.__doc__.replace(",", " ").replace("(", " ").split():
        if word.islower() and (
            "-" in word or word in check.ERRORS_ON_LOAD or word in ("unsatisfiable", "conflict", "overlap")
        ):
            documented.add(word.strip(".;"))
    assert documented <= {p.stem for p in FIXTURES}


def test_conflict_comes_with_a_concrete_case():
    (finding,) = [f for f in check_pack(CHECK / "conflict.yaml", SOURCES) if f.code == "conflict"]
    assert finding.case["place"]["district"] == "甲区" and finding.case["unit"]["staff"] >= 1


def test_overlap_names_both_rules_and_a_case():
    (finding,) = [f for f in check_pack(CHECK / "overlap.yaml", SOURCES) if f.code == "overlap"]
    assert finding.message.startswith("r.a 与 r.b 对这个案例都给予 reward.excess_quota")
    assert finding.said("en").startswith("r.a and r.b both give reward.excess_quota")
    assert finding.case["unit"]["staff"] >= 20
    # asked for in English, the message is the same as said afterwards
    (english,) = [f for f in check_pack(CHECK / "overlap.yaml", SOURCES, "en") if f.code == "overlap"]
    assert english.message == finding.said("en") and english.phrase == finding.phrase


@pytest.mark.parametrize("name", shipped_packs())
def test_shipped_packs_are_clean(name, sources):
    findings = check_pack(name, sources)
    assert findings == [], "\n".join(f"{f.code} {f.rule}: {f.message} {f.case or ''}" for f in findings)


def test_check_cli_json_and_exit_code(capsys):
    assert main(["check", str(CHECK / "unsatisfiable.yaml"), "--format", "json", "--sources", str(SOURCES)]) == 1
    (finding,) = json.loads(capsys.readouterr().out)
    assert finding["code"] == "unsatisfiable" and finding["severity"] == "error" and finding["line"] == 8


def test_coverage_reports_a_forgotten_clause(tmp_path, sources):
    from policyrules.check.coverage import coverage
    from policyrules.engine.loading import load_pack

    text = open(load_pack("baotou").source_path, encoding="utf-8").read()
    start = text.index("  - clause: 主要措施（十）3")
    end = text.index("  - clause: 三\n")
    path = tmp_path / "baotou.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    c = coverage(load_pack(path), sources)
    assert c.percent < 100
    (missing,) = c.unaccounted
    assert "3．市、县（区、旗）残联可通过购买服务" in missing and missing.startswith("第 73 行：")
    (missing,) = coverage(load_pack(path, "en"), sources).unaccounted
    assert missing.startswith("line 73: 3．市、县（区、旗）残联可通过购买服务")


def test_coverage_counts_a_title_entry_and_skips_an_external_one(sources):
    """jinan's title (cited by its validity) is anchored where the plan's title is printed; jilin's entry for
    its covering notice records a clause no source text holds, so it has no anchor and is not looked for."""
    from policyrules.check.coverage import coverage
    from policyrules.engine.loading import load_pack

    jinan = load_pack("jinan")
    title = next(e for e in jinan.spec.ledger if e.clause == "标题")
    assert title.not_computed is not None and title.not_computed.kind == "validity"
    c = coverage(jinan, sources)
    assert c.percent == 100 and c.clauses == len(jinan.spec.ledger) and c.anchor_problems == ()
    jilin = load_pack("jilin")
    notice = next(e for e in jilin.spec.ledger if e.clause == "吉政办发〔2025〕16号 通知")
    assert notice.anchor is None and notice.confidence
    c = coverage(jilin, sources)
    assert c.percent == 100 and c.anchor_problems == ()
