"""Batch evaluation on columns gives, row for row, what the scalar engine gives; bad input is located."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from policyrules import load_case
from policyrules.batch import decode_mask, evaluate, evaluate_to_parquet, missing_names
from policyrules.batch.columns import _FUNCTIONS, CONSTANT_FUNCTIONS, SCALAR_FUNCTIONS, VECTORISED
from policyrules.batch.inputs import fact_specs
from policyrules.batch.outcomes import plan_for
from policyrules.batch.scalar import scalar_row
from policyrules.batch.table import Builder
from policyrules.check.casetests import find_test_files, load_test_file
from policyrules.compare.behaviour import _facts, generate_columns
from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledExpr
from policyrules.errors import TableError
from policyrules.expr import FUNCTIONS, nodes
from policyrules.facts.case import flatten
from policyrules.facts.vocabulary import case_facts
from policyrules.pack.files import shipped_packs

from .conftest import ROOT

GENERATED_ROWS = 10_000
BAOTOU_DAY = date(2024, 6, 1)


def arrow_table(rows: list[dict], paths) -> "pa.Table":
    """Flat fact rows as a typed Arrow table: counts int64, money decimal (20 digits and 4 places, or as many as a
    value has), dates date32."""
    facts = case_facts()
    arrays = {}
    for p in paths:
        values = [r.get(p) for r in rows]
        info = facts[p]
        kind = info.type.kind
        if kind == "date":
            arrays[p] = pa.array(values, type=pa.date32())
        elif kind == "number" and info.integer:
            arrays[p] = pa.array(values, type=pa.int64())
        elif kind == "number":
            exact = [None if v is None else Decimal(v) for v in values]
            places = max([4] + [-d.as_tuple().exponent for d in exact if d is not None])  # type: ignore[operator]
            whole = max([20] + [d.adjusted() + 1 for d in exact if d])  # 20 digits, or as many as a value has
            arrays[p] = pa.array(exact, type=pa.decimal128(whole + places, places))
        elif kind == "bool":
            arrays[p] = pa.array(values, type=pa.bool_())
        else:
            arrays[p] = pa.array(values, type=pa.string())
    return pa.table(arrays) if arrays else pa.table({"unit.staff": pa.nulls(len(rows), pa.int64())})


def generated_facts(pack, n: int, day: date, seed: str) -> list[dict]:
    """n valid cases over the facts the pack reads: threshold values either side, 5% missing."""
    plan = plan_for(pack, day)
    cols = generate_columns(list(plan.inputs), [pack], n, seed)
    specs = fact_specs()
    rows = []
    for i in range(n):
        row = {}
        for p in plan.inputs:
            v = cols[p][i]
            choices = specs[p].choices
            if v is not None and choices is not None and v not in choices:
                v = sorted(choices, key=str)[i % len(choices)]
            row[p] = v
        facts = _facts(row, day)
        if facts is not None:
            rows.append(facts)
    return rows


def assert_same_as_scalar(pack, rows: list[dict], day: date, **kwargs) -> "pa.Table":
    """Every column of every row equals the scalar engine's result projected onto the same columns."""
    plan = plan_for(pack, day)
    result = evaluate(pack, arrow_table(rows, sorted({p for r in rows for p in r} | set(plan.inputs))), day, **kwargs)
    got = result.table
    assert got.num_rows == len(rows)
    order = got.column("row").to_pylist()
    want = Builder(plan, got.schema).from_rows(
        [{**scalar_row(plan, rows[i]), "row": i, "fallback": False} for i in order]
    )
    differences = []
    for name in got.schema.names:
        if name == "fallback" or got.column(name).equals(pa.chunked_array([want.column(name)])):
            continue
        g, w = got.column(name).to_pylist(), want.column(name).to_pylist()
        differences += [
            f"row {order[i]} {name}: batch {a!r}, scalar {b!r}" for i, (a, b) in enumerate(zip(g, w)) if a != b
        ]
    assert not differences, "\n".join(differences[:20])
    return got


def day_in_force(pack) -> date:
    return BAOTOU_DAY if pack.valid_from <= BAOTOU_DAY else pack.valid_from + timedelta(days=60)


