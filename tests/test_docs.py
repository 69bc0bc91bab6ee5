"""The README stays true: its commands exist, its config sample loads, CI runs what it promises."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import TOKEN_ENV, load_config

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

DEMO_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && homthu demo"
TEST_COMMAND = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' "
    "&& python -m pytest -q"
)

_FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_SPAN = re.compile(r"`([^`\n]+)`")
# `homthu <subcommand> [arguments]`, arguments ending at a comment or a shell operator.
_COMMAND = re.compile(r"\bhomthu ([a-z][a-z-]*)((?: +[^\s#&;|]+)*)")


def readme() -> str:
    return README.read_text(encoding="utf-8")


def code_in(markdown: str) -> list[str]:
    """The fenced blocks and inline code spans of a Markdown text: where commands are shown."""
    blocks = _FENCED.findall(markdown)
    return blocks + _SPAN.findall(_FENCED.sub("", markdown))


def homthu_commands(markdown: str) -> dict[str, set[str]]:
    """Each `homthu` subcommand shown in code, with the --options shown with it."""
    commands: dict[str, set[str]] = {}
    for snippet in code_in(markdown):
        for match in _COMMAND.finditer(snippet):
            options = {word for word in match.group(2).split() if word.startswith("--")}
            commands.setdefault(match.group(1), set()).update(options)
    return commands


def help_of(subcommand: str, capsys: pytest.CaptureFixture[str]) -> str:
    """`homthu SUBCOMMAND --help`, which must exit 0."""
    with pytest.raises(SystemExit) as exit_info:
        main([subcommand, "--help"])
    assert exit_info.value.code == 0, f"homthu {subcommand} is not a subcommand"
    return capsys.readouterr().out


def test_readme_shows_the_quick_start_commands_verbatim() -> None:
    text = readme()
    assert DEMO_COMMAND in text
    assert TEST_COMMAND in text


def test_readme_shows_the_operator_contract_subcommands() -> None:
    assert {"run", "migrate", "demo", "sandbox"} <= set(homthu_commands(readme()))


@pytest.mark.parametrize("subcommand", sorted(homthu_commands(readme())))
def test_every_subcommand_in_the_readme_exists_with_the_options_shown(
    subcommand: str, capsys: pytest.CaptureFixture[str]
) -> None:
    usage = help_of(subcommand, capsys)
    for option in homthu_commands(readme())[subcommand]:
        assert option in usage, f"homthu {subcommand} has no {option}"


def test_deploy_files_start_the_bot_with_an_existing_subcommand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    unit = (ROOT / "deploy" / "homthu.service").read_text(encoding="utf-8")
    exec_start = re.search(r"^ExecStart=\S*/homthu (\S+) (.*)$", unit, re.MULTILINE)
    assert exec_start is not None
    assert exec_start.group(1) == "run"
    assert "--config" in help_of("run", capsys)
    assert exec_start.group(2) == "--config /etc/homthu/config.toml"
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert 'CMD ["run", "--config", "/config/config.toml"]' in dockerfile


def test_config_example_loads_with_the_token_from_the_environment() -> None:
    config = load_config(ROOT / "config.example.toml", env={TOKEN_ENV: "123456:EXAMPLE"})
    assert config.telegram.token == "123456:EXAMPLE"
    assert config.fields and config.members and config.chairs


def test_readme_names_the_token_variable_and_every_config_section() -> None:
    text = readme()
    assert TOKEN_ENV in text
    sample = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    for key, value in sample.items():
        if isinstance(value, dict):
            assert f"[{key}]" in text, f"README does not describe [{key}]"
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            assert f"[[{key}]]" in text, f"README does not describe [[{key}]]"
        else:
            assert f"`{key}`" in text, f"README does not describe {key}"


def test_ci_runs_the_readmes_test_command() -> None:
    pytest_command = TEST_COMMAND.rsplit("&& ", 1)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert pytest_command in (line.strip() for line in ci)
