"""The dependency directions of DESIGN.md section 3, checked on every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted((ROOT / "bot").rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module name `path` imports (absolute names)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def uses(path: Path, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in imported(path))


def test_the_contract_sees_every_layer() -> None:
    layers = {rel(p).split("/")[1] for p in MODULES if "/" in rel(p)[4:]}
    assert {"domain", "services", "storage", "handlers", "channels"} <= layers


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_telegram_is_imported_only_by_handlers_channels_and_the_composition_root(
    path: Path,
) -> None:
    allowed = (
        rel(path).startswith(("bot/handlers/", "bot/channels/telegram"))
        or rel(path) == "bot/app.py"
    )
    assert allowed or not uses(path, "telegram")


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_aiosqlite_is_imported_only_by_storage(path: Path) -> None:
    assert rel(path).startswith("bot/storage/") or not uses(path, "aiosqlite")


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_apscheduler_is_imported_only_by_the_scheduler(path: Path) -> None:
    assert rel(path) == "bot/scheduler.py" or not uses(path, "apscheduler")


@pytest.mark.parametrize("path", [p for p in MODULES if rel(p).startswith("bot/domain/")], ids=rel)
def test_domain_depends_on_nothing_but_the_standard_library_and_itself(path: Path) -> None:
    for name in imported(path):
        top = name.split(".")[0]
        if top == "bot":
            assert name.startswith("bot.domain"), name
        else:
            assert top in _stdlib(), name


@pytest.mark.parametrize(
    "path", [p for p in MODULES if rel(p).startswith("bot/services/")], ids=rel
)
def test_services_never_reach_for_adapters(path: Path) -> None:
    for adapter in ("bot.storage", "bot.handlers", "bot.channels", "bot.app", "sandbox"):
        assert not uses(path, adapter), f"{rel(path)} imports {adapter}"


@pytest.mark.parametrize("path", [p for p in MODULES if rel(p).startswith("bot/")], ids=rel)
def test_nothing_imports_the_composition_root_but_the_entry_points(path: Path) -> None:
    entry_points = {"bot/cli.py", "bot/demo.py", "bot/terminal_sandbox.py"}
    assert rel(path) in entry_points or not uses(path, "bot.app")


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names) | {"__future__"}
