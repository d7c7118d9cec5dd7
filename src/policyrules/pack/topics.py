"""The shared topic list (rules/topics.yaml): what lets two packs be compared rule by rule."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, RootModel

from policyrules.errors import InputError, PackError
from policyrules.reading.yamlsource import read_document
from policyrules.types import STRICT

from .schema import Text


class Topic(BaseModel):
    model_config = STRICT
    label: Text
    definition: str


class TopicList(RootModel[dict[str, Topic]]):
    pass


@lru_cache(maxsize=4)
def load_topics(path: Path) -> dict[str, Topic]:
    from policyrules.reading.validate import validate_model

    try:
        doc = read_document(path)
    except InputError as exc:
        raise PackError(exc.problems) from None
    return validate_model(TopicList, doc, PackError).root
