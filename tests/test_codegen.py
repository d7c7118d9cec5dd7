"""The generated function per pack gives exactly what the closures give, and is built safely.

(a) every node type of the expression language has a translation, and an unknown one is refused;
(b) the generated code names nothing from a pack and runs with empty builtins;
(c) generated vs closures on every example, every case file and 2000 generated cases per pack
    (durable joins the comparison in test_durable_backend.py).
"""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from policyrules.check.casetests import find_test_files, load_test_file
from policyrules.compare.behaviour import _facts, generate_columns
from policyrules.engine import codegen
from policyrules.engine.evaluator import evaluate, evaluate_facts, run_generated, run_rules
from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledExpr, CompiledPack
from policyrules.engine.result import Result
from policyrules.expr import Unknown, compile_expr, parse
from policyrules.expr import nodes as n
from policyrules.facts.case import Case
from policyrules.facts.casefile import load_cases
from policyrules.facts.vocabulary import case_facts
from policyrules.pack.files import shipped_packs

from .conftest import BAOTOU_EMPLOYER, ROOT

PACKS = shipped_packs()
CASE_FILES = find_test_files([ROOT / "rules"])
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GENERATED_CASES = 2000


# ---- (a) node types ---------------------------------------------------------------------------


def test_every_expression_node_type_has_a_translation():
    assert codegen.node_types() == codegen.handled_node_types()


@dataclasses.dataclass(frozen=True)
class _Strange:
    start: int = 0
    end: int = 0


def _with_condition(pack: CompiledPack, node: object) -> CompiledPack:
    rule = pack.rules[0]
    when = CompiledExpr(rule.when.text, node, rule.when.fn)  # type: ignore[arg-type]
    return dataclasses.replace(pack, rules=(dataclasses.replace(rule, when=when), *pack.rules[1:]))


def test_an_unknown_node_type_is_refused_when_the_function_is_generated():
    pack = _with_condition(load_pack("baotou"), n.BoolOp("and", (n.Literal(True, 0, 4), _Strange()), 0, 10))
    with pytest.raises(codegen.CodegenError, match="_Strange"):
        codegen.generated(pack)


def test_branches_that_agree_decide_without_their_test_in_both_engines():
    """'1 if staff >= 10 else 1' is 1 with staff unknown; '1 if … else 2' stays unknown; an error leaves it unknown."""
    pack = load_pack("baotou")
    rule = pack.rules[0]
    for text, want in (
        ("(1 if unit.staff >= 10 else 1) == 1", True),
        ("(1 if unit.staff >= 10 else 2) == 1", None),
        ("(1 if unit.staff >= 10 else 1 / 0) == 1", None),
    ):
        node = parse(text)
        when = CompiledExpr(text, node, compile_expr(node))
        probe = dataclasses.replace(pack, rules=(dataclasses.replace(rule, when=when), *pack.rules[1:]))
        env = {"as_of": pack.valid_from}
        gen, ref = run_generated(probe, dict(env)), run_rules(probe, dict(env))
        got, expected = _as_run_rules(gen.conditions)[rule.id], ref.conditions[rule.id]
        assert got == expected, text
        assert (got if want is not None else isinstance(got, Unknown)) == (want if want is not None else True), text


def test_a_name_used_again_by_a_later_rule_keeps_nothing_of_its_last_value():
    """Each rule's code names its intermediate values from t1 again: one known in a rule (made of constants)
    says nothing of the same name in the next rule, where it may be unknown."""
    pack = load_pack("baotou")
    first, second = pack.rules[0], pack.rules[1]

    def when(text: str) -> CompiledExpr:
        node = parse(text)
        return CompiledExpr(text, node, compile_expr(node))

    probe = dataclasses.replace(
        pack,
        rules=(
            dataclasses.replace(first, when=when("-1 < 0")),
            dataclasses.replace(second, when=when("-unit.staff < 0")),
            *pack.rules[2:],
        ),
    )
    env = {"as_of": pack.valid_from}
    gen, ref = run_generated(probe, dict(env)), run_rules(probe, dict(env))
    assert _as_run_rules(gen.conditions)[second.id] == ref.conditions[second.id] == Unknown(frozenset({"unit.staff"}))


