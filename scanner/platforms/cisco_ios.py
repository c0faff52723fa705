"""Cisco IOS and IOS-XE running configurations.

Defaults that matter because `show running-config` omits them: exec-timeout 10 min; console has no login unless
AAA or `login` says otherwise; `ip ssh version` absent = 1.99 (SSHv1 accepted); bootp server, source routing, PAD
and CDP on; logging on. The vty `transport input` default changed across releases, so when it is absent the
parser records "unknown" unless the release is known (see TRANSPORT_DEFAULT).
"""
from __future__ import annotations

import re

from scanner.facts import (
    Acl, AclRule, LocalUser, MgmtLine, NetworkDevice, PasswordStorage, SnmpCommunity, SnmpUser, SyslogHost,
    Toggle,
)
from scanner.platforms import status
from scanner.secrets import MARKER_PREFIX, fingerprint, is_common, traits_of
from scanner.platforms.base import (
    GENERIC_HINT, GENERIC_SECRET_SYNTAXES, Masker, Node, SessionProfile, blank_delimited_blocks, idle_seconds,
    parse_int, parse_interface, parse_tree, rest_of_line, value,
)

_T = r"(?:[0-9]\s+)"           # a storage type before the value: 0 plain, 6 AES, 7 reversible, 8/9 hashes
# Where IOS / IOS-XE lines carry a secret (tests/fixtures/secrets/SECRETS.yaml lists an example of each with its
# command reference). Each pattern's `secret` group is the value alone: the words around it stay.
SECRET_SYNTAXES = {
    "snmp community": r"^\s*snmp-server community\s+" + value(),
    # a v1/v2c host's community; a version 3 host names a user, which is no secret
    "snmp host": r"^\s*snmp-server host\s+\S+(?:\s+vrf\s+\S+)?(?:\s+(?:informs|traps))?(?:\s+version\s+(?:1|2c))?\s+"
                 + value(),
    "snmp v3 auth key": r"^\s*snmp-server user\s+.*?\bauth\s+(?:md5|sha\S*)\s+" + value(),
    "snmp v3 priv key": r"^\s*snmp-server user\s+.*?\bpriv\s+(?:des|3des|aes\s+\d+)\s+" + value(),
    # ` key K` closes a line inside `tacacs server`, `radius server` and isakmp group blocks; a bare number there
    # is a key chain's key id (`key chain X` / ` key 1`), which is no secret
    "server key (tacacs/radius blocks, isakmp group)": r"^\s*key\s+" + _T + r"?(?!\d+\s*$)(?!chain\s|config-key\s)"
                                                       + rest_of_line(),
    "tacacs/radius-server [host ...] key": r"^\s*(?:tacacs-server|radius-server)\s+(?:host\s+\S+.*?\s)?key\s+"
                                            + _T + "?" + rest_of_line(),
    "aaa group server-private ... key": r"^\s*server-private\s+.*?\bkey\s+" + _T + "?" + value(),
    "key with a storage type": r"\bkey\s+[067]\s+" + value(),
    "dynamic-author server-key": r"\bserver-key\s+" + _T + "?" + value(),
    "isakmp key": r"^\s*crypto isakmp key\s+" + _T + "?" + value(),
    "keyring pre-shared-key address/hostname ... key": r"\bpre-shared-key\s+(?:address|hostname)\s+.*?\bkey\s+"
                                                       + _T + "?" + value(),
    "ikev2 pre-shared-key [local|remote]": r"\bpre-shared-key\s+(?:(?:local|remote)\s+)?" + _T + "?" + value(),
    "ntp authentication-key": r"^\s*ntp authentication-key\s+\d+\s+\S+\s+" + value(),
    "ospf message-digest-key": r"\bmessage-digest-key\s+\d+\s+md5\s+" + _T + "?" + value(),
    "ospfv3 ipsec key": r"\bipsec\s+spi\s+\d+\s+(?:md5|sha1)\s+" + _T + "?" + value(),
    "hsrp/vrrp/glbp authentication": r"^\s*(?:standby|vrrp|glbp)\s+(?:\d+\s+)?authentication\s+"
                                     r"(?:text\s+|md5\s+key-string\s+" + _T + "?)?" + value(),
    "wireless wpa-psk": r"\b(?:wpa-psk|set-key)\s+(?:ascii|hex)\s+" + _T + "?" + rest_of_line(),
    "config-key password-encrypt": r"\bconfig-key\s+password-encrypt\s+" + value(),
    "password/secret [level N] [type]": r"\b(?:password|secret)\s+(?:level\s+\d+\s+)?" + _T
                                        + r"?(?!encryption\s)" + rest_of_line("level-1", "level-2"),
    **GENERIC_SECRET_SYNTAXES,
}
# Literal words of which every line above holds one (the corpus tests fail when a syntax escapes it).
SECRET_HINT = "key|snmp-server|ipsec|authentication|psk|" + GENERIC_HINT
_MASKER = Masker(SECRET_SYNTAXES.values(), SECRET_HINT)

