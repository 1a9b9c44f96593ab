"""Where the cache is to be: the first start makes its folder, and a place it cannot be is said as what it is.

A cache reported as "not a shipdesk cache file" when it is one is the message that gets a good cache deleted.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.fakes.desktop_session import data_folder, orders_file, shipdesk


def test_the_first_start_makes_the_data_folder_and_keeps_the_cache_and_log_there(tmp_path: Path) -> None:
    imported = shipdesk(tmp_path, "import-csv", str(orders_file(tmp_path)))

    assert imported.returncode == 0, imported.stderr
    assert sorted(path.name for path in data_folder(tmp_path).iterdir()) == ["shipdesk.log", "shipdesk.sqlite"]


def test_a_db_path_with_spaces_and_accents_in_a_folder_not_made_yet_is_made(tmp_path: Path) -> None:
    cache_path = tmp_path / "Entrepôt Nord" / "poste 2" / "caisse ö.sqlite"

    imported = shipdesk(tmp_path, "--db", str(cache_path), "import-csv", str(orders_file(tmp_path)))
    listed = shipdesk(tmp_path, "--db", str(cache_path), "orders")

    assert imported.returncode == 0, imported.stderr
    assert listed.stdout.splitlines()[-1] == "2 orders"


def test_a_db_path_naming_a_folder_says_it_is_a_folder_and_what_to_give(tmp_path: Path) -> None:
    folder = tmp_path / "station data"
    folder.mkdir()

    listed = shipdesk(tmp_path, "--db", str(folder), "orders")

    assert listed.returncode == 1
    assert listed.stderr == (
        f"shipdesk: {folder} is a folder, not a cache file; name a file in it, such as {folder / 'shipdesk.sqlite'}\n"
    )


def test_a_db_path_under_a_file_says_the_folder_cannot_be_made(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "orders.csv"
    not_a_folder.write_text("Order #\n", encoding="utf-8")

    listed = shipdesk(tmp_path, "--db", str(not_a_folder / "cache.sqlite"), "orders")

    assert listed.returncode == 1
    assert listed.stderr == f"shipdesk: the folder {not_a_folder} for the cache cannot be made: a file has its name\n"


def test_a_data_folder_that_cannot_be_made_is_said_in_a_line(tmp_path: Path) -> None:
    share = tmp_path / ".local" / "share"
    share.mkdir(parents=True)
    share.chmod(0o555)

    listed = shipdesk(tmp_path, "orders", as_plain_user=True)

    assert listed.returncode == 1
    assert listed.stderr == (
        f"shipdesk: the folder {share / 'shipdesk'} for the cache cannot be made (Permission denied)\n"
    )


def test_a_cache_in_a_read_only_folder_is_not_called_another_programs_file(tmp_path: Path) -> None:
    shipdesk(tmp_path, "import-csv", str(orders_file(tmp_path)))
    folder = data_folder(tmp_path)
    folder.chmod(0o555)  # restored from a backup as read-only, or the folder of another user

    listed = shipdesk(tmp_path, "orders", as_plain_user=True)

    folder.chmod(0o755)
    assert listed.returncode == 1
    assert listed.stderr == (
        f"shipdesk: the folder {folder} of the cache is read-only; shipdesk keeps its working files "
        "(shipdesk.sqlite-wal, shipdesk.sqlite-shm) beside the cache, so make the folder writable\n"
    )


def test_a_cache_being_made_by_another_program_is_said_busy_not_foreign(tmp_path: Path) -> None:
    cache_path = tmp_path / "new.sqlite"
    other = sqlite3.connect(cache_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another shipdesk, in the middle of making the new file
    try:
        listed = shipdesk(tmp_path, "--db", str(cache_path), "orders")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert listed.returncode == 1
    assert "not a shipdesk cache file" not in listed.stderr
    assert listed.stderr.startswith("shipdesk: the cache is busy: another shipdesk")
