"""Every line the checks depend on is read, or said to be unread (issue 9 must-have 2), for Cisco IOS / IOS-XE.

`stanza_of` names the stanza (scanner.facts.STANZAS) a top-level statement belongs to; the parser reports each line
of such a stanza that no handler read, unless IRRELEVANT lists it with the reason no check could depend on it.
`fold_keywords` makes keyword matching case-insensitive as the IOS CLI is, without touching names and secrets.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from scanner.facts import NetworkDevice, UnreadLine
from scanner.platforms.base import Node

# The words the Cisco parser compares. Written in any case on the CLI, IOS stores them in lower case; a capitalised
# keyword in a hand-written config is folded so it is read, not silently skipped.
KEYWORDS = frozenset("""
aaa new-model authentication authorization accounting login local local-case max-fail attempts common-criteria
policy group server server-private key tacacs-server radius-server tacacs radius host line con console vty aux
exec-timeout no exec password transport input output preferred all none ssh telnet rlogin access-class in out
username privilege level secret nopassword enable security passwords min-length block-for within on-failure
on-success log ip http secure-server access-list standard extended permit deny any finger bootp source-route service
tcp-small-servers udp-small-servers pad timestamps debug datetime msec localtime snmp-server community view user v3
v2c v1 auth priv noauth informs traps version ro rw logging trap buffered console monitor on ntp sntp peer master
source interface shutdown description address ipv6 ipv4 standby vrrp glbp vstack cdp run stackwise-virtual
redundancy mode sso rpr none switch provision ftp-server tftp-server hostname upper-case lower-case numeric-count
special-case lifetime history years months month days day algorithm encryption mac vrf forwarding remark
location contact source-interface synchronous stopbits ftp username default if-authenticated krb5 line
""".split())
# After these words comes a value (a name, a secret, free text) that is never folded: one word, or the rest
_VALUE_NEXT = frozenset({"username", "community", "hostname", "view"})
_VALUE_REST = frozenset({"password", "secret", "key", "description", "remark", "location", "contact", "key-string"})
_WORD = re.compile(r"\S+")


def fold_keywords(line: str) -> str:
    """`line` with its keywords in lower case, spacing, names and secrets as written."""
    if line == line.lower():
        return line                     # nothing to fold (most lines)
    state = {"skip": 0, "rest": False}

    def fold(m: re.Match[str]) -> str:
        word = m.group(0)
        if state["rest"]:
            return word
        if state["skip"]:
            state["skip"] -= 1
            return word
        low = word.lower()
        if low in _VALUE_REST:
            state["rest"] = True
        elif low in _VALUE_NEXT:
            state["skip"] = 1
        return low if low in KEYWORDS else word

    return _WORD.sub(fold, line)


_IP_STANZA = {"ssh": "ssh", "http": "http", "ftp": "ftp", "access-list": "acl"}


def stanza_of(words: list[str]) -> str | None:
    """The stanza of a top-level statement (its words keyword-folded), or None when the checks read none."""
    if words[:1] == ["no"]:
        words = words[1:]
    if not words:
        return None
    head, second = words[0], words[1] if len(words) > 1 else ""
    if head == "line" and second in ("con", "console", "vty", "aux"):
        return "line"
    if head in ("aaa", "tacacs-server", "radius-server") or (head in ("tacacs", "radius") and second == "server"):
        return "aaa"
    if head == "ip":
        return _IP_STANZA.get(second)
    simple = {"username": "local-user", "snmp-server": "snmp", "ftp-server": "ftp", "logging": "logging",
              "ntp": "ntp", "sntp": "ntp", "access-list": "acl", "security": "password-control",
              "login": "password-control"}
    if head in simple:
        return simple[head]
    if head == "password" and second == "encryption":
        return "password-control"
    return None


def _rx(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), why) for p, why in pairs)


_TERMINAL = "terminal and serial settings of the line: who may log in, how, for how long and from where are unchanged"
_TUNING = "connection tuning with the AAA server: how logins are checked is set by the method lists and keys"
# Lines no check could depend on, per stanza (matched on the keyword-folded text), each with the reason.
IRRELEVANT: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "line": _rx(
        (r"^logging synchronous\b", "keeps console messages from breaking the command being typed"),
        (r"^(stopbits|speed|databits|parity|flowcontrol|length|width|terminal-type|rxspeed|txspeed|history|"
         r"escape-character|location|notify|media-type|exec prompt|(no )?(modem|activation-character|"
         r"exec-banner|motd-banner|vacant-message))\b", _TERMINAL),
        (r"^transport (output|preferred)\b", "sessions the line opens to other hosts, not logins to this device"),
        (r"^access-class \S+ out$", "connections the line opens to other hosts, not logins to this device"),
        (r"^privilege level \d+$", "the EXEC level a login on the line lands at: authentication, transports, timeout "
                                   "and source ACL are unchanged (roles are judged on the accounts)")),
    "aaa": _rx(
        (r"^aaa session-id\b", "the format of accounting session ids"),
        (r"^max-length \d+$", "an upper bound on password length (common-criteria policy): no check's minimum"),
        (r"^(address ipv[46]|timeout|single-connection|port)\b", _TUNING),
        (r"^(tacacs-server|radius-server) (timeout|directed-request|retransmit|deadtime|dead-criteria)\b", _TUNING),
        (r"^ip (tacacs|radius) source-interface\b", "the source address of AAA requests"),
        (r"^ip vrf forwarding \S+$", "the VRF a server group reaches its servers in"),
        (r"^(no )?aaa accounting system guarantee-first$", "whether system accounting waits for the server: "
                                                           "accounting itself is read from its `aaa accounting` lines")),
    "snmp": _rx(
        (r"^snmp-server (location|contact|chassis-id)\b", "descriptive text"),
        (r"^snmp-server (trap-source|source-interface)\b", "the source address of notifications"),
        (r"^snmp-server ifindex persist$", "interface numbering kept across reloads"),
        (r"^snmp-server view \S+ \S+ (included|excluded)$", "a MIB view: which objects a group sees, not who gets in "
                                                           "or how (versions, communities, users and ACLs are read)"),
        (r"^snmp-server (?i:engineid) local\b", "the agent's SNMPv3 engine id")),
    "ssh": _rx(
        (r"^ip ssh time-out \d+$", "the time allowed to finish authenticating, not an idle timeout"),
        (r"^ip ssh authentication-retries \d+$", "attempts per connection before it drops: no lockout"),
        (r"^ip ssh (source-interface|client)\b", "the device's own outbound SSH client"),
        (r"^ip ssh (bulk-mode|rsa keypair-name)\b", "SCP/SFTP window tuning and which RSA key the server presents: "
                                                    "SSH's version and the lines' transports are read")),
    "http": _rx(
        (r"^(no )?ip http client\b", "the device's own outbound HTTP client"),),
    "ftp": _rx(
        (r"^ip ftp (username|password|source-interface|passive)\b", "the device's own outbound FTP client"),),
    "logging": _rx(
        (r"^(no )?logging (console|monitor)\b", "messages shown on terminals"),
        (r"^logging buffered\b", "the local buffer's size and level: logging is on by default, the hosts are read"),
        (r"^logging (facility|origin-id|source-interface)\b", "how messages are labelled and sent from"),
        (r"^logging userinfo$", "adds privilege-change messages: it turns no logging off")),
    "ntp": _rx(
        (r"^ntp (source|update-calendar|logging)\b", "the source address, calendar update and logging of NTP"),
        (r"^ntp master\b", "the device serves its own clock: no time source, which is what the checks look for"),
        (r"^ntp (authentication-key|authenticate|trusted-key)\b", "NTP message authentication: the time sources are "
                                                                   "read from the server lines")),
    "acl": _rx(
        (r"^(access-list \S+ )?remark\b", "a comment: it configures nothing"),
        (r"^statistics per-entry$", "per-entry hit counters")),
    "password-control": _rx(
        (r"^password encryption aes$", "turns on type-6 storage: each key's own storage type is read"),),
    "mgmt-interface": _rx(
        (r"^(vrf forwarding|negotiation|speed|duplex|media-type|no (ip address|mop|keepalive|ip route-cache|"
         r"ip redirects|ip unreachables|ip proxy-arp|cdp enable))\b", "link and VRF settings of the port")),
}


def note(dev: NetworkDevice, stanza: str, node: Node) -> None:
    """Report `node` as an unread line of `stanza`, unless IRRELEVANT lists it (the parser puts back the text as
    written once parsing ends: `node.text` is keyword-folded)."""
    if any(p.search(node.text) for p, _ in IRRELEVANT.get(stanza, ())):
        return
    dev.unrecognized.append(UnreadLine(stanza, node.line, node.text))


def note_block(dev: NetworkDevice, stanza: str, node: Node, recognised: bool, read: set[int]) -> None:
    """Report a top-level statement that no handler recognised, and the lines beneath it (any depth) not in `read`."""
    if not recognised:
        note(dev, stanza, node)
    stack = list(node.children)
    while stack:
        c = stack.pop()
        if c.line not in read:
            note(dev, stanza, c)
        stack.extend(c.children)


def as_written(dev: NetworkDevice, original: list[str], mask: Callable[[str], str]) -> None:
    """The unread lines with their text as the configuration wrote it, secrets masked, in line order."""
    dev.unrecognized = sorted((UnreadLine(u.stanza, u.line, mask(original[u.line - 1].strip()), u.document)
                               for u in dev.unrecognized), key=lambda u: u.line)
