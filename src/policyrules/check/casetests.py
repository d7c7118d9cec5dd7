"""YAML test cases for packs: a case, a date, and the outcomes the text requires.

A test file looks like::

    pack: baotou
    tests:
      - name: 6 disabled among 200 staff earns the reward for 3 persons
        as_of: 2024-06-01
        case: {unit: {staff: 200, disabled_employees: 6, ...}, place: {...}}
        expect:
          outcomes:                       # rules that must fire, with the fields to check
            reward.excess_quota: {amount: {value: 9900, count: 3, total: 29700}}
          absent: [quota.public_sector.duty]   # rules (outcomes or exclusions) that must not fire
          absent_topics: [lowbao.phase_out]    # topics with no outcome, fired or undecided
          excluded: [reward.excess_quota.not_fiscal]  # exclusion rules that must fire
          undetermined: [subsidy.graduate_hire]       # rules left undecided (or rule -> fields to check)
          derived: {excess_persons: 3}
          in_force: true
          validity: {valid_from_certainty: stated}      # fields of result.validity
          not_granted:                                  # rules that concern the case and give nothing
            quota.soe_report: {reason: condition, decisive: {text: "unit.kind == 'state_owned_enterprise'"}}
          undetermined_exactly: [quota.federation_staff.duty]  # the whole undetermined list (any order)
          questions: [unit.admin_level]                 # the first questions, in rank order

Only the fields written under ``expect`` are checked; numbers compare as
exact decimals. ``policyrules test`` runs these files and pytest collects
the same files (tests/test_pack_cases.py), so they are written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import BaseModel, Field

from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.engine.result import Result
from policyrules.engine.words import value_word, word
from policyrules.errors import CaseError, InputError, Phrase
from policyrules.facts.case import Case
from policyrules.reading.validate import validate_model
from policyrules.reading.yamlsource import read_document
from policyrules.types import DEFAULT_LANG, STRICT, IsoDate, Lang


class Expect(BaseModel):
    model_config = STRICT
    outcomes: dict[str, dict[str, Any]] = {}
    absent: list[str] = []
    absent_topics: list[str] = []
    excluded: list[str] = []
    undetermined: Union[list[str], dict[str, dict[str, Any]]] = []  # rule ids, or rule id -> fields to check
    derived: dict[str, Any] = {}
    in_force: Optional[bool] = None
    validity: dict[str, Any] = {}
    not_granted: dict[str, dict[str, Any]] = {}
    undetermined_exactly: Optional[list[str]] = None
    questions: list[str] = []


class CaseTest(BaseModel):
    model_config = STRICT
    name: str
    as_of: IsoDate
    case: Case
    expect: Expect


class CaseTestFile(BaseModel):
    model_config = STRICT
    pack: str
    tests: list[CaseTest] = Field(min_length=1)


@dataclass
class Outcome:
    file: str
    name: str
    failures: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)  # "rule [clause]" of what fired, for the report

    @property
    def passed(self) -> bool:
        return not self.failures


def load_test_file(path: Path) -> CaseTestFile:
    try:
        doc = read_document(path)
    except InputError as exc:
        raise CaseError(exc.problems) from None
    return validate_model(CaseTestFile, doc, CaseError)


def run_test_file(path: Path, lang: Lang = DEFAULT_LANG) -> list[Outcome]:
    """Run a test file's cases; failures are said in ``lang`` (the pack speaks Chinese, as the cases expect)."""
    spec = load_test_file(path)
    pack = load_pack(spec.pack)
    out = []
    exclusion = word("kind.exclusion", lang)
    for test in spec.tests:
        result = evaluate(pack, test.case, test.as_of)
        outcome = Outcome(str(path), test.name, check(result, test.expect, set(pack.rule_index), lang))
        outcome.fired = [
            f"{o.rule} [{o.citation.clause}]" for o in (*result.entitlements, *result.obligations, *result.sanctions)
        ] + [f"{x.rule} ({exclusion}) [{x.citation.clause}]" for x in result.exclusions]
        out.append(outcome)
    return out


def _fired(result: Result) -> dict[str, Any]:
    return {o.rule: o for o in (*result.entitlements, *result.obligations, *result.sanctions)}


