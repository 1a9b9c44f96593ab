"""The Printers dialog (File → Printers…): staff add, change, remove, make default and test-print printers in the
window, and the print dialog offers what they saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.printers import (
    PrinterProfile,
    default_printer_profile,
    get_printer,
    list_printers,
    save_printer,
)
from shipdesk.cache.settings import LAST_LABEL_PRINTER, get_setting, set_setting
from shipdesk.printing.connection import ConnectionKind
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.printer_form import PrinterForm
from shipdesk.ui.printers_dialog import PrintersDialog
from tests.fakes.raw_printer import Listener
from tests.printing.cups_server import CupsServer, wait_for_pdf
from tests.ui.conftest import select_orders
from tests.ui.print_steps import BATCH_TIMEOUT_MS, open_print_dialog

OFF = "tcp://127.0.0.1:9"  # nothing listens on the discard port here: a printer that is switched off


@pytest.fixture
def zebra() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def open_printers(window: MainWindow) -> PrintersDialog:
    window.printers_action.trigger()
    [dialog] = [dialog for dialog in window.findChildren(PrintersDialog) if dialog.isVisible()]
    return dialog


def printers_with_a_zebra(window: MainWindow, cache: Cache, qtbot: QtBot) -> PrintersDialog:
    """File → Printers… open and shown, listing one printer: a Zebra on the network."""
    save_printer(cache, PrinterProfile("Zebra", "zpl", "tcp://192.168.1.50:9100"))
    dialog = open_printers(window)
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)


def open_form(dialog: PrintersDialog, qtbot: QtBot, button: QAbstractButton) -> PrinterForm:
    click(qtbot, button)
    form = dialog.form
    assert form is not None and form.isVisible()
    return form


def select_printer(dialog: PrintersDialog, name: str) -> None:
    [item] = [item for item in dialog.printers.findItems(name, Qt.MatchFlag.MatchStartsWith)]
    dialog.printers.setCurrentItem(item)


def fill_network_printer(form: PrinterForm, qtbot: QtBot, name: str, language: str, port: int) -> None:
    qtbot.keyClicks(form.name, name)
    choose(form.language, language)
    choose(form.kind, ConnectionKind.NETWORK)
    qtbot.keyClicks(form.host, "127.0.0.1")
    form.port.setValue(port)


def wait_for_test(qtbot: QtBot, testing: PrinterForm | PrintersDialog) -> None:
    qtbot.waitUntil(lambda: not testing.test_running, timeout=BATCH_TIMEOUT_MS)


def visible(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window())


def test_a_network_zebra_added_through_the_form_is_saved_with_its_uri_and_settings(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    dialog = open_printers(window)
    assert dialog.shown_names() == [] and dialog.empty.isVisible()
    form = open_form(dialog, qtbot, dialog.add_button)
    fill_network_printer(form, qtbot, "Zebra", "zpl", 9101)
    choose(form.dpi, 300)
    choose(form.media, "4x4")
    form.darkness.setValue(20)

    click(qtbot, form.save_button)

    assert not form.isVisible()
    assert get_printer(demo_cache, "Zebra") == PrinterProfile(
        "Zebra", "zpl", "tcp://127.0.0.1:9101", dpi=300, media="4x4", darkness=20, is_default=True
    )  # the first printer becomes the default, as `shipdesk printers add` makes it
    assert dialog.shown_names() == ["Zebra (default)"] and not dialog.empty.isVisible()
    assert dialog.status.text() == "Saved printer Zebra."


def test_a_test_print_from_the_form_reaches_the_printer_before_anything_is_saved(
    window: MainWindow, demo_cache: Cache, zebra: Listener, qtbot: QtBot
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    fill_network_printer(form, qtbot, "Zebra", "zpl", zebra.port)
    form.darkness.setValue(20)

    click(qtbot, form.test_button)
    assert not form.test_button.isEnabled()  # one test at a time
    wait_for_test(qtbot, form)

    assert form.result.text() == "Sent a test label to Zebra."
    assert form.test_button.isEnabled()
    zebra.close()
    [job] = zebra.jobs
    assert job.startswith(b"^XA") and b"~SD20" in job
    assert list_printers(demo_cache) == []
    form.reject()


def test_a_test_print_from_the_list_reaches_the_printer(
    window: MainWindow, demo_cache: Cache, zebra: Listener, qtbot: QtBot
) -> None:
    save_printer(demo_cache, PrinterProfile("Epson", "escpos", OFF, media="80mm"))
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{zebra.port}"))
    dialog = open_printers(window)
    select_printer(dialog, "Zebra")

    click(qtbot, dialog.test_button)
    assert dialog.status.text() == "Sending a test label to Zebra…"
    wait_for_test(qtbot, dialog)

    assert dialog.status.text() == "Sent a test label to Zebra."
    zebra.close()
    [job] = zebra.jobs
    assert job.startswith(b"^XA")


def test_a_test_print_to_a_printer_that_is_off_says_why(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", OFF))
    dialog = open_printers(window)

    click(qtbot, dialog.test_button)  # the only printer is selected
    wait_for_test(qtbot, dialog)

    assert dialog.status.text() == (
        "Test label not printed: The printer at 127.0.0.1:9 did not answer (connection refused)"
    )
    assert dialog.test_button.isEnabled()


def test_a_receipt_printer_test_prints_a_slip(
    window: MainWindow, demo_cache: Cache, zebra: Listener, qtbot: QtBot
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    fill_network_printer(form, qtbot, "Epson", "escpos", zebra.port)
    assert form.media.currentData() == "80mm"  # receipt paper first for a receipt printer
    assert visible(form.cut) and not visible(form.darkness) and not visible(form.speed)
    form.cut.setChecked(True)

    click(qtbot, form.test_button)
    wait_for_test(qtbot, form)

    assert form.result.text() == "Sent a test slip to Epson."
    zebra.close()
    [job] = zebra.jobs
    assert job.startswith(b"\x1b@")  # ESC @, the ESC/POS reset
    assert b"Order TEST" in job and b"TEST-SKU" in job and b"\x1dV" in job  # the slip, then the cut
    click(qtbot, form.save_button)
    assert get_printer(demo_cache, "Epson") == PrinterProfile(
        "Epson", "escpos", f"tcp://127.0.0.1:{zebra.port}", media="80mm", cut=True, is_default=True
    )


def test_a_network_printer_without_a_host_shows_why_and_saves_nothing(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    qtbot.keyClicks(form.name, "Zebra")
    choose(form.kind, ConnectionKind.NETWORK)

    click(qtbot, form.save_button)

    assert form.isVisible()
    assert form.problem.isVisible()
    assert form.problem.text() == (
        "Not saved: a network printer needs its host: an IP address such as 192.168.1.50 or a name."
    )
    assert list_printers(demo_cache) == []
    form.reject()
    assert dialog.shown_names() == []


def test_a_new_printer_cannot_take_the_name_of_another(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    rollo = PrinterProfile("Rollo", "tspl", "usb://0483:5720")
    save_printer(demo_cache, rollo)
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    fill_network_printer(form, qtbot, "Rollo", "zpl", 9100)

    click(qtbot, form.save_button)

    assert form.problem.text() == "Not saved: there is already a printer named 'Rollo'; choose another name."
    assert list_printers(demo_cache) == [rollo]
    form.reject()


def test_editing_a_printer_changes_its_dpi_and_keeps_the_rest(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    zebra = PrinterProfile("Zebra", "zpl", "tcp://192.168.1.50:9100", media="4x6", darkness=20, speed=4)
    save_printer(demo_cache, zebra)
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    assert form.name.text() == "Zebra" and form.host.text() == "192.168.1.50"

    choose(form.dpi, 300)
    click(qtbot, form.save_button)

    assert list_printers(demo_cache) == [PrinterProfile("Zebra", "zpl", zebra.uri, 300, "4x6", 20, 4)]
    assert dialog.shown_names() == ["Zebra"]


def test_renaming_a_printer_keeps_it_the_default_and_the_one_used_last(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", "tcp://192.168.1.50:9100", is_default=True))
    set_setting(demo_cache, LAST_LABEL_PRINTER, "Zebra")
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.edit_button)

    form.name.clear()
    qtbot.keyClicks(form.name, "Zebra desk 1")
    click(qtbot, form.save_button)

    assert list_printers(demo_cache) == [
        PrinterProfile("Zebra desk 1", "zpl", "tcp://192.168.1.50:9100", is_default=True)
    ]
    assert get_setting(demo_cache, LAST_LABEL_PRINTER) == "Zebra desk 1"
    assert dialog.shown_names() == ["Zebra desk 1 (default)"]
    assert dialog.status.text() == "Saved printer Zebra desk 1 (was Zebra)."


def test_removing_a_printer_asks_first(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    save_printer(demo_cache, PrinterProfile("Rollo", "tspl", "usb://0483:5720"))
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", OFF))
    dialog = open_printers(window)
    select_printer(dialog, "Zebra")

    click(qtbot, dialog.remove_button)
    assert dialog.confirm is not None and dialog.confirm.isVisible()
    dialog.confirm.reject()  # Cancel
    assert [profile.name for profile in list_printers(demo_cache)] == ["Rollo", "Zebra"]

    click(qtbot, dialog.remove_button)
    assert dialog.confirm is not None
    [remove] = [button for button in dialog.confirm.buttons() if button.text() == "Remove"]
    click(qtbot, remove)

    assert [profile.name for profile in list_printers(demo_cache)] == ["Rollo"]
    assert dialog.shown_names() == ["Rollo"]
    assert dialog.status.text() == "Removed printer Zebra."


def test_make_default_moves_the_default(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    save_printer(demo_cache, PrinterProfile("Rollo", "tspl", "usb://0483:5720", is_default=True))
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", OFF))
    dialog = open_printers(window)
    select_printer(dialog, "Rollo")
    assert not dialog.default_button.isEnabled()  # already the default
    select_printer(dialog, "Zebra")

    click(qtbot, dialog.default_button)

    default = default_printer_profile(demo_cache)
    assert default is not None and default.name == "Zebra"
    assert dialog.shown_names() == ["Rollo", "Zebra (default)"]
    assert not dialog.default_button.isEnabled()
    assert dialog.status.text() == "Zebra is now the default printer."


def test_a_sheet_printer_goes_to_the_os_queue_or_a_folder_and_test_prints_there(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    qtbot.keyClicks(form.name, "Sheets")
    choose(form.language, "pdf")
    offered = [form.kind.itemData(index) for index in range(form.kind.count())]
    assert offered == [ConnectionKind.SYSTEM, ConnectionKind.OS_QUEUE, ConnectionKind.FOLDER]
    assert not visible(form.darkness) and not visible(form.cut)
    choose(form.kind, ConnectionKind.FOLDER)
    assert visible(form.folder) and not visible(form.host)
    qtbot.keyClicks(form.folder, str(tmp_path / "sheets"))

    click(qtbot, form.test_button)
    wait_for_test(qtbot, form)

    assert form.result.text() == "Sent a test label to Sheets."
    [written] = (tmp_path / "sheets").iterdir()
    assert written.read_bytes().startswith(b"%PDF")
    click(qtbot, form.save_button)
    assert get_printer(demo_cache, "Sheets").uri == (tmp_path / "sheets").as_uri()


def test_a_sheet_printer_can_be_one_the_system_knows_chosen_from_its_list_and_test_prints_there(
    window: MainWindow, demo_cache: Cache, system_cups: CupsServer, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    qtbot.keyClicks(form.name, "Office laser")
    choose(form.language, "pdf")
    assert form.chosen_kind() is ConnectionKind.SYSTEM  # offered first, on every system
    assert visible(form.system_printer) and not visible(form.queue)
    listed = [form.system_printer.itemText(index) for index in range(form.system_printer.count())]
    assert system_cups.pdf_queue in listed
    form.system_printer.setCurrentIndex(listed.index(system_cups.pdf_queue))
    form.grab().save(str(tmp_path / "system-printer-form.png"))

    click(qtbot, form.test_button)
    wait_for_test(qtbot, form)

    assert form.result.text() == "Sent a test label to Office laser."
    system_cups.wait_until_idle()
    assert wait_for_pdf("shipdesk*.pdf").read_bytes().startswith(b"%PDF")
    click(qtbot, form.save_button)
    assert get_printer(demo_cache, "Office laser").uri == f"system://{system_cups.pdf_queue}"


def test_a_label_printer_speaking_a_printer_language_is_never_offered_as_a_system_printer(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    for language in ("zpl", "tspl", "escpos"):
        choose(form.language, language)
        offered = [form.kind.itemData(index) for index in range(form.kind.count())]
        assert ConnectionKind.SYSTEM not in offered, language


def test_the_print_dialog_offers_a_printer_added_in_the_printers_dialog(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    dialog = open_printers(window)
    form = open_form(dialog, qtbot, dialog.add_button)
    fill_network_printer(form, qtbot, "Zebra", "zpl", 9100)
    click(qtbot, form.save_button)
    dialog.accept()

    select_orders(window, qtbot, "1001")
    print_dialog = open_print_dialog(window)

    offered = [print_dialog.printer.itemText(index) for index in range(print_dialog.printer.count())]
    assert offered == ["Zebra (default)", "PDF folder"]
    assert print_dialog.printer.currentText() == "Zebra (default)"
    print_dialog.reject()


def test_closing_the_dialog_waits_for_the_test_print_in_flight(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    busy = Listener(hold_at=0)
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{busy.port}"))
    dialog = open_printers(window)
    click(qtbot, dialog.test_button)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    assert dialog.test_running

    dialog.reject()

    assert not dialog.test_running  # no thread outlives the dialog
    busy.close()


def test_the_list_and_the_form_render(window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path) -> None:
    save_printer(demo_cache, PrinterProfile("Zebra ZD421", "zpl", "tcp://192.168.1.50:9100", is_default=True))
    save_printer(demo_cache, PrinterProfile("Epson", "escpos", "serial:///dev/ttyUSB0?baudrate=19200", media="80mm"))
    dialog = open_printers(window)
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "printers_list.png"))
    form = open_form(dialog, qtbot, dialog.edit_button)
    qtbot.waitExposed(form)
    assert form.grab().save(str(tmp_path / "printer_form.png"))
    assert form.device.text() == "/dev/ttyUSB0" and form.baudrate.currentData() == 19200
    form.reject()


def test_enter_on_a_printer_in_the_list_opens_that_printer_not_a_new_one(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    dialog = printers_with_a_zebra(window, demo_cache, qtbot)
    dialog.printers.setCurrentItem(dialog.printers.topLevelItem(0))
    dialog.printers.setFocus()

    qtbot.keyClick(dialog.printers, Qt.Key.Key_Return)

    assert dialog.form is not None and dialog.form.name.text() == "Zebra"  # Edit, with its settings
    assert dialog.isVisible()
    dialog.form.reject()


def test_a_double_click_on_a_printer_opens_it_and_a_single_click_only_selects(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    dialog = printers_with_a_zebra(window, demo_cache, qtbot)
    tree = dialog.printers
    where = tree.visualItemRect(tree.topLevelItem(0)).center()

    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert dialog.form is None and dialog.selected() is not None

    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert dialog.form is not None and dialog.form.name.text() == "Zebra"
    dialog.form.reject()
