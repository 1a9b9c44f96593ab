"""An in-memory keyring for tests, so no test ever reads or writes the real OS keyring.

Use the `memory_keyring` fixture: import it into the test module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

_SECRET_ID = re.compile(r":[0-9a-f]{32}$")  # the store's secret id, at the end of its account (credentials.py)


def _store_of(user: str) -> str:
    return _SECRET_ID.sub("", user)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such secret")

    def store_secrets(self) -> dict[str, str]:
        """shipdesk's secrets by store, "<kind>:<name>", whatever secret id each account carries."""
        return {_store_of(user): secret for (service, user), secret in self.secrets.items() if service == "shipdesk"}

    def account_of(self, store: str, kind: str = "shipstation") -> tuple[str, str]:
        """The (service, user) the store's secret is kept under; there must be exactly one."""
        (account,) = [key for key in self.secrets if key[0] == "shipdesk" and _store_of(key[1]) == f"{kind}:{store}"]
        return account


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
