"""The sender printed on labels (the warehouse's return address): what it must hold before it is saved.

The window's Sender address dialog and `shipdesk set-origin` both check it here, so a label never goes out with
half a return address. An empty sender is allowed: labels then carry no sender block.
"""

from __future__ import annotations

import re
from dataclasses import replace

from shipdesk.domain import POSTAL_CODE_COUNTRIES, Address

_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


class SenderError(ValueError):
    """The sender cannot be saved as it is; the message says what it lacks, in the user's words."""


def checked_sender(address: Address) -> Address:
    """The sender trimmed, the country in capitals; SenderError when a part a carrier needs is missing."""
    sender = replace(
        address,
        **{name: getattr(address, name).strip() for name in _TEXT_PARTS},
        country=address.country.strip().upper(),
    )
    if not any(getattr(sender, name) for name in _TEXT_PARTS):
        return sender  # cleared: labels without a sender
    if sender.country and not _COUNTRY_CODE.fullmatch(sender.country):
        raise SenderError(f"the country is written as its 2-letter code (US, GB, DE), not {address.country.strip()!r}")
    missing = [
        part
        for part, present in (
            ("a name or company", sender.name or sender.company),
            ("a street", sender.street1),
            ("a city", sender.city),
            ("a country", sender.country),
            (
                "a ZIP code" if sender.country in ("US", "PR") else "a postal code",
                sender.postal_code or sender.country not in POSTAL_CODE_COUNTRIES,
            ),
        )
        if not present
    ]
    if missing:
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        raise SenderError(f"the sender needs {listed}")
    return sender


_TEXT_PARTS = ("name", "company", "street1", "street2", "street3", "city", "state", "postal_code", "phone", "email")
