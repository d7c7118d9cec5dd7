"""numpy, pyarrow and dask are imported here, on first use, so `import policyrules` stays light."""

from __future__ import annotations

import importlib
from types import ModuleType

from policyrules.errors import MissingExtra


def need(module: str, extra: str = "batch") -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(module.split(".")[0], extra) from None
