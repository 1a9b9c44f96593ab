"""Labels bought from ShipStation in the window with no printer set up go into the label folder as one PDF of the
batch, as labels made here do: the status bar names the file, and Open labels PDF opens it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.label_pdfs import label_pdf
from shipdesk.cache.settings import LABEL_FOLDER, set_setting
from shipdesk.ui.main_window import MainWindow
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation
from tests.printing.scanning import pdf_scan
from tests.test_label_purchase_claims import order_id, shipstation_with_three_orders, synced_with
from tests.ui.conftest import select_orders, show_window
from tests.ui.print_steps import open_boxes, open_print_dialog, press_print


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    yield from shipstation_with_three_orders()


@pytest.fixture
def synced(cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring) -> Cache:
    return synced_with(cache, fake)


@pytest.fixture
def label_folder(synced: Cache, tmp_path: Path) -> Path:
    folder = tmp_path / "labels"
    set_setting(synced, LABEL_FOLDER, str(folder))
    return folder


@pytest.fixture
def window(synced: Cache, label_folder: Path, qtbot: QtBot) -> MainWindow:
    """The window on ShipStation store Main with no printer set up: labels go into the label folder."""
    return show_window(synced, qtbot)


def buy_with_fedex(window: MainWindow, qtbot: QtBot, *numbers: str) -> None:
    select_orders(window, qtbot, *numbers)
    dialog = open_print_dialog(window)
    dialog.carrier.setCurrentIndex(dialog.carrier.findText("FedEx (SS)"))
    assert dialog.buy.isChecked()
    press_print(window, qtbot, dialog)


def test_bought_labels_go_into_one_pdf_of_the_batch_that_the_status_bar_names_and_offers_to_open(
    window: MainWindow, synced: Cache, fake: FakeShipStation, label_folder: Path, qtbot: QtBot
) -> None:
    buy_with_fedex(window, qtbot, "B-1", "B-2", "B-3")

    [pdf] = sorted(label_folder.glob("*.pdf"))
    assert window.statusBar().currentMessage() == f"Wrote 3 labels to {pdf.name}."
    button = window.batch_printing.open_pdf_button
    assert button.isVisible() and button.text() == "Open labels PDF" and button.pdf == pdf
    assert len(pdfium.PdfDocument(pdf)) == 3  # one page a label, in the order they were bought
    assert pdf_scan(pdf) == [label["trackingNumber"] for label in fake.labels]
    assert open_boxes(window) == []
    for number in ("B-1", "B-2", "B-3"):  # each kept apart too, to print again
        assert label_pdf(synced, order_id(synced, number)) is not None


def page_text(pdf: Path | bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return str(document[0].get_textpage().get_text_range())
    finally:
        document.close()


def test_printing_a_bought_label_again_from_the_window_prints_the_label_shipstation_sold(
    window: MainWindow, synced: Cache, fake: FakeShipStation, label_folder: Path, qtbot: QtBot
) -> None:
    buy_with_fedex(window, qtbot, "B-1")
    [bought] = sorted(label_folder.glob("*.pdf"))

    select_orders(window, qtbot, "B-1")
    dialog = open_print_dialog(window)
    dialog.buy.setChecked(False)  # as the note says: "Untick Buy to print their labels again"
    press_print(window, qtbot, dialog)

    [again] = [pdf for pdf in label_folder.glob("*.pdf") if pdf != bought]
    # The carrier's label, postage and all: a label of shipdesk's own naming FedEx would not be taken by FedEx.
    assert page_text(again) == page_text(bought)
