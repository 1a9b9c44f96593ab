"""The app's log file: warnings and errors with their tracebacks, kept beside the cache they concern.

People read the messages the command line and the window write themselves; the log keeps the details for whoever
looks into a problem afterwards, which is what "see the log" in those messages points to.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "shipdesk.log"
_MAX_BYTES = 1_000_000
_KEPT_FILES = 3  # shipdesk.log.1 … .3: a few megabytes at most, however long the station runs

_app_logger = logging.getLogger("shipdesk")


def start_log(cache_path: Path) -> Path:
    """Writes shipdesk's log records (INFO and up) to shipdesk.log in the cache's folder; returns that file.

    Called again (for another cache in the same process), it moves the log there.
    """
    path = cache_path.parent / LOG_FILE_NAME
    for handler in list(_app_logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            if Path(handler.baseFilename) == path.absolute():
                return path
            _app_logger.removeHandler(handler)
            handler.close()
    handler = _LogFileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _app_logger.addHandler(handler)
    _app_logger.setLevel(logging.INFO)
    return path


class _LogFileHandler(RotatingFileHandler):
    """The log file; one that cannot be written (read-only, its disk full) is said once, not at every record.

    logging's own answer is a traceback on stderr for each record, in the middle of what the command says.
    """

    def __init__(self, path: Path) -> None:
        # delay: a command that logs nothing leaves no empty log behind.
        super().__init__(path, maxBytes=_MAX_BYTES, backupCount=_KEPT_FILES, encoding="utf-8", delay=True)
        self._failure_said = False

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)  # a bug in a message's own arguments stays as loud as logging makes it
            return
        if self._failure_said:
            return
        self._failure_said = True
        print(
            f"shipdesk: the log {self.baseFilename} cannot be written ({error.strerror or error}), "
            "so it keeps no details of this run",
            file=sys.stderr,
        )
