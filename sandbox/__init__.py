"""homthu's own Telegram Bot API emulator, used by the demo, the tests and the benchmarks."""

from sandbox.emulator import BotApiEmulator
from sandbox.faults import FaultSpec, RateLimits
from sandbox.recording import RecordedCall

__all__ = ["BotApiEmulator", "FaultSpec", "RateLimits", "RecordedCall"]
