"""Which item image addresses shipdesk asks for: web addresses on hosts that can exist, never reserved example names."""

from __future__ import annotations

import pytest

from shipdesk.upstream.item_images import can_be_fetched, fetch_thumbnails


@pytest.mark.parametrize(
    ("url", "fetched"),
    [
        ("https://cdn.shopify.com/s/files/mug.jpg", True),
        ("http://127.0.0.1:8080/mug.png", True),
        ("https://images.example.com/products/ntb-a5.jpg", False),  # the demo data's
        ("https://example.org/a.png", False),
        ("https://shop.test/a.png", False),
        ("https://printer.invalid/a.png", False),
        ("ftp://files.shop.com/a.png", False),
        ("/images/a.png", False),
        ("", False),
    ],
)
def test_only_real_web_addresses_are_asked_for(url: str, fetched: bool) -> None:
    assert can_be_fetched(url) is fetched


def test_reserved_addresses_come_back_as_not_fetched_without_asking() -> None:
    assert fetch_thumbnails(["https://images.example.com/a.jpg"]) == {"https://images.example.com/a.jpg": None}
