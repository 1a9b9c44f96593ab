"""The sender printed on labels (the warehouse's return address): what it must hold before it is saved.

The window's Sender address dialog and `shipdesk set-origin` both check it here, so a label never goes out with
half a return address. An empty sender is allowed: labels then carry no sender block.
"""

from __future__ import annotations

from dataclasses import replace

from shipdesk.countries import country_code
from shipdesk.domain import POSTAL_CODE_COUNTRIES, Address


class SenderError(ValueError):
    """The sender cannot be saved as it is; the message says what it lacks, in the user's words."""


def checked_sender(address: Address) -> Address:
    """The sender trimmed, its country as its ISO code; SenderError when a part a carrier needs is missing or wrong."""
    sender = replace(
        address,
        **{name: getattr(address, name).strip() for name in _TEXT_PARTS},
        country=address.country.strip().upper(),
    )
    if not any(getattr(sender, name) for name in _TEXT_PARTS):
        return sender  # cleared: labels without a sender
    if sender.country:
        sender = replace(sender, country=_known_country_code(address.country.strip()))
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


def _known_country_code(typed: str) -> str:
    """The ISO code of the country typed as its code in any case, or as "UK" (GB, as the CSV import reads it too);
    SenderError for anything else.

    A name or a 3-letter code ("Denmark", "IRL") is refused rather than looked up: the field asks for the code, and
    the packer who typed it should see the code that every label will print.
    """
    if len(typed) != 2 or not typed.isalpha():
        raise SenderError(f"the country is written as its 2-letter code (US, GB, DE), not {typed!r}")
    code = country_code(typed)
    if code is None:
        raise SenderError(
            f"{typed!r} is no country code shipdesk knows; write the country's 2-letter ISO code (US, GB, DE)"
        )
    return code


_TEXT_PARTS = ("name", "company", "street1", "street2", "street3", "city", "state", "postal_code", "phone", "email")
