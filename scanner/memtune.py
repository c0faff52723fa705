"""How many malloc arenas a scanning process may have (glibc): hundreds of collecting threads otherwise spread
their allocations over up to 8 arenas per CPU, which costs memory and, measured on the 10 000-device fleet
(bench/fleet.py, 2 cores), about a tenth of the scan's wall time. `MALLOC_ARENA_MAX` in the environment, read by
glibc when the process starts, stays the operator's choice; elsewhere (musl, macOS) nothing changes."""
from __future__ import annotations

import ctypes
import os

ARENAS = 2
M_ARENA_MAX = -8          # glibc <malloc.h>


def limit_malloc_arenas(n: int = ARENAS) -> bool:
    """At most `n` arenas from now on (call it before starting threads); True when the C library took it."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_ARENA_MAX, n) == 1
