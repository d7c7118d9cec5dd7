"""A pack's written figures are checked when it loads (reliability review, D10): each edit is one mutation of baotou."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyrules.engine.loading import load_pack
from policyrules.errors import PackError

from .conftest import ROOT

BAOTOU = (ROOT / "rules" / "baotou.yaml").read_text(encoding="utf-8")

MUTATIONS = [
    # (what the review did, the text replaced, its replacement, the words of the error)
    ("negative quota ratio", "        value: 0.015\n", "        value: -0.015\n", "negative value"),
    (
        "two values from one date",
        '      - from: "2023-04-22"\n        value: 0.015\n',
        '      - from: "2023-04-22"\n        value: 0.015\n      - from: "2023-04-22"\n        value: 0.02\n',
        "same date",
    ),
    (
        "a share above 1 balanced by a negative one",
        "        - {payer: 市残联, share: 0.5}\n        - {payer: 县（区、旗）残联, share: 0.5}\n",
        "        - {payer: 市残联, share: 1.5}\n        - {payer: 县（区、旗）残联, share: -0.5}\n",
        "between 0 and 1",
    ),
    (
        "a negative limit",
        "limit: {max: 3, per: year, used: person.trainings_this_year}",
        "limit: {max: -1, per: year, used: person.trainings_this_year}",
        "greater than or equal to 0",
    ),
    (
        "a negative duration",
        "duration: {max: 15, unit: year, used: person.blind_massage_subsidy_years}",
        "duration: {max: -15, unit: year, used: person.blind_massage_subsidy_years}",
        "≥ 0",
    ),
    (
        "a negative range bound",
        "amount: {kind: range, min: 1, max: 2, unit: session, per: [year]}",
        "amount: {kind: range, min: -1, max: 2, unit: session, per: [year]}",
        "≥ 0",
    ),
]


@pytest.mark.parametrize("what, old, new, words", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_wrong_figure_is_refused_with_its_line(tmp_path: Path, what: str, old: str, new: str, words: str) -> None:
    assert BAOTOU.count(old) >= 1, f"the pack no longer has the text this test mutates: {old!r}"
    line = BAOTOU[: BAOTOU.index(old)].count("\n") + 1
    pack = tmp_path / "baotou.yaml"
    pack.write_text(BAOTOU.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(pack)
    text = str(error.value)
    assert words in text, text
    lines = [p.location.line for p in error.value.problems]
    assert any(n is not None and line - 5 <= n <= line + 3 for n in lines), (what, line, lines, text)


def test_the_shipped_pack_itself_loads() -> None:
    assert load_pack(ROOT / "rules" / "baotou.yaml").id == "baotou"
