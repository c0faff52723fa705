"""What every platform module provides, and the small shared tools its parsers use.

A platform module exposes a `PLATFORM` object satisfying `Platform`: its asset kind, how it is recognised, what
is collected from it, where its output ends, `parse(documents) -> Parsed` (facts by name, and why the others are
unavailable), and how to find and mask its secrets. Vendor syntax lives only in the platform modules.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from scanner.errors import ReasonCode
from scanner.facts import STANZAS, Interface, NetworkDevice, UnreadLine  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from scanner.checkkit import Facts
    from scanner.model import FleetFacts

MASK = "******"


@dataclass(slots=True)
class Node:
    """One config line and the lines indented beneath it."""
    text: str          # stripped
    line: int          # 1-based
    children: list[Node] = field(default_factory=list)
    _words: list[str] | None = field(default=None, repr=False, compare=False)

    def words(self) -> list[str]:
        """The line's words, split once (parsers ask for them many times; callers never modify the list)."""
        if self._words is None:
            self._words = self.text.split()
        return self._words



def parse_tree(lines: list[str], comment_chars: str = "#!") -> list[Node]:
    """Indentation tree of a Cisco/Huawei/H3C style config; separator and comment lines are skipped."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for i, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped[0] in comment_chars:
            if raw[0] in comment_chars:      # a column-0 separator closes every open block
                stack.clear()
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        node = Node(stripped, i)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(node)
        else:
            roots.append(node)
        stack.append((indent, node))
    return roots



class Masker:
    """Masks secrets in lines by regular expressions whose group 'secret' is replaced."""

    def __init__(self, patterns: Iterable[str], hint: str):
        """`hint`: a cheap regex (literal words) that every line holding a secret matches. Most lines hold none,
        and one search for a few words beats both running every pattern and one alternation of all of them (which
        also cannot be built from every pattern: a `(?i)` inside one is an error on Python 3.11)."""
        self._res = [re.compile(p, re.IGNORECASE) for p in patterns]
        # Python's IGNORECASE search is about ten times slower than a plain one: a hint written in lower case is
        # searched in the lower-cased line instead (same lines found; `\S`-style escapes keep IGNORECASE).
        self._lowered = hint == hint.lower()
        self._any = re.compile(hint, re.MULTILINE if self._lowered else re.IGNORECASE | re.MULTILINE)

    def _hit(self, line: str) -> bool:
        return self._any.search(line.lower() if self._lowered else line) is not None

    def __call__(self, line: str) -> str:
        if not self._hit(line):
            return line
        for rx in self._res:
            line = rx.sub(_mask_group, line)
        return line

    def replace(self, line: str, fn: Callable[[str], str]) -> str:
        """`line` with every secret value replaced by fn(value)."""
        def one(m: re.Match) -> str:
            s = m.group("secret")
            if not s or s == MASK or s.startswith("{MLPS-REDACTED"):
                return m.group(0)
            start, end = m.span("secret")
            off = m.start(0)
            return m.group(0)[: start - off] + fn(s) + m.group(0)[end - off:]
        if not self._hit(line):
            return line
        for rx in self._res:
            line = rx.sub(one, line)
        return line

    def candidate_lines(self, lines: list[str]) -> Iterator[str]:
        """The lines the hint matches (see candidate_indices)."""
        return (lines[i] for i in self.candidate_indices(lines))

    def candidate_indices(self, lines: list[str]) -> Iterator[int]:
        """The indices of the lines the hint matches, found by searching the joined text from line to line (one
        search per candidate instead of one per line: most lines of a configuration hold no secret)."""
        text = "\n".join(lines)
        if self._lowered:
            text = text.lower()          # once for the whole text; the line breaks stay where they were
        pos, i = 0, 0                    # pos: where line i starts in text
        while (m := self._any.search(text, pos)) is not None:
            i += text.count("\n", pos, m.start())
            if self._hit(lines[i]):      # a match that began on this line, as per line
                yield i
            pos = text.find("\n", m.start()) + 1
            if pos == 0:
                return
            i += 1

    def secrets(self, line: str) -> list[str]:
        found: list[str] = []
        if not self._hit(line):
            return found
        for rx in self._res:
            for m in rx.finditer(line):
                s = m.group("secret")
                if s and s != MASK:
                    found.append(s)
        return found


def _mask_group(m: re.Match) -> str:
    start, end = m.span("secret")
    s = m.group(0)
    off = m.start(0)
    return s[: start - off] + MASK + s[end - off:]


# Words that stand where a secret could but are syntax (stored forms, algorithms, key ids, selectors): a secret
# value is never one of them, so a masker that meets one looks further instead of eating the keyword.
SYNTAX_WORDS = (
    "simple", "cipher", "irreversible-cipher", "hash", "plain", "encrypted", "text", "ascii", "hex", "md5", "sha",
    "sha1", "sha256", "sha-256", "hmac-md5", "hmac-sha256", "hmac-sha-256", "hmac-sm3", "key-id", "key-string",
    "key-chain", "keychain", "level", "role", "local", "remote", "address", "hostname", "usual", "nonstandard",
    "rfc2082", "rfc2453", "authentication-mode", "privacy-mode", "version", "vrf", "informs", "traps",
    "complexity-check", "pass-phrase", "raw-key",
)


def value(*also_not: str) -> str:
    """The `secret` group: one word that is not a syntax word (nor `also_not`), not an already masked value,
    not an IPv4 address (a peer), and not a number followed by more words (a key id, or a storage type such as
    Cisco `7`)."""
    # VRP allows "a key with spaces". A bare value stops before a `"` or `",` that ends the line: in the saved
    # SNMP output (JSON, one value a line: `"sysContact": "... simple x",`) they close the string.
    return rf"(?P<secret>{_not_syntax(also_not)}(?:\"[^\"\n]*\"|\S+?(?=\",?\s*$|\s|$)))"


def rest_of_line(*trailing: str) -> str:
    """The `secret` group for a value that may hold spaces and runs to the end of the line (IOS passwords and
    keys), short of `trailing` options that may follow it (`isis password K level-2`)."""
    stop = "|".join(re.escape(t) for t in trailing)
    tail = rf"(?:\s+(?:{stop}))?" if trailing else ""
    return rf"(?P<secret>{_not_syntax(())}\S(?:.*?\S)??)(?={tail}(?:\",?)?\s*$)"


def _not_syntax(also_not: tuple[str, ...]) -> str:
    words = "|".join(re.escape(w) for w in (*SYNTAX_WORDS, *also_not))
    return rf"(?!\*{{6}})(?!(?:{words}|\d+\.\d+\.\d+\.\d+)(?:\s|$))(?!\d+\s+\S)"


FORM = r"(?:(?:simple|cipher|irreversible-cipher|hash|plain|encrypted|[0-9])\s+)"

# Syntaxes that carry a secret on every platform: a safety net under the vendor tables.
GENERIC_SECRET_SYNTAXES = {
    "keyword [form] value": r"\b(?:password|secret|passwd|pre-shared-key|shared-key|authentication-key|key-string)\s+"
    r"(?!(?:policy|expire|history|record|min-length|complexity-check|recovery|control|aging|length|composition|"
    r"change|lifetime|retry|required|prompt|max-fail|encryption|level|role)\b)" + FORM + "?" + value(),
    "user:password@ in a URL": r"\b[a-z][a-z0-9+.-]*://[^\s:/@'\"]+:(?P<secret>[^\s@'\"/]+)@",
}
GENERIC_SECRET_PATTERNS = tuple(GENERIC_SECRET_SYNTAXES.values())
# Literal words of the generic syntaxes, for the maskers' hints.
GENERIC_HINT = "password|secret|passwd|shared-key|authentication-key|key-string|://"
_GENERIC_MASK = Masker(GENERIC_SECRET_PATTERNS, GENERIC_HINT)   # for free text kept in facts (descriptions)


# Outputs the scanner collects itself for a platform that takes them (`Collection.extras`), and the facts each gives.
EXTRA_FACTS: dict[str, tuple[str, ...]] = {
    "ssh_algorithms": ("ssh_algorithms",),                 # the SSH server's algorithm offer, at the handshake
    "snmp": ("snmp_system", "interface_state", "snmp_exposure"),
    "ports": ("open_ports",),                              # the port scan
}


@dataclass(frozen=True, slots=True)
class Detection:
    """How an asset of the platform is recognised."""
    saved_config: bool                   # False: a saved file of it cannot be recognised (detect_score is 0)
    ssh_banners: tuple[str, ...] = ()    # substrings of the SSH server version string


@dataclass(frozen=True, slots=True)
class Collection:
    """What the collector runs on the asset, read-only: the collector picks its transport from `mode`.

    'cli': an interactive session sending `commands` (logical output -> command) after the session profile's
    paging commands; 'script': one exec channel running `script`, whose output `split` cuts into sections
    (`commands` then says which shell command fills each section)."""
    mode: str
    commands: Mapping[str, str]
    allowed: frozenset[str]              # nothing else is ever sent
    script: str | None = None
    split: Callable[[str], dict[str, str]] | None = None
    extras: tuple[str, ...] = ()         # keys of EXTRA_FACTS it takes


@dataclass(frozen=True, slots=True)
class Required:
    """The document without which nothing can be judged, and the asset's error when it is missing."""
    document: str
    code: ReasonCode
    message: str
    blank_is_missing: bool = False


