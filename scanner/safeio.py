"""Files the scanner writes are private to the user running it, whatever the umask: reports, scan.json, captures
and known_hosts map a network's weaknesses. Files are created 0600 and folders 0700 from the start (no window in
which another user can open them); a file that already existed is replaced, never written through.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

FILE_MODE, DIR_MODE = 0o600, 0o700


def private_dir(path: Path | str) -> Path:
    """Create `path` and its missing parents 0700. A folder that already exists is the operator's: left as is."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:        # created meanwhile by someone else: not ours to change
            continue
        os.chmod(d, DIR_MODE)          # mkdir's mode went through the umask
    return path


@contextmanager
def open_private(path: Path | str) -> Iterator[BinaryIO]:
    """A binary file opened for writing, created 0600. Whatever stood at `path` (an older file, a planted symlink
    or FIFO) is unlinked first and never written through."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:     # a umask that took bits away
            os.fchmod(fd, FILE_MODE)
        f = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise
    with f:
        yield f


def write_private(path: Path | str, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8) to a 0600 file; returns the path."""
    with open_private(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
