"""Evaluation in this process: one durable session per case, its result assembled like the native one."""

from __future__ import annotations

from datetime import date

from policyrules.backends import BackendError
from policyrules.engine.evaluator import assemble, initial_env, validity_on
from policyrules.engine.model import CompiledPack
from policyrules.engine.result import Result
from policyrules.facts.case import Case
from policyrules.types import exact

from . import engine  # engine._host is bound on first use: read it through the module
from .boundary import _Evaluation


@exact
def evaluate_in_process(pack: CompiledPack, case: Case, as_of: date) -> Result:
    validity = validity_on(pack, as_of)  # outcomes are gated on their events' dates by assemble, as natively
    env = initial_env(pack, case, as_of)
    with engine._LOCK:
        dpack = engine._register(pack)
        sid = str(next(engine._SIDS))
        ev = _Evaluation(pack, dpack, env, sid)
        engine._ACTIVE[sid] = ev
        try:
            first = ev.stage_fact(0)
            try:
                engine._host.assert_fact(dpack.name, first)
            except Exception as exc:  # the stage rule matches every stage fact: nothing here is expected
                raise BackendError(f"pack {pack.id}: durable-rules refused a fact ({exc})") from None
        finally:
            del engine._ACTIVE[sid]
            engine._host.delete_state(dpack.name, sid)
    if ev.failure is not None:
        if isinstance(ev.failure, BackendError):
            raise ev.failure
        raise BackendError(f"pack {pack.id}: {type(ev.failure).__name__}: {ev.failure}") from ev.failure
    return assemble(pack, as_of, validity, ev.finish(), backend="durable")