@dataclass(slots=True)
class Identity:
    hostname: str | None = None
    model: str | None = None
    software_version: str | None = None
    os_name: str | None = None


@dataclass(slots=True)
class Parsed:
    """What `Platform.parse` makes of an asset's documents."""
    facts: dict[str, Any]                                 # fact name -> value (see docs/architecture.md)
    unavailable: dict[str, tuple[str, str]]               # fact name -> why the source cannot give it (zh, en)
    documents: dict[str, list[str]]                       # the outputs evidence is quoted from, as lines
    identity: Identity = field(default_factory=Identity)
    complete: bool = True                                 # False: the output ends before `end_marker`
    hostname_is_asset_name: bool = False                  # the source names no host: the asset's name stands
    unrecognized: list[UnreadLine] = field(default_factory=list)  # unread lines in the stanzas checks read


class Platform(Protocol):
    """One kind of asset and how the scanner reads it (like NAPALM's NetworkDriver): engine, collector and
    registry use only this, never a platform's name."""
    name: str
    kind: str                         # asset kind: network_device, server
    title: str
    detection: Detection
    session: SessionProfile           # prompt, paging and rejection markers of its CLI (cli mode)
    collect: Collection
    end_marker: str | None            # the last line of a complete output ('return', 'end'); None: no such line
    required: Required
    facts: frozenset[str]             # every fact name parse() gives or declares unavailable
    mask: Masker
    secrets: Callable[[str], list[str]]

    def detect_score(self, text: str) -> int:
        """How strongly saved `text` looks like this platform's (0 = not at all; always 0 without saved_config)."""

    def parse(self, documents: dict[str, str]) -> Parsed:
        """Every fact the documents give, and for each declared fact they cannot give, why."""

    def secret_values(self, documents: dict[str, list[str]]) -> frozenset[str]:
        """The secret values found in the documents, scrubbed from every report of the asset."""

    def decode_secret(self, line: str, value: str) -> str:
        """The password behind a reversible stored form on `line` (identity where there is none)."""

    def fleet_facts(self, facts: Facts) -> FleetFacts | None:
        """What fleet-wide checks compare across assets (syslog hosts, NTP, management sources...)."""


