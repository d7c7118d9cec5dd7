"""What an analyst reads: quotes without stray spaces, figures without raw fact paths."""

import re

from policyrules.compare.describe import headline
from policyrules.engine.loading import load_pack
from policyrules.engine.model import quote_text
from policyrules.pack.files import shipped_packs

FACT_PATH = re.compile(r"\b(?:person|unit|place|hire|application)\.[a-z_]+")


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
        if (text := headline(pack, t)) and FACT_PATH.search(text)
    ]
    assert raw == []


def test_the_shanghai_training_cap_reads_as_a_figure():
    text = headline(load_pack("shanghai"), "training.vocational")
    assert "10000 CNY" in text and "本年度已享受免费技能培训金额" in text and "min(" not in text
