"""The log beside the cache when it cannot be written: the command still says what happened, in its own lines."""

from __future__ import annotations

from pathlib import Path

from shipdesk.app_log import LOG_FILE_NAME
from tests.fakes.desktop_session import a_store_connected_before, data_folder, shipdesk


def test_a_sync_with_a_read_only_log_says_what_failed_and_that_the_log_is_not_written(tmp_path: Path) -> None:
    a_store_connected_before(tmp_path)
    log = data_folder(tmp_path) / LOG_FILE_NAME
    log.write_text("", encoding="utf-8")
    log.chmod(0o444)  # copied from a backup, or left by another user of the station

    synced = shipdesk(tmp_path, "sync", as_plain_user=True)

    assert synced.returncode == 1
    assert synced.stderr.splitlines() == [
        f"shipdesk: the log {log} cannot be written (Permission denied), so it keeps no details of this run",
        "Store Main not synced: No system keyring is available to keep the API secret; install gnome-keyring or "
        "KWallet",
    ]
