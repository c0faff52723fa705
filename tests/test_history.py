"""Scans over time (issue 14 must-have 5): `mlps history DIR` lists score, high risks and items per scan, oldest
first; `--history DIR` puts the trend into the report as an inline chart."""
from __future__ import annotations

import json
import re

import pytest

from conftest import CONFIGS, run_mlps

STAGES = [["huawei_vrp/weak_s5700_v200r005.cfg", "cisco_ios/weak_c2960_15.0.cfg"],
          ["huawei_vrp/weak_s5700_v200r005.cfg", "cisco_ios/hardened_c9300_17.9.cfg"],
          ["huawei_vrp/hardened_s5735_v200r019.cfg", "cisco_ios/hardened_c9300_17.9.cfg"]]


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """Three inspections of a network being fixed: weak, half fixed, hardened."""
    root = tmp_path_factory.mktemp("history")
    for i, files in enumerate(STAGES, 1):
        r = run_mlps("scan", "--configs", *[str(CONFIGS / f) for f in files], "-o", str(root / f"scan{i}"), "-q")
        assert r.returncode == 0, r.stderr
    return root


def _score(path) -> tuple[float, int]:
    s = json.loads(path.read_text(encoding="utf-8"))["score"]
    return s["overall"], s["unresolved_high_risks"]


def test_history_lists_the_scans_oldest_first(scans):
    (scans / "broken").mkdir(exist_ok=True)
    (scans / "broken/scan.json").write_text("{not json", encoding="utf-8")
    r = run_mlps("history", str(scans))
    assert r.returncode == 0, r.stderr
    assert "broken/scan.json" in r.stderr and "skipped" in r.stderr
    rows = [ln for ln in r.stdout.splitlines() if re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", ln)]
    assert len(rows) == 3
    for row, i in zip(rows, (1, 2, 3)):
        score, hr = _score(scans / f"scan{i}/scan.json")
        cells = [c.strip() for c in row.split("│")]
        assert cells[2].startswith(f"{score:.2f}") and cells[4] == str(hr) and f"scan{i}" in row
    first, last = _score(scans / "scan1/scan.json"), _score(scans / "scan3/scan.json")
    assert last[0] > first[0] and last[1] < first[1]            # the fixes show as progress
    assert re.search(r"\(\+\d+\.\d\d\)", rows[2])                 # the change from the scan before


def test_the_report_draws_the_trend(scans, tmp_path):
    r = run_mlps("report", str(scans / "scan3/scan.json"), "--history", str(scans), "--format", "html",
                 "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    trend = html[html.index('class="chart trend"'):]
    trend = trend[:trend.index("</figure>")]
    assert trend.count("<circle") == 3 and "<polyline" in trend
    assert f"{_score(scans / 'scan3/scan.json')[0]:.1f}" in trend and f"{_score(scans / 'scan1/scan.json')[0]:.1f}" in trend
    plain = run_mlps("report", str(scans / "scan3/scan.json"), "--format", "html", "-o", str(tmp_path / "plain"))
    assert plain.returncode == 0 and 'class="chart trend"' not in (tmp_path / "plain/report.html").read_text()


def test_a_scan_with_history_records_the_trend(scans, tmp_path):
    out = tmp_path / "now"
    r = run_mlps("scan", "--configs", str(CONFIGS / "huawei_vrp/hardened_s5735_v200r019.cfg"), "-o", str(out), "-q",
                 "--history", str(scans))
    assert r.returncode == 0, r.stderr
    history = json.loads((out / "scan.json").read_text(encoding="utf-8"))["history"]
    assert len(history) == 4 and history[-1]["source"].endswith("now")
    assert [h["started_at"] for h in history] == sorted(h["started_at"] for h in history)


def test_history_of_a_missing_folder_is_bad_input(tmp_path):
    r = run_mlps("history", str(tmp_path / "nope"))
    assert r.returncode == 2 and "not a folder" in r.stderr and "Traceback" not in r.stderr
