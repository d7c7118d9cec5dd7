"""Forward chaining, conflicts, precedence, cycles and layering on small packs written for the purpose."""

import textwrap
from datetime import date

import pytest

from policyrules import load_pack
from policyrules.errors import PackError

HEAD = """\
id: {id}
version: "1.0.0"
{parent}jurisdiction: {{name: 测试市, level: city}}
document: {{number: 测试〔2023〕1号, title: test, issuer: test, issued: "2023-01-01"}}
validity:
  from: {{date: "2023-01-01", citation: {{clause: 一, quote: 测试, external: true}}}}
  until: {{date: "2024-12-31", citation: {{clause: 一, quote: 测试, external: true}}}}
"""


def write_pack(tmp_path, body, id="t", parent=None, ledger=None):
    rules = ledger if ledger is not None else _rule_ids(body)
    text = HEAD.format(id=id, parent=f"parent: {parent}\n" if parent else "") + textwrap.dedent(body)
    text += "ledger:\n  - clause: 一\n    summary: all\n    confidence: made up for the test\n"
    text += f"    rules: [{', '.join(rules)}]\n" if rules else "    not_computed: {kind: no_case, reason: test}\n"
    path = tmp_path / f"{id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _rule_ids(body):
    return [line.split("id:")[1].strip() for line in body.splitlines() if line.strip().startswith("- id:")]


CHAIN = """\
derived:
  required: {type: number, unit: person, description: {zh: quota, en: quota}}
  excess: {type: number, unit: person, description: {zh: beyond quota, en: beyond quota}}
rules:
  - id: c.excess
    topic: quota.counting
    title: {zh: excess from required, en: excess from required}
    derive: {fact: excess, value: "unit.disabled_employees - derived.required"}
    citation: {clause: 一, quote: 测试}
  - id: c.reward
    topic: reward.excess_quota
    title: {zh: reward per excess person, en: reward per excess person}
    when: "derived.excess >= 1"
    entitlement:
      to: unit
      summary: {zh: 100 per excess person, en: 100 per excess person}
      amount: {kind: exact, value: 100, unit: CNY, per: [person], count: derived.excess}
    citation: {clause: 一, quote: 测试}
  - id: c.required
    topic: quota.counting
    title: {zh: required from staff, en: required from staff}
    derive: {fact: required, value: "unit.staff * 0.015"}
    citation: {clause: 一, quote: 测试}
"""


def test_derived_facts_chain_regardless_of_file_order(tmp_path):
    pack = load_pack(write_pack(tmp_path, CHAIN))
    order = [r.id for r in pack.rules]
    assert order.index("c.required") < order.index("c.excess") < order.index("c.reward")
    result = pack.evaluate({"unit": {"staff": 200, "disabled_employees": 5}}, as_of=date(2024, 1, 1))
    reward = result.outcome("c.reward")
    assert reward.amount.count == 2 and reward.amount.total == 200
    assert result.derived == {"required": 3, "excess": 2}


def test_missing_input_travels_through_derived_facts(tmp_path):
    pack = load_pack(write_pack(tmp_path, CHAIN))
    result = pack.evaluate({"unit": {"disabled_employees": 5}}, as_of=date(2024, 1, 1))
    (u,) = [u for u in result.undetermined if u.rule == "c.reward"]
    assert u.missing == ["unit.staff"]
    assert result.derived == {"required": None, "excess": None}


def test_cycle_is_a_load_error(tmp_path):
    body = """\
    derived:
      a: {type: number, description: {zh: a, en: a}}
      b: {type: number, description: {zh: b, en: b}}
    rules:
      - id: x.a
        topic: quota.counting
        title: {zh: a from b, en: a from b}
        derive: {fact: a, value: "derived.b + 1"}
        citation: {clause: 一, quote: 测试}
      - id: x.b
        topic: quota.counting
        title: {zh: b from a, en: b from a}
        derive: {fact: b, value: "derived.a + 1"}
        citation: {clause: 一, quote: 测试}
    """
    with pytest.raises(PackError, match="cycle: x.a -> x.b -> x.a"):
        load_pack(write_pack(tmp_path, body))


TWO_SETTERS = """\
derived:
  spacing: {{type: number, unit: m, description: {{zh: spacing, en: spacing}}{precedence}}}
rules:
  - id: s.one
    topic: tobacco.retail_spacing
    title: {{zh: thirty, en: thirty}}
    when: "place.district == '甲区'"
    derive: {{fact: spacing, value: 30}}
    citation: {{clause: 一, quote: 测试}}
  - id: s.two
    topic: tobacco.retail_spacing
    title: {{zh: twenty-five, en: twenty-five}}
    when: "unit.staff >= 1"
    derive: {{fact: spacing, value: 25}}
    citation: {{clause: 一, quote: 测试}}
"""


