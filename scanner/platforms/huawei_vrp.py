"""Huawei VRP (S-series V200R = VRP5, CloudEngine/NE = VRP8, AR V300R) running configurations.

Release differences that matter here: VRP5 stores `local-user … password cipher` reversibly, later releases use
`irreversible-cipher`; `local-aaa-user password policy` and `wrong-password` lockout exist only from V200R003 on;
CloudEngine writes `local-user x level N`, the S-series `privilege level N`. Levels 3-15 are management levels.
"""
from __future__ import annotations

import re

from scanner.facts import LocalUser, NetworkDevice, PasswordStorage, Toggle
from scanner.platforms import status
from scanner.platforms.base import Masker, Node, SessionProfile, parse_int, value
from scanner.platforms.vrp_aaa import binds_servers, server_template
from scanner.platforms.vrp_usg import manager_user, usg_role
from scanner.platforms.vrp_style import VRP_SECRET_HINT, VRP_SECRET_SYNTAXES, Defaults, VrpStyle
from scanner.secrets import fingerprint, traits_of

SECRET_SYNTAXES = {
    **VRP_SECRET_SYNTAXES,
    "mpls ldp md5-password FORM PEER KEY": r"\bmd5-password\s+(?:plain|cipher)\s+\S+\s+" + value(),
    "super password": r"^\s*super password(?:\s+level\s+\d+)?\s+(?:cipher|simple|irreversible-cipher)\s+"
                      r"(?P<secret>\S+)",
}
_MASKER = Masker(SECRET_SYNTAXES.values(), VRP_SECRET_HINT)
# Only values that hold on every release family are set (docs/vendor-defaults.md); the rest stay unknown and need a
# live check (`display telnet server status`, `display http server`).
_DEFAULTS = Defaults(idle_timeout_s=600, ftp=False, ssh=False, vty_auth="refused", snmp_versions=None)
# VRP8 (CloudEngine): SSHv1 compatibility is off on a fresh device and an upgraded one keeps the line that turns it on
# (docs/vendor-defaults.md Q17), so its absence means off.
_VRP8 = Defaults(idle_timeout_s=600, ftp=False, ssh=False, ssh_v1=False, vty_auth="refused", snmp_versions=None)

_SW_VERSION = re.compile(r"V(\d{3})R(\d{3})(C\d+)?(SPC\d+)?", re.IGNORECASE)
_VRP = re.compile(r"VRP \(R\) software, Version (\d+)\.(\d+)\s*\(([^)]*)\)")
# CloudEngine switches print their boards; their V100R/V200R release strings look like S-series VRP5 ones, but they
# run VRP8
_CE_BOARD = re.compile(r"^device board \d+ board-type CE[\d-]")     # CE6880-..., CE12800's CE-MPUB / CE-LPUE


SESSION = SessionProfile(
    paging=("screen-length 0 temporary",), quit="quit", prompt_style="vrp",
    commands={"version": "display version", "config": "display current-configuration",
              "telnet_status": "display telnet server status", "ssh_status": "display ssh server status",
              "http_status": "display http server"},
    unrecognized=("Error: Unrecognized command", "Error: Wrong parameter", "Error: Incomplete command"),
    ssh_banners=("HUAWEI", "Huawei"),
    login_questions=(r".*\[Y/N\]\s*:?",))
STATUS_PARSERS = {"telnet_status": status.huawei_telnet, "ssh_status": status.vrp_ssh, "http_status": status.huawei_http}


