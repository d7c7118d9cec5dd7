"""Fuzzing, seeded and bounded: a mutated pack or case gives a result or the library's own error with a location.

Never a bare exception, never a hang. The mutants come from the shipped national_2025 pack (the smallest,
so thousands load in seconds) and from every example case. ``POLICYRULES_FUZZ_SCALE`` multiplies the
counts for a longer run (docs/reliability.md gives the figures of one).
"""

from __future__ import annotations

import datetime
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

import policyrules
from policyrules.engine.loading import clear_cache, load_pack
from policyrules.errors import InputError, PolicyRulesError
from policyrules.facts.casefile import load_case

from .conftest import ROOT

SCALE = int(os.environ.get("POLICYRULES_FUZZ_SCALE", "1"))
PACK_MUTANTS = 2000 * SCALE
CASE_MUTANTS = 5000 * SCALE
DAY = datetime.date(2025, 9, 1)

HOSTILE = [
    "-1",
    "-0.015",
    "0",
    "1e999",
    "1e30",
    "0200",
    "1:30",
    "0x_",
    "._",
    "1_000",
    "２００",
    "true",
    "null",
    "~",
    "'x'",
    "[]",
    "{}",
    "*a",
    "&a 1",
    "!!python/object:os.system",
    "'\\x00'",
    "9" * 60,
    "x" * 300,
    "\t",
    "- -",
    "'quantity(5, ''month'') * 2'",
    "'unit.staff >= '",
    "'unit.nosuch > 1'",
    '"\\ud800"',
    "2024-02-30",
    "{a: 1, a: 2}",
]


def _mutate_lines(rng: random.Random, lines: list[str]) -> list[str]:
    out = list(lines)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        op = rng.randrange(7)
        if op == 0:
            del out[i]
        elif op == 1:
            out.insert(i, out[rng.randrange(len(out))])
        elif op == 2:
            j = rng.randrange(len(out))
            out[i], out[j] = out[j], out[i]
        elif op == 3 and ":" in out[i]:
            key = out[i].split(":", 1)[0]
            out[i] = f"{key}: {rng.choice(HOSTILE)}"
        elif op == 4:
            out[i] = (" " * rng.randint(0, 3)) + out[i].lstrip()
        elif op == 5:
            at = rng.randint(0, len(out[i]))
            out[i] = (
                out[i][:at]
                + rng.choice(["\x01", "\ufeff", "：", "\u200b", "ｕ", "ﬁ", "'", '"', "{", "&a ", "*a"])
                + out[i][at:]
            )
        else:
            out = out[: rng.randint(1, len(out))]
    return out


FIGURES = {
    "value",
    "min",
    "max",
    "cap",
    "rate",
    "count",
    "total",
    "total_min",
    "total_max",
    "total_cap",
    "share",
    "amount",
}


def _wrong_figures(node: Any) -> list[str]:
    """Figures of a result that no pack or case may produce: negative money, shares or counts."""
    if isinstance(node, dict):
        bad = [f"{k}={v}" for k, v in node.items() if k in FIGURES and isinstance(v, str) and v.startswith("-")]
        return bad + [b for v in node.values() for b in _wrong_figures(v)]
    if isinstance(node, list):
        return [b for v in node for b in _wrong_figures(v)]
    return []


def _wrong_values(node: Any, before: Any) -> list[str]:
    """Hostile values a mutation put into a case that a decided case must not hold.

    A count or sum below zero, a number that is not one, a boolean where the example had a number, and
    full-width digits or an impossible date where it had a number or a date: each must have been refused,
    never read as something else.
    """
    if isinstance(node, dict):
        prior = before if isinstance(before, dict) else {}
        return [b for k, v in node.items() for b in _wrong_values(v, prior.get(k))]
    if isinstance(node, list):
        return [b for v in node for b in _wrong_values(v, None)]
    if isinstance(node, bool):
        return [repr(node)] if isinstance(before, (int, float)) and not isinstance(before, bool) else []
    if isinstance(node, (int, float)):
        return [repr(node)] if node != node or node < 0 else []
    if isinstance(node, str):  # free text may hold anything; a number or a date may not become text
        typed = isinstance(before, (int, float, datetime.date)) and not isinstance(before, bool)
        return [node] if typed and node in ("１２", "2024-02-30") else []
    return []


def _located(exc: PolicyRulesError) -> bool:
    if isinstance(exc, InputError):
        return bool(exc.problems) and all(p.location.file for p in exc.problems)
    return bool(str(exc))


