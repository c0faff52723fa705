"""H3C / HPE Comware 5 and 7 running configurations.

`password-control` values mean nothing while `password-control enable` is absent (Comware prints its defaults
even then); Comware 7 moved vty settings to `line vty` / `line class vty` and roles to `user-role`; Comware 5
uses `user-interface` and command levels 0-3 (3 = manage).
"""
from __future__ import annotations

import re

from scanner.facts import LocalUser, NetworkDevice, PasswordStorage
from scanner.platforms import status
from scanner.platforms.base import Masker, Node, SessionProfile, parse_int, value
from scanner.platforms.vrp_aaa import comware_scheme
from scanner.platforms.vrp_style import VRP_SECRET_HINT, VRP_SECRET_SYNTAXES, Defaults, VrpStyle, _ntp_host
from scanner.secrets import fingerprint, traits_of

SECRET_SYNTAXES = {
    **VRP_SECRET_SYNTAXES,
    "hash": r"\bhash\s+(?P<secret>\$\S+)",
    "snmp community (Comware 7 role form)": r"^\s*(?:undo\s+)?snmp-agent community\s+(?:cipher|simple)\s+" + value(),
    "snmp v1/v2c user (its name is the community)": r"^\s*snmp-agent usm-user\s+(?:v1|v2c)\s+" + value(),
    "aaa scheme key": r"^\s*key\s+(?:authentication|accounting|authorization)\s+(?:(?:cipher|simple)\s+)?" + value(),
    "super password": r"^\s*super password(?:\s+(?:role|level)\s+\S+)?\s+(?:simple|cipher|hash)\s+(?P<secret>\S+)",
}
_MASKER = Masker(SECRET_SYNTAXES.values(), VRP_SECRET_HINT)

_VERSION = re.compile(r"version\s+(\d+)\.(\d+)(?:\.(\d+))?,\s*(?:Release|ESS|Feature)\s+(\S+)", re.IGNORECASE)
ADMIN_ROLES = frozenset({"network-admin", "level-15", "mdc-admin", "context-admin", "security-admin"})

# docs/vendor-defaults.md: Comware 5 manuals disagree on the telnet default and HTTP/SSHv1 are unverified there.
_V5 = Defaults(telnet=None, ssh=False, ssh_v1=None, http=None, https=False, ftp=False,
               vty_protocols=frozenset({"telnet", "ssh"}), vty_auth="password", console_auth="none",
               idle_timeout_s=600, snmp_versions=frozenset({"v3"}))
_V7 = Defaults(telnet=False, ssh=False, ssh_v1=False, http=False, https=False, ftp=False,
               vty_protocols=frozenset({"telnet", "ssh"}), vty_auth="password", console_auth="none",
               idle_timeout_s=600, snmp_versions=frozenset({"v3"}))
_UNKNOWN = Defaults(idle_timeout_s=600, ftp=False)


SESSION = SessionProfile(
    paging=("screen-length disable",), quit="quit", prompt_style="vrp",
    commands={"version": "display version", "config": "display current-configuration",
              "ssh_status": "display ssh server status"},
    unrecognized=("% Unrecognized command", "% Wrong parameter", "% Incomplete command"),
    ssh_banners=("Comware", "H3C", "HPE"),
    login_questions=(r".*\[Y/N\]\s*:?",))
STATUS_PARSERS = {"ssh_status": status.vrp_ssh}


