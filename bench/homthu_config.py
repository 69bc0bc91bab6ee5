"""A homthu config for benchmarks: the packaged sample, pointed at the emulator, with a pacing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config, parse_config, sample_config_text

TOKEN = "123456:SANDBOX"  # the sample config's token, which the emulator is started with


@dataclass(frozen=True)
class Pacing:
    """The [outbox] keys that decide how fast homthu may send."""

    name: str
    global_rate: float
    per_chat_rate: float
    per_chat_burst: int
    description: str


PACINGS = {
    # What `homthu demo`, the e2e tests and the crash tests run with (bot/demo.py sandbox_config).
    "sandbox": Pacing("sandbox", 200.0, 50.0, 10, "demo/test pacing: 200 msg/s overall, 50/s per chat, burst 10"),
    # The packaged sample and config.example.toml: just under Telegram's real limits.
    "production": Pacing("production", 25.0, 1.0, 3, "production pacing: 25 msg/s overall, 1/s per chat, burst 3"),
    # The outbox's cap lifted far above what the bot can reach, like the echo bots, which have
    # none: what is left is the bot's own cost. (At 200 msg/s, 8 updates and 11 messages per
    # submission cap intake at about 145 updates/s whatever the bot's speed.)
    "unpaced": Pacing("unpaced", 100_000.0, 10_000.0, 100, "no pacing: 100,000 msg/s overall, 10,000/s per chat, burst 100"),
}  # fmt: skip


def write_config(
    folder: Path, root_url: str, pacing: Pacing, *, db_path: Path | None = None
) -> tuple[Path, Path]:
    """Write `folder/homthu.toml` for the emulator at `root_url`; return (config, database)."""
    db_path = db_path or folder / "homthu.sqlite3"
    text = sample_config_text()
    for key, value in (
        ("base_url", json.dumps(f"{root_url}/bot")),
        ("base_file_url", json.dumps(f"{root_url}/file/bot")),
        ("path", json.dumps(str(db_path))),
        ("global_rate", repr(pacing.global_rate)),
        ("per_chat_rate", repr(pacing.per_chat_rate)),
        ("per_chat_burst", str(pacing.per_chat_burst)),
    ):
        text, count = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
        if count != 1:
            raise RuntimeError(f"sample config: expected one `{key} =` line, found {count}")
    config_path = folder / "homthu.toml"
    config_path.write_text(text, encoding="utf-8")
    return config_path, db_path


def load(config_path: Path) -> Config:
    """The config as homthu will read it (validates what `write_config` wrote)."""
    return parse_config(config_path.read_text(encoding="utf-8"), config_path, env={})
