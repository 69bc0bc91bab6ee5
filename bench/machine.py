"""What the figures were measured on: printed at the top of every benchmark's report."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("python-telegram-bot", "httpx", "aiosqlite", "aiohttp", "uvloop", "aiogram", "psutil")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot", "sandbox"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes in bot/ or sandbox/" if dirty else "")


def machine_report() -> str:
    """A few lines naming the machine, the interpreter, the packages, the code and the date."""
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    sqlite = __import__("sqlite3").sqlite_version
    return "\n".join(
        [
            f"date      {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
            f"machine   {os.cpu_count()} CPUs, {_cpu_model()}, {platform.system()} {platform.release()}",
            f"python    {sys.version.split()[0]} ({platform.python_implementation()}), SQLite {sqlite}",
            f"packages  {versions}",
            f"code      {_git_revision()}",
        ]
    )