def test_conflicting_setters_are_reported_not_resolved(tmp_path):
    pack = load_pack(write_pack(tmp_path, TWO_SETTERS.format(precedence="")))
    result = pack.evaluate({"place": {"district": "甲区"}, "unit": {"staff": 3}}, as_of=date(2024, 1, 1))
    (conflict,) = result.conflicts
    assert conflict.fact == "spacing" and conflict.values == ["30", "25"]
    assert result.derived["spacing"] is None
    agree = pack.evaluate({"place": {"district": "乙区"}, "unit": {"staff": 3}}, as_of=date(2024, 1, 1))
    assert agree.derived["spacing"] == 25 and not agree.conflicts


def test_declared_precedence_decides(tmp_path):
    body = TWO_SETTERS.format(precedence=", precedence: [s.two, s.one]")
    pack = load_pack(write_pack(tmp_path, body))
    result = pack.evaluate({"place": {"district": "甲区"}, "unit": {"staff": 3}}, as_of=date(2024, 1, 1))
    assert result.derived["spacing"] == 25 and not result.conflicts


def test_not_in_force_pays_nothing(tmp_path):
    pack = load_pack(write_pack(tmp_path, CHAIN))
    case = {"unit": {"staff": 200, "disabled_employees": 5}}
    assert pack.evaluate(case, as_of=date(2024, 12, 31)).entitlements
    late = pack.evaluate(case, as_of=date(2025, 1, 1))
    assert not late.validity.in_force and not late.entitlements and not late.undetermined
    assert late.validity.reason.startswith("2025-01-01 不在有效期内：有效期至 2024-12-31")
    english = pack.evaluate(case, as_of=date(2025, 1, 1), lang="en")
    assert "not in force on 2025-01-01: ended 2024-12-31" in english.validity.reason
    assert [g.reason for g in late.not_granted] == ["not_in_force"]


PARENT = """\
rules:
  - id: p.reward
    topic: reward.excess_quota
    title: {zh: parent reward, en: parent reward}
    when: "unit.disabled_employees >= 1"
    entitlement: {to: unit, summary: {zh: parent, en: parent}, amount: {kind: exact, value: 100, unit: CNY}}
    citation: {clause: 一, quote: 测试}
  - id: p.report
    topic: quota.responsibility_report
    title: {zh: parent duty, en: parent duty}
    when: "unit.kind == 'state_owned_enterprise'"
    obligation: {to: unit, summary: {zh: report, en: report}}
    citation: {clause: 一, quote: 测试}
"""


def test_child_inherits_and_overrides_by_topic(tmp_path):
    write_pack(tmp_path, PARENT, id="parent")
    pack = load_pack(write_pack(tmp_path, CITY_OVERRIDES, id="kid", parent="parent"))
    result = pack.evaluate(
        {"unit": {"disabled_employees": 2, "kind": "state_owned_enterprise"}}, as_of=date(2024, 1, 1)
    )
    assert [o.rule for o in result.entitlements] == ["k.reward"]
    assert result.entitlements[0].amount.value == 8000
    assert [o.rule for o in result.obligations] == ["p.report"]


def _write_national(tmp_path):
    """A parent in force from 2020 with no end, under a city plan whose period is 2023-2024 (HEAD)."""
    path = write_pack(tmp_path, PARENT, id="national")
    text = path.read_text(encoding="utf-8").replace('"2023-01-01", citation', '"2020-01-01", citation')
    text = text.replace(
        '  until: {date: "2024-12-31", citation: {clause: 一, quote: 测试, external: true}}\n',
        "  until: {no_end_stated: true, note: test}\n",
    )
    path.write_text(text.replace("测试〔2023〕1号", "国测〔2020〕1号"), encoding="utf-8")


CITY_OVERRIDES = """\
rules:
  - id: k.reward
    topic: reward.excess_quota
    title: {zh: city reward, en: city reward}
    overrides: [p.reward]
    when: "unit.disabled_employees >= 1"
    entitlement: {to: unit, summary: {zh: city, en: city}, amount: {kind: exact, value: 8000, unit: CNY}}
    citation: {clause: 一, quote: 测试}
"""


