"""The PAM stacks a Linux service really runs, resolved the way libpam reads /etc/pam.d: the service's own file (or
`other` when it has none), `@include` (Debian: every line of the file), `include` and `substack` (the lines of that
type), `-type` lines (skipped silently when the module is missing) and `[value=action ...]` controls. A file that no
resolved stack reaches does not count, whatever it holds.

The `pam` section lists every file of /etc/pam.d behind `==> path` headers; the first line `#all /etc/pam.d` says the
listing is complete. An older capture (a fixed list of files) lacks it: a missing service file then falls back to the
distribution's stock file (named in the stack's `assumed`), and a missing included file makes the stack incomplete.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

COMPLETE_MARK = "#all /etc/pam.d"
TYPES = ("auth", "account", "password", "session")
# service -> the stock include of each distribution family, used only for an incomplete (older) capture
_STOCK = {
    "debian": {"sshd": "common-auth", "login": "common-auth", "passwd": "common-password"},
    "rhel": {"sshd": "password-auth", "login": "system-auth", "passwd": "system-auth"},
}
_LINE = re.compile(r"^(-?)(auth|account|password|session)\s+(\[[^\]]*\]|\S+)\s*(.*)$", re.I)
_VALUES_READ = frozenset({"pam_faillock", "pam_tally2", "pam_pwquality", "pam_cracklib"})
UNNAMED = "(unnamed)"     # a section without `==>` headers: one block whose file name the capture does not say
_MAX_DEPTH = 16          # libpam (PAM_SUBSTACK_MAX_LEVEL) refuses a file at include level 16; a loop stops here too


@dataclass(slots=True)
class PamEntry:
    file: str
    line: int                 # line number in the `pam` section (evidence)
    type: str
    control: str
    module: str               # basename without .so: pam_faillock
    args: dict[str, str]
    optional_load: bool = False


@dataclass(slots=True)
class PamStack:
    service: str
    entries: list[PamEntry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)     # included or service files not in the capture
    assumed: str | None = None                           # stock file used for a service file missing from an old capture

    def of(self, ptype: str) -> list[PamEntry]:
        return [e for e in self.entries if e.type == ptype]


def split_files(pam: str) -> tuple[dict[str, list[tuple[int, str]]], bool]:
    """`==> /etc/pam.d/name` blocks -> {name: [(section line, text)]}, and whether the listing is complete."""
    files: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    complete = False
    for i, raw in enumerate(pam.split("\n"), 1):
        if raw.strip() == COMPLETE_MARK:
            complete = True
        elif raw.startswith("==> "):
            current = files.setdefault(raw[4:].strip().rsplit("/", 1)[-1], [])
        elif current is not None:
            current.append((i, raw))
        elif raw.strip():
            files.setdefault(UNNAMED, []).append((i, raw))
    return files, complete


def _args(words: list[str]) -> dict[str, str]:
    out = {}
    for w in words:
        k, eq, v = w.partition("=")
        out[k] = v if eq else ""
    return out


def _module(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".so")


def _joined(text: str) -> str:
    return text.split("#", 1)[0].strip() if not text.lstrip().startswith("#") else ""


def _logical(lines: list[tuple[int, str]]):
    """(first line number, text) of each entry as libpam assembles it (_pam_assemble_line): each line cut at its
    first '#', and a line that then ends with a backslash continued by the next one (pam.conf(5))."""
    start, parts = None, []
    for ln, raw in lines:
        s = _joined(raw)
        start = ln if start is None else start
        if s.endswith("\\"):
            parts.append(s[:-1])
            continue
        yield start, " ".join([*parts, s]).strip()
        start, parts = None, []
    if parts:
        yield start, " ".join(parts).strip()


def _read(files, name: str, ptype: str | None, stack: PamStack, depth: int) -> None:
    """Append the lines of `name` (of one type, or all for @include) to the stack, following its includes."""
    if name not in files:
        if name not in stack.missing:
            stack.missing.append(name)
        return
    if depth >= _MAX_DEPTH:
        return
    for ln, s in _logical(files[name]):
        if not s:
            continue
        if s.startswith("@include"):
            target = s.split(None, 1)[1].strip() if len(s.split()) > 1 else ""
            _read(files, target.rsplit("/", 1)[-1], ptype, stack, depth + 1)
            continue
        m = _LINE.match(s)
        if not m:
            continue
        dash, t, control, rest = m.group(1), m.group(2).lower(), m.group(3), m.group(4).split()
        if ptype is not None and t != ptype:
            continue
        if control in ("include", "substack"):
            if rest:
                _read(files, rest[0].rsplit("/", 1)[-1], t, stack, depth + 1)
            continue
        if rest:
            module, args = _module(rest[0]), _args(rest[1:])
            if module not in _VALUES_READ:     # other modules' values may be secrets (pam_mysql passwd=): flags only
                args = {k: "" for k, v in args.items() if not v}
            stack.entries.append(PamEntry(name, ln, t, control, module, args, bool(dash)))


def resolve(files: dict[str, list[tuple[int, str]]], complete: bool, service: str, family: str) -> PamStack:
    """The stack `service` runs: its file, else `other` (complete listing) or the stock include (older capture)."""
    stack = PamStack(service)
    if service in files:
        _read(files, service, None, stack, 0)
    elif complete:
        _read(files, "other", None, stack, 0)
    elif UNNAMED in files and len(files) == 1:     # a bare block of PAM lines: read as what the service runs
        stack.assumed = UNNAMED
        _read(files, UNNAMED, None, stack, 0)
    else:
        stock = _STOCK.get(family, {}).get(service)
        if stock:
            stack.assumed = stock
            _read(files, stock, None, stack, 0)
        else:
            stack.missing.append(service)
    return stack


# -- module parameters with their meaning ------------------------------------------------------------------------
@dataclass(slots=True)
class PamLockout:
    module: str
    deny: int | None               # 0 or None: never locks
    unlock_s: int | None           # 0: locked until an administrator unlocks
    even_deny_root: bool
    line: tuple[str, int] | None   # where the counting module is
    counts: bool = True            # False: pam_faillock only in preauth mode, so no failure is ever recorded

    @property
    def locks(self) -> bool:
        return bool(self.deny) and self.counts


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def kv_conf(text: str) -> dict[str, str]:
    """pwquality.conf / faillock.conf: `name = value` or a bare flag; `#` starts a comment anywhere on a line (both
    readers cut the line there); later lines win."""
    out: dict[str, str] = {}
    for raw in text.split("\n"):
        s = raw.split("#", 1)[0].strip()
        if s:
            k, eq, v = s.partition("=")
            out[k.strip()] = v.strip() if eq else ""
    return out


def lockout(stack: PamStack, faillock_conf: dict[str, str]) -> PamLockout | None:
    """The failure counter of the auth stack: pam_faillock (defaults deny=3, unlock_time=600, faillock.conf
    under its arguments; only an authfail-mode line counts failures) or pam_tally2 (deny unset = never locks)."""
    faillock = [e for e in stack.of("auth") if e.module == "pam_faillock" and "authsucc" not in e.args]
    counting = [e for e in faillock if "preauth" not in e.args]
    for e in counting[:1] or faillock[:1]:
        merged = {**faillock_conf, **e.args}
        unlock = merged.get("unlock_time", "600")          # faillock.conf(5): "never" is the same as 0
        return PamLockout("pam_faillock", _int(merged.get("deny", "3")), 0 if unlock == "never" else _int(unlock),
                       "even_deny_root" in merged, ("pam", e.line), counts=bool(counting))
    for e in stack.of("auth"):
        if e.module == "pam_tally2":
            return PamLockout("pam_tally2", _int(e.args.get("deny")), _int(e.args.get("unlock_time", "0")),
                           "even_deny_root" in e.args, ("pam", e.line))
    return None


@dataclass(slots=True)
class PamQuality:
    min_len: int
    min_class: int
    enforce_for_root: bool
    line: tuple[str, int]


# a smaller minlen is raised to this (pwquality.conf(5): "Cannot be set lower than 6"; pam_cracklib: 5)
_MINLEN_FLOOR = {"pam_pwquality": 6, "pam_cracklib": 5}


def quality(stack: PamStack, pwquality_conf: dict[str, str]) -> PamQuality | None:
    """pam_pwquality (pwquality.conf under its arguments) or pam_cracklib; minlen 9 when unset, never below the
    module's floor; a negative credit makes its class required, so the classes required are the larger of minclass
    and those credits."""
    for e in stack.of("password"):
        if e.module in ("pam_pwquality", "pam_cracklib"):
            merged = {**pwquality_conf, **e.args} if e.module == "pam_pwquality" else e.args
            credits = sum(1 for c in ("ucredit", "lcredit", "dcredit", "ocredit") if (_int(merged.get(c)) or 0) < 0)
            minlen = _int(merged.get("minlen", "9"))
            minlen = 9 if minlen is None else max(minlen, _MINLEN_FLOOR[e.module])
            return PamQuality(minlen, max(_int(merged.get("minclass")) or 0, credits),
                           "enforce_for_root" in merged, ("pam", e.line))
    return None


OTP_MODULES = ("pam_google_authenticator", "pam_oath", "pam_duo", "pam_radius_auth", "pam_radius", "pam_yubico",
               "pam_u2f", "pam_totp")


def otp_required(stack: PamStack) -> list[PamEntry]:
    """Second-factor modules whose failure fails the login (required/requisite, or [default=die/bad])."""
    return [e for e in stack.of("auth") if e.module in OTP_MODULES
            and (e.control in ("required", "requisite") or re.search(r"default=(die|bad)", e.control))]
