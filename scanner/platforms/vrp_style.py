"""Syntax shared by Huawei VRP and H3C/HPE Comware (the two share an ancestry and most top-level commands).

Subclasses supply what differs: users and password policy, AAA, version parsing and the defaults table.
Defaults are per vendor and major release; a value missing from the table stays unknown (None).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.facts import Acl, AclRule, MgmtLine, NetworkDevice, SyslogHost, Toggle
from scanner.platforms.base import (
    GENERIC_HINT, GENERIC_SECRET_SYNTAXES, Node, blank_delimited_blocks, idle_seconds, parse_int, parse_interface,
    parse_tree,
    value,
)
from scanner.platforms.network import NetworkPlatform
from scanner.platforms.unread import irrelevant_lines, unread_lines
from scanner.platforms.vrp_keywords import lower_keywords
from scanner.platforms.vrp_stanzas import stanza_finder
from scanner.platforms.vrp_snmp import snmp_line
from scanner.platforms.vrp_units import redundancy_unit, second_units, usable

_BANNER_RE = re.compile(r"^\s*header\s+\S+(?:\s+information)?\s+(?P<delim>[^\s\w])")
_PHYSICAL = re.compile(r"^(?:(?:X|M-|Multi)?GigabitEthernet|Ethernet|FastEthernet|Ten-GigabitEthernet|"
                       r"(?:Twenty-Five|Forty|Hundred|TwoHundred|FourHundred)Gig(?:abit)?E(?:thernet)?|"
                       r"\d+GE|MEth|Serial|Cellular|FortyGigE|HundredGigE|TwentyFiveGigE)", re.IGNORECASE)
_NO_MATCH = re.compile(r"(?!)")       # no interface name is redundancy evidence by itself

_ALGO = r"(?:md5|hmac-md5|hmac-sha256|hmac-sha-256|hmac-sm3|sha|sha1|sha2-\d+|sha224|sha256|sha384|sha512|simple)"
_PRIV = r"(?:des56|3des|aes128|aes192|aes256)"

# Where Huawei VRP and H3C Comware lines carry a secret (tests/fixtures/secrets/SECRETS.yaml lists an example of
# each with its command reference). Each pattern's `secret` group is the value alone: the words around it stay.
VRP_SECRET_SYNTAXES = {
    # OSPF/OSPFv3/IS-IS/RIP/VRRP/NTP/BFD: authentication-mode ALGO [key-id] N [usual|nonstandard|rfc..] [form] KEY
    "authentication-mode": rf"\bauthentication-mode\s+{_ALGO}(?:\s+(?:key-id\s+)?\d+)?"
                           r"(?:\s+(?:usual|nonstandard|rfc2082|rfc2453))?(?:\s+(?:cipher|plain|simple))?\s+" + value(),
    "privacy-mode": rf"\bprivacy-mode\s+{_PRIV}\s+(?:(?:cipher|simple)\s+)?" + value(),
    # the stored-form keyword followed by the value, wherever it stands (keys, passwords, PSKs, string-keys)
    # (not the algorithm lists `ssh server cipher aes256_ctr`, `ssh2 algorithm cipher ...`)
    "form keyword": r"(?<!server )(?<!client )(?<!ssh )(?<!algorithm )(?<!-)\b"
                    r"(?:cipher|simple|plain|irreversible-cipher)\s+" + value(),
    # `community read read` names a community "read": the access word is not optional once present
    "snmp community": r"^\s*(?:undo\s+)?snmp-agent community\s+(?:read|write)\s+(?:(?:cipher|simple)\s+)?" + value(),
    # a v1/v2c target host's security name is the community; a v3 one names a user, which is no secret
    "snmp target-host securityname": r"\bsecurityname\s+(?:cipher\s+)?" + value() + r"(?!.*\sv3\b)",
    "wlan psk pass-phrase": r"\b(?:pass-phrase|raw-key)\s+(?:(?:cipher|simple)\s+)?" + value("aes", "tkip", "aes-tkip"),
    **GENERIC_SECRET_SYNTAXES,
}
# Literal words of which every VRP/Comware secret line holds one (the corpus tests fail when a syntax escapes it).
VRP_SECRET_HINT = "authentication|privacy|cipher|simple|plain|hash|snmp-agent|securityname|pass-phrase|raw-key|key|" \
    + GENERIC_HINT


@dataclass(frozen=True, slots=True)
class Defaults:
    """What an absent line means on one release family. None = varies by model/release: do not guess."""
    telnet: bool | None = None
    ssh: bool | None = None
    ssh_v1: bool | None = None
    http: bool | None = None
    https: bool | None = None
    ftp: bool | None = False
    vty_protocols: frozenset[str] | None = None
    vty_auth: str | None = None          # 'refused': no authentication mode set, so no login is possible
    console_auth: str | None = None
    idle_timeout_s: int | None = 600
    snmp_versions: frozenset[str] | None = None


class VrpStyle(NetworkPlatform):
    end_marker = "return"
    unread_list = True
    comment_chars = "#!"

    def decode_secret(self, line: str, value: str) -> str:
        return value         # VRP/Comware 'cipher' forms are reversible only with vendor keys we do not hold

    # -- hooks for subclasses -------------------------------------------------------------------------
    def defaults_for(self, dev: NetworkDevice) -> Defaults:
        raise NotImplementedError

    def header(self, dev: NetworkDevice, lines: list[str]) -> None:
        raise NotImplementedError

    def vendor_line(self, dev: NetworkDevice, n: Node, w: list[str]) -> bool:
        """Handle a vendor-specific top-level node; True when consumed."""
        return False

    def after_tree(self, dev: NetworkDevice, roots: list[Node]) -> None:
        """Settle what depends on several top-level blocks, whatever their order (before defaults apply)."""

    def finish_vendor(self, dev: NetworkDevice, d: Defaults) -> None:
        pass

    # -- the shared parser -----------------------------------------------------------------------------
    def parse_config(self, lines: list[str], version: list[str] | None = None) -> NetworkDevice:
        dev = NetworkDevice(platform=self.name)   # type: ignore[attr-defined]
        clean, dev.banner_lines = blank_delimited_blocks(lines, _BANNER_RE)
        self.header(dev, lines)
        if version:                      # `display version` is authoritative for release and model
            self.header(dev, version)
        roots = parse_tree(clean, self.comment_chars)
        lower_keywords(roots)            # keywords compare case-insensitively, as on the device
        dev.complete = any(ln.strip() == self.end_marker for ln in [x for x in lines if x.strip()][-5:])
        line_classes: dict[str, Node] = {}
        families: dict[str, dict[str, Toggle]] = {}     # service -> ipv4/ipv6 -> its own toggle
        members: dict[str, list[int]] = {}               # stack/IRF member -> the lines that name it
        telnet_acl: tuple[str, int] | None = None        # `telnet server acl N`: limits every Telnet login
        for n in roots:
            w = n.words()
            if not w:
                continue
            head = w[0]
            if head == "interface" and len(w) > 1:   # most of a switch's lines; no vendor_line reads them
                self._interface(dev, n, w)
                continue
            if self.vendor_line(dev, n, w):
                continue
            undo = head == "undo"
            body = w[1:] if undo else w
            key = " ".join(body[:3])
            if head == "sysname" and len(w) > 1:
                dev.hostname, dev.hostname_line = w[1], n.line
            elif self._server_line(dev, n, body, undo, families) or self._web(dev, body, undo, n.line):
                dev.read_lines.add(n.line)
            elif key == "telnet server acl" and len(body) > 3 and not undo:
                telnet_acl = (body[3], n.line)
                dev.read_lines.add(n.line)
            elif key.startswith("ssh server"):
                self._ssh(dev, n, body, undo)
            elif head == "info-center" or (undo and body[:1] == ["info-center"]):
                self._info_center(dev, n, body, undo)
            # A time source is a unicast server or peer (`ntp-service unicast-server X`, VRP8 `ntp unicast-server
            # X`, `ntp-service ipv6 unicast-server X`); `ntp-service server disable` only turns the device's own
            # NTP server role off.
            elif head in ("ntp-service", "ntp", "sntp") and len(w) > 2 and not undo and (
                    w[1] in ("unicast-server", "unicast-peer") or w[2] in ("unicast-server", "unicast-peer")):
                dev.ntp_servers.append(n.line)
                dev.ntp_hosts += _ntp_host(w)
                dev.read_lines.add(n.line)
            elif head == "snmp-agent" or (undo and body[:1] == ["snmp-agent"]):
                snmp_line(dev, n, body, undo)
            elif head == "acl":
                self._acl(dev, n, w)
            elif head in ("user-interface", "line") and len(w) > 1:
                if w[1] == "class" and len(w) > 2:
                    line_classes[w[2]] = n
                    dev.read_lines.add(n.line)
                elif w[1] != "maximum-vty":
                    self._mgmt_line(dev, n, w)
            elif head in ("stack", "irf", "irf-port", "hrp"):
                redundancy_unit(n, w, members)
        dev.redundancy_lines.extend(second_units(members))
        self.after_tree(dev, roots)
        d = self.defaults_for(dev)
        self._finish(dev, d, line_classes, telnet_acl)
        self.finish_vendor(dev, d)
        return self._close(dev, roots, clean)

    def _close(self, dev: NetworkDevice, roots: list[Node], clean: list[str]) -> NetworkDevice:
        """The lines left unread in the stanzas checks read; the parse-time scratch emptied."""
        dev.unrecognized = unread_lines(roots, stanza_finder(roots), dev.read_lines, irrelevant_lines(self.name),
                                        self.mask, clean)     # type: ignore[attr-defined]
        dev.password_tags.clear()
        dev.read_lines.clear()
        return dev

    @staticmethod
    def _web(dev: NetworkDevice, body: list[str], undo: bool, line: int) -> bool:
        """`http server enable` (VRP), `ip http enable` (Comware), HTTPS and the web ACL; `http server-source`,
        `http server port` and the like only tune the server and turn nothing on."""
        key = " ".join(body[:3])
        if key in ("http server enable", "ip http enable"):
            dev.http = Toggle(not undo, line)
        elif key.startswith("ip http shutdown"):
            dev.http = Toggle(undo, line)
        elif key in ("http secure-server enable", "ip https enable"):
            dev.https = Toggle(not undo, line)
        elif body[:2] == ["http", "acl"] or body[:3] in (["ip", "http", "acl"], ["ip", "https", "acl"]):
            dev.web_acl = None if undo else body[-1]
        else:
            return False
        return True

    def _ssh(self, dev: NetworkDevice, n: Node, body: list[str], undo: bool) -> None:
        dev.ssh.lines.append(n.line)
        if len(body) < 3:
            return
        opt = body[2]
        if opt == "compatible-ssh1x":
            dev.ssh.v1_allowed = Toggle(not undo and body[-1] == "enable", n.line)
        elif opt == "acl" and not undo:
            dev.ssh.acl = body[-1]
            dev.ssh.acl_line = n.line
        elif opt == "cipher" and not undo:
            dev.ssh.ciphers = body[3:]
        elif opt == "hmac" and not undo:
            dev.ssh.macs = body[3:]
        else:
            return
        dev.read_lines.add(n.line)

    # `[undo] telnet [ipv6] server enable|disable`, `[undo] stelnet [ipv6] server enable`, `[undo] ssh [ipv6] server
    # enable`, `[undo] ftp [ipv6] server enable`: IPv4 and IPv6 servers are separate switches.
    _SERVERS = {"telnet": "telnet", "stelnet": "ssh", "ssh": "ssh", "ftp": "ftp"}

    def _server_line(self, dev: NetworkDevice, n: Node, body: list[str], undo: bool,
                     families: dict[str, dict[str, Toggle]]) -> bool:
        """A service's IPv4 or IPv6 server switch. The service is on when either family is on and off only when
        the IPv4 server is off too (the IPv6 servers are off by default), whatever the order of the lines; an IPv6
        switch alone leaves the service at the IPv4 server's release default."""
        service = self._SERVERS.get(body[0]) if body else None
        family = "ipv6" if body[1:2] == ["ipv6"] else "ipv4"
        rest = body[2:] if family == "ipv6" else body[1:]
        if service is None or rest[:1] != ["server"] or rest[-1] not in ("enable", "disable") or len(rest) != 2:
            return False
        fam = families.setdefault(service, {})
        fam[family] = Toggle((rest[-1] == "enable") != undo, n.line)
        on = [t for t in fam.values() if t.enabled]
        chosen = on[-1] if on else fam.get("ipv4") or \
            Toggle(None, n.line, "only the IPv6 server is switched off; the IPv4 server is at its release default")
        if service == "telnet":
            dev.telnet = chosen
        elif service == "ssh":
            dev.ssh.enabled = chosen
        else:
            dev.ftp = chosen
        return True

    def _info_center(self, dev: NetworkDevice, n: Node, body: list[str], undo: bool) -> None:
        dev.read_lines.add(n.line)
        if body[1:2] == ["enable"]:
            dev.logging.enabled = Toggle(not undo, n.line)
        elif body[1:2] == ["loghost"] and not undo and len(body) > 2 and body[2] not in ("source", "source-ip"):
            rest = body[2:]
            if rest[0] in ("vpn-instance", "vrf") and len(rest) > 2:
                rest = rest[2:]
            if rest[0] in ("ipv6", "domain") and len(rest) > 1:
                rest = rest[1:]
            # `transport tcp ssl-policy NAME` is syslog over TLS
            transport = "tls" if "tls" in body or "ssl-policy" in body else "tcp" if "tcp" in body else "udp"
            dev.logging.hosts.append(SyslogHost(rest[0], n.line, transport))
        elif body[1:3] in (["timestamp", "log"], ["timestamp", "loghost"]) and len(body) > 3:
            # VRP `timestamp log`; Comware `timestamp loghost iso|no-year-date|none` for what the log hosts receive
            dev.logging.timestamps_datetime = Toggle(not undo and body[3] not in ("boot", "none"), n.line)
        else:
            dev.read_lines.discard(n.line)

    def _acl(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        rest = [x for x in w[1:] if x not in ("number", "basic", "advanced", "ipv6", "name", "match-order", "auto",
                                               "config")]
        if not rest:
            return
        name = rest[-1] if rest[-1].isdigit() else rest[0]
        dev.read_lines.add(n.line)
        acl = dev.acls.setdefault(name, Acl(name, n.line))
        if rest[0] != name:           # 'acl name MGMT 2000': reachable by either
            dev.acls.setdefault(rest[0], acl)
        for c in n.children:
            cw = c.words()
            if len(cw) < 3 or cw[0] != "rule":
                continue
            action = cw[2] if cw[1].isdigit() else cw[1]
            if action not in ("permit", "deny"):
                continue
            src = "any"
            if "source" in cw:
                i = cw.index("source")
                nxt = cw[i + 1:i + 3]
                if nxt and nxt[0] != "any":
                    src = " ".join(nxt)
            acl.rules.append(AclRule(action, src, c.line))
            dev.read_lines.add(c.line)

    def _mgmt_line(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        kind = {"con": "console", "console": "console", "vty": "vty", "aux": "aux"}.get(w[1])
        if kind is None:
            return
        ml = MgmtLine(kind=kind, name=" ".join(w[1:]), line=n.line, lines=[n.line])
        dev.read_lines.add(n.line)
        self._apply_line_children(ml, n, dev.read_lines)
        dev.mgmt_lines.append(ml)

    @staticmethod
    def _apply_line_children(ml: MgmtLine, n: Node, read: set[int]) -> None:
        for c in n.children:
            cw = c.words()
            if not cw:
                continue
            before = len(ml.lines)
            if cw[0] == "authentication-mode" and len(cw) > 1 and ml.auth is None:
                ml.auth = {"aaa": "aaa", "scheme": "aaa", "password": "password", "none": "none"}.get(cw[1])
                ml.lines.append(c.line)
            elif cw[:2] == ["protocol", "inbound"] and len(cw) > 2 and ml.protocols is None:
                protos = set(cw[2:])
                if "all" in protos:
                    protos = {"telnet", "ssh"}
                ml.protocols, ml.protocols_line = frozenset(protos), c.line
                ml.lines.append(c.line)
            elif cw[:3] == ["set", "authentication", "password"] and ml.password_line is None:
                ml.password_line = c.line
                ml.lines.append(c.line)
            elif cw[0] == "idle-timeout" and len(cw) > 1 and ml.idle_timeout_s is None:
                ml.idle_timeout_s = idle_seconds(cw[1], cw[2] if len(cw) > 2 else "0")
                ml.lines.append(c.line)
            elif cw[:3] == ["user", "privilege", "level"] and len(cw) > 3 and ml.privilege is None:
                ml.privilege = parse_int(cw[3])
                ml.lines.append(c.line)
            elif cw[0] == "acl" and len(cw) > 2 and cw[-1] == "inbound" and "ipv6" not in cw and ml.acl_in is None:
                ml.acl_in = cw[-2]
                ml.lines.append(c.line)
            if len(ml.lines) > before:
                read.add(c.line)

    def _interface(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        # VRRP is a first-hop router pair; link aggregation (Eth-Trunk, Bridge-Aggregation) joins links to one device
        parse_interface(dev, n, _PHYSICAL, _NO_MATCH, (("vrrp",),))
        read = dev.read_lines
        read.add(n.line)
        # what parse_interface reads; `undo shutdown` states the up state it assumes
        for c in n.children:
            cw = c.words()
            head = cw[0]
            if head in _INTERFACE_READ and (head not in ("ip", "ipv6", "undo")
                                            or cw[1:2] == (["shutdown"] if head == "undo" else ["address"])):
                read.add(c.line)

    def _finish(self, dev: NetworkDevice, d: Defaults, line_classes: dict[str, Node],
                telnet_acl: tuple[str, int] | None = None) -> None:
        for ml in dev.mgmt_lines:
            # Comware 7 `line class console|aux|vty` holds the defaults of every line of that class.
            cls = line_classes.get(ml.kind) or (line_classes.get("aux") if ml.kind == "console" else None)
            if cls is not None:
                self._apply_line_children(ml, cls, dev.read_lines)
            if ml.idle_timeout_s is None:
                ml.idle_timeout_s = d.idle_timeout_s
            if ml.auth is None:
                ml.auth = d.vty_auth if ml.kind == "vty" else d.console_auth
            if ml.kind == "vty" and ml.auth == "password" and ml.password_line is None:
                ml.auth = "refused"         # password mode with no password set: the line accepts no login
            elif ml.auth == "password" and ml.password_line is None:
                ml.password_missing = True
            if ml.auth == "aaa" and not dev.aaa.remote_login:
                ml.auth = "local"
            if ml.auth == "none" and ml.kind != "vty":
                # console and AUX sessions start at a management level by default (VRP console 15, Comware 5 AUX 3,
                # Comware 7 AUX role network-admin: docs/vendor-defaults.md Q25)
                ml.anonymous_admin = ml.privilege is None or ml.privilege >= 3
            if ml.kind == "vty" and ml.protocols is None:
                ml.protocols = d.vty_protocols
            elif ml.kind != "vty":
                ml.protocols = frozenset()
            if telnet_acl and ml.kind == "vty" and ml.acl_in is None and ml.protocols and ml.protocols <= {"telnet"}:
                ml.acl_in = telnet_acl[0]          # the Telnet server's ACL is the only limit of a Telnet-only line
                ml.lines.append(telnet_acl[1])
        if dev.telnet.enabled is None and d.telnet is not None:
            dev.telnet = Toggle(d.telnet, None, "release default")
        for attr, default in (("http", d.http), ("https", d.https), ("ftp", d.ftp)):
            t: Toggle = getattr(dev, attr)
            if t.enabled is None and default is not None:
                setattr(dev, attr, Toggle(default, None, "release default"))
        if dev.ssh.enabled.enabled is None and d.ssh is not None:
            dev.ssh.enabled = Toggle(d.ssh, None, "release default")
        if dev.ssh.v1_allowed.enabled is None and d.ssh_v1 is not None:
            dev.ssh.v1_allowed = Toggle(d.ssh_v1, None, "release default")
        telnet_server = dev.telnet
        dev.telnet = usable(dev.telnet, dev.mgmt_lines, "telnet")
        if telnet_server.enabled and not dev.telnet.enabled:
            # no login path, but the server still listens on TCP 23: an unneeded high-risk port (8.1.4.4.b)
            dev.legacy_services["telnet_listener"] = telnet_server
        dev.ssh.enabled = usable(dev.ssh.enabled, dev.mgmt_lines, "ssh")
        if dev.tftp.enabled is None:
            dev.tftp = Toggle(False, None, "no TFTP server on this platform by default")
        if dev.logging.enabled.enabled is None:
            dev.logging.enabled = Toggle(True, None, "info-center is enabled by default")
        if dev.logging.login_events.enabled is None and dev.logging.enabled.enabled:
            dev.logging.login_events = Toggle(True, None, "logins and failures are logged by the information centre")
        if dev.logging.timestamps_datetime.enabled is None:
            dev.logging.timestamps_datetime = Toggle(True, None, "log timestamps carry the date by default")
        snmp = dev.snmp
        if snmp.enabled is None:
            snmp.enabled = bool(snmp.lines)
        if snmp.enabled and snmp.versions is None:
            snmp.versions = d.snmp_versions
        if snmp.enabled is False:
            snmp.versions = frozenset()


_INTERFACE_READ = frozenset({"shutdown", "description", "vrrp", "ip", "ipv6", "undo"})


def _ntp_host(w: list[str]) -> list[str]:
    """The server of `ntp-service [ipv6] unicast-server [ipv6] ADDRESS|NAME ...` (VRP, Comware), or nothing."""
    k = next(i for i, word in enumerate(w) if word in ("unicast-server", "unicast-peer"))
    rest = [word for word in w[k + 1:k + 3] if word != "ipv6"]
    return rest[:1]
