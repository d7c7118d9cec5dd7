"""How things are said to a reader, in Chinese or English: the phrase table, amounts and plan periods (plain text)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from policyrules.errors.phrases import PROBLEM_WORDS, add_words
from policyrules.facts.vocabulary import case_facts
from policyrules.pack.schema import DatedBound, Validity
from policyrules.types import Lang

from .result import AmountOut

# Units as a Chinese reader says them; a unit not listed is shown as written.
UNIT_ZH = {
    "CNY": "元",
    "person": "人",
    "year": "年",
    "month": "月",
    "day": "天",
    "m": "米",
    "session": "次",
    "time": "次",
    "household": "户",
    "post": "个岗位",
    "institution": "个机构",
    "hour": "小时",
    "outlet": "个网点",
    "1": "",
}


def unit_text(unit: Optional[str], lang: Lang = "en") -> str:
    if unit is None:
        return ""
    return UNIT_ZH.get(unit, unit) if lang == "zh" else unit


# A limit's period as a Chinese reader says it ("每年"); one that is not a recurring period is said whole.
_PER_ZH = {"lifetime": "终身"}


def per_text(per: str, lang: Lang) -> str:
    """The period of a frequency limit: 'year' in English, 每年 (or 终身 for a lifetime) in Chinese."""
    if lang != "zh":
        return per
    return _PER_ZH.get(per) or f"每{unit_text(per, lang)}"


def number_text(value: Optional[Decimal]) -> str:
    if value is None:
        return "?"
    text = format(value.normalize(), "f")
    return text


_FACT_PATH = re.compile(r"\b(?:person|unit|place|hire|application)(?:\.[a-z_]+)+")


def fact_words(text: str, lang: Lang = "en", short: bool = False) -> str:
    """An expression as a reader says it: each fact by its term (Chinese) or meaning (English), not its path.

    ``short``: in English, the meaning up to its first qualification ("disabled people employed", not
    "disabled people employed, as counted for the quota"), for conditions and tables that name many facts.
    """
    facts = case_facts()

    def term(m: re.Match[str]) -> str:
        info = facts.get(m.group(0))
        if info is None:
            return m.group(0)
        if lang == "zh" or not info.description:
            return info.zh or m.group(0)
        if not short:
            return info.description
        if re.match(
            r"[\u4e00-\u9fff]", info.description
        ):  # a glossary of choices (党政机关 party/government agency, …)
            return m.group(0).replace(".", " ").replace("_", " ")
        plain = re.sub(r" \([^()]*\)", "", info.description)  # glosses in brackets: (残疾人证), (health-care)
        return re.split(r"; |: |, ", plain, maxsplit=1)[0]

    return _FACT_PATH.sub(term, text)


def _unit(unit: Optional[str], per: list[str]) -> str:
    words = [] if unit in (None, "1") else [unit or ""]
    words += [f"per {p}" for p in per]
    return " ".join(words)


def _unit_zh(unit: Optional[str], per: list[str]) -> str:
    # 元/人/年: the amount per each of ``per`` in turn
    return "".join([unit_text(unit, "zh")] + [f"/{unit_text(p, 'zh') or p}" for p in per])


# Every word, heading and message printed for a reader, by key: (zh, en). The one phrase table of the library:
# amounts, result and diff headings, table columns and command messages all come from here. "{name}" fields
# are filled in by ``word(key, lang, name=…)``. Ids, numbers, 文号, clauses and quotes are never translated.
WORDS: dict[str, tuple[str, str]] = {
    # amounts (format_amount_plain)
    "amount.no_figure": ("未给出金额——{ref}", "no figure given — {ref}"),
    "amount.range": ("{min}–{max} {unit}", "{min}–{max} {unit}"),
    "amount.cap": ("最高 {cap} {unit}", "up to {cap} {unit}"),
    "amount.cap_total": ("最高 {cap}", "up to {cap}"),
    "amount.capped": ("{value} {unit}（按实际，最高 {cap}）", "{value} {unit} (actual, capped at {cap})"),
    "amount.minimum": ("至少 {value} {unit}", "at least {value} {unit}"),
    "amount.average": (
        "平均 {value} {unit}（标准，不是固定金额）",
        "{value} {unit} on average (a standard, not a fixed sum)",
    ),
    "amount.share": ("{value} {unit}（{expr}）", "{value} {unit} ({expr})"),
    "amount.formula": ("（= {expr}）", "  = {expr}"),
    "amount.missing": ("（缺少：{missing}）", " (missing: {missing})"),
    "amount.no_total": ("无法给出总额", "no figure given"),
    "and": ("、", ", "),
    # amounts as a pack states them (compare.describe: diffs and the matrix)
    "rule.no_amount": ("无金额（一项权利或减免）", "no amount (a right or an exemption)"),
    "rule.no_figure": ("未给出数额", "no figure given"),
    "rule.covered": ("有规定，无金额", "covered, no amount"),
    "rule.cap": ("最高{cap}{unit}", "up to {cap}{unit}"),
    "rule.capped": ("{value}，最高{cap}{unit}", "{value}, up to {cap}{unit}"),
    "rule.share": ("{base}的{rate}%{unit}", "{rate}% of {base}{unit}"),
    "rule.minimum": ("至少{value}{unit}", "at least {value}{unit}"),
    "rule.average": ("平均{value}{unit}", "{value}{unit} on average"),
    "rule.rounded_up": ("{value}（向上取整）", "{value} (rounded up)"),
    "rule.duration": ("最长{max}{unit}", "at most {max} {unit}"),
    "rule.limit": ("{per}最多{max}次", "at most {max} per {per}"),
    "rule.excludes": ("排除 {topic}：{summary}", "excludes {topic}: {summary}"),
    # results
    "entitlements": ("权益", "Entitlements"),
    "obligations": ("义务", "Obligations"),
    "sanctions": ("惩戒", "Sanctions"),
    "exclusions": ("排除", "Exclusions"),
    "rule": ("规则", "rule"),
    "topic": ("主题", "topic"),
    "what": ("内容", "what"),
    "amount": ("金额", "amount"),
    "citation": ("出处", "citation"),
    "document": ("文号", "document"),
    "clause": ("条款", "clause"),
    "quote": ("原文", "quote"),
    "to": ("对象", "to"),
    "person": ("个人", "person"),
    "unit": ("单位", "unit"),
    "excluded": ("排除的主题", "excluded"),
    "why": ("原因", "why"),
    "withholds": ("扣下", "withholds"),
    "as_of": ("评估日期", "as of"),
    "in_force": ("有效期", "in force"),
    "pack_version": ("规则包版本", "pack version"),
    "pack_hash": ("内容哈希", "hash"),
    "not_in_force": ("不在有效期内", "Not in force"),
    "try_as_of": ("可用 --as-of 指定有效期内的日期", "give a date in force with --as-of"),
    "undecided": ("条规则因缺少事实无法判断", "rules undecided for lack of facts"),
    "needs": ("需要", "needs"),
    "derived": ("推导事实", "derived"),
    "conflict": ("冲突", "Conflict"),
    "error_in": ("规则出错", "Error in"),
    "set_to": ("被设为", "set to"),
    "by": ("由", "by"),
    "notes": ("说明", "notes"),
    "deadline": ("截止日期", "deadline"),
    "status": ("状态", "status"),
    "funded": ("资金来源", "funded by"),
    "duration": ("期限", "duration"),
    "left": ("剩余", "left"),
    "limit": ("次数限制", "limit"),
    "used": ("已用", "used"),
    "missing": ("缺少", "missing"),
    "none": ("无", "none"),
    "fired": ("成立", "fired"),
    "note": ("说明", "note"),
    "shipped_packs": ("内置规则包", "Shipped packs"),
    "pack": ("规则包", "pack"),
    "jurisdiction": ("地区", "jurisdiction"),
    "rules": ("规则数", "rules"),
    "version": ("版本", "version"),
    "inherits": ("继承", "inherits"),
    "passed": ("通过", "passed"),
    "failed": ("失败", "failed"),
    "errors": ("错误", "errors"),
    "warnings": ("警告", "warnings"),
    "case": ("案例", "case"),
    # a result, line by line (interfaces.render)
    "r.duration": ("最长 {max} {unit}", "at most {max} {unit}"),
    "r.duration_left": ("（剩余 {left} {unit}）", " ({left} left)"),
    "r.duration_period": ("；第 {period}{of} {unit}", "; {unit} {period}{of}"),
    "r.duration_of": (" / {max}", " of {max}"),
    "r.duration_from": ("，自{date}（{event}）起", ", from the {event} on {date}"),
    "r.duration_until": ("，至{date}", ", until {date}"),
    "r.missing": ("（缺少：{missing}）", " (missing: {missing})"),
    "r.limit": ("{per}最多 {max} 次（已用 {used}）", "at most {max} per {per} (used {used})"),
    "r.event": ("事件", "event"),
    "r.event_on": ("{date} {event}（{document}）", "{event} on {date} under {document}"),
    "r.header": (
        "{pack} {version}（内容哈希 {hash}） 评估日期 {as_of}；有效期 {period}",
        "{pack} {version} (hash {hash}) as of {as_of} (in force {period})",
    ),
    "r.not_in_force": (
        "不在有效期内：{reason}（可用 --as-of 指定有效期内的日期）",
        "Not in force: {reason} (give a date in force with --as-of)",
    ),
    "r.rule_line": ("{rule}（主题 {topic}，对象 {to}）", "{rule} (topic {topic}, to {to})"),
    "r.not_granted": ("不予支持（{n}）：", "Not granted ({n}):"),
    "r.not_granted_line": ("  ✘ {rule}（{clause}）：{because}", "  ✘ {rule} ({clause}): {because}"),
    "r.conflict_line": ("冲突：{fact} 被设为 {values}，由 {rules}", "Conflict: {fact} set to {values}, by {rules}"),
    "r.error_line": ("规则出错 {rule}：{message}", "Error in {rule}: {message}"),
    "r.undecided": ("{n} 条规则因缺少事实无法判断：", "{n} rules undecided for lack of facts:"),
    "r.undecided_line": ("  {rule}（{title}）需要：{missing}", "  {rule} ({title}): needs {missing}"),
    "r.elsewhere": (
        "另有 {n} 条规则涉及本案没有的个人、单位或申请，未列出（--all 显示）",
        "{n} more undecided rules concern a person, unit or application this case does not have (--all shows them)",
    ),
    "r.questions": ("下一步应询问（决定规则最多者在前）：", "Questions (the fact deciding the most rules first):"),
    "r.question_line": ("  {label}：决定 {n} 条（{rules}）", "  {label}: decides {n} ({rules})"),
    "r.result": ("结果", "result"),
    "r.fact_missing": ("缺少", "missing"),
    "r.value_missing": ("?（缺少 {missing}）", "? (missing {missing})"),
    "obligation.met": ("已履行", "met"),
    "obligation.unmet": ("未履行", "unmet"),
    "obligation.due": ("未履行，期限未到", "due"),
    "obligation.overdue": ("未履行，已逾期", "overdue"),
    "obligation.unknown": ("无法判断", "unknown"),
    # what the engine says in a result (because, exclusion summaries, validity and default reasons)
    "because.condition": ("不满足：{text}", "not met: {text}"),
    "because.values": ("（{values}）", " ({values})"),
    "because.not_in_force": (
        "{date}（{what}）不在 {document} 的有效期（{period}）内",
        "not in force on {date} ({what}): {document} {period}",
    ),
    "because.superseded": (
        "{date}（{what}）改由 {by} 适用（{document} {clause}：{quote}），其有效期 {period}",
        "superseded on {date} ({what}) by {by} ({document} {clause}: {quote}), in force {period}",
    ),
    "because.and_why": ("{because}；{why}", "{because}; {why}"),
    "because.as_of_defaulted": ("评估日期，未给出申请日期", "as_of, no application date given"),
    "because.event_date": ("{event}日期", "{event} date"),
    "because.ended": (
        "已于 {until} 期满：自{started}（{event}）起最长 {max} {unit}",
        "ended on {until}: {max} {unit}(s) from the {event} on {started}",
    ),
    "exclusion.mutually_exclusive": ("不能与 {topic} 同时享受", "cannot be combined with {topic}"),
    "exclusion.limit_reached": ("已达次数上限：{per}最多 {max} 次", "limit reached: at most {max} per {per}"),
    "exclusion.duration_exhausted": (
        "已享受 {used} {unit}，最长 {max} {unit}",
        "already received for {used} {unit} of at most {max}",
    ),
    "validity.not_in_force": ("{as_of} 不在有效期内：{why}", "not in force on {as_of}: {why}"),
    "validity.from": ("自{start}起施行（{cited}）", "in force from {start} ({cited})"),
    "validity.ended": ("有效期至 {end}（{cited}）", "ended {end} ({cited})"),
    "validity.cited": ("{where}：{quote}", "{where}: {quote}"),
    "validity.external": ("{cited}，外部文件", "{cited}, external"),
    # one reason per neutral default of the vocabulary (facts.vocabulary.DEFAULTS), by fact path
    "default.application.date": (
        "未给出申请日期：以评估日期作为申请日期",
        "no application date given: the application is taken as made on the date the case is decided as of",
    ),
    "default.unit.dispatched_disabled": (
        "案例未列劳务派遣的残疾人，按0人计算：派遣规则（财政部公告2019年第98号：用人单位依法以劳务派遣方式接受残疾人在本单位"
        "就业的）适用于有派遣残疾人的单位；如有，请给出 unit.dispatched_disabled",
        "the case names no disabled workers in labour dispatch, so none are counted: the dispatch rule (财"
        "政部公告2019年第98号: 用人单位依法以劳务派遣方式接受残疾人在本单位就业的) is for a unit that has them, and the unit's own staff and disa"
        "bled employees are its counts; give unit.dispatched_disabled if it has any",
    ),
    "default.unit.dispatched_disabled_severe": (
        "未计劳务派遣的残疾人（unit.dispatched_disabled 按0人），其中重度残疾人也按0人计算；如有，请一并给出 "
        "unit.dispatched_disabled_severe 与 unit.dispatched_disabled",
        "no disabled workers in labour dispatch are counted (unit.dispatched_disabled taken as 0), so none of"
        " them is severely disabled; give unit.dispatched_disabled_severe with unit.dispatched_disabled if any are",
    ),
    "event.application": ("申请", "application"),
    "event.hire": ("录用", "hire"),
    "event.graduation": ("毕业", "graduation"),
    "event.licence": ("许可", "licence"),
    "event.placement": ("安置", "placement"),
    "event.training": ("培训", "training"),
    "value.true": ("是", "true"),
    "value.false": ("否", "false"),
    "value.unknown": ("未知", "unknown"),
    # explain: what evaluate gives a rule
    "explain.granted": ("给予", "granted"),
    "explain.granted_status": ("给予（状态：{status}）", "granted (status: {status})"),
    "explain.excludes": ("排除 {topic}", "excludes {topic}"),
    "explain.withholding": ("，扣下 {rules}", ", withholding {rules}"),
    "explain.withheld_by": ("被 {rule} 扣下：{summary}（{clause}）", "withheld by {rule}: {summary} ({clause})"),
    "explain.undecided": ("无法判断：需要 {missing}", "undecided: needs {missing}"),
    "explain.error": ("出错：{message}", "error: {message}"),
    "explain.not_met": ("不满足", "not met"),
    # ---- check findings, quotes, coverage and arithmetic errors: said from a Phrase (errors.Phrase) ----
    "check.unsatisfiable": ("条件永远不成立：{condition}", "the condition can never hold: {condition}"),
    "check.always_true": ("条件不可能不成立：{condition}", "the condition cannot fail: {condition}"),
    "check.cap_not_positive": ("上限 {cap} 不支付任何金额", "cap {cap} pays nothing"),
    "check.conflict": (
        "{a} 与 {b} 对这个案例给 derived.{fact} 设了不同的值；请在该推导事实上用 precedence 声明优先顺序",
        "{a} and {b} both set derived.{fact}, differently, for this case; declare precedence on the derived fact",
    ),
    "check.overlap": (
        "{a} 与 {b} 对这个案例都给予 {topic}；如两者同时适用，请写 alongside: [{a}]",
        "{a} and {b} both give {topic} for this case; if both apply, say alongside: [{a}]",
    ),
    "check.never_set": ("声明了 derived.{name}，但没有规则设定它", "derived.{name} is declared but no rule sets it"),
    "check.unused_derived": ("设定了 derived.{name}，但没有规则读取它", "derived.{name} is set but no rule reads it"),
    "check.unused_parameter": ("param.{name} 从未使用", "param.{name} is never used"),
    "check.deadline_before_validity": (
        "截止日期 {deadline} 早于规则包生效日期（{valid_from}）",
        "deadline {deadline} is before the pack is in force ({valid_from})",
    ),
    "check.in_clause": ("[{clause}] {message}", "[{clause}] {message}"),
    "cite.no_source_file": (
        "文件 {document} 没有原文文件；请把该引用标为 external: true",
        "document {document} has no source file; mark the citation external",
    ),
    "cite.source_not_found": ("未找到 {document} 的原文（{file}）", "source text of {document} ({file}) not found"),
    "cite.quote_not_found": (
        "在 {document}（{file}）中找不到引文：{quote}",
        "quote not found in {document} ({file}): {quote}",
    ),
    "ledger.total": (
        "台账 {clause} 把该条款当作{kind}，但条款规定了{what}：“{words}”；请编码，或在理由中引用这些文字并说明原因",
        "ledger {clause} calls the clause a {kind}, but it states {what}: “{words}”; encode it, or quote these words "
        "in the reason and say why",
    ),
    "ledger.kind.target": ("全地区的目标", "target"),
    "ledger.kind.aggregate": ("全地区的总量", "aggregate"),
    "ledger.per_unit": ("每个单位或地区的最低数量", "a minimum per unit or area"),
    "ledger.by_rule": ("按规定给予的权益（未给出数额）", "an entitlement 按规定 (no figure)"),
    "across.rule_vs_reasoned": (
        "{a_pack} 把 {a_ref} [{a_clause}] 编为规则，而 {b_pack} 对文字相同的 {b_clause} 只说明了不计算的理由",
        "{a_pack} encodes {a_ref} [{a_clause}] but {b_pack} reasons out {b_clause} with the same words",
    ),
    "across.different_groups": (
        "{a_pack} {a_ref} 与 {b_pack} {b_ref} 编码的文字相同，但检验的人群不同：{detail}",
        "{a_pack} {a_ref} and {b_pack} {b_ref} encode the same words but test different groups: {detail}",
    ),
    "across.detail": (
        "只有 {a} 检验 {a_only}；只有 {b} 检验 {b_only}",
        "only {a} tests {a_only}; only {b} tests {b_only}",
    ),
    "coverage.no_anchor": ("{clause}：没有锚点", "{clause}: no anchor"),
    "coverage.anchor_not_found": ("{clause}：原文中找不到锚点：{anchor}", "{clause}: anchor not found: {anchor}"),
    "coverage.anchor_out_of_order": ("{clause}：锚点顺序不对：{anchor}", "{clause}: anchor out of order: {anchor}"),
    "coverage.line": ("第 {line} 行：{text}", "line {line}: {text}"),
    "arith.negative": (
        "{at}金额的{name}为负数（{figure}）；规则包不会支付或收取少于0的金额",
        "{at}the amount's {name} is negative ({figure}); no pack pays or charges less than 0",
    ),
    "arith.inverted": (
        "{at}区间下限（{low}）高于上限（{high}）：区间颠倒，不给出数额",
        "{at}the range's minimum ({low}) exceeds its maximum ({high}): no figure is given for an inverted range",
    ),
    "amount_field.value": ("数额", "value"),
    "amount_field.min": ("下限", "min"),
    "amount_field.max": ("上限", "max"),
    "amount_field.cap": ("封顶额", "cap"),
    "amount_field.total": ("合计", "total"),
    "amount_field.total_min": ("合计下限", "total_min"),
    "amount_field.total_max": ("合计上限", "total_max"),
    # figures computed beyond what a Result holds: the rule's error
    "arith.out_of_range": (
        "{at}{what}的{name}（{figure}）超出结果能容纳的范围：数字应在 1e-{exponent} 与 1e{exponent} 之间，至多 {digits} 位有效数字",
        "{at}the {what}'s {name} ({figure}) is beyond what a result holds: "
        "numbers lie between 1e-{exponent} and 1e{exponent}, with at most {digits} significant digits",
    ),
    "figure_of.amount": ("金额", "amount"),
    "figure_of.funding": ("资金分担", "funding"),
    "figure_of.duration": ("期限", "duration"),
    "figure_of.limit": ("次数限制", "limit"),
    "amount_field.rate": ("比例", "rate"),
    "amount_field.base": ("基数", "base"),
    "amount_field.count": ("数量", "count"),
    "amount_field.total_cap": ("合计封顶额", "total_cap"),
    "amount_field.used": ("已享受的数量", "used"),
    "amount_field.remaining": ("剩余数量", "remaining"),
    "amount_field.amount": ("数额", "amount"),
    "amount_field.share": ("份额", "share"),
    "explain.derived_when": ("{value}，当 {when}", "{value} when {when}"),
    "cli.internal_error": ("内部错误：{error}", "internal error: {error}"),
    "cli.defect": (
        "这是 policyrules 的缺陷；请加 --debug 再运行一次，并报告 traceback",
        "this is a defect in policyrules; run again with --debug and report the traceback",
    ),
    "cli.no_topic": ("{a} 和 {b} 都没有主题 {topic}", "no topic {topic} in {a} or {b}"),
    "cli.did_you_mean": ("；是不是 {names}？", "; did you mean {names}?"),
    "cli.or": (" 或 ", " or "),
    "cli.seed_without_cases": (
        "--seed 用于选择生成的案例：请与 --cases N 一起使用",
        "--seed chooses generated cases: give it with --cases N",
    ),
    "cli.simulate_items": (
        "请给出 规则包 人口 或 规则包A 规则包B 人口",
        "give PACK POPULATION or PACK_A PACK_B POPULATION",
    ),
    # policyrules test: how a case's result differs from what its test file expects
    "test.no_rule": ("{rule}：规则包 {pack} 中没有这条规则", "{rule}: no such rule in pack {pack}"),
    "test.expected": ("{where}：应为 {want}，实际为 {got}", "{where}: expected {want}, got {got}"),
    "test.expected_mapping": ("{where}：应为映射，实际为 {got}", "{where}: expected a mapping, got {got}"),
    "test.no_field": ("{where}：没有这个字段", "{where}: no such field"),
    "test.expected_to_fire": ("{rule}：应成立，但{why}", "{rule}: expected to fire, {why}"),
    "test.why.not_fired": ("没有成立", "did not fire"),
    "test.why.undecided": ("无法判断，缺少 {missing}", "undecided, missing {missing}"),
    "test.why.withheld": ("被 {rules} 扣下", "withheld by {rules}"),
    "test.expected_absent": ("{rule}：不应成立，但成立了", "{rule}: expected not to fire, but it did"),
    "test.topic_absent": (
        "主题 {topic}：不应有结果，实际有 {rules}",
        "topic {topic}: expected no outcome, got {rules}",
    ),
    "test.expected_excluded": ("{rule}：这条排除应适用", "{rule}: expected this exclusion to apply"),
    "test.expected_undecided": ("{rule}：应无法判断", "{rule}: expected to be undecided"),
    "test.expected_refused": (
        "{rule}：应列在 not_granted 中，实际{state}",
        "{rule}: expected among not_granted, {state}",
    ),
    "test.state.fired": ("成立", "fired"),
    "test.state.undecided": ("无法判断", "undecided"),
    "test.state.not_listed": ("未列出", "not listed"),
    "test.undetermined": (
        "undetermined_exactly：多出 {extra}，缺少 {lacking}",
        "undetermined: unexpected {extra}, lacking {lacking}",
    ),
    "test.questions": ("questions：应先问 {want}，实际为 {got}", "questions: expected {want} first, got {got}"),
    "test.no_derived": ("derived.{name}：没有这个推导事实", "derived.{name}: no such derived fact"),
    # ---- end of check findings and arithmetic errors ----
    # structural diff
    "diff.vs": (
        "{a}（{a_doc}，有效期 {a_validity}）对比 {b}（{b_doc}，有效期 {b_validity}）",
        "{a} {a_doc} ({a_validity})  vs  {b} {b_doc} ({b_validity})",
    ),
    "diff.title": ("{a} 与 {b} 对比", "{a} vs {b}"),
    "diff.pack_line": ("**{pack}**：{document}，有效期 {validity}", "**{pack}**: {document}, in force {validity}"),
    "diff.differences": ("差异", "differences"),
    "diff.only_in": ("仅见于 {pack}", "only in {pack}"),
    "diff.same_figures": ("数额相同", "same figures"),
    "diff.in_both": ("两者都有的主题", "Topics in both"),
    "diff.inherited": ("继承自 {pack}", "inherited from {pack}"),
    "diff.external": ("外部文件：{document}", "external: {document}"),
    "diff.aspect": ("{aspect}：{a}  对比  {b}", "{aspect}: {a}  vs  {b}"),
    "aspect.amount": ("金额", "amount"),
    "aspect.thresholds": ("条件门槛", "condition thresholds"),
    "aspect.exclusions": ("排除", "exclusions"),
    "aspect.duration": ("期限", "duration"),
    "aspect.limit": ("次数限制", "frequency limit"),
    "aspect.funding": ("资金来源", "funding"),
    "aspect.deadline": ("截止日期", "deadline"),
    "aspect.kind": ("类别", "kind"),
    "kind.entitlement": ("权益", "entitlement"),
    "kind.obligation": ("义务", "obligation"),
    "kind.sanction": ("惩戒", "sanction"),
    "kind.exclusion": ("排除", "exclusion"),
    "kind.derive": ("推导", "derive"),
    "diff.kind_to": ("给{to}的{kind}", "{kind} to {to}"),
    # behavioural diff
    "bdiff.cases": ("{cases} 个案例，随机种子 {seed}", "{cases} cases, seed {seed}"),
    "bdiff.your_cases": ("你提供的 {cases} 个案例", "{cases} cases from your file"),
    "bdiff.title": ("{a} 与 {b}：结果不同的案例", "{a} vs {b}: cases where they differ"),
    "bdiff.validity": (
        "{a}：有效期 {a_validity}；{b}：有效期 {b_validity}。",
        "{a}: in force {a_validity}; {b}: in force {b_validity}.",
    ),
    "bdiff.col_cases": ("案例数", "cases"),
    "bdiff.col_minimal": ("最小案例", "minimal case"),
    "bdiff.differ": ("{n} 个不同", "{n} differ"),
    "bdiff.only_decides": ("{n} 个仅 {pack} 能判断", "{n} only {pack} decides"),
    "bdiff.of": ("（共 {n} 个）", " (of {n})"),
    "bdiff.cannot_decide": ("无法判断", "cannot decide"),
    "bdiff.cannot_decide_missing": ("无法判断：缺少 {missing}", "cannot decide: missing {missing}"),
    "bdiff.no_difference": ("无差异：{topics}", "no difference: {topics}"),
    "bdiff.never_decides": ("两个规则包都无法判断任何案例：{topics}", "neither pack decides any case: {topics}"),
    "status.gives": ("给予", "gives"),
    "status.excluded": ("被排除", "excluded"),
    "status.nothing": ("不给予", "nothing"),
    "status.not_in_force": ("不在有效期内", "not in force"),
    "status.undecided": ("无法判断", "undecided"),
    # the comparison matrix
    "matrix.title": ("各地政策比较", "Comparison of jurisdictions"),
    "matrix.intro": (
        "每格是规则包就该主题给出的主要数额；“未给出数额”表示原文涉及该主题但数额由其他规定确定；“—”表示原文未涉及。"
        "每个数额都链接到下方的条款和原文。",
        "Each cell gives the headline figure a pack attaches to the topic; “no figure given” means the text covers "
        "the topic and leaves the amount to other regulations; “—” means the text does not cover it. Each figure links "
        "to its clause and quote below.",
    ),
    "matrix.legend": (
        "每个主题的主要数额，链接到其条款和原文。",
        "Headline figure per topic, linked to its clause and quote.",
    ),
    "matrix.bold": ("<strong>粗体</strong>：数额", "<strong>bold</strong>: a figure"),
    "matrix.nofig_means": (
        "：原文规定给予，数额由其他规定确定",
        ": the text promises the outcome, another regulation sets the amount",
    ),
    "matrix.none_means": ("—：未涉及", "—: not covered"),
    "matrix.documents": ("文件", "Documents"),
    "matrix.sources": ("出处", "Sources"),
    "matrix.issued": ("{issuer} {issued} 印发", "issued by {issuer} on {issued}"),
    "matrix.source_file": ("原文文件 {file}", "source text {file}"),
    "matrix.no_source_file": ("无原文文件（引文未经核对）", "no source text (quotes not verified)"),
    "matrix.external": ("（外部文件，未与原文核对）", " (external, unverified against a source file)"),
    "matrix.back": ("返回表格", "back to the table"),
    # commands
    "cli.quotes_unverified": ("引文未核对：未找到原文", "quotes NOT verified: source texts not found"),
    "cli.verified": ("{verified}/{checkable} 条引文已与原文核对", "{verified} of {checkable} quotes verified"),
    "cli.external": ("（{n} 条外部引文无法核对）", " ({n} external citations cannot be verified)"),
    "cli.pack_counts": ("{rules} 条规则，{ledger} 条台账，", "{rules} rules, {ledger} ledger clauses, "),
    "cli.no_sources": (
        "未找到原文（{where}）：引文未经核对。",
        "source texts not found ({where}): quotes NOT verified.",
    ),
    "cli.pass_require": ("要求核对时请加 --require-sources。", "Pass --require-sources to make this a failure."),
    "cli.failing_require": ("--require-sources：失败。", "--require-sources: failing."),
    "cli.check_totals": ("{errors} 个错误，{warnings} 个警告", "{errors} errors, {warnings} warnings"),
    "cli.check_case": ("案例", "case"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "cli.not_in_ledger": ("台账中没有：{clause}", "not in the ledger: {clause}"),
    "cli.across_totals": (
        "{open} 对需要修正或说明，{annotated} 对已说明",
        "{open} pairs to fix or annotate, {annotated} annotated",
    ),
    "cli.across_annotated": ("已说明", "annotated"),
    "cli.across_finding": ("待处理", "finding"),
    "cli.across_no_sources": (
        "未找到原文：未比较已说明理由的条款",
        "source texts not found: reasoned-out clauses were not compared",
    ),
    "cli.coverage_title": ("条款覆盖情况", "Clauses accounted for"),
    "cli.coverage_numbered": ("原文编号条款", "numbered in source"),
    "cli.coverage_anchored": ("有台账的", "with a ledger entry"),
    "cli.coverage_ledger": ("台账条目", "ledger entries"),
    "cli.coverage_encoded": ("已编码", "encoded"),
    "cli.coverage_reasoned": ("已说明理由", "reasoned out"),
    "cli.coverage_accounted": ("覆盖", "accounted"),
    "cli.source_not_found": ("未找到原文", "source not found"),
    "cli.ledger_only": (" (仅台账)", " (ledger only)"),
    "cli.test_totals": (
        "{passed} 项通过，{failed} 项失败（{files} 个文件）",
        "{passed} passed, {failed} failed ({files} files)",
    ),
    "cli.test_unreadable": ("，{n} 个无法读取）", ", {n} could not be read)"),
    "cli.test_pass": ("通过", "PASS"),
    "cli.test_fail": ("失败", "FAIL"),
    "cli.test_fired": ("成立的规则：{rules}", "fired: {rules}"),
    "cli.nothing": ("无", "nothing"),
    "cli.no_rule": ("规则包 {pack} 没有规则 {rule!r}", "pack {pack} has no rule {rule!r}"),
    "cli.docs_stale": ("{path} 已过期；请运行 `policyrules docs`", "{path} is out of date; run `policyrules docs`"),
    "cli.no_docs_dir": (
        "源代码旁没有 docs/ 目录；请用 --dir 指定",
        "no docs/ directory beside the source; give one with --dir",
    ),
    "cli.serving": (
        "已载入 {n} 个规则包；案例页面在 /，OpenAPI 描述在 /openapi.json",
        "{n} packs loaded; the case page is at / and the OpenAPI description at /openapi.json",
    ),
    # tables of cases (batch, simulate, population)
    "batch.title": ("{pack}，评估日期 {as_of} → {output}", "{pack} as of {as_of} → {output}"),
    "batch.rows_read": ("读取行数", "rows read"),
    "batch.rows_evaluated": ("评估行数", "rows evaluated"),
    "batch.bad_rows": ("跳过的错误行", "bad rows skipped"),
    "batch.bad_rows_listed": ("{n}（列于 {path}）", "{n} (listed in {path})"),
    "batch.scalar": ("由逐案引擎判断", "decided by the scalar engine"),
    "batch.per_second": ("每秒行数", "rows per second"),
    "batch.pack_in_force": ("规则包是否有效", "pack in force"),
    "batch.not_in_force": ("否：该日期不触发任何规则", "no: nothing fires on this date"),
    "batch.one_title": ("{pack}，{rows} 行，评估日期 {as_of}", "{pack} over {rows} rows, as of {as_of}"),
    "batch.two_title": ("{a} 与 {b}，同样的 {rows} 行", "{a} and {b} over the same {rows} rows"),
    "batch.entitled": ("享有", "entitled"),
    "batch.obliged": ("负有义务", "obliged"),
    "batch.excluded": ("被排除", "excluded"),
    "batch.undetermined": ("无法判断", "undetermined"),
    "batch.cost": ("费用", "cost"),
    "batch.figure_missing": ("数额缺少事实", "figure lacks facts"),
    "batch.no_figure": ("未给出数额", "no figure given"),
    "batch.entitled_or_obliged": ("{pack} 享有或负有义务", "{pack} entitled or obliged"),
    "batch.pack_cost": ("{pack} 费用", "{pack} cost"),
    "batch.no_rule": ("无规则", "no rule"),
    "batch.nothing_fires": (
        "{pack} 在 {as_of} 不在有效期内：不触发任何规则。",
        "{pack} is not in force on {as_of}: nothing fires.",
    ),
    "batch.population": (
        "{rows} 行（{employers} 个用人单位，{persons} 个个人，随机种子 {seed}）→ {output}；假设见 docs/batch.md",
        "{rows} rows ({employers} employers, {persons} persons, seed {seed}) → {output}; assumptions: docs/batch.md",
    ),
    "progress.population": ("合成人口", "population"),
    # why the batch engine hands rows to the scalar engine (batch/ flags them with these English reasons)
    "scalar.division by zero": ("除数为零", "division by zero"),
    "scalar.inexact division": ("除不尽", "inexact division"),
    "scalar.a rule decided at an event's date": ("在事件日期判断的规则", "a rule decided at an event's date"),
    "scalar.an application dated outside the plan": ("申请日期在方案有效期外", "an application dated outside the plan"),
    "scalar.a duration that has ended": ("期限已届满", "a duration that has ended"),
    "scalar.a number beyond the exact range": ("数值超出列计算的精确范围", "a number beyond the exact range"),
    "scalar.a figure finer than the output scale": ("金额细于输出的精度（分）", "a figure finer than the output scale"),
    "scalar.overflow": ("数值溢出", "overflow"),
    "scalar.a constant beyond the exact range": ("常数超出列计算的精确范围", "a constant beyond the exact range"),
    "scalar.a list outside `in`": ("列表不在 `in` 之后", "a list outside `in`"),
    "scalar.`in` a list of expressions": ("`in` 之后的列表含表达式", "`in` a list of expressions"),
    "batch.dask_stdin": (
        "--dask 读取各工作进程都能访问的 Parquet 数据集，不能读取标准输入",
        "--dask reads a Parquet dataset its workers can reach, not standard input",
    ),
    "scalar.conflicting values of a derived fact": ("推导事实取值冲突", "conflicting values of a derived fact"),
    "scalar.an inverted range or a negative amount": (
        "区间下限高于上限或金额为负",
        "an inverted range or a negative amount",
    ),
    "progress.packs": ("规则包", "packs"),
    # policyrules compliance
    "compliance.title": ("残疾人就业保障金（逐年）", "employment security fund, year by year"),
    "compliance.not_layered": (
        "该规则包未继承 national_fund，不计算保障金",
        "this pack is not layered on national_fund: the fund is not computed",
    ),
    "compliance.col.year": ("年度", "year"),
    "compliance.col.staff": ("在职职工", "staff"),
    "compliance.col.quota": ("应安排", "quota"),
    "compliance.col.counted": ("已安排", "counted"),
    "compliance.col.short": ("差额", "short"),
    "compliance.col.full": ("应缴费额", "full fund"),
    "compliance.col.relief": ("减免", "relief"),
    "compliance.col.owed": ("应缴", "owed"),
    "compliance.col.rewards": ("奖励补贴", "rewards"),
    "compliance.exempt": ("免征", "exempt"),
    "compliance.pay_share": ("按{share}%缴纳", "pay {share}%"),
    "compliance.at_quota": ("已达比例", "at quota"),
    "compliance.no_relief": ("无", "none"),
    "compliance.not_in_force": ("不在有效期内", "not in force"),
    "compliance.hire": (
        "{year}年：再安排1名持{certificate}（{grade}级）的残疾人（按{counts}人计算）：保障金 {fund} 元，奖励 {rewards} 元",
        "{year}: one more disabled hire of grade {grade} (counts as {counts}): fund {fund} yuan, rewards {rewards} yuan",
    ),
    "compliance.certificate.disability": ("残疾人证", "disability certificate"),
    "compliance.certificate.disabled_soldier": ("残疾军人证", "disabled soldier's certificate"),
    "compliance.wage": (
        "{year}年计征工资：{before}年工资（{source}）{wage} 元",
        "{year} wage used: the {before} wage ({source}) {wage} yuan",
    ),
    "compliance.wage_carried": (
        "{year}年计征工资：未给出{before}年工资，沿用案例的上年工资（{source}）{wage} 元",
        "{year} wage used: no wage given for {before}; the case's last-year wage ({source}) {wage} yuan is carried",
    ),
    "compliance.employee": (
        "残疾职工 {label}：{status}，按{counts}人计算",
        "employee {label}: {status}, counts as {counts}",
    ),
    "compliance.status.counted": ("计入", "counted"),
    "compliance.status.not_counted": ("不计入", "not counted"),
    "compliance.status.undecided": ("待定", "undecided"),
    "compliance.why.contract": (
        "既非在编人员，也非就业年龄段内签订1年以上（含1年）劳动合同的人员",
        "neither 在编 nor of working age on a contract of at least 12 months",
    ),
    "compliance.why.contract_months": (
        "既非在编人员，也非就业年龄段内签订1年以上（含1年）劳动合同的人员（合同{months}个月）",
        "neither 在编 nor of working age on a contract of at least 12 months (contract {months} months)",
    ),
    "compliance.why.wage": (
        "月工资{wage}元低于当地最低工资{minimum}元",
        "wage {wage} below the local minimum wage {minimum}",
    ),
    "compliance.why.insurance": ("未足额缴纳社会保险费", "social insurance not paid in full"),
    "compliance.why.missing": ("缺少 {fact}", "missing {fact}"),
    "compliance.why.severe": ("重度，按2人计算", "counts as 2 (severe grade)"),
    "compliance.external": ("（外部文件）", " (external)"),
    "compliance.reward": ("{year}年 奖励 {rule}：{figure} — {title}", "{year} reward {rule}: {figure} — {title}"),
    "compliance.no_figure": ("未给出金额", "no figure"),
    "compliance.missing": ("{year}年 缺少：{facts}", "{year} missing: {facts}"),
    # diffs in words: outcomes with no amount by kind, derived facts, conditions and cases
    "rule.no_amount.entitlement": ("无金额（一项权利或减免）", "no amount (a right or an exemption)"),
    "rule.no_amount.obligation": ("无金额（一项义务）", "no amount (a duty)"),
    "rule.no_amount.sanction": ("无金额（一项惩戒措施）", "no amount (a measure against the party)"),
    "diff.rule_line": ("{kind_to}：{amount} — {summary}", "{kind_to}: {amount} — {summary}"),
    "diff.derived": ("定义不同的推导事实", "Derived facts defined differently"),
    "diff.derived_col": ("推导事实", "derived fact"),
    "diff.derived_same": ("定义相同的推导事实：{facts}", "derived facts defined the same way: {facts}"),
    "diff.derived_when": ("当 {when} 时：{value}", "when {when}: {value}"),
    "cond.true": ("{fact}", "{fact}"),
    "cond.false": ("{fact}：否", "not {fact}"),
    "cond.in": ("{fact}为{values}之一", "{fact} one of {values}"),
    "cond.not_in": ("{fact}不为{values}中任何一项", "{fact} none of {values}"),
    "cond.not": ("并非（{text}）", "not ({text})"),
    "case.rest": ("其余为否或0：{facts}", "the rest false or 0: {facts}"),
    "case.empty": ("（未给出任何事实）", "(no facts given)"),
    "case.only_rest": ("仅给出{facts}，均为否或0", "only {facts}, each false or 0"),
}

# Input errors: their phrases sit beside the error types (errors.phrases), below every stage that raises
# them; taken in here so that the library has one phrase table, which every Phrase is said from.
WORDS.update(PROBLEM_WORDS)
add_words(WORDS)

# The values of the vocabulary's choice facts as a Chinese reader says them (English: the value, spaced).
CHOICE_ZH: dict[str, dict[str, str]] = {
    "person.disability.category": {
        "visual": "视力",
        "hearing": "听力",
        "speech": "言语",
        "physical": "肢体",
        "intellectual": "智力",
        "mental": "精神",
        "multiple": "多重",
    },
    "person.employment": {
        "unemployed": "未就业",
        "employed": "就业",
        "self_employed": "自主创业",
        "flexible": "灵活就业",
    },
    "person.lowbao.ceases_reason": {
        "employment": "因就业",
        "living_improvement": "家庭经济、生活状况改善",
        "other": "其他",
    },
    "person.graduation.level": {
        "secondary_vocational": "中专",
        "junior_college": "专科",
        "bachelor": "本科",
        "postgraduate": "研究生",
    },
    "person.business.kind": {
        "individual_business": "个体工商户",
        "small_micro_enterprise": "小微企业",
        "blind_massage_shop": "盲人按摩店",
        "other": "其他",
    },
    "unit.kind": {
        "party_government_agency": "党政机关",
        "public_institution": "事业单位",
        "state_owned_enterprise": "国有企业",
        "private_enterprise": "民营企业",
        "individual_business": "个体工商户",
        "social_organisation": "社会组织",
        "local_government": "区县、街道（镇）人民政府",
        "other": "其他",
    },
    "unit.admin_level": {
        "township": "乡镇级",
        "county": "县级",
        "prefecture": "地市级",
        "province": "省级",
        "national": "国家级",
    },
    "unit.dispatch_counted_by": {
        "this_unit": "本单位",
        "other_party": "派遣协议另一方",
        "no_dispatch": "无劳务派遣残疾人",
    },
    "unit.new_outlets_kind": {"convenience_outlet": "便民服务网点", "market_stall": "经营性摊位"},
    "place.area_kind": {"urban_district": "市辖区", "county": "县或县级市"},
    "application.kind": {
        "bank_credit": "银行授信",
        "blind_massage_social_insurance_subsidy": "盲人按摩人员社会保险补贴",
        "flexible_employment_insurance_subsidy": "灵活就业社会保险补贴",
        "high_quality_farmer_training": "高素质农民培育",
        "labour_cooperation": "劳务协作",
        "lottery_outlet": "彩票销售网点",
        "lowbao_readmission": "重新纳入低保",
        "market_stall": "市场摊位",
        "postal_kiosk": "邮政报刊亭",
        "public_sector_recruitment": "机关事业单位招录（聘）",
        "public_welfare_post": "公益性岗位",
        "railway_station_shop": "车站商铺",
        "rent_subsidy": "场地租金补贴",
        "rural_industrial_assistance": "农村产业帮扶",
        "rural_practical_training": "农村实用技术培训",
        "startup_guarantee_loan": "创业担保贷款",
        "startup_subsidy": "创业补贴",
        "student_aid": "学生资助",
        "tobacco_retail_licence": "烟草专卖零售许可证",
        "vocational_training": "职业技能培训",
    },
}
CHOICE_ZH["person.student_level"] = CHOICE_ZH["person.graduation.level"]


def count_unit(unit: str) -> str:
    """A unit in Chinese after a number: 6个月 (six months), not 6月 (June)."""
    return "个月" if unit == "month" else unit_text(unit, "zh")


def quantity_text(number: str, unit: str, lang: Lang) -> str:
    """A number with its unit: 5个月, '5 month'."""
    return f"{number}{count_unit(unit)}" if lang == "zh" else f"{number} {unit}"


def quantity_words(text: str, lang: Lang) -> str:
    """An expression with its quantities as a reader says them: quantity(5, 'month') is 5个月 ('5 month')."""
    return re.sub(r"quantity\((\S+?), '([\w/]+)'\)", lambda m: quantity_text(m.group(1), m.group(2), lang), text)


def formula_words(expression: str, lang: Lang) -> str:
    """A formula as a reader says it: 5个月 × 当地月最低工资标准 ('5 month * local monthly minimum wage'),
    not quantity(5, 'month') * place.monthly_minimum_wage."""
    text = quantity_words(" ".join(expression.split()), lang)
    return fact_words(text.replace(" * ", " × ") if lang == "zh" else text, lang)


def choice_word(path: str, value: str, lang: Lang) -> str:
    """A choice fact's value in words: 民营企业 for unit.kind 'private_enterprise' ('private enterprise' in English)."""
    if lang == "zh":
        return CHOICE_ZH.get(path, {}).get(value, value)
    return value.replace("_", " ")


