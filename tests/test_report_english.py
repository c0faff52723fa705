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

from conftest import ROOT

LAB = ROOT / "scanner" / "lab" / "data"
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
    out = tmp_path_factory.mktemp(f"en-{request.param}")
    render(result, ["html", "pdf", "fix"], out, "en")
    return out, _allowed(result, inv)


def _allowed(result, inv) -> str:
    """Text the user or the device wrote: the report may quote it in any language."""
    names = [a.name for a in result.assets] + [a.zone or "" for a in inv.assets]
    names += list(inv.topology.zones) + [b.name for b in inv.topology.boundaries]
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
