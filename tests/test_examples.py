"""The shipped examples: each runs on its pack, and one employer case gives every city's answer."""

from datetime import timedelta

import pytest

from policyrules import load_case
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import load_pack
from policyrules.pack.files import shipped_packs

from .conftest import ROOT

# employer*.yaml are run on several packs (below and in test_compliance.py), the others on the pack they name.
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if not p.stem.startswith("employer"))


def in_force(pack):
    return pack.valid_from + timedelta(days=30)


def test_every_pack_has_an_example():
    named = {p.stem.split("-")[0] for p in EXAMPLES}
    assert set(shipped_packs()) <= named


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_decides_something(path):
    pack = load_pack(path.stem.split("-")[0])
    result = evaluate(pack, load_case(path), in_force(pack))
    decided = [*result.entitlements, *result.obligations, *result.sanctions]
    assert decided, f"{path.name} decides nothing on {pack.id}"
    assert all(o.citation.quote for o in decided)


# What the same employer (200 staff, 6 disabled, minimum wage 1980) gets for
# exceeding the quota in each jurisdiction, as each text says it.
EXCESS_QUOTA = {
    "baotou": ("formula", "29700"),  # 3 × 5 × 1980 a year
    "jinan": ("exact", "24000"),  # 3 × 8000
    "liaocheng": ("no_figure", None),  # 加大奖励力度: no amount
    "rizhao": (None, None),  # praise (表扬鼓励), no money
    "shanghai": ("no_figure", None),
    "jilin": ("no_figure", None),
    "fujian": "not covered",
    "national_2025": "not covered",
}


@pytest.mark.parametrize("name", sorted(EXCESS_QUOTA))
def test_one_employer_every_city(name):
    pack = load_pack(name)
    result = evaluate(pack, load_case(ROOT / "examples" / "employer.yaml"), in_force(pack))
    outcomes = result.by_topic("reward.excess_quota")
    expected = EXCESS_QUOTA[name]
    if expected == "not covered":
        assert not outcomes and not [u for u in result.undetermined if u.topic == "reward.excess_quota"]
        return
    (reward,) = outcomes
    kind, total = expected
    assert (reward.amount.kind if reward.amount else None) == kind
    assert (str(reward.amount.total) if reward.amount and reward.amount.total is not None else None) == total
