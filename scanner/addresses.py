"""What may name a device or a sweep target, and what may appear in a name shown to people.

An address from an inventory ends up as one argument of nmap and as ssh's host: it is an IP address or a host
name under IDNA 2008 (the `idna` package), nothing else — no options, spaces, shell or URL syntax, and none of
nmap's own target syntax (ranges, wildcards, CIDR), so one inventory line is one device.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata

import idna

_SCOPE_ID = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}")             # the %eth0 of a link-local IPv6 address
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs"))   # controls, bidi overrides, line separators, surrogates


def host_address(text: str) -> str:
    """`text` if it is an IP address or a host name, the A-label (xn--) form for an international name;
    else ValueError saying why (without echoing the text: it may hold control characters)."""
    if not text:
        raise ValueError("empty address")
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return _host_name(text)
    scope = getattr(ip, "scope_id", None)
    if scope is not None and not _SCOPE_ID.fullmatch(scope):
        raise ValueError("an IPv6 zone (after %) is an interface name: letters, digits, '_', '.' and '-'")
    return text


def _host_name(text: str) -> str:
    if text.startswith("-"):
        raise ValueError("an address cannot start with '-'")
    try:
        ascii_name = idna.encode(text, uts46=False).decode("ascii")
    except idna.IDNAError as e:
        raise ValueError(f"not an IP address or host name ({_idna_reason(e)})") from None
    except UnicodeError:
        raise ValueError("not an IP address or host name (a label is too long)") from None
    last = ascii_name.rstrip(".").rsplit(".", 1)[-1]
    if not last.strip("0123456789-") or _inet_aton(text):
        # nmap reads 10.0.0.1-5 as a range and inet_aton reads 0x7f.1 or 010.0.0.1 as 127.0.0.1 / 8.0.0.1
        raise ValueError("not an IP address or host name (a numeric address must be a plain IPv4 or IPv6 address; "
                         "a host name's last label has a letter)")
    return text if text.isascii() else ascii_name


def _inet_aton(text: str) -> bool:
    try:
        socket.inet_aton(text)
        return True
    except OSError:
        return False


def _idna_reason(e: Exception) -> str:
    msg = str(e)
    m = re.match(r"Codepoint (U\+[0-9A-Fa-f]+)", msg)
    if m:
        return f"character {m.group(1)} is not allowed in a host name"
    return msg.split(" of '")[0].split(": '")[0].rstrip(".").lower()[:80]


def sweep_target(text: str) -> str:
    """An `mlps discover` target: an IP address, a network in CIDR notation, or a host name."""
    if "/" in text:
        try:
            ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValueError("not a network in CIDR notation (like 10.0.0.0/24)") from None
        return text
    return host_address(text)


def printable_name(text: str, allow: str = "") -> str:
    """`text` if it has no control or invisible formatting characters (escape sequences, newlines, bidi
    overrides) but those in `allow`, which would forge lines or hide text in consoles, logs and reports;
    else ValueError."""
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _INVISIBLE and ch not in allow:
            raise ValueError(f"control or invisible character U+{ord(ch):04X} at position {i + 1} is not allowed")
    return text
