"""Issue 12, must-have 6: above PAGED_ABOVE assets the long tables of the HTML are rows of text inside
<script type="text/x-mlps-rows"> (and the filter index is JSON). Device text in them (asset names, evidence) must
neither end that script nor become markup, nor split a row; every asset must be there. (The browser behaviour:
test_report_browser.py.)"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from reports.html import PAGED_ABOVE, ROW_MARK, render_html
from scanner.engine import build_result
from scanner.model import Evidence

from conftest import ROOT

HOSTILE = ["</script><script>window.pwned=1</script>", "<!--<script>", "a\u2028b\u2029c", "q\"'><img src=x onerror=1>",
           "back\\slash</SCRIPT >", "&lt;already&gt;", "row\u2063mark\u20631"]


@pytest.fixture(scope="module")
def page(ctx):
    from scanner.live import scan_raw
    demo = scan_raw(ROOT / "scanner" / "lab" / "data" / "raw", ctx)
    assets = []
    for i in range(PAGED_ABOVE + len(HOSTILE) + 4):
        a = demo.assets[i % len(demo.assets)]
        name = HOSTILE[i] if i < len(HOSTILE) else f"{a.name}-{i:03d}"
        findings = [f.model_copy(update={"evidence": [Evidence(source="config", line=1, text=HOSTILE[0])]})
                    if f.status == "fail" else f for f in a.findings]
        assets.append(a.model_copy(update={"name": name, "findings": findings}))
    return render_html(build_result(assets, ctx, datetime.now(timezone.utc)), "zh"), [a.name for a in assets]


def _scripts(html: str) -> dict[str, str]:
    return dict(re.findall(r'<script type="(?:application/json|text/x-mlps-rows)"[^>]*(?:data-body|id)="([^"]+)"'
                           r'[^>]*>(.*?)</script>', html, re.S))


def _rows(text: str) -> list[tuple[int, str]]:
    """As report.js reads them: rows end with U+2063, each starts with its asset index."""
    return [(int(m[1]), m[2]) for m in (re.match(r"(\d+)(\s*<.*)", r, re.S) for r in text.split(ROW_MARK) if r)]


def test_every_row_parses_and_every_asset_is_there(page):
    html, names = page
    scripts = _scripts(html)
    assert {"pg-objects", "pg-records", "pg-plan", "mlps-index"} <= scripts.keys()
    index = json.loads(scripts["mlps-index"])
    assert [a[0] for a in index["assets"]] == [n.lower() for n in names]
    for key in ("pg-objects", "pg-records"):
        rows = _rows(scripts[key])
        assert [i for i, _ in rows] == list(range(len(names))), key
    records = _rows(scripts["pg-records"])
    assert 'id="asset-&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;"' in records[0][1]


def test_device_text_never_ends_the_script_or_becomes_markup(page):
    html, _ = page
    assert "window.pwned=1</script>" not in html and "<script>window.pwned" not in html
    assert "<img src=x" not in html and "<!--<script>" not in html
    # the only places a script ends are the page's own scripts
    assert html.count("</script>") == len(_scripts(html)) + 1


def test_a_small_report_keeps_its_rows_in_the_page(ctx):
    from scanner.live import scan_raw
    html = render_html(scan_raw(ROOT / "scanner" / "lab" / "data" / "raw", ctx), "zh")
    assert 'class="rows"' not in html and html.count('<section class="asset"') == 11
