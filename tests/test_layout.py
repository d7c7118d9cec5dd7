"""The stage layout: imports flow one way, down the pipeline, and the public names stay put."""

from __future__ import annotations

import ast
import importlib
import warnings
from pathlib import Path

import pytest

import policyrules

SRC = Path(policyrules.__file__).parent

# Lowest first. A module may import its own subpackage and any earlier layer,
# never a later one and never a sibling of its own layer.
LAYERS: list[tuple[str, ...]] = [
    ("errors",),
    ("units",),
    ("dates",),
    ("types",),
    ("reading",),
    ("expr",),
    ("facts",),
    ("pack",),
    ("engine",),
    ("backends", "batch"),
    ("check",),
    ("compare",),
    ("compliance",),
    ("interfaces",),
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
# The package's own front door and the table of moved modules sit above every stage.
TOP = {"__init__", "_moved"}


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out += [(node.lineno, target)]
            if not node.module:  # from . import x: x may be a module of its own stage
                out += [(node.lineno, f"{target}.{a.name}") for a in node.names]
    return [(line, name) for line, name in out if name == "policyrules" or name.startswith("policyrules.")]


def _modules() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((path, module))
    return out


def violations() -> list[str]:
    found = []
    for path, module in _modules():
        stage = _stage(module)
        if stage in TOP:
            continue
        assert stage in RANK, f"{module}: stage {stage!r} is in no layer of tests/test_layout.py"
        for line, target in _imports(path, module):
            to = _stage(target)
            if to == stage:
                continue
            if to in TOP or to not in RANK or RANK[to] >= RANK[stage]:
                found.append(f"{path.relative_to(SRC.parent)}:{line}: {stage} imports {target}")
    return found


def test_imports_flow_down_the_pipeline() -> None:
    assert violations() == []


def test_the_check_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = SRC / "engine" / "evaluator.py"
    found = _imports(module, "policyrules.engine.evaluator")
    assert all(RANK[_stage(t)] <= RANK["engine"] for _, t in found)
    planted = tmp_path / "evaluator.py"
    planted.write_text("from policyrules.compare import behaviour\nfrom ..interfaces import cli\n")
    names = [t for _, t in _imports(planted, "policyrules.engine.evaluator")]
    assert "policyrules.compare" in names and "policyrules.interfaces" in names
    assert all(RANK[_stage(t)] > RANK["engine"] for t in names)


def test_top_level_modules_are_few() -> None:
    flat = sorted(p.stem for p in SRC.glob("*.py") if p.stem not in TOP)
    assert flat == ["dates", "types", "units"]
    # errors is the fourth: a package, the error types and the phrases that say them in either language
    assert sorted(p.name for p in (SRC / "errors").glob("*.py")) == ["__init__.py", "phrases.py"]


def test_public_names_resolve() -> None:
    assert policyrules.__all__ == sorted(policyrules.__all__)
    for name in policyrules.__all__:
        assert getattr(policyrules, name) is not None


def test_every_public_name_is_exported() -> None:
    """A public class or function defined at the top of the package is in ``__all__``."""
    public = {
        name
        for name, obj in vars(policyrules).items()
        if not name.startswith("_") and callable(obj) and getattr(obj, "__module__", "").startswith("policyrules")
    }
    assert public <= set(policyrules.__all__)


def test_exported_errors_and_functions_name_the_public_module() -> None:
    assert policyrules.PackError.__module__ == "policyrules"
    assert policyrules.load_case.__module__ == "policyrules"
    assert repr(policyrules.Pack).startswith("<class 'policyrules.Pack'")


@pytest.mark.parametrize("old", sorted(__import__("policyrules._moved", fromlist=["MOVED"]).MOVED))
def test_old_module_paths_still_import_with_a_warning(old: str) -> None:
    from policyrules._moved import MOVED

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(f"policyrules.{old}")
    new = importlib.import_module(f"policyrules.{MOVED[old]}")
    public = [k for k in vars(new) if not k.startswith("_") and getattr(vars(new)[k], "__module__", "") == new.__name__]
    assert public and all(getattr(module, k) is vars(new)[k] for k in public)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught) or old in __import__("sys").modules


def test_testing_is_public_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from policyrules import testing

    assert hasattr(testing, "evaluations")
