"""Which VRP/Comware configuration lines belong to a stanza the checks read (scanner/facts.py STANZAS).

Top-level commands are sorted by their keyword (after `undo`): a block (`aaa`, `user-interface vty 0 4`, `acl
number 2000`) takes its lines with it, and a one-line global command with a stanza keyword (`snmp-agent sys-info
...`, `info-center loghost ...`, `ntp-service ...`, `ssh server ...`) counts as that stanza. Management interfaces
are the management ports (MEth, M-GigabitEthernet), interfaces bound to a management VPN instance, and those that
management traffic is sourced from (`ssh server-source -i Vlanif10`, `info-center loghost source Vlan-interface10`).
Keywords compare case-insensitively, as the CLIs do.
"""
from __future__ import annotations

import re

from scanner.platforms.base import Node

_ONE_WORD = {
    "aaa": "aaa", "local-user": "local-user", "user-interface": "user-interface", "line": "line",
    "snmp-agent": "snmp", "ssh": "ssh", "stelnet": "ssh", "sftp": "ssh", "scp": "ssh", "telnet": "telnet",
    "ftp": "ftp", "tftp": "ftp", "tftp-server": "ftp", "http": "http", "web-manager": "web", "web": "web",
    "info-center": "info-center", "ntp-service": "ntp", "ntp": "ntp", "sntp": "ntp", "acl": "acl",
    "password-control": "password-control", "user-password": "password-control", "local-aaa-server": "aaa",
    "hwtacacs-server": "aaa", "radius-server": "aaa", "hwtacacs": "aaa", "radius": "aaa", "domain": "aaa",
}
_TWO_WORDS = {("ip", "http"): "http", ("ip", "https"): "http", ("set", "password"): "password-control"}
_MGMT_PORT = re.compile(r"^(?:MEth|M-GigabitEthernet|M-Ethernet|Management|MGE)\d", re.IGNORECASE)
_MGMT_VPN = re.compile(r"mgmt|manage", re.IGNORECASE)
_SOURCE_WORDS = ("-i", "source", "source-interface", "interface")


def _body(n: Node) -> list[str]:
    w = [x.lower() for x in n.words()[:3]]
    return w[1:] if w[:1] == ["undo"] else w


def _norm(name: str) -> str:
    return name.replace(" ", "").lower()


def management_interfaces(roots: list[Node]) -> frozenset[str]:
    """Normalised names of the interfaces management traffic is sourced from or bound to a management VPN."""
    names: set[str] = set()
    for n in roots:
        w = n.words()
        body = w if w[0] == "interface" else _body(n)          # the common case without lower-casing
        if body[:1] == ["interface"] and len(w) > 1:
            vpn = next((c.words() for c in n.children if c.words()[0].lower() == "ip"
                        and [x.lower() for x in c.words()[:3]] == ["ip", "binding", "vpn-instance"]), None)
            if _MGMT_PORT.match(w[1]) or (vpn and len(vpn) > 3 and _MGMT_VPN.search(vpn[3])):
                names.add(_norm(w[1]))
            continue
        if not body or not _stanza_keyword(n):
            continue
        for i, word in enumerate(w[:-1]):
            if word.lower() in _SOURCE_WORDS or word.lower().endswith("-source"):
                # `-i`/`interface` before the name are source words themselves: the name follows them
                nxt = w[i + 1]
                if nxt.isalpha() and i + 2 < len(w) and w[i + 2][:1].isdigit():
                    nxt += w[i + 2]         # `Vlanif 10` is written with a space by some releases
                if re.match(r"[A-Za-z-]+\d", nxt) and not re.match(r"\d+\.\d+", nxt):
                    names.add(_norm(nxt))
    return frozenset(names)


def _stanza_keyword(n: Node) -> str | None:
    body = _body(n)
    return _TWO_WORDS.get(tuple(body[:2])) or _ONE_WORD.get(body[0]) if body else None   # type: ignore[arg-type]


def stanza_finder(roots: list[Node]):
    """`stanza_of(node, parent_stanza)` for scanner.platforms.unread.unread_lines."""
    mgmt = management_interfaces(roots)

    def stanza_of(n: Node, parent: str | None) -> str | None:
        if parent is not None:
            # local users inside `aaa` feed the user facts
            return "local-user" if parent == "aaa" and _body(n)[:1] == ["local-user"] else parent
        w = n.words()
        body = w if w[0] == "interface" else _body(n)
        if body[:1] == ["interface"]:
            return "mgmt-interface" if len(w) > 1 and _norm(" ".join(w[1:3]) if len(w) > 2 and w[1].isalpha()
                                                            else w[1]) in mgmt else None
        if body[:1] == ["domain"] and len(n.words()) < 2:
            return None
        return _stanza_keyword(n)
    return stanza_of
