"""The durable-rules backend gives exactly the native result, on every pack, safely.

(a) every YAML test case and every example, through the CLI, both backends;
(b) a differential property test per shipped pack (hypothesis, policyrules.testing): the generated
    function (native), the closures and durable give one answer;
(c) threads; (d) compile errors name the rule; plus process isolation and the plan.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import threading
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")

from hypothesis import HealthCheck, given, settings

from policyrules.backends import (
    BackendError,
    durable,
)
from policyrules.check.casetests import find_test_files, load_test_file
from policyrules.check.strategies import evaluations
from policyrules.engine.evaluator import evaluate as native_evaluate
from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledExpr, CompiledPack
from policyrules.engine.result import Result
from policyrules.errors import PackError
from policyrules.expr import compile_expr, parse
from policyrules.facts.case import Case
from policyrules.interfaces.cli import main
from policyrules.pack.files import shipped_packs

from .conftest import ROOT

CASE_FILES = find_test_files([ROOT / "rules"])
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PACKS = shipped_packs()
EXAMPLES_PER_PACK = int(os.environ.get("POLICYRULES_DIFFERENTIAL_EXAMPLES", "2000"))


def _pack(name: str) -> CompiledPack:
    try:
        return load_pack(name)
    except PackError as exc:  # a broken pack fails its own tests (test_check, test_pack_cases)
        pytest.skip(f"pack {name} does not load: {exc}")


def _same_apart_from_backend(native: str, durable_json: str) -> str:
    """'' when equal apart from the backend field, else a diff."""
    a, b = json.loads(native), json.loads(durable_json)
    assert a.pop("backend") == "native" and b.pop("backend") == "durable"
    if a == b:
        return ""
    left, right = (json.dumps(x, indent=2, ensure_ascii=False).splitlines(True) for x in (a, b))
    return "".join(difflib.unified_diff(left, right, "native", "durable"))


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["evaluate", *args, "--json"]) == 0
    return capsys.readouterr().out


# ---- (a) every YAML test case and every example, through the CLI --------------------------


def test_there_are_cases_and_examples():
    assert CASE_FILES and EXAMPLES and PACKS


@pytest.mark.parametrize("path", CASE_FILES, ids=[str(p.relative_to(ROOT / "rules")) for p in CASE_FILES])
def test_case_file_same_on_both_backends(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    spec = load_test_file(path)
    _pack(spec.pack)
    diffs = []
    for i, test in enumerate(spec.tests):
        case_file = tmp_path / f"case{i}.json"
        case_file.write_text(test.case.model_dump_json(exclude_none=True), encoding="utf-8")
        common = (spec.pack, str(case_file), "--as-of", test.as_of.isoformat())
        diff = _same_apart_from_backend(
            _cli_json(capsys, *common, "--backend", "native"), _cli_json(capsys, *common, "--backend", "durable")
        )
        if diff:
            diffs.append(f"{test.name}:\n{diff}")
    assert not diffs, "\n".join(diffs)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_same_on_both_backends_for_every_pack(example: Path, capsys: pytest.CaptureFixture[str]):
    diffs = []
    for name in PACKS:
        pack = _pack(name)
        days = {pack.valid_from, pack.valid_until or pack.valid_from, date(2024, 6, 1), date(2026, 6, 1)}
        for day in sorted(days):
            common = (name, str(example), "--as-of", day.isoformat())
            diff = _same_apart_from_backend(
                _cli_json(capsys, *common, "--backend", "native"), _cli_json(capsys, *common, "--backend", "durable")
            )
            if diff:
                diffs.append(f"{name} as of {day}:\n{diff}")
    assert not diffs, "\n".join(diffs)


def test_backend_field_and_python_api():
    import policyrules

    pack = policyrules.load_pack(PACKS[0])
    result = pack.evaluate({}, as_of=pack.compiled.valid_from, backend="durable")
    assert result.backend == "durable"


# ---- (b) differential property test on every shipped pack -----------------------------------


def _differential(pack: CompiledPack, case: Case, as_of: date) -> None:
    """Three engines, one answer: the generated function (native), the closures, durable."""
    native = native_evaluate(pack, case, as_of).to_json()
    where = f"pack {pack.id}, as_of {as_of}, case:\n{case.model_dump_json(exclude_none=True, indent=2)}"
    reference = native_evaluate(pack, case, as_of, reference=True).to_json()
    assert native == reference, f"{where}\ngenerated:\n{native}\nclosures:\n{reference}"
    try:
        got = durable.evaluate(pack, case, as_of).to_json()
    except BackendError as exc:
        raise AssertionError(f"durable failed: {exc}\n{where}\nnative result:\n{native}") from exc
    diff = _same_apart_from_backend(native, got)
    assert not diff, f"{where}\ndiff:\n{diff}\nnative result:\n{native}\ndurable result:\n{got}"


@pytest.mark.parametrize("name", PACKS)
def test_durable_equals_native_on_generated_cases(name: str):
    pack = _pack(name)

    @settings(
        max_examples=EXAMPLES_PER_PACK,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(evaluations(pack))
    def same(case_and_date: tuple[Case, date]) -> None:
        _differential(pack, *case_and_date)

    same()


# ---- (c) threads --------------------------------------------------------------------------


def _yaml_cases() -> list[tuple[CompiledPack, Case, date]]:
    out = []
    for path in CASE_FILES:
        spec = load_test_file(path)
        try:
            pack = load_pack(spec.pack)
        except PackError:
            continue
        out += [(pack, t.case, t.as_of) for t in spec.tests]
    return out


def test_concurrent_evaluations_from_threads_are_safe_and_exact():
    work = _yaml_cases()
    expected = [native_evaluate(p, c, d).model_copy(update={"backend": "durable"}) for p, c, d in work]
    threads_before = threading.active_count()
    n_threads = 8
    barrier = threading.Barrier(n_threads)
    wrong: list[str] = []
    crashed: list[BaseException] = []

    def worker(offset: int) -> None:
        barrier.wait()
        try:
            for i in range(len(work)):
                j = (i * 7 + offset * 13) % len(work)  # every thread in its own order: sessions interleave
                got = durable.evaluate(*work[j])
                if got != expected[j]:
                    wrong.append(f"thread {offset}: case {j} of {work[j][0].id}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            crashed.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not crashed, crashed[0]
    assert not wrong, wrong[:5]
    assert not durable._ACTIVE, "a session outlived its evaluation"
    # The Host's timer threads stay off: evaluating started no thread of durable's.
    assert threading.active_count() <= threads_before


def test_more_sessions_than_durable_keeps_alive():
    """Durable allows 1024 live session ids; each evaluation deletes its own, so 1100 in a row pass."""
    pack = _pack(PACKS[0])
    case = Case.model_validate({"unit": {"staff": 200, "disabled_employees": 6}})
    first = durable.evaluate(pack, case, pack.valid_from)
    for _ in range(1100):
        assert durable.evaluate(pack, case, pack.valid_from) == first


# ---- (d) what durable cannot run is refused, naming the rule ------------------------------------


def _with_conditions(pack: CompiledPack, conditions: dict[int, str], tag: str) -> CompiledPack:
    """The pack with the conditions of some rules (by position) replaced, under a new content hash."""
    rules = list(pack.rules)
    for index, text in conditions.items():
        node = parse(text)
        rules[index] = dataclasses.replace(rules[index], when=CompiledExpr(text, node, compile_expr(node)))
    return dataclasses.replace(
        pack, rules=tuple(rules), content_hash=f"{pack.content_hash}-{tag}", rule_index={r.id: r for r in rules}
    )


def _with_condition(pack: CompiledPack, index: int, text: str, tag: str) -> tuple[CompiledPack, str]:
    return _with_conditions(pack, {index: text}, tag), pack.rules[index].id


def _outcome_rules(pack: CompiledPack) -> list[int]:
    return [i for i, r in enumerate(pack.rules) if r.kind != "derive"]


def _last_outcome_rule(pack: CompiledPack) -> int:
    return max(i for i, r in enumerate(pack.rules) if r.kind != "derive")


def test_condition_too_large_for_durable_names_the_rule():
    pack = _pack("baotou" if "baotou" in PACKS else PACKS[0])
    text = " and ".join(f"(unit.staff >= {i} or unit.establishment_size >= {i})" for i in range(14))
    variant, rule_id = _with_condition(pack, _last_outcome_rule(pack), text, "dnf")
    with pytest.raises(BackendError, match=rf"rule '{rule_id}'.*16384 durable terms"):
        durable.evaluate(variant, Case(), pack.valid_from)
    with pytest.raises(BackendError, match=rule_id):
        durable.compile_durable(variant)


def test_too_many_computed_parts_for_one_fact_names_the_rule():
    pack = _pack("baotou" if "baotou" in PACKS else PACKS[0])
    # 3 rules of 100 atoms computed in Python each: the third needs more properties than a fact may hold.
    where = _outcome_rules(pack)[-3:]
    texts = {i: " or ".join(f"unit.staff*2=={k}" for k in range(100 * j, 100 * j + 100)) for j, i in enumerate(where)}
    variant = _with_conditions(pack, texts, "props")
    rule_id = pack.rules[where[-1]].id
    with pytest.raises(BackendError, match=rf"rule '{rule_id}'.*255"):
        durable.evaluate(variant, Case(), pack.valid_from)


def test_python_atoms_and_division_errors_match_native():
    """Conditions durable cannot compare itself, and a division by zero reached or short-circuited."""
    pack = _pack("baotou" if "baotou" in PACKS else PACKS[0])
    text = (
        "(unit.staff >= 10 and unit.disabled_employees / unit.staff > 0.015)"
        " or (year(as_of) == 2024 and unit.kind == 'private_enterprise')"
    )
    variant, _ = _with_condition(pack, _last_outcome_rule(pack), text, "python-atoms")
    day = pack.valid_from
    for unit in (
        {},
        {"staff": 0},
        {"staff": 0, "disabled_employees": 0},
        {"staff": 20, "disabled_employees": 1},
        {"staff": 200, "disabled_employees": 1, "kind": "private_enterprise"},
    ):
        for as_of in (day, date(2024, 6, 1)):
            _differential(variant, Case.model_validate({"unit": unit}), as_of)


# ---- process isolation ---------------------------------------------------------------------------


def test_isolated_worker_gives_the_same_results_and_survives_a_crash_of_the_c_core():
    work = _yaml_cases()[:20]
    with durable.IsolatedDurable(timeout=120) as worker:
        for pack, case, as_of in work:
            assert worker.evaluate(pack, case, as_of) == durable.evaluate_in_process(pack, case, as_of)
        first = worker.pid
        # A real crash inside durable's C core (SIGFPE: integer division by zero in a condition).
        with pytest.raises(BackendError, match="SIGFPE"):
            worker.crash_probe()
        pack, case, as_of = work[0]
        assert worker.evaluate(pack, case, as_of) == durable.evaluate_in_process(pack, case, as_of)
        assert worker.pid not in (None, first, os.getpid())


def test_isolation_by_environment_variable(monkeypatch: pytest.MonkeyPatch):
    pack, case, as_of = _yaml_cases()[0]
    monkeypatch.setenv("POLICYRULES_DURABLE_ISOLATION", "process")
    try:
        got = durable.evaluate(pack, case, as_of)
        assert durable._WORKER is not None and durable._WORKER.pid not in (None, os.getpid())
    finally:
        if durable._WORKER is not None:
            durable._WORKER.close()
    assert got == durable.evaluate_in_process(pack, case, as_of)
    assert isinstance(got, Result) and got.backend == "durable"


def test_isolation_needs_a_pack_file():
    pack = dataclasses.replace(_pack(PACKS[0]), source_path=None)
    with pytest.raises(BackendError, match="loaded from a file"):
        durable.IsolatedDurable().evaluate(pack, Case(), pack.valid_from)


# ---- the plan --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PACKS)
def test_plan_covers_every_rule_and_quotes_the_condition(name: str):
    pack = _pack(name)
    plans = durable.plan(pack)
    assert [p.rule for p in plans] == [r.id for r in pack.rules]
    for p in plans:
        when = " ".join(pack.rule(p.rule).when.text.split())
        for atom in (*p.durable_atoms, *p.python_atoms):
            assert atom in when
        assert p.describe().startswith(p.rule)
    stage = {p.rule: p.stage for p in plans}
    for rule in pack.rules:  # a reader is a stage after every setter of what it reads
        for fact in durable._derived_reads(rule):
            for setter in pack.setters.get(fact, ()):
                assert stage[rule.id] > stage[setter]


def test_codes_order_like_the_values():
    constants = (date(2024, 1, 1), date(2024, 6, 1))
    assert [durable.code(d, constants) for d in (date(2023, 1, 1), *constants, date(2024, 3, 1), date(2025, 1, 1))] == [
        0,
        1,
        3,
        2,
        4,
    ]
    from decimal import Decimal

    big = 10**30  # past 64 bits: durable would saturate it, its code does not care
    nums = (Decimal("999.99"), 1000)
    assert [durable.code(v, nums) for v in (Decimal("999.98"), Decimal("999.99"), Decimal("999.995"), 1000, big)] == [
        0,
        1,
        2,
        3,
        4,
    ]
