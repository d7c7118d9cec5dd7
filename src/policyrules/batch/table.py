"""The columnar result: one Arrow schema per pack and date, and record batches built from evaluated chunks.

Every column is named by its kind, a dot, then the rule id or derived fact
(:func:`.outcomes.column_name`), so that no rule id can collide with another
column. For every rule ``R`` (in the pack's evaluation order):

* ``state.R``: one of fired, not, undetermined, excluded, withheld, error;
* ``missing.R``: the facts an undetermined rule lacks, as a bitmask over the
  fact names listed in the schema metadata (``policyrules.missing``): a
  ``uint64``, or the little-endian bytes of several 64-bit words
  (:func:`mask_words`, :func:`decode_mask`);
* obligations: ``status.R`` (met, unmet, due, overdue, unknown) when the rule fires;
* rules with an amount: its figures (``value.R``, ``min.R``, ``max.R``,
  ``cap.R``, ``base.R``, ``count.R``, ``total.R``, ``total_min.R``,
  ``total_max.R``, as the kind of amount has them) as exact decimals, null
  unless the rule fires and the figure is known, and ``amount_missing.R``, the
  facts a fired rule's figure lacks;

and per row: ``row`` (its position in the input), ``derived.NAME`` for every
derived fact, ``fallback`` (decided by the scalar engine) and ``errors``.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from ._deps import need
from .columns import Col
from .outcomes import FIRED, OUTCOME_KINDS, STATES, STATUSES, ChunkOut, Plan, column_name, figure_fields
from .scalar import DERIVED_SCALE, SCALE


def _money_places(unit: Optional[str]) -> int:
    """Decimal places a figure in ``unit`` may have before the scalar engine rounds it (SCALE when not money)."""
    from policyrules.engine.money import money_step

    step = money_step(unit)
    return SCALE if step is None else min(SCALE, -int(step.as_tuple().exponent))


DECIMAL_PRECISION = 38


def schema_for(plan: Plan, keep: list[Any]) -> Any:
    """The output schema; ``keep`` holds the Arrow fields of the input columns carried through."""
    pa = need("pyarrow")
    pack = plan.pack
    dec = pa.decimal128(DECIMAL_PRECISION, SCALE)
    mask = mask_type(pa, plan.masks.words)
    state = pa.dictionary(pa.int8(), pa.string())
    fields = [pa.field("row", pa.int64(), nullable=False)]
    rules_meta = {}
    for rule in pack.rules:
        meta = {"kind": rule.kind, "topic": rule.topic, "title": rule.title}
        if rule.amount is not None:
            meta.update(amount=rule.amount.kind, unit=rule.amount.unit or "", per=list(rule.amount.per))
        if rule.outcome is not None and rule.outcome.duration is not None:
            meta.update(duration_unit=rule.outcome.duration.unit)
        rules_meta[rule.id] = meta
        described = {"policyrules": json.dumps(meta, ensure_ascii=False)}
        fields.append(pa.field(column_name("state", rule.id), state, metadata=described))
        fields.append(pa.field(column_name("missing", rule.id), mask))
        if rule.kind == "obligation":
            fields.append(pa.field(column_name("status", rule.id), state))
        if rule.kind in OUTCOME_KINDS and rule.amount is not None:
            for f in figure_fields(rule):
                fields.append(pa.field(column_name(f, rule.id), dec))
            fields.append(pa.field(column_name("amount_missing", rule.id), mask))
        outcome = rule.outcome
        if rule.kind in OUTCOME_KINDS and outcome is not None and outcome.duration is not None:
            fields.append(pa.field(column_name("duration", rule.id), dec))
            if rule.duration_start is not None:
                fields.append(pa.field(column_name("period", rule.id), pa.int32()))
                fields.append(pa.field(column_name("until", rule.id), pa.date32()))
        if rule.kind in OUTCOME_KINDS and outcome is not None and outcome.funding:
            fields.append(pa.field(column_name("funding", rule.id), FUNDING(pa)))
    types = {"number": DERIVED(pa), "bool": pa.bool_(), "string": pa.string(), "date": pa.date32()}
    for name, decl in pack.derived.items():
        fields.append(pa.field(column_name("derived", name), types[decl.type]))
    fields.append(pa.field("fallback", pa.bool_(), nullable=False))
    fields.append(pa.field("errors", pa.list_(pa.string())))
    fields[1:1] = keep
    metadata = {
        "policyrules.pack": pack.id,
        "policyrules.pack_hash": pack.content_hash,
        "policyrules.as_of": plan.as_of.isoformat(),
        "policyrules.in_force": json.dumps(plan.in_force),
        "policyrules.missing": json.dumps(plan.masks.names),
        "policyrules.states": json.dumps(STATES),
        "policyrules.rules": json.dumps(rules_meta, ensure_ascii=False),
    }
    return pa.schema(fields, metadata=metadata)


def mask_type(pa: Any, words: int) -> Any:
    """A missing-fact mask: ``uint64`` for a pack with at most 64 facts that can be missing, else the mask's
    64-bit words, lowest first, as little-endian bytes (``fixed_size_binary(8 × words)``)."""
    return pa.uint64() if words == 1 else pa.binary(8 * words)


def DERIVED(pa: Any) -> Any:
    """A derived number: finer than a figure, since a derived fact is not rounded (an average given to 8 places
    times a rate of 3 has 11)."""
    return pa.decimal128(DECIMAL_PRECISION, DERIVED_SCALE)


def FUNDING(pa: Any) -> Any:
    """Who pays which share of a fired rule's total: one entry per payer, the amount null when the total is."""
    dec = pa.decimal128(DECIMAL_PRECISION, SCALE)
    return pa.list_(pa.struct([("payer", pa.string()), ("share", dec), ("amount", dec)]))


