"""Cisco IOS and IOS-XE running configurations.

Defaults that matter because `show running-config` omits them: exec-timeout 10 min; console has no login unless
AAA or `login` says otherwise; `ip ssh version` absent = 1.99 (SSHv1 accepted); bootp server, source routing, PAD
and CDP on; logging on. The vty `transport input` default changed across releases, so when it is absent the
parser records "unknown" unless the release is known (see `cisco_ios_defaults.TRANSPORT_DEFAULT`).
"""
from __future__ import annotations

import re

from scanner.facts import Acl, AclRule, MgmtLine, NetworkDevice, SnmpCommunity, SnmpUser, SyslogHost, Toggle
from scanner.platforms import cisco_ios_auth as auth, status
from scanner.platforms.base import (
    Node, SessionProfile, blank_delimited_blocks, idle_seconds, parse_int, parse_interface, parse_tree,
)
from scanner.platforms.cisco_ios_defaults import apply_defaults
from scanner.platforms.network import NetworkPlatform
from scanner.platforms.cisco_ios_secrets import (  # noqa: F401 (SECRET_SYNTAXES: every platform module has one)
    MASKER, SECRET_SYNTAXES, password_storage, password_tokens, type7_decode,
)
from scanner.secrets import is_common, traits_of

_VERSION_RE = re.compile(r"Version\s+(\d+)\.(\d+)[.(]?([0-9A-Za-z.()]*)")
_BANNER_RE = re.compile(r"^banner\s+(?:motd|login|exec|incoming|slip-ppp|prompt-timeout)\s+(?P<delim>\^C|\S)")
# Link aggregation (Port-channel, channel-group) bundles links to one peer: no second device, so no redundancy
# evidence for 8.1.4.9.c. First-hop redundancy (HSRP `standby`, VRRP, GLBP) names a peer gateway.
_NO_AGGREGATE = re.compile(r"(?!)")
_FHRP = (("standby",), ("vrrp",), ("glbp",))
_PHYSICAL = re.compile(r"^(?:Fast|Gigabit|TenGigabit|TwentyFiveGig|FortyGigabit|HundredGig|TwoGigabit|FiveGigabit|"
                       r"AppGigabit)?Ethernet|^Serial|^Cellular", re.IGNORECASE)


def _acl_source(words: list[str], extended: bool) -> str:
    if extended and words:
        words = words[1:]            # protocol
    if not words:
        return "?"
    if words[0] == "any":
        return "any"
    if words[0] == "host" and len(words) > 1:
        return f"host {words[1]}"
    if len(words) > 1 and re.match(r"^\d+\.\d+\.\d+\.\d+$", words[1]):
        return f"{words[0]} {words[1]}"
    return words[0]


SESSION = SessionProfile(
    paging=("terminal length 0", "terminal width 511"), quit="exit", prompt_style="ios",
    commands={"version": "show version", "config": "show running-config", "ssh_status": "show ip ssh"},
    unrecognized=("% Invalid input", "% Incomplete command", "% Ambiguous command", "% Unknown command"),
    ssh_banners=("Cisco",))