class HpComware(VrpStyle):
    name = "hp_comware"
    title = "H3C / HPE Comware"
    aliases = ("h3c", "comware", "hpe_comware")
    session = SESSION
    status_parsers = STATUS_PARSERS
    mask = staticmethod(_MASKER)
    secrets = staticmethod(_MASKER.secrets)

    def detect_score(self, text: str) -> int:
        score = 0
        for pat, pts in ((r"^\s*version \d+\.\d+(\.\d+)?, (Release|ESS|Feature) \S+", 6), (r"^sysname \S+", 1),
                         (r"^interface Vlan-interface\d", 3), (r"^interface Bridge-Aggregation\d", 3),
                         (r"^local-user \S+( class (manage|network))?\s*$", 3), (r"^domain (system|default)", 3),
                         (r"^ authorization-attribute (user-role|level)", 3), (r"^password-control ", 3),
                         (r"^line (class )?vty", 3), (r"^irf (member|mac-address|domain)", 3),
                         (r"^(hwtacacs|radius) scheme ", 3), (r"^return\s*$", 1), (r"Comware Software", 3),
                         (r"^ip (http|https) enable", 2), (r"^interface (Ten-)?GigabitEthernet\d+/\d+/\d+", 1),
                         (r"^acl (advanced|basic) (name )?\S+", 3), (r"^dhcp server ip-pool ", 2),
                         (r" (password|key) (cipher|hash) \$[a-z]\$[0-9a-z]\$", 2)):
            if re.search(pat, text, re.MULTILINE):
                score += pts
        return score

    def header(self, dev: NetworkDevice, lines: list[str]) -> None:
        for raw in lines[:120]:
            m = _VERSION.search(raw)
            if m:
                dev.os_major = int(m.group(1))
                dev.software_version = f"{m.group(1)}.{m.group(2)}" + (f".{m.group(3)}" if m.group(3) else "") \
                    + f" {m.group(4)}"
                break
        for raw in lines[:120]:
            s = raw.strip()
            if " uptime is " in s and (s.startswith("H3C ") or s.startswith("HPE ") or s.startswith("HP ")):
                dev.model = s.split(" uptime is ")[0]

    @staticmethod
    def fix_variant(release: str | None) -> str | None:
        """Comware 5 takes other fix commands (user-interface, password cipher, levels): checks/remediation keys
        `<check>@5`."""
        return "5" if release and release.split(".")[0].strip() == "5" else None

    def defaults_for(self, dev: NetworkDevice) -> Defaults:
        return {5: _V5, 7: _V7}.get(dev.os_major or 0, _UNKNOWN)

    def vendor_line(self, dev: NetworkDevice, n: Node, w: list[str]) -> bool:
        head = w[0]
        if head == "local-user" and len(w) > 1:
            self._local_user(dev, n, w)
            return True
        if head == "password-control" or w[:2] == ["undo", "password-control"]:
            self._password_control(dev, n, w)
            return True
        if head in ("hwtacacs", "radius") and len(w) > 1 and w[1] == "scheme" or \
                w[:3] == ["radius", "dynamic-author", "server"]:
            comware_scheme(dev, n)
            return True
        if w in (["ntp-service", "enable"], ["undo", "ntp-service", "enable"], ["sntp", "enable"],
                 ["undo", "sntp", "enable"]):
            dev.read_lines.add(n.line)        # after_tree: Comware 7 syncs to no server while NTP/SNTP is off
            return True
        if head == "domain" and len(w) > 1 and w[1] not in ("default", "if-unknown"):
            dev.read_lines.add(n.line)
            for c in n.children:
                cw = c.words()
                if cw[:1] == ["accounting"]:
                    dev.read_lines.add(c.line)
                if cw[:1] == ["accounting"] and any(x.endswith("-scheme") and not x.startswith("local") for x in cw):
                    dev.aaa.accounting = True
            return True
        if w[:2] == ["web", "idle-timeout"] and len(w) > 2:
            minutes = parse_int(w[2])            # web management sessions idle out after N minutes (default 10)
            dev.web_idle_timeout_s = minutes * 60 if minutes is not None else None
            dev.web_idle_timeout_line = n.line
            dev.read_lines.add(n.line)
            return True
        if head == "super" and len(w) > 1 and w[1] == "password":
            form = next((x for x in w if x in ("hash", "cipher", "simple")), None)
            storage = {"hash": PasswordStorage.HASH, "cipher": PasswordStorage.REVERSIBLE,
                       "simple": PasswordStorage.PLAINTEXT}.get(form or "", PasswordStorage.UNKNOWN)
            stored = w[w.index(form) + 1] if form and w.index(form) + 1 < len(w) else None
            dev.enable_secret = LocalUser(name="super", line=n.line, storage=storage, privilege=15, is_admin=True,
                                          lines=[n.line], secret_fingerprint=fingerprint(stored) if stored else None)
            return True
        return False

    def after_tree(self, dev: NetworkDevice, roots: list[Node]) -> None:
        """Logins without `@domain` use the default ISP domain (`domain default enable NAME`, else `system`): central
        AAA only when its `authentication login` (or `authentication default`) tries a HWTACACS/RADIUS scheme
        first. Other domains serve users who name them (802.1X, portal). Comware 7's NTP and SNTP services are off
        until `ntp-service enable` / `sntp enable`: the unicast-server lines of one that is off set no clock."""
        tops = [n.words() for n in roots]
        if dev.os_major == 7:
            on = {"ntp-service": ["ntp-service", "enable"] in tops, "sntp": ["sntp", "enable"] in tops}
            kept = [n for n in roots if n.line in dev.ntp_servers
                    and on["sntp" if n.words()[0] == "sntp" else "ntp-service"]]
            dev.ntp_servers[:] = [n.line for n in kept]
            dev.ntp_hosts[:] = [h for n in kept for h in _ntp_host(n.words())]
        default = next((w[3] for w in tops if w[:3] == ["domain", "default", "enable"] and len(w) > 3), "system")
        dev.read_lines.update(n.line for n in roots if n.words()[:3] == ["domain", "default", "enable"])
        for n in (r for r in roots if r.words() == ["domain", default]):
            methods = {c.words()[1]: c for c in n.children
                       if c.words()[:1] == ["authentication"] and len(c.words()) > 2
                       and c.words()[1] in ("login", "default")}
            dev.read_lines.update(c.line for c in methods.values())
            chosen = methods.get("login") or methods.get("default")
            if chosen is not None and chosen.words()[2] in ("hwtacacs-scheme", "radius-scheme"):
                dev.aaa.remote_login = True
                dev.aaa.lines.append(chosen.line)

    def _local_user(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        user = LocalUser(name=w[1], line=n.line, lines=[n.line])
        if "class" in w and w[-1] == "network":
            # network-access users (802.1X, portal) cannot manage the device: nothing beneath matters to a check
            dev.read_lines.update([n.line, *(c.line for c in n.children)])
            return
        dev.read_lines.add(n.line)
        roles: set[str] = set()
        for c in n.children:
            cw = c.words()
            if not cw:
                continue
            user.lines.append(c.line)
            dev.read_lines.add(c.line)
            if cw[0] == "password" and len(cw) > 1:
                form = cw[1]
                if len(cw) > 2:
                    user.secret_fingerprint = fingerprint(cw[2])
                if form == "hash":
                    user.storage = PasswordStorage.HASH
                elif form == "cipher":
                    user.storage = PasswordStorage.REVERSIBLE
                elif form == "simple" and len(cw) > 2:
                    user.storage = PasswordStorage.PLAINTEXT
                    user.password_traits = traits_of(cw[2], user.name, dev.password_tags, dev.hostname)
            elif cw[0] == "service-type":
                user.services = user.services | frozenset(cw[1:])
            elif cw[:2] == ["authorization-attribute", "user-role"] and len(cw) > 2:
                roles.add(cw[2])
            elif cw[:2] == ["authorization-attribute", "level"] and len(cw) > 2:
                user.privilege = parse_int(cw[2])
            elif cw[0] == "level" and len(cw) > 1:           # Comware 5 'level 3'
                user.privilege = parse_int(cw[1])
            elif cw[:2] == ["state", "block"]:
                user.disabled = True
            else:
                dev.read_lines.discard(c.line)
        if not any(c.words()[:1] == ["password"] for c in n.children):
            # no password line: the user authenticates by its name alone (H3C AAA guide, local user attributes)
            user.storage = PasswordStorage.NONE
        if roles:
            user.is_admin = bool(roles & ADMIN_ROLES)
            user.privilege = 15 if user.is_admin else max((parse_int(r.split("-")[1]) or 0 for r in roles
                                                           if r.startswith("level-")), default=1)
        elif user.privilege is not None:
            user.is_admin = user.privilege >= 3 if (dev.os_major or 5) < 7 else user.privilege >= 15
        dev.users.append(user)

    def _password_control(self, dev: NetworkDevice, n: Node, w: list[str]) -> None:
        pol, lo = dev.password_policy, dev.lockout
        undo = w[0] == "undo"
        body = w[1:] if undo else w
        pol.lines.append(n.line)
        dev.read_lines.add(n.line)
        if body[1:2] == ["enable"]:
            pol.enabled = not undo
        elif body[1:2] == ["length"] and len(body) > 2:
            pol.min_length = parse_int(body[2])
        elif body[1:2] == ["aging"] and len(body) > 2:
            pol.max_age_days = parse_int(body[2])
        elif body[1:2] == ["history"] and len(body) > 2:
            pol.history = parse_int(body[2])
        elif body[1:3] == ["composition", "type-number"] and len(body) > 3:
            pol.min_classes = parse_int(body[3])
        elif body[1:2] == ["login-attempt"] and len(body) > 2:
            lo.lines.append(n.line)
            lo.max_attempts = parse_int(body[2])
            if "lock-time" in body:
                t = parse_int(body[body.index("lock-time") + 1])
                lo.lock_seconds = t * 60 if t is not None else None
            elif "lock" in body:
                lo.lock_seconds = 0
            elif "unlock" in body:
                lo.lock_seconds = None
                lo.enabled = False
        else:
            dev.read_lines.discard(n.line)

    def finish_vendor(self, dev: NetworkDevice, d: Defaults) -> None:
        pol, lo = dev.password_policy, dev.lockout
        if pol.enabled is None:
            pol.enabled = False                 # the global switch is off unless configured
        if pol.enabled:
            # Factory values of the sub-settings when only the switch is on (Comware 7, non-FIPS).
            pol.min_length = 10 if pol.min_length is None else pol.min_length
            pol.min_classes = 1 if pol.min_classes is None else pol.min_classes
            pol.max_age_days = 90 if pol.max_age_days is None else pol.max_age_days
            pol.history = 4 if pol.history is None else pol.history
            if lo.enabled is None:
                lo.enabled = True
                lo.max_attempts = 3 if lo.max_attempts is None else lo.max_attempts
                lo.lock_seconds = 60 if lo.lock_seconds is None and lo.lines == [] else lo.lock_seconds
        else:
            # Sub-settings are inert while password-control is disabled.
            pol.min_length, pol.min_classes, pol.max_age_days, pol.history = None, 0, 0, None
            lo.enabled = False


PLATFORM = HpComware()
