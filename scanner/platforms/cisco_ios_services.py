"""Cisco IOS / IOS-XE global statements about services, SNMP, logging and ACLs. Part of the cisco_ios platform:
each function reads one top-level statement (its words keyword-folded) and returns whether it recognised it, so
the parser can report the lines it did not read (issue 9 must-have 2)."""
from __future__ import annotations

import re

from scanner.facts import Acl, AclRule, NetworkDevice, SnmpCommunity, SnmpUser, SyslogHost, Toggle
from scanner.platforms.base import Node, parse_int
from scanner.secrets import is_common

_IPV4 = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def acl_source(words: list[str], extended: bool) -> str:
    if extended and words:
        words = words[1:]            # protocol
    if not words:
        return "?"
    if words[0] == "any":
        return "any"
    if words[0] == "host" and len(words) > 1:
        return f"host {words[1]}"
    if len(words) > 1 and _IPV4.match(words[1]):
        return f"{words[0]} {words[1]}"
    return words[0]


def numbered_acl(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    if len(w) < 4 or w[2] not in ("permit", "deny"):
        return False
    num = parse_int(w[1]) or 0
    extended = 100 <= num <= 199 or 2000 <= num <= 2699
    acl = dev.acls.setdefault(w[1], Acl(w[1], n.line))
    acl.rules.append(AclRule(w[2], acl_source(w[3:], extended), n.line))
    return True


def named_acl(dev: NetworkDevice, n: Node, w: list[str], read: set[int]) -> bool:
    """`ip access-list standard|extended NAME` and its `[seq] permit|deny ...` lines."""
    if len(w) < 4 or w[2] not in ("standard", "extended"):
        return False
    acl = dev.acls.setdefault(w[3], Acl(w[3], n.line))
    for c in n.children:
        cw = c.words()
        if cw and cw[0].isdigit():
            cw = cw[1:]
        if cw and cw[0] in ("permit", "deny"):
            acl.rules.append(AclRule(cw[0], acl_source(cw[1:], w[2] == "extended"), c.line))
            read.add(c.line)
    return True


def ip(dev: NetworkDevice, n: Node, w: list[str], read: set[int]) -> bool:
    if len(w) < 2:
        return False
    if w[1] == "ssh" and w[2:3] == ["pubkey-chain"]:
        return _pubkey_chain(dev, n, read)
    if w[1] == "ssh":
        return _ssh(dev, n, w)
    if w[1] == "http":
        return _http(dev, n, w)
    if w[1] == "access-list":
        return named_acl(dev, n, w, read)
    if w[1] == "finger":
        dev.legacy_services["finger"] = Toggle(True, n.line)
    elif w[1] == "bootp" and w[2:3] == ["server"]:
        dev.legacy_services["bootp"] = Toggle(True, n.line)
    elif w[1] == "source-route":
        dev.legacy_services["source_route"] = Toggle(True, n.line)
    else:
        return False
    return True


def _ssh(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    dev.ssh.lines.append(n.line)
    dev.ssh.enabled = Toggle(True, n.line) if dev.ssh.enabled.enabled is None else dev.ssh.enabled
    if w[2:3] == ["version"] and len(w) > 3:
        dev.ssh.v1_allowed = Toggle(w[3] != "2", n.line)
    elif w[2:4] == ["server", "algorithm"] and len(w) > 5 and w[4] in ("encryption", "mac"):
        if w[4] == "encryption":
            dev.ssh.ciphers = w[5:]
        else:
            dev.ssh.macs = w[5:]
    else:
        return False          # the SSH server is on all the same: any `ip ssh` line needs it
    return True


def _pubkey_chain(dev: NetworkDevice, n: Node, read: set[int]) -> bool:
    """`ip ssh pubkey-chain` / `username U` / `key-hash ...`: the accounts that may log in with a public key."""
    dev.ssh.lines.append(n.line)
    for c in n.children:
        if c.words()[:1] == ["username"] and len(c.words()) > 1:
            dev.ssh.pubkey_users.append(c.words()[1])
            read.add(c.line)
            read.update(k.line for k in c.children if k.words()[:1] in (["key-hash"], ["key-string"]))
    return True


def _http(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    if w[2:3] == ["server"]:
        dev.http = Toggle(True, n.line)
    elif w[2:3] == ["secure-server"]:
        dev.https = Toggle(True, n.line)
    elif w[2:3] == ["access-class"] and len(w) > 3:
        dev.web_acl = w[-1]                   # `ip http access-class [ipv4] ACL`
    elif w[2:3] == ["timeout-policy"] and "idle" in w and w.index("idle") + 1 < len(w):
        dev.web_idle_timeout_s = parse_int(w[w.index("idle") + 1])    # seconds
        dev.web_idle_timeout_line = n.line
    elif w[2:3] == ["authentication"] and w[3:4] in (["local"], ["aaa"]):
        dev.web_auth = w[3]                   # web logins by individual accounts; `enable` (shared) stays unread
    else:
        return False
    return True


_NO = {("ip", "http", "server"): lambda d, ln: setattr(d, "http", Toggle(False, ln)),
       ("ip", "http", "secure-server"): lambda d, ln: setattr(d, "https", Toggle(False, ln)),
       ("ip", "bootp", "server"): lambda d, ln: d.legacy_services.__setitem__("bootp", Toggle(False, ln)),
       ("ip", "source-route"): lambda d, ln: d.legacy_services.__setitem__("source_route", Toggle(False, ln)),
       ("ip", "finger"): lambda d, ln: d.legacy_services.__setitem__("finger", Toggle(False, ln)),
       ("service", "finger"): lambda d, ln: d.legacy_services.__setitem__("finger", Toggle(False, ln)),
       ("service", "pad"): lambda d, ln: d.legacy_services.__setitem__("pad", Toggle(False, ln)),
       ("cdp", "run"): lambda d, ln: d.legacy_services.__setitem__("cdp", Toggle(False, ln)),
       ("vstack",): lambda d, ln: d.legacy_services.__setitem__("smart_install", Toggle(False, ln)),
       ("logging", "on"): lambda d, ln: setattr(d.logging, "enabled", Toggle(False, ln)),
       ("service", "timestamps", "log"): lambda d, ln: setattr(d.logging, "timestamps_datetime", Toggle(False, ln)),
       # the IOS defaults, stated: nothing changes
       ("aaa", "new-model"): lambda d, ln: None}


def no(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    rest = tuple(w[1:])
    for key, apply in _NO.items():
        if rest[:len(key)] == key:
            apply(dev, n.line)
            return True
    return False


def service(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    if w[1:2] in (["tcp-small-servers"], ["udp-small-servers"]):
        dev.legacy_services["small_servers"] = Toggle(True, n.line)
    elif w[1:2] in (["finger"], ["pad"]):
        dev.legacy_services[w[1]] = Toggle(True, n.line)
    elif w[1:3] == ["timestamps", "log"]:
        dev.logging.timestamps_datetime = Toggle("datetime" in w, n.line)
    else:
        return False
    return True


def snmp(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    snmp = dev.snmp
    snmp.lines.append(n.line)
    if len(w) < 3:
        return False
    if w[1] == "community":
        access = "rw" if "RW" in [x.upper() for x in w[3:]] else "ro"
        tail = [x for x in w[3:] if x.upper() not in ("RO", "RW")]
        if "view" in tail:
            i = tail.index("view")
            tail = tail[:i] + tail[i + 2:]
        acl = tail[0] if tail and tail[0] != "ipv6" else None
        snmp.communities.append(SnmpCommunity(access, n.line, acl, is_common(w[2])))
    elif w[1] == "group" and len(w) > 3 and w[3] == "v3":
        level = w[4] if len(w) > 4 else "noauth"
        (snmp.v3_groups_priv if level == "priv" else snmp.v3_groups_weak).append(n.line)
    elif w[1] == "user" and "v3" in w:
        auth = w[w.index("auth") + 1] if "auth" in w and w.index("auth") + 1 < len(w) else None
        priv = w[w.index("priv") + 1] if "priv" in w and w.index("priv") + 1 < len(w) else None
        snmp.users.append(SnmpUser(w[2], n.line, auth, priv))
    elif w[1] == "host":
        snmp.trap_hosts.append(n.line)
    elif w[1:3] == ["enable", "traps"]:
        # notifications configured: the agent is on (any snmp-server command starts it), whatever the capture
        # left out of its communities and hosts
        snmp.notifications.append(n.line)
    else:
        return False
    return True


def logging(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    if w[1:2] == ["host"] and len(w) > 2:
        addr = w[3] if w[2] in ("ipv6", "vrf") and len(w) > 3 else w[2]
        transport = "tcp" if "tcp" in w else "tls" if "tls" in w else "udp"
        dev.logging.hosts.append(SyslogHost(addr, n.line, transport))
    elif len(w) > 1 and _IPV4.match(w[1]):
        dev.logging.hosts.append(SyslogHost(w[1], n.line))
    elif w[1:] == ["on"]:
        dev.logging.enabled = Toggle(True, n.line)
    else:
        return False
    return True
