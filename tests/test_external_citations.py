"""Every citation names a clause a ledger records, external ones too (review D10); an external one's record
says how sure its wording is. Each case is one edit of a shipped pack, refused at the citation's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyrules.engine.loading import load_pack
from policyrules.errors import PackError

from .conftest import ROOT


def _edit(tmp_path: Path, pack: str, old: str, new: str, occurrence: int = 1) -> tuple[Path, int]:
    """The pack with the ``occurrence``-th ``old`` replaced, and the line of that replacement."""
    text = (ROOT / "rules" / f"{pack}.yaml").read_text(encoding="utf-8")
    at = -1
    for _ in range(occurrence):
        at = text.index(old, at + 1)
    path = tmp_path / f"{pack}.yaml"
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return path, text[:at].count("\n") + 1


FUND_EXEMPT = "      document: 财政部公告2023年第8号\n      clause: 二\n"

EDITS = [
    # (what, pack, text, replacement, which occurrence, words of the error)
    (
        "the review's reproducer: an external citation of a clause of the pack's own document that is not in it",
        "baotou",
        '    derive: {fact: fund_quota_ratio, value: "param.quota_ratio"}\n    citation:\n'
        "      clause: 主要措施·实施民营企业安排残疾人就业·2\n",
        '    derive: {fact: fund_quota_ratio, value: "param.quota_ratio"}\n    citation:\n'
        "      external: true\n      clause: 第九十九条\n",
        1,
        "clause '第九十九条' is cited but not in the ledger",
    ),
    (
        "a typo in an external clause path (四 for 二, a parameter's citation)",
        "national_fund",
        FUND_EXEMPT,
        "      document: 财政部公告2023年第8号\n      clause: 四\n",
        1,
        "clause '四' of 财政部公告2023年第8号 is cited but no ledger records it",
    ),
    (
        "the same typo in a rule's external citation",
        "national_fund",
        FUND_EXEMPT,
        "      document: 财政部公告2023年第8号\n      clause: 二、\n",
        2,
        "clause '二、' of 财政部公告2023年第8号 is cited but no ledger records it",
    ),
    (
        "a child citing a clause its parent records, with a typo",
        "jilin",
        "      document: 残疾人就业条例（国务院令第488号）\n      clause: 第八条\n",
        "      document: 残疾人就业条例（国务院令第488号）\n      clause: 第十八条\n",
        1,
        "clause '第十八条' of 残疾人就业条例（国务院令第488号） is cited but no ledger records it",
    ),
    (
        "the pack's own document number with a trailing space",
        "baotou",
        "    citation:\n      clause: 主要措施·实施民营企业安排残疾人就业·2\n",
        "    citation:\n      document: '包府办发〔2023〕43号 '\n      clause: 主要措施·实施民营企业安排残疾人就业·2\n",
        2,
        "of 包府办发〔2023〕43号  is cited but no ledger records it",
    ),
    (
        "an external citation without its clause",
        "national_fund",
        FUND_EXEMPT,
        "      document: 财政部公告2023年第8号\n      clause: ' '\n",
        1,
        "a citation names its clause",
    ),
    (
        "a validity citation naming a clause its ledger does not record (the title, misnamed)",
        "jinan",
        "      clause: 标题\n      quote: 济南市促进残疾人就业专项行动实施方案（2023—2024年）\n",
        "      clause: 题目\n      quote: 济南市促进残疾人就业专项行动实施方案（2023—2024年）\n",
        1,
        "clause '题目' is cited but not in the ledger",
    ),
    (
        "an external validity citation naming a clause no ledger records",
        "national_fund",
        "      clause: 附则\n",
        "      clause: 第二十九条\n",
        1,
        "clause '第二十九条' is cited but not in the ledger",
    ),
    (
        "an external validity citation of another document (the covering notice), misnamed",
        "jilin",
        "      document: 吉政办发〔2025〕16号\n      clause: 通知\n",
        "      document: 吉政办发〔2025〕16号\n      clause: 正文\n",
        1,
        "clause '正文' of 吉政办发〔2025〕16号 is cited but no ledger records it",
    ),
]


@pytest.mark.parametrize("what, pack, old, new, occurrence, words", EDITS, ids=[e[0] for e in EDITS])
def test_a_citation_no_ledger_records_is_refused_at_its_line(
    tmp_path: Path, what: str, pack: str, old: str, new: str, occurrence: int, words: str
) -> None:
    path, line = _edit(tmp_path, pack, old, new, occurrence)
    with pytest.raises(PackError) as error:
        load_pack(path)
    [problem] = error.value.problems
    assert words in problem.message, (what, str(error.value))
    within = range(line, line + new.count("\n") + 1)  # the lines of the edit
    assert problem.location.line in within, (what, str(error.value))


def test_an_external_citation_needs_its_records_confidence(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "national_fund.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if x.startswith("    confidence: high for the multiple (2)"))
    path = tmp_path / "national_fund.yaml"
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(path)
    messages = [p.message for p in error.value.problems]
    # the parameter and the rule citing 财税〔2018〕39号 一 are both refused, each at its own citation
    assert len(messages) == 2 and all("财税〔2018〕39号 一" in m and "gives no confidence" in m for m in messages)


def test_every_external_citation_of_the_shipped_packs_is_recorded() -> None:
    from policyrules.pack.files import shipped_packs

    for name in shipped_packs():
        load_pack(name)  # the check runs on load: every pack loads


def test_an_external_validity_citation_needs_its_records_confidence(tmp_path: Path) -> None:
    line = "    confidence: high for the date; the wording is as published copies print it, not checked against an official copy\n"
    path, _ = _edit(tmp_path, "national_fund", line, "")
    with pytest.raises(PackError) as error:
        load_pack(path)
    [problem] = error.value.problems
    assert "external citation of 财税〔2015〕72号 附则" in problem.message and "gives no confidence" in problem.message
    text = path.read_text(encoding="utf-8")
    assert problem.location.line == text[: text.index("      clause: 附则")].count("\n") + 1
