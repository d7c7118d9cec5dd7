"""check --across: the same words in two packs, encoded the same way, or the difference annotated."""

import textwrap

from policyrules.check.across import across, found_in
from policyrules.check.citations import sources_dir
from policyrules.engine.loading import load_pack
from policyrules.interfaces.cli import main
from policyrules.pack.files import shipped_packs

SENTENCE = "为残疾人参加招录（聘）考试提供合理便利，适当放宽开考比例、年龄、户籍等报名条件"


def _pack(tmp_path, id, rules, ledger, source):
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / f"{id}.txt").write_text(source, encoding="utf-8")
    text = textwrap.dedent(
        f"""\
        id: {id}
        version: "1.0.0"
        jurisdiction: {{name: 测试市, level: city}}
        document: {{number: 测试〔2023〕{len(id)}号, title: test, issuer: test, issued: "2023-01-01", source_file: {id}.txt}}
        validity:
          from: {{date: "2023-01-01", citation: {{clause: 一, quote: 一、}}}}
          until: {{no_end_stated: true}}
        """
    )
    text += "rules:" + (textwrap.indent(textwrap.dedent(rules), "  ") if rules else " []\n")
    text += "ledger:\n" + textwrap.indent(textwrap.dedent(ledger), "  ")
    path = tmp_path / f"{id}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


RULE = f"""
- id: recruitment.accommodation
  topic: recruitment.accommodation
  title: {{zh: 便利, en: accommodation}}
  when: "application.kind == 'public_sector_recruitment' and person.disability.certified"
  entitlement: {{to: person, summary: {{zh: 便利, en: accommodation}}}}
  citation: {{clause: 一, quote: {SENTENCE}}}
"""


def _encoding(tmp_path, when="application.kind == 'public_sector_recruitment' and person.disability.certified"):
    return _pack(
        tmp_path,
        "enc",
        RULE.replace("application.kind == 'public_sector_recruitment' and person.disability.certified", when),
        "- {clause: 一, anchor: 一、机关, summary: exams, rules: [recruitment.accommodation]}\n",
        f"一、机关、事业单位{SENTENCE}。\n",
    )


def test_a_rule_and_the_same_words_reasoned_out_elsewhere_are_reported_with_both_quotes(tmp_path):
    enc = _encoding(tmp_path)
    reasoned = _pack(
        tmp_path,
        "rsn",
        None,
        "- {clause: 一, anchor: 一、各单位, summary: exams, not_computed: {kind: department_duty, reason: no figure}}\n",
        f"一、各单位要{SENTENCE}。\n二、其他。\n",
    )
    (f,) = across([enc, reasoned], tmp_path / "src")
    assert f.code == "rule-vs-reasoned" and not f.annotated
    assert (f.a.pack, f.a.ref, f.b.pack, f.b.clause) == ("enc", "recruitment.accommodation", "rsn", "一")
    assert SENTENCE in f.a.text and SENTENCE in f.b.text


def test_an_annotation_on_either_side_explains_the_pair(tmp_path):
    enc = _encoding(tmp_path)
    reasoned = _pack(
        tmp_path,
        "rsn",
        None,
        "- clause: 一\n  anchor: 一、各单位\n  summary: exams\n"
        "  not_computed: {kind: department_duty, reason: no figure}\n"
        "  same_wording: [{pack: enc, clause: 一, why: here the exams are the units' own}]\n",
        f"一、各单位要{SENTENCE}。\n",
    )
    (f,) = across([enc, reasoned], tmp_path / "src")
    assert f.annotated


def test_rules_on_the_same_words_testing_different_groups_are_reported(tmp_path):
    enc = _encoding(tmp_path)
    other = _pack(
        tmp_path,
        "oth",
        RULE.replace("person.disability.certified", "person.disabled_relative"),
        "- {clause: 一, anchor: 一、机关, summary: exams, rules: [recruitment.accommodation]}\n",
        f"一、机关{SENTENCE}。\n",
    )
    (f,) = across([enc, other], tmp_path / "src")
    assert f.code == "different-groups"
    assert "person.disability.certified" in f.message and "person.disabled_relative" in f.message
    same = _pack(
        tmp_path,
        "sam",
        RULE,
        "- {clause: 一, anchor: 一、机关, summary: exams, rules: [recruitment.accommodation]}\n",
        f"一、机关{SENTENCE}。\n",
    )
    assert across([enc, same], tmp_path / "src") == []


def test_similarity_ignores_punctuation_width_and_whitespace():
    assert found_in("合理便利,适当放宽开考比例", "合理便利，适当\n放宽开考比例") == 1.0
    assert found_in("优先安排符合条件的残疾人", "低保渐退") == 0.0


def test_shipped_packs_have_no_unannotated_pair(sources):
    findings = across([load_pack(n) for n in shipped_packs()], sources)
    assert [f.message for f in findings if not f.annotated] == []


def test_cli_reports_and_fails_on_a_pair(tmp_path, capsys):
    enc = _encoding(tmp_path)
    _pack(
        tmp_path,
        "rsn",
        None,
        "- {clause: 一, anchor: 一、各单位, summary: exams, not_computed: {kind: department_duty, reason: no figure}}\n",
        f"一、各单位要{SENTENCE}。\n",
    )
    code = main(
        ["check", "--across", str(enc.source_path), str(tmp_path / "rsn.yaml"), "--sources", str(tmp_path / "src")]
    )
    out = capsys.readouterr().out
    assert code != 0 and "rule-vs-reasoned" in out and "1 对需要修正或说明" in out
    assert sources_dir() is None or main(["check", "--across"]) == 0


# ---- ledger reasons checked against the clause (check/ledger_reasons.py) -------------------

TOWNSHIPS = "一、2023年底全市每个乡镇（街道）至少打造1处“如康家园”，全市建成100处。\n"


def _ledger_pack(tmp_path, reason):
    return _pack(
        tmp_path,
        "led",
        None,
        f"- {{clause: 一, anchor: 一、2023年底, summary: homes, not_computed: {{kind: target, reason: '{reason}'}}}}\n",
        TOWNSHIPS,
    )


def test_a_per_township_minimum_called_a_target_is_a_finding(tmp_path):
    from policyrules.check.consistency import check

    pack = _ledger_pack(tmp_path, "a city-wide target")
    (f,) = [f for f in check(pack, tmp_path / "src") if f.code == "ledger-reason"]
    assert f.severity == "error" and "每个乡镇（街道）至少打造1" in f.message


def test_a_reason_that_quotes_the_words_and_says_why_is_accepted(tmp_path):
    from policyrules.check.consistency import check

    pack = _ledger_pack(tmp_path, "每个乡镇（街道）至少打造1处 is encoded nowhere because no township is a case here")
    assert [f for f in check(pack, tmp_path / "src") if f.code == "ledger-reason"] == []


def test_shipped_ledger_reasons_agree_with_their_clauses(sources):
    from policyrules.check.ledger_reasons import reason_problems

    assert [(n, p.clause) for n in shipped_packs() for p in reason_problems(load_pack(n), sources)] == []
