"""Time a live scan of N simulated devices (the lab's captures repeated) on this machine.

    .venv/bin/python bench/lab_scan.py --devices 200 [--workers 64] [--snmp] [--json out.json]

Prints wall time, devices/s and peak RSS of the scanning process. The simulator runs in its own process on the
same 2 cores, so these figures include the simulator's share of the CPU.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner import lab  # noqa: E402
from scanner.engine import ScanContext  # noqa: E402
from scanner.inventory import load_inventory  # noqa: E402
from scanner.lab import SNMP_DEFAULTS  # noqa: E402
from scanner.lab.simulator import DEFAULT_PASSWORD  # noqa: E402
from scanner.live import LiveOptions, scan_inventory  # noqa: E402
from scanner.transport.replay import read_capture  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--workers", type=int, default=64)
    ap.add_argument("--snmp", action="store_true", help="also collect SNMP from the lab agent")
    ap.add_argument("--base-port", type=int, default=26001)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    os.environ.setdefault("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    os.environ.setdefault(SNMP_DEFAULTS["auth_env"], SNMP_DEFAULTS["auth_default"])
    os.environ.setdefault(SNMP_DEFAULTS["priv_env"], SNMP_DEFAULTS["priv_default"])
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-"))
    sources = sorted(p for p in (ROOT / "inventories" / "lab" / "raw").iterdir() if p.is_dir())
    devices, assets = [], []
    for i in range(args.devices):
        src = sources[i % len(sources)]
        name = f"dev{i:04d}-{src.name}"
        shutil.copytree(src, work / "raw" / name)
        devices.append({"name": name, "port": args.base_port + i, "data": f"raw/{name}"})
        a = {"name": name, "platform": read_capture(src).platform, "address": "127.0.0.1", "port": args.base_port + i,
             "credentials": "lab"}
        if args.snmp and a["platform"] != "linux":
            a.update(credentials="lab-net", snmp_context=name)
        assets.append(a)
    spec = {"username": "netops", "password_env": "MLPS_LAB_PASSWORD", "devices": devices}
    if args.snmp:
        spec["snmp"] = {"port": args.base_port - 1}
    (work / "lab.yaml").write_text(yaml.safe_dump(spec))
    ssh = {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}
    snmp = {"version": "v3", "username": "labnms", "auth_key": {"env": SNMP_DEFAULTS["auth_env"]},
            "priv_key": {"env": SNMP_DEFAULTS["priv_env"]}, "port": args.base_port - 1}
    (work / "inv.yaml").write_text(yaml.safe_dump({"credentials": {"lab": {"ssh": ssh},
                                                                   "lab-net": {"ssh": ssh, "snmp": snmp}},
                                                   "assets": assets}))
    state = work / "state"
    t = time.perf_counter()
    lab.up(work / "lab.yaml", state, timeout=120)
    up_s = time.perf_counter() - t
    try:
        inv = load_inventory(work / "inv.yaml")
        ctx = ScanContext.default()
        t = time.perf_counter()
        res = scan_inventory(inv, ctx, LiveOptions(known_hosts=work / "kh", trust_new_hosts=True,
                                                   workers=args.workers))
        scan_s = time.perf_counter() - t
    finally:
        lab.down(state)
        shutil.rmtree(work, ignore_errors=True)
    assessed = sum(a.status.value == "assessed" for a in res.assets)
    from collections import Counter
    failures = Counter(f"{a.reason_code}: {(a.reason or '')[:80]}" for a in res.assets if a.status.value != "assessed")
    for why, n in failures.most_common(5):
        print(f"not assessed x{n}: {why}")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"cpu_s": round(time.process_time(), 1), "devices": args.devices, "assessed": assessed, "workers": args.workers, "snmp": args.snmp,
               "lab_up_s": round(up_s, 2), "scanner_s": round(scan_s, 2),
               "devices_per_s": round(args.devices / scan_s, 1), "scanner_rss_mb": round(rss_mb, 1)}
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if assessed == args.devices else 1


if __name__ == "__main__":
    sys.exit(main())
