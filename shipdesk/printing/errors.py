"""The errors of printing that a person can fix: a folder that cannot be written, a printer offline.

Their message is in the user's words and names the place; the OS detail stays on the chained cause.
"""

from __future__ import annotations


class PrinterError(Exception):
    """A label or slip could not reach its printer; str(error) is fit to show as it is."""
