"""`--out -`: labels, slips and pick lists written to stdout for a pipe (`| lp`), what was done said on stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from shipdesk.cli_lookup import UsageError
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.file_printer import FilePrinter
from shipdesk.printing.folder_printer import os_error_reason

_TO_STDOUT = "-"


class StdoutPrinter:
    """Where `--out -` sends labels, slips and pick lists: their bytes alone on stdout, for the program reading it.

    A job counts as printed once stdout took it whole; a reader that went away fails it as a printer would.
    """

    name = "stdout"

    def send(self, job: bytes) -> None:
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(job)
            sys.stdout.buffer.flush()
        except OSError as error:
            _silence_stdout()
            if isinstance(error, BrokenPipeError):
                raise PrinterError(
                    "the program reading stdout stopped before it took the job whole; "
                    "an order whose label it did not take stays unshipped"
                ) from error
            raise PrinterError(f"stdout could not be written: {os_error_reason(error)}") from error

    def print_pdf(self, data: bytes, name_hint: str = "") -> Path:
        self.send(data)
        return Path(_TO_STDOUT)


def _silence_stdout() -> None:
    """Points stdout at the null device, so the bytes it still holds do not fail again, unseen, as the process ends."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    finally:
        os.close(null)


def is_stdout(out: Path) -> bool:
    return str(out) == _TO_STDOUT


def written_to(path: Path) -> str:
    return "stdout" if is_stdout(path) else str(path)


def refuse_terminal(what: str) -> None:
    """`--out -` on a terminal would pour the bytes on the screen, and mark the orders shipped for labels nobody has."""
    if sys.stdout.isatty():
        raise UsageError(
            f"stdout is a terminal, where {what} are no use: pipe them into a program (… --out - | lp) "
            "or name a file with --out; nothing was printed"
        )


def write_out(out: Path, data: bytes) -> None:
    """Writes a sheet job to the file `--out` names, or to stdout for "-"."""
    if is_stdout(out):
        StdoutPrinter().send(data)
    else:
        FilePrinter(out).print_bytes(data)
