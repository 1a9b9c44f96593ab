"""Every `shipdesk …` command the README shows is one the command line accepts, so a newcomer's first try works."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from shipdesk.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            while words and "=" in words[0]:  # VARIABLE=value before the command
                words.pop(0)
            if "|" in words:  # shipdesk ... | another program: only shipdesk's part is ours
                words = words[: words.index("|")]
            if words and words[0] == "shipdesk":
                commands.append(shlex.join(words[1:]))
    return commands


def test_the_readme_shows_commands() -> None:
    assert len(readme_commands()) >= 20


@pytest.mark.parametrize("command", readme_commands())
def test_each_readme_command_is_accepted(command: str) -> None:
    build_parser().parse_args(shlex.split(command))
