"""Forward chaining over a compiled pack: facts in, cited outcomes out.

Rules run in the order the compiler fixed: every rule that sets a derived
fact runs before any rule that reads it, so one pass reaches the fixpoint
that repeated rounds would reach, and does so deterministically. A derived
fact is settled when the last rule that can set it has run:

* no setter fired: the fact stays absent;
* setters fired and agree (or precedence picks the first): that value;
* a setter might fire but its inputs are missing: the fact is unknown and
  carries those missing inputs to every rule that reads it;
* setters disagree and no precedence is declared: a conflict is reported
  and the fact is unknown.
"""

from __future__ import annotations

from bisect import bisect
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import is_, is_not
from typing import Any, Callable, Optional

from policyrules.dates import add_days, add_months, add_years, days_between, months_between
from policyrules.errors import Phrase
from policyrules.expr import Unknown, names, render
from policyrules.expr import nodes as n
from policyrules.expr.compile import compile_expr
from policyrules.facts.case import EVENTS, Case, flatten
from policyrules.facts.vocabulary import DEFAULTS, IMPLIED, case_facts
from policyrules.pack.schema import Citation, DatedBound
from policyrules.pack.schema import Validity as PackValidity
from policyrules.types import DEFAULT_LANG, MAX_DIGITS, MAX_EXPONENT, Lang, exact

from .codegen import Generated, for_evaluation, generated, own_rules
from .deferred import DeferredResult
from .memo import ByIdentity
from .model import CompiledAmount, CompiledExpr, CompiledPack, CompiledRule, ResolvedCitation
from .money import money_step, round_money
from .result import (
    AmountOut,
    CitationOut,
    ConflictOut,
    DecisiveOut,
    DefaultOut,
    DurationOut,
    ErrorOut,
    EventOut,
    ExclusionOut,
    FundingOut,
    LimitOut,
    NotGrantedOut,
    OutcomeOut,
    QuestionOut,
    Result,
    UndeterminedOut,
    Validity,
    made,
    representable,
    trusted,
)
from .words import certainty_text, event_word, number_text, per_text, period_words, unit_text, word

UNSET = object()  # a derived fact no setter fired for: it stays absent
DEFAULTED = "#defaulted"  # env key (never a fact path): the facts that took a neutral default
SUBJECTS = "#subjects"  # env key: the subjects the case holds (``_subjects``)
# What a rule may concern (CompiledRule.concerns), and the subjects a fact under each head shows present:
# a hire is between a person and a unit, so hire facts show all three.
SUBJECT_OF = {
    "person": ("person",),
    "unit": ("unit",),
    "application": ("application",),
    "hire": ("hire", "person", "unit"),
}


def validity_on(pack: CompiledPack, as_of: date) -> Validity:
    key = ("validity", as_of)
    found = pack.by_day.get(key)
    if found is None:
        found = _remember(pack, key, _validity(pack.validity, as_of, pack.lang))
    return found


def _parameters(pack: CompiledPack, as_of: date) -> dict[str, Any]:
    """``as_of``, and ``param.<name>`` -> the value in force on ``as_of`` for the parameters that have one."""
    key = ("param", as_of)
    found = pack.by_day.get(key)
    if found is None:
        values = {f"param.{s.name}": s.as_of(as_of) for s in pack.parameters}
        found = _remember(pack, key, {"as_of": as_of, **{k: v for k, v in values.items() if v is not None}})
    return found


def _remember(pack: CompiledPack, key: Any, value: Any) -> Any:
    if len(pack.by_day) >= 4096:  # a batch over many dates: bounded
        pack.by_day.clear()
    pack.by_day[key] = value
    return value


@lru_cache(maxsize=1024)
def _validity(validity: PackValidity, as_of: date, lang: Lang) -> Validity:
    # Cached: a batch evaluates one pack as of one date many times over.
    start = validity.from_.date
    end = validity.until.date if isinstance(validity.until, DatedBound) else None
    why = _out_of_force(validity, as_of, lang)
    notes = [b.note.strip() for b in (validity.from_, validity.until) if b.note]
    return Validity(
        in_force=why is None,
        valid_from=start,
        valid_from_certainty=validity.from_.certainty,
        valid_until=end,
        no_end_stated=end is None,
        period=period_words(validity, lang),
        notes=notes,
        reason=None if why is None else word("validity.not_in_force", lang, as_of=as_of.isoformat(), why=why),
    )


def _out_of_force(validity: PackValidity, day: date, lang: Lang) -> Optional[str]:
    """Why a document is not in force on ``day``, with the clause that says so (None when it is)."""
    b = validity.from_
    if day < b.date:
        start = certainty_text(b.certainty, lang) + b.date.isoformat()
        return word("validity.from", lang, start=start, cited=_cited(b.citation, lang))
    end = validity.until
    if isinstance(end, DatedBound) and day > end.date:
        return word("validity.ended", lang, end=end.date.isoformat(), cited=_cited(end.citation, lang))
    return None


def _cited(c: Citation, lang: Lang) -> str:
    # A date taken from another document (a covering notice) names it, so the clause is not read as the plan's own.
    where = f"{c.document} {c.clause}" if c.document else c.clause
    cited = word("validity.cited", lang, where=where, quote=c.quote)
    return word("validity.external", lang, cited=cited) if c.external else cited


def initial_env(pack: CompiledPack, case: Case, as_of: date) -> dict[str, Any]:
    return facts_env(pack, flatten(case), as_of)


