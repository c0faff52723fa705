"""Fleet benchmark with real latencies: N simulated devices whose every command takes S seconds, as a busy switch
answers, each sending a configuration of several thousand lines.

    .venv/bin/python bench/fleet.py --devices 10000 --latency 2 [--zones 2] [--peer-devices 1000] --json out.json

Measured on the same devices (the simulator, scanner/lab, on 127.0.0.1; ports from --base-port, below 32768):

- `inprocess_s`: `mlps scan` in one process (threads; --scanner-workers sessions in flight), SSH only, the checks
  and scan.json; `assessed` and `lost` (devices that did not come back assessed), `peak_rss_mb` (the memory the
  scanner's processes held at once: their PSS summed, bench/rss.py; `main_peak_rss_mb`: its main process alone);
- `distributed_s`: the same scan through zone collectors (`mlps scan --broker`; bench/fleet_zones.py): a RabbitMQ
  of its own, the devices dealt round-robin to `--zones` zones, one `mlps worker` per zone with
  `--collector-threads` sessions in flight; `distributed_assessed`, `distributed_lost`, the centre's and the
  collectors' RSS and CPU (`--skip-distributed` leaves it out);
- `nornir_best_s`: Nornir + nornir_netmiko sending the same commands at its best tuning and worker count;
- `floor_s`: the floor for the same work: raw paramiko sessions at their best concurrency that connect,
  authenticate, send the same commands (paging off first, as the scanner does) and read the same bytes up to the
  prompt, nothing else.

The peers run on the first --peer-devices devices (default min(N, 1000)) and are compared in devices per second
(`*_dps` keys). Goals (issue 13): 10 000 devices, 2 s per command, <= 5 min in-process and distributed; nothing
lost; >= 3x tuned Nornir; within 1.5x of the floor. The simulator runs on the same 2 cores as the clients: every
figure includes its CPU.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import shutil
import socket
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live import NORNIR_PLATFORM, PROMPT_RE, QUIT, USER, LabCpu, build_fleet, nornir_run, scanner_run  # noqa: E402
from scanner import lab, platforms  # noqa: E402
from scanner.lab.simulator import DEFAULT_PASSWORD  # noqa: E402


def _session(d: dict, password: str, latency: float) -> int:
    """One device the way the floor does it: connect, authenticate, shell, paging off, every command read up to the
    prompt, quit. Returns the bytes read (0 on failure)."""
    import paramiko
    prompt = re.compile(PROMPT_RE[NORNIR_PLATFORM[d["platform"]]](d["hostname"]).encode())
    wait = 30 + 4 * latency
    sock = socket.create_connection(("127.0.0.1", d["port"]), timeout=wait)
    t = paramiko.Transport(sock)
    try:
        t.start_client(timeout=wait)
        t.auth_password(USER, password)
        ch = t.open_session()
        ch.get_pty(width=511)
        ch.invoke_shell()
        ch.settimeout(wait)
        total = _read_prompt(ch, prompt)
        for cmd in (*platforms.get(d["platform"]).session.paging, *d["commands"]):
            ch.sendall((cmd + "\n").encode())
            total += _read_prompt(ch, prompt)
        ch.sendall((QUIT[NORNIR_PLATFORM[d["platform"]]] + "\n").encode())
        return total
    finally:
        t.close()


def _read_prompt(ch, prompt: re.Pattern) -> int:
    buf = b""
    while True:
        chunk = ch.recv(65536)
        if not chunk:
            raise EOFError("closed before the prompt")
        buf += chunk
        if prompt.search(buf[-512:]):
            return len(buf)


def floor(devices: list[dict], workers: int, password: str, latency: float) -> tuple[float, int]:
    def one(d: dict) -> bool:
        try:
            return _session(d, password, latency) > 1000
        except Exception:
            return False
    t = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        ok = sum(pool.map(one, devices))
    return time.perf_counter() - t, ok


def inprocess_run(work: Path, n: int, args, state: Path) -> dict:
    """The scan in one `mlps scan` (its own collecting and assessing processes), timed, with the simulator's CPU."""
    with LabCpu(state) as c:
        s, rss, ok, extra = scanner_run(work, args.scanner_workers)
    print(f"  scanner in-process: {s:.1f} s, {ok}/{n} assessed {extra['not_assessed'] or ''}; "
          f"CPU: scanner {extra['cpu_s']:.1f} s, simulator {c.lab_s:.1f} s; memory: {rss:.0f} MB at once "
          f"(PSS of its processes), main process peak {extra['main_mb']:.0f} MB", flush=True)
    return dict(inprocess_s=round(s, 2), assessed=ok, lost=n - ok, peak_rss_mb=round(rss, 1),
                main_peak_rss_mb=extra["main_mb"], largest_process_mb=extra["largest_process_mb"],
                inprocess_dps=round(n / s, 1), scanner_cpu_s=round(extra["cpu_s"], 1))


def distributed_run(work: Path, n: int, args) -> dict:
    """The scan through zone collectors (bench/fleet_zones.py): a broker of its own, one `mlps worker` per zone."""
    from fleet_zones import distributed_run as run
    fig = run(work, n, args.zones, args.collector_threads, args.broker_port or args.base_port - 6)
    print(f"  scanner distributed ({args.zones} collectors x {args.collector_threads} threads): "
          f"{fig.get('distributed_s')} s, {fig.get('distributed_assessed')}/{n} assessed "
          f"{fig.get('distributed_not_assessed') or ''}; centre {fig.get('centre_peak_rss_mb')} MB, "
          f"{fig.get('centre_cpu_s')} s CPU ({fig.get('centre_sys_s')} kernel); collectors "
          f"{fig.get('collector_peak_rss_mb')} MB, {fig.get('collector_cpu_s')} s CPU ({fig.get('collector_sys_s')} kernel)", flush=True)
    return fig


