"""Issue 12, must-have 3 (last part): expected value beside actual value for every failed check, as compliance
scanners show them, in scan.json, the HTML, the PDF and the XLSX; thresholds come from the policy the scan used."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from reports import render
from reports.expected import EXPECTED_FILE, fill_expectations, placeholders, wordings
from reports.json_report import read_json
from scanner.engine import ScanContext
from scanner.model import CheckStatus
from scanner.policy import Policy

from conftest import ROOT, run_mlps

LAB = ROOT / "scanner" / "lab" / "data" / "raw"


def _scan(policy: Policy | None = None):
    from scanner.live import scan_raw
    return scan_raw(LAB, ScanContext.default(policy=policy))


def _failed(result):
    return [(a.name, f) for a in result.assets for f in a.findings if f.status == CheckStatus.FAIL]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("expected")
    render(_scan(), ["json", "html", "xlsx", "pdf"], out)
    return out


def test_every_failed_check_in_scan_json_has_expected_and_actual(written):
    data = json.loads((written / "scan.json").read_text(encoding="utf-8"))
    failed = [f for a in data["assets"] for f in a.get("findings", []) if f["status"] == "fail"]
    assert len(failed) > 50            # the fixtures fail many checks (100 at the time of writing)
    for f in failed:
        assert f["expected_zh"] and f["expected_en"] and f["actual_zh"] and f["actual_en"], f["check"]
        assert "{" not in f["expected_zh"] + f["expected_en"], f["check"]
    passed = [f for a in data["assets"] for f in a.get("findings", []) if f["status"] == "pass"]
    assert passed and not any(f["expected_zh"] for f in passed)     # only failures carry them
    assert data["meta"]["policy_values"]["idle_timeout_max_s"] == 600


def test_thresholds_are_the_policy_the_scan_used_and_survive_a_re_render(tmp_path):
    strict = Policy(name="strict", idle_timeout_max_s=300, password_max_age_days=30)
    result = _scan(strict)
    render(result, ["json"], tmp_path)
    timeout = [f for _, f in _failed(result) if f.check == "session_idle_timeout_set"]
    assert timeout and all("≤ 300 秒" in f.expected_zh and "≤ 300 s" in f.expected_en for f in timeout)
    assert all(re.search(r"\d+秒|永不超时", f.actual_zh) for f in timeout)      # the value found
    # `mlps report` re-renders from scan.json alone: the thresholds come from meta.policy_values, not the default
    again = read_json(tmp_path / "scan.json")
    for _, f in _failed(again):
        f.expected_zh = f.expected_en = f.actual_zh = f.actual_en = ""
    fill_expectations(again)
    expiry = [f for _, f in _failed(again) if f.check == "password_expiry_enforced"]
    assert expiry and all("≤ 30 天" in f.expected_zh for f in expiry)


def test_an_older_scan_json_without_thresholds_falls_back_to_the_checks_title():
    result = _scan(Policy(name="custom", idle_timeout_max_s=120))
    result.meta.policy_values = {}          # as written before the thresholds were recorded
    fill_expectations(result)
    timeout = [f for _, f in _failed(result) if f.check == "session_idle_timeout_set"]
    assert timeout and all(f.expected_zh == f.title_zh for f in timeout)       # never the default's 600


def test_a_failure_with_no_line_says_what_was_looked_for(written):
    result = read_json(written / "scan.json")
    ntp = [f for _, f in _failed(result) if f.check == "time_sync_configured" and not f.evidence]
    assert ntp and all("配置中未找到" in f.actual_zh and "not in the configuration" in f.actual_en for f in ntp)


def test_html_pdf_and_xlsx_show_expected_beside_actual(written):
    from openpyxl import load_workbook
    page = (written / "report.html").read_text(encoding="utf-8")
    result = read_json(written / "scan.json")
    n_failed = len(_failed(result))
    # a failed check is shown under each item it serves: once per (asset, item) pair
    shown = sum(len(f.controls) for _, f in _failed(result))
    assert page.count('<span class="ea"><span class="exp"><b>期望</b>') == shown > n_failed
    assert "每条登录线路（console/vty/aux）空闲超时 ≤ 600 秒" in page
    text = subprocess.run(["pdftotext", str(written / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("期望") >= n_failed and "实际" in text
    wb = load_workbook(written / "report.xlsx", read_only=True)
    records = [r[12] for r in wb["附录B 测评记录"].iter_rows(min_row=2, values_only=True) if r[12]]
    problems = [r[2] for r in wb["附录A 问题清单"].iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert sum(cell.count("[未通过]") for cell in records) == sum(cell.count("期望：") for cell in records) > 0
    assert all(cell.startswith("期望：") and "\n实际：" in cell for cell in problems if cell)


def test_english_report_uses_the_english_wording(tmp_path):
    r = run_mlps("scan", "--raw", str(LAB), "-o", str(tmp_path), "--format", "html", "--lang", "en", "-q")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<b>Expected</b> every login line (console/vty/aux) times out after ≤ 600 s" in page


def test_every_wording_names_a_check_and_only_policy_fields():
    from scanner.registry import discover
    ids = {c.id for c in discover().checks}
    fields = set(Policy.model_fields)
    for check, w in wordings().items():
        assert check in ids, f"{EXPECTED_FILE.name}: {check} is no check"
        assert set(w) == {"zh", "en"}, check
        assert placeholders(w["zh"]) <= fields and placeholders(w["en"]) <= fields, check