def facts_env(pack: CompiledPack, facts: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The evaluation environment from flat facts (``{"unit.staff": 200, ...}``), typed as a Case's would be.

    ``facts`` holds only the facts that are given: a missing fact is absent, never None.
    """
    env = dict(facts)
    env[SUBJECTS] = _subjects(facts)  # of the facts given: a defaulted application date is no application
    for implied in IMPLIED:  # a graduation date gives its year (facts.vocabulary.IMPLIED)
        if env.get(implied.path) is None and isinstance(source := env.get(implied.source), date):
            env[implied.path] = source.year
    env.update(_added(pack, env, as_of))
    return env


# Which neutral defaults a case takes depends on the values of the facts a default is taken only with (choices
# among a few values) and on whether each other fact the defaults name is given.
_CHOICES = tuple(dict.fromkeys(path for d in DEFAULTS for path, values in d.only_if if values))
_GIVEN = tuple(dict.fromkeys(p for d in DEFAULTS for p in (d.path, *(q for q, _ in d.only_if)) if p not in _CHOICES))
_NONES = (None,) * len(_GIVEN)


def _added(pack: CompiledPack, env: dict[str, Any], as_of: date) -> dict[str, Any]:
    """What evaluation adds to a case's facts: the neutral defaults it takes (``NeutralDefault.applies``) and,
    under ``DEFAULTED``, their facts; as_of and the parameters in force on it. Made once per pack, day and
    combination of what decides the defaults."""
    key = ("added", as_of, *map(env.get, _CHOICES), *map(is_not, map(env.get, _GIVEN), _NONES))
    found = pack.by_day.get(key)
    if found is None:
        taken = [d for d in DEFAULTS if d.applies(env)]
        found = {d.path: d.value(as_of) for d in taken}
        if taken:
            found[DEFAULTED] = tuple(d.path for d in taken)
        found = _remember(pack, key, {**found, **_parameters(pack, as_of)})  # as_of with the parameters
    return found


class Run:
    """Everything one evaluation found; ``env`` ends with every derived fact settled."""

    __slots__ = ("env", "fired", "errors", "conflicts", "undecided", "false", "figures", "_conditions", "_decided")

    def __init__(self, env: dict[str, Any]) -> None:
        self.env = env
        self.fired: list[CompiledRule] = []
        self.errors: list[ErrorOut] = []
        self.conflicts: list[ConflictOut] = []
        # non-derive rules left unknown for want of facts, with those facts, in pack order;
        # None: ``assemble`` finds them in ``conditions``
        self.undecided: Optional[list[tuple[CompiledRule, frozenset[str]]]] = None
        # non-derive rules whose condition is False, with the part of it that decides so, in pack order;
        # None: ``assemble`` finds them in ``conditions`` (and the part with ``decisive_part``)
        self.false: Optional[list[tuple[CompiledRule, n.Node]]] = None
        # rule id -> the values of the figures its outcome computes (``CompiledRule.figures``), for the rules
        # that fired; None: ``outcomes`` computes them with the closures
        self.figures: Optional[dict[str, tuple[Any, ...]]] = None
        self._conditions: Optional[dict[str, Any]] = {}
        self._decided: Optional[tuple[tuple[CompiledRule, ...], tuple[Any, ...]]] = None

    def condition(self, pack: CompiledPack, rule: CompiledRule) -> Any:
        """``conditions[rule.id]``, read without making the whole mapping."""
        if self._conditions is None:
            return self._decided[1][pack.position[rule.id]]  # type: ignore[index]
        return self._conditions[rule.id]

    @property
    def conditions(self) -> dict[str, Any]:
        """rule id -> True/False/Unknown; the generated function leaves an unknown one as the frozenset of its
        missing facts. Made from the generated function's tuple when first read."""
        found = self._conditions
        if found is None:
            rules, values = self._decided  # type: ignore[misc]
            found = self._conditions = {r.id: v for r, v in zip(rules, values)}
        return found


def run_generated(pack: CompiledPack, env: dict[str, Any], fn: Optional[Generated] = None) -> Run:
    """What :func:`run_rules` finds, computed by the pack's generated function (``codegen``)."""
    fn = fn or generated(pack)
    conditions, errors, conflicts, fired, undecided, false, figures = fn(env)
    run = Run.__new__(Run)  # every field set here, once
    run.env = env
    run._conditions, run._decided = None, (pack.rules, conditions)
    run.fired, run.undecided, run.false = own_rules(fn, pack, fired, undecided, false)
    run.conflicts, run.figures = conflicts, figures
    if errors:
        rules = pack.rules
        errors = [ErrorOut(rule=rules[i].id, message=arithmetic_message(exc, pack.lang)) for i, exc in errors]
    run.errors = errors
    return run


@exact
def run_rules(pack: CompiledPack, env: dict[str, Any]) -> Run:
    """Forward chaining through the rules' closures: the reference the generated function is tested against."""
    run = Run(env)
    candidates: dict[str, dict[str, Any]] = {}
    for rule in pack.rules:
        try:
            cond = rule.when.fn(env)
            if rule.kind == "derive":
                if cond is True:
                    candidates.setdefault(rule.derive_fact, {})[rule.id] = rule.derive_value.fn(env)  # type: ignore[union-attr,arg-type]
                elif cond.__class__ is Unknown:
                    candidates.setdefault(rule.derive_fact, {})[rule.id] = cond  # type: ignore[arg-type]
        except ArithmeticError as exc:
            run.errors.append(ErrorOut(rule=rule.id, message=arithmetic_message(exc, pack.lang)))
            cond = Unknown(frozenset())
            if rule.derive_fact is not None:
                candidates.setdefault(rule.derive_fact, {})[rule.id] = cond
        run.conditions[rule.id] = cond
        if cond is True and rule.kind != "derive":
            run.fired.append(rule)
        for name in rule.resolves:
            value = settle(pack, name, candidates.get(name, {}), run)
            if value is not UNSET:
                env[f"derived.{name}"] = value
    return run


def settle(pack: CompiledPack, name: str, found: dict[str, Any], run: Run) -> Any:
    """The value of derived fact ``name`` from its setters' candidates (``UNSET`` when none fired)."""
    order = [rid for rid in pack.setters[name] if rid in found]
    if not order:
        return UNSET
    if name in pack.has_precedence:
        return found[order[0]]
    unknown = [found[r] for r in order if found[r].__class__ is Unknown]
    if unknown:
        out = unknown[0]
        for u in unknown[1:]:
            out = out | u
        return out
    values = [found[r] for r in order]
    if any(v != values[0] for v in values[1:]):
        run.conflicts.append(ConflictOut(fact=name, rules=order, values=[str(v) for v in values]))
        return Unknown(frozenset({f"derived.{name}"}))
    return values[0]


def evaluate(pack: CompiledPack, case: Case, as_of: date, *, reference: bool = False) -> Result:
    return evaluate_facts(pack, flatten(case), as_of, reference=reference)


@exact
def evaluate_facts(pack: CompiledPack, facts: dict[str, Any], as_of: date, *, reference: bool = False) -> Result:
    """Evaluate flat facts that are valid by construction (a batch skips building a Case per row).

    Rules are matched by the pack's generated function once the pack has been evaluated
    often enough to pay for generating it (``codegen.GENERATE_AFTER``), by the closures
    before; the Result's fields are built when first read (``DeferredResult``).
    ``reference=True`` matches with the closures and builds the Result at once: the
    same result, slower; the tests hold the two equal.
    """
    # Rules run even when the pack is not in force on as_of: a benefit decided at an
    # event inside its validity keeps running (each outcome is gated on its event's date).
    if reference:
        return assemble(pack, as_of, validity_on(pack, as_of), run_rules(pack, facts_env(pack, facts, as_of)))
    fn = for_evaluation(pack)
    env = facts_env(pack, facts, as_of)
    run = run_rules(pack, env) if fn is None else run_generated(pack, env, fn)
    if not run.fired:  # no outcome to put off
        return DeferredResult.deferred(_Later(pack, as_of, run), outcomes(pack, as_of, run))
    return DeferredResult.deferred(_Later(pack, as_of, run))


class _Later:
    """What a DeferredResult is built from when first read (``deferred.Source``): a finished run."""

    __slots__ = ("pack", "as_of", "run")

    def __init__(self, pack: CompiledPack, as_of: date, run: Run) -> None:
        self.pack, self.as_of, self.run = pack, as_of, run

    def outcomes(self) -> Outcomes:
        return outcomes(self.pack, self.as_of, self.run, shared=True)

    def result(self, done: Outcomes) -> Result:
        return assemble(self.pack, self.as_of, validity_on(self.pack, self.as_of), self.run, done=done)


def _missing_of(cond: Any) -> Optional[frozenset[str]]:
    """The missing facts of an unknown condition (an ``Unknown``, or the generated code's frozenset); None if decided."""
    cls = cond.__class__
    if cls is frozenset:
        return cond
    return cond.missing if cls is Unknown else None


class Outcomes:
    """What the rules that fired give: the first part of a Result, built alone when only it is read.

    Entitlements, obligations, sanctions and exclusions, after exclusions and undecided exclusions are
    applied; and what building them adds to the rest of the Result (entitlements held undecided, benefits
    that ended, arithmetic errors of figures: empty tuples until there is one). ``gate`` is each rule's gate,
    computed once per event.
    """

    __slots__ = (
        "entitlements",
        "obligations",
        "sanctions",
        "exclusions",
        "undetermined",
        "ended",
        "errors",
        "by_event",
        "_pack",
        "_env",
    )

    def __init__(self, pack: CompiledPack, env: dict[str, Any]) -> None:
        self.entitlements: list[OutcomeOut] = []
        self.obligations: list[OutcomeOut] = []
        self.sanctions: list[OutcomeOut] = []
        self.exclusions: list[ExclusionOut] = []
        self.undetermined: list[UndeterminedOut] | tuple[()] = ()
        self.ended: list[NotGrantedOut] | tuple[()] = ()
        self.errors: list[ErrorOut] | tuple[()] = ()
        self.by_event: dict[tuple[str, str], Any] = {}  # (pack id, event) -> gate: a few per case, not one per rule
        self._pack, self._env = pack, env

    def gate(self, rule: CompiledRule) -> Any:
        """None (in force) | Unknown (event date missing) | EventOut (not in force on the event's date) |
        NotGrantedOut (superseded: a rule overriding it is in force on the event's date)."""
        gate = self.event_gate(rule)
        if gate is None and rule.superseded_by:
            return _superseded(self._pack, self._env, rule)
        return gate

    def event_gate(self, rule: CompiledRule) -> Any:
        """The gate of the rule's document and event, overriding rules aside."""
        key = rule.event_key
        gate = self.by_event.get(key, UNSET)
        if gate is UNSET:
            gate = self.by_event[key] = _gate(self._pack, self._env, rule)
        return gate


def outcomes(pack: CompiledPack, as_of: date, run: Run, shared: bool = False) -> Outcomes:
    """The outcomes of the rules that fired (see :class:`Outcomes`); :func:`assemble` builds the rest around them.

    ``shared``: each outcome taken from those other results gave when it shows the same (``_shared_outcome``),
    else built here (the reference the tests hold the shared ones equal to).

    Not run in the library's decimal context itself: what computes (``_outcome``, ``figures_of``) is, and an
    outcome taken from another result computes nothing.
    """
    env = run.env
    done = Outcomes(pack, env)
    if not run.fired:  # no outcome, nothing to withhold or hold undecided
        return done
    build = _shared_outcome if shared else _outcome
    computed = run.figures
    excluding = held = False  # an entitlement excludes a topic; one of a topic an exclusion rule withholds
    for rule in run.fired:
        if done.gate(rule) is not None:
            continue
        kind = rule.kind
        if kind == "exclusion":
            done.exclusions.append(_exclusion(rule))
            continue
        try:
            fig = computed.get(rule.id, _NONE_FIGURES) if computed is not None else figures_of(rule, env)
            built = build(pack, rule, env, as_of, fig)
        except ArithmeticError as exc:
            done.errors = [*done.errors, ErrorOut(rule=rule.id, message=arithmetic_message(exc, pack.lang))]
            continue
        what = built.__class__
        if what is OutcomeOut:
            if kind == "entitlement":
                done.entitlements.append(built)
                excluding = excluding or bool(rule.outcome.excludes)  # type: ignore[union-attr]
                held = held or rule.topic in pack.excluded_topics
            elif kind == "obligation":
                done.obligations.append(built)
            else:
                done.sanctions.append(built)
        elif what is ExclusionOut:
            done.exclusions.append(built)
        elif what is UndeterminedOut:
            done.undetermined = [*done.undetermined, built]
        else:
            done.ended = [*done.ended, built]  # a NotGrantedOut
    if done.exclusions or excluding:
        done.entitlements = _apply_exclusions(done.entitlements, done.exclusions, pack.lang)
    if held:
        done.entitlements = _hold_undecided(pack, done.entitlements, run, done)
    return done


@exact
def assemble(
    pack: CompiledPack,
    as_of: date,
    validity: Validity,
    run: Run,
    backend: str = "native",
    done: Optional[Outcomes] = None,
) -> Result:
    """The result of a finished run: outcomes built, exclusions applied, every "no" and undecided rule listed.

    Shared by every backend, so that only the matching and chaining differ
    between them. ``run`` must hold, as :func:`run_rules` leaves it: a
    condition for every rule (True, False, or unknown: an Unknown or the
    frozenset of its missing facts), the rules that fired in pack order, the
    errors of conditions in pack order, conflicts in the order their facts
    settled, and ``env`` with every derived fact settled. ``done``: the
    outcomes of this run, when :func:`outcomes` built them already.

    Each rule is decided at its event (docs/results.md, "Two dates"): the
    event's date must fall in the validity of the document that defines the
    rule, or the rule gives "not in force on <date>". A rule a descendant pack
    overrides gives "superseded" on the dates the overriding rule's document is in force.
    """
    if done is None:
        done = outcomes(pack, as_of, run)
    env = run.env
    subjects = env[SUBJECTS]
    undetermined: list[UndeterminedOut] = []
    elsewhere: list[UndeterminedOut] = []
    not_granted: list[NotGrantedOut] = []
    gates = _gates(pack, run, done)
    if gates is not None:
        # Every rule's document in force on its event's date, or the date missing (the common case): the
        # matching listed the undecided rules and the false ones, each with the part that decides it, in pack order.
        waiting, superseded = gates
        for rule, missing in run.undecided:  # type: ignore[union-attr]
            if superseded and rule.id in superseded:
                continue
            if waiting:
                missing = missing | waiting.get(rule.event_key, frozenset())
            out = rule.undecided_entries.get(missing)  # what ``_undetermined`` finds, looked up in place
            if out is None:
                out = _undetermined(rule, missing)
            (undetermined if rule.concerns <= subjects else elsewhere).append(out)
        lang = pack.lang
        for rule, node in run.false:  # type: ignore[union-attr]
            if rule.concerns <= subjects and rule.id not in superseded:
                entry = rule.false_entries.get(id(node))  # what ``_false_at`` finds, looked up in place
                out = (
                    entry[4].get(tuple(map(_show, map(env.get, entry[3]))))
                    if entry is not None and entry[0] is node and entry[1] == lang
                    else None
                )
                not_granted.append(_false_at(pack, rule, node, env) if out is None else out)
        if superseded:  # each in its place among the others, which are in pack order
            fired = {r.id for r in run.fired}
            position = pack.position
            for rid, g in superseded.items():
                if g.rule in fired or pack.rule(rid).concerns <= subjects:
                    at = bisect(not_granted, position[rid], key=lambda entry: position[entry.rule])
                    not_granted.insert(at, g)
    else:
        _decide_each(pack, run, done, subjects, undetermined, elsewhere, not_granted)
    undetermined += done.undetermined
    not_granted += done.ended
    defaulted = env.get(DEFAULTED, ())
    app_date = env.get("application.date")
    derived, held = _derived(pack, env)
    fields = {
        "pack": pack.id,
        "pack_version": pack.version,
        "pack_hash": pack.content_hash,
        "lang": pack.lang,
        "backend": backend,
        "as_of": as_of,
        "application_date": app_date if isinstance(app_date, date) else None,
        "validity": validity,
        "entitlements": done.entitlements,
        "obligations": done.obligations,
        "sanctions": done.sanctions,
        "exclusions": done.exclusions,
        "not_granted": not_granted,
        "derived": derived,
        "undetermined": undetermined,
        "undetermined_elsewhere": elsewhere,
        "questions": _questions(pack, undetermined),
        "defaults": [
            _default_out(path, env[path], pack.lang)
            for path in defaulted
            if not _DEFAULT_SUBJECT[path] or _DEFAULT_SUBJECT[path] in subjects
        ],
        "conflicts": run.conflicts,
        "errors": [*run.errors, *done.errors],
    }
    if held:
        return made(Result, fields)
    return Result(**fields)  # a figure no Number holds: refused by validation, as always


def _gates(
    pack: CompiledPack, run: Run, done: Outcomes
) -> Optional[tuple[dict[tuple[str, str], frozenset[str]], dict[str, NotGrantedOut]]]:
    """When the matching's lists say everything ``_decide_each`` would find — every document in force on its
    event's date or the date missing, no rule that fired waiting for its date, no condition failed with an
    error —: the events whose date is missing, each with that date's fact, and the overridden rules whose
    overriding rule applies, each with its "superseded" entry. Else None.

    Found once per pack and dates of the events (``CompiledPack.gate_dates``), and which of them are defaulted.
    """
    if run.false is None or run.undecided is None or run.errors:
        return None
    env = run.env
    key = ("gates", env.get(DEFAULTED, ()), *map(env.get, pack.gate_dates))
    try:
        found = pack.by_day.get(key, UNSET)
    except TypeError:  # a date fact holding something unhashable: not remembered
        found = _gates_of(pack, done)
    else:
        if found is UNSET:
            found = _remember(pack, key, _gates_of(pack, done))
    if found is not None and found[0] and any(r.event_key in found[0] for r in run.fired):
        return None
    return found


def _gates_of(
    pack: CompiledPack, done: Outcomes
) -> Optional[tuple[dict[tuple[str, str], frozenset[str]], dict[str, NotGrantedOut]]]:
    waiting = {}
    for rule in pack.event_rules:
        gate = done.event_gate(rule)
        if gate is not None:
            if gate.__class__ is not Unknown:
                return None
            waiting[rule.event_key] = gate.missing
    superseded = {}
    for rule in pack.superseded_rules:
        gate = done.gate(rule)
        if gate is not None:
            if gate.__class__ is not NotGrantedOut:
                return None
            superseded[rule.id] = gate
    return waiting, superseded


def _decide_each(
    pack: CompiledPack,
    run: Run,
    done: Outcomes,
    subjects: frozenset[str],
    undetermined: list[UndeterminedOut],
    elsewhere: list[UndeterminedOut],
    not_granted: list[NotGrantedOut],
) -> None:
    """Each rule decided at its event, in pack order: undecided, not granted, or nothing to say (it fired)."""
    env = run.env
    fired = {r.id for r in run.fired}
    conditions = run.conditions
    by_event = done.by_event
    for rule in pack.rules:
        if rule.kind == "derive":
            continue
        cond = conditions[rule.id]
        concerned = rule.concerns <= subjects
        gate = by_event.get((rule.pack_id, rule.event), UNSET)
        if gate is UNSET or rule.superseded_by:
            gate = done.gate(rule)
        if gate is not None and gate.__class__ is not Unknown:
            if concerned or rule.id in fired:
                not_granted.append(gate if gate.__class__ is NotGrantedOut else _not_in_force(pack, rule, gate))
            continue
        cls = cond.__class__
        unknown = cond if cls is frozenset else cond.missing if cls is Unknown else None
        if unknown is not None or (gate is not None and cond is True):
            missing = (unknown or frozenset()) | (gate.missing if gate is not None else frozenset())
            if missing:
                (undetermined if concerned else elsewhere).append(_undetermined(rule, missing))
        elif cond is False and concerned:
            not_granted.append(_condition_false(pack, rule, env))


def _subjects(facts: dict[str, Any]) -> frozenset[str]:
    """The subjects a case holds: person, unit, application (a fact given under each)."""
    heads = frozenset(map(_HEAD_OF.__getitem__, facts))
    found = _HEADS.get(heads)
    if found is None:
        found = _HEADS[heads] = frozenset(s for head in heads if head in SUBJECT_OF for s in SUBJECT_OF[head])
    return found


_HEADS: dict[frozenset[str], frozenset[str]] = {}  # a few dozen sets of first parts of fact paths at most


class _Heads(dict):  # type: ignore[type-arg]
    """A fact path -> its first part, cut once per path (the vocabulary's few hundred)."""

    def __missing__(self, path: str) -> str:
        if len(self) >= 4096:
            self.clear()
        head = self[path] = path.partition(".")[0]
        return head


_HEAD_OF = _Heads()


def _event_date(rule_event: str, env: dict[str, Any]) -> Any:
    v = env.get(EVENTS[rule_event])
    return v if isinstance(v, date) else None


def _gate(pack: CompiledPack, env: dict[str, Any], rule: CompiledRule) -> Any:
    """None when the rule's document is in force on its event's date; Unknown when that date is missing;
    else the event (an :class:`EventOut`) on which it was not in force."""
    day = _event_date(rule.event, env)
    if day is None:
        return Unknown(frozenset((EVENTS[rule.event],)))
    start, end = pack.windows[rule.pack_id]
    if start <= day and (end is None or day <= end):
        return None
    return _event_out(rule.event, day, _is_defaulted(rule.event, env), pack.document_of(rule.pack_id).number)


def _is_defaulted(event: str, env: dict[str, Any]) -> bool:
    return EVENTS[event] in env.get(DEFAULTED, ())


@lru_cache(maxsize=4096)
def _event_out(name: str, day: Optional[date], defaulted: bool, document: str) -> EventOut:
    return EventOut(name=name, date=day, defaulted=defaulted, document=document)


_NOT_IN_FORCE: dict[tuple[int, EventOut, str], tuple[CompiledRule, NotGrantedOut]] = {}


def _not_in_force(pack: CompiledPack, rule: CompiledRule, event: EventOut) -> NotGrantedOut:
    # One entry per rule, event and language, shared by the results that give it (its JSON is then written once).
    key = (id(rule), event, pack.lang)
    entry = _NOT_IN_FORCE.get(key)
    if entry is not None and entry[0] is rule:
        return entry[1]
    out = _not_in_force_out(pack, rule, event)
    if len(_NOT_IN_FORCE) >= 65536:
        _NOT_IN_FORCE.clear()
    _NOT_IN_FORCE[key] = (rule, out)
    return out


def _event_words(event: str, defaulted: bool, lang: Lang) -> str:
    """Which date decided a rule: its event's, or as_of standing in for a missing application date."""
    if defaulted:
        return word("because.as_of_defaulted", lang)
    return word("because.event_date", lang, event=event_word(event, lang))


def _head(rule: CompiledRule) -> tuple[str, str, str, str, str]:
    """What every entry about a rule repeats, as one hashable key: id, topic, kind, title, party."""
    return (rule.id, rule.topic, rule.kind, rule.title, rule.to)  # type: ignore[return-value]


def _not_granted(head: tuple[str, str, str, str, str], citation: ResolvedCitation, **fields: Any) -> NotGrantedOut:
    rid, topic, kind, title, to = head
    return NotGrantedOut(
        rule=rid,
        topic=topic,
        kind=kind,
        title=title,
        to=to,
        citation=citation_out(citation),
        **fields,  # type: ignore[arg-type]
    )


def _not_in_force_out(pack: CompiledPack, rule: CompiledRule, event: EventOut) -> NotGrantedOut:
    validity, lang = pack.validity_of(rule.pack_id), pack.lang
    assert event.date is not None
    what = _event_words(event.name, event.defaulted, lang)
    period = period_words(validity, lang)
    because = word(
        "because.not_in_force", lang, date=event.date.isoformat(), what=what, document=event.document, period=period
    )
    why = _out_of_force(validity, event.date, lang)
    if why:
        because = word("because.and_why", lang, because=because, why=why)
    return _not_granted(_head(rule), rule.citation, reason="not_in_force", because=because, event=event)


def _superseded(pack: CompiledPack, env: dict[str, Any], rule: CompiledRule) -> Optional[NotGrantedOut]:
    """The "superseded" entry of an overridden rule whose overriding rule's document is in force on the event's
    date (both decide the same event: the compiler checks it); None when none is, and the rule applies."""
    day = _event_date(rule.event, env)
    defaulted = _is_defaulted(rule.event, env)
    key = (id(pack), id(rule), day, defaulted)
    entry = _SUPERSEDED.get(key)
    if entry is not None and entry[0] is pack and entry[1] is rule:
        return entry[2]
    found = _superseded_on(pack, rule, day, defaulted)
    if len(_SUPERSEDED) >= 16384:
        _SUPERSEDED.clear()
    _SUPERSEDED[key] = (pack, rule, found)
    return found


# (pack, overridden rule, its event's date, whether that date is as_of) -> the pack, the rule and the entry
# (None: the rule applies on that date)
_SUPERSEDED: dict[tuple[int, int, date, bool], tuple[CompiledPack, CompiledRule, Optional[NotGrantedOut]]] = {}


def _superseded_on(pack: CompiledPack, rule: CompiledRule, day: date, defaulted: bool) -> Optional[NotGrantedOut]:
    for rid in rule.superseded_by:
        by = pack.rule(rid)
        start, end = pack.windows[by.pack_id]
        if start <= day and (end is None or day <= end):
            what = _event_words(rule.event, defaulted, pack.lang)
            period = period_words(pack.validity_of(by.pack_id), pack.lang)
            return _superseded_out(
                _head(rule),
                rule.citation,
                by.id,
                by.citation,
                day,
                what,
                period,
                pack.lang,
            )
    return None


@lru_cache(maxsize=1024)
def _superseded_out(
    rule: tuple[str, str, str, str, str],
    citation: ResolvedCitation,
    by: str,
    by_citation: ResolvedCitation,
    day: date,
    what: str,
    period: str,
    lang: Lang,
) -> NotGrantedOut:
    c = by_citation
    return _not_granted(
        rule,
        citation,
        reason="superseded",
        because=word(
            "because.superseded",
            lang,
            date=day.isoformat(),
            what=what,
            by=by,
            document=c.document,
            clause=c.clause,
            quote=c.quote,
            period=period,
        ),
        superseded_by=by,
    )


def _condition_false(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any]) -> NotGrantedOut:
    node = _decisive_node(rule.when.node, env)
    _, text, paths = _part(node)
    values = tuple((p, _show(env.get(p))) for p in paths)
    return _not_met(_head(rule), rule.citation, text, values, pack.lang)


