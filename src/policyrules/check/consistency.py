"""Static consistency checks of a pack: what a type checker would tell a pack author.

Each finding has a code, a severity, the rule, file and line, and one line of
explanation; conflicts come with a concrete case that shows them. The codes:

errors   yaml, schema, expression, unit, topic, ledger, cycle, reference,
         layering, validity, range (the pack does not load);
         unsatisfiable (a condition that can never hold), conflict (two rules
         set one derived fact differently for the same case), overlap (two
         rules give the same topic differently for the same case without
         declaring ``alongside``), quote-not-found, never-set (a derived fact
         no rule sets), cap-not-positive.
warnings always-true (a condition that cannot fail, other than a literal
         ``true``), unused-derived, unused-parameter, deadline-before-validity.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Literal, Optional, Protocol

from pydantic import ValidationError

from policyrules.engine.evaluator import Run, initial_env, run_rules
from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.errors import InputError, Phrase, PolicyRulesError, Problem
from policyrules.expr import Unknown
from policyrules.expr import nodes as n
from policyrules.facts.case import Case
from policyrules.facts.vocabulary import case_facts
from policyrules.types import DEFAULT_LANG, Lang, exact

from . import analysis
from .citations import verify
from .ledger_reasons import reason_problems

Severity = Literal["error", "warning"]
ERRORS_ON_LOAD = (
    "yaml",
    "schema",
    "expression",
    "unit",
    "topic",
    "ledger",
    "cycle",
    "reference",
    "layering",
    "validity",
    "range",
)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    pack: str
    rule: Optional[str]
    file: str
    line: Optional[int]
    message: str  # in the language the pack was checked in
    case: Optional[dict[str, Any]] = field(default=None, compare=False)
    # the message as data: a phrase of engine.words, or for a load error the reader's Problem
    phrase: Optional[Phrase] = field(default=None, compare=False)
    problem: Optional[Problem] = field(default=None, compare=False)

    def said(self, lang: Lang) -> str:
        """The message in ``lang``."""
        if self.phrase is not None:
            return self.phrase.text(lang)
        return self.problem.text(lang) if self.problem is not None else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "pack": self.pack,
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "phrase": None if self.phrase is None else self.phrase.as_dict(),
            "case": self.case,
        }


def check_pack(name_or_path: str | Path, sources: Optional[Path] = None, lang: Lang = DEFAULT_LANG) -> list[Finding]:
    """Load a pack and check it, saying what is found in ``lang``; load errors come back as findings, not exceptions."""
    try:
        pack = load_pack(name_or_path, lang)
    except InputError as exc:
        return [
            Finding(p.code, "error", str(name_or_path), None, p.location.file, p.location.line, p.text(lang), problem=p)
            for p in exc.problems
        ]
    except PolicyRulesError as exc:
        return [Finding("reference", "error", str(name_or_path), None, str(name_or_path), None, exc.text(lang))]
    return check(pack, sources)


class _Loaded(Protocol):
    """A loaded pack as ``policyrules.load_pack`` returns it."""

    @property
    def compiled(self) -> CompiledPack: ...


@exact
def check(pack: CompiledPack | _Loaded, sources: Optional[Path] = None) -> list[Finding]:
    """Findings for a pack: a ``policyrules.Pack`` or the compiled pack it holds, said in the pack's language."""
    if not isinstance(pack, CompiledPack):
        pack = pack.compiled
    own = [r for r in pack.rules if r.pack_id == pack.id]
    findings: list[Finding] = []
    for rule in own:
        findings += _condition_findings(pack, rule)
        findings += _amount_findings(pack, rule)
    findings += _pair_findings(pack, own)
    findings += _usage_findings(pack)
    if sources is not None:
        for problem in verify(pack, sources):
            rule = pack.rule_index.get(problem.where)
            said = Phrase.of("check.in_clause", clause=problem.clause, message=problem.phrase)
            findings.append(_finding(pack, rule, "quote-not-found", "error", said))
        for reason in reason_problems(pack, sources):
            file = pack.source_path or pack.id
            line = _ledger_line(pack, reason.clause)
            findings.append(
                Finding("ledger-reason", "error", pack.id, None, file, line, reason.message, phrase=reason.phrase)
            )
    return findings


def _ledger_line(pack: CompiledPack, clause: str) -> Optional[int]:
    """The line of a ledger entry in the pack file (the compiled pack keeps no locations for the ledger)."""
    if pack.source_path is None or not Path(pack.source_path).is_file():
        return None
    lines = Path(pack.source_path).read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("ledger:")), None)
    if start is None:
        return None
    for i in range(start, len(lines)):
        if re.search(rf"clause:\s*{re.escape(clause)}\s*($|[,}}])", lines[i]):
            return i + 1
    return None


def _finding(
    pack: CompiledPack, rule: Optional[CompiledRule], code: str, severity: Severity, phrase: Phrase, case: Any = None
) -> Finding:
    loc = rule.defined_at if rule is not None else None
    return Finding(
        code,
        severity,
        pack.id,
        rule.id if rule else None,
        loc.file if loc else (pack.source_path or pack.id),
        loc.line if loc else None,
        phrase.text(pack.lang),
        case,
        phrase,
    )


def _condition_findings(pack: CompiledPack, rule: CompiledRule) -> list[Finding]:
    node = rule.when.node
    if analysis.satisfiable(node) is False:
        said = Phrase.of("check.unsatisfiable", condition=rule.when.text.strip())
        return [_finding(pack, rule, "unsatisfiable", "error", said)]
    literal_true = rule.when.text.strip() == "true"
    if not literal_true and analysis.satisfiable(node, negate=True) is False:
        said = Phrase.of("check.always_true", condition=rule.when.text.strip())
        return [_finding(pack, rule, "always-true", "warning", said)]
    return []