class Builder:
    """Record batches of the output schema, from a chunk evaluated on columns or from scalar rows."""

    def __init__(self, plan: Plan, schema: Any) -> None:
        self.np = need("numpy")
        self.pa = need("pyarrow")
        self.plan = plan
        self.schema = schema
        self.states = self.pa.array(STATES)
        self.statuses = self.pa.array(STATUSES)
        self._zeros: Any = None  # the mask column of a chunk where nothing is missing
        self._constant: dict[Any, Any] = {}  # columns alike in every chunk of a size (nulls, payers), built once
        self.mask = mask_type(self.pa, plan.masks.words)
        self.coded: dict[str, tuple[str, ...]] = {}  # dictionary-coded columns and their words
        for rule in plan.pack.rules:
            self.coded[column_name("state", rule.id)] = STATES
            if rule.kind == "obligation":
                self.coded[column_name("status", rule.id)] = STATUSES

    # ---- exactness before building ----
    def too_fine(self, out: ChunkOut) -> Any:
        return too_fine(self.plan, out)

    def _known(self, col: Col, n: int) -> Any:
        known = self.plan.masks.known(col.miss)
        if known.__class__ is self.np.ndarray and known.shape == (n,):
            return known
        return self.np.broadcast_to(self.np.asarray(known, dtype=bool), (n,))

    # ---- from columns ----
    def from_chunk(self, out: ChunkOut, rows: Any, keep: list[Any], fallback: Any) -> Any:
        pa, np = self.pa, self.np
        n = out.n
        if self._constant and next(iter(self._constant))[-1] != n:
            self._constant.clear()  # held for one size of chunk at a time: memory stays bounded
        arrays: dict[str, Any] = {"row": pa.array(rows, type=pa.int64())}
        for field, array in zip(self.schema.names[1 : 1 + len(keep)], keep):
            arrays[field] = array
        for rule in self.plan.pack.rules:
            rid = rule.id
            state = pa.array(out.state[rid], type=pa.int8())
            arrays[column_name("state", rid)] = pa.DictionaryArray.from_arrays(state, self.states)
            arrays[column_name("missing", rid)] = self._mask(out.missing[rid], n)
            if rid in out.status:
                codes = out.status[rid]
                idx = pa.array(codes, type=pa.int8(), mask=codes < 0)
                arrays[column_name("status", rid)] = pa.DictionaryArray.from_arrays(idx, self.statuses)
            if rid in out.figures:
                fired = out.state[rid] == FIRED
                for f, col in out.figures[rid].items():
                    arrays[column_name(f, rid)] = self._decimal(col, n, fired)
                known_fired = fired
                arrays[column_name("amount_missing", rid)] = self._mask(
                    self.plan.masks.where(known_fired, out.amount_missing[rid], None, n), n
                )
            if rid in out.durations:
                col = out.durations[rid]
                fired = out.state[rid] == FIRED
                dec = pa.decimal128(DECIMAL_PRECISION, SCALE)
                arrays[column_name("duration", rid)] = (
                    self._nulls(n, dec) if col is None else self._decimal(col, n, fired)
                )
                if rid in out.periods:
                    period, until = out.periods[rid]
                    fired_period = fired & (period > 0)
                    arrays[column_name("period", rid)] = pa.array(
                        period.astype(np.int32), type=pa.int32(), mask=~fired_period
                    )
                    fired_until = fired & ~np.isnat(until)
                    arrays[column_name("until", rid)] = pa.array(
                        np.where(fired_until, until, np.datetime64(0, "D")), type=pa.date32(), mask=~fired_until
                    )
            if rid in out.funding:
                arrays[column_name("funding", rid)] = self._funding(out.funding[rid], out.state[rid] == FIRED, n)
        for name, decl in self.plan.pack.derived.items():
            arrays[column_name("derived", name)] = self._derived(out.derived.get(name), decl.type, n)
        arrays["fallback"] = pa.array(fallback, type=pa.bool_())
        arrays["errors"] = self._nulls(n, pa.list_(pa.string()))
        return pa.RecordBatch.from_arrays([arrays[name] for name in self.schema.names], schema=self.schema)

    def _funding(self, shares: list[tuple[str, Any, Optional[Col]]], fired: Any, n: int) -> Any:
        """One list of (payer, share, amount) per fired row, payer by payer; null where the rule does not fire."""
        pa, np = self.pa, self.np
        k = len(shares)
        dec = pa.decimal128(DECIMAL_PRECISION, SCALE)
        key = (tuple((payer, share) for payer, share, _ in shares), n)
        if key not in self._constant:  # the same for every chunk of n rows: built once
            each = pa.array(np.tile(np.arange(k, dtype=np.int32), n))  # row by row, payer by payer
            self._constant[key] = (
                pa.array([payer for payer, _, _ in shares], type=pa.string()).take(each),
                pa.array([share for _, share, _ in shares], type=dec).take(each),
            )
        payers, rates = self._constant[key]
        scale = max([a.scale for _, _, a in shares if a is not None] or [0])
        values = np.zeros((n, k), dtype=np.int64)
        valid = np.zeros((n, k), dtype=bool)
        for i, (_, _, a) in enumerate(shares):
            if a is not None:
                v = np.asarray(a.val, dtype=np.int64)
                factor = 10 ** (scale - a.scale)
                if factor > 1 and n and int(np.abs(v).max()) >= 2**62 // factor:  # one payer's amount at a time
                    order = pa.array(np.arange(n * k, dtype=np.int64).reshape(k, n).T.ravel())
                    parts = [self._nulls(n, dec) if x is None else self._decimal(x, n, fired) for _, _, x in shares]
                    amounts = pa.concat_arrays(parts).take(order)
                    break
                values[:, i] = v * factor
                valid[:, i] = self._known(a, n) & fired
        else:
            amounts = self._decimals(values.ravel(), scale, valid.ravel())
        struct = pa.StructArray.from_arrays([payers, rates, amounts], names=["payer", "share", "amount"])
        offsets = pa.array(np.arange(0, n * k + 1, k, dtype=np.int32))
        return pa.ListArray.from_arrays(offsets, struct, type=FUNDING(pa), mask=pa.array(~fired))

    def _mask(self, m: Any, n: int) -> Any:
        pa, np = self.pa, self.np
        masks = self.plan.masks
        if masks.words == 1:
            return pa.array(masks.full(m, n), type=pa.uint64())
        if m is None and self._zeros is not None and len(self._zeros) == n:
            return self._zeros  # nothing missing on any row: one shared array
        rows = np.zeros((n, masks.words), dtype=np.uint64)  # row by row, word by word: the bytes of the mask
        for w, x in enumerate(m or ()):
            if x is not None:
                rows[:, w] = x
        array = pa.FixedSizeBinaryArray.from_buffers(self.mask, n, [None, pa.py_buffer(rows)])
        if m is None:
            self._zeros = array
        return array

    def _decimal(self, col: Col, n: int, used: Any = True, target: int = SCALE) -> Any:
        """Exact scaled integers as decimal128(38, target), null where unknown or unused."""
        pa, np = self.pa, self.np
        valid = np.broadcast_to(self._known(col, n) & used, (n,))
        if not valid.any():
            return self._nulls(n, pa.decimal128(DECIMAL_PRECISION, target))
        return self._decimals(np.broadcast_to(np.asarray(col.val, dtype=np.int64), (n,)), col.scale, valid, target)

    def _nulls(self, n: int, type_: Any) -> Any:
        """A column of n nulls (arrays are immutable: one is shared by every column and chunk that needs it)."""
        key = (type_, n)
        if key not in self._constant:
            self._constant[key] = self.pa.nulls(n, type_)
        return self._constant[key]

    def _decimals(self, values: Any, scale: int, valid: Any, target: int = SCALE) -> Any:
        pa, np = self.pa, self.np
        n = len(values)
        if scale > target:  # rows that do not divide exactly were sent to the scalar engine
            values = values // 10 ** (scale - target)
            scale = target
        values = values * valid
        factor = 10 ** (target - scale)
        wide = factor > 1 and (int(np.abs(values).max()) if n else 0) * factor >= 2**63
        if not wide:  # the common case: the rescaled value still fits in 64 bits
            values = values * factor
            scale = target
        words = np.empty((n, 2), dtype=np.int64)
        words[:, 0] = values
        words[:, 1] = values >> 63
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        array = pa.Array.from_buffers(pa.decimal128(DECIMAL_PRECISION, scale), n, [bitmap, pa.py_buffer(words)])
        return array if scale == target else array.cast(pa.decimal128(DECIMAL_PRECISION, target))

    def _derived(self, col: Optional[Col], kind: str, n: int) -> Any:
        pa, np = self.pa, self.np
        types = {
            "number": DERIVED(pa),
            "bool": pa.bool_(),
            "string": pa.string(),
            "date": pa.date32(),
        }
        if col is None:
            return self._nulls(n, types[kind])
        if kind == "number":
            return self._decimal(col, n, target=DERIVED_SCALE)
        invalid = ~self._known(col, n)
        if kind == "string":
            if col.vocab is None:
                codes = np.zeros(n, dtype=np.int32)
                vocab = [col.val]
            else:
                codes = np.broadcast_to(np.asarray(col.val, dtype=np.int32), (n,))
                vocab = col.vocab
                invalid = invalid | (codes < 0)
            idx = pa.array(np.where(invalid, 0, codes), type=pa.int32(), mask=invalid)
            return pa.DictionaryArray.from_arrays(idx, pa.array(vocab, type=pa.string())).cast(pa.string())
        values = np.broadcast_to(np.asarray(col.val), (n,))
        if kind == "date":
            return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=invalid)
        return pa.array(values.astype(bool), type=pa.bool_(), mask=invalid)

    # ---- from scalar rows ----
    def from_rows(self, rows: list[dict[str, Any]]) -> Any:
        pa = self.pa
        arrays = []
        for field in self.schema:
            values = [r.get(field.name) for r in rows]
            if field.name in self.coded:
                words = self.coded[field.name]
                dictionary = self.states if words is STATES else self.statuses
                idx = pa.array([None if v is None else words.index(v) for v in values], type=pa.int8())
                arrays.append(pa.DictionaryArray.from_arrays(idx, dictionary))
            else:
                arrays.append(pa.array(values, type=field.type))
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def merge(self, vector: Any, scalar: Any, scalar_positions: Any) -> Any:
        """The chunk's batch with the rows at ``scalar_positions`` replaced by the scalar engine's rows."""
        pa, np = self.pa, self.np
        if scalar.num_rows == 0:
            return vector
        n = vector.num_rows
        take = np.arange(n)
        take[scalar_positions] = n + np.arange(len(scalar_positions))
        table = pa.Table.from_batches([vector, scalar]).take(pa.array(take))
        return table.combine_chunks().to_batches()[0]