def _false_at(pack: CompiledPack, rule: CompiledRule, node: n.Node, env: dict[str, Any]) -> NotGrantedOut:
    """``_condition_false`` when the part that decides is known already (the generated function says which).

    Kept on the rule (``CompiledRule.false_entries``): per part, its text and paths, and its entries by the
    values shown."""
    entries = rule.false_entries
    entry = entries.get(id(node))
    if entry is None or entry[0] is not node or entry[1] != pack.lang:
        _, text, paths = _part(node)
        if len(entries) >= 1024:
            entries.clear()
        entry = entries[id(node)] = (node, pack.lang, text, paths, {})
    paths, by_shown = entry[3], entry[4]
    shown = tuple(map(_show, map(env.get, paths)))
    out = by_shown.get(shown)
    if out is None:
        out = _not_met(_head(rule), rule.citation, entry[2], tuple(zip(paths, shown)), pack.lang)
        if len(by_shown) >= 1024:
            by_shown.clear()
        by_shown[shown] = out
    return out


@lru_cache(maxsize=8192)
def _not_met(
    head: tuple[str, str, str, str, str],
    citation: ResolvedCitation,
    text: str,
    values: tuple[tuple[str, Optional[str]], ...],
    lang: Lang,
) -> NotGrantedOut:
    # Cached by content: a batch fails the same part with the same values again and again.
    missing = word("r.fact_missing", lang)
    because = word("because.condition", lang, text=text)
    if values:
        shown = ", ".join(f"{k}={missing if v is None else v}" for k, v in values)
        because += word("because.values", lang, values=shown)
    return _not_granted(
        head, citation, reason="condition", because=because, decisive=DecisiveOut(text=text, values=dict(values))
    )