def _as_run_rules(conditions: dict[str, object]) -> dict[str, object]:
    """The generated function's conditions as the closures give them: an unknown one as an ``Unknown``."""
    return {k: Unknown(v) if isinstance(v, frozenset) else v for k, v in conditions.items()}


# ---- (b) what the generated code can name -----------------------------------------------------

_OUR_NAMES = re.compile(
    r"(?:[fdtcwKFRP]\d+|sd\d+|cand_d\d+_\d+|FS|EMPTY|UNSET|G_FS|G_EMPTY|G_UNSET|U|ArithmeticError|env|g|errors|conflicts|fired|undecided|false|figures|exc|run)"
)


@pytest.mark.parametrize("name", PACKS)
def test_generated_code_names_only_what_the_generator_made(name: str):
    pack = load_pack(name)
    for node in ast.walk(codegen.generated_tree(pack)):
        if isinstance(node, ast.Name):
            assert _OUR_NAMES.fullmatch(node.id), node.id
        if isinstance(node, ast.Constant):  # literals, and sets of fact paths or of listed strings
            value = node.value
            assert value is None or type(value) in (bool, int, str) or type(value) is frozenset, value
            assert type(value) is not frozenset or all(type(v) is str for v in value), value
        if isinstance(node, ast.Attribute):
            assert node.attr in ("__class__", "get", "append"), node.attr
        assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Lambda, ast.ClassDef, ast.Global)), node
    fn = codegen.generated(pack)
    assert fn.__globals__["__builtins__"] == {}
    reachable = {k for k in fn.__globals__ if k != "__builtins__"}
    assert all(_OUR_NAMES.fullmatch(k) for k in reachable), reachable


def test_the_function_is_generated_once_per_content():
    pack = load_pack("jinan")
    assert codegen.generated(pack) is codegen.generated(pack)
    copy = dataclasses.replace(pack)
    assert codegen.generated(copy) is codegen.generated(pack)
    changed = _with_condition(pack, parse("unit.staff > 3"))
    assert codegen.generated(changed) is not codegen.generated(pack)