def test_pack_mutants_load_or_fail_with_a_location(tmp_path: Path) -> None:
    base = (ROOT / "rules" / "national_2025.yaml").read_text(encoding="utf-8").splitlines()
    case = {"unit": {"kind": "private_enterprise", "staff": 200, "disabled_employees": 2}}
    rng = random.Random(20261128)
    path = tmp_path / "national_2025.yaml"
    loaded = refused = 0
    for i in range(PACK_MUTANTS):
        path.write_text("\n".join(_mutate_lines(rng, base)) + "\n", encoding="utf-8")
        clear_cache()
        try:
            pack = load_pack(path)
        except PolicyRulesError as exc:
            assert _located(exc), f"mutant {i}: {exc!r}"
            refused += 1
            continue
        loaded += 1
        try:
            result = policyrules.Pack(pack).evaluate(case, DAY)
        except PolicyRulesError as exc:
            assert _located(exc), f"mutant {i}: {exc!r}"
            continue
        assert not _wrong_figures(json.loads(result.to_json())), f"mutant {i} pays a negative figure"
    print(
        f"pack mutants: {PACK_MUTANTS} tried, {loaded} loaded, {refused} refused with a location, 0 accepted but wrong"
    )
    assert loaded + refused == PACK_MUTANTS and loaded > 0 and refused > PACK_MUTANTS // 4


def _examples() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += data if isinstance(data, list) else [data]
    return [d for d in out if isinstance(d, dict)]


def _mutate_case(rng: random.Random, case: Any, depth: int = 0) -> Any:
    if isinstance(case, dict) and case and depth < 4:
        out = dict(case)
        key = rng.choice(sorted(out))
        op = rng.randrange(5)
        if op == 0:
            del out[key]
        elif op == 1:
            out[key] = _mutate_case(rng, out[key], depth + 1)
        elif op == 2:
            out[rng.choice(["nosuch", key + "s", key.upper(), ""])] = 1
        else:
            out[key] = rng.choice(
                [
                    -1,
                    -0.5,
                    0,
                    1.5,
                    10**30,
                    True,
                    None,
                    "",
                    "x" * 500,
                    [],
                    {},
                    "2024-02-30",
                    "１２",
                    float("nan"),
                    [1, 2],
                    {"a": 1},
                    "\ud800",
                ]
            )
        return out
    return case


def test_case_mutants_evaluate_or_fail_with_a_location(tmp_path: Path) -> None:
    rng = random.Random(11282026)
    packs = [policyrules.load_pack(name) for name in ("baotou", "jinan", "fujian")]
    examples = _examples()
    decided = refused = 0
    for i in range(CASE_MUTANTS):
        example = rng.choice(examples)
        case = _mutate_case(rng, example)
        pack = packs[i % len(packs)]
        if i % 10 == 0:  # through a file too: the reader, its limits and its locations
            path = tmp_path / "case.json"
            path.write_text(json.dumps(case, ensure_ascii=False, default=str), encoding="utf-8", errors="surrogatepass")
            try:
                parsed: Any = load_case(path)
            except PolicyRulesError as exc:
                assert _located(exc), f"mutant {i}: {exc!r}"
                refused += 1
                continue
        else:
            parsed = case
        try:
            result = json.loads(pack.evaluate(parsed, DAY).to_json())
        except PolicyRulesError as exc:
            assert _located(exc) or not isinstance(exc, InputError), f"mutant {i}: {exc!r}"
            refused += 1
            continue
        decided += 1
        assert not _wrong_values(case, example), f"mutant {i} accepted {_wrong_values(case, example)}: {case}"
        assert not _wrong_figures(result), f"mutant {i} pays a negative figure: {_wrong_figures(result)}"
    print(
        f"case mutants: {CASE_MUTANTS} tried, {decided} decided, {refused} refused with a location,"
        " 0 accepted but wrong"
    )
    assert decided + refused == CASE_MUTANTS and decided > 0 and refused > 0


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a b\nc: *a\n", "[" * 5000 + "]" * 5000])
def test_recursive_or_deep_cases_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyRulesError):
        load_case(path)


@pytest.mark.parametrize("parent", ["x" * 300, "a\x00b"])
def test_a_parent_the_system_cannot_look_up_is_a_located_error(tmp_path: Path, parent: str) -> None:
    text = (ROOT / "rules" / "national_2025.yaml").read_text(encoding="utf-8")
    lines = [f"parent: {json.dumps(parent)}" if line.startswith("parent:") else line for line in text.splitlines()]
    path = tmp_path / "national_2025.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clear_cache()
    with pytest.raises(PolicyRulesError) as error:
        load_pack(path)
    assert _located(error.value)


def test_the_wrong_value_oracle_sees_each_hostile_kind() -> None:
    example = {"unit": {"staff": 200, "since": datetime.date(2024, 1, 1)}, "place": {"district": "昆都仑区"}}
    assert _wrong_values({"unit": {"staff": -1}}, example) == ["-1"]
    assert _wrong_values({"unit": {"staff": float("nan")}}, example) == ["nan"]
    assert _wrong_values({"unit": {"staff": True}}, example) == ["True"]
    assert _wrong_values({"unit": {"staff": "１２"}}, example) == ["１２"]
    assert _wrong_values({"unit": {"since": "2024-02-30"}}, example) == ["2024-02-30"]
    assert _wrong_values({"place": {"district": "2024-02-30"}}, example) == []
    assert _wrong_figures({"entitlements": [{"amount": {"value": "-1", "total": "3"}}]}) == ["value=-1"]
