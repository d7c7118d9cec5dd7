"""The packs a server answers for: the shipped ones and those its operator configured, by id.

A request names a pack only by id; it can never reach a file by path.
"""

from __future__ import annotations

from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledPack
from policyrules.errors import PackNotFound
from policyrules.pack.files import shipped_packs
from policyrules.types import DEFAULT_LANG, Lang


class Catalogue:
    def __init__(self, configured: tuple[str, ...] = ()) -> None:
        sources: dict[str, str] = {name: name for name in shipped_packs()}
        for path in configured:
            pack = load_pack(path)  # a bad configured pack stops the server before it starts
            sources[pack.id] = path
        self._sources = sources
        for name in sources:
            self.get(name)  # compile all now, so the first request is not the slow one

    @property
    def ids(self) -> list[str]:
        return sorted(self._sources)

    def get(self, pack_id: str, lang: Lang = DEFAULT_LANG) -> CompiledPack:
        """The pack with its titles and summaries in ``lang`` (quotes stay as printed)."""
        source = self._sources.get(pack_id)
        if source is None:
            raise PackNotFound.of("pack.not_served", name=pack_id, served=", ".join(self.ids))
        return load_pack(source, lang)

    def all(self, lang: Lang = DEFAULT_LANG) -> list[CompiledPack]:
        return [self.get(i, lang) for i in self.ids]
