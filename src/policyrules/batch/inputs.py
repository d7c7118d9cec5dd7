"""Tables of cases in, as Arrow record batches; each column checked against the vocabulary and made numeric.

Sources: a Parquet file or directory, a CSV file (or ``-``, CSV from standard input), an Arrow table or record
batch, a pandas or polars DataFrame, or an iterable of flat dicts
(``{"unit.staff": 200, ...}``). Columns are flat fact paths; every value is
checked as the case model would check it (whole numbers for counts, one of
the listed words for a choice, a real date, ``disabled_employees`` within
``staff``) and a bad value is reported with its row and column.

Numbers are read exactly: integers, decimals, and text written as decimals.
A binary float is accepted only where it holds a whole number (a pandas
integer column with gaps becomes float); anywhere else it is a bad value,
since money is never read through a float.
"""

from __future__ import annotations

import csv
import io
import sys
import typing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from pydantic import BaseModel

from policyrules.errors import BadValue, InputError, Phrase, TableError
from policyrules.errors.phrases import either
from policyrules.facts.case import AT_MOST, ZERO_WHEN, Case
from policyrules.facts.casefile import csv_number
from policyrules.facts.vocabulary import DEFAULTS, IMPLIED, case_facts, suggestions
from policyrules.reading.textfile import BOM, STDIN, decode, source_name
from policyrules.types import MAX_EXPONENT

from ._deps import need
from .columns import LIMIT, Input

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class FactSpec:
    path: str
    kind: str  # bool | num | text | date
    integer: bool
    choices: Optional[frozenset[Any]]  # the allowed values, when the vocabulary lists them
    low: Optional[Decimal] = None  # numbers: the least value the fact's domain allows
    high: Optional[Decimal] = None  # and the greatest
    domain: str = ""  # the domain in words, as the vocabulary states it


@lru_cache(maxsize=1)
def fact_specs() -> dict[str, FactSpec]:
    out: dict[str, FactSpec] = {}
    for path, info in case_facts().items():
        kind = {"bool": "bool", "number": "num", "string": "text", "date": "date"}[info.type.kind]
        low, high = _bounds(_annotation(path))
        domain = str(getattr(info, "domain", "") or "")
        out[path] = FactSpec(path, kind, info.integer, _choices(path), low, high, domain)
    return out


def _annotation(path: str) -> Any:
    """A fact's type as the case model declares it (Optional removed)."""
    model: type[BaseModel] = Case
    parts = path.split(".")
    annotation: Any = None
    for i, part in enumerate(parts):
        annotation = model.model_fields[part].annotation
        inner = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
        annotation = inner[0] if typing.get_origin(annotation) is typing.Union else annotation
        if i < len(parts) - 1:
            model = annotation
    return annotation


def _bounds(annotation: Any) -> tuple[Optional[Decimal], Optional[Decimal]]:
    """The numeric bounds a fact's type states: ``Field(ge=…, le=…)`` or the JSON Schema of its check."""
    low: Optional[Decimal] = None
    high: Optional[Decimal] = None
    if typing.get_origin(annotation) is not typing.Annotated:
        return low, high
    marks: list[Any] = []
    for mark in annotation.__metadata__:
        marks += [mark, *getattr(mark, "metadata", [])]
    for mark in marks:
        for name, is_low in (("ge", True), ("le", False)):
            value = getattr(mark, name, None)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                low, high = (Decimal(value), high) if is_low else (low, Decimal(value))
        schema = getattr(mark, "json_schema", None)
        if isinstance(schema, dict):
            for alternative in schema.get("anyOf", [schema]):
                if "minimum" in alternative:
                    low = Decimal(alternative["minimum"])
                if "maximum" in alternative:
                    high = Decimal(alternative["maximum"])
    inner_low, inner_high = _bounds(typing.get_args(annotation)[0])
    return (low if low is not None else inner_low), (high if high is not None else inner_high)


