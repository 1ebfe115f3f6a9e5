"""The README stays true: its configuration table and CLI table match the code."""

from __future__ import annotations

import re

import typer

from app.cli import cli
from app.config import Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_and_every_documented_variable_exists() -> None:
    documented = set(re.findall(r"^\| `NEWSARCHIVE_([A-Z_]+)` \|", README, flags=re.MULTILINE))
    fields = {name.upper() for name in Settings.model_fields}
    assert documented == fields


def test_every_cli_command_is_documented() -> None:
    group = typer.main.get_group(cli)
    commands = set()
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        commands |= {f"{name} {sub}" for sub in subcommands} if subcommands else {name}
    documented = set(
        re.findall(r"^\| `newsarchive ([a-z-]+(?: [a-z-]+)?)", README, flags=re.MULTILINE)
    )
    documented = {entry if entry.startswith("db ") else entry.split()[0] for entry in documented}
    assert documented == commands


def test_the_readme_test_command_is_what_ci_runs() -> None:
    command = "pip install -e '.[test]' && pytest"
    assert f"\n{command}\n" in README
    assert f"\n{command}\n" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
