"""What goes on one shipping label, independent of how it is drawn or which printer takes it.

Every text on a label is one line: line breaks and other control characters become spaces here, once for all outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from shipdesk.domain import Address, Weight

_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # C0, DEL, C1 (NEL among them), line and paragraph separators
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_OR_SPACE_RUN = re.compile(f"[ {_CONTROLS}]+")


def one_line(text: str) -> str:
    """`text` on one line: each run of line breaks and other control characters, with the spaces beside it, becomes
    one space, or nothing at either end. Text without them comes back as it is."""
    if not _CONTROL.search(text):
        return text

    def space(run: re.Match[str]) -> str:
        if not _CONTROL.search(run.group()):
            return run.group()  # spaces the text had on their own
        return "" if run.start() == 0 or run.end() == len(text) else " "

    return _CONTROL_OR_SPACE_RUN.sub(space, text)


def _one_line_address(address: Address) -> Address:
    """The address with each of its texts on one line."""
    values = {field.name: getattr(address, field.name) for field in fields(address)}
    texts: dict[str, Any] = {name: one_line(value) for name, value in values.items() if isinstance(value, str)}
    return replace(address, **texts)


@dataclass(frozen=True, slots=True)
class ShippingLabel:
    """A label's content. Its texts are put on one line as it is made: a quoted multi-line CSV cell or a store's CR LF
    would otherwise break the text layout of a printer language (Pillow's raises, a ZPL field block wraps)."""

    sender: Address  # the warehouse's origin / return address
    recipient: Address
    carrier: str  # e.g. "Other / own courier", "USPS"
    service: str  # e.g. "Standard", "Priority Mail"
    tracking_number: str  # encoded as Code 128, exactly as given: one with a control character is refused there
    order_number: str
    ship_date: date
    package: str = ""
    weight: Weight | None = None

    def __post_init__(self) -> None:
        # Frozen: the fields are set through object, as dataclasses do in __init__.
        object.__setattr__(self, "sender", _one_line_address(self.sender))
        object.__setattr__(self, "recipient", _one_line_address(self.recipient))
        for name in ("carrier", "service", "order_number", "package"):
            object.__setattr__(self, name, one_line(getattr(self, name)))