@pytest.mark.parametrize("name", shipped_packs())
def test_batch_equals_scalar_on_generated_rows(name):
    pack = load_pack(name)
    day = day_in_force(pack)
    rows = generated_facts(pack, 2 * GENERATED_ROWS, day, f"batch-{name}")[:GENERATED_ROWS]
    assert len(rows) == GENERATED_ROWS
    table = assert_same_as_scalar(pack, rows, day, chunk_rows=4096)
    # the column path decided them (not the scalar fallback) except where a rule decided at an event's
    # date (the hire, say) may apply, and the rows exercise every kind of outcome
    fallback = table.column("fallback").to_pylist()
    at_event = [r for r in pack.rules if r.kind != "derive" and (r.event != "application" or r.duration_start)]
    if at_event:
        assert sum(fallback) < len(fallback) / 2, f"{sum(fallback)} of {len(fallback)} rows on the scalar engine"
    else:
        # a pack that reads application.date is given one by the rows: an application dated outside a
        # plan is the scalar engine's; every other row is decided on columns
        windows = pack.windows.values()
        order = table.column("row").to_pylist()
        inside = [
            (d := rows[i].get("application.date")) is None or all(a <= d and (b is None or d <= b) for a, b in windows)
            for i in order
        ]
        assert not any(f and i for f, i in zip(fallback, inside))
    states = {
        s
        for rule in pack.rules
        for s in pc.unique(table.column(f"state.{rule.id}").combine_chunks().dictionary_decode()).to_pylist()
    }
    assert {"fired", "not", "undetermined"} <= states


def test_batch_equals_scalar_on_every_case_file():
    for path in find_test_files([ROOT / "rules"]):
        spec = load_test_file(path)
        pack = load_pack(spec.pack)
        by_day: dict[date, list[dict]] = {}
        for t in spec.tests:
            by_day.setdefault(t.as_of, []).append(flatten(t.case))
        for day, rows in by_day.items():
            assert_same_as_scalar(pack, rows, day)


