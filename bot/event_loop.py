"""Which asyncio event loop runs the bot: uvloop where it is installed, else the standard one.

uvloop (libuv under asyncio's API) cuts the loop's own share of the work per handled update:
callbacks, sockets, timers. bench/RESULTS.md has the figures. It is a dependency on the platforms
that have wheels for it; elsewhere, or with `HOMTHU_EVENT_LOOP=asyncio` in the environment (to rule
the loop out while chasing a problem), the standard loop runs, with the same behaviour.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

ENV_VAR = "HOMTHU_EVENT_LOOP"
CHOICES = ("uvloop", "asyncio")

Runner = Callable[[Coroutine[Any, Any, T]], T]


def loop_name() -> str:
    """ "uvloop" when it is installed and not turned off, else "asyncio"."""
    wanted = os.environ.get(ENV_VAR, "").strip().lower() or "uvloop"
    if wanted not in CHOICES:
        log.warning("%s=%r is not one of %s; using uvloop if installed", ENV_VAR, wanted, CHOICES)
        wanted = "uvloop"
    if wanted == "asyncio":
        return "asyncio"
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` on the chosen loop."""
    if loop_name() == "uvloop":
        import uvloop

        result: T = uvloop.run(main)
        return result
    return asyncio.run(main)
