"""`python -m bot` is the same program as `homthu`."""

import sys

from bot.cli import main

sys.exit(main())
