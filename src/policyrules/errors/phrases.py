"""What an input error says, in Chinese and in English: the phrase table of every error the library raises.

An error keeps a phrase key and the values the phrase names, and is said in a reader's language only
when it is shown. The table sits at the bottom of the library, beside the error types, because every
stage raises errors; :mod:`policyrules.engine.words` takes these phrases into its own table, so the
library has one table to check (``tests/test_cli_chinese.py``). Ids, keys, fact paths, file names,
values as given and expressions are never translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Fields = tuple[tuple[str, Any], ...]
"""The values a phrase names, as (name, value) pairs (a tuple, so a problem stays hashable)."""


@dataclass(frozen=True)
class Phrase:
    """Something to say to a reader, as data: a key of the phrase table and the values it names.

    The library's one phrase type: an error's reason, a check finding, an arithmetic error. A field may
    itself be a Phrase, said in the same language, so a message made once can be shown in either.
    """

    key: str
    fields: Fields = ()

    @classmethod
    def of(cls, key: str, **fields: Any) -> Phrase:
        return cls(key, tuple(fields.items()))

    def text(self, lang: str) -> str:
        """The phrase in ``lang`` (zh unless en)."""
        return say(self.key, lang, self.fields)

    def as_dict(self) -> dict[str, Any]:
        """As JSON: the key, and the fields as JSON values (a decimal or a date as its text)."""

        def value(v: Any) -> Any:
            if isinstance(v, Phrase):
                return v.as_dict()
            return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)

        return {"key": self.key, "fields": {k: value(v) for k, v in self.fields}}

    def __str__(self) -> str:
        return self.text("en")


def say(key: str, lang: str, fields: Fields = ()) -> str:
    """Phrase ``key`` in ``lang`` (zh unless en), its fields filled in; a field that is a Phrase is said in
    ``lang`` too."""
    zh, en = _TABLE[key]
    values = {name: value.text(lang) if isinstance(value, Phrase) else value for name, value in fields}
    return (zh if lang == "zh" else en).format(**values)


def either(items: list[str]) -> Any:
    """``a or b or c``, said in either language (one item: itself)."""
    if len(items) == 1:
        return items[0]
    return Phrase.of("or", a=either(items[:-1]), b=items[-1])


# key: (zh, en). "{name}" is a field; "{name!r}" quotes a value as given (a key, a value from the file).
PROBLEM_WORDS: dict[str, tuple[str, str]] = {
    # errors of the library as a whole
    "error.missing_extra": (
        "{what} 需要安装可选依赖 '{extra}'：pip install 'policyrules[{extra}]'",
        "{what} needs the '{extra}' extra: pip install 'policyrules[{extra}]'",
    ),
    "error.missing_extra_detail": (
        "{what} 需要安装可选依赖 '{extra}'：pip install 'policyrules[{extra}]'（{detail}）",
        "{what} needs the '{extra}' extra: pip install 'policyrules[{extra}]' ({detail})",
    ),
    "or": ("{a} 或 {b}", "{a} or {b}"),
    "extra.http_api": ("HTTP 接口", "the HTTP API"),
    "extra.no_module": ("缺少模块 {name}", "No module named '{name}'"),
    "error.more_problems": ("…… 另有 {n} 个问题", "… and {n} more problems"),
    # reading a file (reading.textfile)
    "file.too_large": ("文件超过 {limit:,} 字节的上限", "file is larger than the limit of {limit:,} bytes"),
    "file.no_stdin": ("没有可读的标准输入", "there is no standard input to read"),
    "file.stdin_unreadable": ("无法读取标准输入：{reason}", "cannot read standard input: {reason}"),
    "file.unreadable": ("无法读取文件：{reason}", "cannot read file: {reason}"),
    "file.not_utf8": (
        "不是 UTF-8 编码：字节 0x{byte:02x} 无法解码；请将文件另存为 UTF-8",
        "not UTF-8: byte 0x{byte:02x} cannot be decoded; save the file as UTF-8",
    ),
    "file.no_such_file": ("文件不存在", "No such file or directory"),
    "file.permission": ("没有读取权限", "Permission denied"),
    "file.is_directory": ("这是一个目录", "Is a directory"),
    "file.os_error": ("系统报告：{said}", "{said}"),
    "file.control_character": ("不允许使用控制字符 {char!r}", "control character {char!r} is not allowed"),
    # YAML (reading.yamlsource)
    "yaml.syntax": ("YAML 格式错误：{reason}", "invalid YAML: {reason}"),
    "yaml.second_document": (
        "一个文件只能有一个文档；这里出现了第二个",
        "a file holds one document; found a second one",
    ),
    "yaml.tag": ("不允许使用标签 {tag!r}；请写普通的值", "tag {tag!r} is not allowed; write plain values"),
    "yaml.key_not_string": ("键必须是普通字符串", "a key must be a plain string"),
    "yaml.merge_key": ("不支持合并键（<<）；请把各个键写出来", "merge keys (<<) are not supported; write the keys out"),
    "yaml.duplicate_key": ("键 {name!r} 重复", "duplicate key {name!r}"),
    "yaml.no_aliases": (
        "此文件不允许使用别名（*{anchor}）；请把值写出来",
        "aliases (*{anchor}) are not allowed in this file; write the value out",
    ),
    "yaml.undefined_alias": (
        "别名 *{anchor} 之前没有定义同名锚点",
        "alias *{anchor} names no anchor defined before it",
    ),
    "yaml.not_whole": ("无效的值：{text!r} 不是整数", "invalid value: {text!r} is not a whole number"),
    "yaml.not_number": ("无效的值：{text!r} 不是数字", "invalid value: {text!r} is not a number"),
    "yaml.surrogate": ("无效字符 {char!r}（孤立的代理码位）", "invalid character {char!r} (a lone surrogate)"),
    "yaml.leading_zero": (
        "无效的值：{text!r} 以 0 开头（YAML 1.1 中是八进制）；请写成 {number} 或加引号",
        "invalid value: {text!r} has a leading zero (octal in YAML 1.1); write {number} or quote it",
    ),
    # what the YAML parser says (PyYAML's and libyaml's words), when it is one of these
    "yaml.reason.mapping_values": ("此处不能出现映射的值（冒号位置不对）", "mapping values are not allowed here"),
    "yaml.reason.expected_colon": ("缺少预期的 ':'", "could not find expected ':'"),
    "yaml.reason.bad_token": ("出现了不能作为开头的字符", "found character that cannot start any token"),
    "yaml.reason.tab": ("出现了制表符；YAML 用空格缩进", "found a tab character; YAML indents with spaces"),
    "yaml.reason.expected_key": (
        "缺少预期的键（缩进不对齐？）",
        "did not find expected key (is the indentation even?)",
    ),
    "yaml.reason.expected_content": ("缺少预期的值", "did not find expected node content"),
    "yaml.reason.end_of_stream": (
        "文件意外结束（引号或括号未闭合？）",
        "found unexpected end of stream (an unclosed quote or bracket?)",
    ),
    "yaml.reason.expected_entry": ("缺少预期的 ',' 或 '{close}'", "did not find expected ',' or '{close}'"),
    "yaml.reason.expected_dash": ("缺少预期的 '-'（列表项缩进不对齐？）", "did not find expected '-' indicator"),
    "yaml.reason.block_end": (
        "缩进不对：这一行的缩进与上面的层次不符",
        "the indentation does not match the lines above (expected the end of a block)",
    ),
    "yaml.reason.sequence_here": ("此处不能出现列表项", "block sequence entries are not allowed here"),
    "yaml.reason.escape": ("未知的转义字符", "found unknown escape character"),
    "yaml.reason.other": ("解析器报告：{said}", "{said}"),
    # JSON (reading.jsonsource)
    "json.syntax": ("JSON 格式错误：{reason}", "invalid JSON: {reason}"),
    "json.duplicate_key": ("键 {name!r} 重复", "duplicate key {name!r}"),
    "json.extra_data": ("JSON 值之后还有多余内容", "extra data after the JSON value"),
    "json.value_missing": ("文件末尾缺少一个值", "a value is missing at the end of the file"),
    "json.expected_value": ("此处应是一个值，却是 {char!r}", "expected a value, found {char!r}"),
    "json.surrogate": (
        "字符串中有无效字符（孤立的代理转义，如 \\ud800）",
        "invalid character in string (a lone surrogate escape such as \\ud800)",
    ),
    "json.expected_key": ("此处应是双引号中的键", "expected a key in double quotes"),
    "json.expected_colon": ("键之后应是 ':'", "expected ':' after the key"),
    "json.expected_entry": ("此处应是 ',' 或 '{close}'", "expected ',' or '{close}'"),
    "json.string": ("字符串有误：{said}", "{said}"),
    "json.unterminated": ("字符串没有结束的双引号", "unterminated string"),
    "json.control": ("字符串中有未转义的控制字符", "invalid control character in a string"),
    "json.escape": ("字符串中有无效的转义（\\ 之后）", "invalid escape in a string (after \\)"),
    # limits of what a file may hold (reading.limits)
    "limit.values": ("值超过 {limit:,} 个", "more than {limit:,} values"),
    "limit.depth": ("嵌套超过 {limit} 层", "nested more than {limit} levels deep"),
    "limit.aliases": ("别名超过 {limit} 个", "more than {limit} aliases"),
    "limit.alias_size": (
        "别名 *{anchor} 重复了 {size:,} 个值；最多只能重复 {limit:,} 个",
        "alias *{anchor} repeats {size:,} values; at most {limit:,} may be repeated",
    ),
    "limit.string": ("字符串超过 {limit:,} 个字符", "a string longer than {limit:,} characters"),
    "limit.number": ("数字超过 {limit} 个字符", "a number longer than {limit} characters"),
    # a document checked against a model (reading.validate): pydantic's errors by their type
    "schema.unknown_key": ("未知的键 {name!r}", "unknown key {name!r}"),
    "schema.unknown_key_hint": ("未知的键 {name!r}；是否想写 {hints}？", "unknown key {name!r}; did you mean {hints}?"),
    "schema.unknown_key_here": ("未知的键", "unknown key"),
    "schema.missing_key": ("缺少键 {name!r}", "missing key {name!r}"),
    "schema.missing_key_here": ("缺少键", "missing key"),
    "schema.at": ("{where}：{reason}", "{where}: {reason}"),
    "schema.document": ("文档", "document"),
    # pydantic's errors: English in pydantic's own words (as before), Chinese with the same values
    "pydantic.other": ("{message}（pydantic 错误类型 {type}）", "{message} ({type})"),
    "pydantic.value_error": ("{reason}", "Value error, {reason}"),
    "pydantic.missing": ("缺少此项", "Field required"),
    "pydantic.extra_forbidden": ("不允许的键（词汇表中没有）", "Extra inputs are not permitted"),
    "pydantic.literal_error": ("应为 {expected}", "Input should be {expected}"),
    "pydantic.enum": ("应为 {expected}", "Input should be {expected}"),
    "pydantic.choices": ("{head} 或 {last}", "{head} or {last}"),
    "pydantic.int_parsing": (
        "应为整数，无法把文本读成整数",
        "Input should be a valid integer, unable to parse string as an integer",
    ),
    "pydantic.int_type": ("应为整数", "Input should be a valid integer"),
    "pydantic.int_from_float": (
        "应为整数，却是带小数部分的数",
        "Input should be a valid integer, got a number with a fractional part",
    ),
    "pydantic.bool_parsing": (
        "应为 true 或 false，无法解读输入",
        "Input should be a valid boolean, unable to interpret input",
    ),
    "pydantic.bool_type": ("应为 true 或 false", "Input should be a valid boolean"),
    "pydantic.decimal_parsing": ("应为数字", "Input should be a valid decimal"),
    "pydantic.float_parsing": (
        "应为数字，无法把文本读成数字",
        "Input should be a valid number, unable to parse string as a number",
    ),
    "pydantic.float_type": ("应为数字", "Input should be a valid number"),
    "pydantic.string_type": ("应为文本", "Input should be a valid string"),
    "pydantic.model_type": (
        "应为映射（键: 值），即 {class_name}",
        "Input should be a valid dictionary or instance of {class_name}",
    ),
    "pydantic.dict_type": ("应为映射（键: 值）", "Input should be a valid dictionary"),
    "pydantic.model_attributes_type": (
        "应为映射（键: 值）",
        "Input should be a valid dictionary or object to extract fields from",
    ),
    "pydantic.list_type": ("应为列表", "Input should be a valid list"),
    "pydantic.tuple_type": ("应为列表", "Input should be a valid tuple"),
    "pydantic.none_required": ("此处应为空", "Input should be None"),
    "pydantic.greater_than_equal": ("应大于或等于 {ge}", "Input should be greater than or equal to {ge}"),
    "pydantic.greater_than": ("应大于 {gt}", "Input should be greater than {gt}"),
    "pydantic.less_than_equal": ("应小于或等于 {le}", "Input should be less than or equal to {le}"),
    "pydantic.less_than": ("应小于 {lt}", "Input should be less than {lt}"),
    "pydantic.multiple_of": ("应为 {multiple_of} 的倍数", "Input should be a multiple of {multiple_of}"),
    "pydantic.string_too_long": ("文本最多 {max_length} 个字符", "String should have at most {max_length} characters"),
    "pydantic.string_too_short": (
        "文本至少 {min_length} 个字符",
        "String should have at least {min_length} characters",
    ),
    "pydantic.string_pattern_mismatch": ("文本应符合格式 '{pattern}'", "String should match pattern '{pattern}'"),
    "pydantic.too_long": (
        "{field_type} 最多 {max_length} 项，而不是 {actual_length} 项",
        "{field_type} should have at most {max_length} items after validation, not {actual_length}",
    ),
    "pydantic.too_short": (
        "{field_type} 至少 {min_length} 项，而不是 {actual_length} 项",
        "{field_type} should have at least {min_length} items after validation, not {actual_length}",
    ),
    "pydantic.union_tag_invalid": (
        "用 {discriminator} 找到的种类 '{tag}' 不在可选范围内：{expected_tags}",
        "Input tag '{tag}' found using {discriminator} does not match any of the expected tags: {expected_tags}",
    ),
    "pydantic.union_tag_not_found": (
        "缺少用来区分种类的 {discriminator}",
        "Unable to extract tag using discriminator {discriminator}",
    ),
    # values a model refuses (errors.Invalid, raised by dates, types, the case and the pack schema)
    "value.datetime": (
        "应为日期，却是日期时间（{value}）；请传入其 .date()",
        "expected a date, got a datetime ({value}); pass its .date()",
    ),
    "value.no_such_day": (
        "{value!r} 按 YYYY-MM-DD 书写，但没有这一天",
        "{value!r} is written YYYY-MM-DD but there is no such day",
    ),
    "value.not_date": (
        "应为写成 YYYY-MM-DD 的日期，却是 {value!r}",
        "expected a date written YYYY-MM-DD, got {value!r}",
    ),
    "value.inexact": ("应为精确的数字，却是 {value!r}", "expected an exact number, got {value!r}"),
    "value.not_ascii_number": (
        "应为用半角数字（ASCII）书写的数字，却是 {value!r}",
        "expected a number written in ASCII digits, got {value!r}",
    ),
    "value.not_number": ("应为数字，却是 {value!r}", "expected a number, got {value!r}"),
    "value.not_finite": ("应为有限的数字，却是 {value!r}", "expected a finite number, got {value!r}"),
    "value.out_of_range": (
        "{value!r} 超出范围：数字应在 1e-{exponent} 与 1e{exponent} 之间",
        "{value!r} is out of range: numbers lie between 1e-{exponent} and 1e{exponent}",
    ),
    "value.too_many_digits": (
        "{value!r} 的有效数字超过 {digits} 位",
        "{value!r} has more than {digits} significant digits",
    ),
    "value.at_least": ("应大于或等于 {low}", "must be ≥ {low}"),
    "value.between": ("应在 {low} 与 {high} 之间", "must lie between {low} and {high}"),
    "value.grade": ("残疾等级是 1 到 4 的整数，却是 {value!r}", "a grade is a whole number 1 to 4, got {value!r}"),
    "value.surrogate": ("文本中有孤立的代理码位（无效字符）", "text holds a lone surrogate (an invalid character)"),
    # a case that contradicts itself (facts.case, facts.employees)
    "case.graduation_year": (
        "毕业年份（{year}）与毕业日期（{date}）的年份不符",
        "year ({year}) is not the year of date ({date})",
    ),
    "case.certificate_grade": ("残疾人证的等级为 1 到 4 级，不是 {grade}", "a 残疾人证 has grades 1 to 4, not {grade}"),
    "case.exceeds": ("{small}（{a}）超过了 {large}（{b}）", "{small} ({a}) exceeds {large} ({b})"),
    "case.exceeds_twice": (
        "{small}（{a}）超过了 {large}（{b}），即使每名职工都按 2 人计算（重度按 2 人计）",
        "{small} ({a}) exceeds {large} ({b}) even with every employee counted twice (a severe grade counts as 2)",
    ),
    "case.zero_when": ("{count} 为 {k}，但 {choice} 为 {value}", "{count} is {k}, but {choice} is {value}"),
    "case.wage_twice": (
        "average_annual_wages 中 {years} 年出现了不止一次",
        "average_annual_wages gives {years} more than once",
    ),
    "case.listed_over_staff": (
        "unit.disabled_staff 列出了 {persons} 名计入的职工，多于 unit.staff（{staff}）",
        "unit.disabled_staff lists {persons} employees who count, more than unit.staff ({staff})",
    ),
    "case.count_disagrees": (
        "unit.disabled_employees（{given}）与 unit.disabled_staff 不符，后者计得 {counted}",
        "unit.disabled_employees ({given}) disagrees with unit.disabled_staff, which counts {counted}",
    ),
    "case.seasonal_disagrees": (
        "unit.seasonal_staff_average（{given}）与 unit.seasonal_staff 不符：共 {months} 个月的工作，平均为 {average}",
        "unit.seasonal_staff_average ({given}) disagrees with unit.seasonal_staff, "
        "{months} months of work, which average {average}",
    ),
    # a pack file the schema refuses (pack.schema)
    "pack.text_plain": (
        "请用两种语言写这段文字，{{zh: …, en: …}}；单独一个字符串缺少{lacking}",
        "give this text in both languages, {{zh: …, en: …}}; a plain string lacks {lacking}",
    ),
    "pack.lang_zh": (" zh（简体中文）", "zh (Simplified Chinese)"),
    "pack.lang_en": (" en（英文）", "en (English)"),
    "pack.text_lacks_zh": (
        "文字缺少 zh（简体中文）；请写 {{zh: …, en: …}}",
        "text lacks zh (Simplified Chinese); write {{zh: …, en: …}}",
    ),
    "pack.text_lacks_en": (
        "文字缺少 en（英文）；请写 {{zh: …, en: …}}",
        "text lacks en (English); write {{zh: …, en: …}}",
    ),
    "pack.text_lacks_both": (
        "文字缺少 zh（简体中文）和 en（英文）；请写 {{zh: …, en: …}}",
        "text lacks zh (Simplified Chinese) and en (English); write {{zh: …, en: …}}",
    ),
    "pack.same_date": ("同一日期有两个值：{dates}", "two values from the same date: {dates}"),
    "pack.negative": (
        "出现负值：参数应大于或等于 0，除非参数写明 signed: true",
        "a negative value: parameters are ≥ 0 unless the parameter says signed: true",
    ),
    "pack.amount_needs": ("种类为 {kind!r} 的金额需要 {fields}", "amount of kind {kind!r} needs {fields}"),
    "pack.amount_takes_not": (
        "种类为 {kind!r} 的金额不接受 {fields}",
        "amount of kind {kind!r} does not take {fields}",
    ),
    "pack.share_base": (
        "比例需要基数：base（表达式）或 base_text（文字）",
        "a share needs its base: base (an expression) or base_text (in words)",
    ),
    "pack.amount_unit": ("种类为 {kind!r} 的金额需要单位（unit）", "amount of kind {kind!r} needs a unit"),
    "pack.one_result": (
        "一条规则恰好有 derive、entitlement、obligation、sanction、exclusion 之一",
        "a rule has exactly one of derive, entitlement, obligation, sanction, exclusion",
    ),
    "pack.one_result_found": (
        "一条规则恰好有 derive、entitlement、obligation、sanction、exclusion 之一（这里有 {found}）",
        "a rule has exactly one of derive, entitlement, obligation, sanction, exclusion (found {found})",
    ),
    "pack.ledger_accounted": (
        "台账条目须列出其规则，或说明为何不计算",
        "a ledger entry names its rules or says why it is not computed",
    ),
    # units of measure (units)
    "unit.unreadable": ("无法读取单位 {unit!r}（在 {rest!r} 处）", "cannot read unit {unit!r} at {rest!r}"),
    "unit.starts": ("单位 {unit!r} 必须以单位名开头", "unit {unit!r} must start with a unit name"),
    "unit.join": ("单位 {unit!r}：请用 * 或 / 连接单位", "unit {unit!r}: join units with * or /"),
    "unit.unknown": ("未知的单位 {name!r}；已知的单位：{known}", "unknown unit {name!r}; known units: {known}"),
    # types of the expression language (expr.types)
    "type.number": ("数值", "number"),
    "type.number_in": ("数值 [{dim}]", "number [{dim}]"),
    "type.list_of": ("{item}的列表", "list of {item}"),
    "type.list": ("列表", "list"),
    "type.bool": ("布尔值", "bool"),
    "type.string": ("文本", "string"),
    "type.date": ("日期", "date"),
    # expressions (expr.parser, expr.types)
    "expr.not_text": ("表达式应为字符串，却是 {got}", "expected an expression string, got {got}"),
    "expr.too_long": ("表达式超过 {limit} 个字符", "expression longer than {limit} characters"),
    "expr.empty": ("表达式为空", "empty expression"),
    "expr.syntax": ("语法错误：{reason}", "syntax error: {reason}"),
    "expr.syntax.unclosed": ("括号没有闭合", "a bracket was never closed"),
    "expr.syntax.unmatched": ("多了一个右括号", "unmatched closing bracket"),
    "expr.syntax.mismatched": ("右括号与左括号不配对", "closing bracket does not match the opening one"),
    "expr.syntax.comma": ("无效的语法（是否漏了逗号？）", "invalid syntax. Perhaps you forgot a comma?"),
    "expr.syntax.string": ("字符串没有结束的引号", "unterminated string literal"),
    "expr.syntax.end": ("表达式意外结束", "unexpected end of the expression"),
    "expr.syntax.number": ("无效的数字", "invalid decimal literal"),
    "expr.syntax.character": ("无效的字符", "invalid character"),
    "expr.syntax.invalid": ("无效的语法", "invalid syntax"),
    "expr.syntax.other": ("解析器报告：{said}", "{said}"),
    "expr.too_deep_or_invalid": ("表达式嵌套过深或无效", "expression is too deeply nested or invalid"),
    "expr.too_deep": ("表达式嵌套超过 {limit} 层", "expression nested deeper than {limit} levels"),
    "expr.unary": ("一元运算符只允许 'not' 和 '-'", "only 'not' and '-' are allowed as unary operators"),
    "expr.operator": (
        "不允许的运算符（请用 + - * / 以及函数 floor、ceil、min、max）",
        "operator not allowed (use + - * / and the functions floor, ceil, min, max)",
    ),
    "expr.construct": ("表达式中不允许使用 {what}", "{what} is not allowed in an expression"),
    "expr.non_ascii_name": (
        "名称中有 {char!r}（{name}）：名称用 ASCII 书写（小写字母、数字、'_'）",
        "{char!r} ({name}) in a name: names are written in ASCII (lower-case letters, digits, '_')",
    ),
    "expr.bool_case": ("true 和 false 要小写", "write true or false in lower case"),
    "expr.not_decimal": (
        "数字 {number!r}：数字用十进制书写（不用 0x、0o、0b）",
        "number {number!r}: numbers are written in decimal digits (no 0x, 0o, 0b)",
    ),
    "expr.number_too_long": ("数字超过 {limit} 位", "number literal longer than {limit} digits"),
    "expr.number_unreadable": ("无法读取数字 {number!r}", "cannot read number {number!r}"),
    "expr.literal": ("不允许 {what} 类型的字面量", "{what} literals are not allowed"),
    "expr.attribute": ("只有事实名称才能用点号（a.b.c）", "attributes are only allowed on fact names (a.b.c)"),
    "expr.segment": (
        "{part!r} 不是有效的名称片段（小写字母、数字、'_'；不以 '_' 开头）",
        "{part!r} is not a valid name segment (lower-case letters, digits, '_'; no leading '_')",
    ),
    "expr.is": ("不允许用 'is' 比较；请用 == 或 !=", "'is' comparisons are not allowed; use == or !="),
    "expr.call": ("只能调用内置函数", "only the built-in functions may be called"),
    "expr.unknown_function_of": (
        "未知的函数 {f!r}；可用的函数：{allowed}",
        "unknown function {f!r}; allowed: {allowed}",
    ),
    "expr.unknown_function": ("未知的函数 {f!r}", "unknown function {f!r}"),
    "expr.keyword": ("不允许使用关键字参数", "keyword arguments are not allowed"),
    "expr.starred": ("不允许使用 *参数", "*arguments are not allowed"),
    "expr.mixes_units": ("{what} 混用了单位 [{a}] 和 [{b}]", "{what} mixes units [{a}] and [{b}]"),
    "expr.unknown_fact": ("未知的事实 {path!r}", "unknown fact {path!r}"),
    "expr.unknown_fact_hint": (
        "未知的事实 {path!r}；是否想写 {hints}？",
        "unknown fact {path!r}; did you mean {hints}?",
    ),
    "expr.empty_list": ("列表为空", "empty list"),
    "expr.where.list": ("列表", "list"),
    "expr.where.comparison": ("比较 '{op}'", "comparison '{op}'"),
    "expr.in_needs_list": (
        "'{op}' 的右边必须是列表 [a, b, ...]",
        "the right side of '{op}' must be a list [a, b, ...]",
    ),
    # evaluating an expression: expr/ raises these, so they are said without any engine module loaded
    "arith.division_by_zero": ("除数为零", "division by zero"),
    "arith.overflow": ("数额太大，无法精确计算", "a figure is too large to compute exactly"),
    "arith.invalid": ("无效的算术运算", "an invalid arithmetic operation"),
    "arith.not_whole": ("不能给日期加 {k} {what}：不是整数", "cannot add {k} {what} to a date: not a whole number"),
    "arith.years": ("年", "years"),
    "arith.months": ("个月", "months"),
    "arith.days": ("天", "days"),
    "expr.order_needs": ("'{op}' 需要数值或日期，而不是{type}", "'{op}' needs numbers or dates, not {type}"),
    "expr.date_arithmetic": (
        "'{op}' 不能用于日期；请用 add_years、add_months、add_days 或 years_between、months_between、days_between",
        "'{op}' does not apply to dates; use add_years, add_months, add_days "
        "or years_between, months_between, days_between",
    ),
    "expr.arity_one": ("{f}() 需要 {k} 个参数", "{f}() takes {k} argument"),
    "expr.arity": ("{f}() 需要 {k} 个参数", "{f}() takes {k} arguments"),
    "expr.arity_min": ("{f}() 至少需要 2 个参数", "{f}() takes at least 2 arguments"),
    "expr.adds_unit": ("{f}() 加的是 [{want}]，但这里是 [{got}]", "{f}() adds [{want}], but this is in [{got}]"),
    "expr.quantity_number": ("quantity() 的第一个参数是数字字面量", "quantity() takes a number literal first"),
    "expr.quantity_unit": (
        "quantity() 的第二个参数是单位字符串，例如 'month'",
        "quantity() takes a unit string second, e.g. 'month'",
    ),
    "expr.date_literal": ("date() 的参数是字面量 'YYYY-MM-DD'", "date() takes a literal 'YYYY-MM-DD'"),
    "expr.needs": ("{where} 需要{kind}，但这里是{type}", "{where} needs a {kind}, but this is a {type}"),
    "expr.compares": ("{where} 把{a}与{b}相比", "{where} compares a {a} with a {b}"),
    "expr.not_a_choice": (
        "{value!r} 不是可能的值；应为以下之一：{choices}",
        "{value!r} is not a possible value; expected one of: {choices}",
    ),
    # a pack that does not compile (engine.compiler)
    "compile.expression_type": ("此处应为{want}表达式，却是{got}", "expected a {want} expression, got a {got}"),
    "compile.derived_in_parent": (
        "派生事实 {name!r} 已由父规则包声明",
        "derived fact {name!r} is already declared by the parent pack",
    ),
    "compile.parent_not_loaded": ("父规则包 {parent!r} 没有加载", "parent pack {parent!r} was not loaded"),
    "compile.duplicate_rule": ("规则 id {id!r} 重复", "duplicate rule id {id!r}"),
    "compile.overrides_unknown": (
        "overrides 写了 {ref!r}，它不是{where}的规则",
        "overrides {ref!r}, which is not a rule of {where}",
    ),
    "compile.parent_pack": ("父规则包 {parent!r} ", "parent pack {parent!r}"),
    "compile.no_parent": ("父规则包（本规则包没有父规则包）", "a parent pack (this pack has none)"),
    "compile.alongside_unknown": (
        "alongside 写了 {ref!r}，它不是本规则包或其父规则包的规则",
        "alongside names {ref!r}, which is not a rule of this pack or its parent",
    ),
    "compile.shares_topic": (
        "规则 {id!r} 与父规则 {parent_rule!r} 的主题同为 {topic!r}：请用 'overrides' 或 'alongside' 说明适用哪一条",
        "rule {id!r} and parent rule {parent_rule!r} share topic {topic!r}: "
        "declare which applies with 'overrides' or 'alongside'",
    ),
    "compile.id_in_parent": (
        "规则 id {id!r} 已被父规则包 {parent!r} 使用",
        "rule id {id!r} is already used by parent pack {parent!r}",
    ),
    "compile.override_kind": (
        "规则 {id!r}（{kind}）覆盖了 {replaced!r}（{replaced_kind}）：derive 规则只能覆盖 derive 规则，"
        "结果规则只能覆盖结果规则或排除规则",
        "rule {id!r} ({kind}) overrides {replaced!r} ({replaced_kind}): "
        "a derive rule overrides a derive rule, an outcome rule an outcome or exclusion rule",
    ),
    "compile.override_event": (
        "规则 {id!r} 按 {event} 事件判断，却覆盖了按 {replaced_event} 事件判断的 {replaced!r}："
        "适用哪一条要按同一个事件的日期来判断",
        "rule {id!r} decides the {event} event but overrides {replaced!r}, which decides the {replaced_event} "
        "event: which of them applies is read from one event's date",
    ),
    "compile.unknown_topic": (
        "主题 {topic!r} 不在 rules/topics.yaml 中",
        "topic {topic!r} is not in rules/topics.yaml",
    ),
    "compile.unknown_topic_hint": (
        "主题 {topic!r} 不在 rules/topics.yaml 中；是否想写 {hints}？",
        "topic {topic!r} is not in rules/topics.yaml; did you mean {hints}?",
    ),
    "compile.derived_undeclared": (
        "派生事实 {fact!r} 没有在 'derived' 下声明",
        "derived fact {fact!r} is not declared under 'derived'",
    ),
    "compile.derive_type": (
        "值是{got}，但 derived.{fact} 是{want}",
        "value is a {got}, but derived.{fact} is a {want}",
    ),
    "compile.derive_any_text": (
        "derived.{fact} 只能取 {allowed} 之一；这个值可以是任意文本",
        "derived.{fact} is one of {allowed}; this value may be any text",
    ),
    "compile.derive_not_choice": (
        "{value!r} 不是 derived.{fact} 的可选值（{allowed}）",
        "{value!r} is not one of derived.{fact}'s choices ({allowed})",
    ),
    "compile.duration_unit": (
        "从事件起算的期限需要日历单位（year、month、day），而不是 {unit!r}",
        "a duration counted from an event needs a calendar unit (year, month, day), not {unit!r}",
    ),
    "compile.funding": ("资金分担比例合计为 {total}，不是 1", "funding shares add up to {total}, not 1"),
    "compile.count_per": (
        "'count' 需要 'per' 说明按什么计数，例如 per: [person]",
        "'count' needs 'per' to say what is counted, e.g. per: [person]",
    ),
    "compile.range": ("区间下限 {min} 超过了上限 {max}", "range minimum {min} exceeds its maximum {max}"),
    "compile.rate": (
        "比例 {rate} 不在 0 与 1 之间（60% 写作 0.6）",
        "share rate {rate} is not between 0 and 1 (write 0.6 for 60%)",
    ),
    "compile.unit_mismatch": (
        "单位不符：这里是 [{dim}]，应为 {accepted}",
        "unit mismatch: this is in [{dim}], expected {accepted}",
    ),
    "compile.precedence_unknown": (
        "precedence 写了 {rule!r}，它并不设定 {name!r}",
        "precedence names {rule!r}, which does not set {name!r}",
    ),
    "compile.precedence_missing": (
        "{name!r} 的 precedence 漏了同样设定它的 {rule!r}",
        "precedence of {name!r} leaves out {rule!r}, which also sets it",
    ),
    "compile.cycle": ("规则之间循环依赖：{rules}", "rules depend on each other in a cycle: {rules}"),
    "compile.clause_twice": ("条款 {clause!r} 在台账中出现了两次", "clause {clause!r} appears twice in the ledger"),
    "compile.ledger_unknown_rule": (
        "台账写了规则 {rule!r}，本规则包没有定义它",
        "ledger names rule {rule!r}, which this pack does not define",
    ),
    "compile.rule_not_in_ledger": ("规则 {rule!r} 不在台账中", "rule {rule!r} is not in the ledger"),
    "compile.citation_clause": (
        "出处须写明条款，照文件印的写",
        "a citation names its clause, as the document prints it",
    ),
    "compile.cited_not_in_ledger": (
        "引用了条款 {clause!r}，但它不在台账中（{document}）",
        "clause {clause!r} is cited but not in the ledger",
    ),
    "compile.cited_unrecorded": (
        "引用了 {document} 的条款 {clause!r}，但没有台账记录它：请在文号为 {document} 的规则包台账中列出，"
        "或在本规则包台账中写作 '{document} {clause}'",
        "clause {clause!r} of {document} is cited but no ledger records it: list it in the ledger of "
        "the pack whose document {document} is, or as '{document} {clause}' in this pack's ledger",
    ),
    "compile.external_confidence": (
        "外部引用 {document} {clause}：其台账条目 {entry!r}（规则包 {pack}）没有给出 confidence："
        "请在那里说明其文号和措辞有多可靠、出自何处",
        "external citation of {document} {clause}: its ledger entry {entry!r} (pack {pack}) "
        "gives no confidence: say there how sure its number and wording are, and from where",
    ),
    "compile.validity_order": ("有效期的结束早于开始", "validity ends before it starts"),
    "compile.value_after_validity": (
        "{name!r} 的值在规则包有效期结束之后才开始",
        "value of {name!r} starts after the pack's validity ends",
    ),
    # packs: finding and loading them (pack.files, engine.loading, the HTTP catalogue)
    "pack.no_file": ("没有这个规则包文件：{path}", "no pack file at {path}"),
    "pack.not_shipped": (
        "没有名为 {name!r} 的规则包；随附的规则包：{shipped}",
        "no pack named {name!r}; shipped packs: {shipped}",
    ),
    "pack.none_shipped": (
        "没有名为 {name!r} 的规则包；没有随附的规则包",
        "no pack named {name!r}; shipped packs: none",
    ),
    "pack.not_served": ("没有规则包 {name!r}；提供的规则包：{served}", "no pack {name!r}; served packs: {served}"),
    "load.inherits_itself": ("规则包不能继承自身", "a pack cannot inherit from itself"),
    "load.inherits_itself_via": ("规则包不能继承自身：{names}", "a pack cannot inherit from itself: {names}"),
    # arguments of a command or a call
    "args.years_form": (
        "--years：应为 YEAR 或 YEAR..YEAR，却是 {text!r}",
        "--years: expected YEAR or YEAR..YEAR, got {text!r}",
    ),
    "args.years_range": (
        "--years：{text!r} 不是最多 50 年的范围",
        "--years: {text!r} is not a range of at most 50 years",
    ),
    "args.lang": ("应为 {langs} 之一，却是 {lang!r}", "expected one of {langs}, got {lang!r}"),
    # behavioural diff requests (compare.behaviour)
    "diff.no_topic": ("{a} 和 {b} 中都没有主题 {topic!r}", "no topic {topic!r} in {a} or {b}"),
    "diff.no_topic_hint": (
        "{a} 和 {b} 中都没有主题 {topic!r}；是否想写 {hints}？",
        "no topic {topic!r} in {a} or {b}; did you mean {hints}?",
    ),
    "diff.no_cases": ("行为比较至少需要 1 个案例（--cases N）", "a behavioural diff needs at least 1 case (--cases N)"),
    # case files (facts.casefile)
    "case.no_example": (
        "没有名为 {name!r} 的示例；随附的示例：{names}",
        "no example named {name!r}; shipped examples: {names}",
    ),
    "case.not_mapping": (
        "案例文件是一个映射，含 person、unit、place、hire、application",
        "a case file holds a mapping with person, unit, place, hire, application",
    ),
    "csv.unreadable": ("无法读取 CSV：{said}", "cannot read CSV: {said}"),
    "csv.empty": ("CSV 文件为空：第一行写事实名称", "an empty CSV file: the first row names the facts"),
    "csv.unknown_column": ("未知的事实列 {column!r}", "unknown fact column {column!r}"),
    "csv.column_twice": ("列 {column!r} 出现了两次", "column {column!r} appears twice"),
    "csv.too_many_values": ("值的个数多于 {n} 列", "more values than the {n} columns"),
    "csv.not_number": (
        "{column}：{text!r} 不是数字（ASCII 数字）",
        "{column}: {text!r} is not a number (ASCII digits)",
    ),
    # tables of cases (batch.inputs, batch.run) and how a bad value is placed (errors.TableError)
    "table.cell": (
        "第 {row} 行，列 {column}：{message}（值为 {value}）",
        "row {row}, column {column}: {message} (got {value})",
    ),
    "table.column": ("列 {column}：{message}", "column {column}: {message}"),
    "table.more": ("…… 另有 {n} 个错误的值", "… {n} more bad values"),
    "batch.at_line": ("第 {line} 行：{message}", "line {line}: {message}"),
    "batch.at_column": ("{message}，第 {column} 列", "{message}, column {column}"),
    "batch.bool": ("应为 true 或 false", "expected true or false"),
    "batch.text": ("应为文本", "expected text"),
    "batch.choice": ("应为以下之一：{choices}", "expected one of {choices}"),
    "batch.date": ("应为写成 YYYY-MM-DD 的日期", "expected a date written YYYY-MM-DD"),
    "batch.whole": ("应为整数", "expected a whole number"),
    "batch.number": ("应为数字", "expected a number"),
    "batch.no_such_file": ("文件不存在", "no such file or directory"),
    "batch.stdin_unreadable": ("无法读取标准输入：{said}", "cannot read standard input: {said}"),
    "batch.parquet_stdin": (
        "无法从标准输入读取 Parquet：请给出文件路径（CSV 可以用管道传入）",
        "Parquet cannot be read from standard input: give the file's path (CSV can be piped)",
    ),
    "batch.out_of_range": (
        "超出范围：数字应在 1e-{exponent} 与 1e{exponent} 之间",
        "out of range: numbers lie between 1e-{exponent} and 1e{exponent}",
    ),
    "batch.binary_float": (
        "二进制浮点数不是精确的数字；请给出小数或文本",
        "a binary float is not an exact number; give decimals or text",
    ),
    "batch.below": ("小于 {bound}：超出该事实的取值范围", "less than {bound}: outside the fact's domain"),
    "batch.above": ("大于 {bound}：超出该事实的取值范围", "more than {bound}: outside the fact's domain"),
    "batch.below_domain": (
        "小于 {bound}：超出该事实的取值范围（{domain}）",
        "less than {bound}: outside the fact's domain ({domain})",
    ),
    "batch.above_domain": (
        "大于 {bound}：超出该事实的取值范围（{domain}）",
        "more than {bound}: outside the fact's domain ({domain})",
    ),
    "domain.count": ("≥ 0 的整数", "whole number ≥ 0"),
    "domain.non_negative": ("≥ 0", "≥ 0"),
    "domain.share": ("0 到 1", "0 to 1"),
    "batch.exceeds": ("{small} 超过了 {large}（{b}）", "{small} exceeds {large} ({b})"),
    "batch.exceeds_twice": ("{small} 超过了 {large}（{b}）的两倍", "{small} exceeds twice {large} ({b})"),
    "batch.zero_when": ("{choice} 为 {said}", "{choice} is {said}"),
    "batch.parquet_unreadable": ("无法读取 Parquet：{said}", "cannot read Parquet: {said}"),
    "batch.header_twice": (
        "在表头中出现了两次（第 {first} 列和第 {second} 列）",
        "appears twice in the header (columns {first} and {second})",
    ),
    "batch.too_many_values": (
        "第 {line} 行：有 {n} 个值，多于 {width} 列",
        "line {line}: {n} values, more than the {width} columns",
    ),
    "batch.unknown_column": (
        "不是词汇表中的事实（要原样带出其他列，请用 --keep 选项或 keep= 参数）",
        "not a fact of the vocabulary (carry other columns through with keep=/--keep)",
    ),
    "batch.unknown_column_hint": (
        "不是词汇表中的事实；是否想写 {hints}？（要原样带出其他列，请用 --keep 选项或 keep= 参数）",
        "not a fact of the vocabulary; did you mean {hints}? (carry other columns through with keep=/--keep)",
    ),
    "batch.no_keep_column": ("没有这一列可以保留", "no such column to keep"),
    "batch.keep_clash": (
        "结果中已有同名的列：请给要保留的列改名",
        "a result column has this name: rename the column to keep it",
    ),
    # the HTTP API's problem documents (interfaces.http): titles by problem code, then details
    "http.bad_request": ("请求有误", "Bad request"),
    "http.invalid_parameter": ("参数无效", "Invalid parameter"),
    "http.too_large": ("请求过大", "Request too large"),
    "http.timeout": ("处理超时", "Took too long"),
    "http.unsupported_media_type": ("不支持的媒体类型", "Unsupported media type"),
    "http.invalid_input": ("输入无效", "Invalid input"),
    "http.invalid_table": ("表格无效", "Invalid table"),
    "http.pack_not_found": ("没有这个规则包", "No such pack"),
    "http.error": ("无法回答", "Cannot answer"),
    "http.internal_error": ("内部错误", "Internal error"),
    "http.http": ("HTTP 错误", "HTTP error"),
    "http.not_found": ("没有这个地址", "Not Found"),
    "http.method_not_allowed": ("此地址不接受这种请求方法", "Method Not Allowed"),
    "http.no_detail": ("输入无效", "invalid input"),
    "http.and_more": ("（另有 {n} 个问题）", " (and {n} more)"),
    "http.bad_values_in_all": ("（共 {n} 个错误的值）", " ({n} bad values in all)"),
    "http.server_failed": ("服务器处理此请求时失败（{error}）", "the server failed on this request ({error})"),
    "http.body_too_large": (
        "请求体超过了本服务器 {limit} 字节的上限",
        "the request body is larger than this server's limit of {limit} bytes",
    ),
    "http.too_slow": (
        "请求用时超过了本服务器 {seconds} 秒的上限",
        "the request took longer than this server's limit of {seconds} s",
    ),
    "http.case_media": (
        "请以 application/json 或 application/yaml 发送案例，而不是 {media}",
        "send the case as application/json or application/yaml, not {media}",
    ),
    "http.table_media": (
        "请以 text/csv 或 {parquet} 发送表格，而不是 {media}",
        "send the table as text/csv or {parquet}, not {media}",
    ),
    "http.no_media": ("（未声明）", "nothing"),
    "http.max_rows": ("表格超过了本服务器 {n} 行的上限", "the table has more than this server's limit of {n} rows"),
    "http.max_cases": ("本服务器最多 {n} 个案例", "at most {n} cases on this server"),
    "http.no_topic": (
        "{a} 和 {b} 都没有主题 {topic!r}；它们有：{known}",
        "neither {a} nor {b} has topic {topic!r}; they have: {known}",
    ),
    "http.no_rule": ("规则包 {pack} 没有规则 {rule!r}", "pack {pack} has no rule {rule!r}"),
    "http.body_not_utf8": ("请求体不是 UTF-8 编码：{said}", "the body is not UTF-8: {said}"),
    "http.body_empty": (
        "请求体为空；请发送一个案例（一个对象，无事实时为 {{}}）",
        "the body is empty; send a case (an object, {{}} for none)",
    ),
    "http.case_not_object": (
        "案例是一个对象，含 person、unit、place、hire、application",
        "a case is an object with person, unit, place, hire, application",
    ),
    "http.said": ("{said}", "{said}"),
    # backends: what a user of the durable backend can meet
    "backend.durable_python": (
        "durable 后端需要 durable-rules，它只能在 Python 3.13 以下运行",
        "the durable backend needs durable-rules, which runs on Python < 3.13 only",
    ),
    "backend.durable_missing": (
        "durable 后端需要 durable-rules：pip install 'policyrules[durable]'（{exc}）",
        "the durable backend needs durable-rules: pip install 'policyrules[durable]' ({exc})",
    ),
    "backend.unknown": ("未知的后端 {backend}；可选：{choices}", "unknown backend {backend}; choose one of: {choices}"),
    "backend.pack_changed": (
        "规则包文件 {source} 在加载后已改动（哈希 {hash}）",
        "pack file {source} changed since it was loaded (hash {hash})",
    ),
    "backend.needs_file": (
        "规则包 {pack}：进程隔离需要从文件加载的规则包",
        "pack {pack}: process isolation needs a pack loaded from a file",
    ),
    "backend.no_answer": (
        "durable 工作进程在 {seconds} 秒内没有回答，已停止",
        "durable worker gave no answer in {seconds} s; it was stopped",
    ),
    "backend.worker_died": (
        "durable 工作进程已退出（{why}）；下次调用会启动新的进程",
        "durable worker died ({why}); the next call starts a new one",
    ),
}


# The one table every Phrase is said from: the errors' phrases, and those a stage above adds with
# add_words (engine.words adds the check findings', the CLI's and the results' phrases when it is imported,
# as every module that makes such a phrase does).
_TABLE: dict[str, tuple[str, str]] = dict(PROBLEM_WORDS)


def add_words(table: dict[str, tuple[str, str]]) -> None:
    """Add a stage's phrases to the table Phrase.text says from."""
    _TABLE.update(table)
