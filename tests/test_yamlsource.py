"""The YAML reader: no silent surprises from PyYAML."""

from decimal import Decimal

import pytest

from policyrules.errors import InputError
from policyrules.reading.yamlsource import parse_yaml


def test_duplicate_keys_are_refused_with_their_line():
    with pytest.raises(InputError) as info:
        parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
    (problem,) = info.value.problems
    assert "duplicate key 'a'" in problem.message
    assert problem.location.line == 3


def test_yaml_11_booleans_and_dates_stay_text():
    doc = parse_yaml("a: NO\nb: yes\nc: true\nd: 2023-01-01\n", "x.yaml")
    assert doc.data == {"a": "NO", "b": "yes", "c": True, "d": "2023-01-01"}


def test_fractions_are_decimals():
    doc = parse_yaml("rate: 0.015\nn: 3\n", "x.yaml")
    assert doc.data["rate"] == Decimal("0.015") and isinstance(doc.data["rate"], Decimal)
    assert doc.data["n"] == 3


def test_merge_keys_and_bad_syntax_are_refused():
    with pytest.raises(InputError, match="merge keys"):
        parse_yaml("base: &b {x: 1}\nc:\n  <<: *b\n", "x.yaml")
    with pytest.raises(InputError) as info:
        parse_yaml("a: [1, 2\n", "x.yaml")
    assert info.value.problems[0].location.line is not None


def test_no_python_objects():
    with pytest.raises(InputError):
        parse_yaml("a: !!python/object/apply:os.system ['true']\n", "x.yaml")


def test_positions_point_into_block_scalars():
    text = "when: |\n  a and\n  bb == 1\n"
    doc = parse_yaml(text, "x.yaml")
    loc = doc.location_in_scalar(("when",), doc.data["when"].index("bb"))
    assert (loc.line, loc.column) == (3, 3)
