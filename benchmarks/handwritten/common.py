"""What every hand-written pack shares: Kleene helpers, the figure tuple, the engine-side projection."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


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


# ---- the employment security fund (rules/national_fund.yaml), the parent of every city pack ----

CENT = Decimal("0.01")
TWO, TIER, UPPER, LOWER, EXEMPT_STAFF = Decimal(2), Decimal("0.01"), Decimal("0.5"), Decimal("0.9"), Decimal(30)
ENTERPRISES = frozenset(["state_owned_enterprise", "private_enterprise"])
F_STAFF, F_DIS, F_DD, F_DCB, F_SEV, F_SEAS = (
    _m("unit.staff"),
    _m("unit.disabled_employees"),
    _m("unit.dispatched_disabled"),
    _m("unit.dispatch_counted_by"),
    _m("unit.dispatched_disabled_severe"),
    _m("unit.seasonal_staff_average"),
)
F_AAW, F_ASW, F_KIND, F_PAID = (
    _m("unit.average_annual_wage"),
    _m("place.average_social_wage"),
    _m("unit.kind"),
    _m("unit.guarantee_fund_paid"),
)
NO_DISPATCH = (None, "no_dispatch")


def unknown(*xs):
    """The union of the unknown operands (frozensets of missing facts), None when every operand is known."""
    miss = None
    for x in xs:
        if x.__class__ is frozenset:
            miss = x if miss is None else miss | x
    return miss


def money(v) -> Decimal:
    v = Decimal(v)
    return v if v.as_tuple().exponent >= -2 else v.quantize(CENT, rounding=ROUND_HALF_UP)


def figure(v) -> tuple:
    """A formula amount in CNY per year: its value, or what it lacks."""
    if v.__class__ is frozenset:
        return amt(missing=tuple(sorted(v)))
    v = money(v)
    return amt(value=v, total=v)


def dispatch_defaults(g):
    """unit.dispatched_disabled and its severe count: 0 when the case names no dispatch (the vocabulary's defaults)."""
    dd, sev, dcb = g("unit.dispatched_disabled"), g("unit.dispatched_disabled_severe"), g("unit.dispatch_counted_by")
    if dd is None and sev is None and dcb in NO_DISPATCH:
        return 0, 0, dcb
    return dd, sev, dcb


def fund(g, ratio) -> tuple:
    """national_fund for an as_of in 2023–2027 (relief in force, dispatch counted by agreement, wage capped).

    ``ratio``: fund_quota_ratio (a number, or the frozenset of what it lacks). Returns the conditions of its
    five outcome rules in pack order, its obligations, its entitlements and its thirteen derived facts.
    """
    staff, dis = g("unit.staff"), g("unit.disabled_employees")
    dd, sev, dcb = dispatch_defaults(g)
    seasonal = g("unit.seasonal_staff_average")
    staff = F_STAFF if staff is None else staff
    dis = F_DIS if dis is None else dis
    seasonal = F_SEAS if seasonal is None else seasonal
    # dispatched disabled workers count here only when the agreement names this unit; grade 1-2 count twice
    test = O(eq(dd, 0, F_DD), F_DCB if dcb is None else dcb != "this_unit")
    if test is True:
        extra = extra_counted = 0
    elif test is False:
        extra = dd
        extra_counted = unknown(F_SEV if sev is None else sev) or dd + sev
    else:
        extra = extra_counted = test
    f_staff = unknown(staff, seasonal, extra) or staff + seasonal + extra
    counted = unknown(dis, extra_counted) or dis + extra_counted
    required = unknown(f_staff, ratio) or f_staff * ratio
    shortfall = unknown(required, counted) or max(required - counted, 0)
    aaw, asw = g("unit.average_annual_wage"), g("place.average_social_wage")
    aaw = F_AAW if aaw is None else aaw
    cap = F_ASW if asw is None else TWO * asw
    wage = unknown(aaw, cap) or min(aaw, cap)
    full = unknown(shortfall, wage) or shortfall * wage
    relief = True
    tier = unknown(counted, f_staff) or counted >= (
        unknown(f_staff) or f_staff * TIER
    )  # upper tier, else lower; unknown: both
    share = UPPER if tier is True else (LOWER if tier is False else tier)
    kind = g("unit.kind")
    exempt = A(relief, isin(kind, ENTERPRISES, F_KIND), unknown(f_staff) or f_staff <= EXEMPT_STAFF)
    due = 0 if exempt is True else (exempt if exempt.__class__ is frozenset else unknown(full, share) or full * share)
    owed = A(unknown(shortfall) or shortfall > 0, exempt if exempt.__class__ is frozenset else not exempt)
    conds = (
        ("fund.owed", owed),
        ("fund.reduction.2020", False),
        ("fund.reduction.2023", owed),
        ("fund.exempt.2020", False),
        ("fund.exempt.2023", exempt),
    )
    obls, ents = [], []
    if owed is True:
        paid = g("unit.guarantee_fund_paid")
        amount = unknown(shortfall, wage, share) or shortfall * wage * share
        obls.append(("fund.owed", figure(amount), "unknown" if paid is None else ("met" if paid else "unmet")))
        ents.append(["fund.reduction.2023", figure(unknown(full, due) or full - due), None, None, (), "fund.reduction"])
    if exempt is True:
        ents.append(["fund.exempt.2023", figure(full), None, None, (), "fund.exempt"])
    derived = tuple(
        known(v)
        for v in (ratio, seasonal, f_staff, counted, required, shortfall, wage, full, relief, share, exempt, due, owed)
    )
    return conds, obls, ents, derived


FUND_RULES = ("fund.owed", "fund.reduction.2020", "fund.reduction.2023", "fund.exempt.2020", "fund.exempt.2023")

# Which subjects a case holds (person, unit, application; a hire holds all three), from the heads of its facts:
# an undecided rule is listed only when the case holds every subject the rule concerns.
_SUBJECT_OF = {
    "person": ("person",),
    "unit": ("unit",),
    "application": ("application",),
    "hire": ("hire", "person", "unit"),
}


def subjects(f: dict) -> frozenset:
    heads = {k.split(".", 1)[0] for k in f}
    return frozenset(s for h in heads if h in _SUBJECT_OF for s in _SUBJECT_OF[h])


def concerns(*groups: tuple) -> dict:
    """{rule id: the subjects it concerns} from (subjects, rule ids) pairs; the fund's rules concern the unit."""
    table = {rid: frozenset(["unit"]) for rid in FUND_RULES}
    for subj, ids in groups:
        table.update((rid, frozenset(subj)) for rid in ids)
    return table