def word(key: str, lang: Lang, **fields: object) -> str:
    """The phrase ``key`` in ``lang`` (zh unless en), its ``{fields}`` filled in."""
    zh, en = WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def format_amount_plain(a: AmountOut, lang: Lang = "en") -> str:
    """An amount as a reader would say it, with its figure when known (no markup)."""
    zh = lang == "zh"
    unit = _unit_zh(a.unit, a.per) if zh else _unit(a.unit, a.per)
    fill = {
        "ref": a.reference,
        "unit": unit,
        "expr": _share_words(a, lang) if a.kind == "share" else a.expression and formula_words(a.expression, lang),
        **{k: number_text(getattr(a, k)) for k in ("value", "min", "max", "cap")},
    }
    if a.kind == "no_figure":
        return word("amount.no_figure", lang, **fill)
    if a.kind == "cap" and a.value is not None:
        text = word("amount.capped", lang, **fill)
    elif a.kind in ("range", "cap", "minimum", "average", "share"):
        text = word(f"amount.{a.kind}", lang, **fill)
    else:
        text = f"{fill['value']} {unit}"
        if a.value is None or a.kind == "formula":
            text += word("amount.formula", lang, **fill)
    if a.count is not None or a.count_expression is not None:
        # value × count = total; a cap × count is a total cap; a count not given is named, never "?"
        if a.total is not None:
            total = number_text(a.total)
        elif a.total_min is not None:
            total = f"{number_text(a.total_min)}–{number_text(a.total_max)}"
        elif a.total_cap is not None:
            total = word("amount.cap_total", lang, cap=number_text(a.total_cap))
        else:
            total = word("amount.no_total", lang)
        if zh:
            counted, rest = (unit_text(a.per[0], "zh") if a.per else ""), _unit_zh(a.unit, a.per[1:])
        else:
            per = " per ".join(a.per[1:])
            counted, rest = (a.per[0] if a.per else ""), f"{a.unit or ''}{' per ' + per if per else ''}"
        if a.count is not None:
            times = f"{number_text(a.count)} {counted}"
        else:
            times = fact_words(a.count_expression or "", lang)
        rest = "" if total == word("amount.no_total", lang) else f" {rest}"
        text += f" × {times} = {total}{rest}"
    if a.missing:
        text += word("amount.missing", lang, missing=word("and", lang).join(a.missing))
    return text.strip()