class HuaweiVrp(VrpStyle):
    name = "huawei_vrp"
    title = "Huawei VRP"
    aliases = ("huawei", "vrp")
    session = SESSION
    status_parsers = STATUS_PARSERS
    mask = staticmethod(_MASKER)
    secrets = staticmethod(_MASKER.secrets)

    def detect_score(self, text: str) -> int:
        score = 0
        for pat, pts in ((r"^!Software Version V\d{3}R", 6), (r"^sysname \S+", 1), (r"^interface Vlanif\d", 3),
                         (r"^user-interface (con|vty) \d", 2), (r"^stelnet server enable", 3),
                         (r"^ local-user \S+ password (irreversible-cipher|cipher|simple)", 3),
                         (r"^ authentication-scheme \S+", 3), (r"^ local-aaa-user ", 3),
                         (r"^interface Eth-Trunk\d", 3), (r"^hwtacacs-server template", 3),
                         (r"^return\s*$", 1), (r"Huawei Versatile Routing Platform", 3), (r"^interface MEth", 2),
                         (r"^ info-center|^info-center", 1), (r"^(undo )?http server enable", 2)):
            if re.search(pat, text, re.MULTILINE):
                score += pts
        return score

    def header(self, dev: NetworkDevice, lines: list[str]) -> None:
        for raw in lines[:120]:
            s = raw.strip()
            if s.startswith("!Software Version") or s.startswith("! Software Version"):
                dev.software_version = s.split("Version", 1)[1].strip()
            m = _VRP.search(s)
            if m:
                dev.os_major = int(m.group(1))
                inner = m.group(3).split()
                if inner:
                    dev.model = dev.model or inner[0]
                    dev.software_version = dev.software_version or inner[-1]
            elif s.startswith("HUAWEI ") and " uptime is " in s:
                dev.model = s.split()[1]
            elif _CE_BOARD.match(s) and dev.os_major is None:
                dev.os_major = 8
        if dev.software_version and dev.os_major is None:
            dev.os_major = _vrp_major(dev.software_version)

    def defaults_for(self, dev: NetworkDevice) -> Defaults:
        return _VRP8 if dev.os_major == 8 else _DEFAULTS

    def vendor_line(self, dev: NetworkDevice, n: Node, w: list[str]) -> bool:
        head = w[0]
        if head == "aaa":
            dev.read_lines.add(n.line)
            self._aaa(dev, n)
            return True
        if w[:3] in (["hwtacacs", "server", "template"], ["radius", "server", "template"]) or (
                head in ("hwtacacs-server", "radius-server") and w[1:2] == ["template"]):
            server_template(dev, n)     # VRP8 writes `hwtacacs server template`, VRP5 `hwtacacs-server template`
            return True
        if w in (["hwtacacs", "enable"], ["radius", "enable"]):
            dev.read_lines.add(n.line)         # on by default; after_tree reads `undo hwtacacs|radius enable`
            return True
        if head == "web-manager" or w[:2] == ["undo", "web-manager"]:
            # USG: `web-manager enable [port]` is HTTP, `web-manager security enable` is HTTPS
            undo = head == "undo"
            body = w[1:] if undo else w
            if body[1:2] == ["enable"]:
                dev.http = Toggle(not undo, n.line)
            elif body[1:3] == ["security", "enable"]:
                dev.https = Toggle(not undo, n.line)
            elif body[1:2] == ["timeout"] and len(body) > 2 and not undo:
                minutes = parse_int(body[2])     # web administrator sessions idle out after N minutes
                dev.web_idle_timeout_s = minutes * 60 if minutes is not None else None
                dev.web_idle_timeout_line = n.line
            else:
                return True
            dev.read_lines.add(n.line)
            return True
        if head == "set" and w[1:3] == ["password", "min-length"] and len(w) > 3:
            dev.password_policy.min_length = parse_int(w[3])
            dev.password_policy.lines.append(n.line)
            dev.read_lines.add(n.line)
            return True
        if w == ["user-password", "complexity-check"]:
            # the release default stated: at least two character types (see finish_vendor)
            dev.password_policy.enabled = True
            dev.password_policy.min_classes = dev.password_policy.min_classes or 2
            dev.password_policy.lines.append(n.line)
            dev.read_lines.add(n.line)
            return True
        if w[:2] == ["undo", "user-password"] and "complexity-check" in w:
            dev.password_policy.min_classes = 0
            dev.password_policy.enabled = False
            dev.password_policy.lines.append(n.line)
            dev.read_lines.add(n.line)
            return True
        if head == "super" and len(w) > 1 and w[1] == "password":
            self._super(dev, n, w)
            return True
        return False

    def after_tree(self, dev: NetworkDevice, roots: list[Node]) -> None:
        """Administrators log in through the admin domain: `domain NAME admin` (system view) or `default-domain admin
        NAME` (aaa view), else `default_admin`; its authentication scheme (`default` when it names none) decides.
        Central AAA only when that scheme tries HWTACACS or RADIUS first, HWTACACS counting only while `hwtacacs
        enable` is not undone. A RADIUS scheme on `domain default` serves access users (802.1X), not administrators."""
        tops = [n.words() for n in roots]
        off = {w[1] for w in tops if w[:1] == ["undo"] and w[2:] == ["enable"] and w[1:2] in (["hwtacacs"], ["radius"])}
        admin_domain = next((w[1] for w in tops if len(w) == 3 and w[0] == "domain" and w[2] == "admin"), None)
        dev.read_lines.update(n.line for n in roots if n.words() in (["undo", "hwtacacs", "enable"],
                                                                     ["undo", "radius", "enable"]) or (
            len(n.words()) == 3 and n.words()[0] == "domain" and n.words()[2] == "admin"))
        schemes: dict[str, Node] = {}
        domains: dict[str, str] = {}
        servers: dict[str, list[Node]] = {}        # domain -> its server template bindings
        for n in (r for r in roots if r.words() == ["aaa"]):
            # a service scheme with nothing beneath it sets no administrator level: read, here and where a domain
            # binds it (one that sets something stays unread, so no account check passes on it)
            empty = {c.words()[1] for c in n.children if c.words()[:1] == ["service-scheme"] and len(c.words()) > 1
                     and not c.children}
            for c in n.children:
                w = c.words()
                if w[:1] == ["service-scheme"] and w[1:2] and w[1] in empty:
                    dev.read_lines.add(c.line)
                if w[:1] == ["authentication-scheme"] and len(w) > 1:
                    mode = next((cc for cc in c.children if cc.words()[:1] == ["authentication-mode"]), None)
                    dev.read_lines.update([c.line] + ([mode.line] if mode is not None else []))
                    if mode is not None:
                        schemes[w[1]] = mode
                elif w[:1] == ["domain"] and len(w) > 1:
                    scheme = next((cc for cc in c.children
                                   if cc.words()[:1] == ["authentication-scheme"] and len(cc.words()) > 1), None)
                    domains[w[1]] = scheme.words()[1] if scheme is not None else "default"
                    dev.read_lines.update([c.line] + ([scheme.line] if scheme is not None else []))
                    servers[w[1]] = [cc for cc in c.children if binds_servers(cc.words())]
                    # accounting schemes count wherever they are bound (see _aaa)
                    dev.read_lines.update(cc.line for cc in c.children
                                          if cc.words()[:1] == ["accounting-scheme"] or binds_servers(cc.words())
                                          or (cc.words()[:1] == ["service-scheme"] and cc.words()[1:2] and
                                              cc.words()[1] in empty))
                elif w[:2] == ["default-domain", "admin"] and len(w) > 2:
                    admin_domain = admin_domain or w[2]
                    dev.read_lines.add(c.line)
        self._default_levels(dev, roots)
        mode = schemes.get(domains.get(admin_domain or "default_admin", "default"))
        methods = [m for m in (mode.words()[1:] if mode else []) if m not in off]
        dev.aaa.remote_login = bool(methods) and methods[0] in ("hwtacacs", "radius", "tacacs")
        if dev.aaa.remote_login and mode is not None:
            dev.aaa.lines.append(mode.line)
            dev.aaa.lines.extend(b.line for b in servers.get(admin_domain or "default_admin", []))

    @staticmethod
    def _default_levels(dev: NetworkDevice, roots: list[Node]) -> None:
        """VRP5: a local user without a level logs in at the level of the user interface it uses (`user privilege
        level N`; VTY default 0, visit level), unless a service scheme sets one. With no level on any VTY and no
        service scheme, such a user is at level 0. VRP8 leaves it to the user management module: unknown."""
        dev.read_lines.update(c.line for r in roots if r.words()[:2] == ["user-interface", "vty"]
                              for c in r.children if c.words()[:3] == ["user", "privilege", "level"])
        if dev.os_major == 8 or any(r.words()[:1] == ["aaa"] and any(c.words()[:1] == ["service-scheme"] and c.children
                                                                     for c in r.children) for r in roots):
            return
        levels = [c for r in roots if r.words()[:2] == ["user-interface", "vty"]
                  for c in r.children if c.words()[:3] == ["user", "privilege", "level"] and len(c.words()) > 3]
        dev.read_lines.update(c.line for c in levels)
        vty_levels = [c.words()[3] for c in levels]
        if vty_levels:
            return
        for u in dev.users:
            if u.privilege is None and u.is_admin is None and u.name != "super":
                u.privilege, u.is_admin = 0, False

    def _aaa(self, dev: NetworkDevice, n: Node) -> None:
        for c in n.children:
            w = c.words()
            if not w:
                continue
            read = dev.read_lines
            if w[0] == "accounting-scheme":
                read.add(c.line)
                for cc in c.children:
                    if cc.words()[:1] == ["accounting-mode"]:
                        read.add(cc.line)
                    if cc.words()[:2] == ["accounting-mode", "hwtacacs"] or cc.words()[:2] == ["accounting-mode", "radius"]:
                        dev.aaa.accounting = True
            elif w[0] == "local-user" and len(w) > 2:
                self._local_user(dev, c, w)
            elif w[0] == "manager-user" and len(w) > 1:
                manager_user(dev, c, w[1])
            elif w[:2] == ["bind", "manager-user"] and "role" in w and w.index("role") + 1 < len(w):
                user = next((u for u in dev.users if u.name == w[2]), None)
                if user is not None:
                    usg_role(user, w[w.index("role") + 1])
                    user.lines.append(c.line)
                    read.add(c.line)
            elif w[0] == "lock-authentication" and len(w) > 2:
                # USG firewalls: `lock-authentication failed-count N` / `lock-authentication timeout MIN`
                lo = dev.lockout
                lo.lines.append(c.line)
                read.add(c.line)
                if w[1] == "failed-count":
                    lo.enabled, lo.max_attempts = True, parse_int(w[2])
                elif w[1] == "timeout":
                    t = parse_int(w[2])
                    lo.lock_seconds = t * 60 if t is not None else None
            elif w[:3] == ["local-aaa-user", "password", "policy"]:
                self._policy(dev, c)
            elif w[:2] == ["local-aaa-user", "wrong-password"]:
                lo = dev.lockout
                lo.enabled = True
                lo.lines.append(c.line)
                read.add(c.line)
                if "retry-time" in w:
                    lo.max_attempts = parse_int(w[w.index("retry-time") + 1])
                if "block-time" in w:
                    bt = parse_int(w[w.index("block-time") + 1])
                    lo.lock_seconds = bt * 60 if bt is not None else None
            elif w[:3] == ["undo", "local-aaa-user", "wrong-password"]:
                dev.lockout.enabled = False
                dev.lockout.lines.append(c.line)
                read.add(c.line)

    def _local_user(self, dev: NetworkDevice, c: Node, w: list[str]) -> None:
        name = w[1]
        user = next((u for u in dev.users if u.name == name), None)
        if user is None:
            user = LocalUser(name=name, line=c.line)
            dev.users.append(user)
        user.lines.append(c.line)
        dev.read_lines.add(c.line)
        attr = w[2]
        if attr == "password" and len(w) > 4:
            form, value = w[3], w[4]
            user.secret_fingerprint = fingerprint(value)
            if form == "irreversible-cipher":
                user.storage = PasswordStorage.HASH
            elif form == "cipher":
                # VRP5 '%@%@…' / '%$%$…' ciphers are reversible encryption, not a hash.
                user.storage = PasswordStorage.REVERSIBLE
            elif form == "simple":
                user.storage = PasswordStorage.PLAINTEXT
                user.password_traits = traits_of(value, name, dev.password_tags, dev.hostname)
        elif attr in ("privilege", "level"):
            lvl = parse_int(w[-1])
            user.privilege = lvl
            user.is_admin = lvl is not None and lvl >= 3
        elif attr == "service-type":
            user.services = frozenset(w[3:])
        elif attr == "state" and len(w) > 3:
            self._user_state(dev, user, c, w)
        else:
            dev.read_lines.discard(c.line)

    @staticmethod
    def _user_state(dev: NetworkDevice, user: LocalUser, c: Node, w: list[str]) -> None:
        """`local-user X state block` blocks the account; `local-user X state block fail-times N interval M` (VRP8,
        AR) is that account's lockout policy instead: N failures lock it, for M minutes. The account stays usable."""
        if w[3] != "block" or "fail-times" not in w:
            user.disabled = w[3] == "block"
            return
        user.disabled = False
        attempts = parse_int(w[w.index("fail-times") + 1]) if w.index("fail-times") + 1 < len(w) else None
        minutes = parse_int(w[w.index("interval") + 1]) if "interval" in w and w.index("interval") + 1 < len(w) else None
        lo = dev.lockout
        lo.lines.append(c.line)
        if lo.enabled is None:             # a device-wide lockout line, when there is one, stays the policy
            lo.enabled, lo.max_attempts = True, attempts
            lo.lock_seconds = minutes * 60 if minutes is not None else None

    def _policy(self, dev: NetworkDevice, c: Node) -> None:
        pol = dev.password_policy
        pol.lines.append(c.line)
        dev.read_lines.add(c.line)
        pol.max_age_days = 90 if pol.max_age_days is None else pol.max_age_days   # VRP default expire 90 days
        for cc in c.children:
            cw = cc.words()
            pol.lines.append(cc.line)
            if cw[:2] == ["password", "expire"] and len(cw) > 2:
                pol.max_age_days = parse_int(cw[2])
            elif cw[:3] == ["password", "history", "record"] and len(cw) > 4:
                pol.history = parse_int(cw[4])
            elif cw[:2] == ["password", "min-length"] and len(cw) > 2:
                pol.min_length = parse_int(cw[2])
            else:
                continue
            dev.read_lines.add(cc.line)

    def _super(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        form = next((x for x in w if x in ("cipher", "simple", "irreversible-cipher")), None)
        storage = {"irreversible-cipher": PasswordStorage.HASH, "cipher": PasswordStorage.REVERSIBLE,
                   "simple": PasswordStorage.PLAINTEXT}.get(form or "", PasswordStorage.UNKNOWN)
        stored = w[w.index(form) + 1] if form and w.index(form) + 1 < len(w) else None
        known = stored if form == "simple" else None
        dev.enable_secret = LocalUser(name="super", line=n.line, storage=storage, privilege=15, is_admin=True,
                                      secret_fingerprint=fingerprint(stored) if stored else None,
                                      lines=[n.line], password_traits=traits_of(known, "super", dev.password_tags, dev.hostname)
                                      if known is not None else None)

    def finish_vendor(self, dev: NetworkDevice, d: Defaults) -> None:
        pol = dev.password_policy
        if _documented_s_series(dev.software_version) and pol.enabled is not False:
            # `user-password complexity-check` is on by default and `set password min-length` defaults to 8;
            # the check demands at least two character types.
            pol.enabled = True
            pol.min_length = 8 if pol.min_length is None else pol.min_length
            pol.min_classes = 2 if pol.min_classes is None else pol.min_classes
        if pol.max_age_days is None and dev.os_major != 8 and _before_automatic_policy(dev.software_version):
            pol.max_age_days = 0        # without the administrator policy, local passwords never expire


def _vrp_major(version: str) -> int | None:
    m = _SW_VERSION.search(version)
    if not m:
        return None
    v, r = int(m.group(1)), int(m.group(2))
    # CloudEngine/NE releases V100R/V200R/V300R/V800R of VRP8 cannot be told from S-series V200R by the string
    # alone; S-series V200R0xx and AR V300R0xx are VRP 5.x.
    if v == 800:
        return 8
    return 5 if r < 20 and v in (100, 200, 300) else None


def _before_automatic_policy(version: str | None) -> bool:
    """S-series before V200R010C00, where the administrator password policy is not on by default (from V200R010C00 it
    is enabled automatically; VRP8 enables it with a 90-day lifetime; other product lines are unknown): only there
    does its absence mean passwords never expire (checks/catalog/equipment/huawei_vrp.yaml, docs/vendor-defaults.md
    Q12). A CloudEngine's V200R0xx is a VRP8 release with the same-looking string: the caller rules it out."""
    m = _SW_VERSION.search(version or "")
    return bool(m) and int(m.group(1)) == 200 and int(m.group(2)) < 10


def _documented_s_series(version: str | None) -> bool:
    """S-series V200R019 and later: the releases the S-series command reference Issue 14 documents."""
    m = _SW_VERSION.search(version or "")
    return bool(m) and int(m.group(1)) == 200 and int(m.group(2)) >= 19


PLATFORM = HuaweiVrp()
