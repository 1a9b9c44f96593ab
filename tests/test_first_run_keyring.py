"""Stores on a desktop whose keyring is missing or in trouble: said in a line of plain words, nothing saved half-way.

The keyring is chosen as on a real desktop, by PYTHON_KEYRING_BACKEND: keyring's own "fail" keyring where the
computer has none, and one whose daemon answers with D-Bus errors (tests/fakes/troubled_keyrings.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.desktop_session import a_store_connected_before, data_folder, shipdesk

SECRET = "s3cret-never-shown"
TROUBLED_KEYRING = "tests.fakes.troubled_keyrings.DBusTroubleKeyring"


def test_adding_a_store_without_a_keyring_says_what_to_install_and_saves_no_store(tmp_path: Path) -> None:
    added = shipdesk(tmp_path, "stores", "add", "shipstation", "--name", "Main", "--api-key", "KEY", input=SECRET)

    assert added.returncode == 1
    assert added.stderr == (
        "shipdesk: No system keyring is available to keep the API secret; install gnome-keyring or KWallet\n"
    )
    assert shipdesk(tmp_path, "stores", "list").stdout == "0 stores\n"


def test_adding_a_store_when_the_keyring_answers_with_an_error_says_so_and_saves_no_store(tmp_path: Path) -> None:
    added = shipdesk(
        tmp_path,
        "stores", "add", "shipstation", "--name", "Main", "--api-key", "KEY",
        input=SECRET,
        changes={"PYTHON_KEYRING_BACKEND": TROUBLED_KEYRING},
    )  # fmt: skip

    assert added.returncode == 1
    assert added.stderr.startswith("shipdesk: The system keyring did not keep the API secret of store Main")
    assert len(added.stderr.splitlines()) == 1
    assert SECRET not in added.stdout + added.stderr
    assert shipdesk(tmp_path, "stores", "list").stdout == "0 stores\n"


@pytest.mark.parametrize("command", [("sync",), ("stores", "test", "Main")])
def test_a_store_whose_keyring_answers_with_an_error_is_not_synced_or_tested_and_says_so_once(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    a_store_connected_before(tmp_path)

    ran = shipdesk(tmp_path, *command, changes={"PYTHON_KEYRING_BACKEND": TROUBLED_KEYRING})

    assert ran.returncode == 1
    assert "The system keyring did not give the API secret of store Main" in ran.stderr
    assert len(ran.stderr.splitlines()) == 1, ran.stderr
    log = (data_folder(tmp_path) / "shipdesk.log").read_text(encoding="utf-8")
    assert "DBusErrorResponse" in log  # the detail, for whoever looks into it