def test_an_overridden_national_rule_applies_again_after_the_city_plan_ended(tmp_path):
    _write_national(tmp_path)
    pack = load_pack(write_pack(tmp_path, CITY_OVERRIDES, id="city", parent="national"))
    case = {"unit": {"disabled_employees": 2}}

    def paid(as_of, **app):
        result = pack.evaluate({**case, **app}, as_of=as_of)
        refused = {g.rule: g for g in result.not_granted}
        return [(o.rule, o.amount.value, o.citation.document) for o in result.entitlements], refused

    # the last day of the city plan: the city's rule, the national one superseded (never both)
    got, refused = paid(date(2024, 12, 31))
    assert got == [("k.reward", 8000, "测试〔2023〕1号")]
    assert refused["p.reward"].reason == "superseded" and refused["p.reward"].superseded_by == "k.reward"
    assert refused["p.reward"].because == (
        "2024-12-31（评估日期，未给出申请日期）改由 k.reward 适用（测试〔2023〕1号 一：测试），"
        "其有效期 2023-01-01起至2024-12-31"
    )
    english = pack.evaluate(case, as_of=date(2024, 12, 31), lang="en")
    assert next(g.because for g in english.not_granted if g.rule == "p.reward") == (
        "superseded on 2024-12-31 (as_of, no application date given) by k.reward (测试〔2023〕1号 一: 测试), "
        "in force from 2023-01-01 to 2024-12-31"
    )
    assert refused["p.reward"].citation.document == "国测〔2020〕1号"
    # the day after it ended, and the day before it began: the national rule with its own citation
    for day in (date(2025, 1, 1), date(2022, 12, 31)):
        got, refused = paid(day)
        assert got == [("p.reward", 100, "国测〔2020〕1号")], day
        assert refused["k.reward"].reason == "not_in_force" and "p.reward" not in refused
    # an application dated inside the city plan, decided after it ended, stays under the city plan
    got, _ = paid(date(2025, 3, 1), application={"date": "2024-12-20"})
    assert got == [("k.reward", 8000, "测试〔2023〕1号")]
    _same_in_every_engine(pack.compiled, [case, {**case, "application": {"date": "2024-12-20"}}])


def _same_in_every_engine(pack, cases):
    """Closures, the generated function, durable-rules and the batch engine agree on both sides of the boundary."""
    from policyrules.backends import durable
    from policyrules.engine.codegen import generated
    from policyrules.engine.evaluator import assemble, facts_env, run_generated, run_rules, validity_on
    from policyrules.facts.case import Case, flatten

    from .test_batch import assert_same_as_scalar

    for day in (date(2022, 12, 31), date(2023, 1, 1), date(2024, 12, 31), date(2025, 1, 1)):
        facts = [flatten(Case.model_validate(c)) for c in cases]
        for f, c in zip(facts, cases):
            want = assemble(pack, day, validity_on(pack, day), run_rules(pack, facts_env(pack, f, day)))
            got = assemble(
                pack, day, validity_on(pack, day), run_generated(pack, facts_env(pack, f, day), generated(pack))
            )
            assert got == want, day
            assert durable.evaluate(pack, Case.model_validate(c), day).model_copy(update={"backend": "native"}) == want
        if validity_on(pack, day).in_force:
            assert_same_as_scalar(pack, facts, day)


def test_an_override_decides_the_same_event_and_the_same_kind(tmp_path):
    _write_national(tmp_path)
    at_hire = CITY_OVERRIDES.replace("    overrides: [p.reward]\n", "    overrides: [p.reward]\n    event: hire\n")
    with pytest.raises(PackError, match="decides the hire event but overrides 'p.reward'"):
        load_pack(write_pack(tmp_path, at_hire, id="city", parent="national"))
    derive = """\
    derived:
      x: {type: number, unit: CNY, description: {zh: x, en: x}}
    rules:
      - id: k.x
        topic: reward.excess_quota
        title: {zh: x, en: x}
        overrides: [p.reward]
        derive: {fact: x, value: "1"}
        citation: {clause: 一, quote: 测试}
    """
    with pytest.raises(PackError, match="a derive rule overrides a derive rule"):
        load_pack(write_pack(tmp_path, derive, id="city2", parent="national"))


def test_an_overridden_derive_rule_is_replaced_on_every_date():
    # jinan prints the ratio the national fund rules read: its definition replaces the input rule outright
    rules = load_pack("jinan").compiled.rule_index
    assert "fund.ratio.input" not in rules and "fund.ratio.city" in rules


def test_same_topic_without_declared_precedence_is_a_load_error(tmp_path):
    write_pack(tmp_path, PARENT, id="parent")
    child = """\
    rules:
      - id: k.reward
        topic: reward.excess_quota
        title: {zh: child reward, en: child reward}
        entitlement: {to: unit, summary: {zh: child, en: child}}
        citation: {clause: 一, quote: 测试}
    """
    with pytest.raises(PackError, match="share topic 'reward.excess_quota'"):
        load_pack(write_pack(tmp_path, child, id="kid", parent="parent"))


def test_unknown_topic_and_unlisted_rule_are_load_errors(tmp_path):
    body = """\
    rules:
      - id: r.one
        topic: reward.exces_quota
        title: {zh: typo in topic, en: typo in topic}
        entitlement: {to: unit, summary: {zh: x, en: x}}
        citation: {clause: 二, quote: 测试}
    """
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, body, ledger=[]))
    text = str(info.value)
    assert "did you mean 'reward.excess_quota'" in text
    assert "rule 'r.one' is not in the ledger" in text
    assert "clause '二' is cited but not in the ledger" in text
