"""Run a compiled pack on durable-rules 2.0.28: durable matches the rules and chains derived facts.

How a pack becomes a durable ruleset (compiled once per pack content hash):

* Each rule condition is split into its boolean skeleton (``and``, ``or``,
  ``not``) and its *atoms* (comparisons, membership tests, bool facts).
* An atom ``fact OP constant`` (or ``fact in [constants]``, or a bare bool
  fact) is a **durable atom**: durable itself compares the fact. Facts reach
  durable as order-preserving integer codes (see :func:`code`), so money,
  dates, huge integers and strings compare exactly, never through a float.
* Every other atom (arithmetic, two facts compared, function calls such as
  ``year(as_of)``, ``if … else``) is a **Python atom**: computed at the
  boundary and asserted as a fact holding its state, true/false/unknown/error.
* Kleene's three-valued logic (and the native evaluator's left-to-right
  short-circuit on errors) is written as positive durable conditions over
  those atoms: for every rule durable holds one rule per state (``#T``
  true, ``#F`` false, ``#E`` a division by zero was reached). The states
  are exclusive by construction, at most one fires; a rule none of them
  matched when its stage is done is undecided (a fact it needs is missing).
* Derived facts chain inside durable: rules are grouped in *stages*
  (a rule reading ``derived.X`` is one stage after the last setter of X). The
  case is asserted as the stage-0 fact; when stage k is done (a lowest
  priority ``stage#k`` rule fires), the facts its setters decided are settled
  and the stage k+1 fact, now holding them, is asserted from inside that
  action, so durable carries on matching in the same session.

What is computed outside durable, all in the section "the boundary" below and
reported per rule by :func:`plan`: validity dates; parameters in force;
codes of facts; Python atoms; derived values (money, division, floor, dates:
the ``derive.value`` expression); settling several setters of one fact
(precedence, agreement, conflict); the missing facts of an undecided rule
(durable cannot carry sets of paths, so the boundary asks the rule's own
closure and checks that it agrees with durable); and building outcomes,
amounts, exclusions and undecided entitlements with the evaluator's own
:func:`policyrules.evaluator.assemble`, so outcomes cannot drift apart.

Safety (see shared notes on durable-rules): one Host with its timer threads
off, used only behind :data:`_LOCK`; a fresh session id per evaluation and
``delete_state`` in a ``finally``; one session per assertion, never a batch;
only small integers are ever asserted. Evaluations from several threads are
therefore *serialised*, not parallel. A crash of the C core (SIGSEGV, SIGFPE)
would end the process; :class:`IsolatedDurable` (or the environment variable
``POLICYRULES_DURABLE_ISOLATION=process``) runs evaluations in a child
process so that the caller survives one.

A pack durable cannot run raises :class:`BackendError` naming the rule, when
the pack is compiled, never a silent difference.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Union

from ..evaluator import UNSET, Run, assemble, initial_env, settle, validity_on
from ..expr import Unknown, compile_expr, names
from ..expr import nodes as n
from ..facts import Case
from ..model import CompiledPack, CompiledRule
from ..result import ErrorOut, Result
from . import BackendError

MAX_TERMS = 4096
"""Disjunctive-normal-form terms one rule state may expand to. Durable expands every condition to DNF
itself and refuses a rule somewhere between 2**14 and 2**16 terms (error 113); big ones are slow anyway."""

MAX_PROPERTIES = 250
"""Properties one stage fact may hold; durable-rules rejects facts with more than 255 (error 302)."""

_STATES = ("T", "F", "E")  # true, false, error reached; undecided is the absence of all three
_PY_CODE = {"F": 0, "U": 1, "T": 2, "E": 3}  # a Python atom's state in a stage fact: T-or-U and F-or-U are ranges
_STAGE = "stage_"


# ---- the plan: which atom runs where (pure, compile time) ----------------------------------


@dataclass(frozen=True)
class Atom:
    """A leaf of a rule condition."""

    prop: str  # the stage-fact property durable tests
    text: str  # as written in the pack
    python: bool  # computed at the boundary (True) or compared by durable (False)
    path: str | None = None  # durable atoms: the fact compared
    op: str | None = None  # durable atoms: == != < <= > >= in "not in"
    constants: tuple[Any, ...] = ()
    fn: Any = None  # Python atoms: the compiled closure


@dataclass(frozen=True)
class _BoolOp:
    op: str
    items: tuple[Skeleton, ...]


@dataclass(frozen=True)
class _Not:
    item: Skeleton


@dataclass(frozen=True)
class _Const:
    value: bool


Skeleton = Union[_BoolOp, _Not, _Const, Atom]


@dataclass(frozen=True)
class RulePlan:
    """Where each part of one rule is computed on the durable backend."""

    rule: str
    kind: str
    stage: int
    condition: str  # "in durable" | "in durable, with Python atoms asserted as facts …" | "constant …"
    durable_atoms: tuple[str, ...]
    python_atoms: tuple[str, ...]
    in_python: tuple[str, ...]  # values computed by the boundary after durable matched

    def describe(self) -> str:
        lines = [f"{self.rule} ({self.kind}, stage {self.stage}): condition {self.condition}"]
        lines += [f"    durable:  {a}" for a in self.durable_atoms]
        lines += [f"    python→fact: {a}" for a in self.python_atoms]
        lines += [f"    python:   {a}" for a in self.in_python]
        return "\n".join(lines)


def _constant(node: n.Node) -> tuple[bool, Any]:
    """A sub-expression that reads no fact has one value: fold it now (None when it cannot be folded)."""
    if isinstance(node, (n.Name, n.ListLit, n.BoolOp)) or names(node):
        return False, None
    try:
        value = compile_expr(node)({})
    except ArithmeticError:
        return False, None  # raises on every case: left to Python, which reports it as native does
    if value.__class__ is Unknown or isinstance(value, list):
        return False, None
    return True, value


_WORD = {"T": "true", "F": "false", "E": "an error is reached"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _prop(path: str) -> str:
    return path.replace(".", "__")


def _text(expr_text: str, node: n.Node) -> str:
    return " ".join(expr_text[node.start : node.end].split())


def _skeleton(node: n.Node, text: str, new_python: Callable[[n.Node, str], Atom]) -> Skeleton:
    if isinstance(node, n.BoolOp):
        return _BoolOp(node.op, tuple(_skeleton(v, text, new_python) for v in node.values))
    if isinstance(node, n.Not):
        return _Not(_skeleton(node.operand, text, new_python))
    if isinstance(node, n.Literal) and isinstance(node.value, bool):
        return _Const(node.value)
    t = _text(text, node)
    if isinstance(node, n.Name):
        return Atom(_prop(node.path), t, False, node.path, "==", (True,))
    if isinstance(node, n.Compare):
        if node.op in ("in", "not in"):
            if isinstance(node.left, n.Name) and isinstance(node.right, n.ListLit):
                folded = [_constant(i) for i in node.right.items]
                if all(ok for ok, _ in folded):
                    return Atom(_prop(node.left.path), t, False, node.left.path, node.op, tuple(v for _, v in folded))
        else:
            for name, other, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op])):
                if isinstance(name, n.Name):
                    ok, value = _constant(other)
                    if ok:
                        return Atom(_prop(name.path), t, False, name.path, op, (value,))
    return new_python(node, t)


def _derived_reads(rule: CompiledRule) -> set[str]:
    reads = names(rule.when.node)
    if rule.derive_value is not None:
        reads |= names(rule.derive_value.node)
    return {p[len("derived.") :] for p in reads if p.startswith("derived.")}


def _stages(pack: CompiledPack) -> dict[str, int]:
    """Rule id -> stage: one more than the latest stage among the setters of the derived facts it reads."""
    stage: dict[str, int] = {}
    for rule in pack.rules:  # the compiler orders setters before readers
        deps = [stage[s] + 1 for fact in _derived_reads(rule) for s in pack.setters.get(fact, ()) if s in stage]
        stage[rule.id] = max(deps, default=0)
    return stage


def _walk_atoms(skel: Skeleton) -> list[Atom]:
    if isinstance(skel, Atom):
        return [skel]
    if isinstance(skel, _BoolOp):
        return [a for item in skel.items for a in _walk_atoms(item)]
    if isinstance(skel, _Not):
        return _walk_atoms(skel.item)
    return []


def _skeletons(pack: CompiledPack) -> dict[str, Skeleton]:
    counter = itertools.count()

    def new_python(node: n.Node, text: str) -> Atom:
        return Atom(f"atom_{next(counter)}", text, True, fn=compile_expr(node))

    return {rule.id: _skeleton(rule.when.node, rule.when.text, new_python) for rule in pack.rules}


def plan(pack: CompiledPack) -> list[RulePlan]:
    """Per rule, in pack order: which parts durable decides and which the boundary computes in Python."""
    stages = _stages(pack)
    out = []
    for rule_id, skel in _skeletons(pack).items():
        rule = pack.rule(rule_id)
        atoms = _walk_atoms(skel)
        py = tuple(a.text for a in atoms if a.python)
        du = tuple(a.text for a in atoms if not a.python)
        if not atoms:
            condition = "constant (always true)" if isinstance(skel, _Const) and skel.value else "constant"
        elif py:
            condition = "in durable, with Python atoms asserted as facts (true, false, unknown or error)"
        else:
            condition = "in durable"
        in_python = ["missing facts of an undecided condition (from the rule's closure, checked against durable)"]
        if rule.kind == "derive":
            value = " ".join(rule.derive_value.text.split())  # type: ignore[union-attr]
            in_python.insert(0, f"derived.{rule.derive_fact} = {value} (in the #T action)")
            if len(pack.setters.get(rule.derive_fact or "", ())) > 1:
                in_python.insert(1, f"settling derived.{rule.derive_fact} among its setters (precedence, conflicts)")
        elif rule.kind != "exclusion":
            in_python.append("amount, duration, limit, funding, status (evaluator.assemble)")
        out.append(RulePlan(rule_id, rule.kind, stages[rule_id], condition, du, py, tuple(in_python)))
    return out


def describe_plan(pack: CompiledPack) -> str:
    return "\n".join(p.describe() for p in plan(pack))


# ---- formulas: Kleene logic as positive durable tests ----------------------------------------

# A formula is TRUE, FALSE, ("and", items), ("or", items) or a test (op, prop, code).
TRUE: tuple = ("true",)
FALSE: tuple = ("false",)


def _all(items: list[tuple]) -> tuple:
    out: list[tuple] = []
    for f in items:
        if f == FALSE:
            return FALSE
        if f == TRUE:
            continue
        for g in f[1] if f[0] == "and" else (f,):
            if g not in out:
                out.append(g)
    return TRUE if not out else out[0] if len(out) == 1 else ("and", tuple(out))


def _any(items: list[tuple]) -> tuple:
    out: list[tuple] = []
    for f in items:
        if f == TRUE:
            return TRUE
        if f == FALSE:
            continue
        for g in f[1] if f[0] == "or" else (f,):
            if g not in out:
                out.append(g)
    return FALSE if not out else out[0] if len(out) == 1 else ("or", tuple(out))


@dataclass(frozen=True)
class _State:
    """A sub-condition's four exclusive states as formulas (true, false, unknown, error reached),
    and two unions kept compact where an atom allows: true-or-unknown, false-or-unknown."""

    T: tuple
    F: tuple
    U: tuple
    E: tuple
    TU: tuple
    FU: tuple


def _conj(items: list[_State]) -> _State:
    """``a and b and …`` as the native evaluator runs it: left to right, the first false or error decides.

    Without atoms that can raise (the usual case) this is just T = all T, F = any F.
    """
    may_fail = [s.E != FALSE for s in items]
    false = _any([_all([s.F] + [items[j].TU for j in range(i) if may_fail[j]]) for i, s in enumerate(items)])
    error = _any([_all([s.E] + [t.TU for t in items[:i]]) for i, s in enumerate(items) if may_fail[i]])
    goes_on = _all([s.TU for s in items])  # no operand false, none raised
    unknown = _all([goes_on, _any([s.U for s in items])])
    return _State(_all([s.T for s in items]), false, unknown, error, goes_on, _any([false, unknown]))


def _swap(s: _State) -> _State:
    return _State(T=s.F, F=s.T, U=s.U, E=s.E, TU=s.FU, FU=s.TU)


def _state(skel: Skeleton, codes: dict[str, tuple[Any, ...]]) -> _State:
    if isinstance(skel, _Const):
        t, f = (TRUE, FALSE) if skel.value else (FALSE, TRUE)
        return _State(t, f, FALSE, FALSE, t, f)
    if isinstance(skel, _Not):
        return _swap(_state(skel.item, codes))
    if isinstance(skel, _BoolOp):
        items = [_state(i, codes) for i in skel.items]
        if skel.op == "and":
            return _conj(items)
        return _swap(_conj([_swap(s) for s in items]))  # or: and with true and false exchanged
    if skel.python:
        p = skel.prop
        t, f, u, e = (("eq", p, _PY_CODE[s]) for s in "TFUE")
        true_or_unknown = _all([("gte", p, _PY_CODE["U"]), ("lte", p, _PY_CODE["T"])])
        return _State(t, f, u, e, true_or_unknown, ("lte", p, _PY_CODE["U"]))
    lits = codes[skel.path]  # type: ignore[index]
    p = skel.prop
    missing = ("nex", p, 1)
    cs = [2 * lits.index(c) + 1 for c in skel.constants]  # a literal's own code (see code())
    if skel.op in ("in", "not in"):
        member = _any([("eq", p, c) for c in cs])
        other = _all([("neq", p, c) for c in cs])
        t, f = (member, other) if skel.op == "in" else (other, member)
        return _State(t, f, missing, FALSE, _any([t, missing]), _any([f, missing]))
    c = cs[0]
    true_op, false_op = {
        "==": ("eq", "neq"),
        "!=": ("neq", "eq"),
        "<": ("lt", "gte"),
        "<=": ("lte", "gt"),
        ">": ("gt", "lte"),
        ">=": ("gte", "lt"),
    }[skel.op]  # type: ignore[index]
    t, f = (true_op, p, c), (false_op, p, c)
    return _State(t, f, missing, FALSE, _any([t, missing]), _any([f, missing]))


def _terms(f: tuple) -> int:
    """How many terms durable's expansion of ``f`` to disjunctive normal form has."""
    if f[0] == "and":
        out = 1
        for g in f[1]:
            out *= _terms(g)
        return out
    if f[0] == "or":
        return sum(_terms(g) for g in f[1])
    return 0 if f == FALSE else 1


