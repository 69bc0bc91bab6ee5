"""Report tests: real SQLite files, the real catalogues, and the sandbox emulator for uploads."""

from __future__ import annotations

import os

# Before telegram is imported anywhere (as in tests/channels): RetryAfter.retry_after as a
# timedelta, without the deprecation warning that filterwarnings=error would turn into a failure.
os.environ["PTB_TIMEDELTA"] = "1"
