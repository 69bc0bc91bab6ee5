"""Suite-wide settings."""

import os

# Read RetryAfter.retry_after as a timedelta; without it PTB warns, and warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")
