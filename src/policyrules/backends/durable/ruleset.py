"""The compiled ruleset: a pack translated into one durable ruleset definition, with its stages and actions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from policyrules.backends import BackendError
from policyrules.engine.model import CompiledPack

from .formulas import FALSE, _all, _json, _state, _terms
from .planning import Atom, Skeleton, _skeletons, _stages, _walk_atoms

MAX_TERMS = 4096
"""Disjunctive-normal-form terms one rule state may expand to. Durable expands every condition to DNF
itself and refuses a rule somewhere between 2**14 and 2**16 terms (error 113); big ones are slow anyway."""

MAX_PROPERTIES = 250
"""Properties one stage fact may hold; durable-rules rejects facts with more than 255 (error 302)."""

_STATES = ("T", "F", "E")  # true, false, error reached; undecided is the absence of all three
_STAGE = "stage_"  # the stage-fact property holding its stage number

_WORD = {"T": "true", "F": "false", "E": "an error is reached"}


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


def durable_definition(pack: CompiledPack) -> dict[str, Any]:
    """The ruleset as durable receives it (JSON, actions left out): for reading and debugging."""
    return json.loads(json.dumps(compile_durable(pack).definition, ensure_ascii=False))
