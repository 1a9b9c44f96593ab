"""What the command prints on a terminal that is not UTF-8, and what `shipdesk` does where there is no display."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakes.desktop_session import orders_file, shipdesk

# A terminal in the C locale where Python keeps it as ASCII (a frozen build or an embedded Python does not always
# switch to UTF-8 by itself), as an old serial console or a `LANG=C` cron job gives.
ASCII_TERMINAL = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}


def test_orders_of_customers_with_accented_names_list_on_an_ascii_terminal(tmp_path: Path) -> None:
    imported = shipdesk(tmp_path, "import-csv", str(orders_file(tmp_path)))
    assert imported.returncode == 0, imported.stderr

    listed = shipdesk(tmp_path, "orders", changes=ASCII_TERMINAL)

    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["1002", "1001"]
    assert "Zo? ?rsted" in lines[1] and "Jos? N??ez" in lines[0]  # the letters it cannot show, as question marks
    assert lines[-1] == "2 orders"


def test_orders_as_json_on_an_ascii_terminal_keep_every_letter(tmp_path: Path) -> None:
    shipdesk(tmp_path, "import-csv", str(orders_file(tmp_path)))

    listed = shipdesk(tmp_path, "orders", "--json", changes=ASCII_TERMINAL)

    assert listed.returncode == 0, listed.stderr
    names = sorted(order["ship_to"]["name"] for order in json.loads(listed.stdout))
    assert names == ["José Núñez", "Zoë Ørsted"]


def test_the_window_asked_for_where_there_is_no_display_says_so_in_a_line(tmp_path: Path) -> None:
    over_ssh = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}

    started = shipdesk(tmp_path, changes=over_ssh)

    assert started.returncode == 1
    assert started.stderr == (
        "shipdesk: there is no display to open the window on (DISPLAY is not set, as in an ssh session); "
        "start shipdesk on the station's desktop, or use its commands (shipdesk --help)\n"
    )
