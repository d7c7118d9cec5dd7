"""Every result the shipped examples and case files give validates against the published result schema.

The schema is generated from the result model (``policyrules schema --result``,
docs/result.schema.json); jsonschema, not pydantic, checks the JSON, so a field
the JSON holds that the schema does not describe fails here.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import jsonschema
import pytest

from policyrules import load_case
from policyrules.check.casetests import find_test_files, load_test_file
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.interfaces.docgen import result_schema

from .conftest import ROOT

SCHEMA = json.loads(result_schema())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASE_FILES = find_test_files([ROOT / "rules"])


def _problems(text: str) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(json.loads(text))]


def test_the_schema_describes_every_result_field_and_is_published():
    assert set(SCHEMA["properties"]) >= {"validity", "not_granted", "questions", "defaults", "undetermined_elsewhere"}
    assert (ROOT / "docs" / "result.schema.json").read_text(encoding="utf-8") == result_schema()


def test_the_schema_rejects_what_a_result_never_holds():
    pack = load_pack("baotou")
    good = json.loads(evaluate(pack, load_case(ROOT / "examples" / "baotou-employer.yaml"), pack.valid_from).to_json())
    assert not _problems(json.dumps(good))
    bad = dict(good, validity=dict(good["validity"], in_force="yes"))
    assert any(p.startswith("validity/in_force") for p in _problems(json.dumps(bad)))
    bad = dict(good, surprise=1)
    assert _problems(json.dumps(bad))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_result_validates(path):
    name = path.stem.split("-")[0]
    packs = [load_pack(name)] if name != "employer" else [load_pack(n) for n in ("baotou", "jinan", "shanghai")]
    for pack in packs:
        for day in (pack.valid_from + timedelta(days=30), pack.valid_from - timedelta(days=1)):
            problems = _problems(evaluate(pack, load_case(path), day).to_json())
            assert not problems, f"{path.name} on {pack.id} as of {day}: {problems[:3]}"


def _unseen(text: str, seen: set[str]) -> str:
    """The result with list items already validated in an earlier result left out (entries repeat across cases)."""
    data = json.loads(text)
    for key, value in data.items():
        if isinstance(value, list):
            fresh = []
            for item in value:
                marker = json.dumps(item, sort_keys=True)
                if marker not in seen:
                    seen.add(marker)
                    fresh.append(item)
            data[key] = fresh
    return json.dumps(data)


def test_every_case_file_result_validates():
    failures = []
    seen: set[str] = set()
    for path in CASE_FILES:
        spec = load_test_file(path)
        pack = load_pack(spec.pack)
        for test in spec.tests:
            problems = _problems(_unseen(evaluate(pack, test.case, test.as_of).to_json(), seen))
            if problems:
                failures.append(f"{path.name}: {test.name}: {problems[:3]}")
    assert not failures, "\n".join(failures[:10])


def test_every_undecided_rule_names_its_party_so_a_portal_can_filter_by_it():
    """An HR system shows an employer only the unit's open questions: ``to`` is required and never null."""
    undetermined = SCHEMA["$defs"]["UndeterminedOut"]
    assert "to" in undetermined["required"] and undetermined["properties"]["to"]["enum"] == ["person", "unit"]
    pack = load_pack("baotou")
    result = evaluate(pack, load_case(ROOT / "examples" / "baotou-employer.yaml"), date(2024, 6, 1))
    both = result.undetermined + result.undetermined_elsewhere
    assert {u.to for u in result.undetermined} == {"unit"}  # the employer case: only the unit's rules
    assert {u.to for u in both} == {"person", "unit"}
    assert len(both) > 20


def test_explain_json_is_typed_and_validates_against_its_published_schema():
    from policyrules.engine.explain import explain
    from policyrules.interfaces.docgen import explain_schema

    assert (ROOT / "docs" / "explain.schema.json").read_text(encoding="utf-8") == explain_schema()
    validator = jsonschema.Draft202012Validator(json.loads(explain_schema()), format_checker=jsonschema.FormatChecker())
    pack = load_pack("baotou")
    report = json.loads(
        explain(pack, load_case(ROOT / "examples" / "baotou-employer.yaml"), pack.valid_from).model_dump_json()
    )
    assert not [e.message for e in validator.iter_errors(report)]
    fired = {r["rule"]: r["fired"] for r in report["rules"]}
    assert fired["reward.excess_quota"] is True and None in fired.values() and False in fired.values()
    assert all(isinstance(v, bool) or v is None for v in fired.values())
    bad = dict(report, rules=[dict(report["rules"][0], fired="true")])
    assert any(list(e.absolute_path)[-1] == "fired" for e in validator.iter_errors(bad))
