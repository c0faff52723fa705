"""Evaluate N saved configs (generated variants of the fixture configs, all three vendors) and print configs/s,
wall time and peak RSS; the floor is a plain ciscoconfparse2 script doing three line checks per config.

    .venv/bin/python bench/offline.py --configs 10000 [--workers 2] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "configs").glob("*/*.cfg"))


def variants(n: int) -> list[bytes]:
    """Fixture configs with renamed hosts, shuffled interface descriptions and some toggled settings."""
    rnd = random.Random(42)
    base = [p.read_text(encoding="utf-8") for p in FIXTURES]
    out = []
    for i in range(n):
        text = base[i % len(base)]
        text = text.replace("sysname ", f"sysname v{i}-", 1).replace("hostname ", f"hostname v{i}-", 1)
        if rnd.random() < 0.3:
            text = text.replace("idle-timeout 5 0", "idle-timeout 30 0").replace("exec-timeout 5 0", "exec-timeout 30 0")
        out.append(text.encode())
    return out


_CTX = None


def _assess(data: bytes) -> str:
    global _CTX
    from scanner.engine import ScanContext, assess_config_bytes
    if _CTX is None:
        _CTX = ScanContext.default()
    return assess_config_bytes(data, _CTX, None, "x", "mem").status.value


def _floor(data: bytes) -> int:
    from ciscoconfparse2 import CiscoConfParse
    parse = CiscoConfParse(data.decode().splitlines())
    return sum(bool(parse.find_objects(p)) for p in (r"^\s*telnet server enable", r"^line vty", r"^snmp"))


def run(fn, items, workers: int) -> float:
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fn, items, chunksize=64))
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--configs", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--floor-sample", type=int, default=1000, help="configs for the ciscoconfparse2 floor")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    items = variants(args.configs)
    seconds = run(_assess, items, args.workers)
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    floor_sample = items[: args.floor_sample]
    floor = run(_floor, floor_sample, args.workers) * (len(items) / max(1, len(floor_sample)))
    figures = {"configs": args.configs, "workers": args.workers, "seconds": round(seconds, 2),
               "configs_per_s": round(args.configs / seconds, 1), "rss_mb": round(rss / 1024, 1),
               "floor_s": round(floor, 2), "floor_note": f"ciscoconfparse2, 3 line checks, extrapolated from "
                                                        f"{len(floor_sample)} configs"}
    for k, v in figures.items():
        print(f"{k:>14} {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
