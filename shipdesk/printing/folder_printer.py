"""The embedded default printer: every print job becomes a PDF file in one folder.

Files appear whole (written aside, then moved in), get a readable dated name, and never replace an earlier one.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from shipdesk.printing.errors import PrinterError

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.ENOTDIR: "part of that path is a file, not a folder",
    errno.EEXIST: "a file of that name is in the way of the folder",
    errno.ENOENT: "the folder cannot be found",
    errno.ENAMETOOLONG: "the path is too long",
}


def os_error_reason(error: OSError) -> str:
    """Why a file could not be written, in the words a person at the station understands."""
    return _REASONS.get(error.errno or 0) or (error.strerror or str(error)).lower()


def write_file_whole(data: bytes, staged: Path) -> None:
    """Writes `data` to the new file `staged` and flushes it to disk; removes it again on failure."""
    # mode 0o666 lets the umask decide who may read it.
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


class FolderPrinter:
    """Prints a PDF by saving it as e.g. labels-2026-11-22-143012-3-orders.pdf in `folder`."""

    def __init__(self, folder: Path, clock: Callable[[], datetime] = datetime.now) -> None:
        self.folder = folder
        self._clock = clock  # local time: the file name is read by people at the station

    def print_pdf(self, data: bytes, name_hint: str, *, kind: str = "labels") -> Path:
        """Saves `data` under a new file name built from what it is, the time and `name_hint`; returns the file.

        Raises PrinterError, in the user's words, when the folder cannot be made or written.
        """
        stem = f"{_safe_name_part(kind) or 'labels'}-{self._clock():%Y-%m-%d-%H%M%S}"
        hint = _safe_name_part(name_hint)
        if hint:
            stem = f"{stem}-{hint}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staged = self._write_aside(data, stem)
            try:
                return self._move_in(staged, stem)
            finally:
                staged.unlink(missing_ok=True)
        except OSError as error:
            raise PrinterError(f"Cannot write labels to {self.folder}: {os_error_reason(error)}") from error

    def _write_aside(self, data: bytes, stem: str) -> Path:
        # A dot name that no PDF watcher picks up.
        staged = self.folder / f".{stem}.{secrets.token_hex(4)}.part"
        write_file_whole(data, staged)
        return staged

    def _move_in(self, staged: Path, stem: str) -> Path:
        """Gives the staged file the first free name: stem.pdf, stem-2.pdf, stem-3.pdf …"""
        for number in range(1, 10_000):
            target = self.folder / (f"{stem}.pdf" if number == 1 else f"{stem}-{number}.pdf")
            try:
                # A hard link never replaces an existing file, even when another process races us.
                os.link(staged, target)
                return target
            except FileExistsError:
                continue
            except OSError:
                # Some file systems (FAT, some network shares) have no hard links: claim the name
                # with an exclusive create, then replace that empty claim atomically.
                if not _claim(target):
                    continue
                try:
                    os.replace(staged, target)
                except OSError:
                    target.unlink(missing_ok=True)
                    raise
                return target
        raise PrinterError(f"Cannot write labels to {self.folder}: every name like {stem}.pdf is taken")


def _claim(target: Path) -> bool:
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        return False
    return True


def _safe_name_part(text: str) -> str:
    """The hint as letters, digits, dots and dashes, so it is a valid file name on every system."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.")[:60]
