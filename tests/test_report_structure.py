"""Issue 12, must-haves 1, 4 and 7 on the demo lab as a user runs it (`mlps scan --raw … --system FILE`): the
assessor's chapters in the HTML, the PDF and the XLSX, the same problem IDs everywhere, the evidence of failures,
high risks and passes in the PDF, and the long 测评记录 sheet."""
from __future__ import annotations

import re
import subprocess

import pytest

from reports.labels import CHAPTERS
from reports.problems import problem_list
from reports.views import shown_evidence

from conftest import ROOT, run_mlps

LAB = ROOT / "scanner" / "lab" / "data" / "raw"
SYSTEM = """\
被测单位: 某市公共资源交易中心
系统名称: 电子交易平台
等级: 3
备案号: 41010099999-20001
报告编号: 41010099999-20001-26-0001-01
测评时间: 2026-11-02
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("r12")
    (d / "system.yaml").write_text(SYSTEM, encoding="utf-8")
    r = run_mlps("scan", "--raw", str(LAB), "-o", str(d / "out"), "--format", "json,html,pdf,xlsx",
                 "--system", str(d / "system.yaml"), "-q")
    assert r.returncode == 0, r.stderr
    return d / "out"


@pytest.fixture(scope="module")
def result(out):
    from reports.json_report import read_json
    return read_json(out / "scan.json")


@pytest.fixture(scope="module")
def pdf_text(out) -> str:
    return subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_every_chapter_in_html_pdf_and_xlsx_in_order(out, pdf_text):
    from openpyxl import load_workbook
    from pypdf import PdfReader
    page = (out / "report.html").read_text(encoding="utf-8")
    at = [page.find(f'id="{anchor}"') for anchor, _, _ in CHAPTERS]
    assert all(i >= 0 for i in at) and at == sorted(at), dict(zip([c[0] for c in CHAPTERS], at))
    names = [zh for _, zh, _ in CHAPTERS]
    text = "\n".join(p.extract_text() or "" for p in PdfReader(out / "report.pdf").pages)
    body = text.split(names[-1], 1)[1]                      # past the contents list, which names them all
    starts = [text.find("\n" + n) if i else text.find(L_COVER) for i, n in enumerate(names)]
    assert all(s >= 0 for s in starts) and starts == sorted(starts), dict(zip(names, starts))
    assert body and "网络安全等级测评报告" in text
    wb = load_workbook(out / "report.xlsx", read_only=True)
    assert wb.sheetnames[:len(names)] == names
    wb.close()


L_COVER = "网络安全等级测评报告"


def test_cover_block_comes_from_the_system_file(out, result, pdf_text):
    from openpyxl import load_workbook
    assert result.system.organisation == "某市公共资源交易中心" and result.system.assessed_period == "2026-11-02"
    page = (out / "report.html").read_text(encoding="utf-8")
    for value in ("某市公共资源交易中心", "电子交易平台", "41010099999-20001-26-0001-01", "2026-11-02"):
        assert value in page and value in pdf_text
    assert '<td data-cover="assessor"><span class="blank">' in page         # a field left out is a visible blank
    wb = load_workbook(out / "report.xlsx", read_only=True)
    cover = {r[0]: r[1] for r in wb["封面"].iter_rows(values_only=True) if r and len(r) > 1}
    assert cover["被测单位"] == "某市公共资源交易中心" and cover["测评单位"] == "（待填写）"
    wb.close()


def test_problem_ids_are_the_same_in_every_format(out, result, pdf_text):
    from openpyxl import load_workbook
    problems = problem_list(result)
    want = [(p.id, p.check) for p in problems]
    assert len(want) > 10 and [p.id for p in problems] == [f"P-{i:03d}" for i in range(1, len(problems) + 1)]
    page = (out / "report.html").read_text(encoding="utf-8")
    html_ids = re.findall(r'data-problem="(P-\d+)"', page)
    assert html_ids == [i for i, _ in want]
    wb = load_workbook(out / "report.xlsx", read_only=True)
    rows = list(wb["附录A 问题清单"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [i for i, _ in want]
    assert [r[1] for r in rows] == [p.title_zh for p in problems]
    # the 测评记录 sheet names, on every failed check's row, the problem of that check
    by_check = dict((c, i) for i, c in want)
    records = list(wb["附录B 测评记录"].iter_rows(min_row=2, values_only=True))
    for a in result.assets:
        for c in a.controls:
            fails = [by_check[k] for k in c.checks if next(f for f in a.findings if f.check == k).status == "fail"]
            row = next(r for r in records if r[0] == a.name and r[9] == c.id)
            assert (row[16] or "").split() == fails, (a.name, c.id)
    wb.close()
    layout = subprocess.run(["pdftotext", "-layout", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout
    appendix = layout.split("附录A 问题清单 (")[-1].split("附录B 测评记录")[0]
    pdf_rows = re.findall(r"^\s*(P-\d{3})\s{2,}\S", appendix, re.M)      # the first column of each row
    assert pdf_rows == [i for i, _ in want]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _shown(line: str, text: str) -> bool:
    """A line of evidence is in the PDF's text: a long line wraps (at a hyphen, a tab stop), and text extraction
    may put the next table cell in between, so its first words are looked for one by one."""
    return all(w[:16] in text for w in line.split()[:3])


def test_pdf_carries_the_evidence_of_failures_high_risks_and_passes(result, pdf_text):
    text = pdf_text
    checked = {"fail": 0, "pass": 0, "high": 0, "missing": 0}
    for a in result.assets:
        for f in a.findings:
            if f.status.value not in ("fail", "pass"):
                continue
            shown, looked = shown_evidence(f, 4)
            for e in shown[:1]:      # a long line wraps, and text extraction may put the next cell in between
                assert _shown(e.text, text) and (not e.line or f"{e.line}:" in text), (a.name, f.check, e)
                checked[f.status.value] += 1
            if looked:
                assert _shown(f"配置中未找到: {looked}", text), (a.name, f.check)
                checked["missing"] += 1
        for h in a.high_risks:
            for e in h.evidence[:1]:
                assert _shown(e.text, text)
                checked["high"] += 1
    assert min(checked.values()) > 5, checked
    assert not re.search(r"^\d+: [#!]$", pdf_text, re.M)                   # a separator line is no evidence


def test_long_record_sheet_has_the_assessor_columns_and_a_filter(out, result):
    from openpyxl import load_workbook
    wb = load_workbook(out / "report.xlsx")
    ws = wb["附录B 测评记录"]
    assert [c.value for c in ws[1]] == ["测评对象", "对象类型", "平台", "型号", "软件版本", "区域", "重要性", "安全层面",
                                        "安全控制点", "测评项", "测评指标", "测评方法", "结果记录", "符合程度", "分值",
                                        "权重", "问题编号"]
    assert ws.auto_filter.ref == f"A1:Q{ws.max_row}" and ws.freeze_panes == "B2"
    assert ws.max_row - 1 == sum(len(a.controls) for a in result.assets)
    scores = {"符合": 1, "部分符合": 0.5, "不符合": 0}
    for row in ws.iter_rows(min_row=2, values_only=True):
        assert row[14] == scores.get(row[13]), row[:14]
        assert row[11] == "访谈、文档审查、现场核查（人工）" or row[11].startswith("工具核查") or row[11] == "—"
    for name in ("2 被测对象", "3 单项测评结果", "4 整体测评", "5 安全问题风险分析", "7 整改建议", "附录A 问题清单"):
        assert wb[name].max_row > 2, name
    assert len(wb.sheetnames) == len(CHAPTERS) + len(result.assets)         # 11 assets: one sheet each


def test_no_sheet_per_asset_above_fifty_assets(tmp_path, ctx):
    from datetime import datetime, timezone
    from openpyxl import load_workbook
    from reports import render
    from scanner.engine import build_result
    from scanner.live import scan_raw
    base = scan_raw(LAB, ctx).assets
    assets = [base[i % len(base)].model_copy(update={"name": f"a{i:02d}"}) for i in range(51)]
    (path,) = render(build_result(assets, ctx, datetime.now(timezone.utc)), ["xlsx"], tmp_path)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [zh for _, zh, _ in CHAPTERS]
    assert sum(1 for _ in wb["附录B 测评记录"].iter_rows()) == 1 + sum(len(a.controls) for a in assets)
    wb.close()


def test_pdf_carries_each_device_fix_script(result, pdf_text):
    """Must-have 3 in the filed format: the PDF holds each device's script as fix/<asset>.txt has it (its own
    release's syntax, known values filled in), not only the platform's generic commands per check."""
    from reports.fixscript import fix_script
    scripts = {a.name: fix_script(a, result) for a in result.assets}
    scripts = {n: s for n, s in scripts.items() if s}
    assert len(scripts) >= 4
    flat = " ".join(pdf_text.split())
    for name, script in scripts.items():
        assert f"fix script for {name}" in flat, name
        filled = [ln.strip() for ln in script.splitlines() if ln.startswith("info-center loghost ")
                  or ln.startswith("logging host ")]
        for ln in filled[:1]:
            assert ln in flat, (name, ln)


def test_a_list_of_items_wraps_between_items(out):
    """Found in the PDF of the end-to-end pass: a problem serving several items kept them on one unbreakable line,
    which ran over the next column. Each item id stays whole, the list wraps between them."""
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.findall(r'<td class="nowrap">\d+(?:\.\d+)+\.[a-z] \d', page)
    assert re.search(r'<span class="nowrap">8\.1\.\d+\.\d+\.[a-z]</span> <span class="nowrap">8\.1', page)
