"""Cisco IOS and IOS-XE running configurations.

Defaults that matter because `show running-config` omits them: exec-timeout 10 min; console has no login unless
AAA or `login` says otherwise; `ip ssh version` absent = 1.99 (SSHv1 accepted); bootp server, source routing, PAD
and CDP on; logging on. The vty `transport input` default changed across releases, so when it is absent the
parser records "unknown" unless the release is known (see `cisco_ios_defaults.TRANSPORT_DEFAULT`).
"""
from __future__ import annotations

import re

from scanner.facts import MgmtLine, NetworkDevice, Toggle
from scanner.platforms import cisco_ios_auth as auth, cisco_ios_services as svc, cisco_ios_unread as unread, status
from scanner.platforms.base import (
    Node, SessionProfile, blank_delimited_blocks, idle_seconds, parse_int, parse_interface, parse_tree,
)
from scanner.platforms.cisco_ios_defaults import apply_defaults
from scanner.platforms.network import NetworkPlatform
from scanner.platforms.cisco_ios_secrets import (  # noqa: F401 (SECRET_SYNTAXES: every platform module has one)
    MASKER, SECRET_SYNTAXES, password_storage, password_tokens, type7_decode,
)
from scanner.secrets import traits_of

_VERSION_RE = re.compile(r"Version\s+(\d+)\.(\d+)[.(]?([0-9A-Za-z.()]*)")
_BANNER_RE = re.compile(r"^banner\s+(?:motd|login|exec|incoming|slip-ppp|prompt-timeout)\s+(?P<delim>\^C|\S)")
# Link aggregation (Port-channel, channel-group) bundles links to one peer: no second device, so no redundancy
# evidence for 8.1.4.9.c. First-hop redundancy (HSRP `standby`, VRRP, GLBP) names a peer gateway.
_NO_AGGREGATE = re.compile(r"(?!)")
_FHRP = (("standby",), ("vrrp",), ("glbp",))
_PHYSICAL = re.compile(r"^(?:Fast|Gigabit|TenGigabit|TwentyFiveGig|FortyGigabit|HundredGig|TwoGigabit|FiveGigabit|"
                       r"AppGigabit)?Ethernet|^Serial|^Cellular", re.IGNORECASE)


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

    @staticmethod
    def fix_variant(release: str | None) -> str | None:
        """A release before type-9 (scrypt) secrets rejects `algorithm-type scrypt` and `aaa common-criteria`: its
        fixes are the keys `<check>@legacy` in checks/remediation/cisco_ios.yaml (plain `secret`, type 5). The
        cut is the equipment data's first release of non-reversible storage, so scripts and verdicts agree."""
        from scanner.equipment import release_lacks
        return "legacy" if release and release_lacks("cisco_ios", "password_hash_strong", release) else None

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
        roots = parse_tree([unread.fold_keywords(ln) for ln in clean])
        # a root line written indented (after `!` separators) is no global command where column 0 matters
        indented = {n.line for n in roots if clean[n.line - 1][:1].isspace()}
        dev.complete = any(ln.strip() == self.end_marker for ln in [x for x in lines if x.strip()][-5:])
        aaa_new_model = any(n.text == "aaa new-model" for n in roots)
        login_lists: dict[str, list[str]] = {}          # `aaa authentication login NAME methods...`
        line_logins: list[tuple[MgmtLine, list[str] | None, bool]] = []
        read: set[int] = set()                          # lines beneath a statement that a handler read
        for n in roots:
            w = n.words()
            if w[0] == "aaa":
                ok = auth.aaa(dev, n, w, login_lists, read)
            elif w[0] == "line" and len(w) > 1:
                got = self._line(dev, n, w)
                ok = got is not None
                if got:
                    dev.mgmt_lines.append(got[0])
                    line_logins.append(got)
                    read.update(got[0].lines)
            elif w[0] == "vstack" and n.line in indented:
                # ` vstack` indented under the separators of IOS 15.x routers is no Smart Install client (that is
                # `vstack` at column 0 on a switch; routers are at most a director, which CVE-2018-0171 spares)
                continue
            else:
                ok = self._statement(dev, n, w, read)
            stanza = unread.stanza_of(w)
            if stanza:
                unread.note_block(dev, stanza, n, ok, read)
        # `switch N provision MODEL` lines: a stack only with two members or more (a lone switch 1 is no redundancy)
        members = {n.words()[1]: n.line for n in roots if n.words()[:1] == ["switch"] and "provision" in n.words()}
        if len(members) > 1:
            dev.redundancy_lines.extend(members.values())
        elif len(members) == 1:     # a one-member stack: `redundancy mode sso` has no second member to stand by
            block = {ln for n in roots if n.words()[:1] == ["redundancy"]
                     for ln in (n.line, *(c.line for c in n.children))}
            dev.redundancy_lines[:] = [ln for ln in dev.redundancy_lines if ln not in block]
        # an SSH server needs an RSA host key, which the running configuration never shows: its usual traces are an
        # `ip ssh` line or the domain name the default key is named after
        host_key = any(n.words()[:2] in (["ip", "ssh"], ["ip", "domain-name"]) or n.words()[:3] == ["ip", "domain", "name"]
                       or n.words()[:2] == ["crypto", "key"] for n in roots)
        apply_defaults(dev, aaa_new_model, login_lists, line_logins, host_key)
        for ml in dev.mgmt_lines:
            if ml.auth == "none" and ml.kind != "vty":
                # a line lands at level 1 unless it says otherwise; IOS lets `enable` through without a password on
                # the console (only there) while no enable password or secret is set
                ml.anonymous_admin = (ml.privilege or 1) >= 15 or (ml.kind == "console" and dev.enable_secret is None)
        dev.password_tags.clear()
        unread.as_written(dev, lines, MASKER)
        return dev

    def _statement(self, dev: NetworkDevice, n: Node, w: list[str], read: set[int]) -> bool:
        """One top-level statement other than `aaa` and `line` (which carry state across statements); whether it
        was recognised."""
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
            return auth.login(dev, n, w)
        elif head in ("tacacs-server", "radius-server", "tacacs", "radius"):
            return auth.server(dev, n, w, read)
        elif head in ("ip", "no", "service", "snmp-server", "logging", "access-list"):
            return _HANDLERS[head](dev, n, w, read)
        elif head in ("ntp", "sntp") and len(w) > 2 and w[1] in ("server", "peer"):
            dev.ntp_servers.append(n.line)
            dev.ntp_hosts += _ntp_host(w[2:])
        elif head == "interface" and len(w) > 1:
            self._interface(dev, n, read)
        else:
            return self._platform_statement(dev, n, w)
        return True

    def _platform_statement(self, dev: NetworkDevice, n: Node, w: list[str]) -> bool:
        head = w[0]
        if head == "vstack":
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
        else:
            return False
        return True

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

    def _line(self, dev: NetworkDevice, n: Node, w: list[str]) -> tuple[MgmtLine, list[str] | None, bool] | None:
        """A `line con|vty|aux` block. The children it reads are in the returned line's `lines`."""
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
                    ml.password_traits, ml.password_line = traits_of(known, "", dev.password_tags, dev.hostname), c.line
            elif cw[:2] == ["transport", "input"]:
                protos = set(cw[2:])
                if "all" in protos:
                    protos = {"telnet", "ssh", "rlogin"}
                protos.discard("none")
                ml.protocols, ml.protocols_line = frozenset(protos), c.line
                ml.lines.append(c.line)
            elif cw[0] == "access-class" and len(cw) > 2 and cw[-1] == "in":
                ml.acl_in = cw[1]
                ml.lines.append(c.line)
            elif cw[:2] == ["privilege", "level"] and len(cw) > 2:
                ml.privilege = parse_int(cw[2])
                ml.lines.append(c.line)
            elif cw[0] == "authorization" and len(cw) > 2 and cw[1] in ("exec", "commands"):
                ml.authorization = cw[-1]
                ml.lines.append(c.line)
        return ml, login_kw, has_password

    def _interface(self, dev: NetworkDevice, n: Node, read: set[int]) -> None:
        parse_interface(dev, n, _PHYSICAL, _NO_AGGREGATE, _FHRP)
        if _is_mgmt_interface(n):
            read.update(c.line for c in n.children if tuple(c.words()[:2]) in _INTERFACE_READ
                        or tuple(c.words()[:1]) in _INTERFACE_READ)
            unread.note_block(dev, "mgmt-interface", n, True, read)


