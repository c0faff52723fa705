"""Lines a parser did not read inside the stanzas checks read (issue 9: no line left unread where it matters).

A parser marks each line it turns into a fact (`NetworkDevice.read_lines`); every other line inside a stanza the
checks read is reported as an `UnreadLine`, unless the platform's list of irrelevant lines names it
(`scanner/platforms/data/<platform>.yaml`: data, each entry with why no check needs it). The engine keeps a check
that reads a fact fed by such a stanza from passing (see `STANZA_FACTS` in scanner/platforms/network.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from scanner.datafiles import DataFileError, package_dir, read_data_yaml
from scanner.facts import STANZAS, UnreadLine
from scanner.platforms.base import Node

# stanza of a node, given its parent's stanza (None for a top-level line); None: not a stanza checks read
StanzaOf = Callable[[Node, "str | None"], "str | None"]


@dataclass(frozen=True, slots=True)
class Irrelevant:
    """Lines known to be irrelevant to every check: `pattern` matches the line's start (keywords compared
    case-insensitively, as the vendors' CLIs do); `block`: the lines beneath it are irrelevant too."""
    stanzas: frozenset[str]
    pattern: re.Pattern[str]
    why: str
    block: bool = False

    def covers(self, stanza: str, text: str) -> bool:
        return stanza in self.stanzas and self.pattern.match(text) is not None


def data_file(platform: str):
    return package_dir("scanner.platforms", "data") / f"{platform}.yaml"


@cache
def irrelevant_lines(platform: str) -> tuple[Irrelevant, ...]:
    """The platform's list of irrelevant lines; raises DataFileError naming the file and entry when it is broken."""
    path = data_file(platform)
    data = read_data_yaml(path, "the platform's list of irrelevant configuration lines")
    entries = data.get("irrelevant") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DataFileError(f"{path}: needs a list 'irrelevant'")
    return tuple(_entry(path, i, e) for i, e in enumerate(entries, 1))


def _entry(path, i: int, e: object) -> Irrelevant:
    where = f"{path}: irrelevant entry {i}"
    if not isinstance(e, dict) or set(e) - {"stanza", "match", "why", "block"}:
        raise DataFileError(f"{where}: fields are stanza, match, why and block")
    stanzas = e.get("stanza")
    stanzas = [stanzas] if isinstance(stanzas, str) else stanzas
    if not stanzas or not isinstance(stanzas, list) or any(s not in STANZAS for s in stanzas):
        raise DataFileError(f"{where}: stanza must be one or more of {', '.join(STANZAS)}")
    why = e.get("why")
    if not isinstance(why, str) or not why.strip():
        raise DataFileError(f"{where}: 'why' must say why no check needs the line")
    try:
        pattern = re.compile(str(e.get("match") or ""), re.IGNORECASE)
    except re.error as err:
        raise DataFileError(f"{where}: match is not a valid regular expression: {err}") from err
    if not pattern.pattern:
        raise DataFileError(f"{where}: 'match' is empty")
    return Irrelevant(frozenset(stanzas), pattern, why.strip(), bool(e.get("block", False)))


def unread_lines(roots: Iterable[Node], stanza_of: StanzaOf, read: set[int], irrelevant: Iterable[Irrelevant],
                 mask: Callable[[str], str], lines: list[str] | None = None) -> list[UnreadLine]:
    """Every line inside a stanza checks read that is neither in `read` nor irrelevant, its text masked: as
    written in `lines` (the parser may have normalised the nodes' text), else the node's."""
    out: list[UnreadLine] = []
    table = tuple(irrelevant)

    def walk(n: Node, parent: str | None) -> None:
        stanza = stanza_of(n, parent)
        if stanza is None:
            return
        rule = next((r for r in table if r.covers(stanza, n.text)), None)
        if rule is not None and rule.block:
            return
        if rule is None and n.line not in read:
            text = lines[n.line - 1].strip() if lines and 0 < n.line <= len(lines) else n.text
            out.append(UnreadLine(stanza, n.line, mask(text)))
        for c in n.children:
            walk(c, stanza)

    for root in roots:
        walk(root, None)
    return out
