"""POST /packs/{id}/batch: a table of cases (CSV or Parquet) in, a table of results out, with the batch engine.

The upload is streamed to a temporary file (the body limit for uploads
applies as the bytes arrive), evaluated chunk by chunk into Parquet with
bounded memory, and streamed back as Parquet or CSV. The row limit stops a
run at the first chunk past it; a run past the time limit stops at its next chunk.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Literal, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from policyrules.errors import Phrase, TableError
from policyrules.types import Lang

from ..body import BODY, as_of
from ..problems import TooLarge, UnsupportedMedia
from ..state import Served, chosen_lang, served

router = APIRouter(tags=["packs"])

PARQUET = "application/vnd.apache.parquet"
INPUTS = {"text/csv": ".csv", PARQUET: ".parquet", "application/x-parquet": ".parquet"}
SUMMARY_HEADER = "Policyrules-Summary"


class Stopped(Exception):
    """The client's time ran out: the run stops at its next chunk."""


@router.post(
    "/packs/{pack_id}/batch",
    summary="evaluate a table of cases (CSV or Parquet, columns are dotted fact paths); the result table back",
    response_class=FileResponse,
    responses={200: {"content": {PARQUET: {}, "text/csv": {}}, "description": "one row per case, as `batch` writes"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in ("text/csv", PARQUET)},
        }
    },
)
async def batch(
    pack_id: str,
    request: Request,
    as_of_: Optional[str] = Query(None, alias="as_of", description="evaluation date YYYY-MM-DD (default today)"),
    on_error: Literal["raise", "skip"] = Query(
        "raise", description="a bad value: refuse the table (422, every bad value listed) or skip its row"
    ),
    output: Literal["parquet", "csv"] = Query("parquet", description="format of the result table"),
    s: Served = Depends(served),
    lang: Lang = Depends(chosen_lang),
) -> FileResponse:
    from policyrules.batch import evaluate_to_parquet

    pack = s.catalogue.get(pack_id, lang)
    day = as_of(as_of_)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = INPUTS.get(media)
    if suffix is None:
        raise UnsupportedMedia.of("http.table_media", parquet=PARQUET, media=media or Phrase.of("http.no_media"))
    work = Path(tempfile.mkdtemp(prefix="policyrules-batch-"))
    stop = threading.Event()
    try:
        source = work / f"cases{suffix}"
        with source.open("wb") as handle:
            async for chunk in request.stream():
                handle.write(chunk)
        rows = 0

        def progress(n: int) -> None:
            nonlocal rows
            rows += n
            if rows > s.settings.max_rows:
                raise TooLarge.of("http.max_rows", n=s.settings.max_rows)
            if stop.is_set():
                raise Stopped

        result = work / "result.parquet"
        try:
            summary = await s.worker.run(
                lambda: evaluate_to_parquet(pack, source, result, day, on_error=on_error, progress=progress)
            )
        except TableError as exc:
            raise TableError(BODY, exc.bad, exc.total) from None  # the temporary file's name means nothing to a client
        finally:
            stop.set()  # a run that timed out stops at its next chunk
        body, media_out = result, PARQUET
        if output == "csv":
            body, media_out = work / "result.csv", "text/csv; charset=utf-8"
            await s.worker.run(_parquet_to_csv, result, body)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return FileResponse(
        body,
        media_type=media_out,
        filename=f"{pack.id}-{day.isoformat()}{'.csv' if output == 'csv' else '.parquet'}",
        headers={SUMMARY_HEADER: json.dumps(summary.to_dict(), separators=(",", ":"))},
        background=BackgroundTask(shutil.rmtree, work, True),
    )


def _parquet_to_csv(source: Path, target: Path) -> None:
    """Chunk by chunk; coded columns (the states) are written as their words, lists joined with ';'."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    def plain_column(c: pa.Array) -> pa.Array:
        if pa.types.is_dictionary(c.type):
            return c.dictionary_decode()
        if pa.types.is_fixed_size_binary(c.type):  # a mask of several words: the words, lowest first, as a list
            from policyrules.batch import mask_words

            words = mask_words(c)
            c = pa.FixedSizeListArray.from_arrays(pa.array(words.ravel()), words.shape[1])
            return pc.binary_join(c.cast(pa.list_(pa.string())), ";")
        if pa.types.is_list(c.type) and pa.types.is_struct(c.type.value_type):  # funding: "payer share amount"
            flat = c.flatten()
            fields = [flat.field(i).cast(pa.string()).fill_null("") for i in range(flat.type.num_fields)]
            offsets = pc.subtract(c.offsets, c.offsets[0])
            c = pa.ListArray.from_arrays(offsets, pc.binary_join_element_wise(*fields, " "), mask=c.is_null())
        if pa.types.is_list(c.type) or pa.types.is_large_list(c.type):
            return pc.binary_join(c.cast(pa.list_(pa.string())), ";")
        return c

    parquet = pq.ParquetFile(source)
    writer = None
    try:
        for chunk in parquet.iter_batches():
            columns = [plain_column(c) for c in chunk.columns]
            plain = pa.RecordBatch.from_arrays(columns, names=chunk.schema.names)
            if writer is None:
                writer = pacsv.CSVWriter(str(target), plain.schema)
            writer.write_batch(plain)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        target.write_text(",".join(parquet.schema_arrow.names) + "\n", encoding="utf-8")