_OPS = {"neq": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte", "nex": "$nex"}


def _json(f: tuple) -> dict[str, Any]:
    if f[0] in ("and", "or"):
        return {"$" + f[0]: [_json(g) for g in f[1]]}
    op, prop, value = f
    return {prop: value} if op == "eq" else {_OPS[op]: {prop: value}}


# ---- the compiled ruleset --------------------------------------------------------------------


@dataclass(frozen=True)
class _Stage:
    number: int
    paths: tuple[tuple[str, str, tuple[Any, ...]], ...]  # (path, prop, sorted constants) durable compares
    python_atoms: tuple[Atom, ...]
    settles: tuple[str, ...]  # derived facts whose setters are all decided when this stage is done


@dataclass(frozen=True)
class DurablePack:
    """A pack compiled for durable: the ruleset definition and what the boundary needs to feed it."""

    name: str
    definition: dict[str, Any]  # durable rule name -> {"all": [...], "pri"?: n}; JSON, without actions
    stages: tuple[_Stage, ...]
    rules_of_stage: tuple[tuple[str, ...], ...]
    actions: dict[str, tuple[str, str]]  # durable rule name -> (rule id, state)
    settle_order: dict[str, int]  # derived fact -> position at which the native evaluator settles it


def _collect_codes(skeletons: dict[str, Skeleton]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, set[Any]] = {}
    for skel in skeletons.values():
        for a in _walk_atoms(skel):
            if not a.python:
                found.setdefault(a.path, set()).update(a.constants)  # type: ignore[arg-type]
    return {path: tuple(sorted(values)) for path, values in found.items()}


def compile_durable(pack: CompiledPack) -> DurablePack:
    """Translate a compiled pack into a durable ruleset definition; BackendError names a rule it cannot run."""
    skeletons = _skeletons(pack)
    stages_of = _stages(pack)
    try:
        codes = _collect_codes(skeletons)
    except TypeError as exc:  # constants of different kinds compared with one fact: cannot order them
        raise BackendError(f"pack {pack.id}: a fact is compared with constants of different kinds ({exc})") from None
    definition: dict[str, Any] = {}
    actions: dict[str, tuple[str, str]] = {}
    last = max(stages_of.values(), default=0)
    paths: list[dict[str, tuple[str, str, tuple[Any, ...]]]] = [{} for _ in range(last + 1)]
    python: list[list[Atom]] = [[] for _ in range(last + 1)]
    for rule in pack.rules:
        k = stages_of[rule.id]
        skel = skeletons[rule.id]
        for a in _walk_atoms(skel):
            if a.python:
                python[k].append(a)
            else:
                paths[k][a.path] = (a.path, a.prop, codes[a.path])  # type: ignore[index]
        props = len(paths[k]) + len(python[k]) + 2  # + stage_ and sid
        if props > MAX_PROPERTIES:
            raise BackendError(
                f"rule {rule.id!r}: stage {k} would need {props} fact properties; durable-rules allows at most 255"
            )
        state = _state(skel, codes)
        for s in _STATES:
            formula = getattr(state, s)
            if formula == FALSE:
                continue
            terms = _terms(formula)
            if terms > MAX_TERMS:
                raise BackendError(
                    f"rule {rule.id!r}: its condition expands to {terms} durable terms when {_WORD[s]} "
                    f"(at most {MAX_TERMS}); split the rule or name a part of it as a derived fact"
                )
            test = _json(_all([("eq", _STAGE, k), formula]))
            name = f"{rule.id}#{s}"
            definition[name] = {"all": [{"m": test}]}
            actions[name] = (rule.id, s)
    for k in range(last + 1):
        # Lowest priority: fires after every rule state this stage's fact activated.
        definition[f"stage#{k}"] = {"pri": 1000, "all": [{"m": {_STAGE: k}}]}
        actions[f"stage#{k}"] = ("", str(k))
    settle_order: dict[str, int] = {}
    for rule in pack.rules:
        for fact in rule.resolves:
            settle_order.setdefault(fact, len(settle_order))
    ready: dict[int, list[str]] = {}
    for fact in settle_order:
        ready.setdefault(max(stages_of[s] for s in pack.setters[fact]), []).append(fact)
    stages = tuple(
        _Stage(k, tuple(paths[k].values()), tuple(python[k]), tuple(ready.get(k, ()))) for k in range(last + 1)
    )
    by_stage = tuple(tuple(r.id for r in pack.rules if stages_of[r.id] == k) for k in range(last + 1))
    name = f"policyrules.{pack.id}.{pack.content_hash}"
    return DurablePack(name, definition, stages, by_stage, actions, settle_order)


# ---- the boundary: everything computed outside durable ----------------------------------------


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


# ---- the engine: one Host, timers off, one lock ----------------------------------------------

_LOCK = threading.Lock()
"""Serialises every use of durable: its C core holds global state and never releases the GIL."""

_SIDS = itertools.count(1)
_ACTIVE: dict[str, _Evaluation] = {}
_PACKS: dict[tuple[str, str], DurablePack] = {}
_host: Any = None


def _new_host() -> Any:
    from durable.engine import Host

    class QuietHost(Host):  # type: ignore[misc]
        """A Host without its re-arming timer threads: nothing here uses timers, and they race the lock."""

        def _run(self) -> None:
            pass

    return QuietHost()


def _action(name: str, rule_id: str, state: str) -> Callable[[Any], None]:
    """The action of one durable rule: record which rule fired, in which state, for the active session."""
    if name.startswith("stage#"):
        k = int(state)

        def stage_done(c: Any) -> None:
            ev = _ACTIVE[c.s.sid]
            if ev.failure is not None:
                return
            try:
                fact = ev.close_stage(k)
                if fact is not None:
                    c.assert_fact(fact)  # the chaining: durable now matches the next stage
            except BaseException as exc:  # durable would swallow it into the session state
                ev.failure = exc

        return stage_done

    def decided(c: Any) -> None:
        ev = _ACTIVE[c.s.sid]
        if ev.failure is not None:
            return
        try:
            ev.decide(rule_id, state)
        except BaseException as exc:
            ev.failure = exc

    return decided


def _register(pack: CompiledPack) -> DurablePack:
    """Compile and register the pack's ruleset once per content hash (durable cannot unregister one). Under _LOCK."""
    global _host
    key = (pack.id, pack.content_hash)
    found = _PACKS.get(key)
    if found is not None:
        return found
    dpack = compile_durable(pack)
    if _host is None:
        _host = _new_host()
    ruleset = {name: dict(rule, run=_action(name, *dpack.actions[name])) for name, rule in dpack.definition.items()}
    try:
        _host.set_rulesets({dpack.name: ruleset})  # it deletes the 'run' keys of what it is given
    except Exception as exc:
        raise BackendError(f"pack {pack.id}: durable-rules refused the ruleset ({exc}){_culprit(dpack)}") from None
    _PACKS[key] = dpack
    return dpack


def _culprit(dpack: DurablePack) -> str:
    """Find the rule durable refuses by registering rules one by one (only on failure: each probe leaks)."""
    for name, rule in dpack.definition.items():
        probe = f"{dpack.name}.probe.{next(_SIDS)}"
        try:
            _host.set_rulesets({probe: {name: dict(rule, run=lambda c: None)}})
        except Exception as exc:
            return f"; rule {dpack.actions[name][0] or name!r} is the one refused: {exc}"
    return ""


def durable_definition(pack: CompiledPack) -> dict[str, Any]:
    """The ruleset as durable receives it (JSON, actions left out): for reading and debugging."""
    return json.loads(json.dumps(compile_durable(pack).definition, ensure_ascii=False))


# ---- evaluation -------------------------------------------------------------------------------


def evaluate(pack: CompiledPack, case: Case, as_of: date) -> Result:
    """Evaluate on durable-rules; equal to the native result except ``backend``. Thread-safe (serialised)."""
    if os.environ.get("POLICYRULES_DURABLE_ISOLATION", "") == "process":
        return _default_worker().evaluate(pack, case, as_of)
    return evaluate_in_process(pack, case, as_of)


def evaluate_in_process(pack: CompiledPack, case: Case, as_of: date) -> Result:
    validity = validity_on(pack, as_of)
    if not validity.in_force:  # no rule is matched outside the validity, as natively
        return Result(pack=pack.id, pack_hash=pack.content_hash, backend="durable", as_of=as_of, validity=validity)
    env = initial_env(pack, case, as_of)
    with _LOCK:
        dpack = _register(pack)
        sid = str(next(_SIDS))
        ev = _Evaluation(pack, dpack, env, sid)
        _ACTIVE[sid] = ev
        try:
            first = ev.stage_fact(0)
            try:
                _host.assert_fact(dpack.name, first)
            except Exception as exc:  # the stage rule matches every stage fact: nothing here is expected
                raise BackendError(f"pack {pack.id}: durable-rules refused a fact ({exc})") from None
        finally:
            del _ACTIVE[sid]
            _host.delete_state(dpack.name, sid)
    if ev.failure is not None:
        if isinstance(ev.failure, BackendError):
            raise ev.failure
        raise BackendError(f"pack {pack.id}: {type(ev.failure).__name__}: {ev.failure}") from ev.failure
    return assemble(pack, as_of, validity, ev.finish(), backend="durable")


# ---- isolation: a child process takes the C core's crashes -------------------------------------


def crash_probe() -> None:
    """Crash this process inside durable's C core (SIGFPE, integer division by zero in a condition).

    For testing :class:`IsolatedDurable` against a real crash; never call it in your own process.
    """
    host = _new_host()
    host.set_rulesets(
        {
            f"crash_probe.{os.getpid()}": {
                "r": {
                    "all": [{"first": {"t": 1}}, {"second": {"$gt": {"a": {"$div": {"$l": {"first": "b"}, "$r": 0}}}}}],
                    "run": lambda c: None,
                }
            }
        }
    )
    host.assert_fact(f"crash_probe.{os.getpid()}", {"t": 1, "b": 4, "sid": "1"})
    host.assert_fact(f"crash_probe.{os.getpid()}", {"t": 2, "a": 4, "sid": "1"})


def _worker_main(conn: Any) -> None:
    from ..loader import load_pack

    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            if request[0] == "evaluate":
                _, source, content_hash, case, as_of = request
                pack = load_pack(source)
                if pack.content_hash != content_hash:
                    raise BackendError(f"pack file {source} changed since it was loaded (hash {pack.content_hash})")
                conn.send(("ok", evaluate_in_process(pack, case, as_of)))
            elif request[0] == "crash_probe":
                crash_probe()
                conn.send(("ok", None))
            else:
                conn.send(("ok", os.getpid()))
        except Exception as exc:
            conn.send(("error", exc))


@dataclass
class IsolatedDurable:
    """The durable backend in a child process: a crash of durable's C core ends the child, not the caller.

    A crash while a case is evaluated raises :class:`BackendError` for that case
    (naming the signal) and the next call starts a fresh child. Calls are
    serialised like in-process ones. The pack must have been loaded from a file
    (the child loads it again and checks its content hash). ``timeout`` seconds
    without an answer kill the child and raise BackendError.
    """

    timeout: float | None = 120.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _process: Any = field(default=None, repr=False)
    _conn: Any = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def evaluate(self, pack: CompiledPack, case: Case, as_of: date) -> Result:
        if pack.source_path is None:
            raise BackendError(f"pack {pack.id}: process isolation needs a pack loaded from a file")
        return self._call(("evaluate", pack.source_path, pack.content_hash, case, as_of))  # type: ignore[no-any-return]

    def ping(self) -> int:
        """The worker's process id (starting it if needed)."""
        return self._call(("ping",))  # type: ignore[no-any-return]

    def crash_probe(self) -> None:
        """Make the worker crash in durable's C core (for tests): raises BackendError, the caller lives on."""
        self._call(("crash_probe",))

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __enter__(self) -> IsolatedDurable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, request: tuple[Any, ...]) -> Any:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            try:
                self._conn.send(request)
                if not self._conn.poll(self.timeout):
                    self._stop()
                    raise BackendError(f"durable worker gave no answer in {self.timeout} s; it was stopped")
                status, payload = self._conn.recv()
            except (EOFError, BrokenPipeError, ConnectionResetError):
                self._process.join(5)
                code = self._process.exitcode
                self._stop()
                why = _describe_exit(code)
                raise BackendError(f"durable worker died ({why}); the next call starts a new one") from None
        if status == "error":
            raise payload
        return payload

    def _start(self) -> None:
        self._stop()
        ctx = multiprocessing.get_context("spawn")  # never fork a process that holds durable's C state
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_worker_main, args=(child,), daemon=True, name="policyrules-durable")
        self._process.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._process = self._conn = None


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


_WORKER: IsolatedDurable | None = None
_WORKER_LOCK = threading.Lock()


def _default_worker() -> IsolatedDurable:
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is None:
            _WORKER = IsolatedDurable()
        return _WORKER


if __name__ == "__main__":  # python -m policyrules.backends.durable PACK: print the plan
    import sys

    from ..loader import load_pack

    for name in sys.argv[1:]:
        print(describe_plan(load_pack(name)))
