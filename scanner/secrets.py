"""What the scanner may know about a password without keeping it: its traits.

Parsers turn every decodable password (plain text, Cisco type 7) into `PasswordTraits` at once; the password
itself never enters the facts. Saved raw outputs replace each secret with a self-describing marker
(`{MLPS-REDACTED/L9/C1/N0/p2}`) that carries the same traits, so a scan of saved outputs reaches exactly the
verdicts of the live scan that saved them.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass

# '/'-separated: the marker must survive colon-separated formats such as /etc/shadow.
# Groups: 1 length, 2 weak/common, 3 built on a name, 4 tag, 5 fingerprint, 6 factory default pair, 7 publication mask
MARKER_RE = re.compile(r"^\{MLPS-REDACTED/L(\d+)/C([01])/N([01])/(\w+)(?:/f([0-9a-f]+))?(?:/D([01]))?(?:/M([01]))?\}$")
MARKER_PREFIX = "{MLPS-REDACTED"


@dataclass(frozen=True, slots=True)
class PasswordTraits:
    length: int
    common: bool          # generally weak: on the weak-password list or a factory default of any vendor
    equals_name: bool     # the account name or the host name, or built on one (case, leetspeak, repeated)
    tag: str              # equal passwords on one device share a tag
    # a vendor's factory (account, password) pair (scanner/platforms/credentials.py); None: a marker saved before
    # markers said so (checks then judge the account by its name and a weak password, as they did then)
    factory_default: bool | None = False
    masked: bool = False  # a placeholder the publisher put where the password was: its value is unknown

    def marker(self, fp: str = "") -> str:
        tail = (f"/f{fp}" if fp else "") + ("" if self.factory_default is None else f"/D{int(self.factory_default)}") \
            + ("/M1" if self.masked else "")
        return f"{{MLPS-REDACTED/L{self.length}/C{int(self.common)}/N{int(self.equals_name)}/{self.tag}{tail}}}"


_RUN_KEY: list[bytes] = []


def use_run_key(key: bytes) -> None:
    """Fix the fingerprint key (only for building reproducible test data such as the demo lab)."""
    _RUN_KEY[:] = [key]


def fingerprint(value: str) -> str:
    """A keyed digest of a secret, equal for equal secrets within one scanner run (the key is random per process
    and never stored), so reuse across devices is visible without keeping the secret. A marker keeps its own."""
    m = MARKER_RE.match(value)
    if m:
        return m.group(5) or ""
    if not _RUN_KEY:
        _RUN_KEY.append(os.urandom(16))
    return hmac.new(_RUN_KEY[0], value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:16]


def is_common(value: str) -> bool:
    """A well-known value (weak or default password, SNMP community), also when it stands behind a marker."""
    from scanner.platforms.credentials import weak_passwords
    m = MARKER_RE.match(value)
    return m.group(2) == "1" if m else value.lower() in weak_passwords()


def traits_of(value: str, name: str, tags: dict[str, str], host: str | None = None) -> PasswordTraits:
    """Traits of a password (or of a redaction marker standing for one) of account `name` on host `host`; `tags`
    numbers distinct values. A publication mask (`PASSWORD`, `<removed>`) has no traits but its being masked."""
    from scanner.platforms.credentials import is_factory_default, is_masked
    m = MARKER_RE.match(value)
    if m:
        return PasswordTraits(int(m.group(1)), m.group(2) == "1", m.group(3) == "1", m.group(4),
                              None if m.group(6) is None else m.group(6) == "1", m.group(7) == "1")
    tag = tags.setdefault(value, f"p{len(tags) + 1}")
    if is_masked(value):
        return PasswordTraits(len(value), False, False, tag, masked=True)
    named = built_on_name(value, name) or (bool(host) and built_on_name(value, host or ""))
    return PasswordTraits(len(value), is_common(value), named, tag, bool(name) and is_factory_default(name, value))


# Digits and signs written for letters (leetspeak): `b0x3N` is `boxen`; 1 stands for i or l.
_LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s", "@": "a"}
_AS_I = str.maketrans({**_LEET, "1": "i"})
_AS_L = str.maketrans({**_LEET, "1": "l"})


def _spellings(text: str) -> set[str]:
    t = text.lower()
    return {t, t.translate(_AS_I), t.translate(_AS_L)}


def built_on_name(password: str, name: str) -> bool:
    """The password is the account (or host) name, or is built on it (`ntc123` for `ntc`, `Admin@2024` for
    `admin`, `b0x3N-b0x3N` for `boxen`): a name of three characters or more inside it, whatever the case and with
    digits and signs read as the letters they stand for."""
    n = name.lower()
    if not n:
        return False
    if password.lower() == n:
        return True
    return len(n) >= 3 and any(nn in p for p in _spellings(password) for nn in _spellings(name))


# Words after which a configuration line names the account whose password follows (`username ntc ... password`,
# `local-user admin password ...`, Comware's `local-user admin class manage` block header).
_NAME_KEYWORDS = ("username", "local-user", "user", "manager-user")


def _account_names(words: list[str]) -> list[str]:
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in _NAME_KEYWORDS]


def redact_lines(lines: list[str], replace, decode=lambda line, value: value, mask=None) -> list[str]:
    """Lines with each secret replaced by a marker carrying its traits (for raw outputs saved to disk).

    `replace(line, fn)` is the platform masker's replace; `decode(line, value)` turns a reversible form (Cisco
    type 7) into the password whose traits count. A password equal to the account name is recognised when the
    name is a word of the same line or of the block header above it (Comware puts `password` under
    `local-user NAME`). `mask`: the platform's Masker whose `replace` this is; given, only the lines its hint
    finds are handed to `replace` (the others hold no secret it could replace), found in one search.
    """
    from scanner.platforms.credentials import is_factory_default
    tags: dict[str, str] = {}
    host = _HostName(lines)
    out = list(lines)                   # most lines hold no secret: only those that may are replaced below
    headers = _headers(lines)
    for i in (mask.candidate_indices(lines) if mask is not None else range(len(lines))):
        line = lines[i]
        top_level, header = headers(i)

        def mark(value: str, line=line, top_level=top_level, header=header) -> str:
            # only for a secret's line
            words = [w.lower() for w in line.split() + ([] if top_level else header.split())]
            plain = decode(line, value)
            t = traits_of(plain, "", tags)
            if t.masked:
                return t.marker(fingerprint(plain))
            named = words.count(value.lower()) + (plain.lower() in words and plain != value) > 1 or \
                (plain != value and plain.lower() in words) or built_on_name(plain, host()) or \
                any(built_on_name(plain, w) for w in _account_names(words))
            factory = any(is_factory_default(w, plain) for w in _account_names(words))
            return PasswordTraits(t.length, t.common, named, t.tag, factory).marker(fingerprint(plain))
        out[i] = replace(line, mark)
    return out


def _headers(lines: list[str]):
    """headers(i) for increasing i: whether line i is a top-level line, and the block header it belongs to (the
    last top-level line at or above it; "" before the first). Each call looks back only to the previous call's
    line, so the lines that hold no secret cost nothing."""
    last, header = -1, ""

    def headers(i: int) -> tuple[bool, str]:
        nonlocal last, header
        for k in range(i, last, -1):
            if lines[k] and not lines[k][0].isspace():
                header = lines[k]
                break
        last = i
        return bool(lines[i]) and not lines[i][0].isspace(), header
    return headers


class _HostName:
    """The device's own name (the first `hostname NAME` or `sysname NAME` line), looked for once a secret needs it:
    most lines name no host, and splitting every line cost more than the rest."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self.name = lines, None

    def __call__(self) -> str:
        if self.name is None:
            self.name = next((ln.split()[1] for ln in self.lines if ("hostname" in ln or "sysname" in ln)
                              and ln.split()[:1] in (["hostname"], ["sysname"]) and len(ln.split()) > 1), "")
        return self.name
