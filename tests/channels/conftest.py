"""Channel tests talk to the sandbox emulator through a real python-telegram-bot `Bot`."""

from __future__ import annotations

import os

# Before telegram is imported anywhere: RetryAfter.retry_after as a timedelta, without the
# deprecation warning that filterwarnings=error would turn into a failure.
os.environ["PTB_TIMEDELTA"] = "1"