def test_a_pack_object_is_generated_once_it_has_been_evaluated_often(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(codegen, "GENERATE_AFTER", 3)
    pack = dataclasses.replace(load_pack("shanghai"), content_hash="never-generated")
    first = [codegen.for_evaluation(pack) for _ in range(4)]
    assert first[:2] == [None, None] and first[2] is not None and first[3] is first[2]
    assert codegen.for_evaluation(dataclasses.replace(pack)) is first[2]  # same content: from the start
    case = Case.model_validate({"unit": {"kind": "private_enterprise", "staff": 10}})
    fresh = dataclasses.replace(pack, content_hash="never-generated-either")
    results = [evaluate(fresh, case, pack.valid_from) for _ in range(3)]  # closures, closures, generated
    assert results[0] == results[1] == results[2] == evaluate(fresh, case, pack.valid_from, reference=True)


def test_a_function_shared_by_packs_of_the_same_content_lists_each_packs_own_rules():
    # The English pack has the content of the Chinese one, so it runs the Chinese pack's function: every
    # rule that fired, is undecided or gives "no" must still be read in English.
    from policyrules.engine.model import localize

    zh = load_pack("baotou")
    en = localize(zh, "en")
    assert codegen.generated(zh) is codegen.generated(en)  # made for another pack object first
    case = Case.model_validate({**BAOTOU_EMPLOYER, "person": {"age": 30}})
    got = evaluate(en, case, date(2024, 6, 1))
    assert got.entitlements and got.undetermined and got.not_granted
    assert got == evaluate(en, case, date(2024, 6, 1), reference=True)
    english = {r.id: r.title for r in en.rules}
    assert all(
        o.title == english[o.rule] != zh.rule(o.rule).title
        for o in (*got.entitlements, *got.undetermined, *got.not_granted)
    )


# ---- (c) differential: generated vs closures --------------------------------------------------


@pytest.fixture(autouse=True)
def _generated_from_the_first_evaluation(monkeypatch: pytest.MonkeyPatch):
    """Every evaluation below runs the generated function, not the closures it starts with."""
    monkeypatch.setattr(codegen, "GENERATE_AFTER", 1)


def _same(pack: CompiledPack, case: Case, day: date) -> None:
    got = evaluate(pack, case, day)
    want = evaluate(pack, case, day, reference=True)
    assert got == want, f"{pack.id} as of {day}: {case.model_dump_json(exclude_none=True)}"
    assert got.to_json() == want.to_json()


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_same_generated_and_closures_on_every_pack(example: Path):
    cases = load_cases(example)
    for name in PACKS:
        pack = load_pack(name)
        days = {pack.valid_from, pack.valid_until or pack.valid_from, date(2024, 6, 1), date(2026, 6, 1)}
        for day in sorted(days):
            for case in cases:
                _same(pack, case, day)


@pytest.mark.parametrize("path", CASE_FILES, ids=[str(p.relative_to(ROOT / "rules")) for p in CASE_FILES])
def test_case_file_same_generated_and_closures(path: Path):
    spec = load_test_file(path)
    pack = load_pack(spec.pack)
    for test in spec.tests:
        _same(pack, test.case, test.as_of)


@pytest.mark.parametrize("name", PACKS)
def test_generated_equals_closures_on_generated_cases(name: str):
    """Every rule's condition and every derived fact, then the whole Result, on 2000 cases (5% of facts missing)."""
    pack = load_pack(name)
    kinds = case_facts()
    paths = sorted(p for p in pack.inputs_of(list(pack.rules)) if p in kinds)
    last = pack.valid_until or pack.valid_from + timedelta(days=800)
    days = [pack.valid_from, min(pack.valid_from + timedelta(days=200), last), last]  # in force: whole Results
    columns = generate_columns(paths, [pack], 4 * GENERATED_CASES, f"codegen:{name}")
    compared = decided = 0
    for i, values in enumerate(zip(*(columns[p] for p in paths))):
        day = days[i % len(days)]
        facts = _facts(dict(zip(paths, values)), day)
        if facts is None:  # a generated row that breaks a case invariant (more disabled than staff)
            continue
        if compared == GENERATED_CASES:
            break
        env = {**facts, "as_of": day}
        env.update({f"param.{s.name}": s.as_of(day) for s in pack.parameters if s.as_of(day) is not None})
        gen, ref = run_generated(pack, dict(env)), run_rules(pack, dict(env))
        assert (_as_run_rules(gen.conditions), gen.env, gen.errors, gen.conflicts) == (
            ref.conditions,
            ref.env,
            ref.errors,
            ref.conflicts,
        ), f"{name} as of {day}: {facts}"
        assert [r.id for r in gen.fired] == [r.id for r in ref.fired]
        undecided = [
            (r, c.missing)
            for r, c in zip(pack.rules, ref.conditions.values())
            if r.kind != "derive" and isinstance(c, Unknown) and c.missing
        ]
        assert gen.undecided == undecided
        got, want = evaluate_facts(pack, facts, day), evaluate_facts(pack, facts, day, reference=True)
        assert got == want
        # Outcomes are shared between results: each must hold its figures as this case's are written (equal
        # Decimals compare equal above; their reprs differ, 6000.0 and 6000.00).
        assert repr((got.entitlements, got.obligations, got.sanctions)) == repr(
            (want.entitlements, want.obligations, want.sanctions)
        )
        if compared % 10 == 0:  # JSON is written apart from the fields (cached entries): byte for byte
            text = got.to_json()
            assert text == want.to_json()
            # outcomes are built from the evaluator's values without validation: validating them changes nothing
            assert Result.model_validate_json(text).to_json() == text
            assert Result.model_validate(got.model_dump()) == got
        compared += 1
        decided += sum(c is True for c in gen.conditions.values())
    assert compared == GENERATED_CASES and decided > 0
