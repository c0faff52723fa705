"""Memory of a process tree while it runs, read from /proc (Linux): what the benchmarks print as peak memory.

`os.wait4`'s ru_maxrss is the largest single process of the tree, and a child forked from a large parent reports
the parent's pages it shares as its own. Here a thread polls the tree every `interval` seconds: each process's
own high-water mark (VmHWM) and the tree's total proportional set size (PSS: a page shared by k processes counts
1/k in each), whose largest sum is the memory the tree needed at once.
"""
from __future__ import annotations

import threading
from pathlib import Path


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _kb(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds a process has used so far (/proc/PID/stat), None when it is gone."""
    import os
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class TreeMemory:
    """with TreeMemory(pid) as m: ...  then m.peak_pss_mb (the tree at once), m.largest_mb (one process's
    VmHWM), m.by_pid (pid -> VmHWM MB), m.root_mb (the root process's VmHWM)."""

    def __init__(self, pid: int, interval: float = 1.0):
        self.pid, self.interval = pid, interval
        self.hwm: dict[int, int] = {}
        self.peak_pss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def poll(self) -> None:
        pss = 0
        for p in tree(self.pid):
            h = _kb(f"/proc/{p}/status", "VmHWM:")
            if h:
                self.hwm[p] = max(self.hwm.get(p, 0), h)
            pss += _kb(f"/proc/{p}/smaps_rollup", "Pss:")
        self.peak_pss_kb = max(self.peak_pss_kb, pss)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def start(self) -> TreeMemory:
        self.poll()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> TreeMemory:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def peak_pss_mb(self) -> float:
        return round(self.peak_pss_kb / 1024, 1)

    @property
    def largest_mb(self) -> float:
        return round(max(self.hwm.values(), default=0) / 1024, 1)

    @property
    def root_mb(self) -> float:
        return round(self.hwm.get(self.pid, 0) / 1024, 1)
