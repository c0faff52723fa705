"""TMOUT, the shell's idle logout, as a login shell on a Linux host ends up with it (bash(1)): which files a login
shell reads, and what their assignments leave. Part of the Linux parser (scanner/platforms/linux_host.py)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.platforms.linux_host import LinuxHost

_TMOUT = re.compile(r"^(?:(export|readonly|declare\s+-[a-z]*|typeset\s+-[a-z]*)\s+)*TMOUT=['\"]?(\d+)")


def _sourced(path: str, profile_text: str | None, family: str) -> bool:
    """Whether a login shell reads `path`: /etc/profile always; /etc/profile.d/*.sh when /etc/profile loops over
    it (an older capture, without the `#all /etc/profile.d` line, held only *.sh files and an /etc/profile that
    may be cut short: the stock loop is assumed); the system bashrc of the family (Debian /etc/bash.bashrc, RHEL
    /etc/bashrc via ~/.bashrc)."""
    if path == "/etc/profile":
        return True
    if path.startswith("/etc/profile.d/"):
        return path.endswith(".sh") and (profile_text is None or "/etc/profile.d" in profile_text)
    return path == ("/etc/bash.bashrc" if family == "debian" else "/etc/bashrc")


def read_tmout(h: LinuxHost, files: list[tuple[str, list[tuple[int, str]]]], profile: str) -> None:
    """TMOUT as bash(1) leaves it: the last value assigned, unless the variable was made readonly first (a later
    assignment then fails). The files are read in an order the capture cannot always tell, so with no readonly the
    least strict value of the files counts (0: no timeout). `files`: the profile section's `==> path` blocks."""
    profile_text = next(("\n".join(t for _, t in lines) for p, lines in files if p == "/etc/profile"), None)
    if not profile.startswith("#all /etc/profile.d"):
        profile_text = None
    for path, lines in files:
        if not _sourced(path, profile_text, h.family):
            h.tmout_ignored += [("profile", i) for i, raw in lines if _TMOUT.match(raw.strip())]
        elif not h.tmout_readonly:
            _tmout_file(h, lines)


_TMOUT_RO = re.compile(r"^(?:readonly|(?:declare|typeset)\s+-[a-z]*r[a-z]*)\s+TMOUT\s*(?:[;#]|$)")


def _tmout_file(h: LinuxHost, lines: list[tuple[int, str]]) -> None:
    """One file a login shell reads, line by line as bash runs it."""
    value: tuple[int, tuple[str, int]] | None = None        # this file's last assignment
    readonly = False
    for i, raw in lines:
        line = raw.strip()
        if _TMOUT_RO.match(line):
            readonly = True
        elif (m := _TMOUT.match(line)) and not readonly:
            value = (int(m.group(2)), ("profile", i))
            readonly = bool(re.search(r"readonly|-[a-z]*r", line[:m.start(2)]))
    if readonly:                 # it holds against every file read later; an unset readonly TMOUT stays unset
        if value is not None or h.tmout_s is None:
            h.tmout_s, h.tmout_line = value if value is not None else (None, None)
        h.tmout_readonly = True
    elif value is not None and (h.tmout_s is None or _looser(value[0], h.tmout_s)):
        h.tmout_s, h.tmout_line = value


def _looser(a: int, b: int) -> bool:
    """a is a less strict idle timeout than b (0 is none at all)."""
    return b != 0 and (a == 0 or a > b)
