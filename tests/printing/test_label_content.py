"""What goes on a label: every text on one line, whatever line breaks the store or the CSV file put in it."""

from __future__ import annotations

import pytest

from shipdesk.domain import Address, LabelSize
from shipdesk.printing.label_formats import render_label
from tests.printing.test_label_pdf import SENDER, make_label

# As a quoted multi-line CSV cell or an API field brings them: LF, CRLF, NEL, a tab, a stray escape.
MULTI_LINE = Address(
    name="Ann Lee\r\n",
    company="Acme\nWarehouse 2",
    street1="1 Main St\r\nBuilding  B",
    street2="\tDock 4",
    city="Spring\r\nfield",
    state="IL\x85",
    postal_code="62701",
    country="US",
)
ONE_LINE = Address(
    name="Ann Lee",
    company="Acme Warehouse 2",
    street1="1 Main St Building  B",
    street2="Dock 4",
    city="Spring field",
    state="IL",
    postal_code="62701",
    country="US",
)


def test_every_text_of_a_label_is_put_on_one_line_and_the_rest_is_left_as_it_is() -> None:
    label = make_label(
        recipient=MULTI_LINE,
        sender=Address(name="Northwind\nPacking Co.", street1=SENDER.street1, city="Port\x1bland", country="US"),
        carrier="Other /\nown courier",
        service="Standard\r\n",
        order_number="1002\n34",
        package="Box\n30×20×10",
    )

    assert label.recipient == ONE_LINE
    assert label.sender == Address(name="Northwind Packing Co.", street1=SENDER.street1, city="Port land", country="US")
    assert (label.carrier, label.service, label.order_number, label.package) == (
        "Other / own courier",
        "Standard",
        "1002 34",
        "Box 30×20×10",
    )


@pytest.mark.parametrize("fmt", ["png", "escpos", "zpl", "zpl-image", "tspl"])
def test_a_label_with_line_breaks_prints_as_the_same_label_written_on_one_line_in_every_language(fmt: str) -> None:
    written_on_lines = render_label(make_label(recipient=MULTI_LINE), LabelSize.FOUR_BY_SIX, fmt, 203)

    assert written_on_lines == render_label(make_label(recipient=ONE_LINE), LabelSize.FOUR_BY_SIX, fmt, 203)
