"""Label PDFs joined into one document, their pages in turn: a batch of labels is one file to print."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2 as pdfium

from shipdesk.printing.errors import PrinterError
from shipdesk.printing.pdfium_lock import PDFIUM_LOCK


def joined_pdf(pdfs: Sequence[bytes]) -> bytes:
    """The PDFs as one document, their pages in turn. Raises PrinterError when one cannot be read."""
    with PDFIUM_LOCK:
        joined = pdfium.PdfDocument.new()
        try:
            for data in pdfs:
                label = pdfium.PdfDocument(data)
                joined.import_pages(label)
                label.close()
            written = io.BytesIO()
            joined.save(written)
        except pdfium.PdfiumError as error:
            raise PrinterError(f"The labels could not be joined into one PDF ({error})") from error
        finally:
            joined.close()
    return written.getvalue()