_VERSION_RE = re.compile(r"Version\s+(\d+)\.(\d+)[.(]?([0-9A-Za-z.()]*)")
_BANNER_RE = re.compile(r"^banner\s+(?:motd|login|exec|incoming|slip-ppp|prompt-timeout)\s+(?P<delim>\^C|\S)")
_AGGREGATE = re.compile(r"^Port-channel", re.IGNORECASE)
_PHYSICAL = re.compile(r"^(?:Fast|Gigabit|TenGigabit|TwentyFiveGig|FortyGigabit|HundredGig|TwoGigabit|FiveGigabit|"
                       r"AppGigabit)?Ethernet|^Serial|^Cellular", re.IGNORECASE)

# vty `transport input` when the line is absent, by IOS major release. Older releases accept every protocol;
# IOS-XE 16.x and later ship with `transport input none` shown explicitly when changed, but the default varies
# by platform, so those releases stay unknown.
TRANSPORT_DEFAULT: dict[int, frozenset[str]] = {
    12: frozenset({"telnet", "ssh"}),
    15: frozenset({"telnet", "ssh"}),
}


def _type7_decode(enc: str) -> str | None:
    key = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
    try:
        seed = int(enc[:2])
        data = bytes.fromhex(enc[2:])
    except ValueError:
        return None
    return "".join(chr(b ^ ord(key[(seed + i) % len(key)])) for i, b in enumerate(data))


def _storage(kind: str, typ: str | None, value: str) -> tuple[PasswordStorage, str | None]:
    """Storage form and, for decodable forms only, the password itself."""
    if kind == "secret":
        if typ in ("8", "9"):
            return PasswordStorage.HASH, None
        if typ in ("4", "5"):
            return PasswordStorage.WEAK_HASH, None
        if typ in (None, "0"):
            return PasswordStorage.PLAINTEXT, value
        return PasswordStorage.UNKNOWN, None
    if typ in (None, "0"):
        return PasswordStorage.PLAINTEXT, value
    if typ == "7":
        return PasswordStorage.REVERSIBLE, value if value.startswith(MARKER_PREFIX) else _type7_decode(value)
    if typ in ("8", "9"):
        return PasswordStorage.HASH, None
    return PasswordStorage.UNKNOWN, None


def _password_tokens(words: list[str]) -> tuple[str, str | None, str] | None:
    """Find `password|secret [level N] [type] VALUE` in a word list. VALUE is the last option and may hold spaces
    (IOS reads it to the end of the line), so the words after the type are joined."""
    for i, w in enumerate(words):
        if w in ("password", "secret") and i + 1 < len(words):
            rest = words[i + 1:]
            if rest[0] == "level" and len(rest) > 2:
                rest = rest[2:]
            if len(rest) >= 2 and rest[0].isdigit() and len(rest[0]) == 1:
                return w, rest[0], " ".join(rest[1:])
            return w, None, " ".join(rest)
    return None


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


