"""An honest headline: a scan in which nothing could be assessed has no score and no conclusion (无法评分) in
scan.json, the console, the HTML and the XLSX report, never 0.00 -> 差."""
from __future__ import annotations

import json

from openpyxl import load_workbook

from conftest import CONFIGS, run_mlps


def _rows(path) -> list[list]:
    """The first two cells of every row of the workbook's chapter sheets (the overview holds the headline)."""
    wb = load_workbook(path)
    return [[c.value for c in row[:2]] for ws in wb.worksheets[:3] for row in ws.iter_rows()]


def test_nothing_assessed_gives_no_score_anywhere(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.cfg").write_text("hello world\n")              # no platform recognised: not assessed
    (src / "b.cfg").write_text("\xff\xfe junk\n", encoding="latin-1")
    r = run_mlps("scan", "--configs", str(src), "-o", str(tmp_path / "out"), "--format", "json,html,xlsx")
    assert r.returncode == 0, r.stderr
    score = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))["score"]
    assert score["overall"] is None and score["conclusion"] is None and score["items_scored"] == 0
    assert score["items_unassessed"] > 0
    assert "无法评分" in r.stdout and "score 0" not in r.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "没有任何技术测评项得到评估" in html
    assert '<div class="card conclusion c-none"><b>无法评分</b>' in html and 'class="card conclusion c-poor"' not in html
    rows = _rows(tmp_path / "out" / "report.xlsx")
    assert ["综合得分", "无法评分"] in rows and ["结论", "无法评分"] in rows
    assert not any(r[:1] == ["综合得分"] and isinstance(r[1], (int, float)) for r in rows)


def test_a_scored_scan_keeps_its_score_and_conclusion(tmp_path):
    r = run_mlps("scan", "--configs", str(CONFIGS), "-o", str(tmp_path / "out"), "--format", "json,html,xlsx")
    assert r.returncode == 0, r.stderr
    score = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))["score"]
    assert score["overall"] is not None and score["conclusion"] in ("优", "良", "中", "差")
    assert "无法评分" not in r.stdout and "无法评分" not in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    rows = _rows(tmp_path / "out" / "report.xlsx")
    assert ["综合得分", score["overall"]] in rows and ["结论", score["conclusion"]] in rows


def test_console_and_report_say_what_the_verdicts_rest_on(tmp_path):
    from conftest import ROOT
    r = run_mlps("scan", "--raw", str(ROOT / "scanner" / "lab" / "data" / "raw"), "-o", str(tmp_path / "out"),
                 "--format", "json,html")
    assert r.returncode == 0, r.stderr
    d = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    decided = [f for a in d["assets"] for f in a["findings"] if f["status"] in ("pass", "fail")]
    counts = {b: sum(f["basis"] == b for f in decided) for b in ("config", "default", "live")}
    assert all(counts.values()) and sum(counts.values()) == len(decided)
    # a live status output decides the verdict: its evidence quotes that output
    assert all(any(e["source"] not in ("config", "version", "scanner") for e in f["evidence"])
               for f in decided if f["basis"] == "live")
    # a release default: no line of any output says it
    assert all(all(e["line"] is None for e in f["evidence"]) for f in decided if f["basis"] == "default")
    assert (f"verdicts: {counts['config']} on configuration lines, {counts['default']} on release defaults, "
            f"{counts['live']} on live status") in r.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert f"{counts['default']}项依据软件版本默认值" in html and f"{counts['live']}项来自在线状态" in html
