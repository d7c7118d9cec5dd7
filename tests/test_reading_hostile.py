"""Hostile and odd input files: a clean, located error, never a traceback.

Each test is a reproducer from the reliability audit (D1–D7, D15–D17); YAML
ones run on both parsers (libyaml and pure Python). How long refusing them
takes is measured by benchmarks/hostile.py, not asserted here.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from policyrules.errors import CaseError, InputError
from policyrules.facts.casefile import load_cases
from policyrules.reading import yamlsource
from policyrules.reading.jsonsource import parse_json
from policyrules.reading.limits import CASE_LIMITS, PACK_LIMITS
from policyrules.reading.yamlsource import parse_yaml

PARSERS = [pytest.param(False, id="pure-python")] + ([pytest.param(True, id="libyaml")] if yamlsource.LIBYAML else [])


def _case_file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _one_error(exc: InputError):
    assert exc.problems, "an error without problems"
    return exc.problems[0]


# D1: odd scalars


@pytest.mark.parametrize("libyaml", PARSERS)
@pytest.mark.parametrize("scalar", ["._", "-._", "0b_", "0x_", "1_000", "1:30", "0x1F", ".inf"])
def test_odd_scalars_are_text_and_refused_as_numbers(tmp_path, libyaml, scalar):
    doc = parse_yaml(f"a: {scalar}\n", "x.yaml", libyaml=libyaml)
    assert doc.data == {"a": scalar}  # never an integer in another base, never an exception
    path = _case_file(tmp_path, "c.yaml", f"place:\n  monthly_minimum_wage: {scalar}\n")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    problem = _one_error(info.value)
    assert problem.location.line == 2 and "monthly_minimum_wage" in problem.message


@pytest.mark.parametrize("libyaml", PARSERS)
def test_a_5000_digit_integer_is_refused_with_its_line(libyaml):
    with pytest.raises(InputError) as info:
        parse_yaml("unit:\n  staff: " + "9" * 5000 + "\n", "x.yaml", CASE_LIMITS, libyaml=libyaml)
    problem = _one_error(info.value)
    assert "number longer than" in problem.message and problem.location.line == 2


def test_a_5000_digit_json_integer_is_refused_with_its_line():
    with pytest.raises(InputError) as info:
        parse_json('{"unit":\n {"staff": ' + "9" * 5000 + "}}", "x.json")
    problem = _one_error(info.value)
    assert "number longer than" in problem.message and (problem.location.line, problem.location.column) == (2, 12)


# D2: control characters


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_control_character_is_refused_with_line_and_column(tmp_path, suffix):
    text = "place:\n  district: a\x07b\n" if suffix == ".yaml" else '{"place":\n {"district": "a\x07b"}}'
    with pytest.raises(CaseError) as info:
        policyrules.load_case(_case_file(tmp_path, "c" + suffix, text))
    problem = _one_error(info.value)
    assert "control character" in problem.message and problem.location.line == 2


# D3: nesting


@pytest.mark.parametrize("libyaml", PARSERS)
def test_deep_yaml_nesting_is_refused_quickly(tmp_path, libyaml):
    for depth in (1000, 100_000):
        with pytest.raises(InputError) as info:
            parse_yaml("unit: " + "[" * depth + "]" * depth + "\n", "d.yaml", CASE_LIMITS, libyaml=libyaml)
        problem = _one_error(info.value)
        assert "nest" in problem.message and problem.location.line == 1


def test_deep_json_nesting_is_refused(tmp_path):
    with pytest.raises(CaseError) as info:
        policyrules.load_case(_case_file(tmp_path, "d.json", "[" * 5000 + "]" * 5000))
    assert "nested more than" in _one_error(info.value).message


# D5: alias bombs


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append(f"unit: *a{levels}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("libyaml", PARSERS)
@pytest.mark.parametrize("levels", [6, 9, 14])
def test_alias_bombs_are_refused_before_expanding(libyaml, levels):
    text = _bomb(levels)
    assert len(text.encode()) <= 1024 or levels == 14
    for limits in (PACK_LIMITS, CASE_LIMITS):
        with pytest.raises(InputError) as info:
            parse_yaml(text, "bomb.yaml", limits, libyaml=libyaml)
        problem = _one_error(info.value)
        assert "alias" in problem.message
        # refused at the first alias that would repeat too much: line 2 in a case, line 4 (*a2, 1,111 values) in a pack
        assert problem.location.line == (2 if limits is CASE_LIMITS else 4)


def test_a_repeated_big_list_is_refused():
    text = "a: &a [" + ", ".join(["x"] * 2000) + "]\nb: [" + ", ".join(["*a"] * 2000) + "]\n"
    with pytest.raises(InputError, match="repeats 2,001 values"):
        parse_yaml(text, "big.yaml")


def test_packs_may_share_a_small_anchored_list_and_cases_may_not(tmp_path):
    text = "n: &notes [one, two]\nm: *notes\n"
    doc = parse_yaml(text, "p.yaml", PACK_LIMITS)
    assert doc.data == {"n": ["one", "two"], "m": ["one", "two"]}
    assert doc.location(("m", 1)).line == 1  # an aliased value points at where it is written
    with pytest.raises(InputError, match="aliases .* are not allowed"):
        parse_yaml(text, "c.yaml", CASE_LIMITS)


# D6: YAML 1.1 integers


@pytest.mark.parametrize("libyaml", PARSERS)
def test_leading_zeros_and_base_60_are_never_integers(tmp_path, libyaml):
    with pytest.raises(InputError) as info:
        parse_yaml("unit:\n  staff: 0200\n  disabled_employees: 010\n", "o.yaml", libyaml=libyaml)
    assert [p.location.line for p in info.value.problems] == [2, 3]
    assert "leading zero" in info.value.problems[0].message
    path = _case_file(tmp_path, "o.yaml", "place:\n  monthly_minimum_wage: 1:30\n")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    assert _one_error(info.value).location.line == 2


@pytest.mark.parametrize("libyaml", PARSERS)
def test_yaml_12_numbers_are_read_exactly(libyaml):
    doc = parse_yaml("a: 0\nb: -7\nc: 1.\nd: 1e3\ne: .5\nf: '0200'\ng: 1980.00\n", "n.yaml", libyaml=libyaml)
    assert doc.data == {
        "a": 0,
        "b": -7,
        "c": Decimal("1"),
        "d": Decimal("1e3"),
        "e": Decimal("0.5"),
        "f": "0200",
        "g": Decimal("1980.00"),
    }
    assert type(doc.data["a"]) is int and type(doc.data["c"]) is Decimal


# D7 and D16: JSON duplicate keys, JSON positions


def test_json_duplicate_keys_are_refused_with_their_line(tmp_path):
    path = _case_file(
        tmp_path, "d.json", '{"unit": {"staff": 200,\n "disabled_employees": 6, "disabled_employees": 2}}'
    )
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    problem = _one_error(info.value)
    assert "duplicate key 'disabled_employees'" in problem.message
    assert (problem.location.line, problem.location.column) == (2, 27)
    whole = _case_file(tmp_path, "w.json", '{"unit": {"staff": 1},\n "unit": {"staff": 2}}')
    with pytest.raises(CaseError, match="duplicate key 'unit'"):
        policyrules.load_case(whole)


def test_json_schema_errors_name_their_line(tmp_path):
    path = _case_file(
        tmp_path, "d16.json", '{\n  "unit": {\n    "kind": "private_enterprise",\n    "staf": 200\n  }\n}\n'
    )
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    problem = _one_error(info.value)
    assert "unknown key 'staf'" in problem.message and (problem.location.line, problem.location.column) == (4, 5)


def test_an_unknown_yaml_key_points_at_the_key(tmp_path):
    path = _case_file(tmp_path, "k.yaml", "unit:\n  staf: 200\n")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    assert (_one_error(info.value).location.line, _one_error(info.value).location.column) == (2, 3)


def test_invalid_json_names_line_and_column():
    with pytest.raises(InputError) as info:
        parse_json('{"a": 1,\n "b": }', "x.json")
    problem = _one_error(info.value)
    assert (problem.location.line, problem.location.column) == (2, 7) and "invalid JSON" in problem.message


def test_json_numbers_are_exact_and_strings_are_checked():
    doc = parse_json('{"a": 0.1, "b": 3, "c": 1e2, "d": [true, null, "x"]}', "x.json")
    assert doc.data == {"a": Decimal("0.1"), "b": 3, "c": Decimal("1e2"), "d": [True, None, "x"]}
    with pytest.raises(InputError, match="lone surrogate"):
        parse_json('{"district": "\\ud800"}', "s.json")
    for bad in ('{"a": 01}', '{"a": .5}', "{'a': 1}", '{"a": 1,}', '{"a": NaN}', "[1] [2]"):
        with pytest.raises(InputError):
            parse_json(bad, "x.json")


# D16: undecodable bytes and empty packs


def test_undecodable_bytes_name_line_and_column(tmp_path):
    path = _case_file(tmp_path, "c.yaml", b"unit:\n  kind: caf\xe9\n")
    with pytest.raises(CaseError) as info:
        policyrules.load_case(path)
    problem = _one_error(info.value)
    assert (problem.location.line, problem.location.column) == (2, 12) and "UTF-8" in problem.message


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_pack_names_its_first_line(tmp_path, text):
    path = _case_file(tmp_path, "empty.yaml", text)
    with pytest.raises(policyrules.PackError) as info:
        policyrules.load_pack(path)
    assert _one_error(info.value).location.line == 1


# BOM in all three formats


def test_a_utf8_bom_is_accepted_in_yaml_json_and_csv(tmp_path):
    bom = "\ufeff"
    y = policyrules.load_case(_case_file(tmp_path, "c.yaml", bom + "unit:\n  staff: 5\n"))
    j = policyrules.load_case(_case_file(tmp_path, "c.json", bom + '{"unit": {"staff": 5}}'))
    (c,) = load_cases(_case_file(tmp_path, "c.csv", bom + "unit.staff\n5\n"))
    assert y.unit.staff == j.unit.staff == c.unit.staff == 5


# D15: CSV strictness


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("unit.staff,unit.staff\n10,200\n", "appears twice"),
        ("unit.staff\n２００\n", "not a number"),
        ("unit.staff\n١٩٨٠\n", "not a number"),
        ("unit.staff\n1_000\n", "not a number"),
        ("place.monthly_minimum_wage\n1_980\n", "not a number"),
        ('unit.kind,unit.staff\n"private_enterprise,5\n', "cannot read CSV"),
    ],
)
def test_csv_is_read_strictly(tmp_path, text, fragment):
    with pytest.raises(CaseError) as info:
        load_cases(_case_file(tmp_path, "d.csv", text))
    assert fragment in _one_error(info.value).message and _one_error(info.value).location.line is not None


# D17: size and special files


def test_big_files_are_refused_before_reading_them(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * (CASE_LIMITS.max_bytes + 10) + "\n")
    with pytest.raises(CaseError, match="larger than the limit"):
        policyrules.load_case(path)
    with pytest.raises(CaseError, match="larger than the limit"):
        policyrules.load_case("/dev/zero")


def test_a_fifo_without_a_writer_does_not_block(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CaseError):  # returns at once: the read sees end of file
        policyrules.load_case(fifo)


def test_long_strings_are_refused_in_cases(tmp_path):
    with pytest.raises(CaseError, match="string longer than"):
        policyrules.load_case(_case_file(tmp_path, "s.yaml", "place:\n  district: " + "x" * 20_000 + "\n"))


def test_problems_are_capped(tmp_path):
    text = "unit:\n" + "".join(f"  k{i}: 1\n" for i in range(500))
    with pytest.raises(CaseError) as info:
        policyrules.load_case(_case_file(tmp_path, "many.yaml", text))
    assert len(info.value.problems) == 100 and "more problems" in info.value.problems[-1].message


# libyaml and the pure-Python parser agree


@pytest.mark.skipif(not yamlsource.LIBYAML, reason="PyYAML built without libyaml")
def test_libyaml_and_pure_python_give_identical_documents():
    from policyrules.pack.files import rules_dir

    paths = sorted(rules_dir().glob("*.yaml")) + sorted(Path("tests").rglob("*.yaml"))
    assert len(paths) > 8
    for path in paths:
        text = path.read_text(encoding="utf-8")
        try:
            c = parse_yaml(text, str(path), libyaml=True)
        except InputError as exc:  # a fixture that is broken on purpose: broken at the same line both ways
            with pytest.raises(InputError) as info:
                parse_yaml(text, str(path), libyaml=False)
            assert [p.location.line for p in exc.problems] == [p.location.line for p in info.value.problems]
            continue
        p = parse_yaml(text, str(path), libyaml=False)
        assert c.data == p.data and c.positions == p.positions and c.keys == p.keys, path
    for bad in ("a: [1, 2\n", "a: 1\na: 2\n", "a: !!python/name:os.system x\n", "a: b: c\n", "- a\nb: 1\n"):
        errors = []
        for libyaml in (True, False):
            with pytest.raises(InputError) as info:
                parse_yaml(bad, "bad.yaml", libyaml=libyaml)
            errors.append([p.location.line for p in info.value.problems])
        assert errors[0] == errors[1], bad
