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

# Passwords guessing tools try first, vendor factory defaults included (T/ISEAA 001-2020 6.4.1.1 / 6.4.2.1).
COMMON_PASSWORDS = frozenset({
    "admin", "admin123", "admin@123", "administrator", "password", "password1", "passw0rd", "p@ssw0rd", "123456",
    "12345678", "123456789", "1234567890", "111111", "888888", "000000", "abc123", "qwerty", "qwerty123", "cisco",
    "cisco123", "cisco@123", "huawei", "huawei123", "huawei@123", "admin@huawei", "admin@huawei.com", "h3c",
    "h3c@123", "h3capadmin", "root", "root123", "changeme", "changeme_123", "default", "manager", "private",
    "public", "test", "test123", "guest", "letmein", "welcome", "switch", "router", "enable", "secret", "1qaz2wsx",
    "1qaz@wsx", "a123456", "admin888", "community", "snmp", "hp_admin", "netman", "monitor",
})

# '/'-separated: the marker must survive colon-separated formats such as /etc/shadow.
MARKER_RE = re.compile(r"^\{MLPS-REDACTED/L(\d+)/C([01])/N([01])/(\w+)(?:/f([0-9a-f]+))?\}$")
MARKER_PREFIX = "{MLPS-REDACTED"


@dataclass(frozen=True, slots=True)
class PasswordTraits:
    length: int
    common: bool          # on the common/default password list
    equals_name: bool     # same as the account name
    tag: str              # equal passwords on one device share a tag

    def marker(self, fp: str = "") -> str:
        tail = f"/f{fp}" if fp else ""
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
    """A well-known value (default password or SNMP community), also when it stands behind a marker."""
    m = MARKER_RE.match(value)
    return m.group(2) == "1" if m else value.lower() in COMMON_PASSWORDS


def traits_of(value: str, name: str, tags: dict[str, str]) -> PasswordTraits:
    """Traits of a password (or of a redaction marker standing for one); `tags` numbers distinct values."""
    m = MARKER_RE.match(value)
    if m:
        return PasswordTraits(int(m.group(1)), m.group(2) == "1", m.group(3) == "1", m.group(4))
    tag = tags.setdefault(value, f"p{len(tags) + 1}")
    return PasswordTraits(len(value), value.lower() in COMMON_PASSWORDS, built_on_name(value, name), tag)


def built_on_name(password: str, name: str) -> bool:
    """The password is the account name, or is built on it (`ntc123` for `ntc`, `Admin@2024` for `admin`): a
    name of three characters or more inside it, whatever the case."""
    p, n = password.lower(), name.lower()
    return bool(n) and (p == n or (len(n) >= 3 and n in p))


# Words after which a configuration line names the account whose password follows (`username ntc ... password`,
# `local-user admin password ...`, Comware's `local-user admin class manage` block header).
_NAME_KEYWORDS = ("username", "local-user", "user", "manager-user")


def _account_names(words: list[str]) -> list[str]:
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in _NAME_KEYWORDS]


def redact_lines(lines: list[str], replace, decode=lambda line, value: value) -> list[str]:
    """Lines with each secret replaced by a marker carrying its traits (for raw outputs saved to disk).

    `replace(line, fn)` is the platform masker's replace; `decode(line, value)` turns a reversible form (Cisco
    type 7) into the password whose traits count. A password equal to the account name is recognised when the
    name is a word of the same line or of the block header above it (Comware puts `password` under
    `local-user NAME`).
    """
    tags: dict[str, str] = {}
    out: list[str] = []
    header: list[str] = []
    for line in lines:
        top_level = bool(line) and not line[0].isspace()
        if top_level:
            header = line.split()
        words = [w.lower() for w in line.split() + ([] if top_level else header)]

        def mark(value: str, line=line, words=words) -> str:
            plain = decode(line, value)
            t = traits_of(plain, "", tags)
            named = words.count(value.lower()) + (plain.lower() in words and plain != value) > 1 or \
                (plain != value and plain.lower() in words) or \
                any(built_on_name(plain, w) for w in _account_names(words))
            return PasswordTraits(t.length, t.common, named, t.tag).marker(fingerprint(plain))
        out.append(replace(line, mark))
    return out
