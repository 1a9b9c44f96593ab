"""The shipping label laid out once, in millimetres: everything on it, and all of it inside the media."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from shipdesk.domain import Address, LabelSize
from shipdesk.printing.fonts import label_fonts
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.layout import Barcode, BarcodeKind, Box, Line, TextBlock, to_dots
from tests.printing.test_label_pdf import LONG, OWN_COURIER, UPS_LIKE, USPS_LIKE, make_label

MARGIN_MM = 1.0  # thermal media drifts; nothing may come closer to the edge


def texts(layout_elements: tuple[object, ...]) -> list[str]:
    return [element.text for element in layout_elements if isinstance(element, TextBlock)]


def test_the_label_holds_every_part_a_courier_needs() -> None:
    layout = label_layout(make_label(OWN_COURIER))
    lines = texts(layout.elements)
    for part in (
        "FROM",
        "Northwind Packing Co.",
        "Portland OR 97201",
        "SHIP TO",
        "Zoë Ørsted",
        "Ørsted Design ApS",
        "1600 Amphitheatre Parkway",
        "Mountain View CA 94043",
        "OTHER / OWN COURIER · STANDARD",
        OWN_COURIER,
        "ORDER #",
        "100234",
        "2026-11-22",
        "2.5 lb",
        "Box 30×20×10",
    ):
        assert part in lines
    [barcode] = [element for element in layout.elements if isinstance(element, Barcode)]
    assert (barcode.kind, barcode.value) == (BarcodeKind.CODE128, OWN_COURIER)


def test_a_label_to_denmark_writes_the_postal_code_before_the_city_as_danish_post_reads_it() -> None:
    copenhagen = Address(name="Zoë Ørsted", street1="Nørregade 7", city="København K", postal_code="1165", country="DK")

    lines = texts(label_layout(make_label(recipient=copenhagen)).elements)

    assert "1165 København K" in lines


@pytest.mark.parametrize(
    ("size", "mm"),
    [(LabelSize.FOUR_BY_SIX, (101.6, 152.4)), (LabelSize.FOUR_BY_FOUR, (101.6, 101.6)), (LabelSize.A6, (105.0, 148.0))],
)
def test_the_layout_has_the_size_of_one_label_and_812_dots_across_at_203_dpi(
    size: LabelSize, mm: tuple[float, float]
) -> None:
    layout = label_layout(make_label(), size)
    assert (layout.width, layout.height) == mm
    assert layout.size_in_dots(203)[0] == (812 if mm[0] == 101.6 else 839)
    assert to_dots(152.4, 203) == 1218 and to_dots(152.4, 300) == 1800


@pytest.mark.parametrize("size", [LabelSize.FOUR_BY_SIX, LabelSize.FOUR_BY_FOUR, LabelSize.A6])
@pytest.mark.parametrize("label", [make_label(USPS_LIKE), LONG], ids=["short", "very-long"])
def test_every_text_line_fits_its_width_and_every_block_stays_inside_the_media(size: LabelSize, label: object) -> None:
    layout = label_layout(label, size)  # type: ignore[arg-type]
    fonts = label_fonts()
    low, right, bottom = MARGIN_MM, layout.width - MARGIN_MM, layout.height - MARGIN_MM
    for element in layout.elements:
        if isinstance(element, TextBlock):
            font = fonts.bold if element.bold else fonts.regular
            assert stringWidth(element.text, font, element.size) * 25.4 / 72 <= element.width + 1e-6, element
            assert low <= element.x and element.x + element.width <= right, element
            assert low <= element.y and element.y + element.size * 25.4 / 72 <= bottom, element
        elif isinstance(element, Line):
            assert low <= min(element.x1, element.x2) and max(element.x1, element.x2) <= right
            assert low <= min(element.y1, element.y2) and max(element.y1, element.y2) <= bottom
        elif isinstance(element, Box):
            assert low <= element.x and element.x + element.width <= right
            assert low <= element.y and element.y + element.height <= bottom
        elif isinstance(element, Barcode):  # the barcode area may hold the quiet zones up to the edge
            assert element.x >= 0 and element.x + element.width <= layout.width
            assert low <= element.y and element.y + element.height <= bottom


def test_blocks_do_not_overlap_from_top_to_bottom() -> None:
    layout = label_layout(LONG, LabelSize.FOUR_BY_FOUR)
    [banner] = [element for element in layout.elements if isinstance(element, Box)]
    [barcode] = [element for element in layout.elements if isinstance(element, Barcode)]
    ship_to_lines = [e for e in layout.elements if isinstance(e, TextBlock) and e.text in LONG.recipient.lines()]
    assert ship_to_lines
    assert max(line.y + line.size * 25.4 / 72 for line in ship_to_lines) <= banner.y
    assert banner.y + banner.height <= barcode.y


def test_without_a_sender_the_from_block_is_left_out() -> None:
    lines = texts(label_layout(make_label(sender=Address())).elements)
    assert "FROM" not in lines
    assert "Zoë Ørsted" in lines


def test_a_tracking_number_code_128_cannot_carry_is_refused_naming_the_order() -> None:
    with pytest.raises(ValueError, match=r"Order 100234: .*'Zoë-1'.*Code 128"):
        label_layout(make_label("Zoë-1"))


def test_ups_and_usps_numbers_are_the_barcode_values_exactly() -> None:
    for number in (UPS_LIKE, USPS_LIKE):
        [barcode] = [e for e in label_layout(make_label(number)).elements if isinstance(e, Barcode)]
        assert barcode.value == number
