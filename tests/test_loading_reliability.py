"""Loading packs: parent cycles refused before loading (D4), the cache keyed by content (D13), as_of checked (D14)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

import policyrules
from policyrules.engine.loading import load_pack
from policyrules.pack.files import rules_dir

NATIONAL = rules_dir() / "national_2025.yaml"


def test_a_pack_that_is_its_own_parent_is_refused_with_its_line(tmp_path):
    text = (
        NATIONAL.read_text(encoding="utf-8")
        .replace("parent: national_fund\n", "", 1)
        .replace("id: national_2025\n", "id: selfparent\nparent: selfparent\n", 1)
    )
    path = tmp_path / "selfparent.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(policyrules.PackError) as info:
        load_pack(path)
    (problem,) = info.value.problems
    assert "cannot inherit from itself" in problem.message and problem.location.line is not None


def test_a_parent_cycle_is_refused_naming_the_chain(tmp_path):
    text = NATIONAL.read_text(encoding="utf-8").replace("parent: national_fund\n", "", 1)
    for me, other in (("a", "b"), ("b", "a")):
        (tmp_path / f"{me}.yaml").write_text(
            text.replace("id: national_2025\n", f"id: {me}\nparent: {other}\n", 1), encoding="utf-8"
        )
    with pytest.raises(policyrules.PackError) as info:
        load_pack(tmp_path / "a.yaml")
    assert "a → b → a" in info.value.problems[0].message


def test_a_file_replaced_with_its_old_mtime_is_read_again(tmp_path):
    path = tmp_path / "baotou.yaml"
    path.write_text((rules_dir() / "baotou.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    st = os.stat(path)
    before = load_pack(path)
    path.write_text(path.read_text(encoding="utf-8").replace("value: 0.015", "value: 0.5", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = load_pack(path)
    assert after.content_hash != before.content_hash
    assert load_pack(path) is after  # and unchanged content is served from the cache


def test_a_changed_parent_changes_the_child(tmp_path):
    for name in ("national_2025", "jilin"):
        (tmp_path / f"{name}.yaml").write_text((rules_dir() / f"{name}.yaml").read_text(encoding="utf-8"), "utf-8")
    child = load_pack(tmp_path / "jilin.yaml")
    parent = tmp_path / "national_2025.yaml"
    parent.write_text(parent.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = load_pack(tmp_path / "jilin.yaml")
    assert again is not child and again.content_hash != child.content_hash


@pytest.mark.parametrize("as_of", [datetime.datetime(2024, 6, 1, 12, 0), "2024-6-1", 20240601])
def test_as_of_must_be_a_date(as_of):
    pack = policyrules.load_pack("baotou")
    with pytest.raises(policyrules.InputError) as info:
        pack.evaluate({}, as_of=as_of)
    assert info.value.problems[0].location.file == "as_of"
    with pytest.raises(policyrules.InputError):
        pack.explain({}, as_of=as_of)


def test_check_survives_huge_thresholds(tmp_path):
    from policyrules.check.consistency import check

    source = Path(__file__).parent / "fixtures" / "check" / "cap-not-positive.yaml"
    text = source.read_text(encoding="utf-8").replace(
        'when: "unit.staff >= 1"', 'when: "unit.establishment_size >= 1e30"'
    )
    path = tmp_path / "huge.yaml"
    path.write_text(text, encoding="utf-8")
    check(load_pack(path))  # D20: no DivisionImpossible in the threshold analysis
