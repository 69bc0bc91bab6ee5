"""Run a `python -m ...` server of this repository in its own process, for tests that need one."""

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@asynccontextmanager
async def served_module(
    module: str, args: list[str], port_file: Path, stop_seconds: float = 5.0
) -> AsyncIterator[str]:
    """Start `python -m module args --port-file port_file`, yield its loopback root URL once it
    wrote its port, and SIGTERM it afterwards, asserting that it exits cleanly (code 0)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, *args, "--port-file", str(port_file),
        cwd=PROJECT_ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        port = None
        for _ in range(200):
            port = _written_port(port_file)
            if port:
                break
            await asyncio.sleep(0.05)
        assert port, f"python -m {module} wrote no port within 10 s"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), stop_seconds) == 0


def _written_port(port_file: Path) -> str | None:
    return port_file.read_text() if port_file.exists() else None
