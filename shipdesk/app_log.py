"""The app's log file: warnings and errors with their tracebacks, kept beside the cache they concern.

People read the messages the command line and the window write themselves; the log keeps the details for whoever
looks into a problem afterwards, which is what "see the log" in those messages points to.
"""

from __future__ import annotations

import logging
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
    handler = RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_KEPT_FILES, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _app_logger.addHandler(handler)
    _app_logger.setLevel(logging.INFO)
    return path
