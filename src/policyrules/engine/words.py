"""How things are said to a reader, in Chinese or English: the phrase table, amounts and plan periods (plain text)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

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


def fact_words(text: str, lang: Lang = "en") -> str:
    """An expression as a reader says it: each fact by its term (Chinese) or meaning (English), not its path."""
    facts = case_facts()

    def term(m: re.Match[str]) -> str:
        info = facts.get(m.group(0))
        if info is None:
            return m.group(0)
        return (info.zh if lang == "zh" or not info.description else info.description) or m.group(0)

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
    "scalar.a duration counted from an event": ("自事件起计算的期限", "a duration counted from an event"),
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
}


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
        "expr": _share_words(a, lang) if a.kind == "share" else a.expression,
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
