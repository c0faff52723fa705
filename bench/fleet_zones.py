"""The fleet benchmark's distributed run (bench/fleet.py): the same simulated devices scanned through zone collectors.

A RabbitMQ node of its own on 127.0.0.1 (tests/zonelab.start_rabbitmq: its own epmd, data and a random password),
the fleet's devices assigned round-robin to `zones` zones in a copy of the bench's inventory, one `mlps worker
--zone zK` per zone with `threads` sessions in flight, and `mlps scan --broker` timed like the in-process scan. No
network namespaces: every collector reaches every device here; what is measured is the engine (tasks, results,
captures over the broker), not the firewalls. Every process is started here and stopped by its pid.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from rss import TreeMemory  # noqa: E402  (bench/rss.py)
from zonelab import start_rabbitmq, stop_broker, wait_for  # noqa: E402


def zoned_inventory(work: Path, zones: int) -> Path:
    """The bench's inventory with its devices dealt round-robin to zones z0..z{zones-1}."""
    inv = yaml.safe_load((work / "inv.yaml").read_text())
    names = [f"z{k}" for k in range(zones)]
    for i, a in enumerate(inv["assets"]):
        a["zone"] = names[i % zones]
    inv["zones"] = {z: {"exposure": "internal"} for z in names}
    out = work / "inv-zones.yaml"
    out.write_text(yaml.safe_dump(inv))
    return out


def _mlps() -> str:
    return str(Path(sys.executable).parent / "mlps")


def _start_worker(work: Path, zone: str, url: str, env: dict, threads: int) -> subprocess.Popen:
    log = work / f"worker-{zone}.log"
    p = subprocess.Popen([_mlps(), "worker", "--zone", zone, "--broker", url, "--threads", str(threads),
                          "--known-hosts", str(work / f"kh-{zone}"), "--trust-new-hosts"], env=env,
                         stdout=log.open("w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    wait_for(lambda: "mlps worker:" in log.read_text(errors="replace") or p.poll() is not None, 120,
             f"worker {zone} did not start")
    if p.poll() is not None:
        raise RuntimeError(f"worker {zone} failed: {log.read_text(errors='replace')[-2000:]}")
    return p


def _stop_worker(p: subprocess.Popen, mem: TreeMemory) -> tuple[float, float, float]:
    """SIGTERM (Celery's warm shutdown), then the memory its processes held at once (PSS, MB), CPU seconds and the
    kernel's share of them."""
    mem.stop()
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            return mem.peak_pss_mb, usage.ru_utime + usage.ru_stime, usage.ru_stime
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL)
    _, _, usage = os.wait4(p.pid, 0)
    return mem.peak_pss_mb, usage.ru_utime + usage.ru_stime, usage.ru_stime


def _scan(work: Path, inv: Path, url: str, env: dict, deadline_s: float) -> tuple[float, float, float, dict]:
    out = work / "scan-zones-out"
    cmd = [_mlps(), "scan", str(inv), "--out", str(out), "--format", "json", "--known-hosts", str(work / "kh-centre"),
           "--trust-new-hosts", "--broker", url, "--collector-deadline", str(deadline_s)]
    with (work / "scan-zones.log").open("w") as log:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        with TreeMemory(proc.pid) as mem:
            _, _, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
    data = json.loads((out / "scan.json").read_text()) if (out / "scan.json").exists() else {"assets": []}
    why: dict[str, int] = {}
    for a in data["assets"]:
        if a["status"] != "assessed":
            key = f"{a.get('reason_code')}: {(a.get('reason') or '')[:80]}"
            why[key] = why.get(key, 0) + 1
    assessed = sum(a["status"] == "assessed" for a in data["assets"])
    return elapsed, mem.peak_pss_mb, usage.ru_utime + usage.ru_stime, {"assessed": assessed, "why": why,
                                                                       "sys": usage.ru_stime}


def distributed_run(work: Path, n: int, zones: int, threads: int, broker_port: int,
                    deadline_s: float = 120) -> dict:
    """Figures of the scan through `zones` collectors of `threads` threads each: distributed_s, _assessed, _lost,
    the centre's and the collectors' peak RSS and CPU, and the collectors' settings."""
    password = "Bk-" + secrets.token_urlsafe(12)
    broker = start_rabbitmq(work / "broker", broker_port, broker_port + 1, broker_port + 2, password)
    env = {**os.environ, "MLPS_BROKER_PASSWORD": password}
    workers: list[subprocess.Popen] = []
    mems: list[TreeMemory] = []
    fig: dict = {"distributed_zones": zones, "collector_threads": threads,
                 "collector_prefetch": threads}          # worker_prefetch_multiplier 1: one message per thread
    try:
        inv = zoned_inventory(work, zones)
        workers = [_start_worker(work, f"z{k}", broker.url, env, threads) for k in range(zones)]
        mems = [TreeMemory(p.pid).start() for p in workers]
        s, rss, cpu, got = _scan(work, inv, broker.url, env, deadline_s)
        fig.update(distributed_s=round(s, 2), distributed_assessed=got["assessed"],
                   distributed_lost=n - got["assessed"], distributed_dps=round(n / s, 1),
                   centre_peak_rss_mb=round(rss, 1), centre_cpu_s=round(cpu, 1), centre_sys_s=round(got["sys"], 1),
                   distributed_not_assessed=got["why"])
    finally:
        usage = [_stop_worker(p, m) for p, m in zip(workers, mems)]
        stop_broker(broker)
    if usage:
        fig.update(collector_peak_rss_mb=round(max(u[0] for u in usage), 1),
                   collector_cpu_s=round(sum(u[1] for u in usage), 1),
                   collector_sys_s=round(sum(u[2] for u in usage), 1))
    return fig