def _amount_findings(pack: CompiledPack, rule: CompiledRule) -> list[Finding]:
    a = rule.amount
    if a is None or a.cap is None:
        return []

    node = a.cap.node
    if isinstance(node, n.Literal) and not isinstance(node.value, (bool, str, date)) and node.value <= 0:
        said = Phrase.of("check.cap_not_positive", cap=node.value)
        return [_finding(pack, rule, "cap-not-positive", "error", said)]
    return []


def _pair_findings(pack: CompiledPack, own: list[CompiledRule]) -> list[Finding]:
    findings: list[Finding] = []
    for a, b in itertools.combinations(own, 2):
        if a.kind == "derive" and b.kind == "derive":
            if a.derive_fact != b.derive_fact or a.derive_fact in pack.has_precedence:
                continue
            case = _find_case(pack, [a, b], lambda run: _differ(run, a, b))
            if case is not None:
                findings.append(
                    _finding(
                        pack,
                        b,
                        "conflict",
                        "error",
                        Phrase.of("check.conflict", a=a.id, b=b.id, fact=a.derive_fact),
                        case,
                    )
                )
        elif (
            a.kind == b.kind
            and a.kind in ("entitlement", "obligation", "sanction")
            and a.topic == b.topic
            and a.to == b.to
        ):
            if b.id in a.alongside or a.id in b.alongside:
                continue
            case = _find_case(pack, [a, b], lambda run: _both_fire(run, a, b))
            if case is not None:
                findings.append(
                    _finding(
                        pack,
                        b,
                        "overlap",
                        "error",
                        Phrase.of("check.overlap", a=a.id, b=b.id, topic=a.topic),
                        case,
                    )
                )
    return findings


def _differ(run: Run, a: CompiledRule, b: CompiledRule) -> bool:
    if run.conditions.get(a.id) is not True or run.conditions.get(b.id) is not True:
        return False
    va = a.derive_value.fn(run.env)  # type: ignore[union-attr]
    vb = b.derive_value.fn(run.env)  # type: ignore[union-attr]
    return Unknown not in (va.__class__, vb.__class__) and va != vb


def _both_fire(run: Run, a: CompiledRule, b: CompiledRule) -> bool:
    return run.conditions.get(a.id) is True and run.conditions.get(b.id) is True


def _usage_findings(pack: CompiledPack) -> list[Finding]:
    findings: list[Finding] = []
    read = {p for rule in pack.rules for p in rule.reads()}
    own_derived = set(pack.spec.derived)
    for name in sorted(own_derived):
        if name not in pack.setters:
            findings.append(_finding(pack, None, "never-set", "error", Phrase.of("check.never_set", name=name)))
        elif f"derived.{name}" not in read:
            said = Phrase.of("check.unused_derived", name=name)
            findings.append(_finding(pack, None, "unused-derived", "warning", said))
    for name in sorted(pack.spec.parameters):
        if f"param.{name}" not in read:
            said = Phrase.of("check.unused_parameter", name=name)
            findings.append(_finding(pack, None, "unused-parameter", "warning", said))
    for rule in pack.rules:
        deadline = rule.outcome.deadline if rule.outcome else None
        if rule.pack_id == pack.id and deadline is not None and deadline < pack.valid_from:
            findings.append(
                _finding(
                    pack,
                    rule,
                    "deadline-before-validity",
                    "warning",
                    Phrase.of("check.deadline_before_validity", deadline=deadline, valid_from=pack.valid_from),
                )
            )
    return findings


# ---- finding a concrete case ---------------------------------------------------

_DEFAULT_NUMBERS = (0, 1, 2, 3, 5, 12, 49, 50, 66, 67, 100, 200, 1000)


def _pool(pack: CompiledPack, path: str) -> list[Any]:
    info = case_facts()[path]
    t = info.type
    if t.kind == "bool":
        return [True, False]
    if t.kind == "string":
        return sorted(t.choices) if t.choices else ["x"]
    if t.kind == "date":
        start = pack.valid_from
        return [start - timedelta(days=800), start - timedelta(days=370), start - timedelta(days=30), start]
    values = set(_DEFAULT_NUMBERS) | analysis.thresholds([r.when.node for r in pack.rules]).get(path, set())
    if info.integer:
        values = {int(v) for v in values if v == int(v)}
    return sorted(v for v in values if v >= 0)


def _find_case(
    pack: CompiledPack, rules: list[CompiledRule], predicate: Callable[[Run], bool], tries: int = 3000
) -> Optional[dict[str, Any]]:
    """A case (as nested data) on which ``predicate`` holds, searched from the rules' own thresholds."""
    facts = case_facts()
    inputs = sorted(p for p in pack.inputs_of(rules) if p in facts)
    if not inputs:
        return None
    pools = {p: _pool(pack, p) for p in inputs}
    seeds = analysis.witnesses(analysis.both(rules[0].when.node, rules[1].when.node))
    rng = random.Random(0)
    day = pack.valid_from
    for i in range(tries):
        flat = {p: rng.choice(pools[p]) for p in inputs}
        if seeds:
            flat.update({k: v for k, v in seeds[i % len(seeds)].items() if k in pools and v is not None})
        case = _nest(flat)
        try:
            typed = Case.model_validate(case)
        except ValidationError:
            continue
        run = run_rules(pack, initial_env(pack, typed, day))
        if predicate(run):
            return {"as_of": day.isoformat(), **case}
    return None


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        cur = out
        parts = path.split(".")
        for part in parts[:-1]:
            cur = cur.setdefault(part, {})
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() and case_facts()[path].integer else str(value)
        cur[parts[-1]] = value
    return out