def _is_mgmt_interface(n: Node) -> bool:
    """The out-of-band management port: its management VRF, or its name on a port that is no switch port (an ISR
    800's FastEthernet0 is one of its switch ports)."""
    routed = not any(c.words()[:1] == ["switchport"] for c in n.children)
    return (routed and bool(_MGMT_PORT.match(n.words()[1]))) or any(
        c.words()[:2] == ["vrf", "forwarding"] and _MGMT_VRF.match(c.words()[2] if len(c.words()) > 2 else "")
        for c in n.children)


# what base.parse_interface reads beneath an interface
_INTERFACE_READ = {("shutdown",), ("description",), ("ip", "address"), ("ipv6", "address"), *(_FHRP)}
_MGMT_PORT = re.compile(r"^(?:GigabitEthernet0|FastEthernet0|mgmt\d*)$", re.IGNORECASE)
_MGMT_VRF = re.compile(r"^(?:Mgmt-vrf|Mgmt-intf|management|mgmt)$", re.IGNORECASE)
_HANDLERS = {"ip": svc.ip, "snmp-server": lambda d, n, w, r: svc.snmp(d, n, w),
             "logging": lambda d, n, w, r: svc.logging(d, n, w), "no": lambda d, n, w, r: svc.no(d, n, w),
             "service": lambda d, n, w, r: svc.service(d, n, w),
             "access-list": lambda d, n, w, r: svc.numbered_acl(d, n, w)}


PLATFORM = CiscoIos()


def _ntp_host(w: list[str]) -> list[str]:
    """The server of `ntp server|peer [vrf NAME] [ip|ipv6] ADDRESS|NAME ...`, or nothing."""
    if w[:1] == ["vrf"]:
        w = w[2:]
    if w[:1] in (["ip"], ["ipv6"]):
        w = w[1:]
    return w[:1]
