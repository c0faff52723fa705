"""Issue 12, must-have 2: one computation feeds every count. On the demo lab and on a large synthetic scan, the tiles,
sentences and tables of the HTML, the XLSX and scan.json agree, and the catalogue's items add up."""
from __future__ import annotations

import html as htmlmod
import re
from collections import Counter
from datetime import datetime, timezone

import pytest

from reports import render
from reports.figures import RESULTS, figures
from reports.html import render_html
from scanner.catalog import load_catalog
from scanner.errors import ReasonCode
from scanner.model import AssetStatus

from conftest import ROOT

LAB = ROOT / "scanner" / "lab" / "data" / "raw"


@pytest.fixture(scope="module")
def demo(ctx):
    from scanner.live import scan_raw
    return scan_raw(LAB, ctx)


@pytest.fixture(scope="module")
def large(ctx, demo):
    """240 assets: the lab's eleven many times over, every tenth one not assessed (a timeout)."""
    from scanner.engine import build_result
    assets = []
    for i in range(240):
        a = demo.assets[i % len(demo.assets)]
        update = {"name": f"{a.name}-{i:03d}"}
        if i % 10 == 3:
            update.update(status=AssetStatus.ERROR, reason_code=ReasonCode.TIMEOUT, reason="connect timed out",
                          controls=[], findings=[], high_risks=[], fleet=None)
        assets.append(a.model_copy(update=update))
    return build_result(assets, ctx, datetime.now(timezone.utc))


def _tiles(page: str) -> dict[str, str]:
    """label -> number of every tile of the report."""
    cards = re.findall(r'<div class="card[^"]*"><b[^>]*>([^<]*)</b><span>([^<]*)</span></div>', page)
    labels = [label for _, label in cards]
    assert len(labels) == len(set(labels)), f"two tiles share a label: {Counter(labels).most_common(3)}"
    return {label: value for value, label in cards}


@pytest.mark.parametrize("scan", ["demo", "large"])
def test_catalogue_items_add_up_in_every_place(scan, request, tmp_path):
    result = request.getfixturevalue(scan)
    cat = load_catalog()
    fig = figures(result, cat)
    s = result.score
    total = len(cat.items)
    assert total == 211
    # scan.json: the system-level results partition the catalogue, and the score's buckets partition it too
    assert Counter(i.result.value for i in result.items) == Counter({k: v for k, v in fig.by_result.items() if v})
    assert sum(fig.by_result.values()) == total
    assert s.items_scored + s.items_manual + s.items_unassessed + fig.by_result["not_applicable"] == total
    assert s.items_scored == fig.scored and s.items_manual == fig.unscored_manual
    assert s.items_unassessed == fig.by_result["error"]
    assert fig.high_risk_unresolved == s.unresolved_high_risks

    page = render_html(result, "zh")
    tiles = _tiles(page)
    from reports.labels import LABELS, RESULT_LABELS
    L, RL = LABELS["zh"], RESULT_LABELS["zh"]
    for res in RESULTS:
        assert tiles[RL[res]] == str(fig.by_result[res]), res
    assert tiles[L["items_scored"]] == str(s.items_scored)
    assert tiles[L["assets_total"]] == str(len(result.assets))
    assert int(tiles[L["assets_assessed"]]) + int(tiles[L["assets_failed"]]) == len(result.assets)
    assert tiles[L["hr_unresolved"]] == str(s.unresolved_high_risks)
    assert tiles[L["score"]] == f"{s.overall:.2f}"

    # the sentences say the same numbers
    text = htmlmod.unescape(re.sub(r"<[^>]+>", "", page))
    m = re.search(r"目录共 (\d+) 项，其中 (\d+) 项有自动化检查，(\d+) 项没有.*?结果：符合 (\d+)、部分符合 (\d+)、不符合 (\d+)、"
                  r"需人工核查 (\d+)（其中 (\d+) 项无自动化检查）、不适用 (\d+)、未能评估 (\d+)。计入综合得分 (\d+) 项（其中 (\d+) 项", text)
    assert m, "tally sentence missing"
    n = list(map(int, m.groups()))
    assert n[0] == total and n[1] + n[2] == total
    assert n[3:10:1][:7] == [fig.by_result[k] for k in ("compliant", "partial", "noncompliant", "manual")] + \
        [n[7]] + [fig.by_result["not_applicable"], fig.by_result["error"]]
    assert n[10] == s.items_scored and n[11] == fig.scored_manual
    m = re.search(r"仅覆盖扫描器已评估的(\d+)个技术测评项；(\d+)项需人工核查、(\d+)项未能评估，均未计入。存在(\d+)个高风险", text)
    assert m and list(map(int, m.groups())) == [s.items_scored, s.items_manual, s.items_unassessed,
                                                s.unresolved_high_risks]
    assert n[10] + int(m[2]) + int(m[3]) + fig.by_result["not_applicable"] == total

    # tables: each control point's score and each layer's, and the computed overall, are scan.json's
    for layer in fig.layers:
        assert layer.score == s.layers.get(layer.id), layer.id
        for p in layer.points:
            assert p.score == s.control_points.get(p.id), p.id
            assert sum(p.results.values()) == len(p.items)
    assert fig.overall == s.overall
    assert f'data-fig="overall_computed">{s.overall:.2f}<' in page

    # the workbook shows the same figures
    from openpyxl import load_workbook
    (xlsx,) = render(result, ["xlsx"], tmp_path)
    wb = load_workbook(xlsx, read_only=True)
    overview = {r[0]: r[1] for r in wb["1 测评项目概述"].iter_rows(values_only=True) if r and r[0]}
    for res in RESULTS:
        assert overview[RL[res]] == fig.by_result[res]
    assert overview[L["items_scored"]] == s.items_scored and overview[L["score"]] == s.overall
    cps = {r[1].split()[0]: (r + (None,) * 11)[10] for r in wb["3 单项测评结果"].iter_rows(min_row=2, values_only=True)
           if r[1] and r[1] != L["layer_score"]}
    assert {k: v for k, v in cps.items() if v is not None} == s.control_points
    records = list(wb["附录B 测评记录"].iter_rows(min_row=2, values_only=True))
    assert len(records) == sum(max(1, len(a.controls)) for a in result.assets)
    wb.close()
