"""The facts of a Linux server as one `LinuxHost`, parsed from the sections the collection script prints, with
real semantics: commented-out lines are defaults, the PAM stack decides, `sshd -T` beats the config file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from scanner.secrets import MARKER_RE

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
    pw_min_len: int | None = None          # effective pam_pwquality/pam_cracklib minlen
    pw_min_class: int | None = None
    pw_enforce_for_root: bool = False
    pw_module_line: tuple[str, int] | None = None      # (section, line) of the pwquality/cracklib PAM line
    lockout_deny: int | None = None
    lockout_unlock_s: int | None = None
    lockout_line: tuple[str, int] | None = None
    tmout_s: int | None = None
    tmout_line: tuple[str, int] | None = None
    sshd: dict[str, str] = field(default_factory=dict)  # effective settings, lower-case keys
    sshd_source: str | None = None                     # sshd_effective or sshd_config
    sshd_lines: dict[str, int] = field(default_factory=dict)
    sudo_nopasswd_all: list[int] = field(default_factory=list)
    sudo_rules: list[int] = field(default_factory=list)
    services: dict[str, bool] = field(default_factory=dict)
    audit_rules: list[str] = field(default_factory=list)
    audit_rules_known: bool = False
    remote_log_lines: list[tuple[str, int]] = field(default_factory=list)
    logrotate_days: int | None = None
    logrotate_lines: list[int] = field(default_factory=list)
    listening: list[tuple[str, str, int, int]] = field(default_factory=list)   # proto, address, port, line
    perms: dict[str, tuple[int, str, int]] = field(default_factory=dict)     # path -> (mode, owner, line)
    processes: set[str] = field(default_factory=set)
    ntp_synchronized: bool | None = None
    pending_security_updates: int | None = None
    package_manager: str | None = None
    mfa_lines: list[tuple[str, int]] = field(default_factory=list)
    sections: frozenset[str] = frozenset()


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


def _pam_args(words: list[str]) -> dict[str, str]:
    args = {}
    for w in words:
        k, _, v = w.partition("=")
        args[k] = v
    return args


def parse(sections: dict[str, str]) -> LinuxHost:
    h = LinuxHost(sections=frozenset(k for k, v in sections.items() if v.strip()))
    s = sections
    if s.get("id", "").strip():
        h.is_root = s["id"].strip().splitlines()[0] == "0"
    for _, line in _kv_lines(s.get("os_release", "")):
        k, _, v = line.partition("=")
        if k == "ID":
            h.os_id = v.strip('"')
        elif k == "PRETTY_NAME":
            h.os_name = v.strip('"')
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
    _tmout(h, s.get("profile", ""))
    _sshd(h, s)
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
    pwq: dict[str, str] = {}
    for _, line in _kv_lines(pwquality):
        k, _, v = line.partition("=")
        pwq[k.strip()] = v.strip()
    fl: dict[str, str] = {}
    for _, line in _kv_lines(faillock):
        k, _, v = line.partition("=")
        fl[k.strip()] = v.strip() if v else "1"
    for i, line in _kv_lines(pam):
        if line.startswith("==>"):
            continue
        w = line.split()
        if len(w) < 3:
            continue
        module = next((x for x in w[1:] if x.endswith(".so") or ".so" in x), "")
        args = _pam_args(w[w.index(module) + 1:]) if module in w else {}
        if w[0] == "password" and ("pam_pwquality" in module or "pam_cracklib" in module):
            merged = {**pwq, **args}                      # module arguments override pwquality.conf
            h.pw_min_len = _int(merged.get("minlen", "9" if "pam_pwquality" in module else "9"))
            credits = sum(1 for c in ("ucredit", "lcredit", "dcredit", "ocredit") if (_int(merged.get(c)) or 0) < 0)
            h.pw_min_class = max(_int(merged.get("minclass")) or 0, credits)
            h.pw_enforce_for_root = "enforce_for_root" in merged
            h.pw_module_line = ("pam", i)
        elif w[0] == "auth" and ("pam_faillock" in module or "pam_tally2" in module) and "authsucc" not in args:
            merged = {**fl, **args} if "pam_faillock" in module else args
            deny = _int(merged.get("deny", "3" if "pam_faillock" in module else None))
            if deny is not None and (h.lockout_deny is None or "preauth" in args):
                h.lockout_deny = deny
                h.lockout_unlock_s = _int(merged.get("unlock_time", "600" if "pam_faillock" in module else "0"))
                h.lockout_line = ("pam", i)
        elif w[0] == "auth" and ("pam_google_authenticator" in module or "pam_oath" in module
                                 or "pam_duo" in module or "pam_radius" in module):
            h.mfa_lines.append(("pam", i))


def _tmout(h: LinuxHost, profile: str) -> None:
    for i, line in _kv_lines(profile):
        m = re.match(r"^(?:(?:export|readonly|declare\s+-[a-z]*r[a-z]*)\s+)*TMOUT=(\d+)", line)
        if m:
            v = int(m.group(1))
            if h.tmout_s is None or v < h.tmout_s:
                h.tmout_s, h.tmout_line = v, ("profile", i)


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


def _rsyslog(h: LinuxHost, rsyslog: str) -> None:
    for i, line in _kv_lines(rsyslog):
        if re.search(r"(^|\s)@@?[\w.\[\]:-]+", line) or re.search(r'type\s*=\s*"omfwd"', line) \
                or re.search(r'type\s*=\s*"omrelp"', line):
            h.remote_log_lines.append(("rsyslog", i))


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
        elif w[0] == "}" or line.startswith("/"):
            break                           # per-file blocks follow the global settings
    if period and rotate is not None:
        h.logrotate_days = period * (rotate + 1)
