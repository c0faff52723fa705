"""The facts of a Linux server as one `LinuxHost`, parsed from the sections the collection script prints, with
real semantics: commented-out lines are defaults, the PAM stack decides, `sshd -T` beats the config file."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from scanner.platforms import linux_pam, linux_profile
from scanner.platforms.linux_pam import PamLockout, PamStack, PamQuality
from scanner.secrets import MARKER_RE

_AUDIT_PATH = re.compile(r"(?:^|\s)(?:-w\s+|-F\s+(path|dir)=)(\S+)")   # a watched path in `auditctl -l`

# the services whose state `systemctl is-active` prints, one a line, in this order
SERVICE_NAMES = ("auditd", "rsyslog", "chronyd", "chrony", "ntp", "ntpd", "systemd-timesyncd", "sshd", "ssh",
                 "clamav-daemon", "clamd@scan")


@dataclass(slots=True)
class Account:
    name: str
    uid: int
    shell: str
    line: int
    password: str = "unknown"      # empty, locked, hash, unknown
    hash_scheme: str | None = None  # yescrypt, sha512, sha256, md5, des ...
    max_days: int | None = None
    shadow_line: int | None = None


@dataclass(slots=True)
class LinuxHost:
    os_id: str | None = None
    os_name: str | None = None
    is_root: bool | None = None
    accounts: list[Account] = field(default_factory=list)
    pass_max_days: int | None = None
    pass_min_len: int | None = None
    login_defs_lines: list[int] = field(default_factory=list)
    family: str = "rhel"                   # debian or rhel: which stock files and shell start-up files apply
    pam_stacks: dict[str, PamStack] = field(default_factory=dict)   # service -> the stack it really runs
    pw_quality: PamQuality | None = None      # of the stack `passwd` runs
    lockouts: dict[str, PamLockout | None] = field(default_factory=dict)   # sshd, login -> their failure counter
    tmout_s: int | None = None             # set in a file a login shell sources
    tmout_line: tuple[str, int] | None = None
    tmout_readonly: bool = False
    tmout_ignored: list[tuple[str, int]] = field(default_factory=list)   # TMOUT in files no shell sources
    sshd: dict[str, str] = field(default_factory=dict)  # effective settings, lower-case keys
    sshd_source: str | None = None                     # sshd_effective or sshd_config
    sshd_lines: dict[str, int] = field(default_factory=dict)
    sudo_nopasswd_all: list[int] = field(default_factory=list)
    sudo_rules: list[int] = field(default_factory=list)
    services: dict[str, bool] = field(default_factory=dict)
    audit_rules: list[str] = field(default_factory=list)
    audit_rules_known: bool = False
    remote_log_lines: list[tuple[str, int]] = field(default_factory=list)     # in files rsyslog reads
    remote_log_ignored: list[tuple[str, int]] = field(default_factory=list)   # in files rsyslog never includes
    logrotate_days: int | None = None
    logrotate_lines: list[int] = field(default_factory=list)
    listening: list[tuple[str, str, int, int]] = field(default_factory=list)   # proto, address, port, line
    perms: dict[str, tuple[int, str, int]] = field(default_factory=dict)     # path -> (mode, owner, line)
    processes: set[str] = field(default_factory=set)
    ntp_synchronized: bool | None = None
    pending_security_updates: int | None = None
    package_manager: str | None = None
    sshd_channel_idle_s: int | None = None    # ChannelTimeout for session channels (OpenSSH 9.2+)
    sshd_otp: list = field(default_factory=list)   # OTP PamEntry lines sshd's auth stack requires
    sshd_match: list[tuple[str, dict[str, str], int]] = field(default_factory=list)   # Match criteria, settings, line
    sections: frozenset[str] = frozenset()

    # the values as configured (the checks judge `pw_quality` and `lockouts`, per stack)
    @property
    def pw_min_len(self) -> int | None:
        return self.pw_quality.min_len if self.pw_quality else None

    @property
    def pw_min_class(self) -> int | None:
        return self.pw_quality.min_class if self.pw_quality else None

    @property
    def pw_enforce_for_root(self) -> bool:
        return bool(self.pw_quality and self.pw_quality.enforce_for_root)

    def _lockout(self) -> PamLockout | None:
        return self.lockouts.get("login") or self.lockouts.get("sshd")

    @property
    def lockout_deny(self) -> int | None:
        return self._lockout().deny if self._lockout() else None

    @property
    def lockout_unlock_s(self) -> int | None:
        return self._lockout().unlock_s if self._lockout() else None

    def audits(self, path: str) -> bool:
        """auditctl(8): `-w P` and `-F dir=P` watch P and, a directory, its whole subtree; `-F path=P` only P."""
        for m in (m for rule in self.audit_rules for m in _AUDIT_PATH.finditer(rule)):
            watched = m.group(2).rstrip("/")
            if watched == path or (m.group(1) != "path" and path.startswith(watched + "/")):
                return True
        return False


def _kv_lines(text: str):
    for i, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if s and not s.startswith("#"):
            yield i, s


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def parse(sections: dict[str, str]) -> LinuxHost:
    h = LinuxHost(sections=frozenset(k for k, v in sections.items() if v.strip()))
    s = sections
    if s.get("id", "").strip():
        h.is_root = s["id"].strip().splitlines()[0] == "0"
    _os(h, s.get("os_release", ""), s.get("pam", ""))
    _accounts(h, s.get("passwd", ""), s.get("shadow", ""))
    for i, line in _kv_lines(s.get("login_defs", "")):
        w = line.split()
        if len(w) >= 2 and w[0] == "PASS_MAX_DAYS":
            h.pass_max_days = _int(w[1])
            h.login_defs_lines.append(i)
        elif len(w) >= 2 and w[0] == "PASS_MIN_LEN":
            h.pass_min_len = _int(w[1])
            h.login_defs_lines.append(i)
    _pam(h, s.get("pam", ""), s.get("pwquality", ""), s.get("faillock", ""))
    profile = s.get("profile", "")
    linux_profile.read_tmout(h, _files(profile, "/etc/profile"), profile)
    _sshd(h, s)
    _sshd_match(h, s.get("sshd_config", ""))
    h.sshd_channel_idle_s = channel_idle_s(h.sshd)
    for i, line in _kv_lines(s.get("sudoers", "")):
        if line.startswith(("Defaults", "@include", "#include")):
            continue
        h.sudo_rules.append(i)
        if re.search(r"NOPASSWD:\s*ALL\s*$", line):
            h.sudo_nopasswd_all.append(i)
    names = SERVICE_NAMES
    states = [x.strip() for x in s.get("services", "").split("\n") if x.strip()]
    if len(states) == len(names):
        h.services = {n: st == "active" for n, st in zip(names, states)}
    if "audit_rules" in s:
        rules = [x.strip() for x in s["audit_rules"].split("\n") if x.strip()]
        h.audit_rules_known = bool(rules)
        h.audit_rules = [r for r in rules if r != "No rules"]
    _rsyslog(h, s.get("rsyslog", ""))
    _logrotate(h, s.get("logrotate", ""))
    for i, line in enumerate(s.get("listening", "").split("\n"), 1):
        w = line.split()
        if len(w) >= 5 and w[0] in ("tcp", "udp") and (w[1] in ("LISTEN", "UNCONN")):
            addr, _, port = w[4].rpartition(":")
            if port.isdigit():
                h.listening.append((w[0], addr.strip("[]"), int(port), i))
    for i, line in enumerate(s.get("perms", "").split("\n"), 1):
        w = line.split()
        if len(w) == 4 and re.fullmatch(r"[0-7]{3,4}", w[0]):
            h.perms[w[3]] = (int(w[0], 8), w[1], i)
    h.processes = {x.strip() for x in s.get("processes", "").split("\n") if x.strip()}
    w = s.get("security_updates", "").split()
    if len(w) == 2 and w[1].isdigit():
        h.package_manager, h.pending_security_updates = w[0], int(w[1])
    for line in s.get("timesync", "").split("\n"):
        if line.startswith("NTPSynchronized="):
            h.ntp_synchronized = line.split("=", 1)[1].strip() == "yes"
    return h


def _os(h: LinuxHost, os_release: str, pam: str) -> None:
    like = ""
    for _, line in _kv_lines(os_release):
        k, _, v = line.partition("=")
        if k == "ID":
            h.os_id = v.strip('"')
        elif k == "PRETTY_NAME":
            h.os_name = v.strip('"')
        elif k == "ID_LIKE":
            like = v.strip('"')
    names = f"{h.os_id or ''} {like}".split()
    if "debian" in names or "ubuntu" in names or (h.os_id is None and "==> /etc/pam.d/common-auth" in pam):
        h.family = "debian"


def _accounts(h: LinuxHost, passwd: str, shadow: str) -> None:
    for i, line in enumerate(passwd.split("\n"), 1):
        f = line.split(":")
        if len(f) >= 7 and f[2].lstrip("-").isdigit():
            h.accounts.append(Account(f[0], int(f[2]), f[6].strip(), i))
    by_name = {a.name: a for a in h.accounts}
    for i, line in enumerate(shadow.split("\n"), 1):
        f = line.split(":")
        if len(f) < 5 or f[0] not in by_name:
            continue
        a = by_name[f[0]]
        a.shadow_line = i
        pw = f[1]
        if pw == "":
            a.password = "empty"
        elif pw.startswith(("!", "*")):
            a.password = "locked"
        else:
            a.password = "hash"
            a.hash_scheme = _scheme(pw)
        a.max_days = _int(f[4]) if f[4] else None


def _scheme(pw: str) -> str:
    if pw.startswith("$y$"):
        return "yescrypt"
    if pw.startswith("$6$"):
        return "sha512"
    if pw.startswith("$5$"):
        return "sha256"
    if pw.startswith("$1$"):
        return "md5"
    if pw.startswith(("$2a$", "$2b$", "$2y$")):
        return "bcrypt"
    m = MARKER_RE.match(pw)          # a redacted DES hash keeps its length in the marker
    length = int(m.group(1)) if m else len(pw)
    return "des" if length == 13 else "unknown"


def _pam(h: LinuxHost, pam: str, pwquality: str, faillock: str) -> None:
    files, complete = linux_pam.split_files(pam)
    for service in ("sshd", "login", "passwd"):
        h.pam_stacks[service] = linux_pam.resolve(files, complete, service, h.family)
    h.pw_quality = linux_pam.quality(h.pam_stacks["passwd"], linux_pam.kv_conf(pwquality))
    conf = linux_pam.kv_conf(faillock)
    h.sshd_otp = linux_pam.otp_required(h.pam_stacks["sshd"])
    h.lockouts = {svc: linux_pam.lockout(h.pam_stacks[svc], conf) for svc in ("sshd", "login")}


def _files(text: str, default: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """`==> path` blocks of a section; a section without headers is one file named `default`."""
    out: list[tuple[str, list[tuple[int, str]]]] = []
    for i, raw in enumerate(text.split("\n"), 1):
        if raw.startswith("==> "):
            out.append((raw[4:].strip(), []))
        elif raw.strip() and not raw.startswith("#all /etc/"):
            if not out:
                out.append((default, []))
            out[-1][1].append((i, raw))
    return out


SSHD_DEFAULTS = {"permitrootlogin": "prohibit-password", "passwordauthentication": "yes",
                 "permitemptypasswords": "no", "clientaliveinterval": "0", "clientalivecountmax": "3",
                 "maxauthtries": "6", "x11forwarding": "no", "ciphers": "", "authenticationmethods": "any"}


def _sshd(h: LinuxHost, s: dict[str, str]) -> None:
    eff = s.get("sshd_effective", "")
    if eff.strip() and "port" in eff.lower():
        h.sshd_source = "sshd_effective"
        for i, line in _kv_lines(eff):
            k, _, v = line.partition(" ")
            h.sshd.setdefault(k.lower(), v.strip())
            h.sshd_lines.setdefault(k.lower(), i)
        return
    cfg = s.get("sshd_config", "")
    if not cfg.strip():
        return
    h.sshd_source = "sshd_config"
    h.sshd.update(SSHD_DEFAULTS)          # commented-out lines mean these compiled-in defaults
    seen: set[str] = set()
    in_match = False
    for i, line in _kv_lines(cfg):
        k, _, v = line.partition(" ")
        k = k.lower()
        if k == "match":
            in_match = True
        if in_match or k in seen:          # sshd uses the first value it reads
            continue
        seen.add(k)
        h.sshd[k] = v.strip().split("#")[0].strip()
        h.sshd_lines[k] = i


_FORWARD = re.compile(r"(^|\s)@@?[\w.\[\]:-]+|type\s*=\s*\"om(fwd|relp)\"")
_INCLUDE = re.compile(r"^\$IncludeConfig\s+(\S+)|include\s*\(\s*file\s*=\s*\"([^\"]+)\"")


_TIME_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _sshd_seconds(v: str) -> int | None:
    """sshd time format: 600, 10m, 1h30m."""
    parts = re.findall(r"(\d+)([smhdw]?)", v.lower())
    if not parts or "".join(n + u for n, u in parts) != v.lower():
        return None
    return sum(int(n) * _TIME_UNITS[u] for n, u in parts)


def channel_idle_s(settings: dict[str, str]) -> int | None:
    """ChannelTimeout (OpenSSH 9.2+) closes a session channel with no traffic for that long: an idle timeout that
    sshd enforces. `sshd -T` prints it only where sshd knows it."""
    for item in settings.get("channeltimeout", "").split():
        kind, _, value = item.partition("=")
        if kind in ("session", "*") or kind.startswith("session:"):
            s = _sshd_seconds(value)
            if s:
                return s
    return None


# Settings a Match block may change for some users or addresses (sshd -T without -C shows only the global ones).
_MATCH_KEYS = ("authenticationmethods", "pubkeyauthentication", "passwordauthentication", "permitrootlogin",
               "kbdinteractiveauthentication", "challengeresponseauthentication", "usepam", "channeltimeout",
               "clientaliveinterval", "permitemptypasswords", "hostbasedauthentication", "gssapiauthentication")


def _sshd_match(h: LinuxHost, cfg: str) -> None:
    current: tuple[str, dict[str, str], int] | None = None
    for i, line in _kv_lines(cfg):
        k, _, v = line.partition(" ")
        k = k.lower()
        if k == "match":
            current = (v.strip(), {}, i)
            h.sshd_match.append(current)
        elif current is not None and k in _MATCH_KEYS:
            current[1].setdefault(k, v.strip().split("#")[0].strip())


def _rsyslog(h: LinuxHost, rsyslog: str) -> None:
    """Forwarding lines in the files rsyslog reads: rsyslog.conf and what its $IncludeConfig / include() globs
    match (a section without `==>` headers is an older capture of rsyslog.conf and rsyslog.d/*.conf: all read)."""
    files = _files(rsyslog, "/etc/rsyslog.conf")
    globs = ["/etc/rsyslog.conf"] if any(line.startswith("==> ") for line in rsyslog.split("\n")) else ["*"]
    read: set[str] = set()
    changed = True
    while changed:                      # an included file may include more
        changed = False
        for path, lines in files:
            if path in read or not any(fnmatch.fnmatch(path, g) for g in globs):
                continue
            read.add(path)
            changed = True
            for _, raw in lines:
                m = _INCLUDE.search(raw.split("#", 1)[0])
                if m:
                    globs.append(m.group(1) or m.group(2))
    for path, lines in files:
        for i, raw in lines:
            line = raw.strip()
            if line and not line.startswith("#") and _FORWARD.search(line):
                (h.remote_log_lines if path in read else h.remote_log_ignored).append(("rsyslog", i))


def _logrotate(h: LinuxHost, text: str) -> None:
    period, rotate = None, None
    for i, line in _kv_lines(text):
        w = line.split()
        if w[0] in ("daily", "weekly", "monthly", "yearly") and period is None:
            period = {"daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}[w[0]]
            h.logrotate_lines.append(i)
        elif w[0] == "rotate" and len(w) > 1 and rotate is None:
            rotate = _int(w[1])
            h.logrotate_lines.append(i)
        elif w[0] == "}" or line.startswith(("/", '"')) or line.endswith("{"):
            break                           # per-file blocks (`"/path" other/path {`) follow the global settings
    if period and rotate is not None:
        h.logrotate_days = period * (rotate + 1)