_FACT_PATH = re.compile(r"\b(?:person|unit|place|hire|application)(?:\.[a-z_]+)+")


def _share_words(a: AmountOut, lang: Lang) -> Optional[str]:
    """A share's base as the reader says it: the pack's words for it, or its facts named in words, never a path."""
    if a.expression is None or a.rate is None:
        return a.expression
    rate = f"{number_text(a.rate * 100)}%"
    if a.base_text:
        return f"{rate} × {a.base_text}"
    facts = case_facts()
    base = a.expression.split(" × ", 1)[-1]

    def named(m: re.Match[str]) -> str:
        info = facts.get(m.group(0))
        if info is None:
            return m.group(0)
        return (info.zh or m.group(0)) if lang == "zh" else (info.description or m.group(0))

    return f"{rate} × {_FACT_PATH.sub(named, base)}"


CERTAINTY_WORDS = {"stated": "", "lower_bound": "no earlier than ", "estimate": "about "}
_ZH_CERTAINTY = {"stated": "", "lower_bound": "不早于", "estimate": "约"}


def certainty_text(certainty: str, lang: Lang) -> str:
    """What goes before a date of the given certainty: 'about ', 'no earlier than ' (约, 不早于)."""
    return (_ZH_CERTAINTY if lang == "zh" else CERTAINTY_WORDS)[certainty]


