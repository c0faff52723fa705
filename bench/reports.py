"""Render time and size of every report format for N assets (the demo lab's results repeated).

    .venv/bin/python bench/reports.py --assets 1000 --pdf-assets 100 [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports import render  # noqa: E402
from scanner.engine import ScanContext, build_result  # noqa: E402
from scanner.live import scan_raw  # noqa: E402


def grow(base, n: int):
    assets = []
    for i in range(n):
        a = base.assets[i % len(base.assets)]
        assets.append(a.model_copy(update={"name": f"{a.name}-{i:04d}"}))
    return assets


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=1000)
    ap.add_argument("--pdf-assets", type=int, default=100)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    ctx = ScanContext.default()
    base = scan_raw(ROOT / "inventories" / "lab" / "raw", ctx)
    from datetime import datetime, timezone
    figures = {}
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        big = build_result(grow(base, args.assets), ctx, datetime.now(timezone.utc))
        for fmt in ("json", "html", "xlsx", "junit", "sarif"):
            t = time.perf_counter()
            (path,) = render(big, [fmt], out)
            figures[f"{fmt}_{args.assets}_s"] = round(time.perf_counter() - t, 2)
            figures[f"{fmt}_{args.assets}_mb"] = round(path.stat().st_size / 1e6, 2)
        small = build_result(grow(base, args.pdf_assets), ctx, datetime.now(timezone.utc))
        t = time.perf_counter()
        (path,) = render(small, ["pdf"], out)
        figures[f"pdf_{args.pdf_assets}_s"] = round(time.perf_counter() - t, 2)
        figures[f"pdf_{args.pdf_assets}_mb"] = round(path.stat().st_size / 1e6, 2)
    for k, v in figures.items():
        print(f"{k:>16} {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
