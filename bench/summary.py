"""Print one table of the latest figures written by `make bench` (bench-out/*.json), with the issue's targets.

    .venv/bin/python bench/summary.py [bench-out]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def load(d: Path, name: str) -> dict:
    p = d / name
    return json.loads(p.read_text()) if p.exists() else {}


def main() -> int:
    d = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out")
    rows: list[tuple[str, str, str, str]] = []

    def add(what: str, value: str, target: str, ok: bool | None) -> None:
        rows.append((what, value, target, "" if ok is None else ("met" if ok else "MISSED")))

    for n in (200, 1000):
        f = load(d, f"live-{n}.json")
        if not f:
            continue
        s = f.get("scanner_s")
        add(f"live {n}: mlps full scan (SSH+SNMP+checks+scan.json)", f"{s:.1f} s, {n / s:.0f}/s, "
            f"{f['scanner_rss_mb']:.0f} MB", "<= 30 s, <= 500 MB" if n == 1000 else "",
            (s <= 30 and f["scanner_rss_mb"] <= 500) if n == 1000 else None)
        if f.get("nornir_best_s"):
            r = f["nornir_best_s"] / s
            add(f"live {n}: vs Nornir tuned ({f.get('nornir_best_workers')} workers, {f['nornir_best_s']:.1f} s)",
                f"{r:.2f}x", ">= 1.5x", r >= 1.5)
        if f.get("nornir_default_s"):
            r = f["nornir_default_s"] / s
            add(f"live {n}: vs Nornir defaults ({f['nornir_default_s']:.1f} s)", f"{r:.2f}x", ">= 4x", r >= 4)
        if f.get("floor_s"):
            r = s / f["floor_s"]
            add(f"live {n}: vs handshake floor ({f['floor_s']:.1f} s)", f"{r:.1f}x the floor", "<= 1.5x", r <= 1.5)
    for n in (1000, 10000):
        _fleet(load(d, f"fleet-{n}.json"), add)
    o = load(d, "offline.json")
    if o:
        add(f"offline: {o['configs']} configs", f"{o['seconds']:.1f} s, {o['configs'] / o['seconds']:.0f}/s, "
            f"{o['rss_mb']:.0f} MB (ciscoconfparse2 floor {o.get('floor_s', 0):.0f} s)", "<= 30 s, <= 1 GB",
            o["seconds"] <= 30 and o["rss_mb"] <= 1024)
    r = load(d, "reports.json")
    for k in sorted(r):
        if k.endswith("_s"):
            fmt, n = k.split("_")[:2]
            mb = r.get(f"{fmt}_{n}_mb")
            target, ok = "", None
            value = f"{r[k]:.1f} s, {mb:.1f} MB"
            rss = r.get(f"{fmt}_{n}_peak_rss_mb")
            if rss:
                value += f", {rss} MB peak RSS"
            if fmt == "html":
                target, ok = "<= 15 MB, <= 5 s", r[k] <= 5 and mb <= 15
            elif fmt == "pdf" and n == "100":
                target, ok = "<= 60 s", r[k] <= 60
            elif fmt == "pdf" and n == "300" and rss:
                target, ok = "<= 1 GB peak RSS", rss <= 1024
            add(f"report {fmt.upper()}, {n} assets", value, target, ok)
    x = load(d, "linux.json")
    if x:
        ref = f" (lynis --quick {x['lynis_s']:.0f} s)" if x.get("lynis_s") else ""
        add("Linux host over SSH" + ref, f"{x['linux_scan_s']:.2f} s", "<= 3 s", x["linux_scan_s"] <= 3)
    if not rows:
        print(f"no figures in {d}: run make bench")
        return 1
    w = max(len(r[0]) for r in rows)
    print(f"{'benchmark':{w}}  {'result':36}  {'target':18}  ")
    for a, b, c, e in rows:
        print(f"{a:{w}}  {b:36}  {c:18}  {e}")
    return 0


def _fleet(f: dict, add) -> None:
    """bench/fleet.py: S seconds per command; in-process and through zone collectors, the peers in devices/s."""
    if not f:
        return
    n, lat = f["devices"], f.get("latency_s")
    goal = n >= 10000
    for key, label in (("inprocess", "in-process"), ("distributed", f"{f.get('distributed_zones')} zone collectors")):
        s = f.get(f"{key}_s")
        if s is None:
            continue
        lost = f.get("lost" if key == "inprocess" else "distributed_lost")
        add(f"fleet {n} at {lat} s/command: {label}", f"{s:.1f} s, {n / s:.0f}/s, lost {lost}",
            "<= 300 s, none lost" if goal else "", (s <= 300 and lost == 0) if goal else None)
    dps = f.get("inprocess_dps")
    if dps and f.get("nornir_best_dps"):
        r = dps / f["nornir_best_dps"]
        add(f"fleet {n}: vs Nornir tuned ({f.get('nornir_best_workers')} workers, {f['nornir_best_dps']}/s)",
            f"{r:.2f}x", ">= 3x", r >= 3)
    if dps and f.get("floor_dps"):
        r = f["floor_dps"] / dps
        add(f"fleet {n}: vs the floor for the same work ({f['floor_dps']}/s)", f"{r:.2f}x the floor", "<= 1.5x",
            r <= 1.5)


if __name__ == "__main__":
    sys.exit(main())
