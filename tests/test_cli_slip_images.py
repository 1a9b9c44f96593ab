"""Packing slips show item thumbnails: fetched once from the store's image address, kept in the cache, and used
offline; a missing or broken image leaves its line without a picture and the slip still prints."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from shipdesk.cache import open_cache
from shipdesk.cache.thumbnails import cached_thumbnails
from shipdesk.cli import main
from tests.fakes.image_server import ImageServer


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def pdf_images(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) of each image placed in the PDF, as poppler's pdfimages lists them."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    return [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]


@pytest.fixture
def images() -> ImageServer:
    return ImageServer({"/mug.png": ("image/png", png(800, 600)), "/note.png": ("image/png", b"not an image")})


def import_orders(db: Path, tmp_path: Path, server: ImageServer) -> None:
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Image URL\n"
        f"S-1,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1,{server.url('/mug.png')}\n"
        f"S-1,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,CARD,Card,1,{server.url('/note.png')}\n"
        f"S-2,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,TEA,Teapot,1,{server.url('/gone.png')}\n"
        f"S-2,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,MUG,Mug,2,{server.url('/mug.png')}\n",
        encoding="utf-8",
    )
    assert run(db, "import-csv", str(csv)) == 0


def test_slips_show_the_thumbnails_that_could_be_fetched_and_still_print_without_the_rest(
    tmp_path: Path, images: ImageServer
) -> None:
    db = tmp_path / "cache.sqlite"
    with images:
        import_orders(db, tmp_path, images)

        assert run(db, "slips", "S-1", "S-2", "--out", str(tmp_path / "slips.pdf")) == 0

        assert sorted(images.requested) == ["/gone.png", "/mug.png", "/note.png"]  # each address asked once
    placed = pdf_images(tmp_path / "slips.pdf")
    assert len(placed) == 2  # the mug on both slips; the broken card and the missing teapot left blank
    assert all(max(size) <= 160 for size in placed)  # shrunk to a thumbnail, not the 800×600 original
    cache = open_cache(db)
    assert list(cached_thumbnails(cache, [images.url("/mug.png"), images.url("/gone.png")])) == [images.url("/mug.png")]
    cache.close()


def test_kept_thumbnails_print_offline_and_failed_images_are_not_asked_for_again_at_once(
    tmp_path: Path, images: ImageServer
) -> None:
    db = tmp_path / "cache.sqlite"
    with images:
        import_orders(db, tmp_path, images)
        assert run(db, "slips", "S-1", "S-2", "--out", str(tmp_path / "first.pdf")) == 0
        images.requested.clear()

        assert run(db, "slips", "S-1", "S-2", "--out", str(tmp_path / "second.pdf")) == 0

        assert images.requested == []
    # the image host is gone now
    assert run(db, "slips", "S-1", "--out", str(tmp_path / "offline.pdf"), "--offline") == 0
    assert len(pdf_images(tmp_path / "offline.pdf")) == 1
