"""[telegram] mode = "webhook": its keys, and a secret that lives only in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import WEBHOOK_SECRET_ENV, parse_config
from bot.domain.errors import ConfigError
from tests.test_config import MINIMAL

SOURCE = Path("/etc/homthu/config.toml")
SECRET = "Xa_My-Thanh_2026_bi-mat"
WEBHOOK = 'mode = "webhook"\nwebhook_url = "https://gopy.mythanh.gov.vn/telegram"\n'


def telegram(extra: str) -> str:
    """MINIMAL with more keys in [telegram]."""
    return MINIMAL.replace("[telegram]\n", "[telegram]\n" + extra, 1)


def test_polling_is_the_default_and_needs_no_secret() -> None:
    settings = parse_config(MINIMAL, SOURCE, env={}).telegram
    assert settings.mode == "polling"
    assert settings.webhook_secret == ""


def test_webhook_mode_reads_its_keys_and_the_secret_from_the_environment() -> None:
    text = telegram(WEBHOOK + 'webhook_port = 9000\nwebhook_path = "/hook/mt"\n')
    settings = parse_config(text, SOURCE, env={WEBHOOK_SECRET_ENV: SECRET}).telegram
    assert settings.mode == "webhook"
    assert settings.webhook_url == "https://gopy.mythanh.gov.vn/telegram"
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 9000)
    assert settings.webhook_path == "/hook/mt"
    assert settings.webhook_max_connections == 40
    assert settings.webhook_secret == SECRET


def test_the_secret_never_shows_in_the_config_repr() -> None:
    config = parse_config(telegram(WEBHOOK), SOURCE, env={WEBHOOK_SECRET_ENV: SECRET})
    assert SECRET not in repr(config)
    assert "webhook_secret=<hidden>" in repr(config.telegram)


def test_webhook_mode_without_the_secret_variable_is_refused() -> None:
    with pytest.raises(ConfigError, match=f"telegram.mode: .*{WEBHOOK_SECRET_ENV}"):
        parse_config(telegram(WEBHOOK), SOURCE, env={})


def test_a_secret_written_in_the_file_is_refused() -> None:
    text = telegram(WEBHOOK + f'webhook_secret = "{SECRET}"\n')
    with pytest.raises(ConfigError, match=r"telegram\.webhook_secret: never in the file") as info:
        parse_config(text, SOURCE, env={WEBHOOK_SECRET_ENV: SECRET})
    assert SECRET not in str(info.value)


def test_a_secret_telegram_would_reject_is_refused_without_being_echoed() -> None:
    bad = "có dấu và khoảng trắng"
    with pytest.raises(ConfigError, match="A-Z, a-z, 0-9") as info:
        parse_config(telegram(WEBHOOK), SOURCE, env={WEBHOOK_SECRET_ENV: bad})
    assert bad not in str(info.value)


def test_webhook_mode_needs_a_public_url() -> None:
    with pytest.raises(ConfigError, match=r'telegram\.webhook_url: required with mode = "webhook"'):
        parse_config(telegram('mode = "webhook"\n'), SOURCE, env={WEBHOOK_SECRET_ENV: SECRET})


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('mode = "push"\n', "telegram.mode"),
        ('webhook_path = "telegram"\n', "telegram.webhook_path"),
        ("webhook_port = 70000\n", "telegram.webhook_port"),
        ("webhook_max_connections = 101\n", "telegram.webhook_max_connections"),
    ],
)
def test_bad_webhook_keys_are_named(extra: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        parse_config(telegram(extra), SOURCE, env={})
