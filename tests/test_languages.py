"""Chinese first, English second: every shipped text exists in both; quotes stay as printed."""

import re

import pytest

import policyrules
from policyrules.errors import PackError
from policyrules.pack.files import read_pack_document, rules_dir
from policyrules.pack.schema import PackSpec
from policyrules.pack.topics import load_topics
from policyrules.types import lang_from_accept_language

from .conftest import BAOTOU_EMPLOYER as EMPLOYER

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2}")


def _texts(spec: PackSpec):
    for name, decl in spec.derived.items():
        yield f"derived.{name}.description", decl.description
    for rule in spec.rules:
        yield f"{rule.id}.title", rule.title
        outcome = rule.entitlement or rule.obligation or rule.sanction or rule.exclusion
        if outcome is not None:
            yield f"{rule.id}.summary", outcome.summary
        amount = getattr(outcome, "amount", None)
        if amount is not None and amount.reference is not None:
            yield f"{rule.id}.amount.reference", amount.reference


@pytest.mark.parametrize("name", policyrules.shipped_packs())
def test_every_text_of_a_shipped_pack_is_in_chinese_and_english(name):
    spec = PackSpec.model_validate(read_pack_document(rules_dir() / f"{name}.yaml").data)
    texts = list(_texts(spec))
    assert len(texts) >= len(spec.rules)
    not_chinese = [where for where, t in texts if not HAN.search(t.zh)]
    not_english = [where for where, t in texts if not LATIN.search(t.en)]
    assert not not_chinese and not not_english, (not_chinese, not_english)


@pytest.mark.parametrize("name", policyrules.shipped_packs())
def test_where_a_figure_is_set_is_said_in_the_result_s_language(name):
    """A no-figure amount's reference follows the language, parents' rules included: no English in Chinese."""
    from policyrules.engine.loading import load_pack

    zh, en = load_pack(name), load_pack(name, lang="en")
    said = {
        r.id: (r.amount.reference, e.amount.reference)
        for r, e in zip(zh.rules, en.rules)
        if r.amount is not None and e.amount is not None and r.amount.reference is not None
    }
    assert all(LATIN.search(e) and HAN.search(z) and not LATIN.search(z) for z, e in said.values()), said
    if name in ("rizhao", "fujian", "jilin"):  # the credit measures, the fund's tiers, the provincial reward
        assert said


def test_every_topic_label_is_in_chinese_and_english():
    topics = load_topics(rules_dir() / "topics.yaml")
    assert [n for n, t in topics.items() if not HAN.search(t.label.zh) or not LATIN.search(t.label.en)] == []


@pytest.mark.parametrize(
    "title, lacking",
    [
        ("Reward per excess person", "zh (Simplified Chinese)"),
        ("超比例奖励", "en (English)"),
        ("{zh: 超比例奖励}", "en (English)"),
        ("{en: Reward, zh: ''}", "zh (Simplified Chinese)"),
    ],
)
def test_a_rule_lacking_a_language_is_a_load_error_naming_it(tmp_path, title, lacking):
    text = (rules_dir() / "baotou.yaml").read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^    title: \{zh: 按比例应安排的残疾人数, en: [^}]*\}$", f"    title: {title}", text)
    assert n == 1
    path = tmp_path / "baotou.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as exc:
        policyrules.load_pack(path)
    (problem,) = exc.value.problems
    assert lacking in problem.message and problem.location.line is not None
    assert text.splitlines()[problem.location.line - 1].strip().startswith("title:")


