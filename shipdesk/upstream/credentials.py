"""API secrets of the stores, kept in the operating system's keyring and nowhere else.

Service "shipdesk", user "<store kind>:<store name>:<secret id>"; with no usable keyring the secret is refused, never
filed. The secret id is the store's own, drawn when it is connected and kept in its record (SECRET_ID in its config),
so that two cache files (a second station's, a training copy) with a store of the same name never share, replace or
remove each other's secret. A store connected before ids were drawn has none: its user is "<store kind>:<store name>".
"""

from __future__ import annotations

import logging
import shlex
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "shipdesk"
SECRET_ID = "secret_id"  # the key of a store's secret id in its config
DEFAULT_STORE_KIND = "shipstation"
_log = logging.getLogger(__name__)

NO_KEYRING_MESSAGE = "No system keyring is available to keep the API secret; install gnome-keyring or KWallet"

# Backends that do not keep a secret safely: the "fail" and "null" stand-ins, and keyrings.alt's plain-text file.
_REFUSED_BACKENDS = frozenset(
    (
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
    )
)


class CredentialsError(Exception):
    """A secret could not be saved, read or removed; the message says what to do."""


class NoKeyringError(CredentialsError):
    """There is no system keyring to keep secrets in."""


class SecretNotFoundError(CredentialsError):
    """The keyring holds no secret for this store."""


def new_secret_id() -> str:
    """A secret id for a store being connected: no other store of any cache file has it."""
    return uuid.uuid4().hex


def _account(store_name: str, store_kind: str, secret_id: str) -> str:
    account = f"{store_kind}:{store_name}"
    return f"{account}:{secret_id}" if secret_id else account


def _usable_keyring() -> KeyringBackend:
    backend = keyring.get_keyring()
    members = getattr(backend, "backends", None)
    candidates = list(members) if isinstance(members, list | tuple) else [backend]
    if not any(_backend_name(member) not in _REFUSED_BACKENDS for member in candidates):
        raise NoKeyringError(NO_KEYRING_MESSAGE)
    return backend


def _backend_name(backend: object) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def save_secret(store_name: str, secret: str, *, store_kind: str = DEFAULT_STORE_KIND, secret_id: str = "") -> None:
    """Keep the store's API secret in the system keyring, replacing any earlier one."""
    if not secret:
        raise CredentialsError(f"The API secret of store {store_name} is empty; nothing was saved.")
    backend = _usable_keyring()
    refusal = f"The system keyring did not keep the API secret of store {store_name}"
    with _keyring_trouble(backend, refusal, "unlock the keyring and try again."):
        backend.set_password(SERVICE, _account(store_name, store_kind, secret_id), secret)


def load_secret(store_name: str, *, store_kind: str = DEFAULT_STORE_KIND, secret_id: str = "") -> str:
    """The store's API secret from the system keyring; SecretNotFoundError when none is saved."""
    backend = _usable_keyring()
    refusal = f"The system keyring did not give the API secret of store {store_name}"
    with _keyring_trouble(backend, refusal, "unlock the keyring and try again."):
        secret = backend.get_password(SERVICE, _account(store_name, store_kind, secret_id))
    if not secret:
        raise SecretNotFoundError(
            f"No API secret is saved for store {store_name}. Give it again: File → Stores… → Edit in the window, "
            f"or shipdesk stores edit {shlex.quote(store_name)} --new-secret."
        )
    return str(secret)


def delete_secret(store_name: str, *, store_kind: str = DEFAULT_STORE_KIND, secret_id: str = "") -> None:
    """Forget the store's API secret; nothing happens when none was saved."""
    backend = _usable_keyring()
    refusal = f"The system keyring did not remove the API secret of store {store_name}"
    with _keyring_trouble(backend, refusal, ""):
        try:
            backend.delete_password(SERVICE, _account(store_name, store_kind, secret_id))
        except keyring.errors.PasswordDeleteError:
            return


@contextmanager
def _keyring_trouble(backend: KeyringBackend, refusal: str, next_step: str) -> Iterator[None]:
    """Whatever the keyring raises, as a CredentialsError that says `refusal` and the next step; details in the log.

    Besides keyring's own errors a backend lets its transport's through: the Secret Service's D-Bus errors (jeepney's
    DBusErrorResponse when the keyring daemon is gone or half-started), KWallet's, Windows' pywintypes.error.
    """
    try:
        yield
    except keyring.errors.NoKeyringError:
        raise NoKeyringError(NO_KEYRING_MESSAGE) from None
    except Exception as error:  # a backend's own errors are of any kind
        _log.warning("keyring %s: %s", _backend_name(backend), refusal, exc_info=True)
        raise CredentialsError(f"{refusal} ({type(error).__name__}){f'; {next_step}' if next_step else '.'}") from None
