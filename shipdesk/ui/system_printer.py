"""Printers the operating system knows, through QtPrintSupport: system://NAME, or system:// for the default printer.

This is how a Windows or macOS station prints PDF labels, slips and pick lists to a printer installed with its
driver (a Zebra with ZDesigner, a laser printer). Each PDF page is rendered at the printer's resolution and drawn
as one-bit dots on a page of the PDF page's own size, so a 4×6 label stays 4×6 and its bars stay sharp.
"""

from __future__ import annotations

import math
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime

from PIL import Image as PILImage
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from shipdesk.printing.connection import system_printer_name
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.raster import rasterise_pdf_pages

# Pages are drawn as images: at 1200 dpi a letter page would take 130 MB, for nothing a label or a slip needs.
MOST_DOTS_PER_INCH = 600


def system_printer_names() -> list[str]:
    """The printers the operating system offers, as it names them."""
    return list(QPrinterInfo.availablePrinterNames())


@dataclass(frozen=True, slots=True)
class SystemPrinter:
    printer_name: str = ""  # empty: the system's default printer

    @property
    def name(self) -> str:
        return f"system printer {self.printer_name!r}" if self.printer_name else "the system's default printer"

    def send(self, job: bytes) -> None:
        """Prints the PDF `job`, one sheet or label a page. Raises PrinterError in the user's words."""
        if not job.startswith(b"%PDF"):
            raise PrinterError(
                f"Cannot print to {self.name}: it takes PDF pages, not printer-language bytes. Set the printer's "
                "language to PDF, or connect it by network, USB, serial port or a raw cups:// queue"
            )
        printer = QPrinter(self._printer_info(), QPrinter.PrinterMode.HighResolution)
        # Each job its own name in the queue: a printer that files jobs by name (a PDF writer) keeps them all.
        printer.setDocName(f"shipdesk-{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}")
        printer.setFullPage(True)
        dpi = raster_resolution(printer.resolution())
        refused = PrinterError(f"Cannot print to {self.name}: the system did not take the job")
        painter = QPainter()
        try:
            for number, (picture, size_points) in enumerate(rasterise_pdf_pages(job, dpi)):
                printer.setPageLayout(_page_of(size_points))
                if not (painter.begin(printer) if number == 0 else printer.newPage()):
                    raise refused
                page = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                painter.drawImage(page, _as_qimage(picture))
        except BaseException as error:
            if painter.isActive():  # half a job is no job: nothing reaches the printer
                printer.abort()
                painter.end()
            if isinstance(error, ValueError):
                raise PrinterError(f"Cannot print to {self.name}: {error}") from error
            raise
        if not painter.isActive() or not painter.end():
            raise refused

    def _printer_info(self) -> QPrinterInfo:
        if not self.printer_name:
            info = QPrinterInfo.defaultPrinter()
            if info.isNull():
                raise PrinterError("This computer has no default printer; choose a printer in the printer's settings")
            return info
        info = QPrinterInfo.printerInfo(self.printer_name)
        if info.isNull():
            known = ", ".join(system_printer_names()) or "none"
            raise PrinterError(
                f"There is no printer named {self.printer_name!r} on this computer (it has: {known}); "
                "check the name in the printer's settings"
            )
        return info


def raster_resolution(printer_dpi: int) -> int:
    """The dots per inch to render at: the printer's own, or a whole fraction of it, so no dot is resampled."""
    return printer_dpi // math.ceil(printer_dpi / MOST_DOTS_PER_INCH) if printer_dpi > 0 else MOST_DOTS_PER_INCH


def _page_of(size_points: tuple[float, float]) -> QPageLayout:
    """A page exactly the PDF page's size, with no margin: the PDF already placed everything."""
    size = QPageSize(QSizeF(*size_points), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF())


def _as_qimage(picture: PILImage.Image) -> QImage:
    grey = picture.convert("L")
    data = grey.tobytes()
    return QImage(data, grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()


def open_system_printer(uri: str) -> SystemPrinter:
    """The SystemPrinter a system:// URI names; makes the Qt application printing needs when there is none yet."""
    if QCoreApplication.instance() is None:
        # The command line has no window. Printing needs no display, and on Linux there may be none to connect to.
        headless = sys.platform.startswith("linux") and "QT_QPA_PLATFORM" not in os.environ
        _keep.append(QGuiApplication(["shipdesk", *(["-platform", "offscreen"] if headless else [])]))
    return SystemPrinter(system_printer_name(uri))


_keep: list[QGuiApplication] = []  # the command line's application lives as long as the process
