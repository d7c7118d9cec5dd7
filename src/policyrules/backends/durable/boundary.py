"""The boundary: everything computed outside durable for one evaluation.

Codes of facts, Python atoms, derived values, settling several setters of
one fact, and the missing facts or error of an undecided rule (from the
rule's own closure, checked against durable's decision).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from policyrules.backends import BackendError
from policyrules.engine.evaluator import UNSET, Run, settle
from policyrules.engine.model import CompiledPack
from policyrules.engine.result import ErrorOut
from policyrules.expr import Unknown

from .formulas import _PY_CODE
from .planning import Atom
from .ruleset import _STAGE, DurablePack


def code(value: Any, constants: tuple[Any, ...]) -> int:
    """An integer that orders like ``value`` against every constant the pack compares its fact with.

    With the constants sorted, the i-th (0-based) has code 2i+1; a value equal to
    it gets 2i+1, a value between the i-th and the next 2i+2. So every ``==``,
    ``<``, ``in`` … durable evaluates on codes has the answer Python's exact
    comparison gives on the values: no floats, no 64-bit overflow, no text
    compared with numbers, and dates and Decimals need no encoding of their own.
    """
    i = bisect_left(constants, value)
    return 2 * i + (1 if i < len(constants) and constants[i] == value else 0)


def _python_state(atom: Atom, env: dict[str, Any]) -> int:
    try:
        value = atom.fn(env)
    except ArithmeticError:
        return _PY_CODE["E"]
    if value is True:
        return _PY_CODE["T"]
    if value is False:
        return _PY_CODE["F"]
    if value.__class__ is Unknown:
        return _PY_CODE["U"]
    raise BackendError(f"condition part {atom.text!r} gave {value!r}, not a truth value")


class _Evaluation:
    """One evaluation: the boundary's side of one durable session."""

    def __init__(self, pack: CompiledPack, dpack: DurablePack, env: dict[str, Any], sid: str) -> None:
        self.pack = pack
        self.dpack = dpack
        self.env = env
        self.sid = sid
        self.decided: dict[str, tuple[str, Any]] = {}  # rule id -> (state, condition value)
        self.candidates: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, ErrorOut] = {}
        self.run = Run(env)  # collects conflicts as facts settle
        self.closed: list[int] = []
        self.failure: BaseException | None = None

    def stage_fact(self, k: int) -> dict[str, Any]:
        stage = self.dpack.stages[k]
        fact: dict[str, Any] = {"sid": self.sid, _STAGE: k}
        env = self.env
        for path, prop, constants in stage.paths:
            value = env.get(path)
            if value is not None and value.__class__ is not Unknown:
                fact[prop] = code(value, constants)
        for atom in stage.python_atoms:
            fact[atom.prop] = _python_state(atom, env)
        return fact

    def decide(self, rule_id: str, state: str) -> None:
        """Rule ``rule_id`` is true, false or error (a durable rule fired) or undecided (none did)."""
        if rule_id in self.decided:
            # Durable expands a condition to disjunctive normal form and fires once per matching term:
            # the same state again is expected, another state would be a bug.
            if self.decided[rule_id][0] != state:
                raise BackendError(f"rule {rule_id!r}: durable found it both {self.decided[rule_id][0]} and {state}")
            return
        rule = self.pack.rule(rule_id)
        cond: Any = state == "T"
        if state in ("U", "E"):
            # Durable decided; it cannot carry which facts are missing nor the error text. The rule's
            # own closure gives them, and must agree with durable or the backend refuses the result.
            try:
                cond = rule.when.fn(self.env)
                got = "U" if cond.__class__ is Unknown else "T" if cond is True else "F"
            except ArithmeticError as exc:
                got = "E"
                self.errors[rule_id] = ErrorOut(rule=rule_id, message=str(exc) or type(exc).__name__)
                cond = Unknown(frozenset())
            if got != state:
                raise BackendError(f"rule {rule_id!r}: durable found it {state}, its closure {got}")
        self.decided[rule_id] = (state, cond)
        if rule.kind != "derive" or state == "F":
            return
        if state == "T":
            try:
                self.candidates.setdefault(rule.derive_fact, {})[rule_id] = rule.derive_value.fn(self.env)  # type: ignore[union-attr,index]
            except ArithmeticError as exc:
                self.errors[rule_id] = ErrorOut(rule=rule_id, message=str(exc) or type(exc).__name__)
                self.decided[rule_id] = ("T", Unknown(frozenset()))  # the native evaluator's condition then
                self.candidates.setdefault(rule.derive_fact, {})[rule_id] = Unknown(frozenset())  # type: ignore[index]
        else:
            self.candidates.setdefault(rule.derive_fact, {})[rule_id] = cond  # type: ignore[index]

    def close_stage(self, k: int) -> dict[str, Any] | None:
        """Stage k is done: settle the facts it completes; the next stage's fact, if any."""
        if self.closed != list(range(k)):
            raise BackendError(f"durable closed stage {k} after stages {self.closed}")
        self.closed.append(k)
        for rule_id in self.dpack.rules_of_stage[k]:
            if rule_id not in self.decided:
                self.decide(rule_id, "U")  # durable could decide it neither way
        for fact in self.dpack.stages[k].settles:
            value = settle(self.pack, fact, self.candidates.get(fact, {}), self.run)
            if value is not UNSET:
                self.env[f"derived.{fact}"] = value
        return self.stage_fact(k + 1) if k + 1 < len(self.dpack.stages) else None

    def finish(self) -> Run:
        """The run as the native evaluator would leave it: everything in pack order."""
        if len(self.closed) != len(self.dpack.stages):
            raise BackendError(f"durable completed stages {self.closed} of {len(self.dpack.stages)}")
        run = self.run
        for rule in self.pack.rules:
            state, cond = self.decided.get(rule.id, ("F", False))
            run.conditions[rule.id] = cond
            if state == "T" and rule.kind != "derive":
                run.fired.append(rule)
            if rule.id in self.errors:
                run.errors.append(self.errors[rule.id])
        order = self.dpack.settle_order
        run.conflicts.sort(key=lambda c: order[c.fact])
        return run
