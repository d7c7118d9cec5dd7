"""What every hand-written pack shares: Kleene helpers, the figure tuple, the engine-side projection."""

from __future__ import annotations


def _m(*paths: str) -> frozenset[str]:
    return frozenset(paths)


def A(*xs):  # Kleene and: False wins, else the union of what is missing, else True
    miss = None
    for x in xs:
        if x is False:
            return False
        if x is not True:
            miss = x if miss is None else miss | x
    return True if miss is None else miss


def O(*xs):  # Kleene or
    miss = None
    for x in xs:
        if x is True:
            return True
        if x is not False:
            miss = x if miss is None else miss | x
    return False if miss is None else miss


def eq(v, c, m):
    return m if v is None else v == c


def ge(v, c, m):
    return m if v is None else v >= c


def isin(v, s, m):
    return m if v is None else v in s


def b(v, m):
    return m if v is None else v


def amt(value=None, mn=None, mx=None, cap=None, count=None, total=None, missing=()):
    return (value, mn, mx, cap, count, total, None, None, missing)


def withhold(ents: list, excls: list, und: list, conds: dict, exclusion_topics: tuple) -> list:
    """Mutual exclusions, then exclusions withhold their topic; an undecided exclusion holds its topic undecided."""
    topics = {e[5] for e in ents}
    for e in list(ents):
        if len(e) > 6:
            for t in e[6]:
                if t in topics:
                    excls.append([e[0], t, [], "mutually_exclusive"])
    kept = []
    for e in ents:
        blockers = [x for x in excls if x[1] == e[5] and x[0] != e[0]]
        if not blockers:
            kept.append(e)
        for x in blockers:
            x[2] = x[2] + [e[0]]
    pending: dict = {}
    for rid, topic in exclusion_topics:
        v = conds[rid]
        if v.__class__ is frozenset:
            pending.setdefault(topic, set()).update(v)
    if pending:
        still = []
        for e in kept:
            miss = pending.get(e[5])
            if miss is None:
                still.append(e)
            else:
                und.append((e[0], frozenset(miss)))
        kept = still
    return kept


def known(v):
    return None if v.__class__ is frozenset else v


def _amount_sig(a):
    if a is None:
        return None
    return (a.value, a.min, a.max, a.cap, a.count, a.total, a.total_min, a.total_max, tuple(a.missing))


def project(result) -> tuple:
    """The engine's Result, reduced to what a case changes (the same shape ``evaluate`` returns)."""
    if not result.validity.in_force:
        return (False,)
    ents = tuple(
        (
            o.rule,
            _amount_sig(o.amount),
            None
            if o.duration is None
            else (o.duration.max, o.duration.used, o.duration.remaining, tuple(o.duration.missing)),
            None if o.limit is None else (o.limit.max, o.limit.used),
            tuple(f.amount for f in o.funding),
        )
        for o in result.entitlements
    )
    obls = tuple((o.rule, _amount_sig(o.amount), o.status) for o in result.obligations)
    sancs = tuple((o.rule,) for o in result.sanctions)
    excls = tuple((x.rule, x.topic_excluded, tuple(x.withheld), x.reason) for x in result.exclusions)
    und = tuple((u.rule, frozenset(u.missing)) for u in result.undetermined)
    derived = tuple(result.derived.values())
    return (True, ents, obls, sancs, excls, und, derived)