# Sub-expressions of a condition, read once: id(node) -> (node kept alive, its text, the paths it reads);
# and the closures of the parts of an 'and', compiled on first use.
_PARTS: dict[int, tuple[n.Node, str, tuple[str, ...]]] = {}
_FNS: dict[int, tuple[n.Node, Any]] = {}


def _part(node: n.Node) -> tuple[n.Node, str, tuple[str, ...]]:
    got = _PARTS.get(id(node))
    if got is None or got[0] is not node:
        got = _PARTS[id(node)] = (node, " ".join(render(node).split()), tuple(sorted(names(node))))
    return got


def _fn(node: n.Node) -> Any:
    got = _FNS.get(id(node))
    if got is None or got[0] is not node:
        got = _FNS[id(node)] = (node, compile_expr(node))
    return got[1]


def _decisive_node(node: n.Node, env: dict[str, Any]) -> n.Node:
    while isinstance(node, n.BoolOp) and node.op == "and":
        for child in node.values:
            if _fn(child)(env) is False:
                node = child
                break
        else:  # pragma: no cover - a false 'and' has a false part
            break
    return node


def decisive_part(node: n.Node, env: dict[str, Any]) -> DecisiveOut:
    """The part of a false condition that makes it false: descend into the first false part of each 'and'."""
    _, text, paths = _part(_decisive_node(node, env))
    return DecisiveOut(text=text, values={p: _show(env.get(p)) for p in paths})


