"""A CSV file's layout, told by its heading line: the same for each day's export of one store, different between
an Etsy export and a WooCommerce one; a file that is not an order CSV is refused in the import's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipdesk.cache import open_cache
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.csv_layouts import layout_key
from shipdesk.upstream.csv_text import CsvFileError

SAMPLES = Path(__file__).parent / "csv_samples"


def test_each_store_exports_layout_has_a_key_of_its_own() -> None:
    keys = {sample.name: layout_key(sample) for sample in SAMPLES.iterdir()}

    assert len(set(keys.values())) == len(keys)  # the Etsy, WooCommerce, eBay… exports told apart


def test_the_next_days_export_with_other_orders_has_the_same_layout(tmp_path: Path) -> None:
    etsy = (SAMPLES / "etsy_sold_order_items.csv").read_text(encoding="utf-8")
    heading = etsy.splitlines(keepends=True)[0]
    next_day = tmp_path / "EtsySoldOrderItems2026-12.csv"
    next_day.write_text(heading + etsy.splitlines(keepends=True)[-1], encoding="utf-8")

    assert layout_key(next_day) == layout_key(SAMPLES / "etsy_sold_order_items.csv")


def test_a_heading_read_alike_in_other_case_or_spacing_is_the_same_layout(tmp_path: Path) -> None:
    spaced, squeezed, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    spaced.write_text("Order #,Ship Name,SKU,Quantity\n1,Ann,MUG,1\n", encoding="utf-8")
    squeezed.write_text("order,shipname,sku,QUANTITY\n2,Bo,TEA,2\n", encoding="utf-8")
    other.write_text("Order #,Ship Name,SKU,Quantity,Weight\n1,Ann,MUG,1,2 oz\n", encoding="utf-8")

    assert layout_key(spaced) == layout_key(squeezed)
    assert layout_key(other) != layout_key(spaced)


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "photo.csv is not a CSV file: it is a PNG image"),
        ("notes.csv", b"Name,Phone\nAnn,555\n", "notes.csv is not a shipdesk order CSV"),
        ("orders.xlsx", b"PK\x03\x04" + bytes(200_000), "orders.xlsx is not a CSV file: it looks like a spreadsheet"),
    ],
)
def test_a_file_that_is_no_order_csv_is_refused_as_the_import_refuses_it(
    tmp_path: Path, name: str, content: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CsvFileError) as refused:
        layout_key(path)
    with pytest.raises(CsvFileError) as import_refused:
        import_csv(open_cache(None), path)

    assert str(refused.value).startswith(said)
    assert str(refused.value) == str(import_refused.value)


def test_a_file_that_is_gone_or_a_folder_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(CsvFileError, match=r"gone\.csv was not found$"):
        layout_key(tmp_path / "gone.csv")
    with pytest.raises(CsvFileError, match=r"is a folder, not a CSV file$"):
        layout_key(tmp_path)


def test_a_long_utf16_file_has_its_layout_wherever_its_start_cuts_a_character(tmp_path: Path) -> None:
    """Only the file's start is read; a character that is cut at its end is no damage to the file."""
    heading = "Order #,Recipient,SKU,Item Name,Quantity\n"
    # "🎁" is two UTF-16 units (4 bytes); a line of 7 units after the BOM puts one across every 64 kB boundary.
    rows = "".join(f"{number % 10},🎁 Zoë,S,🎁,1\n" for number in range(40_000))
    lengths = set()
    for shift in range(4):
        path = tmp_path / f"orders-{shift}.csv"
        path.write_bytes(("\ufeff" + heading + "x" * shift + rows).encode("utf-16-le"))
        lengths.add(layout_key(path))

    assert len(lengths) == 1
