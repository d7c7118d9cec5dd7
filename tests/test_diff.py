"""Diffs and the comparison matrix, against what the texts say."""

import json
import re
from html.parser import HTMLParser

import pytest

import policyrules
from policyrules.compare.behaviour import behavioural_diff
from policyrules.compare.diffview import matrix_html
from policyrules.compare.matrix import matrix
from policyrules.engine.loading import load_pack
from policyrules.interfaces.cli import main
from policyrules.pack.files import shipped_packs

from .conftest import ROOT


@pytest.fixture(scope="module")
def jinan_baotou():
    return policyrules.diff("jinan", "baotou", lang="en")


def test_the_structural_diff_speaks_chinese_unless_asked_otherwise():
    t = policyrules.diff("jinan", "baotou").topic("reward.excess_quota")
    text = "\n".join(t.differences)
    assert "金额：8000元/人 × derived.excess_persons  对比  5个月 × 当地月最低工资标准元/人/年" in text
    assert "排除：无  对比  排除 reward.excess_quota：财政供养单位" in text
    assert not re.search(r"\b(CNY|per|month|vs|none)\b", text)


def test_excess_quota_reward_differs_in_amount_and_exclusions(jinan_baotou):
    t = jinan_baotou.topic("reward.excess_quota")
    assert t.status == "both"
    text = "\n".join(t.differences)
    assert "8000 CNY per person" in text
    assert "5 month * 当地月最低工资标准 CNY per person per year" in text
    assert "fiscally funded units" in text  # baotou's exclusion


def test_tobacco_spacing_exemption_vs_half_distance(jinan_baotou):
    t = jinan_baotou.topic("tobacco.retail_spacing")
    (jinan,) = [r for r in t.a if r.kind == "entitlement"]
    assert jinan.amount.startswith("no amount") and "零售点间距不受合理布局限制" in jinan.quote
    amounts = {r.amount for r in t.b if r.kind == "entitlement"}
    assert {"30 m", "25 m"} <= amounts


def test_lowbao_phase_out_range_vs_no_figure(jinan_baotou):
    t = jinan_baotou.topic("lowbao.phase_out")
    assert [r.amount for r in t.a] == ["6–12 month"]
    assert [r.amount for r in t.b] == ["no figure given"]
    assert jinan_baotou.topic("lowbao.labour_coefficient").status == "only_b"


def test_structural_diff_is_fast_enough_to_be_interactive(jinan_baotou):
    # 100 ms is the budget; benchmarks/diff.py prints the figure. Here: it finishes and is complete.
    assert len(jinan_baotou.topics) >= 20


def test_behavioural_diff_jinan_rizhao_finds_lowbao_and_dispatch():
    d = behavioural_diff(load_pack("jinan", "en"), load_pack("rizhao", "en"), cases=20000, seed=1)
    lowbao = d.topic("lowbao.phase_out")
    assert lowbao.differing > 0
    (example,) = [ex for ex in lowbao.examples if ex.a.status == "gives" and ex.b.status == "nothing"]
    assert example.a.outcomes[0].amount == "6–12 month"
    assert example.facts <= 4  # shrunk: only the facts that matter
    quota = d.topic("quota.public_sector")
    # Without an agreement rizhao still decides the quota when counting or not counting agree, so the
    # example may carry only the dispatched head count.
    dispatched = [ex for ex in quota.examples if "dispatch" in json.dumps([ex.case, ex.a.missing, ex.b.missing])]
    assert dispatched, "the dispatch counting rule changes rizhao's quota result"


def test_behavioural_diff_is_deterministic():
    a, b = load_pack("jinan", "en"), load_pack("baotou", "en")
    one = behavioural_diff(a, b, cases=3000, seed=7, topics=["reward.excess_quota"])
    two = behavioural_diff(a, b, cases=3000, seed=7, topics=["reward.excess_quota"])
    assert one == two
    gives = [ex for ex in one.topic("reward.excess_quota").examples if ex.a.status == ex.b.status == "gives"]
    (ex,) = gives
    assert ex.a.outcomes[0].amount.startswith("8000 CNY per person")
    assert "5 month" in ex.b.outcomes[0].amount or "quantity(5, 'month')" in ex.b.outcomes[0].amount


