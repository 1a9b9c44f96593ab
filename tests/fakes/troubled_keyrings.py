"""Keyrings of a troubled desktop, for the `shipdesk` command run as a process (PYTHON_KEYRING_BACKEND names one).

The Secret Service keyring lets D-Bus errors of its own kind through (jaraco/keyring#514): a session bus whose
keyring daemon is gone or half-started answers with an error that is none of keyring's.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend


class DBusErrorResponse(Exception):
    """What jeepney raises when the keyring daemon answers a call with an error."""


class DBusTroubleKeyring(KeyringBackend):
    """A keyring daemon that answers every call with a D-Bus error."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise DBusErrorResponse(
            "[org.freedesktop.DBus.Error.UnknownMethod] No such interface on /org/freedesktop/secrets/collection/login"
        )

    def set_password(self, service: str, username: str, password: str) -> None:
        raise DBusErrorResponse(
            "[org.freedesktop.DBus.Error.UnknownMethod] No such interface on /org/freedesktop/secrets/collection/login"
        )

    def delete_password(self, service: str, username: str) -> None:
        raise DBusErrorResponse(
            "[org.freedesktop.DBus.Error.UnknownMethod] No such interface on /org/freedesktop/secrets/collection/login"
        )