def _show(value: Any) -> Optional[str]:
    if value is None:
        return None
    cls = value.__class__
    if cls is str:  # most parts that decide a "no" compare a choice
        return value
    if cls is bool:
        return "true" if value else "false"
    return None if cls is Unknown else str(value)


def _questions(pack: CompiledPack, undetermined: list[UndeterminedOut]) -> list[QuestionOut]:
    """Missing facts ranked by how many undecided rules each is needed by (ties: by path)."""
    if not undetermined:
        return []
    key = (id(pack), tuple(map(id, undetermined)))
    entry = _QUESTIONS.get(key)
    if entry is not None and entry[0] is pack and all(map(is_, entry[1], undetermined)):
        return list(entry[2])
    ranked = _ranked(pack.derived_descriptions, tuple((u.rule, tuple(u.missing)) for u in undetermined))
    if len(_QUESTIONS) >= 16384:
        _QUESTIONS.clear()
    _QUESTIONS[key] = (pack, tuple(undetermined), ranked)
    return list(ranked)


# The questions of one list of undecided entries (shared entries: the same list recurs), per pack object.
_QUESTIONS: dict[
    tuple[int, tuple[int, ...]], tuple[CompiledPack, tuple[UndeterminedOut, ...], tuple[QuestionOut, ...]]
] = {}


