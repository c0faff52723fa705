"""Render time and size of every report format for N assets (the demo lab's results repeated); the PDF's time and
peak memory are those of `mlps report scan.json --format pdf` run in a child process.

    .venv/bin/python bench/reports.py --assets 1000 --pdf-assets 100,300 [--json out.json] [--no-browser]
    .venv/bin/python bench/reports.py --browser-only report.html [--query NAME]   # an HTML written earlier

With a browser (bench/browser.py: playwright driving /usr/bin/chromium) it also opens the N-asset HTML and times
its filters; `--browser-only` measures an HTML written before a change, for before/after figures.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
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


def pdf_in_child(scan_json: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `mlps report --format pdf` as its own process: ru_maxrss read through wait4."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "scanner.cli", "report", str(scan_json), "--format", "pdf",
                          "--out", str(out)], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"mlps report --format pdf exited {p.returncode}")
    return seconds, usage.ru_maxrss / 1024          # Linux reports kilobytes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=1000)
    ap.add_argument("--pdf-assets", default="100", help="asset counts for the PDF, comma-separated (100,300)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-browser", action="store_true", help="leave out the chromium open/filter figures")
    ap.add_argument("--browser-only", type=Path, metavar="HTML", help="only time this HTML in chromium")
    ap.add_argument("--query", default="core-sw1-0", help="what to type into the asset filter")
    args = ap.parse_args()
    if args.browser_only:
        from bench.browser import measure
        for k, v in measure(args.browser_only, args.query).items():
            print(f"{'html_' + k:>22} {v}")
        return 0
    ctx = ScanContext.default()
    base = scan_raw(ROOT / "scanner" / "lab" / "data" / "raw", ctx)
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
            if fmt == "html" and not args.no_browser:
                from bench.browser import measure
                for k, v in measure(path, args.query).items():
                    figures[f"html_{args.assets}_{k}"] = v
        del big
        for n in (int(x) for x in args.pdf_assets.split(",") if x.strip()):
            small = build_result(grow(base, n), ctx, datetime.now(timezone.utc))
            run_dir = out / f"pdf{n}"
            run_dir.mkdir()
            (scan_json,) = render(small, ["json"], run_dir)
            seconds, peak_mb = pdf_in_child(scan_json, run_dir)
            path = run_dir / "report.pdf"
            figures[f"pdf_{n}_s"] = round(seconds, 2)
            figures[f"pdf_{n}_mb"] = round(path.stat().st_size / 1e6, 2)
            figures[f"pdf_{n}_peak_rss_mb"] = round(peak_mb)
            figures[f"pdf_{n}_pages"] = pdf_pages(path)
    for k, v in figures.items():
        print(f"{k:>22} {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


def pdf_pages(path: Path) -> int | None:
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return None
    return next((int(ln.split()[-1]) for ln in info.splitlines() if ln.startswith("Pages:")), None)


if __name__ == "__main__":
    sys.exit(main())