def secret_values(mask: Masker, lines: Iterable[str]) -> frozenset[str]:
    """The secrets of 4+ characters a masker finds in `lines` (shorter ones are syntax more often than secrets)."""
    found: set[str] = set()
    for ln in mask.candidate_lines(list(lines)):     # the lines the masker's hint points at
        found.update(s for s in mask.secrets(ln) if len(s) >= 4)
    return frozenset(found)


def parse_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def idle_seconds(minutes: str | None, seconds: str | None = "0") -> int | None:
    m, s = parse_int(minutes), parse_int(seconds or "0")
    if m is None or s is None:
        return None
    return m * 60 + s


def blank_delimited_blocks(lines: list[str], start: re.Pattern[str]) -> tuple[list[str], list[int]]:
    """Blank the bodies of banner-like blocks (`banner motd ^C ... ^C`, `header login "..."`).

    Their free text would otherwise be read as config lines. Returns the cleaned lines and the
    1-based numbers of the block's first lines. `start` must capture the delimiter as group 'delim'.
    """
    out = list(lines)
    starts: list[int] = []
    i = 0
    while i < len(out):
        m = start.match(out[i])
        if not m:
            i += 1
            continue
        starts.append(i + 1)
        delim = m.group("delim")
        rest = out[i][m.end():]
        if delim and delim in rest:          # opened and closed on one line
            i += 1
            continue
        j = i + 1
        while j < len(out) and delim not in out[j]:
            out[j] = ""
            j += 1
        if j < len(out):
            out[j] = ""
        i = j + 1
    return out, starts