def too_fine(plan: Plan, out: ChunkOut) -> Any:
    """Rows with a figure or derived number finer than the output scale, or a money figure finer than its
    currency's step (the scalar engine rounds those, engine.money): the scalar engine reports them."""
    np = need("numpy")
    rows = np.zeros(out.n, dtype=bool)
    places = {r.id: _money_places(r.amount.unit) for r in plan.pack.rules if r.amount is not None}
    cols: list[tuple[Optional[Col], Any, int]] = [
        (c, out.state[r] == FIRED, places.get(r, SCALE)) for r, f in out.figures.items() for c in f.values()
    ]
    cols += [(c, True, DERIVED_SCALE) for c in out.derived.values() if c is not None and c.kind == "num"]
    cols += [(c, out.state[r] == FIRED, SCALE) for r, c in out.durations.items()]
    cols += [(a, out.state[r] == FIRED, SCALE) for r, shares in out.funding.items() for _, _, a in shares]
    for col, used, limit in cols:
        if col is None or col.scale <= limit:
            continue
        unit = 10 ** (col.scale - limit)
        known = np.broadcast_to(np.asarray(plan.masks.known(col.miss), dtype=bool), (out.n,))
        rows |= np.broadcast_to((np.asarray(col.val) % unit) != 0, (out.n,)) & used & known
    return rows


def missing_names(schema: Any) -> list[str]:
    return json.loads(schema.metadata[b"policyrules.missing"])


def decode_mask(names: list[str], value: Any) -> list[str]:
    """The fact names of one ``missing.R`` value (an int, or the bytes of a mask of several words)."""
    if value is None:
        return []
    if isinstance(value, bytes):
        value = int.from_bytes(value, "little")
    return [names[i] for i in range(len(names)) if value >> i & 1]


def mask_words(column: Any) -> Any:
    """A mask column (Arrow array or chunked array) as a numpy array of shape (rows, words), uint64, zero for
    null."""
    np = need("numpy")
    pa = need("pyarrow")
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_unsigned_integer(array.type):
        return array.fill_null(0).to_numpy(zero_copy_only=False).astype(np.uint64).reshape(len(array), 1)
    words = array.type.byte_width // 8
    data = np.frombuffer(array.buffers()[1], dtype=np.uint64, count=(array.offset + len(array)) * words)
    out = data[array.offset * words :].reshape(len(array), words)
    if array.null_count:
        out = out * array.is_valid().to_numpy(zero_copy_only=False)[:, None]
    return out
