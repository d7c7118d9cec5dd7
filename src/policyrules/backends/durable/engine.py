"""The engine: one durable Host with its timers off, used only behind one lock; rulesets registered once."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from policyrules.backends import BackendError
from policyrules.engine.model import CompiledPack

from .boundary import _Evaluation
from .ruleset import DurablePack, compile_durable

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