def test_behavioural_diff_on_a_users_csv(tmp_path, capsys):
    csv = tmp_path / "cases.csv"
    csv.write_text(
        "unit.staff,unit.disabled_employees,unit.fiscally_funded,unit.is_concentrated_employment_unit,"
        "unit.meets_excess_quota_reward_conditions,place.monthly_minimum_wage\n"
        "200,6,false,false,true,1980\n100,1,false,false,true,1980\n",
        encoding="utf-8",
    )
    assert (
        main(["diff", "jinan", "baotou", "--case-file", str(csv), "--topic", "reward.excess_quota", "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    (topic,) = data["topics"]
    assert topic["compared"] == 2 and topic["differing"] == 1
    (ex,) = topic["examples"]
    assert "24000" in ex["a"]["outcomes"][0]["amount"] and "29700" in ex["b"]["outcomes"][0]["amount"]


def test_diff_formats(capsys):
    for fmt in ("json", "markdown", "html"):
        assert main(["diff", "jinan", "baotou", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "reward.excess_quota" in out


def test_matrix_cells():
    m = matrix([load_pack(n) for n in shipped_packs()])
    assert m.cell("reward.excess_quota", "jinan").text == "8000元/人 × 超过按比例应安排人数的残疾职工整数人数"
    assert (m.cell("lowbao.phase_out", "rizhao").kind, m.cell("lowbao.phase_out", "rizhao").text) == ("none", "—")
    nofig = m.cell("lowbao.phase_out", "shanghai")
    assert (nofig.kind, nofig.text) == ("no_figure", "未给出数额")
    assert m.cell("lowbao.phase_out", "fujian").text.startswith("6–12个月")
    english = matrix([load_pack(n, "en") for n in ("jinan", "shanghai", "fujian")])
    assert (
        english.cell("reward.excess_quota", "jinan").text
        == "8000 CNY per person × whole disabled employees beyond the quota"
    )
    assert english.cell("lowbao.phase_out", "shanghai").text == "no figure given"
    assert english.cell("lowbao.phase_out", "fujian").text.startswith("6–12 month")
    src = m.cell("reward.excess_quota", "baotou").sources[0]
    assert src.clause == "主要措施·实施民营企业安排残疾人就业·2" and "每超额安排1名残疾人" in src.quote


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.hrefs, self.ids, self.external = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a:
                (self.hrefs if a[key].startswith("#") else self.external).append(a[key])


def test_comparison_html_is_self_contained_and_linked():
    page = (ROOT / "docs" / "comparison.html").read_text(encoding="utf-8")
    assert page == matrix_html(matrix([load_pack(n) for n in shipped_packs()]))
    parser = _Collector()
    parser.feed(page)
    assert parser.external == []  # no network: no external links, scripts or styles
    assert 'name="viewport"' in page  # readable on a phone
    assert parser.hrefs and all(h[1:] in parser.ids for h in parser.hrefs)
    assert "script" not in parser.tags


def test_each_document_entry_names_number_issuer_date_and_source_file():
    """The packs record no web address for their texts, so a document link leads to what identifies the text."""
    page = (ROOT / "docs" / "comparison.html").read_text(encoding="utf-8")
    entries = dict(re.findall(r'<dt id="(doc-[a-z0-9-]+)">(.*?)</dd>', page, re.S))
    assert set(entries) == {f"doc-{p.replace('_', '-')}" for p in shipped_packs()}
    baotou = entries["doc-baotou"]
    for part in ("包府办发〔2023〕43号", "包头市人民政府办公室", "2023-03-23", "原文文件 baotou-2023.txt", "baotou"):
        assert part in baotou, part
    assert "无原文文件（引文未经核对）" in entries["doc-national-2025"]  # no source file: said, not hidden
    assert "http" not in page  # no invented addresses
    # every heading links to its entry, and each quoted document that is one of ours links there too
    assert all(f'href="#{anchor}"' in page for anchor in entries)
    assert page.count('class="back" href="#matrix"') > len(entries)


def test_one_side_undecided_is_not_no_difference(tmp_path, capsys):
    """Baotou pays 29700; jinan cannot decide without unit.meets_excess_quota_reward_conditions."""
    csv = tmp_path / "cases.csv"
    csv.write_text(
        "unit.kind,unit.staff,unit.disabled_employees,unit.fiscally_funded,unit.is_concentrated_employment_unit,"
        "place.monthly_minimum_wage\nprivate_enterprise,200,6,false,false,1980\nprivate_enterprise,100,1,false,false,1980\n",
        encoding="utf-8",
    )
    args = ["diff", "baotou", "jinan", "--case-file", str(csv), "--topic", "reward.excess_quota"]
    assert main([*args, "--format", "json"]) == 0
    (topic,) = json.loads(capsys.readouterr().out)["topics"]
    assert (topic["differing"], topic["a_only"], topic["b_only"], topic["compared"]) == (0, 1, 0, 2)
    (ex,) = topic["examples"]
    assert ex["a"]["status"] == "gives" and "29700" in ex["a"]["outcomes"][0]["amount"]
    assert ex["b"]["status"] == "undecided" and "unit.meets_excess_quota_reward_conditions" in ex["b"]["missing"]
    assert ex["case"]["unit"]["staff"] == 200  # a user's case is shown as given
    assert main([*args, "--format", "markdown"]) == 0
    text = capsys.readouterr().out
    assert "1 个仅 baotou 能判断" in text and "无法判断：缺少" in text and "无差异" not in text
    assert main([*args, "--format", "markdown", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "1 only baotou decides" in text and "cannot decide: missing" in text and "no difference" not in text


def test_diff_requests_that_make_no_sense_are_errors(capsys):
    assert main(["diff", "baotou", "jinan", "--topic", "reward.excess_qota", "--cases", "10"]) == 2
    assert "did you mean reward.excess_quota" in capsys.readouterr().err
    assert main(["diff", "baotou", "jinan", "--topic", "nosuch"]) == 2
    with pytest.raises(SystemExit) as exit_:
        main(["diff", "baotou", "jinan", "--cases", "0"])
    assert exit_.value.code == 2 and "至少需要 1 个案例" in capsys.readouterr().err
    assert main(["diff", "baotou", "jinan", "--seed", "3"]) == 2


def test_counts_on_columns_equal_the_scalar_engine_case_by_case():
    from policyrules.compare.behaviour import _Case, _facts, default_dates, generate_columns

    a, b = load_pack("jinan"), load_pack("baotou")
    topics = ["reward.excess_quota", "lowbao.phase_out", "startup.subsidy", "quota.public_sector"]
    d = behavioural_diff(a, b, cases=1500, seed=4, topics=topics)
    facts = sorted(
        {
            p
            for pack in (a, b)
            for p in pack.inputs_of(list(pack.rules))
            if "." in p and not p.startswith(("derived.", "param."))
        }
    )
    columns = generate_columns(facts, [a, b], 1500, "4")
    days = default_dates(a, b)
    for name in topics:
        case = _Case(name, (a, b), days)
        counts = {"differing": 0, "a_only": 0, "b_only": 0}
        for i in range(1500):
            row = {p: columns[p][i] for p in facts}
            assert _facts(row, days[0]) is not None  # generated cases are valid cases
            sa, sb = case.signature(0, row), case.signature(1, row)
            if sa is not None and sb is not None and sa != sb:
                counts["differing"] += 1
            elif sa is not None and sb is None:
                counts["a_only"] += 1
            elif sa is None and sb is not None:
                counts["b_only"] += 1
        t = d.topic(name)
        assert counts == {"differing": t.differing, "a_only": t.a_only, "b_only": t.b_only}, name


def test_the_minimal_counterexample_is_small_and_plausible():
    d = behavioural_diff(load_pack("jinan"), load_pack("baotou"), cases=20000, seed=1, topics=["reward.excess_quota"])
    (ex,) = [e for e in d.topic("reward.excess_quota").examples if e.a.status == e.b.status == "gives"]
    unit = ex.case["unit"]
    # 8000 a person (jinan) against 5 months of the minimum wage (baotou): one person beyond the quota shows it
    assert unit["staff"] == 200 and unit["disabled_employees"] == 4  # quota 3, one beyond: not 200 of 200
    assert ex.facts <= 6


def test_structural_diff_marks_inherited_and_external_rules(capsys):
    assert main(["diff", "shanghai", "national_2025", "--format", "markdown"]) == 0
    assert "[继承自 national_2025" in capsys.readouterr().out
    assert main(["diff", "shanghai", "national_2025", "--format", "markdown", "--lang", "en"]) == 0
    assert "[inherited from national_2025" in capsys.readouterr().out


def test_the_behavioural_diff_shows_progress_on_a_terminal_and_nothing_on_a_pipe(monkeypatch, capsys):
    import io

    from rich.console import Console

    from policyrules.interfaces import output
    from policyrules.interfaces.cli import compare

    monkeypatch.delenv("CI", raising=False)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    argv = ["diff", "jinan", "rizhao", "--cases", "300", "--seed", "1", "--topic", "reward.excess_quota"]
    monkeypatch.setattr("policyrules.interfaces.cli.make_console", lambda: terminal)
    assert main(argv) == 0
    drawn = screen.getvalue()
    assert "comparing jinan and rizhao" in drawn and "3/3" in drawn  # each pack evaluated, then the one topic
    # JSON goes to standard output untouched; the bar, if anywhere, to standard error
    monkeypatch.setattr(compare, "make_console", lambda stream=None: output.make_console(stream))
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["topics"][0]["topic"] == "reward.excess_quota"
    assert captured.err == ""  # standard error is a pipe here: no bar
    piped = io.StringIO()
    monkeypatch.setattr("policyrules.interfaces.cli.make_console", lambda: output.make_console(piped))
    assert main(argv) == 0
    assert "comparing jinan" not in piped.getvalue() and "3/3" not in piped.getvalue()
