"""Fixtures of the printing tests: the private CUPS server."""

from tests.printing.cups_server import cups_server

__all__ = ["cups_server"]