def test_results_default_to_chinese_and_english_is_a_choice():
    pack = policyrules.load_pack("baotou")
    zh = pack.evaluate(EMPLOYER, as_of="2024-06-01")
    en = pack.evaluate(EMPLOYER, as_of="2024-06-01", lang="en")
    rz, re_ = zh.outcome("reward.excess_quota"), en.outcome("reward.excess_quota")
    assert rz is not None and re_ is not None
    assert (zh.lang, en.lang) == ("zh", "en")
    assert rz.title == "每超比例安排1名残疾人每年奖励当地月最低工资标准的5倍"
    assert re_.title == "Reward of 5 × monthly minimum wage per excess disabled employee per year"
    assert HAN.search(rz.summary) and not HAN.search(re_.summary)
    # the quote is the document's, whatever the language
    assert rz.citation == re_.citation and rz.citation.quote.startswith("每超额安排1名残疾人")
    assert rz.amount == re_.amount and rz.amount is not None and rz.amount.total == 29700
    assert policyrules.load_pack("baotou", lang="en").evaluate(EMPLOYER, as_of="2024-06-01") == en


def test_inherited_rules_follow_the_language():
    jilin = policyrules.load_pack("jilin")
    inherited = [r for r in jilin.rules if r.pack_id == "national_2025"]
    assert inherited and all(HAN.search(r.title) for r in inherited)
    english = [r for r in policyrules.load_pack("jilin", lang="en").rules if r.pack_id == "national_2025"]
    assert [r.id for r in english] == [r.id for r in inherited]
    national = {r.id: r.title for r in policyrules.load_pack("national_2025", lang="en").rules}
    assert all(r.title == national[r.id] and LATIN.search(r.title) for r in english)


def test_the_2025_digest_is_quoted_as_printed():
    # quotes are never translated or converted: the 2025 digest stays in Traditional characters
    jilin = policyrules.load_pack("jilin")
    own = [r for r in jilin.rules if r.pack_id == "jilin" and r.kind != "derive"]
    assert any(ch in r.citation.quote for r in own for ch in "殘業機關")


def test_an_unknown_language_is_refused_cleanly():
    with pytest.raises(policyrules.InputError, match="zh, en"):
        policyrules.load_pack("baotou").evaluate(EMPLOYER, as_of="2024-06-01", lang="fr")  # type: ignore[arg-type]
    with pytest.raises(policyrules.InputError, match="zh, en"):
        policyrules.load_pack("baotou", lang="de")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "header, lang",
    [
        (None, "zh"),
        ("", "zh"),
        ("en-GB,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr-FR, en;q=0.5, zh;q=0.4", "en"),
        ("zh-Hant-TW", "zh"),
        ("en;q=0.2, zh;q=0.8", "zh"),
        ("en;q=0, *", "zh"),
        ("de", "zh"),
    ],
)
def test_accept_language_maps_onto_a_language(header, lang):
    assert lang_from_accept_language(header) == lang


@pytest.mark.parametrize("name", policyrules.shipped_packs())
def test_every_pack_has_a_version_shown_beside_its_hash(name):
    pack = policyrules.load_pack(name)
    assert re.fullmatch(r"\d+\.\d+\.\d+", pack.version)
    result = pack.evaluate({}, as_of="2025-08-01")
    assert (result.pack_version, result.pack_hash) == (pack.version, pack.content_hash)


def test_an_average_is_said_as_an_average_in_both_languages() -> None:
    """平均…标准 is a standard, not a fixed sum: the words say so in Chinese as in English."""
    from decimal import Decimal

    from policyrules.engine.result import AmountOut
    from policyrules.engine.words import format_amount_plain

    amount = AmountOut(kind="average", unit="CNY", per=["person"], value=Decimal(3000), expression="3000")
    assert format_amount_plain(amount, "en") == "3000 CNY per person on average (a standard, not a fixed sum)"
    assert format_amount_plain(amount, "zh") == "平均 3000 元/人（标准，不是固定金额）"
    missing = AmountOut(kind="formula", unit="CNY", expression="5 * w", missing=["place.w", "unit.x"])
    assert format_amount_plain(missing, "zh") == "? 元（= 5 × w）（缺少：place.w、unit.x）"
    assert format_amount_plain(missing, "en") == "? CNY  = 5 * w (missing: place.w, unit.x)"
