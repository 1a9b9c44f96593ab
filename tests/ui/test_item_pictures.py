"""Item pictures in the detail pane: fetched in the background the first time an order is shown, kept in the cache,
and shown from there afterwards, offline too; an image that cannot be had leaves its line without a picture."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.ui.main_window import MainWindow
from shipdesk.upstream.csv_import import import_csv
from tests.fakes.image_server import ImageServer
from tests.ui.conftest import click_order, show_window


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def test_pictures_are_fetched_once_in_the_background_then_shown_from_the_cache(
    cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    with ImageServer({"/mug.png": ("image/png", png())}) as images:
        csv = tmp_path / "orders.csv"
        csv.write_text(
            "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Image URL\n"
            f"P-1,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1,{images.url('/mug.png')}\n"
            f"P-1,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,TEA,Teapot,1,{images.url('/gone.png')}\n"
            "P-2,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,SOCK,Socks,2,\n",
            encoding="utf-8",
        )
        import_csv(cache, csv)
        window: MainWindow = show_window(cache, qtbot)

        click_order(window, qtbot, "P-1")
        qtbot.waitUntil(lambda: window.detail.items.pictures() == [True, False], timeout=20_000)
        qtbot.waitUntil(lambda: window.thumbnails.fetch is None)
        assert sorted(images.requested) == ["/gone.png", "/mug.png"]

    click_order(window, qtbot, "P-2")  # the image host is gone now
    assert window.detail.items.pictures() == [False]
    click_order(window, qtbot, "P-1")
    assert window.detail.items.pictures() == [True, False]
    assert window.thumbnails.fetch is None  # nothing asked again: the missing one waits a day
    qtbot.wait(100)  # new grid cells are shown by the event loop
    window.grab().save(str(tmp_path / "pictures.png"))