@lru_cache(maxsize=4096)
def _ranked(
    derived: tuple[tuple[str, str], ...], undetermined: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[QuestionOut, ...]:
    by_fact: dict[str, list[str]] = {}
    for rule, missing in undetermined:
        for path in missing:
            by_fact.setdefault(path, []).append(rule)
    facts = case_facts()
    described = dict(derived)
    out = []
    for path, rules in sorted(by_fact.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        info = facts.get(path)
        if info is not None:
            zh, description = info.zh, info.description
        else:
            zh, description = "", described.get(path, "")
        out.append(QuestionOut(fact=path, zh=zh, description=description, decides=len(rules), rules=rules))
    return tuple(out)


# A default is reported when the case holds the subject it is about (every case, for "").
_DEFAULT_SUBJECT = {d.path: d.subject for d in DEFAULTS}


@lru_cache(maxsize=4096)
def _default_out(path: str, value: Any, lang: Lang) -> DefaultOut:
    # Shared by the results that use it: one per fact, value (a date, or 0) and language.
    return DefaultOut(fact=path, value=value, reason=word(f"default.{path}", lang))


def _apply_exclusions(entitlements: list[OutcomeOut], exclusions: list[ExclusionOut], lang: Lang) -> list[OutcomeOut]:
    """Withhold excluded entitlements, recording which exclusion withheld them.

    An entitlement that ``excludes`` a topic withholds entitlements of that topic
    (the text says who may not combine them); an exclusion rule withholds its topic.
    """
    for ent in list(entitlements):
        for topic in ent.excludes:
            if any(e.topic == topic for e in entitlements):
                exclusions.append(
                    ExclusionOut(
                        rule=ent.rule,
                        topic=ent.topic,
                        title=ent.title,
                        to=ent.to,
                        summary=word("exclusion.mutually_exclusive", lang, topic=ent.topic),
                        topic_excluded=topic,
                        reason="mutually_exclusive",
                        citation=ent.citation,
                    )
                )
    kept: list[OutcomeOut] = []
    for ent in entitlements:
        blockers = [i for i, x in enumerate(exclusions) if x.topic_excluded == ent.topic and x.rule != ent.rule]
        if not blockers:
            kept.append(ent)
            continue
        for i in blockers:
            exclusions[i] = exclusions[i].model_copy(update={"withheld": [*exclusions[i].withheld, ent.rule]})
    return kept


def _hold_undecided(pack: CompiledPack, entitlements: list[OutcomeOut], run: Run, done: Outcomes) -> list[OutcomeOut]:
    """An entitlement that an undecided exclusion may withhold is itself undecided, never paid on a guess."""
    topics = {ent.topic for ent in entitlements}
    pending: dict[str, set[str]] = {}
    for rule in pack.exclusion_rules:
        if rule.excluded_topic not in topics:
            continue
        missing = _missing_of(run.condition(pack, rule))
        if missing is not None and done.gate(rule) is None:
            pending.setdefault(rule.excluded_topic, set()).update(missing)  # type: ignore[arg-type]
    if not pending:
        return entitlements
    kept = []
    for ent in entitlements:
        missing = pending.get(ent.topic)
        if missing is None:
            kept.append(ent)
        else:
            done.undetermined = [*done.undetermined, _undetermined(pack.rule(ent.rule), frozenset(missing))]
    return kept


def _derived(pack: CompiledPack, env: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The derived facts as the Result holds them (unknown is None, a whole number an exact Decimal, as validation
    makes it), and whether every number among them is one a Number holds."""
    derived = {}
    held = True
    for name, value in zip(pack.derived, map(env.get, pack.derived_keys)):
        cls = value.__class__
        if value is None or cls is Unknown:
            value = None
        elif cls is int:
            value = Decimal(value)
            held = held and representable(value)
        elif cls is Decimal and held:
            held = representable(value)
        derived[name] = value
    return derived, held


@lru_cache(maxsize=4096)
def _citation_out(c: ResolvedCitation) -> CitationOut:
    return CitationOut(document=c.document, clause=c.clause, quote=c.quote, external=c.external)


# A rule's citation as it appears in results: built once per citation object, shared by equal ones.
citation_out: ByIdentity[CitationOut] = ByIdentity(_citation_out, 65536)


def _undetermined(rule: CompiledRule, missing: frozenset[str]) -> UndeterminedOut:
    """The rule's undecided entry for the facts it misses, kept on the rule (``CompiledRule.undecided_entries``)."""
    entries = rule.undecided_entries
    out = entries.get(missing)
    if out is None:
        out = _undetermined_out(
            rule.id, rule.topic, rule.kind, rule.title, rule.to, rule.when.text, rule.citation, missing
        )
        if len(entries) >= 1024:
            entries.clear()
        entries[missing] = out
    return out


@lru_cache(maxsize=8192)
def _undetermined_out(
    rule: str,
    topic: str,
    kind: str,
    title: str,
    to: str,
    condition: str,
    citation: ResolvedCitation,
    missing: frozenset[str],
) -> UndeterminedOut:
    # Cached by content: results are immutable, and a batch of cases lacks the same facts again and again.
    return UndeterminedOut(
        rule=rule,
        topic=topic,
        kind=kind,
        title=title,
        to=to,  # type: ignore[arg-type]  # derive rules (no party) are never undecided outcomes
        condition=condition.strip(),
        missing=sorted(missing),
        citation=citation_out(citation),
    )


# Where each figure of an outcome sits in ``CompiledRule.figures()`` (and in the generated function's figures).
LIMIT_USED, DURATION_USED, DURATION_MAX, MET_WHEN, COUNT, VALUE, MIN, MAX, CAP, ACTUAL, BASE = range(11)
_NONE_FIGURES = (None,) * 11


@exact
def figures_of(rule: CompiledRule, env: dict[str, Any]) -> tuple:
    """The values of the rule's figures, computed by the closures, in ``CompiledRule.figures()`` order (what the
    generated function gives in ``Run.figures``): each a value, an unknown, the ArithmeticError it raised
    (raised where the outcome reads it), or None when the figure is not written."""
    out: list[Any] = []
    for expr in rule.figures():
        if expr is None:
            out.append(None)
            continue
        try:
            out.append(expr.fn(env))
        except ArithmeticError as exc:
            out.append(exc)
    return tuple(out)


def _number(v: Any, missing: set[str]) -> Optional[Decimal]:
    """A figure's value as a Decimal; None when it is not written or unknown (its missing facts added)."""
    if v is None:
        return None
    cls = v.__class__
    if cls is Decimal:
        return v
    if cls is frozenset:
        missing.update(v)
        return None
    if cls is Unknown:
        missing.update(v.missing)
        return None
    if isinstance(v, ArithmeticError):
        raise v
    return Decimal(v)


def _excluding(rule: CompiledRule, summary: str, topic_excluded: str, **more: Any) -> ExclusionOut:
    """An exclusion the rule gives: its own words and citation, the topic it withholds, and ``more`` fields."""
    return trusted(
        ExclusionOut,
        dict(
            rule=rule.id,
            topic=rule.topic,
            title=rule.title,
            to=rule.to,
            summary=summary,
            topic_excluded=topic_excluded,
            citation=citation_out(rule.citation),
            notes=list(rule.notes),
            **more,
        ),
    )


# What an exclusion rule that fired gives: the same whatever the case, shared by the results that give it.
_exclusion: ByIdentity[ExclusionOut] = ByIdentity(
    lambda rule: _excluding(rule, rule.summary, rule.excluded_topic), 4096
)


Built = OutcomeOut | ExclusionOut | UndeterminedOut | NotGrantedOut

# (pack, rule, what the outcome reads of the case) -> the pack, the rule and what it gave
_OUTCOMES: dict[tuple[Any, ...], tuple[CompiledPack, CompiledRule, Built]] = {}


def _shared_outcome(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any], as_of: date, fig: tuple) -> Built:
    """``_outcome``, built once per rule and everything it reads of a case, shared by the results that give it
    (results are immutable): many cases get the same sum on the same dates.

    It reads the figures' values, as_of, the dates of its event and of its duration's start, and whether the
    event's date is as_of standing in. A figure is keyed as written too: 5000 and 5000.00 are equal Decimals,
    and an outcome holds the one its case computed.
    """
    start = None if rule.duration_start is None else env.get(EVENTS[rule.duration_start])
    event = EVENTS[rule.event]
    key: tuple[Any, ...] = (id(pack), id(rule), as_of, env.get(event), event in env.get(DEFAULTED, ()), start, fig)
    for i in rule.figure_slots:
        if (v := fig[i]).__class__ is Decimal:
            key += (str(v),)
    try:
        entry = _OUTCOMES.get(key)
    except TypeError:  # a value that cannot be hashed (a signalling NaN): built, not kept
        return _outcome(pack, rule, env, as_of, fig)
    if entry is not None and entry[0] is pack and entry[1] is rule:
        return entry[2]
    built = _outcome(pack, rule, env, as_of, fig)
    if any(isinstance(v, ArithmeticError) for v in fig):
        return built  # an error of a figure it did not read: the error is a new object each time, never found again
    if len(_OUTCOMES) >= 4096:
        _OUTCOMES.clear()
    _OUTCOMES[key] = (pack, rule, built)
    return built


@exact
def _outcome(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any], as_of: date, fig: tuple) -> Built:
    outcome = rule.outcome
    assert outcome is not None
    limit = None
    if outcome.limit is not None:
        # A limit whose count is missing still gives the figure: the count is named as missing.
        gate: set[str] = set()
        used = _number(fig[LIMIT_USED], gate)
        if used is not None and used >= outcome.limit.max:
            per = per_text(outcome.limit.per, pack.lang)
            return _withheld(
                rule, "limit_reached", word("exclusion.limit_reached", pack.lang, max=outcome.limit.max, per=per)
            )
        if used is not None and not representable(used):
            raise _beyond(_defined_at(rule), "limit")("used", used)
        limit = made(
            LimitOut, {"max": outcome.limit.max, "per": outcome.limit.per, "used": used, "missing": sorted(gate)}
        )
    duration = None
    if outcome.duration is not None:
        dmissing: set[str] = set()
        used = _number(fig[DURATION_USED], dmissing)
        dmax = _number(fig[DURATION_MAX], dmissing)
        if used is not None and dmax is not None and used >= dmax:
            unit = unit_text(outcome.duration.unit, pack.lang)
            summary = word("exclusion.duration_exhausted", pack.lang, used=used, unit=unit, max=dmax)
            return _withheld(rule, "duration_exhausted", summary)
        duration = _duration(rule, env, as_of, dmax, used, dmissing)
        if duration.ended:
            return _ended(pack, rule, env, duration)
    amount = _amount(rule.amount, fig) if rule.amount is not None else None
    status = None
    if rule.kind == "obligation":
        status = "unknown"
        if rule.met_when is not None:
            met = fig[MET_WHEN]
            if isinstance(met, ArithmeticError):
                raise met
            if met.__class__ is not Unknown and met.__class__ is not frozenset:
                status = "met" if met else "unmet"
        if status == "unmet" and outcome.deadline is not None:
            status = "overdue" if as_of > outcome.deadline else "due"
    funding = _funding(rule, amount.total if amount is not None else None) if outcome.funding else []
    return made(
        OutcomeOut,
        {
            "kind": rule.kind,
            "rule": rule.id,
            "topic": rule.topic,
            "title": rule.title,
            "to": outcome.to,
            "summary": rule.summary,
            "amount": amount,
            "duration": duration,
            "limit": limit,
            "funding": funding,
            "deadline": outcome.deadline,
            "status": status,
            "event": _rule_event(pack, rule, env),
            "excludes": list(outcome.excludes),
            "citation": citation_out(rule.citation),
            "notes": list(rule.notes),
        },
    )


def _funding(rule: CompiledRule, total: Optional[Decimal]) -> list[FundingOut]:
    """Each payer's share, and its part of the total when the total is known."""
    step = money_step(rule.amount.unit) if rule.amount is not None else None
    out = []
    for f in rule.outcome.funding:  # type: ignore[union-attr]
        amount = None if total is None else round_money(total * f.share, step)
        if amount is not None and not representable(amount):
            raise _beyond(_at(rule.amount), "funding")("amount", amount)  # type: ignore[arg-type]
        out.append(made(FundingOut, {"payer": f.payer, "share": f.share, "amount": amount}))
    return out


def _rule_event(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any]) -> EventOut:
    return _event_out(
        rule.event, _event_date(rule.event, env), _is_defaulted(rule.event, env), pack.document_of(rule.pack_id).number
    )


