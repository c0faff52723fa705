"""CPU per device, the cost that bounds the 10 000-device fleet on 2 cores (issue 13): prints milliseconds of CPU.

    .venv/bin/python bench/cpu_device.py [--configs 6 --repeat 5] [--ssh 50 --base-port 21001] [--profile parse|ssh]

- parse: each fleet configuration (bench/fleet.py's generator: lab captures padded with access ports to 80-150 KB,
  ~4 600 lines) assessed as a live scan's assessment processes assess it (`assess_capture`: parse, facts, checks, roll-up, masking), then
  the pickling of the capture and of the result (the in-process scan moves both between processes);
- wire: what a zone collector adds per device before its capture leaves the zone (redaction, the capture's files and
  manifest, packing, the JSON of the task's result) and what the centre adds before assessing it (JSON, unpacking,
  verifying against the manifest): the distributed scan's cost over the in-process one;
- ssh: --ssh N devices of the simulator (each command answered after --latency s, default 0) collected in this process by `--workers` threads
  (`collect_asset`, what a collecting process runs per device): process CPU per device, and the simulator's.

`--profile parse`, `--profile wire` or `--profile ssh` prints the cProfile top functions (ssh: collected one by one, in this thread).
Process CPU time, not wall time: other work on the machine does not change it much.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pickle
import pstats
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live import LabCpu, build_fleet  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _top(prof: cProfile.Profile, n: int = 30) -> None:
    out = io.StringIO()
    st = pstats.Stats(prof, stream=out)
    st.sort_stats(os.environ.get("SORT", "tottime")).print_stats(n)
    print(out.getvalue())


def _fleet_captures(configs: int) -> list:
    """`configs` fleet configurations (bench/fleet.py's generator), read back as saved captures."""
    from scanner.transport.replay import read_capture
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-cpu-"))
    try:
        build_fleet(configs, work, 21001, 21000, size=(80_000, 150_000), snmp=False)
        return [read_capture(d) for d in sorted((work / "raw").iterdir())]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parse_cpu(configs: int, repeat: int, profile: bool, default_gc: bool = False) -> dict:
    from scanner.collectors import forked_gc
    from scanner.engine import ScanContext
    from scanner.live import assess_capture
    caps = _fleet_captures(configs)
    ctx = ScanContext.default()
    if not default_gc:
        forked_gc()                        # as in the scan's assessment processes
    for cap in caps:                       # warm: imports, compiled regexes, check registry
        assess_capture(cap, ctx, "bench")
    prof = cProfile.Profile() if profile else None
    per: dict[str, list[float]] = {}
    pick = []
    for _ in range(repeat):
        for cap in caps:
            t = time.process_time()
            if prof:
                prof.enable()
            asset = assess_capture(cap, ctx, "bench")
            if prof:
                prof.disable()
            per.setdefault(cap.platform, []).append(time.process_time() - t)
            t = time.process_time()
            pickle.loads(pickle.dumps(cap))
            pickle.loads(pickle.dumps(asset))
            pick.append(time.process_time() - t)
    lines = sum(c.outputs["config"].count("\n") for c in caps) / len(caps)
    print(f"parse+facts+checks ({len(caps)} fleet configs, ~{lines:.0f} lines, x{repeat}, "
          f"garbage collector: {'default' if default_gc else 'as in the assessment processes'}):")
    allv = [v for vs in per.values() for v in vs]
    for plat, vs in sorted(per.items()):
        print(f"  {plat:12s} {1000 * sum(vs) / len(vs):6.1f} ms CPU")
    mean = 1000 * sum(allv) / len(allv)
    pk = 1000 * sum(pick) / len(pick)
    print(f"  mean         {mean:6.1f} ms CPU; pickling capture + result (both ways) {pk:.1f} ms")
    if prof:
        _top(prof)
    return {"parse_ms": round(mean, 1), "pickle_ms": round(pk, 1)}


def wire_cpu(configs: int, repeat: int, profile: bool) -> dict:
    import json

    from scanner.distributed import pack_files, unpack_files
    from scanner.live import redacted
    from scanner.transport.replay import Collector, capture_files, capture_from_files
    caps = _fleet_captures(configs)
    who = Collector("z0/bench@host", "host", "bench")
    steps = {"redact": lambda c: redacted(c), "files": lambda c: capture_files(c, who), "pack": pack_files,
             "json out": lambda f: json.dumps({"files": f}), "json in": lambda t: json.loads(t)["files"],
             "unpack": unpack_files, "verify": lambda f: capture_from_files(f, "bench")}
    spent = dict.fromkeys(steps, 0.0)
    prof = cProfile.Profile() if profile else None
    for _ in range(repeat + 1):           # the first round warms up (imports, compiled patterns) and is not counted
        for cap in caps:
            x = cap
            for name, step in steps.items():
                t = time.process_time()
                if prof and _:
                    prof.enable()
                x = step(x)
                if prof and _:
                    prof.disable()
                if _:
                    spent[name] += time.process_time() - t
    n = len(caps) * repeat
    print(f"zone collector and centre, per device ({len(caps)} fleet configs x{repeat}):")
    for name, v in spent.items():
        print(f"  {name:9s} {1000 * v / n:6.2f} ms CPU")
    print(f"  collector {1000 * sum(spent[k] for k in ('redact', 'files', 'pack', 'json out')) / n:6.2f} ms, "
          f"centre {1000 * sum(spent[k] for k in ('json in', 'unpack', 'verify')) / n:6.2f} ms")
    if prof:
        _top(prof)
    return {k: round(1000 * v / n, 2) for k, v in spent.items()}


def ssh_cpu(n: int, workers: int, base_port: int, profile: bool, latency: float = 0.0,
            default_gc: bool = False) -> dict:
    from scanner import lab
    from scanner.collectors import forked_gc
    from scanner.inventory import load_inventory
    from scanner.lab.simulator import DEFAULT_PASSWORD
    from scanner.live import LiveOptions, collect_asset
    from scanner.transport.ssh import KnownHosts
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    os.environ.setdefault("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-cpu-"))
    state = work / "state"
    try:
        build_fleet(n, work, base_port, base_port - 1, size=(80_000, 150_000), snmp=False,
                    faults={"delay_s": latency} if latency else None)
        lab.up(work / "lab.yaml", state, timeout=120)
        inv = load_inventory(work / "inv.yaml")
        opts = LiveOptions(known_hosts=work / "kh", trust_new_hosts=True)
        known = KnownHosts(opts.known_hosts, True)
        if not default_gc:
            forked_gc()                    # as in the scan's collecting processes
        for a in inv.assets[:1]:          # warm: imports
            collect_asset(a, inv, opts, known)
        assets = inv.assets
        with LabCpu(state) as lc:
            c0, t0 = _cpu(), time.perf_counter()
            if profile:
                prof = cProfile.Profile()
                prof.enable()
                got = [collect_asset(a, inv, opts, known) for a in assets]
                prof.disable()
            else:
                with ThreadPoolExecutor(workers) as pool:
                    got = list(pool.map(lambda a: collect_asset(a, inv, opts, known), assets))
            cpu, wall = _cpu() - c0, time.perf_counter() - t0
        nbytes = sum(len(o) for c in got for o in c.outputs.values()) / len(got)
    finally:
        lab.down(state)
        shutil.rmtree(work, ignore_errors=True)
    print(f"SSH collection ({n} devices, {'1 thread, profiled' if profile else f'{workers} threads'}, "
          f"latency {latency:g} s, {nbytes / 1000:.0f} KB each): scanner {1000 * cpu / n:.1f} ms CPU per device, "
          f"simulator {1000 * lc.lab_s / n:.1f} ms; wall {wall:.1f} s")
    if profile:
        _top(prof)
    return {"ssh_ms": round(1000 * cpu / n, 1), "simulator_ms": round(1000 * lc.lab_s / n, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--configs", type=int, default=6, help="fleet configurations to assess (vendors in turn)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ssh", type=int, default=50, help="devices collected over SSH (0: skip)")
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--latency", type=float, default=0.0, help="seconds before each command's answer (ssh)")
    ap.add_argument("--base-port", type=int, default=21001, help="first simulator port (keep below 32768)")
    ap.add_argument("--profile", choices=("parse", "wire", "ssh"))
    ap.add_argument("--wire", action="store_true", help="also the zone collector's and the centre's extra work")
    ap.add_argument("--skip-parse", action="store_true")
    ap.add_argument("--default-gc", action="store_true", help="Python's default garbage collector thresholds")
    args = ap.parse_args()
    if args.wire or args.profile == "wire":
        wire_cpu(args.configs, args.repeat, args.profile == "wire")
    if not args.skip_parse and args.profile not in ("ssh", "wire"):
        parse_cpu(args.configs, args.repeat, args.profile == "parse", args.default_gc)
    if args.ssh and args.profile not in ("parse", "wire"):
        ssh_cpu(args.ssh, args.workers, args.base_port, args.profile == "ssh", args.latency, args.default_gc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
