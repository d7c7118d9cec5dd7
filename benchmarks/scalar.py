"""One case at a time: the engine against a whole pack written by hand, side by side.

    python benchmarks/scalar.py [--check N] [--rounds R] [--calls K] [--packs baotou,jinan,fujian]

For each pack and each of three cases (an employer, a person, an empty case)
it times, interleaved in the same rounds, CPU time per call (median over R
rounds of the mean of K calls):

* ``hand``: the pack written by hand as one Python function with the
  engine's outputs (benchmarks/handwritten/), the honest floor;
* ``api+read``: ``Pack.evaluate(case)``, the public API, on a typed ``Case``
  (the input the hand-written function's flat facts stand for), then every
  outcome's amount and citation read;
* ``dict+read``: the same from a plain mapping, as JSON gives it: the case is
  validated first (types, ranges, cross-checks), work the hand-written
  function does not do;
* ``deferred``: ``evaluate(pack, Case, day)`` as returned: the rules matched,
  the typed Result not yet built (it is built on first read);
* ``built``: the same, the whole typed Result built;
* ``+JSON``: the same and ``to_json()``;
* ``closures``: the typed Result with rules matched by the closure
  evaluator (the reference) instead of the generated function.

The figures above repeat one case, as a portal's visitors repeat the same
few situations; results share what equal figures give (an outcome is built
once per rule and the values it shows). So for each pack a line also times
both over the generated cases in force (at most 2000, each different, each
once per round), with the engine from flat facts and every amount and
citation read: the cost when nothing repeats.

Before timing, the hand-written function is checked equal to the engine on
N generated cases (every fact the pack reads, 5% missing, four dates), so a
ratio always compares equal work: a pack whose hand-written function
disagrees (the pack changed since it was written) is timed without ratios,
named at the end, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import policyrules  # noqa: E402
from policyrules.compare.behaviour import generate_columns  # noqa: E402
from policyrules.engine.codegen import generated  # noqa: E402
from policyrules.engine.evaluator import evaluate, evaluate_facts  # noqa: E402
from policyrules.engine.loading import load_pack  # noqa: E402
from policyrules.engine.model import CompiledPack  # noqa: E402
from policyrules.facts.case import AT_MOST, ZERO_WHEN, Case, flatten  # noqa: E402
from policyrules.facts.casefile import load_case  # noqa: E402
from policyrules.facts.vocabulary import case_facts  # noqa: E402
from policyrules.pack.files import rules_dir  # noqa: E402

EXAMPLES = rules_dir().parent / "examples"

CASES: dict[str, dict[str, Any]] = {
    "baotou": {
        "employer": EXAMPLES / "baotou-employer.yaml",
        "person": {
            "person": {
                "disability": {"category": "physical", "grade": 3, "certified": True},
                "employment": "self_employed",
                "business": {
                    "kind": "individual_business",
                    "first_business": True,
                    "rents_premises": True,
                    "licensed_on": "2023-01-15",
                    "monthly_rent": 800,
                },
            },
            "application": {"kind": "rent_subsidy"},
            "place": {"district": "昆都仑区", "monthly_minimum_wage": 1980},
        },
        "empty": {},
    },
    "jinan": {
        "employer": EXAMPLES / "jinan-employer.yaml",
        "person": {
            "person": {
                "disability": {"certified": True},
                "employment": "self_employed",
                "business": {"kind": "individual_business", "pension_medical_due_min_base": 10000},
            },
            "application": {"kind": "startup_subsidy"},
        },
        "empty": {},
    },
    "fujian": {
        "employer": EXAMPLES / "employer.yaml",
        "person": EXAMPLES / "fujian-lowbao.yaml",
        "empty": {},
    },
}
DAY = date(2024, 6, 1)


def day_in_force(pack: CompiledPack) -> date:
    until = pack.valid_until or DAY
    return DAY if pack.valid_from <= DAY <= until else pack.valid_from + timedelta(days=60)


def handwritten(name: str) -> Any:
    try:
        return importlib.import_module(f"handwritten.{name}")
    except ModuleNotFoundError:
        return None


def generated_facts(pack: CompiledPack, n: int, seed: str) -> list[tuple[dict[str, Any], date]]:
    """n valid cases as flat facts, each with its date (four dates, mostly in force)."""
    kinds = case_facts()
    paths = sorted(p for p in pack.inputs_of(list(pack.rules)) if p in kinds)
    last = pack.valid_until or pack.valid_from + timedelta(days=400)
    days = [pack.valid_from, day_in_force(pack), last, last + timedelta(days=1)]  # the last: out of force unless open
    out: list[tuple[dict[str, Any], date]] = []
    while len(out) < n:
        columns = generate_columns(paths, [pack], n, f"{seed}:{len(out)}")
        for values in zip(*(columns[p] for p in paths)):
            day = days[len(out) % len(days)]
            facts = {}
            for path, value in zip(paths, values):
                if value is None:
                    continue
                if kinds[path].type.kind == "date" and not isinstance(value, date):
                    value = day + timedelta(days=value)  # generated as days around the date
                facts[path] = value
            if any(s in facts and big in facts and facts[s] > facts[big] for s, big, _ in AT_MOST):
                continue
            if any(facts.get(choice) == value and facts.get(count, 0) > 0 for count, choice, value in ZERO_WHEN):
                continue
            out.append((facts, day))
            if len(out) == n:
                break
    return out


_PARTS = ((1, "entitlement"), (2, "obligation"), (3, "sanction"), (4, "exclusion"), (5, "undetermined"))


def differences(pack: CompiledPack, want: tuple, got: tuple) -> list[tuple[str, str, Any, Any]]:
    """Where two projections differ: (rule or derived fact, what, engine's entry, hand's entry), one per difference."""
    if want[0] != got[0] or not want[0]:
        return [("(validity)", "in force", want[0], got[0])] if want[0] != got[0] else []
    out = []
    for i, what in _PARTS:
        engine: dict[Any, Any] = {}
        hand: dict[Any, Any] = {}
        for entries, into in ((want[i], engine), (got[i], hand)):
            for entry in entries:
                key = entry[:2] if what == "exclusion" else entry[0]
                into.setdefault(key, []).append(entry)
        for key in sorted({*engine, *hand}, key=str):
            if engine.get(key) != hand.get(key):
                rule = key[0] if isinstance(key, tuple) else key
                out.append((rule, what, engine.get(key), hand.get(key)))
    names = list(pack.derived)
    for j in range(max(len(want[6]), len(got[6]))):
        a = want[6][j] if j < len(want[6]) else "(absent)"
        b = got[6][j] if j < len(got[6]) else "(absent)"
        if a != b:
            out.append((f"derived.{names[j]}" if j < len(names) else f"derived #{j}", "derived fact", a, b))
    return out


def check(name: str, pack: CompiledPack, hand: Any, cases: list[tuple[dict[str, Any], date]]) -> bool:
    """The hand-written function equal to the engine on generated cases; else where they differ, by rule."""
    t = time.perf_counter()
    n = len(cases)
    bad = 0
    by_rule: dict[tuple[str, str], int] = {}
    for facts, day in cases:
        want = hand.project(evaluate_facts(pack, facts, day))
        got = hand.evaluate(facts, day)
        if got == want:
            continue
        bad += 1
        found = differences(pack, want, got) or [("(projection)", "shape", want, got)]
        for rule, what, engine, by_hand in found:
            if (rule, what) not in by_rule:  # the first case on which each rule differs, in full
                print(f"  {name}: {what} {rule} differs as of {day}\n    case   {facts}")
                print(f"    engine {engine}\n    hand   {by_hand}")
            by_rule[(rule, what)] = by_rule.get((rule, what), 0) + 1
    print(
        f"checked: {name} by hand = engine on {n} generated cases, {bad} differences ({time.perf_counter() - t:.1f} s)"
    )
    for (rule, what), count in sorted(by_rule.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {what} {rule} differs on {count} of {n} cases")
    return bad == 0


def across(pack: CompiledPack, hand: Any, cases: list[tuple[dict[str, Any], date]], rounds: int) -> str:
    """The hand-written function and the engine (from flat facts, every amount and citation read) over the
    generated cases, each case once per round: no case repeats within a round, so nothing the engine shares
    between results of equal figures is found twice. µs per case, median over rounds, interleaved."""

    def engine() -> None:
        for facts, day in cases:
            read_everything(evaluate_facts(pack, facts, day))

    def by_hand() -> None:
        for facts, day in cases:
            hand.evaluate(facts, day)

    m = timed({"hand": by_hand, "engine": engine}, rounds, 1)
    h, e = m["hand"] / len(cases), m["engine"] / len(cases)
    return (
        f"across {len(cases)} generated cases in force (each once a round): "
        f"hand {h:.1f} µs, engine+read {e:.1f} µs, {e / h:.2f}× hand"
    )


def read_everything(result: Any) -> None:
    """What a portal shows: every outcome's amount and citation."""
    for o in (*result.entitlements, *result.obligations, *result.sanctions):
        o.amount, o.citation.quote  # noqa: B018
    for x in result.exclusions:
        x.citation.quote  # noqa: B018


