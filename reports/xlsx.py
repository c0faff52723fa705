"""report.xlsx for assessors: one sheet per chapter of the report, in the report's order (封面 … 附录C), with the long
测评记录 sheet (asset × item, autofiltered) as 附录B, and one sheet per asset while there are at most
PER_ASSET_SHEETS_UP_TO assets. Every number comes from reports.figures and every problem ID from reports.problems,
as in the HTML and the PDF. Written in openpyxl's write-only mode (1 000 assets × 211 items stay fast and small)."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.figures import figures
from reports.labels import CHAPTERS, FIX_LABELS, IMPORTANCE_LABELS, KIND_LABELS, LABELS, RISK_LABELS
from reports.problems import major_risk_rows, problem_list
from reports.safe import cell_value, clean_text
from reports.views import upgrade_plan
from reports.xlsx_sheets import asset_sheet, manager_rows, records_sheet
from reports.manager import manager_page
from scanner.catalog import load_catalog
from scanner.model import ITEM_RESULT_ZH, ItemResult, ScanResult
from scanner.safeio import open_private

PER_ASSET_SHEETS_UP_TO = 50
HEAD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FILL = {r.value: PatternFill("solid", fgColor=c) for r, c in {
    ItemResult.COMPLIANT: "D1F2D9", ItemResult.PARTIAL: "FFE8B3", ItemResult.NONCOMPLIANT: "FBD5D5",
    ItemResult.MANUAL: "FFF6D0", ItemResult.ERROR: "E6DCF5", ItemResult.NOT_APPLICABLE: "EEEEEE"}.items()}
RL = {r.value: zh for r, zh in ITEM_RESULT_ZH.items()}
L = LABELS["zh"]


class Sheet:
    """A write-only sheet with the few things the report needs: a header row, widths, wrapped cells, fills."""

    def __init__(self, wb: Workbook, title: str):
        self.ws = wb.create_sheet(title)
        self.rows = 0

    def widths(self, widths: list[int]) -> Sheet:
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        return self

    def row(self, values: list, head: bool = False, fill: dict[int, str] | None = None) -> None:
        """Every row goes through here: device text becomes a cell that no spreadsheet reads as a formula."""
        cells = []
        for i, v in enumerate(values):
            wrap = isinstance(v, str) and ("\n" in v or len(v) > 40)
            filled = fill is not None and i in fill and fill[i] in FILL
            if not (head or wrap or filled):
                cells.append(cell_value(v))          # a plain value: no cell object, no style (fast at 200k cells)
                continue
            c = WriteOnlyCell(self.ws, value=cell_value(v))
            if head:
                c.font = HEAD
            elif wrap:
                c.alignment = WRAP
            if filled:
                c.fill = FILL[fill[i]]
            cells.append(c)
        self.ws.append(cells)
        self.rows += 1

    def table(self, header: list[str], widths: list[int] | None = None, freeze: str = "A2") -> None:
        """The header row; in write-only mode widths and frozen panes must be set before the first row."""
        if widths:
            self.widths(widths)
        if not self.rows:
            self.ws.freeze_panes = freeze
        self.row(header, head=True)


def write_xlsx(result: ScanResult, path: Path) -> Path:
    cat = load_catalog()
    fig = figures(result, cat)
    problems = problem_list(result)
    ids = {p.check: p.id for p in problems}
    wb = Workbook(write_only=True)
    names = {anchor: zh for anchor, zh, _ in CHAPTERS}
    _cover(Sheet(wb, names["cover"]), result)
    _overview(Sheet(wb, names["overview"]), result, fig)
    _objects(Sheet(wb, names["objects"]), result)
    _control_points(Sheet(wb, names["results"]), fig)
    _overall(Sheet(wb, names["overall"]), result, ids)
    _risks(Sheet(wb, names["risks"]), result, problems, ids)
    _conclusion(Sheet(wb, names["conclusion"]), result, fig)
    _remediation(Sheet(wb, names["remediation"]), result, problems)
    _problems(Sheet(wb, names["problems"]), problems)
    records_sheet(Sheet(wb, names["records"]), result, cat, ids)
    _items(Sheet(wb, names["items"]), result, cat)
    if len(result.assets) <= PER_ASSET_SHEETS_UP_TO:
        used = {n.lower() for n in names.values()}
        for a in result.assets:
            asset_sheet(Sheet(wb, _sheet_name(a.name, used)), a, cat, ids)
    with open_private(path) as f:
        wb.save(f)
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel also refuses a sheet name that starts or ends with an apostrophe.
    base = re.sub(r"[\[\]:*?/\\]", "_", clean_text(name))[:28].strip("'") or "asset"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:25]}~{n}"
    used.add(candidate.lower())
    return candidate


def _cover(s: Sheet, r: ScanResult) -> None:
    s.widths([18, 60])
    sy = r.system
    s.row([L["report_title"]], head=True)
    s.row([L["title"]])
    for key, value in (("org", sy and sy.organisation), ("system_name", sy and sy.system_name),
                       ("level", L["level3"]), ("filing_no", sy and sy.filing_no), ("report_no", sy and sy.report_no),
                       ("period", sy and sy.assessed_period), ("assessor", sy and sy.assessor)):
        s.row([L[key], value or L["blank"]])
    m = r.meta
    s.row([L["generated"], m.finished_at.strftime("%Y-%m-%d %H:%M:%S UTC")])
    s.row([L["tool"], f"{m.tool} {m.tool_version}"])
    s.row([L["catalog"], f"{m.catalog} {m.catalog_version}"])
    s.row([L["policy"], m.policy])


def _overview(s: Sheet, r: ScanResult, fig) -> None:
    s.widths([22, 100])
    sc = r.score
    if sc is not None and sc.overall is not None:
        s.row([L["score"], sc.overall])
        s.row([L["conclusion"], sc.conclusion])
    elif sc is not None:             # nothing assessed: no score, no conclusion (never 0.00 -> 差)
        s.row([L["score"], L["no_score"]])
        s.row([L["conclusion"], L["no_score"]])
    for label, n in ((L["assets_total"], fig.assets), (L["assets_assessed"], fig.assessed_assets),
                     (L["assets_failed"], fig.not_assessed_assets),
                     *((RL[k], fig.by_result[k]) for k in RL), (L["items_scored"], fig.scored),
                     (L["hr_unresolved"], fig.high_risk_unresolved)):
        s.row([label, n])
    s.row([])
    tally = L["tally"].format(total=fig.total, scored=fig.scored, scored_manual=fig.scored_manual,
                              automated=fig.automated, unautomated=fig.unautomated,
                              manual_unautomated=fig.manual_unautomated, **fig.by_result)
    for key, text in (("purpose", L["purpose_text"]), ("basis", L["basis_text"]),
                      ("scope", L["scope_text"].format(assets=fig.assets, assessed=fig.assessed_assets,
                                                       failed=fig.not_assessed_assets)),
                      ("method", L["method_text"]), ("coverage", tally)):
        s.row([L[key], text])


def _objects(s: Sheet, r: ScanResult) -> None:
    s.table([L["asset"], L["kind"], L["platform"], L["model"], L["version"], L["zone"], L["importance"], L["role"],
             L["status"], *RL.values(), L["high_risks"], L["unread"]], [22, 10, 12, 18, 24, 12, 8, 12, 24] + [8] * 8,
            "B2")
    kinds, imp = KIND_LABELS["zh"], IMPORTANCE_LABELS["zh"]
    for a in r.assets:
        counts = {k: sum(c.result.value == k for c in a.controls) for k in RL}
        s.row([a.name, kinds.get(a.kind, a.kind), a.platform, a.model, a.software_version, a.zone,
               imp.get(a.importance or "", a.importance), a.role,
               L["assessed"] if a.status.value == "assessed" else f"{L['not_assessed']}：{a.reason}",
               *counts.values(), len({h.id for h in a.high_risks}), a.parse.unrecognized_count if a.parse else None])
    s.ws.auto_filter.ref = f"A1:{get_column_letter(9 + len(RL) + 2)}{s.rows}"


def _control_points(s: Sheet, fig) -> None:
    s.table([L["layer"], L["control_point"], L["items_n"], *RL.values(), L["cp_verdict"], L["cp_score"]],
            [18, 26, 8] + [8] * 6 + [12, 12])
    for layer in fig.layers:
        for p in layer.points:
            s.row([f"{layer.id} {layer.name_zh}", f"{p.id} {p.name_zh}", len(p.items),
                   *(p.results.get(k, 0) for k in RL), RL[p.verdict], p.score], fill={9: p.verdict})
        s.row([f"{layer.id} {layer.name_zh}", L["layer_score"], None, *([None] * 6), None, layer.score], head=True)
    s.ws.auto_filter.ref = f"A1:K{s.rows}"


def _overall(s: Sheet, r: ScanResult, ids: dict[str, str]) -> None:
    s.table([L["problem_id"], L["check"], L["indicator"], L["result"], L["record"], L["fix"]], [9, 30, 24, 12, 60, 40])
    check = {"pass": "通过", "fail": "未通过", "manual": "需人工核查", "not_applicable": "不适用", "error": "未能评估"}
    for f in r.fleet:
        s.row([ids.get(f.check, ""), f"{f.title_zh} ({f.check})", " ".join(f.controls), check[f.status.value],
               f.reason_zh, f.recommendation or ""])
    s.row([])
    s.row([L["waivers"], "#", L["case"], L["reason"], L["status"], L["corrected"]], head=True)
    if not r.waivers:
        s.row([L["no_waivers"]])
    for w in r.waivers:
        scope = " ".join(f"{k}={v}" for k, v in w.scope.items())
        s.row([f"{w.kind} {scope}", w.index, w.high_risk or "", f"{w.reason} ({w.approver}, {w.expires})", w.status,
               f"{L['compensated']} ×{w.matched}" if w.status == "active" and w.matched else
               L["expired_waiver"] if w.status == "expired" else ""])


def _risks(s: Sheet, r: ScanResult, problems, ids: dict[str, str]) -> None:
    s.table([L["asset"], L["case"], L["high_risks"], L["check"], L["problem_id"], L["compensation"], L["evidence"]],
            [20, 10, 40, 28, 9, 24, 70])
    for a in r.assets:
        for h in a.high_risks:
            comp = (L["compensated"] if h.compensated else L["expired_waiver"] if h.waiver and h.waiver.expired
                    else "")
            ev = "\n".join(f"{e.line}: {e.text}" if e.line else e.text for e in h.evidence[:3])
            s.row([a.name, h.id, h.title_zh, h.check, ids.get(h.check, ""), comp, ev])
    s.ws.auto_filter.ref = f"A1:G{s.rows}"
    s.row([])
    s.row([L["trigger"], L["major_risks"], L["case"], L["problem_id"], L["assets"]], head=True)
    for t, d, ps, names in major_risk_rows(problems):
        s.row([t, d["zh"], " ".join(d["cases"]), " ".join(p.id for p in ps), "、".join(names)])
    s.row([L["major_note"]])


def _conclusion(s: Sheet, r: ScanResult, fig) -> None:
    s.widths([34, 12, 14, 34, 12])
    if r.score and r.score.overall is not None:
        s.row([L["score"], r.score.overall, L["conclusion"], r.score.conclusion])
    elif r.score:
        s.row([L["score"], L["no_score"], L["conclusion"], L["no_score"]])
    s.row([L["formula"]])
    s.row([f"{L['layer']} / {L['control_point']}", L["weight_sum"], L["weighted"], L["computation"], L["score"]],
          head=True)
    for layer in fig.layers:
        if layer.score is None:
            continue
        for p in layer.points:
            if p.score is not None:
                s.row([f"{p.id} {p.name_zh}", p.weight_sum, p.weighted, f"{p.weighted:.4f} / {p.weight_sum:.2f} × 10",
                       p.score])
        s.row([f"{layer.id} {layer.name_zh} — {L['layer_score']}", layer.weight_sum, layer.weighted,
               f"100 × {layer.weighted:.4f} / {layer.weight_sum:.2f}", layer.score], head=True)
    if fig.overall is not None:
        s.row([L["overall_score"], fig.weight_sum, fig.weighted, f"100 × {fig.weighted:.4f} / {fig.weight_sum:.2f}",
               fig.overall], head=True)


def _remediation(s: Sheet, r: ScanResult, problems) -> None:
    s.widths([20, 18, 22, 14, 22, 40, 30, 40, 60])
    manager_rows(s, manager_page(r))        # the manager's page first, then the plan per device
    s.row([])
    s.row([L["asset"], L["action"], L["importance"], L["model"], L["version"], L["by_hardware"], L["by_firmware"],
           L["by_config"]], head=True)
    imp = IMPORTANCE_LABELS["zh"]
    for p in upgrade_plan(r):
        s.row([p.asset, L["act_" + p.action], imp.get(p.importance or "", p.importance), p.model, p.release,
               "；".join(p.hardware), "；".join(p.firmware), "；".join(p.config)])
    s.row([])
    s.row([L["problem_id"], L["platform"], L["problem"], L["fix_kind"], L["fix"]], head=True)
    for p in problems:
        for platform, text in p.fixes.items():
            s.row([p.id, platform if platform != "*" else "", p.title_zh, FIX_LABELS["zh"][p.fix_kind], text])


def _problems(s: Sheet, problems) -> None:
    s.table([L["problem_id"], L["problem"], L["record"], L["items_col"], L["assets"], L["risk"], L["case"],
             L["trigger"], L["evidence"], L["fix_kind"]], [9, 30, 40, 20, 40, 6, 14, 10, 70, 12], "B2")
    for p in problems:
        ev = [f"{name} {e.line}: {e.text}" if e.line else f"{name} {e.text}" for name, e in p.evidence[:6]]
        if p.looked_for:
            ev.append(f"{L['not_found']}: {p.looked_for}")
        said = f"{L['expected']}：{p.expected_zh}\n{L['actual']}：{p.reason_zh}" if p.expected_zh else p.reason_zh
        s.row([p.id, p.title_zh, said, " ".join(p.items), "、".join(p.assets), RISK_LABELS["zh"][p.risk],
               " ".join(p.high_risk_cases), " ".join(p.major_risks), "\n".join(ev), FIX_LABELS["zh"][p.fix_kind]])
    s.ws.auto_filter.ref = f"A1:J{s.rows}"


def _items(s: Sheet, r: ScanResult, cat) -> None:
    s.table(["ID", L["control_point"], L["indicator"], L["weight"], L["automated"], L["result"]], [12, 16, 70, 8, 8, 12])
    for si in r.items:
        it = cat.item(si.id)
        s.row([si.id, it.control_point_zh, it.text_zh, it.weight, L["yes"] if si.automated else L["no"],
               RL[si.result.value]], fill={5: si.result.value})
    s.ws.auto_filter.ref = f"A1:F{s.rows}"



