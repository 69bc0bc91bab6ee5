"""The `homthu` command as an operator meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.database import available_migrations


def test_a_config_error_names_the_key_and_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    example = (Path(__file__).resolve().parents[1] / "config.example.toml").read_text(
        encoding="utf-8"
    )
    config.write_text(example.replace('code = "MT"', 'code = "mt-lower"'), encoding="utf-8")
    code = main(["run", "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2
    assert "commune.code" in err
    assert str(config) in err
    assert not (tmp_path / "homthu.sqlite3").exists()  # nothing touched before the config is valid


def test_a_missing_config_file_is_reported_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "--config", str(tmp_path / "nope.toml")])
    assert code == 2
    assert "nope.toml" in capsys.readouterr().err


def test_migrate_creates_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = (Path(__file__).resolve().parents[1] / "config.example.toml").read_text(
        encoding="utf-8"
    )
    config = tmp_path / "config.toml"
    config.write_text(example, encoding="utf-8")
    assert main(["migrate", "--config", str(config)]) == 0
    assert f"schema version {len(available_migrations())}" in capsys.readouterr().out


def test_demo_runs_the_round_trip_and_exits_zero() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMTHU_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Mã tra cứu" in result.stdout
    assert "Trả lời phiếu" in result.stdout
    assert "Traceback" not in result.stderr


def test_terminal_sandbox_lets_a_citizen_start_a_submission() -> None:
    script = "/gopy\n:b 1\n:b 1\n:as lan\n/trogiup\n:quit\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Bước 1/5" in result.stdout  # consent accepted with button 1, then the field question
    assert "Bước 2/5" in result.stdout  # field chosen with button 1
    assert "Dành cho thành viên Ban chỉ đạo" in result.stdout  # Lan sees the member help