class CiscoIos(NetworkPlatform):
    name = "cisco_ios"
    title = "Cisco IOS / IOS-XE"
    aliases = ("cisco", "ios", "cisco_xe", "cisco_iosxe", "ios_xe")
    end_marker = "end"
    session = SESSION
    status_parsers = {"ssh_status": status.cisco_ssh}
    mask = staticmethod(MASKER)
    secrets = staticmethod(MASKER.secrets)

    def decode_secret(self, line: str, value: str) -> str:
        if re.search(r"\bpassword 7 " + re.escape(value), line):
            return type7_decode(value) or value
        return value

    def detect_score(self, text: str) -> int:
        score = 0
        for pat, pts in ((r"^hostname \S+", 2), (r"^line vty \d", 3), (r"^line con 0", 3), (r"^end\s*$", 1),
                         (r"^service timestamps", 3), (r"^(enable secret|enable password)", 3),
                         (r"^interface (Gigabit|Fast|TenGigabit)Ethernet\d", 2), (r"^! Cisco IOS", 4),
                         (r"^ip (route|access-list|ssh|http|domain)", 2), (r"^version \d+\.\d+\s*$", 2),
                         (r"^username \S+ (privilege|secret|password)", 2), (r"^Cisco IOS Software", 3)):
            if re.search(pat, text, re.MULTILINE):
                score += pts
        return score

    def parse_config(self, lines: list[str], version: list[str] | None = None) -> NetworkDevice:
        dev = NetworkDevice(platform=self.name)
        clean, banners = blank_delimited_blocks(lines, _BANNER_RE)
        dev.banner_lines = banners
        self._header(dev, lines)
        if version:
            dev.software_version = None
            self._header(dev, version)
        roots = parse_tree(clean)
        # a root line written indented (after `!` separators) is no global command where column 0 matters
        indented = {n.line for n in roots if clean[n.line - 1][:1].isspace()}
        dev.complete = any(ln.strip() == self.end_marker for ln in lines[-5:])
        aaa_new_model = any(n.text == "aaa new-model" for n in roots)
        login_lists: dict[str, list[str]] = {}          # `aaa authentication login NAME methods...`
        line_logins: list[tuple[MgmtLine, list[str] | None, bool]] = []
        for n in roots:
            w = n.words()
            if not w:
                continue
            if w[0] == "aaa":
                auth.aaa(dev, n, w, login_lists)
            elif w[0] == "line" and len(w) > 1:
                got = self._line(n, w, dev.password_tags)
                if got:
                    dev.mgmt_lines.append(got[0])
                    line_logins.append(got)
            elif w[0] == "vstack" and n.line in indented:
                # ` vstack` indented under the separators of IOS 15.x routers is no Smart Install client (that is
                # `vstack` at column 0 on a switch; routers are at most a director, which CVE-2018-0171 spares)
                continue
            else:
                self._statement(dev, n, w)
        # `switch N provision MODEL` lines: a stack only with two members or more (a lone switch 1 is no redundancy)
        members = {n.words()[1]: n.line for n in roots if n.words()[:1] == ["switch"] and "provision" in n.words()}
        if len(members) > 1:
            dev.redundancy_lines.extend(members.values())
        apply_defaults(dev, aaa_new_model, login_lists, line_logins)
        dev.password_tags.clear()
        return dev

    def _statement(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        """One top-level statement other than `aaa` and `line` (which carry state across statements)."""
        head = w[0]
        if head == "hostname" and len(w) > 1:
            dev.hostname, dev.hostname_line = w[1], n.line
        elif head == "version" and len(w) > 1 and dev.software_version is None:
            dev.software_version = w[1]
            dev.os_major = parse_int(w[1].split(".")[0])
        elif head == "username" and len(w) > 1:
            auth.user(dev, n, w)
        elif head == "enable" and len(w) > 2 and w[1] in ("secret", "password"):
            auth.enable(dev, n, w)
        elif head == "security" and w[1:3] == ["passwords", "min-length"] and len(w) > 3:
            dev.password_policy.min_length = parse_int(w[3])
            dev.password_policy.enabled = True
            dev.password_policy.lines.append(n.line)
        elif head == "login" and len(w) > 1:
            auth.login(dev, n, w)
        elif head in ("tacacs-server", "radius-server") and len(w) > 1 and w[1] == "host":
            dev.aaa.servers.append(n.line)
            auth.server_keys(dev, n)
        elif head in ("tacacs-server", "radius-server") and len(w) > 1 and w[1] == "key":
            auth.server_keys(dev, n)
        elif head in ("tacacs", "radius") and len(w) > 1 and w[1] == "server":
            dev.aaa.servers.append(n.line)
            auth.server_keys(dev, n)
        elif head == "ip":
            self._ip(dev, n, w)
        elif head == "no":
            self._no(dev, n, w)
        elif head == "service":
            self._service(dev, n, w)
        elif head == "access-list" and len(w) > 3:
            self._numbered_acl(dev, n, w)
        elif head == "snmp-server":
            self._snmp(dev, n, w)
        elif head == "logging":
            self._logging(dev, n, w)
        elif head in ("ntp", "sntp") and len(w) > 2 and w[1] in ("server", "peer"):
            dev.ntp_servers.append(n.line)
        elif head == "interface" and len(w) > 1:
            self._interface(dev, n, w)
        elif head == "vstack":
            dev.legacy_services["smart_install"] = Toggle(True, n.line)
        elif head == "cdp" and w[1:2] == ["run"]:
            dev.legacy_services["cdp"] = Toggle(True, n.line)
        elif head == "stackwise-virtual":
            dev.redundancy_lines.append(n.line)
        elif head == "redundancy":
            # `redundancy` + `mode sso|rpr...`: a standby supervisor; `mode none` or no mode is no redundancy
            modes = [c for c in n.children if c.words()[:1] == ["mode"] and c.words()[1:2] != ["none"]]
            dev.redundancy_lines.extend([n.line, *[c.line for c in modes]] if modes else [])
        elif head == "ftp-server" and "enable" in w:
            dev.ftp = Toggle(True, n.line)
        elif head == "tftp-server":
            dev.tftp = Toggle(True, n.line)

    def _numbered_acl(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        num = parse_int(w[1]) or 0
        extended = 100 <= num <= 199 or 2000 <= num <= 2699
        acl = dev.acls.setdefault(w[1], Acl(w[1], n.line))
        if w[2] in ("permit", "deny"):
            acl.rules.append(AclRule(w[2], _acl_source(w[3:], extended), n.line))

    # -- pieces -------------------------------------------------------------------------------------------
    def _header(self, dev: NetworkDevice, lines: list[str]) -> None:
        for raw in lines[:80]:
            s = raw.strip()
            if ("Cisco IOS" in s and "Version" in s) and dev.software_version is None:
                m = _VERSION_RE.search(s)
                if m:
                    dev.software_version = s[m.start(0) + len("Version "):].split(",")[0].split()[0]
                    dev.os_major = int(m.group(1))
            elif s.startswith("! Chassis type:") or s.startswith("Chassis type:"):
                dev.model = s.split(":", 1)[1].strip()
            elif s.lower().startswith("cisco ") and "processor" in s and dev.model is None:
                dev.model = s.split()[1]

    def _ip(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        if len(w) < 2:
            return
        if w[1] == "ssh":
            dev.ssh.lines.append(n.line)
            dev.ssh.enabled = Toggle(True, n.line) if dev.ssh.enabled.enabled is None else dev.ssh.enabled
            if w[2:3] == ["version"] and len(w) > 3:
                dev.ssh.v1_allowed = Toggle(w[3] != "2", n.line)
            elif w[2:4] == ["server", "algorithm"] and len(w) > 5:
                if w[4] == "encryption":
                    dev.ssh.ciphers = w[5:]
                elif w[4] == "mac":
                    dev.ssh.macs = w[5:]
        elif w[1] == "http" and len(w) > 2:
            if w[2] == "server":
                dev.http = Toggle(True, n.line)
            elif w[2] == "secure-server":
                dev.https = Toggle(True, n.line)
            elif w[2] == "access-class" and len(w) > 3:
                dev.web_acl = w[-1]                   # `ip http access-class [ipv4] ACL`
        elif w[1] == "access-list" and len(w) > 3 and w[2] in ("standard", "extended"):
            acl = dev.acls.setdefault(w[3], Acl(w[3], n.line))
            for c in n.children:
                cw = c.words()
                if cw and cw[0].isdigit():
                    cw = cw[1:]
                if cw and cw[0] in ("permit", "deny"):
                    acl.rules.append(AclRule(cw[0], _acl_source(cw[1:], w[2] == "extended"), c.line))
        elif w[1] == "finger":
            dev.legacy_services["finger"] = Toggle(True, n.line)
        elif w[1] == "bootp" and w[2:3] == ["server"]:
            dev.legacy_services["bootp"] = Toggle(True, n.line)
        elif w[1] == "source-route":
            dev.legacy_services["source_route"] = Toggle(True, n.line)

    def _no(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        rest = w[1:]
        if rest[:3] == ["ip", "http", "server"]:
            dev.http = Toggle(False, n.line)
        elif rest[:3] == ["ip", "http", "secure-server"]:
            dev.https = Toggle(False, n.line)
        elif rest[:3] == ["ip", "bootp", "server"]:
            dev.legacy_services["bootp"] = Toggle(False, n.line)
        elif rest[:2] == ["ip", "source-route"]:
            dev.legacy_services["source_route"] = Toggle(False, n.line)
        elif rest[:2] == ["ip", "finger"] or rest[:2] == ["service", "finger"]:
            dev.legacy_services["finger"] = Toggle(False, n.line)
        elif rest[:2] == ["service", "pad"]:
            dev.legacy_services["pad"] = Toggle(False, n.line)
        elif rest[:2] == ["cdp", "run"]:
            dev.legacy_services["cdp"] = Toggle(False, n.line)
        elif rest[:1] == ["vstack"]:
            dev.legacy_services["smart_install"] = Toggle(False, n.line)
        elif rest[:2] == ["logging", "on"]:
            dev.logging.enabled = Toggle(False, n.line)
        elif rest[:3] == ["service", "timestamps", "log"]:
            dev.logging.timestamps_datetime = Toggle(False, n.line)

    def _service(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        if len(w) < 2:
            return
        if w[1] in ("tcp-small-servers", "udp-small-servers"):
            dev.legacy_services["small_servers"] = Toggle(True, n.line)
        elif w[1] == "finger":
            dev.legacy_services["finger"] = Toggle(True, n.line)
        elif w[1] == "pad":
            dev.legacy_services["pad"] = Toggle(True, n.line)
        elif w[1:3] == ["timestamps", "log"]:
            dev.logging.timestamps_datetime = Toggle("datetime" in w, n.line)

    def _snmp(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        snmp = dev.snmp
        snmp.lines.append(n.line)
        if len(w) < 3:
            return
        if w[1] == "community":
            name = w[2]
            access = "rw" if "RW" in [x.upper() for x in w[3:]] else "ro"
            acl = None
            tail = [x for x in w[3:] if x.upper() not in ("RO", "RW")]
            if "view" in tail:
                i = tail.index("view")
                tail = tail[:i] + tail[i + 2:]
            if tail and tail[0] != "ipv6":
                acl = tail[0]
            snmp.communities.append(SnmpCommunity(access, n.line, acl, is_common(name)))
        elif w[1] == "group" and len(w) > 3:
            if w[3] == "v3":
                level = w[4] if len(w) > 4 else "noauth"
                (snmp.v3_groups_priv if level == "priv" else snmp.v3_groups_weak).append(n.line)
        elif w[1] == "user" and "v3" in w:
            auth = w[w.index("auth") + 1] if "auth" in w and w.index("auth") + 1 < len(w) else None
            priv = w[w.index("priv") + 1] if "priv" in w and w.index("priv") + 1 < len(w) else None
            snmp.users.append(SnmpUser(w[2], n.line, auth, priv))
        elif w[1] == "host":
            snmp.trap_hosts.append(n.line)

    def _logging(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        if len(w) < 2:
            return
        if w[1] == "host" and len(w) > 2:
            addr = w[3] if w[2] in ("ipv6", "vrf") and len(w) > 3 else w[2]
            transport = "tcp" if "tcp" in w else "tls" if "tls" in w else "udp"
            dev.logging.hosts.append(SyslogHost(addr, n.line, transport))
        elif re.match(r"^\d+\.\d+\.\d+\.\d+$", w[1]):
            dev.logging.hosts.append(SyslogHost(w[1], n.line))
        elif w[1] == "on":
            dev.logging.enabled = Toggle(True, n.line)

    def _line(self, n: Node, w: list[str], tags: dict[str, str]) -> tuple[MgmtLine, list[str] | None, bool] | None:
        kind = {"con": "console", "console": "console", "vty": "vty", "aux": "aux"}.get(w[1])
        if kind is None:
            return None
        ml = MgmtLine(kind=kind, name=" ".join(w[1:]), line=n.line, idle_timeout_s=600, lines=[n.line])
        login_kw, has_password = None, False
        for c in n.children:
            cw = c.words()
            if not cw:
                continue
            if cw[0] == "exec-timeout" and len(cw) > 1:
                ml.idle_timeout_s = idle_seconds(cw[1], cw[2] if len(cw) > 2 else "0")
                ml.lines.append(c.line)
            elif cw[0] == "login":
                login_kw = (cw[1:] or ["line"]) if login_kw != ["refused"] else login_kw
                ml.lines.append(c.line)
            elif cw[:2] == ["no", "login"]:
                login_kw = ["none"] if login_kw != ["refused"] else login_kw
                ml.lines.append(c.line)
            elif cw == ["no", "exec"]:
                login_kw = ["refused"]        # the line starts no EXEC session: nobody logs in on it
                ml.lines.append(c.line)
            elif cw[0] == "password":
                has_password = True
                ml.lines.append(c.line)
                tok = password_tokens(cw)
                ml.password_storage, known = password_storage(*tok) if tok else (None, None)
                if known is not None:
                    ml.password_traits, ml.password_line = traits_of(known, "", tags), c.line
            elif cw[:2] == ["transport", "input"]:
                protos = set(cw[2:])
                if "all" in protos:
                    protos = {"telnet", "ssh", "rlogin"}
                protos.discard("none")
                ml.protocols = frozenset(protos)
                ml.lines.append(c.line)
            elif cw[0] == "access-class" and len(cw) > 2 and cw[-1] == "in":
                ml.acl_in = cw[1]
                ml.lines.append(c.line)
        return ml, login_kw, has_password

    def _interface(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        parse_interface(dev, n, _PHYSICAL, _NO_AGGREGATE, _FHRP)


PLATFORM = CiscoIos()