def _choices(path: str) -> Optional[frozenset[Any]]:
    model: type[BaseModel] = Case
    parts = path.split(".")
    annotation: Any = None
    for i, part in enumerate(parts):
        annotation = model.model_fields[part].annotation
        inner = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
        annotation = inner[0]
        if i < len(parts) - 1:
            model = annotation
    while typing.get_origin(annotation) is typing.Annotated:  # a Literal with a domain and a check around it
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is typing.Literal:
        return frozenset(typing.get_args(annotation))
    return None


# ---- sources ----


def describe(source: Any) -> str:
    if isinstance(source, str):
        return source_name(source)  # "-" is standard input
    if isinstance(source, Path):
        return str(source)
    return type(source).__name__


def record_batches(source: Any, chunk_rows: int) -> Iterator[Any]:
    """Any supported source as a stream of Arrow record batches of at most ``chunk_rows`` rows."""
    pa = need("pyarrow")
    if isinstance(source, str) and source == STDIN:
        yield from _stdin_batches(chunk_rows)
        return
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise TableError(str(path), [BadValue.of(-1, "-", str(path), "batch.no_such_file")], 1)
        if path.suffix.lower() == ".csv":
            yield from _csv_batches(path, chunk_rows)
            return
        ds = need("pyarrow.dataset")
        pq = need("pyarrow.parquet")
        try:
            files = [str(path)] if path.is_file() else sorted(ds.dataset(str(path), format="parquet").files)
            # file by file, row group by row group: the whole-dataset scanner reads far ahead of what is used
            for name in files:
                for batch in pq.ParquetFile(name).iter_batches(batch_size=chunk_rows):
                    if batch.num_rows:
                        yield batch
        except (pa.ArrowInvalid, OSError) as exc:
            bad = BadValue.of(-1, "-", path.name, "batch.parquet_unreadable", said=str(exc))
            raise TableError(str(path), [bad], 1) from None
        return
    if isinstance(source, pa.RecordBatch):
        source = pa.Table.from_batches([source])
    if isinstance(source, pa.Table):
        yield from source.to_batches(max_chunksize=chunk_rows)
        return
    module = type(source).__module__.split(".")[0]
    if module == "pandas":
        table = pa.Table.from_pandas(source, preserve_index=False).combine_chunks()
        if table.num_rows == 0:  # still a schema to build the result on
            yield pa.RecordBatch.from_pylist([], schema=table.schema)
        yield from table.to_batches(max_chunksize=chunk_rows)
        return
    if module == "polars":
        yield from source.to_arrow().to_batches(max_chunksize=chunk_rows)
        return
    if isinstance(source, Iterable):
        rows = iter(source)
        while True:
            chunk = list(islice(rows, chunk_rows))
            if not chunk:
                return
            yield _dict_batch(pa, chunk)
        return
    raise TypeError(f"cannot read cases from a {type(source).__name__}")


