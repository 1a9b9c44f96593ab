"""Once the shop's image server is well again, the pictures it failed to give come back within minutes, in the detail
pane and on the packing slips, instead of staying missing for the rest of the day."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache import thumbnails as kept_thumbnails
from shipdesk.cli import main
from shipdesk.domain import utc_now
from shipdesk.ui.main_window import MainWindow
from shipdesk.upstream.csv_import import import_csv
from tests.fakes.image_host_in_trouble import ImageHostInTrouble
from tests.ui.conftest import click_order, show_window

HEADINGS = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Image URL\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def orders_csv(folder: Path, host: ImageHostInTrouble) -> Path:
    csv = folder / "orders.csv"
    csv.write_text(
        HEADINGS + f"P-1,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1,{host.url('/mug.png')}\n"
        "P-2,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,SOCK,Socks,2,\n",
        encoding="utf-8",
    )
    return csv


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Moves the station's clock, as seen by the thumbnail cache, forward by the time given."""
    ahead = [timedelta(0)]

    def moved_now() -> datetime:
        return utc_now() + ahead[0]

    monkeypatch.setattr(kept_thumbnails, "utc_now", moved_now)

    def move(by: timedelta) -> None:
        ahead[0] += by

    return move


def pdf_image_count(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return sum(1 for line in listing.splitlines()[2:] if line.split()[2] == "image")


def test_the_detail_pane_shows_a_picture_a_few_minutes_after_the_image_server_recovered(
    cache: Cache, qtbot: QtBot, tmp_path: Path, clock: Callable[[timedelta], None]
) -> None:
    with ImageHostInTrouble({"/mug.png": ("image/png", png())}, trouble=503) as host:
        import_csv(cache, orders_csv(tmp_path, host))
        window: MainWindow = show_window(cache, qtbot)

        click_order(window, qtbot, "P-1")
        qtbot.waitUntil(lambda: host.requested == ["/mug.png"], timeout=20_000)
        qtbot.waitUntil(lambda: window.thumbnails.fetch is None)
        assert window.detail.items.pictures() == [False]

        host.trouble = None  # the server is well again
        click_order(window, qtbot, "P-2")
        click_order(window, qtbot, "P-1")
        assert window.thumbnails.fetch is None  # not asked again at every click

        clock(timedelta(minutes=6))
        click_order(window, qtbot, "P-2")
        click_order(window, qtbot, "P-1")
        qtbot.waitUntil(lambda: window.detail.items.pictures() == [True], timeout=20_000)
        qtbot.waitUntil(lambda: window.thumbnails.fetch is None)
    qtbot.wait(100)  # new grid cells are shown by the event loop


def test_a_packing_slip_printed_a_few_minutes_after_the_image_server_recovered_shows_the_picture(
    tmp_path: Path, clock: Callable[[timedelta], None]
) -> None:
    db = tmp_path / "cache.sqlite"
    with ImageHostInTrouble({"/mug.png": ("image/png", png())}, trouble=429) as host:
        assert main(["--db", str(db), "import-csv", str(orders_csv(tmp_path, host))]) == 0
        assert main(["--db", str(db), "slips", "P-1", "--out", str(tmp_path / "busy.pdf")]) == 0
        assert pdf_image_count(tmp_path / "busy.pdf") == 0

        host.trouble = None
        clock(timedelta(minutes=6))
        assert main(["--db", str(db), "slips", "P-1", "--out", str(tmp_path / "well.pdf")]) == 0

    assert pdf_image_count(tmp_path / "well.pdf") == 1
    assert host.requested == ["/mug.png", "/mug.png"]
