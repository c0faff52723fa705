"""report.xlsx: the 测评记录表 workbook (openpyxl) — a summary sheet and one sheet per asset in the layout
assessors fill in: 安全控制点 | 测评指标 | 结果记录 | 符合程度 | 权重."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.safe import cell_value, clean_text
from scanner.catalog import load_catalog
from scanner.model import ITEM_RESULT_ZH, ItemResult, ScanResult
from scanner.safeio import open_private

FILL = {ItemResult.COMPLIANT: "D1F2D9", ItemResult.PARTIAL: "FFE8B3", ItemResult.NONCOMPLIANT: "FBD5D5",
        ItemResult.MANUAL: "FFF6D0", ItemResult.ERROR: "E6DCF5", ItemResult.NOT_APPLICABLE: "EEEEEE"}
HEAD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel also refuses a sheet name that starts or ends with an apostrophe.
    base = re.sub(r"[\[\]:*?/\\]", "_", clean_text(name))[:28].strip("'") or "asset"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:25]}~{n}"
    used.add(candidate.lower())
    return candidate


def _append(ws, values: list) -> None:
    """Every row goes through here: device text becomes a cell that no spreadsheet reads as a formula."""
    ws.append([cell_value(v) for v in values])


def _table(ws, header: list[str], widths: list[int]) -> None:
    _append(ws, header)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
        ws.cell(row=1, column=i).font = HEAD
    ws.freeze_panes = "A2"


def write_xlsx(result: ScanResult, path: Path) -> Path:
    cat = load_catalog()
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    s = result.score
    if s is not None and s.overall is not None:
        _append(ws, ["综合得分", s.overall, "结论", s.conclusion, "模板", s.template])
        _append(ws, ["已评估测评项", s.items_scored, "需人工核查", s.items_manual, "未能评估", s.items_unassessed])
        ws.append([])
    elif s is not None:          # nothing assessed: no score, no conclusion (never 0.00 -> 差)
        _append(ws, ["综合得分", "无法评分", "结论", "无法评分", "模板", s.template])
        _append(ws, ["已评估测评项", 0, "需人工核查", s.items_manual, "未能评估", s.items_unassessed])
        ws.append([])
    _table(ws, ["资产", "平台", "软件版本", "状态", "符合", "部分符合", "不符合", "需人工核查", "不适用", "高风险"],
           [22, 14, 22, 30, 8, 10, 8, 12, 8, 8])
    used: set[str] = {"汇总"}
    for a in result.assets:
        counts = {r: sum(c.result == r for c in a.controls) for r in ItemResult}
        _append(ws, [a.name, a.platform, a.software_version or "", "已评估" if a.status.value == "assessed"
                   else f"未能评估：{a.reason}", counts[ItemResult.COMPLIANT], counts[ItemResult.PARTIAL],
                   counts[ItemResult.NONCOMPLIANT], counts[ItemResult.MANUAL], counts[ItemResult.NOT_APPLICABLE],
                   len({h.id for h in a.high_risks})])
        sheet = wb.create_sheet(_sheet_name(a.name, used))
        _table(sheet, ["安全控制点", "测评指标", "结果记录", "符合程度", "权重", "测评项"], [14, 48, 70, 12, 8, 12])
        findings = {f.check: f for f in a.findings}
        for c in a.controls:
            item = cat.item(c.id)
            lines = []
            for k in c.checks:
                f = findings[k]
                lines.append(f"[{f.status.value}] {f.reason_zh}")
                lines += [f"  {e.line}: {e.text}" if e.line else f"  {e.text}" for e in f.evidence[:4]]
            record = "\n".join(lines) or c.reason_zh
            _append(sheet, [item.control_point_zh, item.text_zh, record, ITEM_RESULT_ZH[c.result], item.weight, c.id])
            row = sheet.max_row
            for col in range(1, 7):
                sheet.cell(row=row, column=col).alignment = WRAP
            sheet.cell(row=row, column=4).fill = PatternFill("solid", fgColor=FILL[c.result])
    with open_private(path) as f:
        wb.save(f)
    return path