def test_batch_equals_scalar_on_every_example():
    cases = [flatten(load_case(p)) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    for name in shipped_packs():
        pack = load_pack(name)
        for day in (day_in_force(pack), pack.valid_from - timedelta(days=1)):
            assert_same_as_scalar(pack, cases, day)


def test_the_excess_quota_reward_is_exact_on_columns():
    """Baotou: 5 months of the minimum wage per person beyond the 1.5% quota (200 staff, 6 disabled: 3 beyond)."""
    rows = [
        {
            "unit.kind": "private_enterprise",
            "unit.staff": 200,
            "unit.disabled_employees": 6,
            "unit.fiscally_funded": False,
            "unit.is_concentrated_employment_unit": False,
            "place.monthly_minimum_wage": "1980.55",
        },
        {"unit.kind": "private_enterprise", "unit.staff": 200, "unit.disabled_employees": 6},
    ]
    t = evaluate("baotou", rows, BAOTOU_DAY).table.to_pylist()
    assert t[0]["state.reward.excess_quota"] == "fired"
    assert t[0]["count.reward.excess_quota"] == 3
    assert t[0]["value.reward.excess_quota"] == Decimal("9902.75")
    assert t[0]["total.reward.excess_quota"] == Decimal("29708.25")
    assert t[0]["derived.excess_persons"] == 3
    assert t[1]["state.reward.excess_quota"] == "undetermined"
    names = missing_names(evaluate("baotou", rows, BAOTOU_DAY).table.schema)
    assert "unit.fiscally_funded" in decode_mask(names, t[1]["missing.reward.excess_quota"])


def test_bad_values_are_reported_with_row_and_column():
    rows = [
        {"unit.staff": 10, "unit.disabled_employees": 2},
        {"unit.staff": "ten"},
        {"unit.kind": "factory"},
        {"unit.staff": 5, "unit.disabled_employees": 11},
        {"person.business.licensed_on": "2024-02-30"},
    ]
    with pytest.raises(TableError) as err:
        evaluate("baotou", rows, BAOTOU_DAY)
    found = {(b.row, b.column) for b in err.value.bad}
    assert found == {
        (1, "unit.staff"),
        (2, "unit.kind"),
        (3, "unit.disabled_employees"),
        (4, "person.business.licensed_on"),
    }
    assert "expected one of" in str(err.value) and "row 2, column unit.kind" in str(err.value)
    skipped = evaluate("baotou", rows, BAOTOU_DAY, on_error="skip")
    assert skipped.table.column("row").to_pylist() == [0]
    assert skipped.errors.column("row").to_pylist() == [1, 2, 3, 4]


def test_money_is_never_read_through_a_float():
    table = pa.table({"place.monthly_minimum_wage": pa.array([1980.5, 2000.0]), "unit.staff": [1.0, 2.0]})
    with pytest.raises(TableError) as err:
        evaluate("baotou", table, BAOTOU_DAY)
    assert [(b.row, b.column) for b in err.value.bad] == [(0, "place.monthly_minimum_wage")]
    assert "float" in err.value.bad[0].message


def test_a_misspelt_column_is_an_error_with_a_suggestion():
    with pytest.raises(TableError, match="did you mean unit.staff"):
        evaluate("baotou", [{"unit.staf": 3}], BAOTOU_DAY)
    kept = evaluate("baotou", [{"id": "A-1", "unit.staff": 3}], BAOTOU_DAY, keep=("id",))
    assert kept.table.column("id").to_pylist() == ["A-1"]


def test_huge_values_go_to_the_scalar_engine_and_are_exact():
    pack = load_pack("baotou")
    rows = [
        {
            "unit.kind": "private_enterprise",
            "unit.staff": 10**15,
            "unit.disabled_employees": 10**14,
            "unit.fiscally_funded": False,
            "unit.is_concentrated_employment_unit": False,
            "place.monthly_minimum_wage": Decimal("123456789.12"),
        },
        {"unit.staff": 100, "unit.disabled_employees": 1, "hire.start_date": BAOTOU_DAY},
    ]
    table = assert_same_as_scalar(pack, rows, BAOTOU_DAY)
    assert table.column("fallback").to_pylist() == [True, False]
    assert table.column("total.reward.excess_quota")[0].as_py() > 10**22


def test_a_figure_beyond_a_result_s_range_is_the_rule_s_error_in_batch_as_in_scalar():
    """A wage within range (9e29) whose reward (× 5 months × 3 persons) passes 1e30: the rule's error in the
    errors column as the scalar engine says it, the other rows and rules as usual."""
    pack = load_pack("baotou")
    rows = [{**EMPLOYER, "place.monthly_minimum_wage": Decimal(w)} for w in ("9e29", "1980")]
    got = assert_same_as_scalar(pack, rows, BAOTOU_DAY).to_pylist()
    assert [r["state.reward.excess_quota"] for r in got] == ["error", "fired"]
    assert [r["total.reward.excess_quota"] for r in got] == [None, 29700]
    (error,) = got[0]["errors"]
    assert (
        error.startswith("reward.excess_quota: ")
        and "金额的合计（13500000000000000000000000000000）超出结果能容纳的范围" in error
    )
    assert got[1]["errors"] is None


def test_an_amount_that_is_the_rule_s_error_is_the_rule_s_error_in_batch(tmp_path):
    """A computed range whose minimum exceeds its maximum, or a figure below zero, gives the rule's error on
    that row as in the scalar engine, never the figures (jinan's grant, its minimum 4000 × staff − 20000)."""
    text = (ROOT / "rules" / "jinan.yaml").read_text(encoding="utf-8")
    old = "min: 20000, max: 40000"
    assert text.count(old) == 1
    path = tmp_path / "jinan.yaml"
    path.write_text(
        text.replace(old, "min: \"unit.staff * quantity(4000, 'CNY/person') - quantity(20000, 'CNY')\", max: 40000"),
        encoding="utf-8",
    )
    pack, day, rid = load_pack(path), date(2023, 6, 1), "blind_massage.standardisation_grant"
    grant = {
        "unit.is_blind_massage_institution": True,
        "unit.blind_massage_standardisation_eligible": True,
        "unit.blind_massage_standardisation_supported": False,
    }
    rows = [{**grant, "unit.staff": staff} for staff in (10, 15, 16, 4, 5)]
    got = assert_same_as_scalar(pack, rows, day).to_pylist()
    assert [r[f"state.{rid}"] for r in got] == ["fired", "fired", "error", "error", "fired"]
    assert [r[f"min.{rid}"] for r in got] == [20000, 40000, None, None, 0]
    assert "区间下限（44000）高于上限（40000）" in got[2]["errors"][0]
    assert "金额的下限为负数（-4000）" in got[3]["errors"][0]


def test_csv_pandas_parquet_and_chunks_agree(tmp_path):
    pack = load_pack("jinan")
    day = day_in_force(pack)
    rows = generated_facts(pack, 600, day, "formats")
    table = arrow_table(rows, plan_for(pack, day).inputs)
    whole = evaluate(pack, table, day).table
    path = tmp_path / "out.parquet"
    summary = evaluate_to_parquet(pack, table, path, day, chunk_rows=97)
    assert summary.evaluated == len(rows)
    import pyarrow.parquet as pq

    assert pq.read_table(path).equals(whole)
    assert evaluate(pack, table.to_pandas(), day).table.equals(whole)
    csv_path = tmp_path / "cases.csv"
    import pyarrow.csv as pcsv

    pcsv.write_csv(table, csv_path)
    assert evaluate(pack, csv_path, day).table.equals(whole)


def test_every_node_type_is_vectorised_or_sent_to_the_scalar_engine():
    classes = {
        c
        for c in vars(nodes).values()
        if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == nodes.__name__
    }
    assert classes <= set(VECTORISED), f"not vectorised: {classes - set(VECTORISED)}"
    assert FUNCTIONS <= set(_FUNCTIONS) | CONSTANT_FUNCTIONS | SCALAR_FUNCTIONS

    @dataclasses.dataclass(frozen=True)
    class Tomorrow:  # a node type the column compiler has never seen (its children read like IfElse's)
        test: object
        body: object
        orelse: object

    pack = load_pack("baotou")
    rule = pack.rule("reward.excess_quota")
    node = Tomorrow(rule.when.node, nodes.Literal(True, 0, 0), nodes.Literal(False, 0, 0))
    strange = dataclasses.replace(rule, when=CompiledExpr(rule.when.text, node, rule.when.fn))
    rules = tuple(strange if r.id == rule.id else r for r in pack.rules)
    odd = dataclasses.replace(pack, rules=rules, rule_index={r.id: r for r in rules})
    rows = generated_facts(pack, 300, BAOTOU_DAY, "strange")
    result = evaluate(odd, arrow_table(rows, plan_for(pack, BAOTOU_DAY).inputs), BAOTOU_DAY)
    assert all(result.table.column("fallback").to_pylist())
    assert result.summary.scalar_reasons == {"expression node Tomorrow": len(rows)}
    assert_same_as_scalar(odd, rows, BAOTOU_DAY)


def test_import_policyrules_does_not_import_numpy_or_pyarrow():
    code = "import sys, policyrules, policyrules.batch; print(sorted(m for m in ('numpy', 'pyarrow', 'dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_costing_adds_exact_totals_and_counts_missing_figures_apart():
    employer = {
        "unit.kind": "private_enterprise",
        "unit.fiscally_funded": False,
        "unit.is_concentrated_employment_unit": False,
    }
    rows = [
        {**employer, "unit.staff": 200, "unit.disabled_employees": 6, "place.monthly_minimum_wage": "1980"},
        {**employer, "unit.staff": 1000, "unit.disabled_employees": 20, "place.monthly_minimum_wage": "2070.50"},
        {**employer, "unit.staff": 200, "unit.disabled_employees": 6},  # fires, but the wage is missing
        {**employer, "unit.staff": 200, "unit.disabled_employees": 1, "place.monthly_minimum_wage": "1980"},
    ]
    from policyrules.batch import simulate

    sim = simulate("baotou", rows, BAOTOU_DAY)
    t = sim.topics["reward.excess_quota"]
    # 3 beyond the quota at 5 × 1980, and 5 beyond it at 5 × 2070.50
    assert t.entitled == 3 and t.figure_missing == 1
    (cost,) = t.costs.values()
    assert cost.low == cost.high == Decimal(3 * 5 * 1980) + Decimal("5") * 5 * Decimal("2070.50")
    assert cost.unit == "CNY/year" and cost.text() == "81,462.50 CNY/year"
    assert sim.topics["quota.responsibility_report"].obliged == 4


def test_cli_population_batch_and_simulate(tmp_path, capsys):
    import json

    import pyarrow.parquet as pq

    from policyrules.interfaces.cli import main

    pop = tmp_path / "pop.parquet"
    assert main(["population", "--employers", "300", "--persons", "300", "--seed", "7", "-o", str(pop)]) == 0
    again = tmp_path / "again.parquet"
    main(["population", "--employers", "300", "--persons", "300", "--seed", "7", "-o", str(again)])
    assert pq.read_table(pop).equals(pq.read_table(again))  # the seed fixes the table
    capsys.readouterr()
    out = tmp_path / "out.parquet"
    assert main(["batch", "baotou", str(pop), "-o", str(out), "--as-of", "2024-06-01", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == summary["evaluated"] == 600
    result = pq.read_table(out)
    fired = result.column("state.reward.excess_quota").to_pylist().count("fired")
    assert summary["states"]["reward.excess_quota"]["fired"] == fired
    assert main(["simulate", "baotou", "jinan", str(pop), "--as-of", "2024-06-01", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    reward = {t["topic"]: t for t in doc["a"]["topics"]}["reward.excess_quota"]
    assert reward["entitled"] == fired
    totals = [
        v
        for v, s in zip(
            result.column("total.reward.excess_quota").to_pylist(),
            result.column("state.reward.excess_quota").to_pylist(),
        )
        if s == "fired" and v is not None
    ]
    assert Decimal(reward["cost"][0]["min"]) == sum(totals)
    assert main(["simulate", str(pop)]) == 2
    assert main(["batch", "baotou", str(tmp_path / "nope.parquet"), "-o", str(out), "--lang", "en"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_dask_cluster_of_two_processes_equals_one_process(tmp_path):
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    from policyrules.batch import evaluate_dask, write_population
    from policyrules.batch.distributed import run_on_dask

    pop = tmp_path / "pop.parquet"
    write_population(pop, 2000, 2000, 5)
    parts = tmp_path / "parts"
    parts.mkdir()
    for i, batch in enumerate(pq.read_table(pop).to_batches(max_chunksize=1000)):
        pq.write_table(pa.Table.from_batches([batch]), parts / f"{i:03d}.parquet")
    single = evaluate("baotou", pop, BAOTOU_DAY).table
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_on_dask("baotou", str(parts), str(tmp_path / "out"), BAOTOU_DAY, cluster.scheduler_address)
        with Client(cluster):
            import dask.dataframe as dd

            frame = evaluate_dask("baotou", dd.read_parquet(str(parts)), BAOTOU_DAY).compute()
    assert summary.evaluated == single.num_rows == 4000
    written = pq.read_table(tmp_path / "out").sort_by("row")
    assert written.equals(single)
    assert frame["row"].tolist() == list(range(4000))
    assert (
        frame["state.reward.excess_quota"].astype(str).tolist()
        == single.column("state.reward.excess_quota").to_pylist()
    )
    assert frame["total.reward.excess_quota"].tolist() == single.column("total.reward.excess_quota").to_pylist()


def test_the_documented_assumptions_are_the_generator_s():
    from policyrules.batch.population import ASSUMPTIONS

    text = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    for a in ASSUMPTIONS:
        assert f"| `{a.fact}` | {a.how} |" in text


def test_the_python_example_in_docs_batch_runs(capsys):
    import re

    text = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    exec(compile(code, "docs/batch.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["['fired', 'undetermined']", "[Decimal('29700.00000000'), None]", "1"]


def test_values_outside_a_fact_s_domain_are_bad_values():
    rows = [
        {"unit.staff": -200},
        {"person.disability.grade": 5},
        {"person.business.monthly_rent": "-1.50"},
        {"unit.staff": 10, "person.disability.grade": 2, "person.business.monthly_rent": "0"},
    ]
    with pytest.raises(TableError) as err:
        evaluate("baotou", rows, BAOTOU_DAY)
    assert [(b.row, b.column) for b in err.value.bad] == [
        (0, "unit.staff"),
        (1, "person.disability.grade"),
        (2, "person.business.monthly_rent"),
    ]
    assert err.value.bad[0].message.startswith("less than 0: outside the fact's domain")
    assert "1, 2, 3, 4" in err.value.bad[1].message


FIXTURES = ROOT / "tests" / "fixtures" / "batch"


def test_an_unknown_test_with_agreeing_branches_is_known_as_in_the_scalar_engine():
    """`0 if exempt else staff × 10`: exempt unknown but no staff gives 0 either way; an unknown branch not taken is moot."""
    pack = load_pack(FIXTURES / "kleene.yaml")
    day = date(2024, 1, 1)
    grid = [
        {"unit.is_concentrated_employment_unit": e, "unit.staff": s, "unit.disabled_employees": d}
        for e in (True, False, None)
        for s in (0, 5, None)
        for d in (0, None)
    ]
    rows = [{k: v for k, v in r.items() if v is not None} for r in grid]
    table = assert_same_as_scalar(pack, rows, day).to_pylist()
    by = {
        (g["unit.is_concentrated_employment_unit"], g["unit.staff"], g["unit.disabled_employees"]): t
        for g, t in zip(grid, table)
    }
    assert by[None, 0, 0]["derived.due"] == 0  # both branches are 0
    assert by[None, 0, 0]["state.k.nothing_due"] == "fired"
    assert by[None, 5, 0]["derived.due"] is None and by[None, 5, 0]["state.k.nothing_due"] == "undetermined"
    assert by[True, None, None]["derived.due"] == 0  # exempt: the staff is not asked for
    assert by[True, 0, None]["state.k.nothing_due"] == "fired"
    assert by[False, None, 0]["derived.due"] is None


def test_rule_ids_that_read_like_result_columns_do_not_collide():
    pack = load_pack(FIXTURES / "clash.yaml")
    day = date(2024, 1, 1)
    rows = [{"unit.staff": 25}, {"unit.staff": 5}, {}]
    table = assert_same_as_scalar(pack, rows, day)
    names = table.schema.names
    assert len(names) == len(set(names))
    t = table.to_pylist()
    assert [r["row"] for r in t] == [0, 1, 2]
    assert [r["state.row"] for r in t] == ["fired", "not", "undetermined"]
    assert [r["value.row"] for r in t] == [100, None, None]  # rule row's figure
    assert [r["state.row.value"] for r in t] == ["fired", "not", "undetermined"]  # rule row.value
    assert [r["value.row.value"] for r in t] == [7, None, None]
    assert [r["state.fallback"] for r in t] == ["not", "fired", "undetermined"] and not any(r["fallback"] for r in t)
    assert [r["state.errors"] for r in t] == ["fired", "fired", "undetermined"] and [r["errors"] for r in t] == [
        None
    ] * 3
    assert [r["derived.staff_band"] for r in t] == [50, 10, None]
    assert [r["state.derived.staff_band"] for r in t] == ["fired"] * 3
    with pytest.raises(TableError, match="rename"):
        evaluate(pack, [{"unit.staff": 1, "state.row": "x"}], day, keep=("state.row",))


EMPLOYER = {
    "unit.kind": "private_enterprise",
    "unit.staff": 200,
    "unit.disabled_employees": 6,
    "unit.fiscally_funded": False,
    "unit.is_concentrated_employment_unit": False,
    "place.monthly_minimum_wage": Decimal("1980"),
}


def test_a_pack_out_of_force_gives_not_in_force_as_the_scalar_engine_does():
    """Baotou ends 2024-12-31; its parent national_fund is still in force; an application dated inside still counts."""
    from policyrules.engine.evaluator import evaluate_facts

    pack = load_pack("baotou")
    day = date(2025, 6, 1)
    rows = [EMPLOYER, {**EMPLOYER, "application.date": date(2024, 6, 1)}]
    table = assert_same_as_scalar(pack, rows, day)
    assert table.schema.metadata[b"policyrules.in_force"] == b"false"
    got = table.to_pylist()
    result = evaluate_facts(pack, EMPLOYER, day, reference=True)
    refused = {g.rule for g in result.not_granted if g.reason == "not_in_force"}
    assert "reward.excess_quota" in refused
    for rid in refused:
        assert got[0][f"state.{rid}"] == "not_in_force", rid
    assert decode_mask(missing_names(table.schema), got[0]["missing.reward.excess_quota"]) == []
    assert got[0]["total.reward.excess_quota"] is None
    # the national fund's rules still decide, and the dated application is judged under the plan
    fund = [r.id for r in pack.rules if r.pack_id == "national_fund" and r.kind != "derive"]
    assert fund and all(got[0][f"state.{rid}"] != "not_in_force" for rid in fund)
    assert not any(r["fallback"] for r in got)
    assert got[1]["state.reward.excess_quota"] == "fired" and got[1]["total.reward.excess_quota"] == 3 * 5 * 1980


def test_per_row_event_dates_decide_as_the_scalar_engine_does():
    """The graduate-hire subsidy is judged at the hire: before the plan, within it, or with no hire date."""
    pack = load_pack("baotou")
    graduate = {
        **EMPLOYER,
        "person.disability.certified": True,
        "person.graduation.level": "bachelor",
        "hire.contract_months": 24,
        "hire.social_insurance": True,
        "hire.public_welfare_post": False,
    }
    rows = [
        {**graduate, "person.graduation.year": 2024, "hire.start_date": date(2024, 3, 1)},
        {**graduate, "person.graduation.year": 2022, "hire.start_date": date(2022, 9, 1)},
        {**graduate, "person.graduation.year": 2024},
        {**graduate, "person.graduation.year": 2020, "hire.start_date": date(2024, 3, 1)},
    ]
    for day in (BAOTOU_DAY, date(2026, 1, 1)):
        table = assert_same_as_scalar(pack, rows, day)
        got = table.to_pylist()
        names = missing_names(table.schema)
        assert [r["state.subsidy.graduate_hire"] for r in got] == ["fired", "not_in_force", "undetermined", "not"]
        assert decode_mask(names, got[2]["missing.subsidy.graduate_hire"]) == ["hire.start_date"]
        assert got[0]["total.subsidy.graduate_hire"] == 5 * 1980


def test_durations_periods_and_funding_shares_are_columns_as_in_the_scalar_result():
    pack = load_pack(FIXTURES / "periods.yaml")
    day = date(2024, 6, 1)
    rows = [
        {
            "unit.staff": 3,
            "place.monthly_minimum_wage": "1980.05",
            "hire.contract_months": 12,
            "hire.start_date": date(2023, 3, 1),
        },
        {"unit.staff": 3, "hire.contract_months": 12, "hire.start_date": date(2024, 3, 1)},
        {"unit.staff": 3, "place.monthly_minimum_wage": "1980.01", "hire.contract_months": 6},
        {"unit.staff": 3, "place.monthly_minimum_wage": "1980.05"},
    ]
    got = assert_same_as_scalar(pack, rows, day).to_pylist()
    assert not any(r["fallback"] for r in got)  # periods and last days are columns too
    assert got[3]["funding.p.rent"] == got[0]["funding.p.rent"] and got[3]["state.p.hire"] == "undetermined"
    assert [r["duration.p.rent"] for r in got] == [2, 2, 2, 2]
    # 0.3 and 0.7 of 1980.05 are 594.015 and 1386.035: half up to the cent
    assert got[0]["funding.p.rent"] == [
        {"payer": "市", "share": Decimal("0.3"), "amount": Decimal("594.02")},
        {"payer": "区", "share": Decimal("0.7"), "amount": Decimal("1386.04")},
    ]
    assert [f["amount"] for f in got[1]["funding.p.rent"]] == [None, None]  # the total lacks the wage
    assert [f["amount"] for f in got[2]["funding.p.rent"]] == [Decimal("594.00"), Decimal("1386.01")]
    # counted from the hire: the second year of three on 2024-06-01, ending the day before the third anniversary
    assert (got[0]["period.p.hire"], got[0]["until.p.hire"]) == (2, date(2026, 2, 28))
    assert [f["amount"] for f in got[0]["funding.p.hire"]] == [Decimal("990.03"), Decimal("990.03")]
    assert (got[1]["period.p.hire"], got[1]["duration.p.hire"]) == (1, 3)
    assert got[2]["state.p.hire"] == "not" and got[2]["funding.p.hire"] is None and got[2]["period.p.hire"] is None


def test_periods_and_last_days_in_every_unit_are_the_scalar_engine_s():
    """Month ends, leap days and a year and a half: period and last day on columns, ended durations aside."""
    pack = load_pack(FIXTURES / "period_units.yaml")
    starts = [date(2023, 1, 1) + timedelta(days=i) for i in range(0, 800, 3)] + [
        date(2024, 2, 29),
        date(2023, 1, 31),
        date(2023, 3, 31),
        date(2023, 8, 31),
    ]
    rows = [{"hire.contract_months": 12, "hire.start_date": d} for d in starts] + [{"hire.contract_months": 12}]
    for day in (date(2024, 6, 1), date(2024, 2, 29), date(2025, 3, 31)):
        got = assert_same_as_scalar(pack, rows, day).to_pylist()
        ended = [any(r[f"state.u.{u}"] == "not" for u in ("day", "month", "year")) for r in got]
        assert 0 < sum(ended) < len(starts)
        assert [r["fallback"] for r in got] == ended  # an ended duration is the scalar engine's
        assert got[-1]["state.u.day"] == "undetermined"
        assert {1, 2, 12} < {r["period.u.month"] for r in got}
    leap = got[len(starts) - 4]  # hired 2024-02-29: a year and a half (18 months) ends the day before 2025-08-29
    assert (leap["until.u.year"], leap["until.u.month"], leap["until.u.day"]) == (
        date(2025, 8, 28),
        date(2025, 8, 28),
        date(2025, 4, 3),
    )


def test_csv_is_read_strictly_as_a_case_file_is_and_streamed(tmp_path):
    def run(text: bytes, **kwargs):
        path = tmp_path / "cases.csv"
        path.write_bytes(text)
        return evaluate("baotou", path, BAOTOU_DAY, **kwargs)

    def refused(text: bytes) -> str:
        with pytest.raises(TableError) as err:
            run(text)
        return str(err.value)

    good = b"unit.kind,unit.staff,unit.disabled_employees\nprivate_enterprise,200,6\n , 30 ,\n"
    plain = run(good).table
    assert plain.column("row").to_pylist() == [0, 1]
    assert run(b"\xef\xbb\xbf" + good).table.equals(plain)  # Excel's byte-order mark
    many = b"unit.staff,unit.disabled_employees\n" + b"".join(b"%d,%d\n" % (i, i % 7) for i in range(10, 1010))
    assert run(many, chunk_rows=64).table.equals(run(many).table)
    assert run(b"unit.staff\n").table.num_rows == 0
    assert "unit.staff: appears twice in the header (columns 1 and 3)" in refused(
        b"unit.staff,unit.kind,unit.staff\n1,private_enterprise,2\n"
    )
    assert "line 3: 3 values, more than the 2 columns" in refused(
        b"unit.staff,unit.kind\n1,private_enterprise\n1,a,b\n"
    )
    assert "line 3: not UTF-8" in refused(b"unit.staff,unit.kind\n1,private_enterprise\n2,\xff\n")
    assert "line 2: cannot read CSV" in refused(b'unit.staff,unit.kind\n1,"private_enterprise\n')
    assert "line 1: an empty CSV file" in refused(b"")
    message = refused(b"unit.staff,unit.kind\n1_000,private_enterprise\n\xef\xbc\x91\xef\xbc\x92,x\n")
    assert "row 0, column unit.staff" in message and "row 1, column unit.staff" in message
    assert "row 1, column unit.kind: expected one of" in message


def test_csv_from_standard_input_is_read_and_parquet_from_it_refused(tmp_path):
    """``policyrules batch PACK -`` reads CSV from a pipe, its errors at <stdin> and the line; Parquet is refused."""
    out = tmp_path / "out.parquet"

    def piped(data: bytes):
        cli = "import sys; from policyrules.interfaces.cli import main; sys.exit(main(sys.argv[1:]))"
        command = [sys.executable, "-c", cli, "batch", "baotou", "-", "-o", str(out), "--as-of", "2024-06-01"]
        command += ["--lang", "en"]
        return subprocess.run(command, input=data, capture_output=True)

    done = piped(b"unit.kind,unit.staff,unit.disabled_employees\nprivate_enterprise,200,6\nprivate_enterprise,30,\n")
    assert done.returncode == 0, done.stderr.decode()
    assert pq.read_table(out).column("row").to_pylist() == [0, 1]
    broken = piped(b'unit.kind,unit.staff\nprivate_enterprise,200\nprivate_enterprise,"2\n')
    assert broken.returncode == 2 and "<stdin>: line 3: cannot read CSV" in broken.stderr.decode()
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"unit.staff": [200]}), path)
    parquet = piped(path.read_bytes())
    assert parquet.returncode == 2 and "Parquet cannot be read from standard input" in parquet.stderr.decode()


def test_a_seasonal_average_to_8_places_is_decided_as_one_case_is_not_an_error():
    """12.12345678 seasonal workers × the 1.5% quota has 10 places: a derived fact holds it (decimal 16 places)."""
    row = {
        "unit.kind": "private_enterprise",
        "unit.staff": 200,
        "unit.disabled_employees": 1,
        "unit.dispatch_counted_by": "no_dispatch",
        "unit.average_annual_wage": Decimal("60000"),
        "unit.seasonal_staff_average": Decimal("12.12345678"),
        "place.employment_quota_ratio": Decimal("0.015"),
        "place.average_social_wage": Decimal(100000),
    }
    table = assert_same_as_scalar(
        load_pack("national_fund"), [row, {**row, "unit.average_annual_wage": None}], BAOTOU_DAY
    )
    assert table.column("errors").to_pylist() == [None, None]
    assert table.column("derived.fund_required").to_pylist() == [Decimal("3.1818518517")] * 2
    assert table.column("state.fund.owed").to_pylist() == ["fired", "fired"]
    assert table.column("fallback").to_pylist() == [True, False]  # its figure is rounded to the fen: one case's


def test_csv_output_writes_masks_of_several_words_and_funding_as_text(tmp_path):
    """The HTTP API's CSV: a baotou mask (two words) as its words, a funding list as payer, share and amount."""
    import csv

    from policyrules.interfaces.http.routers.batch import _parquet_to_csv

    evaluate_to_parquet(
        "baotou", [{"unit.kind": "private_enterprise", "unit.staff": 200}], tmp_path / "b.parquet", BAOTOU_DAY
    )
    _parquet_to_csv(tmp_path / "b.parquet", tmp_path / "b.csv")
    row = next(csv.DictReader((tmp_path / "b.csv").open(encoding="utf-8")))
    names = missing_names(pq.read_table(tmp_path / "b.parquet").schema)
    words = [int(w) for w in row["missing.reward.excess_quota"].split(";")]
    assert len(words) == 2 and "unit.disabled_employees" in decode_mask(names, words[0] | words[1] << 64)
    pack = load_pack(FIXTURES / "periods.yaml")
    evaluate_to_parquet(
        pack, [{"unit.staff": 3, "place.monthly_minimum_wage": "1980.05"}], tmp_path / "p.parquet", BAOTOU_DAY
    )
    _parquet_to_csv(tmp_path / "p.parquet", tmp_path / "p.csv")
    row = next(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8")))
    assert row["funding.p.rent"] == "市 0.30000000 594.02000000;区 0.70000000 1386.04000000"


def test_a_fund_finer_than_a_fen_is_rounded_as_the_scalar_engine_rounds_it():
    """1 short × 6.75 yuan × 50% = 3.375: 3.38 on columns too (engine.money, half up to the fen)."""
    row = {
        "unit.kind": "private_enterprise",
        "unit.staff": 200,
        "unit.disabled_employees": 2,
        "unit.dispatch_counted_by": "no_dispatch",
        "unit.average_annual_wage": Decimal("6.75"),
        "unit.seasonal_staff_average": Decimal(0),
        "place.employment_quota_ratio": Decimal("0.015"),
        "place.average_social_wage": Decimal(100000),
    }
    table = assert_same_as_scalar(load_pack("national_fund"), [row], BAOTOU_DAY)
    assert table.column("total.fund.owed").to_pylist() == [Decimal("3.38")]


def test_a_row_on_the_scalar_engine_keeps_every_fact_it_was_given():
    """A row sent to the scalar engine is given all its facts, not only those the columns read: a graduation
    date gives the year the graduate rule tests, and the facts a row names decide whom it concerns."""
    row = {
        "person.disability.certified": True,
        "person.graduation.level": "bachelor",
        "person.graduation.date": date(2024, 6, 30),
        "hire.start_date": date(2024, 7, 1),
        "hire.contract_months": 12,
        "hire.social_insurance": True,
        "hire.public_welfare_post": False,
        "place.monthly_minimum_wage": Decimal("2000.125"),  # 5 times it is finer than a fen: the scalar engine's row
    }
    table = assert_same_as_scalar(load_pack("baotou"), [row], date(2024, 7, 1))
    assert table.column("fallback").to_pylist() == [True]
    assert table.column("state.subsidy.graduate_hire").to_pylist() == ["fired"]