_ADD = {"year": add_years, "month": add_months, "day": add_days}


def _duration(
    rule: CompiledRule,
    env: dict[str, Any],
    as_of: date,
    dmax: Optional[Decimal],
    used: Optional[Decimal],
    missing: set[str],
) -> DurationOut:
    """The duration's figures; counted from its start event, also the current period and the last day covered."""
    unit = rule.outcome.duration.unit  # type: ignore[union-attr]
    started = period = until = None
    ended = False
    if rule.duration_start is not None:
        started = _event_date(rule.duration_start, env)
        if started is None:
            missing.add(EVENTS[rule.duration_start])
        elif as_of >= started:
            elapsed = {"year": _years, "month": months_between, "day": days_between}[unit](started, as_of)
            period = elapsed + 1
        if started is not None and dmax is not None:
            if dmax == int(dmax):
                until = add_days(_ADD[unit](started, int(dmax)), -1)
            elif unit == "year" and dmax * 12 == int(dmax * 12):
                until = add_days(add_months(started, int(dmax * 12)), -1)
            ended = until is not None and as_of > until
    return trusted(
        DurationOut,
        dict(
            max=dmax,
            max_expression=rule.duration_max.text if rule.duration_max else "",
            unit=unit,
            used=used,
            remaining=None if dmax is None or used is None else dmax - used,
            start_event=rule.duration_start,
            started=started,
            period=period,
            until=until,
            ended=ended,
            missing=sorted(missing),
        ),
        _beyond(_defined_at(rule), "duration"),
    )


def _years(start: date, end: date) -> int:
    return months_between(start, end) // 12