def _flat(row: Any, prefix: str = "", out: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    out = {} if out is None else out
    for key, value in row.items():
        if isinstance(value, dict):
            _flat(value, f"{prefix}{key}.", out)
        else:
            out[f"{prefix}{key}"] = value
    return out


def _dict_batch(pa: Any, chunk: list[Any]) -> Any:
    """Flat (or nested) dicts as a batch of text, bool and date columns; numbers are kept exact as text."""
    rows = [_flat(r) for r in chunk]
    names: dict[str, None] = {}
    for r in rows:
        names.update(dict.fromkeys(r))
    arrays = []
    for name in names:
        values = [r.get(name) for r in rows]
        kinds = {type(v) for v in values if v is not None}
        if kinds and kinds <= {bool}:
            arrays.append(pa.array(values, type=pa.bool_()))
        elif kinds and all(k in (int, Decimal) for k in kinds):
            arrays.append(pa.array([None if v is None else str(v) for v in values], type=pa.string()))
        else:
            try:
                arrays.append(pa.array(values))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arrays.append(pa.array([None if v is None else repr(v) for v in values], type=pa.string()))
    return pa.RecordBatch.from_arrays(arrays, names=list(names)) if names else pa.record_batch({"": [None] * len(rows)})


def _stdin_batches(chunk_rows: int) -> Iterator[Any]:
    """CSV from standard input (``-``), named ``<stdin>`` in errors. Parquet is refused: its reader starts from
    the footer at the end of the file, which a pipe cannot seek to."""
    name = source_name(STDIN)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise _located(name, 0, Phrase.of("file.no_stdin"))
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    try:
        head = buffered.peek(4)[:4]
    except OSError as exc:
        raise _located(name, 0, Phrase.of("batch.stdin_unreadable", said=exc.strerror)) from None
    if head == b"PAR1":
        raise _located(name, 0, Phrase.of("batch.parquet_stdin"))
    yield from _csv_stream(buffered, name, chunk_rows)


def _csv_batches(path: Path, chunk_rows: int) -> Iterator[Any]:
    """A CSV file read as the case-file reader reads one, streamed: UTF-8 (a leading BOM dropped), strict quoting,
    no duplicate header, no row longer than the header, cells trimmed and empty cells missing.

    Every problem names its line; memory holds one block of text and one chunk of rows.
    """
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _located(name, 0, Phrase.of("csv.unreadable", said=exc.strerror)) from None
    with handle:
        yield from _csv_stream(handle, name, chunk_rows)


def _csv_stream(handle: Any, name: str, chunk_rows: int) -> Iterator[Any]:
    pa = need("pyarrow")
    reader = csv.reader(_csv_lines(handle, name), strict=True)

    def broken(exc: csv.Error) -> TableError:
        return _located(name, reader.line_num, Phrase.of("csv.unreadable", said=str(exc)))

    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise _located(name, 1, Phrase.of("csv.empty")) from None
    except csv.Error as exc:
        raise broken(exc) from None
    twice = [
        BadValue.of(-1, h, h, "batch.header_twice", first=header.index(h) + 1, second=i + 1)
        for i, h in enumerate(header)
        if h in header[:i]
    ]
    if twice:
        raise TableError(name, twice, len(twice))
    width = len(header)
    row = 0
    while True:
        chunk: list[list[str]] = []
        try:
            for record in islice(reader, chunk_rows):
                if len(record) > width:
                    fields = {"line": reader.line_num, "n": len(record), "width": width}
                    bad = BadValue.of(row + len(chunk), "-", str(len(record)), "batch.too_many_values", **fields)
                    raise TableError(name, [bad], 1)
                chunk.append(record + [""] * (width - len(record)))
        except csv.Error as exc:
            raise broken(exc) from None
        if not chunk and row:
            return
        columns = zip(*chunk) if chunk else ([] for _ in header)
        arrays = [pa.array([c.strip() or None for c in cells], type=pa.string()) for cells in columns]
        yield pa.RecordBatch.from_arrays(arrays, names=header)
        row += len(chunk)
        if len(chunk) < chunk_rows:
            return


def _csv_lines(handle: Any, name: str) -> Iterator[str]:
    """A binary stream's lines, decoded block by block (strict UTF-8, no control characters), each error with its
    line."""
    line = 1
    while True:
        try:
            block = handle.read(1 << 22)
            block += handle.readline()  # end the block at the end of a line
        except OSError as exc:
            raise _located(name, line, Phrase.of("csv.unreadable", said=exc.strerror)) from None
        if not block:
            return
        try:
            text = decode(block, name)
        except InputError as exc:
            first = exc.problems[0]
            said = Phrase(first.key, first.fields) if first.key else first.message
            if first.location.column:
                said = Phrase.of("batch.at_column", message=said, column=first.location.column)
            raise _located(name, line + (first.location.line or 1) - 1, said) from None
        if line > 1 and block.startswith(BOM.encode()):
            text = BOM + text  # only the file's first mark is dropped
        yield from io.StringIO(text, newline="")
        line += block.count(b"\n")


def _located(name: str, line: int, message: Any) -> TableError:
    """A table that cannot be read, at ``line`` (0: the whole file); ``message`` a Phrase or English text."""
    said = Phrase.of("batch.at_line", line=line, message=message) if line else message
    if isinstance(said, Phrase):
        return TableError(name, [BadValue(-1, "-", "", str(said), said.key, said.fields)], 1)
    return TableError(name, [BadValue(-1, "-", "", said)], 1)


_DOMAINS = {"whole number ≥ 0": "domain.count", "≥ 0": "domain.non_negative", "0 to 1": "domain.share"}


# ---- columns ----


def check_columns(names: list[str], keep: tuple[str, ...], source: str) -> None:
    """Every column is a fact of the vocabulary or one the caller asked to carry through."""
    specs = fact_specs()
    bad = []
    for name in names:
        if name in specs or name in keep:
            continue
        hint = suggestions(name, specs)
        if hint:
            bad.append(BadValue.of(-1, name, name, "batch.unknown_column_hint", hints=either(hint)))
        else:
            bad.append(BadValue.of(-1, name, name, "batch.unknown_column"))
    if bad:
        raise TableError(source, bad, len(bad))


class Converter:
    """Turns record batches into the compiler's inputs, collecting bad values with their rows."""

    def __init__(self, wanted: tuple[str, ...]) -> None:
        self.np = need("numpy")
        self.pa = need("pyarrow")
        self.pc = need("pyarrow.compute")
        self.wanted = set(wanted)
        self.specs = fact_specs()

    def convert(self, batch: Any, offset: int) -> tuple[dict[str, Input], list[BadValue], Any, Any]:
        """(inputs of the facts the pack reads, bad values, rows that are bad, rows for the scalar engine)."""
        np = self.np
        n = batch.num_rows
        bad: list[BadValue] = []
        bad_rows = np.zeros(n, dtype=bool)
        scalar_rows = np.zeros(n, dtype=bool)
        inputs: dict[str, Input] = {}
        numbers: dict[str, Input] = {}
        given: dict[str, Input] = {}  # every fact column read, wanted or not (defaults depend on some)
        unread: dict[str, Any] = {}  # a column's bad values: no check between columns reads them
        for name, column in zip(batch.schema.names, batch.columns):
            spec = self.specs.get(name)
            if spec is None:
                continue
            inp, rows, message, wide = self._column(spec, column, n)
            if rows is not None and rows.any():
                bad_rows |= rows
                unread[name] = rows
                for i in np.flatnonzero(rows)[:1000]:
                    said = _show(column[int(i)].as_py())
                    assert message is not None  # a column with bad rows says what is wrong with them
                    bad.append(BadValue(offset + int(i), name, said, str(message), message.key, message.fields))
            if wide is not None:
                scalar_rows |= wide
            if inp is not None:
                given[name] = inp
                if name in self.wanted:
                    inputs[name] = inp
                if inp.kind == "num":
                    numbers[name] = inp
        for small, large, times in AT_MOST:
            if small in numbers and large in numbers:
                a, b = numbers[small], numbers[large]
                over = (a.values > b.values * times) & ~_nulls(np, a, n) & ~_nulls(np, b, n)
                for path in (small, large):
                    if path in unread:
                        over &= ~unread[path]
                if over.any():
                    bad_rows |= over
                    for i in np.flatnonzero(over)[:1000]:
                        key = "batch.exceeds_twice" if times == 2 else "batch.exceeds"
                        fields = {"small": small.split(".")[1], "large": large.split(".")[1], "b": b.values[i]}
                        bad.append(BadValue.of(offset + int(i), small, str(a.values[i]), key, **fields))
        names = batch.schema.names
        for count, choice, value in ZERO_WHEN:
            if count in numbers and choice in names:
                try:
                    said = self.pc.equal(batch.column(names.index(choice)), value).fill_null(False)
                    clash = said.to_numpy(zero_copy_only=False) & (numbers[count].values > 0)
                    clash &= ~_nulls(np, numbers[count], n)
                    if count in unread:
                        clash &= ~unread[count]
                except (self.pa.ArrowInvalid, self.pa.ArrowNotImplementedError):
                    continue  # a column of the wrong type is reported by its own check
                if clash.any():
                    bad_rows |= clash
                    for i in np.flatnonzero(clash)[:1000]:
                        said = str(numbers[count].values[i])
                        bad.append(
                            BadValue.of(offset + int(i), count, said, "batch.zero_when", choice=choice, said=value)
                        )
        complete_inputs(self.wanted, inputs, given, n)
        bad.sort(key=lambda b: (b.row, b.column))
        return inputs, bad, bad_rows, scalar_rows

    def _column(self, spec: FactSpec, column: Any, n: int) -> tuple[Optional[Input], Any, Optional[Phrase], Any]:
        pa, pc, np = self.pa, self.pc, self.np
        t = column.type
        null = column.is_null().to_numpy(zero_copy_only=False) if column.null_count else None
        if pa.types.is_dictionary(t):
            column = column.cast(t.value_type)
            t = t.value_type
        if spec.kind == "bool":
            if pa.types.is_boolean(t):
                return Input("bool", _np_values(column, False), null), None, None, None
            if pa.types.is_string(t) or pa.types.is_large_string(t):
                lower = pc.utf8_lower(pc.utf8_trim_whitespace(column))
                ok = pc.is_in(lower, value_set=pa.array(["true", "false"]))
                bad = ~_np_values(ok, True) & ~_null_of(null, n)
                values = _np_values(pc.equal(lower, "true"), False)
                return Input("bool", values, null), bad, Phrase.of("batch.bool"), None
            return None, ~_null_of(null, n), Phrase.of("batch.bool"), None
        if spec.kind == "text":
            if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
                return None, ~_null_of(null, n), Phrase.of("batch.text"), None
            enc = pc.dictionary_encode(column)
            vocab = enc.dictionary.to_pylist()
            codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
            bad = None
            if spec.choices is not None:
                wrong = np.array([w not in spec.choices for w in vocab] + [False], dtype=bool)
                bad = wrong[codes]
            message = Phrase.of("batch.choice", choices=", ".join(sorted(map(str, spec.choices or ()))))
            return Input("text", codes, null, 0, vocab), bad, message, None
        if spec.kind == "date":
            return self._date(column, t, null, n)
        return self._number(spec, column, t, null, n)

    def _date(self, column: Any, t: Any, null: Any, n: int) -> tuple[Optional[Input], Any, Optional[Phrase], Any]:
        pa, pc, np = self.pa, self.pc, self.np
        message = Phrase.of("batch.date")
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            trimmed = pc.utf8_trim_whitespace(column)
            shaped = _np_values(pc.match_substring_regex(trimmed, ISO_DATE), False)
            bad = ~shaped & ~_null_of(null, n)
            values = np.full(n, np.datetime64("1970-01-01"), dtype="datetime64[D]")
            for i in np.flatnonzero(shaped):
                try:
                    values[i] = np.datetime64(trimmed[int(i)].as_py(), "D")
                except ValueError:
                    bad[i] = True
            return Input("date", values, null if null is None else null | bad), bad, message, None
        if pa.types.is_timestamp(t):
            column = column.cast(pa.date32())
            t = pa.date32()
        if pa.types.is_date(t):
            values = column.cast(pa.date32()).fill_null(0).to_numpy(zero_copy_only=False).astype("datetime64[D]")
            return Input("date", values, null), None, None, None
        return None, ~_null_of(null, n), message, None

    def _number(
        self, spec: FactSpec, column: Any, t: Any, null: Any, n: int
    ) -> tuple[Optional[Input], Any, Optional[Phrase], Any]:
        pa, pc, np = self.pa, self.pc, self.np
        whole = Phrase.of("batch.whole" if spec.integer else "batch.number")
        isnull = _null_of(null, n)
        if pa.types.is_boolean(t):
            return None, ~isnull, whole, None
        if pa.types.is_integer(t):
            values = column.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
            return self._finish(spec, values, 0, null, np.zeros(n, dtype=bool), whole)
        if pa.types.is_floating(t):
            raw = column.fill_null(0).to_numpy(zero_copy_only=False)
            integral = np.isfinite(raw) & (np.floor(raw) == raw) & (np.abs(raw) < 2**53)
            message = whole if spec.integer else Phrase.of("batch.binary_float")
            values = np.where(integral, raw, 0).astype(np.int64)
            inp, bad, msg, wide = self._finish(spec, values, 0, null, ~integral & ~isnull, message)
            return inp, bad, msg, wide
        if pa.types.is_decimal(t):
            return self._decimal(spec, column, t, null, whole)
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            enc = pc.dictionary_encode(pc.utf8_trim_whitespace(column))
            words = enc.dictionary.to_pylist()
            parsed: list[Optional[Decimal]] = []
            for w in words:
                number = csv_number(w, spec.integer)  # as a case file reads a number
                try:
                    d = None if number is None else Decimal(number)
                except InvalidOperation:
                    d = None
                if d and not -MAX_EXPONENT <= d.adjusted() <= MAX_EXPONENT:  # as the case model bounds a number
                    d = None
                    whole = Phrase.of("batch.out_of_range", exponent=MAX_EXPONENT)
                parsed.append(d)
            scale = max([_scale_of(d) for d in parsed if d is not None] or [0])
            ints = [0 if d is None else int(d.scaleb(scale)) for d in parsed]
            too_big = np.array([abs(v) >= LIMIT for v in ints] + [False], dtype=bool)
            wrong = np.array([d is None for d in parsed] + [False], dtype=bool)
            table = np.array([0 if abs(v) >= LIMIT else v for v in ints] + [0], dtype=np.int64)
            codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            return self._finish(spec, table[codes], scale, null, wrong[codes], whole, too_big[codes])
        return None, ~isnull, whole, None

    def _decimal(
        self, spec: FactSpec, column: Any, t: Any, null: Any, whole: Phrase
    ) -> tuple[Optional[Input], Any, Optional[Phrase], Any]:
        np = self.np
        n = len(column)
        if t.bit_width != 128:
            column = column.cast(self.pa.decimal128(38, t.scale))
        words = np.frombuffer(column.buffers()[1], dtype=np.int64, count=2 * (n + column.offset))[2 * column.offset :]
        low, high = words[0::2], words[1::2]
        wide = (high != (low >> 63)) | (np.abs(low) >= LIMIT)
        values = np.where(wide, 0, low)
        if column.null_count:
            values = np.where(_null_of(column.is_null().to_numpy(zero_copy_only=False), n), 0, values)
        return self._finish(spec, values, t.scale, null, np.zeros(n, dtype=bool), whole, wide)

    def _finish(
        self, spec: FactSpec, values: Any, scale: int, null: Any, bad: Any, message: Optional[Phrase], wide: Any = None
    ) -> tuple[Optional[Input], Any, Optional[Phrase], Any]:
        np = self.np
        n = len(values)
        isnull = _null_of(null, n)
        if spec.integer and scale:
            unit = 10**scale
            bad = bad | ((values % unit) != 0)
            values = values // unit
            scale = 0
        if wide is None:
            wide = np.abs(values) >= LIMIT
        # The least scale that holds every value (decimal(24, 4) of whole numbers is scale 0): products of
        # several decimal facts then stay within int64 instead of overflowing to the scalar engine.
        while scale and len(values) and not (values % 10).any():
            values = values // 10
            scale -= 1
        if spec.choices is not None:
            allowed = np.array(sorted(int(c) for c in spec.choices), dtype=np.int64)
            outside = ~np.isin(values, allowed) & ~bad & ~wide
            if outside.any():
                message = Phrase.of("batch.choice", choices=", ".join(str(c) for c in sorted(spec.choices)))
                bad = bad | outside
        for bound, below in ((spec.low, True), (spec.high, False)):
            if bound is None or not len(values):
                continue
            # the bound at the column's scale: below the least (or above the greatest) value allowed
            limit = bound.scaleb(scale)
            edge = int(limit.to_integral_value(rounding="ROUND_CEILING" if below else "ROUND_FLOOR"))
            if abs(edge) >= LIMIT:
                continue
            outside = (values < edge if below else values > edge) & ~isnull & ~wide
            if outside.any():
                side = "batch.below" if below else "batch.above"
                domain = Phrase.of(_DOMAINS[spec.domain]) if spec.domain in _DOMAINS else spec.domain
                message = Phrase.of(side + "_domain" if domain else side, bound=bound, domain=domain)
                bad = bad | outside
        bad = bad & ~isnull
        return Input("num", values, null, scale), bad, message, wide & ~isnull


def complete_inputs(wanted: set[str], inputs: dict[str, Input], given: dict[str, Input], n: int) -> None:
    """Add the facts the scalar engine fills in itself: a year from its date, a declared neutral default.

    ``given`` holds every fact column read, wanted or not (a default depends on other facts).
    """
    np = need("numpy")
    for implied in IMPLIED:  # a graduation date gives its year, as the scalar engine reads it
        source = given.get(implied.source)
        if implied.path in wanted and source is not None and source.kind == "date":
            inputs[implied.path] = _year_from(np, inputs.get(implied.path), source, n)
    for default in DEFAULTS:  # a declared neutral default of a number, where the scalar engine takes it
        if default.source == "0" and default.path in wanted:
            inputs[default.path] = _defaulted(np, default, given, n)


def _defaulted(np: Any, default: Any, given: dict[str, Input], n: int) -> Input:
    """The default's column: 0 in the rows where ``default.applies`` (the fact missing, the others allow it)."""
    own = given.get(default.path)
    missing = _nulls(np, own, n) if own is not None else np.ones(n, dtype=bool)
    takes = missing.copy()
    for path, values in default.only_if:
        other = given.get(path)
        if other is None:
            continue
        allowed = _nulls(np, other, n).copy()  # the input's own mask is left as it is
        vocab = other.vocab or []
        codes = [vocab.index(v) for v in values if v in vocab]
        if codes:
            allowed |= np.isin(other.values, codes)
        takes &= allowed
    values = np.zeros(n, dtype=np.int64) if own is None else np.where(takes, 0, own.values)
    null = missing & ~takes
    scale = 0 if own is None else own.scale
    return Input("num", values, null if null.any() else None, scale, defaulted=takes if takes.any() else None)


def _year_from(np: Any, year: Optional[Input], day: Input, n: int) -> Input:
    """The year column, filled in from the date column where only the date is given."""
    from_date = day.values.astype("datetime64[Y]").astype(np.int64) + 1970
    date_null = _nulls(np, day, n)
    if year is None:
        return Input("num", np.where(date_null, 0, from_date), date_null if date_null.any() else None)
    year_null = _nulls(np, year, n)
    fill = year_null & ~date_null
    null = year_null & date_null  # a year is a whole number: its column has scale 0
    return Input("num", np.where(fill, from_date, year.values), null if null.any() else None)


def _scale_of(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _null_of(null: Any, n: int) -> Any:
    np = need("numpy")
    return np.zeros(n, dtype=bool) if null is None else null


def _nulls(np: Any, inp: Input, n: int) -> Any:
    return np.zeros(n, dtype=bool) if inp.null is None else inp.null


def _np_values(array: Any, fill: Any) -> Any:
    return array.fill_null(fill).to_numpy(zero_copy_only=False)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def row_facts(batch: Any, i: int, wanted: Iterable[str]) -> dict[str, Any]:
    """Row i of a (checked) batch as the flat, typed facts the scalar engine reads."""
    from datetime import date, datetime

    specs = fact_specs()
    names = set(batch.schema.names)
    out: dict[str, Any] = {}
    for path in wanted:
        if path not in names:
            continue
        value = batch.column(path)[i].as_py()
        if value is None:
            continue
        spec = specs[path]
        if spec.kind == "num":
            d = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
            value = int(d) if spec.integer else d
        elif spec.kind == "bool" and isinstance(value, str):
            value = value.strip().lower() == "true"
        elif spec.kind == "date":
            if isinstance(value, datetime):
                value = value.date()
            elif isinstance(value, str):
                value = date.fromisoformat(value.strip())
        out[path] = value
    return out
