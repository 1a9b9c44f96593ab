"""A printer that writes each job to one named file, as `shipdesk label --out FILE` asks.

The file appears whole or not at all, and replaces whatever was at that path before.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import os_error_reason, write_file_whole


class FilePrinter:
    """Prints a job by writing its bytes to `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def print_pdf(self, data: bytes, name_hint: str = "") -> Path:
        """Writes `data` to the file (the hint is not used: the user named the file); returns its path."""
        return self.print_bytes(data)

    def print_bytes(self, data: bytes) -> Path:
        target = self.path
        if target.is_dir():
            raise PrinterError(f"Cannot write {target}: it is a folder; give a file name")
        staged = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            if not target.parent.is_dir():
                raise FileNotFoundError(2, "No such file or directory")
            write_file_whole(data, staged)
            os.replace(staged, target)
        except OSError as error:
            staged.unlink(missing_ok=True)
            raise PrinterError(f"Cannot write {target}: {os_error_reason(error)}") from error
        return target


class JobsFile:
    """A print-to-file device: the jobs of a batch, one after another, in one file (ZPL, TSPL, ESC/POS)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._started = False

    @property
    def name(self) -> str:
        return str(self.path)

    def send(self, job: bytes) -> None:
        try:
            with self.path.open("ab" if self._started else "wb") as file:
                file.write(job)
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            raise PrinterError(f"Cannot write {self.path}: {os_error_reason(error)}") from error
        self._started = True
