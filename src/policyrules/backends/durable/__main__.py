"""``python -m policyrules.backends.durable PACK …``: print the plan of each pack, rule by rule."""

from __future__ import annotations

import sys

from policyrules.engine.loading import load_pack

from .planning import describe_plan


def main(argv: list[str]) -> None:
    for name in argv:
        print(describe_plan(load_pack(name)))


if __name__ == "__main__":
    main(sys.argv[1:])