def _best(label: str, tries: list[int], run, n: int) -> tuple[float | None, int | None]:
    best = None
    for w in tries:
        s, ok = run(w)
        print(f"  {label}, {w} workers: {s:.1f} s ({ok}/{n} ok)", flush=True)
        if ok == n and (best is None or s < best[0]):
            best = (s, w)
    return (round(best[0], 2), best[1]) if best else (None, None)


def _warn_autogroup() -> None:
    """With the kernel's autogroup scheduling on, each session (a shell, a terminal, a CI job) gets an equal share
    of the CPU whatever its nice value: a benchmark sharing the machine with other work is slowed by it even at
    `nice -5` (seen 2026-11-28: 414 s for a run that took 330 s once autogroup was off)."""
    try:
        on = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return
    if on:
        print("note: kernel.sched_autogroup_enabled=1: other sessions' work takes its share of the CPU whatever "
              "this run's nice value; for figures on a shared machine: sysctl kernel.sched_autogroup_enabled=0",
              flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--zones", type=int, default=2)
    ap.add_argument("--latency", type=float, default=2.0, help="seconds before each command's answer")
    ap.add_argument("--config-kb", default="80,150", help="configuration size range, KB (several thousand lines)")
    ap.add_argument("--base-port", type=int, default=21001, help="first device port (keep below 32768)")
    ap.add_argument("--scanner-workers", type=int, default=512, help="SSH sessions the scanner keeps in flight")
    ap.add_argument("--peer-devices", type=int, default=None, help="devices the peers run on (default min(N, 1000))")
    ap.add_argument("--nornir-workers", default="300,400,500,600")
    ap.add_argument("--floor-workers", default="256,512,1000")
    ap.add_argument("--collector-threads", type=int, default=256, help="threads (sessions in flight) per collector")
    ap.add_argument("--broker-port", type=int, default=None, help="the bench's RabbitMQ port and the next two "
                    "(epmd, distribution); default --base-port - 6")
    ap.add_argument("--skip-inprocess", action="store_true", help="only the distributed run (and the peers)")
    ap.add_argument("--skip-distributed", action="store_true")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--sim-processes", type=int, default=os.cpu_count() or 1,
                    help="processes serving the simulated devices (default: one per CPU)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    _warn_autogroup()
    n, m = args.devices, min(args.peer_devices or 1000, args.devices)
    if args.base_port + n >= 32768:
        ap.error("devices must fit below port 32768 (the ephemeral range)")
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    password = os.environ.setdefault("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    lo, hi = (int(x) * 1000 for x in args.config_kb.split(","))
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-fleet-"))
    devices = build_fleet(n, work, args.base_port, args.base_port - 1, size=(lo, hi),
                          faults={"delay_s": args.latency} if args.latency else None, snmp=False)
    lines = sum(d["config_bytes"] for d in devices) / n / 25
    per = sum(len(d["commands"]) for d in devices) / n
    print(f"fleet: {n} devices, {per:.1f} commands each at {args.latency} s, configs {lo // 1000}-{hi // 1000} KB "
          f"(~{lines:.0f} lines); peers on {m}", flush=True)
    state = work / "state"
    t = time.perf_counter()
    lab.up(work / "lab.yaml", state, timeout=600, processes=args.sim_processes)
    print(f"simulator up in {time.perf_counter() - t:.1f} s", flush=True)
    fig: dict = {"devices": n, "zones": args.zones, "latency_s": args.latency, "workers": args.scanner_workers,
                 "simulator_processes": args.sim_processes,
                 "commands_per_device": round(per, 1), "peer_devices": m}
    try:
        if not args.skip_inprocess:
            fig.update(inprocess_run(work, n, args, state))
        if not args.skip_distributed:
            fig.update(distributed_run(work, n, args))
        if not args.skip_peers:
            sub = devices[:m]
            fig["floor_s"], fig["floor_workers"] = _best(
                "floor", [int(x) for x in args.floor_workers.split(",")],
                lambda w: floor(sub, w, password, args.latency), m)
            fig["nornir_best_s"], fig["nornir_best_workers"] = _best(
                "nornir tuned", [int(x) for x in args.nornir_workers.split(",")],
                lambda w: nornir_run(sub, work, w, True, password), m)
            for key in ("floor", "nornir_best"):
                v = fig.get(f"{key}_s")
                fig[f"{key}_dps"] = round(m / v, 1) if v else None
    finally:
        lab.down(state)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    _print(fig)
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2))
    return 0 if fig.get("lost", 0) == 0 and fig.get("distributed_lost", 0) == 0 else 1


def _print(fig: dict) -> None:
    dps = fig.get("inprocess_dps")
    if "inprocess_s" in fig:
        print(f"\nscanner in-process: {fig['inprocess_s']} s for {fig['devices']} devices ({dps}/s), "
              f"lost {fig.get('lost')}, peak RSS {fig.get('peak_rss_mb')} MB")
    if "distributed_s" in fig:
        print(f"scanner distributed: {fig['distributed_s']} s ({fig.get('distributed_dps')}/s) through "
              f"{fig['distributed_zones']} collectors x {fig['collector_threads']} threads, lost "
              f"{fig.get('distributed_lost')}")
    for key, label in (("nornir_best", "Nornir + netmiko, tuned"), ("floor", "floor (paramiko, same commands)")):
        v = fig.get(f"{key}_dps")
        if v and dps:
            print(f"{label}: {v}/s on {fig['peer_devices']} devices -> scanner {dps / v:.2f}x its throughput")
    print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
