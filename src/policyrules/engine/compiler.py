"""Validated pack spec → :class:`CompiledPack`: type-check, unit-check, order, compile.

All problems are collected and raised together as one :class:`PackError`,
each pointing at its file, line and column through a :class:`Locator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any, Optional, Protocol

from policyrules.errors import ExpressionError, Location, PackError, Phrase, Problem
from policyrules.errors.phrases import either
from policyrules.expr import BOOL, DATE, STRING, Type, check, compile_expr, number, parse
from policyrules.facts.vocabulary import AS_OF, case_facts, suggestions
from policyrules.pack.schema import Amount, Citation, DatedBound, Document, LedgerEntry, PackSpec, Rule
from policyrules.types import DEFAULT_LANG, Lang
from policyrules.units import DIMENSIONLESS, Dim, parse_unit

from .model import (
    CompiledAmount,
    CompiledExpr,
    CompiledPack,
    CompiledRule,
    ParameterSeries,
    RuleTexts,
    citation_of,
    localize,
)

PathKey = tuple[Any, ...]


class Locator(Protocol):
    def location(self, path: PathKey) -> Location: ...

    def location_in_scalar(self, path: PathKey, offset: int) -> Location: ...


@dataclass(frozen=True)
class _Source:
    """A rule together with where it was written."""

    rule: Rule
    path: PathKey
    locator: Locator
    document: Document
    pack_id: str


class _Context:
    def __init__(self, spec: PackSpec, parent: Optional[CompiledPack], locator: Locator) -> None:
        self.problems: list[Problem] = []
        self.locator = locator
        self.types: dict[str, Type] = {p: f.type for p, f in case_facts().items()}
        self.types[AS_OF.path] = AS_OF.type
        self.derived = dict(parent.derived) if parent else {}
        params = {p.name: p for p in parent.parameters} if parent else {}
        for name, param in spec.parameters.items():
            try:
                unit = parse_unit(param.unit)
            except ValueError as exc:
                self.refused(exc, ("parameters", name, "unit"))
                unit = DIMENSIONLESS
            self.types[f"param.{name}"] = number(unit)
            params[name] = ParameterSeries(name, param.unit, tuple(sorted((v.from_, v.value) for v in param.values)))
        if parent:
            for p in parent.parameters:
                self.types.setdefault(f"param.{p.name}", number(parse_unit(p.unit)))
        self.params = params
        for name, decl in spec.derived.items():
            if name in self.derived:
                self.error("compile.derived_in_parent", ("derived", name), name=name)
            self.derived[name] = decl
        for name, decl in self.derived.items():
            self.types[f"derived.{name}"] = self._derived_type(name, decl)

    def _derived_type(self, name: str, decl: Any) -> Type:
        if decl.type == "number":
            try:
                return number(parse_unit(decl.unit or "1"))
            except ValueError as exc:
                self.refused(exc, ("derived", name, "unit"))
                return number(DIMENSIONLESS)
        if decl.type == "string":
            return Type("string", choices=frozenset(decl.choices)) if decl.choices else STRING
        return BOOL if decl.type == "bool" else DATE

    def error(
        self, key: str, path: PathKey, locator: Optional[Locator] = None, code: str = "reference", **fields: Any
    ) -> None:
        self.problems.append(Problem.of(key, (locator or self.locator).location(path), code, **fields))

    def refused(self, exc: ValueError, path: PathKey, locator: Optional[Locator] = None) -> None:
        """A value (a unit) its reader refused, said as the reader said it."""
        self.problems.append(Problem.refused(exc, (locator or self.locator).location(path), "reference"))

    def expr(self, src: _Source, key: PathKey, text: Any, want: str) -> Optional[tuple[CompiledExpr, Type]]:
        """Parse, check and compile one expression field; None (and a problem) on failure."""
        path = src.path + key
        if isinstance(text, (bool, int, Decimal)):
            node_text = "true" if text is True else "false" if text is False else str(text)
        else:
            node_text = text
        try:
            node = parse(node_text)
            t = check(node, self.types.get, lambda p: suggestions(p, self.types))
        except ExpressionError as exc:
            loc = (
                src.locator.location_in_scalar(path, exc.offset)
                if isinstance(text, str)
                else src.locator.location(path)
            )
            # a unit error by what it is, not by its words ("unknown fact 'unit.staf'" is no unit error)
            code = (
                "unit"
                if exc.key.startswith("unit.") or exc.key in ("expr.mixes_units", "expr.adds_unit")
                else "expression"
            )
            self.problems.append(Problem(exc.message, loc, code, (), exc.key, exc.fields))
            return None
        if want != "any" and t.kind != want:
            self.problems.append(
                Problem.of(
                    "compile.expression_type",
                    src.locator.location(path),
                    "expression",
                    want=Type(want).said(),
                    got=t.said(),
                )
            )
            return None
        return CompiledExpr(node_text, node, compile_expr(node)), t


def compile_pack(
    spec: PackSpec,
    locator: Locator,
    topics: frozenset[str],
    content_hash: str,
    parent: Optional[CompiledPack] = None,
    source_path: Optional[str] = None,
    lang: Lang = DEFAULT_LANG,
) -> CompiledPack:
    if parent is not None:
        parent = localize(parent, lang)
    ctx = _Context(spec, parent, locator)
    if parent is None and spec.parent is not None:
        ctx.error("compile.parent_not_loaded", ("parent",), parent=spec.parent)

    sources, inherited = _merge_rules(ctx, spec, parent, locator)
    rules: dict[str, CompiledRule] = {r.id: r for r in inherited}
    for src in sources:
        compiled = _compile_rule(ctx, src, topics, lang)
        if compiled is not None:
            rules[compiled.id] = compiled

    setters = _setters(ctx, list(rules.values()))
    ordered = _order(ctx, sources, rules, setters)
    _check_ledger(ctx, spec, sources, parent)
    _check_validity(ctx, spec)
    if ctx.problems:
        raise PackError(ctx.problems)

    ordered = _with_concerns(ordered, setters)
    has_precedence = frozenset(name for name, decl in ctx.derived.items() if decl.precedence)
    return CompiledPack(
        id=spec.id,
        content_hash=content_hash,
        jurisdiction=spec.jurisdiction,
        document=spec.document,
        validity=spec.validity,
        rules=tuple(ordered),
        parameters=tuple(ctx.params.values()),
        derived=ctx.derived,
        setters=setters,
        has_precedence=has_precedence,
        spec=spec,
        parent=parent,
        source_path=source_path,
        rule_index={r.id: r for r in ordered},
        lang=lang,
        windows={**(parent.windows if parent else {}), spec.id: _window(spec)},
    )


def _merge_rules(
    ctx: _Context, spec: PackSpec, parent: Optional[CompiledPack], locator: Locator
) -> tuple[list[_Source], list[CompiledRule]]:
    """This pack's rules, and the parent's compiled rules it inherits.

    A rule that shares a topic with a parent rule must say whether it replaces
    it ('overrides') or applies beside it ('alongside'); silence is an error.

    An overridden outcome or exclusion rule is kept, marked ``superseded_by``: the
    evaluator applies it on event dates when the overriding rule's document is not
    in force (before a child's plan starts, after it ends) and reports it superseded
    on the others. Both decide the same event, so exactly one of them is in force on
    any date. An overridden derive rule is dropped: derived facts are definitions,
    read by rules that are themselves gated at their events, so the child's
    definition replaces the parent's on every date.
    """
    own = [_Source(r, ("rules", i), locator, spec.document, spec.id) for i, r in enumerate(spec.rules)]
    seen: set[str] = set()
    for src in own:
        if src.rule.id in seen:
            ctx.error("compile.duplicate_rule", src.path + ("id",), id=src.rule.id)
        seen.add(src.rule.id)
    parent_rules = {r.id: r for r in parent.rules} if parent else {}
    overridden: dict[str, list[str]] = {}  # parent rule id -> the rules of this pack that override it
    for src in own:
        for ref in src.rule.overrides:
            if ref not in parent_rules:
                where = Phrase.of("compile.parent_pack", parent=parent.id) if parent else Phrase.of("compile.no_parent")
                ctx.error("compile.overrides_unknown", src.path + ("overrides",), ref=ref, where=where)
            else:
                _check_override(ctx, src, parent_rules[ref])
            overridden.setdefault(ref, []).append(src.rule.id)
        for ref in src.rule.alongside:
            if ref not in parent_rules and ref not in seen:
                ctx.error("compile.alongside_unknown", src.path + ("alongside",), ref=ref)
        declared = set(src.rule.overrides) | set(src.rule.alongside)
        for pr in parent.rules if parent else ():
            clash = pr.topic == src.rule.topic and "derive" not in (pr.kind, src.rule.kind)
            if clash and pr.id not in declared:
                ctx.error(
                    "compile.shares_topic",
                    src.path + ("topic",),
                    code="layering",
                    id=src.rule.id,
                    parent_rule=pr.id,
                    topic=pr.topic,
                )
        if src.rule.id in parent_rules:
            ctx.error("compile.id_in_parent", src.path + ("id",), id=src.rule.id, parent=parent.id)  # type: ignore[union-attr]
    if parent is None:
        return own, []
    inherited = []
    for r in parent.rules:
        by = overridden.get(r.id)
        if by is None:
            inherited.append(r)
        elif r.kind != "derive":
            inherited.append(_replace(r, superseded_by=r.superseded_by + tuple(by)))
    return own, inherited


def _check_override(ctx: _Context, src: _Source, replaced: CompiledRule) -> None:
    """An override decides what the rule it overrides decides: a derived fact for a derived fact, the same event."""
    if (src.rule.kind == "derive") != (replaced.kind == "derive"):
        ctx.error(
            "compile.override_kind",
            src.path + ("overrides",),
            code="layering",
            id=src.rule.id,
            kind=src.rule.kind,
            replaced=replaced.id,
            replaced_kind=replaced.kind,
        )
    elif src.rule.kind != "derive" and (src.rule.event or "application") != replaced.event:
        ctx.error(
            "compile.override_event",
            src.path + ("overrides",),
            id=src.rule.id,
            event=src.rule.event or "application",
            replaced=replaced.id,
            replaced_event=replaced.event,
            code="layering",
        )


def _compile_rule(ctx: _Context, src: _Source, topics: frozenset[str], lang: Lang) -> Optional[CompiledRule]:
    rule = src.rule
    ok = True
    if rule.topic not in topics:
        hints = suggestions(rule.topic, topics)
        where = src.path + ("topic",)
        if hints:
            hint = either([repr(h) for h in hints])
            ctx.error("compile.unknown_topic_hint", where, src.locator, "topic", topic=rule.topic, hints=hint)
        else:
            ctx.error("compile.unknown_topic", where, src.locator, "topic", topic=rule.topic)
        ok = False
    when = ctx.expr(src, ("when",), rule.when, "bool")
    common: dict[str, Any] = dict(
        id=rule.id,
        topic=rule.topic,
        title=rule.title.pick(lang),
        kind=rule.kind,
        citation=citation_of(rule.citation, src.document),
        notes=tuple(rule.notes),
        pack_id=src.pack_id,
        alongside=tuple(rule.alongside),
        defined_at=src.locator.location(src.path),
        event=rule.event or "application",
    )
    if rule.derive is not None:
        decl = ctx.derived.get(rule.derive.fact)
        if decl is None:
            ctx.error("compile.derived_undeclared", src.path + ("derive", "fact"), src.locator, fact=rule.derive.fact)
            return None
        value = ctx.expr(src, ("derive", "value"), rule.derive.value, "any")
        if value is not None:
            want = ctx.types[f"derived.{rule.derive.fact}"]
            got = value[1]
            if got.kind != want.kind or (got.kind == "number" and got.dim is not None and got.dim != want.dim):
                ctx.error(
                    "compile.derive_type",
                    src.path + ("derive", "value"),
                    src.locator,
                    got=got.said(),
                    fact=rule.derive.fact,
                    want=want.said(),
                )
                ok = False
            elif want.choices is not None and (got.choices is None or not got.choices <= want.choices):
                # Decided here, for every value the expression can take, so that no engine (closures,
                # generated code, durable, batch) ever settles a derived fact on a value outside its choices.
                allowed = ", ".join(sorted(want.choices))
                where = src.path + ("derive", "value")
                if got.choices is None:
                    ctx.error("compile.derive_any_text", where, src.locator, fact=rule.derive.fact, allowed=allowed)
                else:
                    value_ = sorted(got.choices - want.choices)[0]
                    ctx.error(
                        "compile.derive_not_choice",
                        where,
                        src.locator,
                        value=value_,
                        fact=rule.derive.fact,
                        allowed=allowed,
                    )
                ok = False
        if when is None or value is None or not ok:
            return None
        return CompiledRule(
            when=when[0], derive_fact=rule.derive.fact, derive_value=value[0], texts=RuleTexts(rule.title), **common
        )

    if rule.exclusion is not None:
        if rule.exclusion.topic_excluded not in topics:
            ctx.error(
                "compile.unknown_topic",
                src.path + ("exclusion", "topic_excluded"),
                src.locator,
                "topic",
                topic=rule.exclusion.topic_excluded,
            )
            ok = False
        if when is None or not ok:
            return None
        return CompiledRule(
            when=when[0],
            excluded_topic=rule.exclusion.topic_excluded,
            summary=rule.exclusion.summary.pick(lang),
            texts=RuleTexts(rule.title, rule.exclusion.summary),
            to=rule.exclusion.to,
            **common,
        )

    outcome = rule.entitlement or rule.obligation or rule.sanction
    assert outcome is not None
    okey = rule.kind
    amount = None
    if outcome.amount is not None:
        amount = _compile_amount(ctx, src, (okey, "amount"), outcome.amount, lang)
        ok = ok and amount is not None
    duration_max = duration_used = limit_used = met_when = None
    if outcome.duration is not None:
        try:
            dur_dim = parse_unit(outcome.duration.unit)
        except ValueError as exc:
            ctx.refused(exc, src.path + (okey, "duration", "unit"), src.locator)
            dur_dim = DIMENSIONLESS
            ok = False
        d = ctx.expr(src, (okey, "duration", "max"), outcome.duration.max, "number")
        ok = ok and _dim_is(ctx, src, (okey, "duration", "max"), d, [dur_dim])
        duration_max = d[0] if d else None
        if outcome.duration.start is not None and outcome.duration.unit not in ("year", "month", "day"):
            ctx.error(
                "compile.duration_unit",
                src.path + (okey, "duration", "unit"),
                src.locator,
                "unit",
                unit=outcome.duration.unit,
            )
            ok = False
        if outcome.duration.used is not None:
            u = ctx.expr(src, (okey, "duration", "used"), outcome.duration.used, "number")
            ok = ok and _dim_is(ctx, src, (okey, "duration", "used"), u, [dur_dim])
            duration_used = u[0] if u else None
    if outcome.limit is not None:
        u = ctx.expr(src, (okey, "limit", "used"), outcome.limit.used, "number")
        limit_used = u[0] if u else None
        ok = ok and u is not None
    if outcome.met_when is not None:
        m = ctx.expr(src, (okey, "met_when"), outcome.met_when, "bool")
        met_when = m[0] if m else None
        ok = ok and m is not None
    if outcome.funding:
        total = sum((f.share for f in outcome.funding), Decimal(0))
        if total != 1:
            ctx.error("compile.funding", src.path + (okey, "funding"), src.locator, total=total)
            ok = False
    for topic in outcome.excludes:
        if topic not in topics:
            ctx.error("compile.unknown_topic", src.path + (okey, "excludes"), src.locator, "topic", topic=topic)
            ok = False
    if when is None or not ok:
        return None
    return CompiledRule(
        when=when[0],
        outcome=outcome,
        amount=amount,
        duration_max=duration_max,
        duration_used=duration_used,
        limit_used=limit_used,
        met_when=met_when,
        duration_start=outcome.duration.start if outcome.duration is not None else None,
        summary=outcome.summary.pick(lang),
        texts=RuleTexts(rule.title, outcome.summary, outcome.amount.reference if outcome.amount else None),
        to=outcome.to,
        **common,
    )


def _compile_amount(ctx: _Context, src: _Source, key: PathKey, amount: Amount, lang: Lang) -> Optional[CompiledAmount]:
    ok = True
    unit = per_dims = None
    if amount.unit is not None:
        try:
            unit = parse_unit(amount.unit)
            per_dims = [parse_unit(p) for p in amount.per]
        except ValueError as exc:
            ctx.refused(exc, src.path + key, src.locator)
            return None
    # A figure may already be expressed per unit or per period (rent in CNY/month)
    # or not (5 months of the minimum wage, paid per person per year): accept the
    # declared unit divided by any subset of the 'per' dimensions, nothing else.
    accepted: list[Dim] = []
    if unit is not None and per_dims is not None:
        for k in range(len(per_dims) + 1):
            for subset in combinations(per_dims, k):
                d = unit
                for p in subset:
                    d = d / p
                accepted.append(d)
    fields: dict[str, Any] = {}
    for name in ("value", "min", "max", "cap", "actual", "base"):
        text = getattr(amount, name)
        if text is None:
            continue
        compiled = ctx.expr(src, key + (name,), text, "number")
        if compiled is None:
            ok = False
            continue
        if name == "base" and amount.rate is not None:
            pass  # rate is dimensionless, so the base carries the unit
        ok = _dim_is(ctx, src, key + (name,), compiled, accepted) and ok
        fields[name] = compiled[0]
    if amount.count is not None:
        c = ctx.expr(src, key + ("count",), amount.count, "number")
        if c is None:
            ok = False
        else:
            want = per_dims[:1] if per_dims else []
            ok = _dim_is(ctx, src, key + ("count",), c, want + [DIMENSIONLESS]) and ok
            fields["count"] = c[0]
        if not amount.per:
            ctx.error("compile.count_per", src.path + key + ("count",), src.locator)
            ok = False
    if amount.kind == "range" and isinstance(amount.min, Decimal) and isinstance(amount.max, Decimal):
        if amount.min > amount.max:
            ctx.error("compile.range", src.path + key, src.locator, "range", min=amount.min, max=amount.max)
            ok = False
    if amount.rate is not None and not (0 < amount.rate <= 1):
        ctx.error("compile.rate", src.path + key + ("rate",), src.locator, rate=amount.rate)
        ok = False
    if not ok:
        return None
    return CompiledAmount(
        kind=amount.kind,
        unit=amount.unit,
        per=tuple(amount.per),
        rate=amount.rate,
        base_text=amount.base_text,
        reference=None if amount.reference is None else amount.reference.pick(lang),
        where=src.locator.location(src.path + key),
        **fields,
    )


def _dim_is(
    ctx: _Context, src: _Source, key: PathKey, compiled: Optional[tuple[CompiledExpr, Type]], accepted: list[Dim]
) -> bool:
    if compiled is None:
        return False
    dim = compiled[1].dim
    if dim is None or not accepted or dim in accepted:
        return True
    ctx.error(
        "compile.unit_mismatch",
        src.path + key,
        src.locator,
        "unit",
        dim=dim,
        accepted=either([f"[{d}]" for d in accepted]),
    )
    return False


def _setters(ctx: _Context, rules: list[CompiledRule]) -> dict[str, tuple[str, ...]]:
    """Derived fact -> the rules that set it, in precedence order where declared."""
    found: dict[str, list[str]] = {}
    for rule in rules:
        if rule.derive_fact is not None:
            found.setdefault(rule.derive_fact, []).append(rule.id)
    out: dict[str, tuple[str, ...]] = {}
    for name, ids in found.items():
        decl = ctx.derived[name]
        if decl.precedence:
            unknown = [r for r in decl.precedence if r not in ids]
            if unknown:
                ctx.error("compile.precedence_unknown", ("derived", name, "precedence"), rule=unknown[0], name=name)
            rest = [r for r in ids if r not in decl.precedence]
            if rest:
                ctx.error("compile.precedence_missing", ("derived", name, "precedence"), rule=rest[0], name=name)
            out[name] = tuple(decl.precedence)
        else:
            out[name] = tuple(ids)
    return out


def _order(
    ctx: _Context, sources: list[_Source], rules: dict[str, CompiledRule], setters: dict[str, tuple[str, ...]]
) -> list[CompiledRule]:
    """Order rules so that every derived fact is complete before it is read.

    A cycle (a fact that depends on itself) is a load error naming the rules.
    """
    position = {rid: i for i, rid in enumerate(rules)}  # inherited rules first, then this pack's
    path_of = {src.rule.id: src for src in sources}
    deps: dict[str, set[str]] = {}
    for rid, rule in rules.items():
        reads = rule.reads()
        needed: set[str] = set()
        for path in reads:
            if path.startswith("derived."):
                needed.update(setters.get(path[len("derived.") :], ()))
        deps[rid] = {d for d in needed if d in rules}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(rid: str, stack: list[str]) -> None:
        if state.get(rid) == 2:
            return
        if state.get(rid) == 1:
            cycle = stack[stack.index(rid) :] + [rid]
            src = path_of.get(rid)
            ctx.error("compile.cycle", src.path if src else ("rules",), code="cycle", rules=" -> ".join(cycle))
            return
        state[rid] = 1
        for dep in sorted(deps[rid], key=position.__getitem__):
            visit(dep, stack + [rid])
        state[rid] = 2
        order.append(rid)

    for rid in sorted(rules, key=position.__getitem__):
        visit(rid, [])
    done: set[str] = set()
    ordered: list[CompiledRule] = []
    for rid in order:
        done.add(rid)
        resolves = tuple(name for name, ids in setters.items() if rid in ids and all(i in done for i in ids))
        rule = rules[rid]
        if resolves:
            rule = _replace(rule, resolves=resolves)
        ordered.append(rule)
    return ordered


def _with_concerns(ordered: list[CompiledRule], setters: dict[str, tuple[str, ...]]) -> list[CompiledRule]:
    """Each rule's subjects: the party it is to; the hire when it reads a hire fact; the application when it
    reads the application's kind.

    A case concerns a rule when it holds every subject the rule has (docs/results.md,
    "Which rules concern a case"). Derived facts are followed back to what sets them.
    """
    index = {r.id: r for r in ordered}
    out = []
    for rule in ordered:
        if rule.kind == "derive":
            out.append(rule)
            continue
        seen: set[str] = set()
        todo = list(rule.reads())
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen.add(path)
            if path.startswith("derived."):
                for rid in setters.get(path[len("derived.") :], ()):
                    if rid in index:
                        todo += index[rid].reads()
        concerns = {rule.to}
        if "application.kind" in seen:
            concerns.add("application")
        if any(p.startswith("hire.") for p in seen):
            concerns.add("hire")
        out.append(_replace(rule, concerns=frozenset(concerns)))
    return out


def _replace(rule: CompiledRule, **changes: Any) -> CompiledRule:
    from dataclasses import replace

    return replace(rule, **changes)


def _check_ledger(ctx: _Context, spec: PackSpec, sources: list[_Source], parent: Optional[CompiledPack]) -> None:
    own = {src.rule.id: src for src in sources if src.pack_id == spec.id}
    listed: set[str] = set()
    clauses: set[str] = set()
    for i, entry in enumerate(spec.ledger):
        if entry.clause in clauses:
            ctx.error("compile.clause_twice", ("ledger", i, "clause"), code="ledger", clause=entry.clause)
        clauses.add(entry.clause)
        for j, rid in enumerate(entry.rules):
            if rid not in own:
                ctx.error("compile.ledger_unknown_rule", ("ledger", i, "rules", j), code="ledger", rule=rid)
            listed.add(rid)
    records = _Records(spec, parent)
    for rid, src in own.items():
        if rid not in listed:
            ctx.error("compile.rule_not_in_ledger", src.path + ("id",), src.locator, "ledger", rule=rid)
        _check_cited(ctx, records, src.rule.citation, src.path + ("citation",), src.locator)
    for name, param in spec.parameters.items():
        _check_cited(ctx, records, param.citation, ("parameters", name, "citation"), None)
    bounds = {"from": spec.validity.from_, "until": spec.validity.until}
    for key, bound in bounds.items():
        if isinstance(bound, DatedBound):
            _check_cited(ctx, records, bound.citation, ("validity", key, "citation"), None)


class _Records:
    """Where a cited clause is recorded: the ledger of the pack whose document it is (this pack or an
    ancestor), or, for a document no pack encodes, an entry written ``<document> <clause>`` in a ledger
    of the chain (national_fund records 财税〔2018〕39号 一 so)."""

    def __init__(self, spec: PackSpec, parent: Optional[CompiledPack]) -> None:
        chain = [spec]
        pack = parent
        while pack is not None:
            chain.append(pack.spec)
            pack = pack.parent
        self.own_document = spec.document.number
        self.by_document: dict[str, dict[str, tuple[str, LedgerEntry]]] = {}
        self.written: dict[str, tuple[str, LedgerEntry]] = {}
        for s in chain:  # nearest first: a pack's own entry wins over an ancestor's
            for entry in s.ledger:
                self.by_document.setdefault(s.document.number, {}).setdefault(entry.clause, (s.id, entry))
                self.written.setdefault(entry.clause, (s.id, entry))

    def find(self, document: str, clause: str) -> Optional[tuple[str, LedgerEntry]]:
        return self.by_document.get(document, {}).get(clause) or self.written.get(f"{document} {clause}")


def _check_cited(ctx: _Context, records: _Records, c: Citation, path: PathKey, locator: Optional[Locator]) -> None:
    """Every citation, external or not, names a clause some ledger records; an external one's record says
    how sure its wording is (``confidence``), since no source text can confirm it."""
    document = c.document if c.document is not None else records.own_document
    if not c.clause.strip():
        ctx.error("compile.citation_clause", path + ("clause",), locator, "ledger")
        return
    found = records.find(document, c.clause)
    if found is None:
        key = "compile.cited_not_in_ledger" if document == records.own_document else "compile.cited_unrecorded"
        ctx.error(key, path + ("clause",), locator, "ledger", clause=c.clause, document=document)
    elif c.external and found[1].confidence is None:
        pack_id, entry = found
        ctx.error(
            "compile.external_confidence",
            path + ("clause",),
            locator,
            "ledger",
            document=document,
            clause=c.clause,
            entry=entry.clause,
            pack=pack_id,
        )


def _window(spec: PackSpec) -> tuple[Any, Any]:
    until = spec.validity.until
    return spec.validity.from_.date, until.date if isinstance(until, DatedBound) else None


def _check_validity(ctx: _Context, spec: PackSpec) -> None:
    start = spec.validity.from_.date
    end = spec.validity.until.date if isinstance(spec.validity.until, DatedBound) else None
    if end is not None and end < start:
        ctx.error("compile.validity_order", ("validity", "until"), code="validity")
    for name, param in spec.parameters.items():
        for i, v in enumerate(param.values):
            if end is not None and v.from_ > end:
                ctx.error("compile.value_after_validity", ("parameters", name, "values", i), code="validity", name=name)
