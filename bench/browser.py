"""The HTML report in a real browser: open time and filter time, measured with playwright driving Debian's
chromium (`/usr/bin/chromium`; `npx playwright install` downloads a browser build, which this setting cannot).

Open: from navigation to the `load` event plus the first frame after it (the page is usable). Filter: from typing a
value into the report's asset filter, or choosing a result, to the first frame that shows the filtered page.
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

# Sets a filter control's value, fires its event and waits for the frame after the change.
_FILTER_JS = """async ([sel, value, ev]) => {
  const el = document.querySelector(sel);
  const t = performance.now();
  el.value = value;
  el.dispatchEvent(new Event(ev, {bubbles: true}));
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t;
}"""


@contextmanager
def browser_page(width: int = 1280, height: int = 900):
    """A page of a fresh headless chromium (own profile folder, removed afterwards)."""
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix="mlps-chromium-")
    try:
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                viewport={"width": width, "height": height})
            try:
                yield ctx.pages[0] if ctx.pages else ctx.new_page()
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def open_seconds(page, html: Path) -> float:
    t = time.perf_counter()
    page.goto(html.resolve().as_uri(), wait_until="load", timeout=180_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    return time.perf_counter() - t


def filter_ms(page, selector: str, value: str, event: str) -> float:
    return float(page.evaluate(_FILTER_JS, [selector, value, event]))


def measure(html: Path, asset_query: str, rounds: int = 3) -> dict[str, float]:
    """Open time (s, the first open of a fresh browser), then the median over `rounds` of typing an asset name,
    choosing a result and clearing each again (ms)."""
    with browser_page() as page:
        out = {"open_s": round(open_seconds(page, html), 2)}
        times: dict[str, list[float]] = {"filter_asset_ms": [], "filter_result_ms": [], "filter_clear_ms": []}
        for _ in range(rounds):
            times["filter_asset_ms"].append(filter_ms(page, "#f-asset", asset_query, "input"))
            times["filter_clear_ms"].append(filter_ms(page, "#f-asset", "", "input"))
            times["filter_result_ms"].append(filter_ms(page, "#f-result", "noncompliant", "change"))
            times["filter_clear_ms"].append(filter_ms(page, "#f-result", "", "change"))
        out.update({k: round(statistics.median(v)) for k, v in times.items()})
        out["filter_worst_ms"] = round(max(max(v) for v in times.values()))
        out["dom_nodes"] = page.evaluate("() => document.getElementsByTagName('*').length")
    return out
