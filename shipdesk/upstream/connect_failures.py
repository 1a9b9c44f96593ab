"""Why no connection to a store's server could be made, in a packer's words: refused, no such server, an untrusted
certificate. The errno and exception behind it are for the log, not the screen."""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

_SOCKET_REASONS = {
    errno.ECONNREFUSED: "the connection was refused",
    errno.ECONNRESET: "the connection was cut",
    errno.EHOSTUNREACH: "there is no route to it on the network",
    errno.ENETUNREACH: "the network cannot be reached",
}


def unreachable_reason(error: BaseException, timeout: float) -> str | None:
    """Why no connection was made, when that is what went wrong (anywhere in the error's chain of causes); None when
    the server was reached, or `error` is about something else. `timeout` is the client's, in seconds."""
    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    connecting = next((cause for cause in chain if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout)), None)
    if connecting is None:
        return None
    if isinstance(connecting, httpx.ConnectTimeout):
        return f"it did not answer within {timeout:g} s"
    system = next((cause for cause in chain if isinstance(cause, OSError)), None)
    if isinstance(system, socket.gaierror):
        return "no server of that name can be found"
    if isinstance(system, ssl.SSLCertVerificationError):
        return "its security certificate is not one this computer trusts"
    if isinstance(system, ssl.SSLError):
        return "the secure connection to it failed"
    if system is not None and system.errno in _SOCKET_REASONS:
        return _SOCKET_REASONS[system.errno]
    return "the connection failed"
