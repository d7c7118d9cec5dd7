"""Costing: a pack over a population, per topic — who is entitled, obliged, excluded or undecided, and what it costs.

Costs add the ``total`` of every entitlement that fires with a money figure,
exactly, grouped by unit (CNY a year and CNY a month are never added together). A range adds up
to a range (min–max); a minimum (不低于) adds up to "at least" (≥); an
average standard (平均…标准) adds up to an estimate (≈); a fired rule
whose figure lacks facts is counted apart, never guessed; an entitlement the
text gives no figure for (按规定给予) is counted as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from policyrules.engine.model import CompiledPack

from ._deps import need
from .outcomes import EXCLUDED, FIRED, NOT_IN_FORCE, UNDETERMINED, WITHHELD, column_name
from .run import BatchRun, BatchSummary


@dataclass
class Cost:
    """A sum of figures in one unit: low and high ends (equal unless a range was added), and whether a floor."""

    unit: str
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)
    at_least: bool = False  # a minimum amount was added: the true cost may be higher
    average: bool = False  # an average standard (平均…标准) was added: not a fixed sum per case

    def text(self) -> str:
        low, high = _money(self.low), _money(self.high)
        figure = low if self.low == self.high else f"{low}–{high}"
        return f"{'≥ ' if self.at_least else '≈ ' if self.average else ''}{figure} {self.unit}"


@dataclass
class TopicCost:
    topic: str
    entitled: int = 0
    obliged: int = 0
    excluded: int = 0
    undetermined: int = 0
    not_in_force: int = 0  # rows whose rules of this topic are not in force at their event, none decided
    costs: dict[str, Cost] = field(default_factory=dict)  # unit -> cost
    figure_missing: int = 0  # fired, but the figure lacks facts
    no_figure: int = 0  # fired, and the text gives no figure

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "entitled": self.entitled,
            "obliged": self.obliged,
            "excluded": self.excluded,
            "undetermined": self.undetermined,
            "not_in_force": self.not_in_force,
            "cost": [
                {
                    "unit": c.unit,
                    "min": str(c.low),
                    "max": str(c.high),
                    "at_least": c.at_least,
                    "average": c.average,
                    "text": c.text(),
                }
                for c in self.costs.values()
            ],
            "figure_missing": self.figure_missing,
            "no_figure": self.no_figure,
        }


@dataclass
class Simulation:
    pack: str
    summary: BatchSummary
    topics: dict[str, TopicCost]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "as_of": self.summary.as_of.isoformat(),
            "in_force": self.summary.in_force,
            "rows": self.summary.evaluated,
            "topics": [t.to_dict() for t in self.topics.values()],
        }


def _money(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def unit_of(rule: Any) -> str:
    a = rule.amount
    per = list(a.per[1:]) if a.count is not None else list(a.per)
    return (a.unit or "") + "".join(f"/{p}" for p in per)


class Costing:
    """Accumulates per-topic counts and costs over result batches of one pack."""

    def __init__(self, pack: CompiledPack) -> None:
        self.pack = pack
        self.topics: dict[str, TopicCost] = {}
        for rule in pack.rules:
            if rule.kind in ("entitlement", "obligation", "sanction"):
                self.topics.setdefault(rule.topic, TopicCost(rule.topic))

    def add(self, batch: Any) -> None:
        np = need("numpy")
        pc = need("pyarrow.compute")
        n = batch.num_rows
        by_topic: dict[str, dict[str, Any]] = {}
        for rule in self.pack.rules:
            if rule.kind not in ("entitlement", "obligation", "sanction"):
                continue
            state = batch.column(column_name("state", rule.id)).indices.to_numpy(zero_copy_only=False)
            acc = by_topic.setdefault(
                rule.topic,
                {
                    k: np.zeros(n, dtype=bool)
                    for k in ("entitled", "obliged", "excluded", "undetermined", "not_in_force")
                },
            )
            fired = state == FIRED
            acc["entitled" if rule.kind == "entitlement" else "obliged"] |= fired
            acc["excluded"] |= (state == EXCLUDED) | (state == WITHHELD)
            acc["undetermined"] |= state == UNDETERMINED
            acc["not_in_force"] |= state == NOT_IN_FORCE
            if rule.kind != "entitlement" or rule.amount is None or not fired.any():
                continue
            if rule.amount.kind != "no_figure" and "CNY" not in (rule.amount.unit or ""):
                continue  # a figure that is not money (a coefficient, a share of a quota) is no cost
            t = self.topics[rule.topic]
            a = rule.amount
            if a.kind == "no_figure":
                t.no_figure += int(fired.sum())
                continue
            low_col, high_col = _ends(rule)
            names = batch.schema.names
            if low_col not in names:
                t.no_figure += int(fired.sum())
                continue
            low = batch.column(low_col)
            high = batch.column(high_col)
            known = (
                fired
                & ~np.asarray(low.is_null().to_numpy(zero_copy_only=False))
                & ~np.asarray(high.is_null().to_numpy(zero_copy_only=False))
            )
            t.figure_missing += int((fired & ~known).sum())
            mask = pc.fill_null(pc.equal(batch.column(column_name("state", rule.id)).indices, FIRED), False)
            cost = t.costs.setdefault(unit_of(rule), Cost(unit_of(rule)))
            cost.low += _sum(pc, low.filter(mask))
            cost.high += _sum(pc, high.filter(mask))
            cost.at_least = cost.at_least or a.kind == "minimum"
            cost.average = cost.average or a.kind == "average"
        for topic, acc in by_topic.items():
            t = self.topics[topic]
            decided = acc["entitled"] | acc["obliged"]
            t.entitled += int(acc["entitled"].sum())
            t.obliged += int(acc["obliged"].sum())
            t.excluded += int((acc["excluded"] & ~decided).sum())
            t.undetermined += int((acc["undetermined"] & ~decided).sum())
            t.not_in_force += int((acc["not_in_force"] & ~decided & ~acc["excluded"] & ~acc["undetermined"]).sum())


def _ends(rule: Any) -> tuple[str, str]:
    """The columns whose sums are the low and high ends of a rule's cost."""
    a = rule.amount
    if a.kind == "range":
        if a.count is not None:
            return column_name("total_min", rule.id), column_name("total_max", rule.id)
        return column_name("min", rule.id), column_name("max", rule.id)
    return column_name("total", rule.id), column_name("total", rule.id)


def _sum(pc: Any, column: Any) -> Decimal:
    total = pc.sum(column).as_py()
    return Decimal(0) if total is None else Decimal(total)


def simulate(
    pack: Any,
    population: Any,
    as_of: Any = None,
    *,
    on_error: str = "raise",
    chunk_rows: int = 65_536,
    progress: Optional[Any] = None,
) -> Simulation:
    """Per-topic counts and costs of ``pack`` over a population (any source :func:`evaluate` reads)."""
    run = BatchRun(pack, as_of, on_error=on_error, chunk_rows=chunk_rows, progress=progress)  # type: ignore[arg-type]
    costing = Costing(run.pack)
    for batch in run.batches(population):
        costing.add(batch)
    return Simulation(run.pack.id, run.summary, costing.topics)
