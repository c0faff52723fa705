"""Issue 12, must-have 6: `--lang en` leaves no Chinese outside quoted device text and the names the user gave.
The demo lab is rendered in English twice, as its inventory describes it: with the declared boundaries (the
per-boundary fleet checks) and without them (the whole-inventory fleet checks), as HTML, as PDF (its text, through
pdftotext) and as fix scripts. Every run of CJK characters left must be part of an evidence line of the scan or of a
name from the inventory (asset, zone, boundary)."""
from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest

from reports import render
from scanner.engine import build_result
from scanner.inventory import load_inventory
from scanner.model import SystemInfo

from conftest import ROOT

LAB = ROOT / "scanner" / "lab" / "data"
SYSTEM = SystemInfo(organisation="某市公共资源交易中心", system_name="电子交易平台", report_no="R-2026-0001")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _lab(ctx, boundaries: bool):
    from scanner.live import scan_raw
    base = scan_raw(LAB / "raw", ctx)
    inv = load_inventory(LAB / "inventory.yaml")
    meta = {a.name: a for a in inv.assets}
    assets = [a.model_copy(update={k: getattr(meta[a.name], k) for k in ("zone", "role", "importance", "exposure")})
              for a in base.assets]
    topology = inv.topology if boundaries else inv.topology.model_copy(update={"boundaries": []})
    return build_result(assets, ctx, datetime.now(timezone.utc), topology), inv


@pytest.fixture(scope="module", params=["boundaries", "no_boundaries"])
def english(request, ctx, tmp_path_factory):
    result, inv = _lab(ctx, request.param == "boundaries")
    result.system = SYSTEM          # the cover block the user gave (--system): quoted as given, in any language
    out = tmp_path_factory.mktemp(f"en-{request.param}")
    render(result, ["html", "pdf", "fix", "xlsx"], out, "en")
    return out, _allowed(result, inv)


def _allowed(result, inv) -> str:
    """Text the user or the device wrote: the report may quote it in any language."""
    names = [a.name for a in result.assets] + [a.zone or "" for a in inv.assets]
    names += list(inv.topology.zones) + [b.name for b in inv.topology.boundaries]
    names += [v for v in (result.system.model_dump().values() if result.system else []) if isinstance(v, str)]
    quoted = [e.text for a in result.assets for f in a.findings for e in f.evidence]
    quoted += [e.text for a in result.assets for c in a.controls for f in getattr(c, "findings", []) or []
               for e in getattr(f, "evidence", [])]
    return "\n".join(names + quoted)


def _foreign(text: str, allowed: str) -> list[str]:
    return sorted({run for run in CJK.findall(text) if run not in allowed})


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def test_english_html_has_no_chinese_of_ours(english):
    out, allowed = english
    p = _Text()
    p.feed((out / "report.html").read_text(encoding="utf-8"))
    assert _foreign("\n".join(p.parts), allowed) == []


def test_english_pdf_has_no_chinese_of_ours(english):
    out, allowed = english
    text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    # pdftotext breaks long lines: a quoted name may be split over two lines
    assert [r for r in _foreign(text, allowed) if not any(r in line for line in allowed.splitlines())] == []


def test_english_fix_scripts_have_no_chinese_of_ours(english):
    out, allowed = english
    scripts = sorted((out / "fix").glob("*.txt"))
    assert scripts
    assert {s.name: _foreign(s.read_text(encoding="utf-8"), allowed) for s in scripts} == \
        {s.name: [] for s in scripts}


def test_english_console_summary_has_no_chinese(tmp_path):
    from conftest import run_mlps
    r = run_mlps("scan", "--raw", str(LAB / "raw"), "-o", str(tmp_path), "--format", "json", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "compliant" in r.stdout and "items: " in r.stdout
    assert CJK.findall(r.stdout + r.stderr) == []


def test_english_xlsx_has_no_chinese_of_ours(english):
    """Every sheet name and every cell of the English workbook: only quoted device text and the user's names may be
    Chinese (the workbook was all Chinese under --lang en until session 8)."""
    from openpyxl import load_workbook
    out, allowed = english
    wb = load_workbook(out / "report.xlsx", read_only=True)
    foreign = {"sheet names": _foreign("\n".join(wb.sheetnames), allowed)}
    for ws in wb:
        text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        foreign[ws.title] = _foreign(text, allowed)
    wb.close()
    assert {k: v for k, v in foreign.items() if v} == {}


def test_english_xlsx_sheets_follow_the_chapters(english):
    from openpyxl import load_workbook
    from reports.labels import CHAPTERS
    out, _ = english
    wb = load_workbook(out / "report.xlsx", read_only=True)
    names = wb.sheetnames
    cover = {r[0]: r[1] for r in wb[CHAPTERS[0][2]].iter_rows(values_only=True) if r and len(r) > 1}
    records = next(wb["Appendix B Assessment records"].iter_rows(max_row=1, values_only=True))
    wb.close()
    assert names[:len(CHAPTERS)] == [en for _, _, en in CHAPTERS]
    assert cover["Organisation"] == "某市公共资源交易中心" and cover["Assessor"] == "(to be filled in)"
    assert records[:3] == ("Object", "Kind", "Platform") and "Result" in records and "Score" in records


def test_english_charts_show_whole_words(english):
    """Found looking at the English page (session 8): the chart legends showed the first four characters of each
    result ('comp', 'non-', 'manu') and layer names were cut mid-word ('Computing envi'). Every legend shows the
    whole word; a label too long for its column ends with '…' and keeps its full text as a tooltip."""
    from reports.labels import RESULT_LABELS
    from reports.views import CHART_RESULTS
    from scanner.catalog import load_catalog
    out, _ = english
    page = (out / "report.html").read_text(encoding="utf-8")
    charts = re.findall(r'<figure class="chart">.*?</figure>', page, re.S)
    assert len(charts) == 3
    texts = [m for c in charts for m in re.findall(r"<text[^>]*>(?:<title>([^<]*)</title>)?([^<]*)</text>", c)]
    legend = [RESULT_LABELS["en"][r] for r in CHART_RESULTS]
    assert [shown for _, shown in texts if shown in legend] == legend * 3
    layers = {layer.en for layer in load_catalog().layers}
    shown_layers = {full or shown for full, shown in texts} & layers
    assert len(shown_layers) >= 4, shown_layers
    for full, shown in texts:
        assert not full or (shown.endswith("…") and full.startswith(shown[:-1])), (full, shown)