def check(result: Result, expect: Expect, known_rules: set[str], lang: Lang = DEFAULT_LANG) -> list[str]:
    """Every difference between the result and what is expected, one line each, in ``lang``."""
    failures: list[str] = []

    def fail(key: str, **fields: Any) -> None:
        failures.append(Phrase.of(f"test.{key}", **fields).text(lang))

    def listed(names: list[str]) -> Any:
        return names or Phrase("none")

    named = [
        *expect.outcomes,
        *expect.absent,
        *expect.excluded,
        *expect.undetermined,
        *expect.not_granted,
        *(expect.undetermined_exactly or []),
    ]
    for rid in named:
        if rid not in known_rules:
            fail("no_rule", rule=rid, pack=result.pack)
    if expect.in_force is not None and result.validity.in_force != expect.in_force:
        fail("expected", where="in_force", want=_show(expect.in_force, lang), got=_show(result.validity.in_force, lang))
    fired = _fired(result)
    undetermined = {u.rule: u for u in result.undetermined}
    exclusions = {x.rule for x in result.exclusions}
    for rid, fields in expect.outcomes.items():
        got = fired.get(rid)
        if got is None:
            withheld = [x.rule for x in result.exclusions if rid in x.withheld]
            if withheld:
                why = Phrase.of("test.why.withheld", rules=", ".join(withheld))
            elif rid in undetermined:
                why = Phrase.of("test.why.undecided", missing=", ".join(undetermined[rid].missing))
            else:
                why = Phrase("test.why.not_fired")
            fail("expected_to_fire", rule=rid, why=why)
            continue
        failures += _compare(rid, fields, got.model_dump(mode="python"), lang)
    applied_exclusion_rules = {x.rule for x in result.exclusions if x.reason == "rule"}
    for rid in expect.absent:
        if rid in fired or rid in applied_exclusion_rules:
            fail("expected_absent", rule=rid)
    for topic in expect.absent_topics:
        hits = [o.rule for o in fired.values() if o.topic == topic] + [
            u.rule for u in undetermined.values() if u.topic == topic
        ]
        if hits:
            fail("topic_absent", topic=topic, rules=", ".join(hits))
    for rid in expect.excluded:
        if rid not in exclusions:
            fail("expected_excluded", rule=rid)
    for rid in expect.undetermined:
        if rid not in undetermined:
            fail("expected_undecided", rule=rid)
        elif isinstance(expect.undetermined, dict):
            failures += _compare(f"undetermined {rid}", expect.undetermined[rid], undetermined[rid].model_dump(), lang)
    if expect.validity:
        failures += _compare("validity", expect.validity, result.validity.model_dump(mode="python"), lang)
    refused = {g.rule: g for g in result.not_granted}
    for rid, fields in expect.not_granted.items():
        if rid not in refused:
            state = "fired" if rid in fired else "undecided" if rid in undetermined else "not_listed"
            fail("expected_refused", rule=rid, state=Phrase(f"test.state.{state}"))
        else:
            failures += _compare(f"not_granted {rid}", fields, refused[rid].model_dump(mode="python"), lang)
    if expect.undetermined_exactly is not None and sorted(undetermined) != sorted(expect.undetermined_exactly):
        extra = sorted(set(undetermined) - set(expect.undetermined_exactly))
        lacking = sorted(set(expect.undetermined_exactly) - set(undetermined))
        fail("undetermined", extra=listed(extra), lacking=listed(lacking))
    asked = [q.fact for q in result.questions[: len(expect.questions)]]
    if expect.questions and asked != expect.questions:
        fail("questions", want=expect.questions, got=asked)
    for name, want in expect.derived.items():
        if name not in result.derived:
            fail("no_derived", name=name)
        elif not _equal(want, result.derived[name]):
            fail("expected", where=f"derived.{name}", want=_show(want, lang), got=_show(result.derived[name], lang))
    return failures


def _compare(where: str, want: Any, got: Any, lang: Lang) -> list[str]:
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [word("test.expected_mapping", lang, where=where, got=repr(got))]
        out = []
        for key, value in want.items():
            if key not in got:
                out.append(word("test.no_field", lang, where=f"{where}.{key}"))
            else:
                out += _compare(f"{where}.{key}", value, got[key], lang)
        return out
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got) or any(not _equal(w, g) for w, g in zip(want, got)):
            return [word("test.expected", lang, where=where, want=repr(want), got=repr(got))]
        return []
    if _equal(want, got):
        return []
    return [word("test.expected", lang, where=where, want=_show(want, lang), got=_show(got, lang))]


def _equal(want: Any, got: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return want is got or want == got and type(want) is type(got)
    if isinstance(want, (int, Decimal)) and isinstance(got, (int, Decimal)):
        return Decimal(want) == Decimal(got)
    if isinstance(got, date) and isinstance(want, str):
        return got.isoformat() == want
    return bool(want == got)


def _show(value: Any, lang: Lang) -> str:
    if isinstance(value, bool) and lang == "zh":
        return value_word(value, lang)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value)


def find_test_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(q for q in p.rglob("*.yaml") if _is_test_file(q))
        else:
            files.append(p)
    return files


def _is_test_file(path: Path) -> bool:
    # Pack files and the topic list live beside test files under rules/; test files start with 'pack:'.
    # A file that cannot be read as text might be either: it is kept, so that running it names the problem.
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD_BYTES)
    except OSError:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the head
            return True
        text = head[: exc.start].decode("utf-8")
    if _BINARY.search(text):
        return True
    lines = text.lstrip("\ufeff").lstrip().splitlines()[:20]
    return any(line.startswith("pack:") for line in lines if not line.startswith("#"))


_HEAD_BYTES = 4096
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters: not a text file