def timed(engines: dict[str, Callable[[], Any]], rounds: int, calls: int) -> dict[str, float]:
    """µs per call (CPU time): the median over rounds of the mean of ``calls`` calls; engines interleaved."""
    samples: dict[str, list[float]] = {k: [] for k in engines}
    for fn in engines.values():
        fn()
    for _ in range(rounds):
        for label, fn in engines.items():
            t = time.process_time()
            for _ in range(calls):
                fn()
            samples[label].append((time.process_time() - t) / calls * 1e6)
    return {k: statistics.median(v) for k, v in samples.items()}


COLUMNS = ("hand", "api+read", "dict+read", "deferred", "built", "+JSON", "closures")
TARGETS = {"api+read": 1.5, "built": 3.0, "+JSON": 4.0}  # the most each may cost, × hand


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", type=int, default=10000, metavar="N", help="generated cases checked first")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--packs", default="baotou,jinan,fujian")
    args = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}; CPU µs per call, median of {args.rounds} rounds × {args.calls} calls")
    head = "".join(f"{c:>10}" for c in COLUMNS)
    print(f"{'pack':<8}{'case':<10}{'facts':>6}{head}   × hand: " + "".join(f"{c:>9}" for c in COLUMNS[1:]))
    stale: list[str] = []
    met: dict[str, list[bool]] = {c: [] for c in TARGETS}
    for name in args.packs.split(","):
        compiled = load_pack(name)
        api = policyrules.load_pack(name)
        hand = handwritten(name)
        day = day_in_force(compiled)
        generated(compiled)  # up front: the figures are the generated function's, not the warm-up's
        cases = generated_facts(compiled, args.check, f"scalar:{name}")
        if hand is not None and not check(name, compiled, hand, cases):
            print(
                f"  {name}: benchmarks/handwritten/{name}.py no longer matches the pack (rules above); timed without ratios"
            )
            hand, stale = None, [*stale, name]
        for label, source in CASES[name].items():
            raw = source if isinstance(source, dict) else None
            case = Case.model_validate(raw) if raw is not None else load_case(source)
            if raw is None:
                raw = case.model_dump(mode="json", exclude_none=True)
            facts = flatten(case)
            engines: dict[str, Callable[[], Any]] = {}
            if hand is not None:
                want, got = hand.project(evaluate(compiled, case, day)), hand.evaluate(facts, day)
                if got != want:
                    for rule, what, engine, by_hand in differences(compiled, want, got) or [("-", "shape", want, got)]:
                        print(f"  {name} {label}: {what} {rule} differs\n    engine {engine}\n    hand   {by_hand}")
                    return 1
                engines["hand"] = lambda hand=hand, facts=facts, day=day: hand.evaluate(facts, day)
            engines["api+read"] = lambda api=api, case=case, day=day: read_everything(api.evaluate(case, as_of=day))
            engines["dict+read"] = lambda api=api, raw=raw, day=day: read_everything(api.evaluate(raw, as_of=day))
            engines["deferred"] = lambda c=compiled, case=case, day=day: evaluate(c, case, day)
            engines["built"] = lambda c=compiled, case=case, day=day: evaluate(c, case, day).undetermined
            engines["+JSON"] = lambda c=compiled, case=case, day=day: evaluate(c, case, day).to_json()
            engines["closures"] = lambda c=compiled, case=case, day=day: evaluate(c, case, day, reference=True)
            m = timed(engines, args.rounds, args.calls)
            cells = "".join(f"{m[c]:>10.1f}" if c in m else f"{'-':>10}" for c in COLUMNS)
            ratios = (
                "".join(f"{m[c] / m['hand']:>9.2f}" for c in COLUMNS[1:])
                if "hand" in m
                else "   (no ratios: no hand-written function that matches the pack)"
            )
            print(f"{name:<8}{label:<10}{len(facts):>6}{cells}   {ratios}")
            if "hand" in m:
                for c, most in TARGETS.items():
                    met[c].append(m[c] / m["hand"] <= most)
        print(f"{'':<8}(as of {day})")
        if hand is not None:
            until = compiled.valid_until or date.max
            in_force = [(f, d) for f, d in cases if compiled.valid_from <= d <= until][:2000]
            print(f"{'':<8}{across(compiled, hand, in_force, args.rounds)}")
    print(
        "targets: " + ", ".join(f"{c} ≤ {most}× on {sum(met[c])} of {len(met[c])} cases" for c, most in TARGETS.items())
    )
    if stale:
        print(f"out of date: benchmarks/handwritten/ for {', '.join(stale)} (the pack changed)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
