"""Packing slips and pick lists for a batch of orders, to a printer profile or as a PDF into the label folder.

Sheet printers (PDF, through the OS queue) take both; receipt printers (ESC/POS) take slips as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from shipdesk.cache import Cache
from shipdesk.cache.orders import get_order
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.thumbnails import cached_thumbnails, keep_thumbnails, urls_to_fetch
from shipdesk.domain import Order, is_combined_into_another, plural, utc_now
from shipdesk.label_batch import default_printer
from shipdesk.printing.devices import open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.pick_list import pick_lines
from shipdesk.printing.slip_pdf import render_packing_slips_pdf, render_pick_list_pdf
from shipdesk.printing.slip_receipt import COLUMNS as RECEIPT_MEDIA
from shipdesk.printing.slip_receipt import render_packing_slips_escpos
from shipdesk.upstream.item_images import fetch_thumbnails

SHEETS = {"a4-2up": "a4"}  # a sheet printer with any other media prints on Letter


def orders_of(cache: Cache, order_ids: Sequence[int]) -> list[Order]:
    orders = [stored.order for stored in (get_order(cache, order_id) for order_id in order_ids) if stored]
    if not orders:
        raise PrinterError("There are no orders to print for: they are no longer in the cache")
    return orders


def without_combined(orders: Sequence[Order]) -> tuple[list[Order], list[Order]]:
    """The orders to pack, and those combined into another order, whose items are on that order's slip and pick
    list: printed too, they would be picked twice."""
    packed = [order for order in orders if not is_combined_into_another(order)]
    combined = [order for order in orders if is_combined_into_another(order)]
    return packed, combined


def combined_note(combined: Sequence[Order]) -> str:
    """What was left out and why, or '' when nothing was."""
    if not combined:
        return ""
    numbers = ", ".join(order.order_number for order in combined)
    return f"left out {numbers}: combined into another order, whose slip lists the items"


def item_thumbnails(cache: Cache, orders: Sequence[Order], *, fetch: bool = True) -> dict[str, bytes]:
    """The orders' item images as kept thumbnails; with `fetch`, images not fetched yet are fetched first."""
    urls = [item.image_url for order in orders for item in order.items if item.image_url]
    missing = urls_to_fetch(cache, urls) if fetch else []
    if missing:
        keep_thumbnails(cache, fetch_thumbnails(missing))
    return cached_thumbnails(cache, urls)


def packing_slips_job(
    cache: Cache, orders: Sequence[Order], profile: PrinterProfile | None, *, fetch_images: bool = True
) -> bytes:
    """The slips as the printer takes them: ESC/POS text for a receipt printer, else a PDF."""
    if profile is not None and profile.language == "escpos":
        media = profile.media if profile.media in RECEIPT_MEDIA else "80mm"
        return render_packing_slips_escpos(orders, media=media, cut=profile.cut)
    _sheet_printer(profile, "Packing slips print on a receipt printer (ESC/POS) or")
    thumbnails = item_thumbnails(cache, orders, fetch=fetch_images)
    return render_packing_slips_pdf(orders, sheet=_sheet(profile), thumbnails=thumbnails)


def pick_list_job(orders: Sequence[Order], profile: PrinterProfile | None, *, sheet: str | None = None) -> bytes:
    """The batch's pick list as a PDF on the printer's paper (or `sheet`: letter, a4)."""
    _sheet_printer(profile, "A pick list prints")
    title = f"Pick list — {plural(len(orders), 'order')}, {utc_now().astimezone():%Y-%m-%d %H:%M}"
    return render_pick_list_pdf(pick_lines(orders), title=title, sheet=sheet or _sheet(profile))


def send_job(cache: Cache, job: bytes, profile: PrinterProfile | None, kind: str) -> str:
    """Sends a job of that kind ("packing-slips", "pick-list"); returns where it went.

    Without a printer it is a PDF in the label folder, named after its kind. Raises PrinterError when it could not go.
    """
    if profile is None:
        path: Path = default_printer(cache).print_pdf(job, "", kind=kind)
        return str(path)
    device = open_device(profile.uri, language=profile.language)
    device.send(job)
    return f"{profile.name} ({device.name})"


def _sheet_printer(profile: PrinterProfile | None, what: str) -> None:
    if profile is not None and profile.language != "pdf":
        raise PrinterError(
            f"{what} on a sheet printer (PDF); {profile.name} is a {profile.language.upper()} label printer"
        )


def _sheet(profile: PrinterProfile | None) -> str:
    return SHEETS.get(profile.media, "letter") if profile is not None else "letter"