def period_words(validity: Validity, lang: Lang = "en") -> str:
    """A validity in words, with its uncertainty: 'from about 2025-06-25 to 2027-12-31', '… (no end stated)'.

    Every place that prints a pack's dates (results, list, diff, matrix) prints this.
    """
    start = validity.from_
    end = validity.until.date.isoformat() if isinstance(validity.until, DatedBound) else None
    if lang == "zh":
        text = f"{certainty_text(start.certainty, lang)}{start.date.isoformat()}起"
        return f"{text}至{end}" if end else f"{text}（未规定终止日期）"
    text = f"from {certainty_text(start.certainty, lang)}{start.date.isoformat()}"
    return f"{text} to {end}" if end else f"{text} (no end stated)"


def event_word(name: str, lang: Lang) -> str:
    return word(f"event.{name}", lang) if f"event.{name}" in WORDS else name


def value_word(value: object, lang: Lang) -> str:
    """A fact's value as shown beside it: true, false and unknown in words."""
    if isinstance(value, bool):
        return word(f"value.{str(value).lower()}", lang)
    return str(value)


# ---- the command line's own words (interfaces/cli/_lang.py): help texts and placeholders as written in English
# beside each option, and argparse's own messages, by their English (gettext's msgids) → Chinese. "%(name)s"
# fields are argparse's. ----
CLI_ZH: dict[str, str] = {
    # argparse
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "ignored explicit argument %r": "忽略了给出的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    # policyrules
    "policies as executable, cited rules: evaluate a case, explain it, compare jurisdictions, check a pack": (
        "把政策文件变成可执行、有出处的规则：评估案例、解释结果、比较各地、检查规则包"
    ),
    "--lang en anywhere on the command line gives English, --help included (default zh).": (
        "命令行任意位置加 --lang en 即显示英文，--help 也是如此（默认中文）。"
    ),
    "show the traceback of an internal error": "内部错误时显示调用栈",
    "language of help and output": "帮助和输出的语言",
    "COMMAND": "命令",
    "text (a table on a terminal, plain lines elsewhere), markdown, json (default text)": (
        "text（终端上显示表格，其他地方显示纯文本行）、markdown、json（默认 text）"
    ),
    "text (a table on a terminal, plain lines elsewhere), json (default text)": (
        "text（终端上显示表格，其他地方显示纯文本行）、json（默认 text）"
    ),
    "text (a table on a terminal, plain lines elsewhere), markdown, html, json (default text)": (
        "text（终端上显示表格，其他地方显示纯文本行）、markdown、html、json（默认 text）"
    ),
    "the same as --format json": "等同于 --format json",
    "language of titles, summaries, headings and messages (default zh); quotes stay as printed": (
        "标题、摘要、表头和消息的语言（默认 zh）；引文保持原样"
    ),
    "directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)": (
        "原文所在目录（默认：$POLICYRULES_SOURCES 或 ../shared/sources）"
    ),
    "fail when the source texts are not found, instead of reporting quotes as not verified": (
        "找不到原文时以失败结束，而不是只报告引文未核对"
    ),
    # packs
    "list shipped packs": "列出内置规则包",
    "load packs and verify every quote against its source text": "载入规则包，并把每条引文与原文核对",
    "print the JSON Schema of pack files (or of case files, or of results)": (
        "输出规则包文件（或案例文件、结果）的 JSON Schema"
    ),
    "the schema of case files instead": "改为输出案例文件的 JSON Schema",
    "the schema of a result's JSON (evaluate --json)": "改为输出结果 JSON 的 JSON Schema（evaluate --json）",
    "the schema of an explanation's JSON (explain --json)": "改为输出解释 JSON 的 JSON Schema（explain --json）",
    "regenerate the generated reference pages under docs/": "重新生成 docs/ 下的参考页面",
    "where the pages go (default: docs/ of the source checkout)": "页面写到哪里（默认：源代码目录下的 docs/）",
    "only report pages that are out of date": "只报告已过期的页面",
    "static consistency checks: conditions, conflicts, units, citations, usage": (
        "静态一致性检查：条件、冲突、单位、引用、使用情况"
    ),
    "compare packs with each other: near-identical wording encoded as a rule in one and reasoned out in another, "
    "or testing different groups": (
        "各规则包相互比较：几乎相同的文字在一个包中编为规则、在另一个包中只说明不计算的理由，或检验的人群不同"
    ),
    "numbered clauses of each source text: accounted for in the ledger, encoded, reasoned out": (
        "各原文的编号条款：是否列入台账、已编码、已说明理由"
    ),
    # cases
    "evaluate a pack on a case file": "用规则包评估一个案例文件",
    "show why each rule fired or not": "说明每条规则为何成立或不成立",
    "shipped pack name or path to a pack file": "内置规则包名，或规则包文件的路径",
    "case file (YAML or JSON); - reads standard input; example:NAME is a shipped example case": (
        "案例文件（YAML 或 JSON）；- 表示从标准输入读取；example:名称 表示内置的示例案例"
    ),
    "only this rule": "只解释这条规则",
    "evaluation engine (default native)": "评估引擎（默认 native）",
    "also list undecided rules about parties the case does not have": (
        "也列出涉及本案没有的个人、单位或申请而无法判断的规则"
    ),
    "evaluation date YYYY-MM-DD (default today)": "评估日期，如 2024-06-01（默认今天）",
    "run YAML test cases (default: the shipped cases of every pack)": "运行 YAML 测试案例（默认：各规则包的内置案例）",
    "test files or directories (default: the shipped cases)": "测试文件或目录（默认：内置案例）",
    "list passing tests too": "也列出通过的测试",
    # compare
    "compare two packs by topic; with --cases, on generated cases": "按主题比较两个规则包；加 --cases 时在生成的案例上比较",
    "the first pack (a shipped name or a pack file)": "第一个规则包（内置包名或规则包文件）",
    "the second pack": "第二个规则包",
    "behavioural diff over N generated cases (N ≥ 1)": "在 N 个生成的案例上比较行为（N ≥ 1）",
    "seed for generated cases (default 0; with --cases)": "生成案例的随机种子（默认 0；与 --cases 一起使用）",
    "only this topic": "只比较这个主题",
    "behavioural diff over your own cases: YAML/JSON list, or CSV with dotted fact paths as columns; "
    "- reads a YAML/JSON list from standard input": (
        "在你自己的案例上比较行为：YAML/JSON 列表，或以带点的事实路径为列名的 CSV；- 表示从标准输入读取 YAML/JSON 列表"
    ),
    "write to this file instead of standard output": "写入此文件，而不是标准输出",
    "topic × jurisdiction grid of headline figures with citations": "主题 × 地区的主要数额表，附出处",
    "expected a whole number, got %r": "应为整数，实际为 %r",
    "expected at least 1 case, got %s": "至少需要 1 个案例，实际为 %s",
    # compliance
    "an employer's employment security fund, reliefs and rewards, year by year": (
        "用人单位逐年的残疾人就业保障金、减免和奖励"
    ),
    "employer case file (YAML or JSON); - reads standard input": "用人单位案例文件（YAML 或 JSON）；- 表示从标准输入读取",
    "years to compute (default 2023..2027)": "计算哪些年度（默认 2023..2027）",
    "grade of the one more hire (default 2)": "再安排一名残疾人时其残疾等级（默认 2）",
    "certificate of the one more hire (default disability: 残疾人证)": (
        "再安排一名残疾人时其证件（默认 disability：残疾人证）"
    ),
    # serve
    "HTTP API and case page (needs the web extra)": "HTTP API 和案例页面（需要安装 'policyrules[web]'）",
    "address to listen on (default 127.0.0.1: this machine only)": "监听地址（默认 127.0.0.1：仅本机）",
    "port (default %(default)s)": "端口（默认 %(default)s）",
    "also serve this pack file (repeatable); requests can name only shipped and configured packs": (
        "另外提供此规则包文件（可重复）；请求只能指定内置的和这里配置的规则包"
    ),
    "largest request body (default %(default)s)": "请求体最大字节数（默认 %(default)s）",
    "largest batch upload (default %(default)s)": "批量上传最大字节数（默认 %(default)s）",
    "most cases in one batch (default %(default)s)": "一次批量最多的案例数（默认 %(default)s）",
    "work per request (default %(default)g)": "每个请求最多计算的秒数（默认 %(default)g）",
    "requests computed at once (default %(default)s)": "同时计算的请求数（默认 %(default)s）",
    "allow browser pages from this origin to call the API (repeatable; default: none)": (
        "允许来自此来源的网页调用 API（可重复；默认不允许）"
    ),
    "server log level (default %(default)s)": "服务器日志级别（默认 %(default)s）",
    "language of this command's messages (default zh); each request chooses with Accept-Language": (
        "本命令消息的语言（默认 zh）；每个请求用 Accept-Language 选择"
    ),
    # batch
    "evaluate a pack over a table of cases (Parquet or CSV) into Parquet": (
        "在案例表（Parquet 或 CSV）上评估规则包，结果写成 Parquet"
    ),
    "Parquet file or directory, or CSV (- reads CSV from standard input); columns are fact paths": (
        "Parquet 文件或目录，或 CSV（- 表示从标准输入读取 CSV）；列名为事实路径"
    ),
    "Parquet file to write (a directory with --dask)": "要写入的 Parquet 文件（用 --dask 时为目录）",
    "carry this input column through": "把此输入列原样带到输出",
    "skip rows with bad values, listing them here": "跳过含错误值的行，并把它们列在此文件中",
    "rows per chunk (memory is bounded by this)": "每块的行数（内存用量受此限制）",
    "run on a Dask cluster (a scheduler address, or local:N)": "在 Dask 集群上运行（调度器地址，或 local:N）",
    "cost a pack (or two, side by side) over a population": "在一个人口上核算规则包（或并排核算两个）的费用",
    "a pack, optionally a second pack, then the population (Parquet or CSV)": (
        "一个规则包，可再加第二个，然后是人口文件（Parquet 或 CSV）"
    ),
    "write a synthetic population (assumptions in docs/batch.md)": "生成合成人口（假设见 docs/batch.md）",
    "number of employers (default 0)": "用人单位数（默认 0）",
    "number of persons (default 0)": "个人数（默认 0）",
    "random seed (default 0)": "随机种子（默认 0）",
    "reference date for dates in the population": "人口中各日期的参照日期",
    "Parquet file to write": "要写入的 Parquet 文件",
    # placeholders (metavars)
    "PACK": "规则包",
    "PACK_A": "规则包A",
    "PACK_B": "规则包B",
    "CASE": "案例",
    "CASE_FILE": "案例文件",
    "RULE": "规则",
    "PATH": "路径",
    "DATE": "日期",
    "DIR": "目录",
    "SOURCES": "目录",
    "SEED": "种子",
    "TOPIC": "主题",
    "OUTPUT": "文件",
    "FILE": "文件",
    "Y..Y": "年..年",
    "HOST": "地址",
    "PORT": "端口",
    "BYTES": "字节数",
    "SECONDS": "秒数",
    "WORKERS": "个数",
    "ORIGIN": "来源",
    "INPUT": "输入",
    "COLUMN": "列",
    "ERRORS.parquet": "错误行文件",
    "CHUNK_ROWS": "行数",
    "ADDRESS": "地址",
    "PACK [PACK_B] POPULATION": "规则包 [规则包B] 人口",
    "EMPLOYERS": "个数",
    "PERSONS": "个数",
}