class CiscoIos:
    name = "cisco_ios"
    kind = "network_device"
    title = "Cisco IOS / IOS-XE"
    session = SESSION
    status_parsers = {"ssh_status": status.cisco_ssh}
    mask = staticmethod(_MASKER)
    secrets = staticmethod(_MASKER.secrets)

    def decode_secret(self, line: str, value: str) -> str:
        if re.search(r"\bpassword 7 " + re.escape(value), line):
            return _type7_decode(value) or value
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
        dev.complete = any(ln.strip() == "end" for ln in lines[-5:])
        aaa_new_model = any(n.text == "aaa new-model" for n in roots)
        default_login = None
        line_logins: list[tuple[MgmtLine, list[str] | None, bool]] = []
        for n in roots:
            w = n.words()
            if not w:
                continue
            head = w[0]
            if head == "hostname" and len(w) > 1:
                dev.hostname, dev.hostname_line = w[1], n.line
            elif head == "version" and len(w) > 1 and dev.software_version is None:
                dev.software_version = w[1]
                dev.os_major = parse_int(w[1].split(".")[0])
            elif head == "username" and len(w) > 1:
                self._user(dev, n, w)
            elif head == "enable" and len(w) > 2 and w[1] in ("secret", "password"):
                self._enable(dev, n, w)
            elif head == "security" and w[1:3] == ["passwords", "min-length"] and len(w) > 3:
                dev.password_policy.min_length = parse_int(w[3])
                dev.password_policy.enabled = True
                dev.password_policy.lines.append(n.line)
            elif head == "aaa":
                default_login = self._aaa(dev, n, w, default_login)
            elif head == "login" and len(w) > 1:
                self._login(dev, n, w)
            elif head in ("tacacs-server", "radius-server") and len(w) > 1 and w[1] == "host":
                dev.aaa.servers.append(n.line)
            elif head in ("tacacs", "radius") and len(w) > 1 and w[1] == "server":
                dev.aaa.servers.append(n.line)
            elif head == "ip":
                self._ip(dev, n, w)
            elif head == "no":
                self._no(dev, n, w)
            elif head == "service":
                self._service(dev, n, w)
            elif head == "access-list" and len(w) > 3:
                num = parse_int(w[1]) or 0
                extended = 100 <= num <= 199 or 2000 <= num <= 2699
                acl = dev.acls.setdefault(w[1], Acl(w[1], n.line))
                if w[2] in ("permit", "deny"):
                    acl.rules.append(AclRule(w[2], _acl_source(w[3:], extended), n.line))
            elif head == "snmp-server":
                self._snmp(dev, n, w)
            elif head == "logging":
                self._logging(dev, n, w)
            elif head in ("ntp", "sntp") and len(w) > 2 and w[1] in ("server", "peer"):
                dev.ntp_servers.append(n.line)
            elif head == "line" and len(w) > 1:
                got = self._line(n, w)
                if got:
                    dev.mgmt_lines.append(got[0])
                    line_logins.append(got)
            elif head == "interface" and len(w) > 1:
                self._interface(dev, n, w)
            elif head == "vstack":
                dev.legacy_services["smart_install"] = Toggle(True, n.line)
            elif head == "cdp" and w[1:2] == ["run"]:
                dev.legacy_services["cdp"] = Toggle(True, n.line)
            elif head in ("redundancy", "stackwise-virtual") or (head == "switch" and "provision" in w):
                dev.redundancy_lines.append(n.line)
            elif head == "ftp-server" and "enable" in w:
                dev.ftp = Toggle(True, n.line)
            elif head == "tftp-server":
                dev.tftp = Toggle(True, n.line)
        self._finish(dev, aaa_new_model, default_login, line_logins)
        dev.password_tags.clear()
        return dev

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

    def _user(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        name = w[1]
        user = next((u for u in dev.users if u.name == name), None)
        if user is None:
            user = LocalUser(name=name, line=n.line, privilege=1)
            dev.users.append(user)
        user.lines.append(n.line)
        if "privilege" in w:
            i = w.index("privilege")
            user.privilege = parse_int(w[i + 1]) if i + 1 < len(w) else user.privilege
        if "nopassword" in w:
            user.storage = PasswordStorage.NONE
        tok = _password_tokens(w[2:])
        if tok:
            kind, typ, value = tok
            user.storage, known = _storage(kind, typ, value)
            user.secret_fingerprint = fingerprint(known if known is not None else value)
            user.password_traits = traits_of(known, name, dev.password_tags) if known is not None else None
        user.is_admin = (user.privilege or 1) >= 15

    def _enable(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        tok = _password_tokens(w[1:])
        if not tok:
            return
        kind, typ, value = tok
        storage, known = _storage(kind, typ, value)
        # `enable secret` wins over `enable password` when both exist.
        if dev.enable_secret is not None and kind == "password" and dev.enable_secret.services == frozenset({"secret"}):
            return
        dev.enable_secret = LocalUser(name="enable", line=n.line, storage=storage, privilege=15, is_admin=True,
                                      services=frozenset({kind}), lines=[n.line],
                                      password_traits=traits_of(known, "enable", dev.password_tags)
                                      if known is not None else None)

    def _aaa(self, dev: NetworkDevice, n: Node, w: list[str], default_login: list[str] | None):
        dev.aaa.lines.append(n.line)
        if w[1:3] == ["authentication", "login"] and len(w) > 4:
            methods = w[4:]
            if w[3] == "default":
                default_login = methods
            dev.aaa.remote_login = dev.aaa.remote_login or (w[3] == "default" and methods[0] == "group")
        elif w[1:2] == ["accounting"]:
            dev.aaa.accounting = True
        elif w[1:3] == ["local", "authentication"] and "max-fail" in w:
            i = w.index("max-fail")
            dev.lockout.enabled = True
            dev.lockout.max_attempts = parse_int(w[i + 1]) if i + 1 < len(w) else None
            dev.lockout.lock_seconds = 0
            dev.lockout.lines.append(n.line)
        elif w[1:3] == ["common-criteria", "policy"]:
            self._cc_policy(dev, n)
        elif w[1:3] == ["group", "server"]:
            dev.aaa.servers.append(n.line)
        return default_login

    def _cc_policy(self, dev: NetworkDevice, n: Node) -> None:
        pol = dev.password_policy
        pol.enabled = True
        pol.lines.append(n.line)
        classes = 0
        for c in n.children:
            cw = c.words()
            if len(cw) < 2:
                continue
            pol.lines.append(c.line)
            if cw[0] == "min-length":
                pol.min_length = max(pol.min_length or 0, parse_int(cw[1]) or 0)
            elif cw[0] in ("upper-case", "lower-case", "numeric-count", "special-case") and (parse_int(cw[1]) or 0) > 0:
                classes += 1
            elif cw[0] == "lifetime" and len(cw) > 2:
                per = {"years": 365, "months": 30, "month": 30, "days": 1, "day": 1}.get(cw[1])
                v = parse_int(cw[2])
                if per and v is not None:
                    pol.max_age_days = per * v
            elif cw[0] == "history" and len(cw) > 1:
                pol.history = parse_int(cw[1])
        pol.min_classes = max(pol.min_classes or 0, classes)

    def _login(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        if w[1] == "block-for" and "attempts" in w:
            i = w.index("attempts")
            dev.lockout.enabled = True
            dev.lockout.max_attempts = parse_int(w[i + 1]) if i + 1 < len(w) else None
            dev.lockout.lock_seconds = parse_int(w[2])
            dev.lockout.lines.append(n.line)
        elif w[1] in ("on-failure", "on-success"):
            dev.logging.login_events = Toggle(True, n.line)

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

    def _line(self, n: Node, w: list[str]) -> tuple[MgmtLine, list[str] | None, bool] | None:
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
                login_kw = cw[1:] or ["line"]
                ml.lines.append(c.line)
            elif cw[:2] == ["no", "login"]:
                login_kw = ["none"]
                ml.lines.append(c.line)
            elif cw[0] == "password":
                has_password = True
                ml.lines.append(c.line)
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
        parse_interface(dev, n, _PHYSICAL, _AGGREGATE, (("standby",), ("vrrp",), ("channel-group",)))

    def _finish(self, dev: NetworkDevice, aaa_new_model: bool, default_login: list[str] | None,
                line_logins: list[tuple[MgmtLine, list[str] | None, bool]]) -> None:
        for ml, login_kw, has_password in line_logins:
            ml.auth = self._line_auth(ml.kind, login_kw, has_password, aaa_new_model, default_login)
            if ml.kind == "vty" and ml.protocols is None:
                ml.protocols = TRANSPORT_DEFAULT.get(dev.os_major or 0)
            if ml.kind != "vty" and ml.protocols is None:
                ml.protocols = frozenset()
        vty = [m for m in dev.mgmt_lines if m.kind == "vty"]
        if vty:
            if any(m.protocols is None for m in vty):
                dev.telnet = Toggle(None, None, "vty transport input default depends on the release")
            else:
                tel = [m for m in vty if "telnet" in m.protocols]   # type: ignore[operator]
                dev.telnet = Toggle(bool(tel), (tel[0] if tel else vty[0]).line)
            if dev.ssh.enabled.enabled is None and any("ssh" in (m.protocols or ()) for m in vty):
                dev.ssh.enabled = Toggle(True, vty[0].line)
        else:
            dev.telnet = Toggle(False, None, "no vty lines configured")
        if dev.ssh.enabled.enabled and dev.ssh.v1_allowed.enabled is None:
            dev.ssh.v1_allowed = Toggle(True, None, "ip ssh version 2 absent: SSH 1.99 accepts SSHv1 clients")
        if dev.http.enabled is None:
            dev.http = Toggle(False, None, "ip http server absent")
        if dev.https.enabled is None:
            dev.https = Toggle(False, None, "ip http secure-server absent")
        for t in (dev.ftp, dev.tftp):
            if t.enabled is None:
                t.enabled = False
        defaults = {"small_servers": False, "finger": False, "bootp": True, "source_route": True, "pad": True,
                    "cdp": True}
        for k, v in defaults.items():
            dev.legacy_services.setdefault(k, Toggle(v, None, "default"))
        if dev.logging.timestamps_datetime.enabled is None:
            dev.logging.timestamps_datetime = Toggle(False, None, "service timestamps log datetime absent: uptime stamps")
        if dev.logging.enabled.enabled is None:
            dev.logging.enabled = Toggle(True, None, "logging is on by default")
        if dev.logging.login_events.enabled is None:
            dev.logging.login_events = Toggle(False, None, "login on-failure/on-success log absent")
        if dev.password_policy.enabled is None:
            dev.password_policy.enabled = False
        if dev.password_policy.min_classes is None:
            dev.password_policy.min_classes = 0      # only a common-criteria policy demands character classes
        if dev.password_policy.max_age_days is None:
            dev.password_policy.max_age_days = 0     # IOS local passwords never expire without a CC policy
        if dev.lockout.enabled is None:
            dev.lockout.enabled = False
        snmp = dev.snmp
        versions = set()
        if snmp.communities:
            versions |= {"v1", "v2c"}
        if snmp.v3_groups_priv or snmp.v3_groups_weak or snmp.users:
            versions.add("v3")
        snmp.versions = frozenset(versions)
        snmp.enabled = bool(versions)
        if dev.aaa.remote_login is False and default_login and default_login[0] == "group":
            dev.aaa.remote_login = True

    @staticmethod
    def _line_auth(kind: str, login_kw: list[str] | None, has_password: bool, aaa: bool,
                   default_login: list[str] | None) -> str | None:
        if login_kw == ["none"]:
            return "none"
        if aaa:
            methods = default_login
            if login_kw and login_kw[0] == "authentication":
                return "aaa"         # a named list; treated as per-user AAA
            if methods is None:
                return "local"       # no default list: the local user database is used
            if methods[0] == "none":
                return "none"
            return "aaa" if methods[0] == "group" else "local"
        if login_kw is None:
            return "none" if kind in ("console", "aux") else None
        if login_kw[0] == "local":
            return "local"
        if login_kw[0] == "line":
            return "password"
        return "password" if has_password else None


PLATFORM = CiscoIos()
