"""A printer profile as the printer of finished label PDFs, such as the 4×6 PDFs ShipStation sells.

PDF printers get the file untouched; thermal printers get each page rasterised at their dpi, fitted to their media.
"""

from __future__ import annotations

from shipdesk.cache.printers import PrinterProfile
from shipdesk.label_batch import profile_label_size
from shipdesk.printing.devices import Device, open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.label_formats import render_provider_pdf
from shipdesk.printing.tuning import PrintTuning


class ProfilePdfPrinter:
    """Prints whole label PDFs on the printer a profile names; `device` overrides the profile's connection."""

    def __init__(self, profile: PrinterProfile, device: Device | None = None) -> None:
        self.profile = profile
        self._device = device

    def print_pdf(self, data: bytes, name_hint: str) -> str:
        """Send every page as one job; returns where it went. Raises PrinterError when it could not go."""
        profile = self.profile
        size = profile_label_size(profile)
        tuning = PrintTuning(profile.darkness, profile.speed)
        try:
            jobs = list(render_provider_pdf(data, profile.language, profile.dpi, size, tuning=tuning))
        except ValueError as error:
            raise PrinterError(f"The label {name_hint} could not be read: {error}") from None
        device = self._device or open_device(profile.uri, language=profile.language)
        for job in jobs:
            device.send(job)
        return f"{profile.name} ({device.name})"
