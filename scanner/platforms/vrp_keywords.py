"""Huawei VRP and H3C Comware compare command keywords case-insensitively (`UNDO TELNET SERVER ENABLE` is `undo
telnet server enable`); names, passwords and communities keep their case. The parsers compare lower-case keywords,
so every line is brought to that form once, before parsing: a word becomes lower-case when it is one of the
keywords the parsers read, unless it stands where a value does (after `local-user`, `cipher`, `sysname`...).
Free text (descriptions, contact, location) is left as written.
"""
from __future__ import annotations

import re

from scanner.platforms.base import Node

# The keywords the VRP/Comware parsers (vrp_style, huawei_vrp, hp_comware, vrp_units) compare words against.
KEYWORDS = frozenset("""
aaa accounting accounting-mode accounting-scheme acl address admin advanced aging all any authentication
authentication-mode authentication-scheme authorization authorization-attribute authorization-scheme auto aux basic
bind block block-time boot cipher class client community compatible-ssh1x complexity-check composition con console
default default-domain deny description disable domain dynamic-author enable expire fail-times failed-count ftp
group hash history hmac hrp http https hwtacacs hwtacacs-scheme hwtacacs-server idle-timeout if-unknown inbound
info-center interface interval ip ipv6 irf irf-port irreversible-cipher key length level line local local-aaa-user
local-user lock lock-authentication lock-time log loghost login login-attempt manager-user match-order maximum-vty
member min-length name network none ntp ntp-service number password password-control permit plain policy primary
privacy privacy-mode privilege protocol radius radius-scheme radius-server read record retry-time role rule scheme
secondary secure-server security securityname server service-scheme service-type set shared-key shutdown simple slot
snmp-agent sntp source source-ip ssh ssl-policy stack state stelnet super sys-info sysname tacacs target-host tcp telnet
template timeout timestamp tls type-number udp undo unicast-peer unicast-server unlock user user-interface
user-password user-role usm-user v1 v2c v3 version vpn-instance vrf vrrp vty web web-manager write wrong-password
""".split())

# A value follows these words; the value stays as written unless it is one of the listed keywords.
INTRODUCERS: dict[str, frozenset[str]] = {
    "local-user": frozenset(), "manager-user": frozenset(), "sysname": frozenset(), "cipher": frozenset(),
    "simple": frozenset(), "irreversible-cipher": frozenset(), "hash": frozenset(), "plain": frozenset(),
    "securityname": frozenset(), "name": frozenset(), "template": frozenset(), "scheme": frozenset(),
    "authentication-scheme": frozenset(), "accounting-scheme": frozenset(), "authorization-scheme": frozenset(),
    "v1": frozenset(), "v2c": frozenset({"v3"}), "v3": frozenset(), "user": frozenset({"privilege"}),
    "domain": frozenset({"default", "if-unknown"}),
    "community": frozenset({"read", "write", "cipher", "simple"}),
    "read": frozenset({"cipher", "simple"}), "write": frozenset({"cipher", "simple"}),
}
# The rest of the line is free text.
FREE_TEXT = frozenset({"description", "contact", "location", "alias", "remark", "comment", "header"})
_WORD = re.compile(r"\S+")


def keyword_form(text: str) -> str:
    """`text` with its keywords in lower case and everything else as written."""
    if text == text.lower() or not any(w != w.lower() and w.lower() in KEYWORDS for w in text.split()):
        return text                      # most lines: no keyword written in upper case
    out, last, prev = [], 0, ""
    for m in _WORD.finditer(text):
        word, low = m.group(), m.group().lower()
        if low in KEYWORDS and word != low and not (prev in INTRODUCERS and low not in INTRODUCERS[prev]):
            out.append(text[last:m.start()] + low)
            last = m.end()
        if low in FREE_TEXT:
            break
        prev = low
    return "".join(out) + text[last:] if out else text


def lower_keywords(roots: list[Node]) -> None:
    """Every node's text in keyword form (in place)."""
    stack = list(roots)
    while stack:
        n = stack.pop()
        text = keyword_form(n.text)
        if text != n.text:
            n.text, n._words = text, None        # its words are split again from the new text
        stack.extend(n.children)