def parse_interface(dev: NetworkDevice, n: Node, physical: re.Pattern[str], aggregate: re.Pattern[str],
                    redundancy_words: tuple[tuple[str, ...], ...]) -> None:
    """An `interface` block: shutdown state, description, addressing, and redundancy evidence
    (sub-commands starting with one of `redundancy_words`, or an aggregate interface name)."""
    name = n.words()[1]
    itf = Interface(name=name, line=n.line, physical=bool(physical.match(name)), shutdown=False)
    first = {r[0] for r in redundancy_words}
    for c in n.children:
        cw = c.words()
        head = cw[0]
        if head == "shutdown" and len(cw) == 1:
            itf.shutdown = True
        elif head == "description":
            itf.description = _GENERIC_MASK(c.text[len("description"):].strip())
        elif head == "ip" and cw[1:2] == ["address"]:
            itf.has_address = True
            if len(cw) > 2:
                itf.addresses.append(cw[2].split("/")[0])
        elif head == "ipv6" and cw[1:2] == ["address"] and len(cw) > 2 and ":" in cw[2]:
            itf.addresses.append(cw[2].split("/")[0].lower())
        elif head in first and any(tuple(cw[:len(r)]) == r for r in redundancy_words):
            dev.redundancy_lines.append(c.line)
    if aggregate.match(name):
        dev.redundancy_lines.append(n.line)
    dev.interfaces.append(itf)


@dataclass(frozen=True, slots=True)
class SessionProfile:
    """How to talk to the platform's CLI: data, not code, so the collector and the simulator share it."""
    paging: tuple[str, ...]              # commands that turn paging off (sent first, read like any command)
    quit: str
    prompt_style: str                    # 'vrp' (<host> / [host]) or 'ios' (host# / host>)
    commands: dict[str, str]             # logical output name -> read-only command
    unrecognized: tuple[str, ...]        # markers of a rejected command
    ssh_banners: tuple[str, ...]         # substrings of the SSH server version string
    # Yes/no questions a device may ask before its first prompt (VRP: "The password needs to be changed. Change
    # now? [Y/N]:", "security risks in the configuration file ... save ... [Y/N]"): whole-line regexes, matched
    # case-insensitively. The collector answers each with "N", never "Y": a scan changes nothing on the device.
    login_questions: tuple[str, ...] = ()

    def prompt_re(self, base: str) -> str:
        """The prompt, matched against a whole line (the collector uses fullmatch on the last line): built from
        the base prompt so `sysname X` / `hostname X` or `uplink to X#2` inside config output never matches."""
        if self.prompt_style == "vrp":
            return rf"[<\[]~?{re.escape(base)}(?:-[^\]>\s]*)?[>\]]"
        return rf"{re.escape(base)}(?:\([\w.-]+\))?[#>]"

    @property
    def prompt_shape(self) -> str:
        """Any prompt of this style, as a whole line; group 1 is the base (host) name."""
        if self.prompt_style == "vrp":
            return r"[<\[]~?([^\s<>\[\]~][^\s<>\[\]]*?)[>\]]"
        return r"([A-Za-z0-9][\w.\-/:]*)(?:\([\w.-]+\))?[#>]"

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.commands.values()) | frozenset(self.paging)

    def rejected(self, output: str) -> bool:
        head = output.lstrip()[:400]
        return any(m in head for m in self.unrecognized)
