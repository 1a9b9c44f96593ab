"""A CSV file's layout, told by its heading line: the same for each day's export of one store, different between
an Etsy export and a WooCommerce one, and none for a file that is not an order CSV."""

from __future__ import annotations

from pathlib import Path

from shipdesk.upstream.csv_layouts import layout_key

SAMPLES = Path(__file__).parent / "csv_samples"


def test_each_store_exports_layout_has_a_key_of_its_own() -> None:
    keys = {sample.name: layout_key(sample) for sample in SAMPLES.iterdir()}

    assert None not in keys.values()
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


def test_a_file_with_no_order_heading_has_no_layout(tmp_path: Path) -> None:
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    notes = tmp_path / "notes.csv"
    notes.write_text("Name,Phone\nAnn,555\n", encoding="utf-8")

    assert layout_key(picture) is None
    assert layout_key(notes) is None
    assert layout_key(tmp_path / "gone.csv") is None
