"""python-escpos, imported so that it leaves nothing behind.

On import it makes a folder with tempfile.mkdtemp() for a pickle of its printer database, and never removes it
(even when ESCPOS_CAPABILITIES_PICKLE_DIR names another): every run of shipdesk left a folder in the temp
directory. Here that folder is made inside one of this process's own, removed when the process ends (or, if it is
killed, by the next run: shipdesk.temp_folders).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile

from shipdesk.temp_folders import folder_prefix

_folder = tempfile.mkdtemp(prefix=folder_prefix("escpos"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
# Imported at start-up, before any thread of shipdesk's could make a temporary file of its own meanwhile.
_temp_dir, tempfile.tempdir = tempfile.tempdir, _folder
try:
    from escpos.printer import Dummy
finally:
    tempfile.tempdir = _temp_dir

__all__ = ["Dummy"]
