"""What an analyst reads: quotes without stray spaces, figures without raw fact paths."""

import re
from datetime import date

from policyrules.compare.describe import headline
from policyrules.compare.matrix import matrix
from policyrules.compare.structural import structural_diff
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.engine.model import quote_text
from policyrules.engine.words import format_amount_plain
from policyrules.facts.case import Case
from policyrules.interfaces.listing import pack_summary
from policyrules.pack.files import shipped_packs

FACT_PATH = re.compile(r"\b(?:person|unit|place|hire|application|derived|param)\.[a-z_]+")


def test_a_folded_quote_has_no_space_between_chinese_characters():
    assert quote_text("增值税办法，\n限额按照经省政府批准的月最低工资标准的4倍确定") == (
        "增值税办法，限额按照经省政府批准的月最低工资标准的4倍确定"
    )
    assert quote_text("不能参评先进单位， 其主要负责同志") == "不能参评先进单位，其主要负责同志"


def test_shipped_quotes_read_as_printed():
    spaced = [
        (p, r.id)
        for p in shipped_packs()
        for r in load_pack(p).rules
        if re.search(
            r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\s|\s[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", r.citation.quote
        )
    ]
    assert spaced == []


def test_matrix_figures_name_facts_in_words_not_paths():
    packs = [load_pack(p) for p in shipped_packs()]
    raw = [
        (pack.id, t, text)
        for pack in packs
        for t in {r.topic for r in pack.rules}
        if (text := headline(pack, t)[1]) and (FACT_PATH.search(text) or "ceil(" in text)
    ]
    assert raw == []


def test_the_shanghai_training_cap_reads_as_a_figure():
    kind, text = headline(load_pack("shanghai"), "training.vocational")
    assert kind == "figure" and "最高10000元" in text and "本年度已享受免费技能培训金额" in text and "min(" not in text


def test_the_matrix_shows_an_age_limit_the_text_gives_and_none_it_does_not():
    # jilin 二（三）6 放寬年齡至65周歲 states the age; shanghai （六） 適當放寬…年齡限制 gives none.
    m = matrix([load_pack("jilin"), load_pack("shanghai")])
    assert m.cell("rural.assistance_age_limit", "jilin").text == "年龄 ≤ 65"
    assert m.cell("rural.assistance_age_limit", "shanghai").text == "未给出数额"
    english = matrix([load_pack("jilin", "en"), load_pack("shanghai", "en")])
    assert english.cell("rural.assistance_age_limit", "shanghai").text == "no figure given"


def test_a_start_date_that_is_a_lower_bound_says_so_in_list_diff_and_matrix():
    # shanghai and fujian: the digest prints no issue date; jilin's is the notice's date.
    packs = {p: load_pack(p, "en") for p in ("shanghai", "fujian", "jilin")}
    m = matrix(list(packs.values()))
    d = structural_diff(packs["shanghai"], packs["jilin"])
    guessed = {
        "list": [pack_summary(packs[p]).period for p in ("shanghai", "fujian")],
        "matrix": [c.validity for c in m.columns if c.pack in ("shanghai", "fujian")],
        "diff": [d.a.validity],
    }
    assert all(t.startswith("from no earlier than 2025-06-25") for ts in guessed.values() for t in ts), guessed
    stated = [pack_summary(packs["jilin"]).period, d.b.validity, m.columns[2].validity]
    assert stated == ["from 2025-11-24 (no end stated)"] * 3
    chinese = {p: load_pack(p) for p in ("shanghai", "jilin")}
    said = [pack_summary(chinese["shanghai"]).period, structural_diff(chinese["shanghai"], chinese["jilin"]).a.validity]
    assert said == ["不早于2025-06-25起至2027-12-31"] * 2


def _jinan_employer_and_business():
    pack = load_pack("jinan")
    case = Case.model_validate(
        {
            "person": {
                "disability": {"category": "physical", "grade": 3, "certified": True},
                "business": {"kind": "individual_business", "pension_medical_due_min_base": 9000},
            },
            "unit": {
                "kind": "private_enterprise",
                "staff": 300,
                "disabled_employees": 9,
                "meets_vat_refund_conditions": True,
            },
            "place": {"monthly_minimum_wage": 2100},
        }
    )
    return evaluate(pack, case, date(2024, 6, 1))


def test_a_cap_paid_per_person_gives_its_total_cap_not_a_question_mark():
    vat = _jinan_employer_and_business().outcome("tax.vat_refund")
    assert vat is not None and vat.amount is not None
    assert format_amount_plain(vat.amount, "en") == "up to 8400 CNY/month per person × 9 person = up to 75600 CNY/month"
    assert "= 最高 75600" in format_amount_plain(vat.amount, "zh")


def test_a_count_not_given_is_named_with_the_formula_and_no_total():
    from policyrules.engine.result import AmountOut

    a = AmountOut(
        kind="cap",
        unit="CNY/month",
        per=["person"],
        cap=8400,
        expression="≤ 4 * place.monthly_minimum_wage",
        count_expression="unit.disabled_employees",
        missing=["unit.disabled_employees"],
    )
    en, zh = format_amount_plain(a, "en"), format_amount_plain(a, "zh")
    assert en.startswith(
        "up to 8400 CNY/month per person × disabled people employed, as counted for the quota = no figure given"
    )
    assert "× 安排残疾人就业人数 = 无法给出总额" in zh
    assert "?" not in en + zh


def test_a_share_names_its_base_in_words_not_as_a_fact_path():
    share = _jinan_employer_and_business().outcome("startup.individual_business_insurance")
    assert share is not None and share.amount is not None
    for lang in ("en", "zh"):
        text = format_amount_plain(share.amount, lang)
        assert text.startswith("5400") and "60% × " in text and not FACT_PATH.search(text), text
    assert "按个体经济组织从业人员最低缴费标准应缴基本养老、基本医疗保险" in format_amount_plain(share.amount, "zh")


def test_a_formula_is_said_in_words_not_as_an_expression():
    # baotou's reward, 5 × 当地月最低工资标准, as results and the behavioural diff print it
    from policyrules.engine.result import AmountOut

    formula = "quantity(5, 'month') * place.monthly_minimum_wage"
    a = AmountOut(kind="formula", unit="CNY", per=["person", "year"], expression=formula)
    assert format_amount_plain(a, "zh").endswith("（= 5个月 × 当地月最低工资标准）")
    assert format_amount_plain(a, "en").endswith("= 5 month * local monthly minimum wage")
    assert a.expression == formula  # the data keeps the expression
