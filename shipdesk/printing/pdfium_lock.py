"""One PDFium call at a time in the whole process.

PDFium is not thread-safe: two threads in it at once, even on different documents, can crash the process. Labels
bought as PDF are rasterised on a batch's worker thread, the system printer's pages on another, and a batch of bought
labels is joined into one PDF on a third, so every use of pypdfium2 holds this lock, from opening a document to
closing it, and lets go of it only between pages.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
