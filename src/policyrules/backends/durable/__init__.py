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

What is computed outside durable, all in :mod:`.boundary` and reported per
rule by :func:`plan`: validity dates; parameters in force;
codes of facts; Python atoms; derived values (money, division, floor, dates:
the ``derive.value`` expression); settling several setters of one fact
(precedence, agreement, conflict); the missing facts of an undecided rule
(durable cannot carry sets of paths, so the boundary asks the rule's own
closure and checks that it agrees with durable); and building outcomes,
amounts, exclusions and undecided entitlements with the evaluator's own
:func:`policyrules.evaluator.assemble`, so outcomes cannot drift apart.

Safety (see shared notes on durable-rules): one Host with its timer threads
off, used only behind :data:`.engine._LOCK`; a fresh session id per evaluation and
``delete_state`` in a ``finally``; one session per assertion, never a batch;
only small integers are ever asserted. Evaluations from several threads are
therefore *serialised*, not parallel. A crash of the C core (SIGSEGV, SIGFPE)
would end the process; :class:`IsolatedDurable` (or the environment variable
``POLICYRULES_DURABLE_ISOLATION=process``) runs evaluations in a child
process so that the caller survives one.

A pack durable cannot run raises :class:`BackendError` naming the rule, when
the pack is compiled, never a silent difference.

The modules, each depending only on those above it:

* :mod:`.planning` — which atom runs where (pure, compile time): :func:`plan`.
* :mod:`.formulas` — Kleene logic as positive durable tests.
* :mod:`.ruleset` — the compiled ruleset: :func:`compile_durable`.
* :mod:`.boundary` — everything computed outside durable: :func:`code`.
* :mod:`.engine` — one Host, timers off, one lock; rulesets registered once.
* :mod:`.evaluation` — one evaluation in this process: :func:`evaluate_in_process`.
* :mod:`.isolation` — a child process takes the C core's crashes: :class:`IsolatedDurable`.
* this package — :func:`evaluate`, which picks in-process or isolated.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from policyrules.engine.model import CompiledPack
from policyrules.engine.result import Result
from policyrules.facts.case import Case

from . import isolation
from .boundary import code
from .engine import _ACTIVE as _ACTIVE  # not API: the tests check no session outlives its evaluation
from .evaluation import evaluate_in_process
from .formulas import FALSE, TRUE
from .isolation import IsolatedDurable, _default_worker, crash_probe
from .planning import Atom, RulePlan, Skeleton, describe_plan, plan
from .planning import _derived_reads as _derived_reads  # not API: the tests check the stages
from .ruleset import MAX_PROPERTIES, MAX_TERMS, DurablePack, compile_durable, durable_definition

__all__ = [
    "FALSE",
    "MAX_PROPERTIES",
    "MAX_TERMS",
    "TRUE",
    "Atom",
    "DurablePack",
    "IsolatedDurable",
    "RulePlan",
    "Skeleton",
    "code",
    "compile_durable",
    "crash_probe",
    "describe_plan",
    "durable_definition",
    "evaluate",
    "evaluate_in_process",
    "plan",
]


def evaluate(pack: CompiledPack, case: Case, as_of: date) -> Result:
    """Evaluate on durable-rules; equal to the native result except ``backend``. Thread-safe (serialised)."""
    if os.environ.get("POLICYRULES_DURABLE_ISOLATION", "") == "process":
        return _default_worker().evaluate(pack, case, as_of)
    return evaluate_in_process(pack, case, as_of)


def __getattr__(name: str) -> Any:
    # The shared worker is created on first use, so a name copied here at import would stay None.
    if name == "_WORKER":
        return isolation._WORKER
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
