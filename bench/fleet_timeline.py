"""Where a fleet scan's time goes: the CPU each of its processes and the simulator use, second by second.

    .venv/bin/python bench/fleet_timeline.py [--devices 1000 --latency 2 --workers 1000 --step 1] [--json FILE]

The fleet of bench/fleet.py (configurations of 80-150 KB, every command answered after --latency s) is started,
`mlps scan` runs on it in-process, and /proc is read every 0.25 s. Each row is one --step of wall time: the CPU
seconds spent in it by the scan's main process, its collecting processes (many threads), its assessment processes
(few threads) and the simulator, and how much of the 2 cores that is. A row whose total is near the machine's
cores is a phase bound by the CPU; one far below it waits on the devices. Below 100 devices the scan collects in
its main process (no collecting processes). Linux only (/proc).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live import build_fleet  # noqa: E402
from rss import cpu_seconds, tree  # noqa: E402
from scanner import lab  # noqa: E402
from scanner.lab.simulator import DEFAULT_PASSWORD  # noqa: E402

ROLES = ("main", "collecting", "assessing", "simulator")


def _threads(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def sample(root: int, sim: int, roles: dict[int, str], last: dict[int, float]) -> None:
    """Each process's CPU so far (kept after it ends) and its role: a child with more than 8 threads collects."""
    sims = tree(sim)
    for pid in [*tree(root), *sims]:
        if pid not in roles:
            roles[pid] = "simulator" if pid in sims else "main" if pid == root else \
                "collecting" if _threads(pid) > 8 else "assessing"
        elif roles[pid] == "assessing" and _threads(pid) > 8:
            roles[pid] = "collecting"          # seen before its threads started
        if (c := cpu_seconds(pid)) is not None:
            last[pid] = c


def run(args, work: Path) -> dict:
    build_fleet(args.devices, work, args.base_port, args.base_port - 1, size=(80_000, 150_000),
                faults={"delay_s": args.latency}, snmp=False)
    state = work / "state"
    lab.up(work / "lab.yaml", state, timeout=600, processes=args.sim_processes)
    try:
        sim = int((state / "simulator.pid").read_text())
        cmd = [str(Path(sys.executable).parent / "mlps"), "scan", str(work / "inv.yaml"), "--out", str(work / "out"),
               "--format", "json", "--known-hosts", str(work / "kh"), "--trust-new-hosts",
               "--workers", str(args.workers)]
        roles: dict[int, str] = {}
        last: dict[int, float] = {}
        sample(sim, sim, roles, last)       # the simulator's processes and the CPU they used before the scan
        start = dict(last)
        rows: list[tuple[float, dict[str, float]]] = []
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=(work / "scan.log").open("w"), stderr=subprocess.STDOUT)
        while proc.poll() is None:
            time.sleep(0.25)
            sample(proc.pid, sim, roles, last)
            by = dict.fromkeys(ROLES, 0.0)
            for pid, c in last.items():
                by[roles[pid]] += c - start.get(pid, 0.0)
            rows.append((time.perf_counter() - t0, by))
        wall = time.perf_counter() - t0
    finally:
        lab.down(state)
    data = json.loads((work / "out" / "scan.json").read_text())
    return {"devices": args.devices, "latency_s": args.latency, "workers": args.workers, "wall_s": round(wall, 1),
            "assessed": sum(a["status"] == "assessed" for a in data["assets"]),
            "cpu_s": {r: round(rows[-1][1][r], 1) for r in ROLES} if rows else {},
            "steps": _steps(rows, args.step)}


def _steps(rows, step: float) -> list[dict]:
    """Rows of about `step` s: their end, length and each role's CPU seconds in them."""
    out, prev, edge, t0 = [], dict.fromkeys(ROLES, 0.0), step, 0.0
    for i, (t, by) in enumerate(rows):
        if t >= edge or i == len(rows) - 1:
            out.append({"t": round(t, 2), "dt": round(t - t0, 2), **{r: round(by[r] - prev[r], 2) for r in ROLES}})
            prev, edge, t0 = by, edge + step, t
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=2.0)
    ap.add_argument("--workers", type=int, default=1000, help="the scan's SSH sessions in flight")
    ap.add_argument("--step", type=float, default=1.0, help="seconds of wall time per printed row")
    ap.add_argument("--base-port", type=int, default=21001)
    ap.add_argument("--sim-processes", type=int, default=os.cpu_count() or 1, help="processes serving the devices")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    os.environ.setdefault("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-timeline-"))
    try:
        fig = run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cores = os.cpu_count() or 1
    print(f"{fig['devices']} devices, {fig['latency_s']} s per command, {fig['workers']} sessions: "
          f"{fig['wall_s']} s, {fig['assessed']} assessed; CPU-s {fig['cpu_s']}")
    print(f"{'t (s)':>6} " + " ".join(f"{r:>10}" for r in ROLES) + "   of the cores")
    for s in fig["steps"]:
        busy = sum(s[r] for r in ROLES)
        print(f"{s['t']:6.1f} " + " ".join(f"{s[r]:10.2f}" for r in ROLES) + f"   {busy / (s['dt'] * cores):5.0%}")
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2))
    return 0 if fig["assessed"] == fig["devices"] else 1


if __name__ == "__main__":
    sys.exit(main())
