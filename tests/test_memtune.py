"""The scanner limits glibc's malloc arenas before its collecting threads start (scanner/memtune.py, issue 13):
counted by glibc itself (malloc_info lists one <heap> per arena) after eight threads allocate at once."""
from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = r"""
import ctypes, os, re, sys, tempfile, threading
if sys.argv[1] == "limit":
    from scanner.memtune import limit_malloc_arenas
    print("taken", limit_malloc_arenas())
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
gate, kept = threading.Barrier(8), []
def work():
    gate.wait()
    kept.extend(libc.malloc(4096) for _ in range(200))
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes, libc.malloc_info.argtypes = [ctypes.c_void_p], [ctypes.c_int, ctypes.c_void_p]
fd, path = tempfile.mkstemp(); os.close(fd)
f = libc.fopen(path.encode(), b"w"); libc.malloc_info(0, f); libc.fclose(f)
print("heaps", len(re.findall(r"<heap nr=", open(path).read()))); os.unlink(path)
"""

glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or "libc.so.6" not in str(ctypes.util.find_library("c")),
                           reason="malloc arenas are glibc's")


def _probe(mode: str, **env: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | {"PYTHONPATH": str(ROOT)} | env
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, env=e, timeout=60,
                         check=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())


@glibc
def test_eight_threads_share_two_arenas_once_limited():
    assert _probe("free")["heaps"] != "2"             # glibc's own default: an arena per thread up to 8 per CPU
    got = _probe("limit")
    assert got == {"taken": "True", "heaps": "2"}


@glibc
def test_the_operators_malloc_arena_max_stands():
    got = _probe("limit", MALLOC_ARENA_MAX="4")
    assert got == {"taken": "False", "heaps": "4"}