def _ended(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any], duration: DurationOut) -> NotGrantedOut:
    assert duration.until is not None and duration.started is not None
    return _not_granted(
        _head(rule),
        rule.citation,
        reason="ended",
        because=word(
            "because.ended",
            pack.lang,
            until=duration.until.isoformat(),
            max=duration.max,
            unit=unit_text(duration.unit, pack.lang),
            event=event_word(duration.start_event or "", pack.lang),
            started=duration.started.isoformat(),
        ),
        event=_rule_event(pack, rule, env),
        duration=duration,
    )


def _withheld(rule: CompiledRule, reason: str, summary: str) -> ExclusionOut:
    return _excluding(rule, summary, rule.topic, withheld=[rule.id], reason=reason)


def _amount_shows(a: CompiledAmount) -> tuple[Optional[str], Optional[str], Optional[Decimal]]:
    """What an amount shows whatever the case: its count's expression, its own expression, its money step."""
    expression = None
    if a.kind in ("exact", "average", "formula", "minimum"):
        expression = _text(a.value)
    elif a.kind == "range":
        expression = f"{_text(a.min)}–{_text(a.max)}"
    elif a.kind == "cap":
        expression = f"min({_text(a.actual)}, {_text(a.cap)})" if a.actual else f"≤ {_text(a.cap)}"
    elif a.kind == "share":
        expression = f"{a.rate} × {_text(a.base) if a.base is not None else a.base_text}"
    return (_text(a.count), expression, money_step(a.unit))


_amount_texts: ByIdentity[tuple[Optional[str], Optional[str], Optional[Decimal]]] = ByIdentity(_amount_shows, 16384)


_VALUED = frozenset(("exact", "average", "formula", "minimum"))
_SIGNED = ("value", "min", "max", "cap", "total", "total_min", "total_max")  # never negative
_RANGED = ("value", "min", "max", "cap", "base", "count", "total", "total_min", "total_max", "total_cap")


def _amount(a: CompiledAmount, fig: tuple) -> AmountOut:
    """The amount's figures from the rule's figure values (``figures_of``), rounded to the money step, checked."""
    count_expression, expression, step = _amount_texts(a)
    missing: set[str] = set()
    count = _number(fig[COUNT], missing)
    kind = a.kind
    value = low = high = cap = base = None
    if kind in _VALUED:
        value = _number(fig[VALUE], missing)
    elif kind == "range":
        low = _number(fig[MIN], missing)
        high = _number(fig[MAX], missing)
    elif kind == "cap":
        cap = _number(fig[CAP], missing)
        if a.actual is not None:
            actual = _number(fig[ACTUAL], missing)
            value = None if actual is None or cap is None else min(actual, cap)
    elif kind == "share":
        base = _number(fig[BASE], missing)
        value = None if base is None or a.rate is None else a.rate * base
    if step is not None:
        if value is not None:
            value = round_money(value, step)
        if low is not None:
            low, high = round_money(low, step), round_money(high, step)
        elif high is not None:
            high = round_money(high, step)
        if cap is not None:
            cap = round_money(cap, step)
    if low is not None and high is not None and low > high:
        # Bounds written as numbers are checked on load; bounds computed from facts only here.
        raise InvertedRange(Phrase.of("arith.inverted", at=_at(a), low=low, high=high))
    total = total_min = total_max = total_cap = None
    if count is not None:
        if value is not None:
            total = value * count
        if cap is not None:
            total_cap = cap * count
        if low is not None and high is not None:
            total_min, total_max = low * count, high * count
    elif a.count is None:
        total = value
    for name, figure in zip(_SIGNED, (value, low, high, cap, total, total_min, total_max)):
        if figure is not None and figure < 0:
            said = Phrase.of("arith.negative", at=_at(a), name=Phrase(f"amount_field.{name}"), figure=figure)
            raise NegativeAmount(said)
    # in the order the model declares them: the first figure out of range is the one named
    for name, figure in zip(_RANGED, (value, low, high, cap, base, count, total, total_min, total_max, total_cap)):
        if figure is not None and not representable(figure):
            raise _beyond(_at(a), "amount")(name, figure)
    return made(
        AmountOut,
        {
            "kind": kind,
            "unit": a.unit,
            "per": list(a.per),
            "expression": expression,
            "value": value,
            "min": low,
            "max": high,
            "cap": cap,
            "rate": a.rate if kind == "share" else None,
            "base": base,
            "base_text": a.base_text if kind == "share" else None,
            "count": count,
            "count_expression": count_expression,
            "total": total,
            "total_min": total_min,
            "total_max": total_max,
            "total_cap": total_cap,
            "reference": a.reference,
            "missing": sorted(missing),
        },
    )


class _Said(ArithmeticError):
    """An arithmetic error made as a phrase, said in the pack's language in the result (English as text)."""

    def __init__(self, phrase: Phrase) -> None:
        super().__init__(phrase.text("en"))
        self.phrase = phrase


class NegativeAmount(_Said):
    """A pack computed an amount below zero: reported as the rule's error, never paid."""


class InvertedRange(_Said):
    """A range whose bounds, computed on this case, have its minimum above its maximum: the rule's error."""


class FigureOutOfRange(_Said):
    """A figure computed on this case beyond what a Result holds (types.py's bounds): the rule's error.

    Each input is bounded, but a product of two of them need not be, so the
    figure is refused where it is computed rather than the input where it is given.
    """


def _beyond(at: str, what: str) -> Callable[[str, Any], ArithmeticError]:
    """What :func:`trusted` raises for a figure out of range: the rule's error, at ``at``, naming the field."""

    def said(name: str, figure: Any) -> ArithmeticError:
        fields = {"at": at, "what": Phrase(f"figure_of.{what}"), "name": Phrase(f"amount_field.{name}")}
        return FigureOutOfRange(
            # written in full: the same figure reads the same from a case and from a table's column (1980.0000)
            Phrase.of(
                "arith.out_of_range", **fields, figure=number_text(figure), exponent=MAX_EXPONENT, digits=MAX_DIGITS
            )
        )

    return said


def _at(a: CompiledAmount) -> str:
    """'file:line:col: ' of the amount in its pack, for an error found while evaluating it."""
    return f"{a.where}: " if a.where is not None else ""


def _defined_at(rule: CompiledRule) -> str:
    """'file:line:col: ' of the rule in its pack, for an error in a figure that has no place of its own."""
    return f"{rule.defined_at}: " if rule.defined_at is not None else ""


_SIGNALS = {
    "Overflow": "arith.overflow",
    "DivisionByZero": "arith.division_by_zero",
    "InvalidOperation": "arith.invalid",
    "DivisionImpossible": "arith.invalid",
}


def arithmetic_message(exc: ArithmeticError, lang: Lang = DEFAULT_LANG) -> str:
    """A rule's arithmetic error in words, in ``lang`` (decimal's own messages are class lists)."""
    for signal in type(exc).__mro__:
        if signal.__name__ in _SIGNALS and signal.__module__ == "decimal":
            return word(_SIGNALS[signal.__name__], lang)
    phrase = getattr(exc, "phrase", None)
    if isinstance(phrase, Phrase):
        return phrase.text(lang)
    return str(exc) or type(exc).__name__


def _text(expr: Optional[CompiledExpr]) -> Optional[str]:
    return None if expr is None else " ".join(expr.text.split())
