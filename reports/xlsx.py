"""report.xlsx for assessors: one sheet per chapter of the report, in the report's order (封面 … 附录C), with the long
测评记录 sheet (asset × item, autofiltered) as 附录B, and one sheet per asset while there are at most
PER_ASSET_SHEETS_UP_TO assets. Every number comes from reports.figures, every problem ID from reports.problems and
every word from reports.labels (Chinese by default, English with --lang en), as in the HTML and the PDF. Written in
openpyxl's write-only mode (1 000 assets × 211 items stay fast and small)."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.figures import figures
from reports.labels import Words, words
from reports.problems import major_risk_rows, problem_list
from reports.safe import cell_value, clean_text
from reports.views import upgrade_plan
from reports.xlsx_sheets import asset_sheet, manager_rows, records_sheet
from reports.manager import manager_page
from scanner.catalog import load_catalog
from scanner.model import ItemResult, ScanResult
from scanner.safeio import open_private

PER_ASSET_SHEETS_UP_TO = 50
HEAD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FILL = {r.value: PatternFill("solid", fgColor=c) for r, c in {
    ItemResult.COMPLIANT: "D1F2D9", ItemResult.PARTIAL: "FFE8B3", ItemResult.NONCOMPLIANT: "FBD5D5",
    ItemResult.MANUAL: "FFF6D0", ItemResult.ERROR: "E6DCF5", ItemResult.NOT_APPLICABLE: "EEEEEE"}.items()}


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


def write_xlsx(result: ScanResult, path: Path, lang: str = "zh") -> Path:
    cat = load_catalog()
    fig = figures(result, cat)
    problems = problem_list(result)
    ids = {p.check: p.id for p in problems}
    wb = Workbook(write_only=True)
    w = words(lang)
    names = w.chapters
    _cover(Sheet(wb, names["cover"]), result, w)
    _overview(Sheet(wb, names["overview"]), result, fig, w)
    _objects(Sheet(wb, names["objects"]), result, w)
    _control_points(Sheet(wb, names["results"]), fig, w)
    _overall(Sheet(wb, names["overall"]), result, ids, w)
    _risks(Sheet(wb, names["risks"]), result, problems, ids, w)
    _conclusion(Sheet(wb, names["conclusion"]), result, fig, w)
    _remediation(Sheet(wb, names["remediation"]), result, problems, w)
    _problems(Sheet(wb, names["problems"]), problems, w)
    records_sheet(Sheet(wb, names["records"]), result, cat, ids, w)
    _items(Sheet(wb, names["items"]), result, cat, w)
    if len(result.assets) <= PER_ASSET_SHEETS_UP_TO:
        used = {n.lower() for n in names.values()}
        for a in result.assets:
            asset_sheet(Sheet(wb, _sheet_name(a.name, used)), a, cat, ids, w)
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


def _cover(s: Sheet, r: ScanResult, w: Words) -> None:
    L = w.L
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


def _overview(s: Sheet, r: ScanResult, fig, w: Words) -> None:
    L, RL = w.L, w.result
    s.widths([22, 100])
    sc = r.score
    if sc is not None and sc.overall is not None:
        s.row([L["score"], sc.overall])
        s.row([L["conclusion"], w.pick(sc.conclusion, sc.conclusion_en)])
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


def _objects(s: Sheet, r: ScanResult, w: Words) -> None:
    L, RL = w.L, w.result
    s.table([L["asset"], L["kind"], L["platform"], L["model"], L["version"], L["zone"], L["importance"], L["role"],
             L["status"], *RL.values(), L["high_risks"], L["unread"]], [22, 10, 12, 18, 24, 12, 8, 12, 24] + [8] * 8,
            "B2")
    kinds, imp = w.kind, w.importance
    for a in r.assets:
        counts = {k: sum(c.result.value == k for c in a.controls) for k in RL}
        s.row([a.name, kinds.get(a.kind, a.kind), a.platform, a.model, a.software_version, a.zone,
               imp.get(a.importance or "", a.importance), a.role,
               L["assessed"] if a.status.value == "assessed" else f"{L['not_assessed']}{w.sheet['colon']}{a.reason}",
               *counts.values(), len({h.id for h in a.high_risks}), a.parse.unrecognized_count if a.parse else None])
    s.ws.auto_filter.ref = f"A1:{get_column_letter(9 + len(RL) + 2)}{s.rows}"


def _control_points(s: Sheet, fig, w: Words) -> None:
    L, RL = w.L, w.result
    s.table([L["layer"], L["control_point"], L["items_n"], *RL.values(), L["cp_verdict"], L["cp_score"]],
            [18, 26, 8] + [8] * 6 + [12, 12])
    for layer in fig.layers:
        name = f"{layer.id} {w.pick(layer.name_zh, layer.name_en)}"
        for p in layer.points:
            s.row([name, f"{p.id} {w.pick(p.name_zh, p.name_en)}", len(p.items),
                   *(p.results.get(k, 0) for k in RL), RL[p.verdict], p.score], fill={9: p.verdict})
        s.row([name, L["layer_score"], None, *([None] * 6), None, layer.score], head=True)
    s.ws.auto_filter.ref = f"A1:K{s.rows}"


def _overall(s: Sheet, r: ScanResult, ids: dict[str, str], w: Words) -> None:
    L = w.L
    s.table([L["problem_id"], L["check"], L["indicator"], L["result"], L["record"], L["fix"]], [9, 30, 24, 12, 60, 40])
    for f in r.fleet:
        s.row([ids.get(f.check, ""), f"{w.pick(f.title_zh, f.title_en)} ({f.check})", " ".join(f.controls),
               w.check[f.status.value], w.pick(f.reason_zh, f.reason_en),
               w.pick(f.recommendation, f.recommendation_en) or ""])
    s.row([])
    s.row([L["waivers"], "#", L["case"], L["reason"], L["status"], L["corrected"]], head=True)
    if not r.waivers:
        s.row([L["no_waivers"]])
    for wv in r.waivers:
        scope = " ".join(f"{k}={v}" for k, v in wv.scope.items())
        s.row([f"{wv.kind} {scope}", wv.index, wv.high_risk or "", f"{wv.reason} ({wv.approver}, {wv.expires})",
               wv.status, f"{L['compensated']} ×{wv.matched}" if wv.status == "active" and wv.matched else
               L["expired_waiver"] if wv.status == "expired" else ""])


def _risks(s: Sheet, r: ScanResult, problems, ids: dict[str, str], w: Words) -> None:
    L = w.L
    s.table([L["asset"], L["case"], L["high_risks"], L["check"], L["problem_id"], L["compensation"], L["evidence"]],
            [20, 10, 40, 28, 9, 24, 70])
    for a in r.assets:
        for h in a.high_risks:
            comp = (L["compensated"] if h.compensated else L["expired_waiver"] if h.waiver and h.waiver.expired
                    else "")
            ev = "\n".join(f"{e.line}: {e.text}" if e.line else e.text for e in h.evidence[:3])
            s.row([a.name, h.id, w.pick(h.title_zh, h.title_en), h.check, ids.get(h.check, ""), comp, ev])
    s.ws.auto_filter.ref = f"A1:G{s.rows}"
    s.row([])
    s.row([L["trigger"], L["major_risks"], L["case"], L["problem_id"], L["assets"]], head=True)
    for t, d, ps, names in major_risk_rows(problems):
        s.row([t, w.pick(d["zh"], d.get("en")), " ".join(d["cases"]), " ".join(p.id for p in ps), L["sep"].join(names)])
    s.row([L["major_note"]])


def _conclusion(s: Sheet, r: ScanResult, fig, w: Words) -> None:
    L = w.L
    s.widths([34, 12, 14, 34, 12])
    if r.score and r.score.overall is not None:
        s.row([L["score"], r.score.overall, L["conclusion"], w.pick(r.score.conclusion, r.score.conclusion_en)])
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
                s.row([f"{p.id} {w.pick(p.name_zh, p.name_en)}", p.weight_sum, p.weighted,
                       f"{p.weighted:.4f} / {p.weight_sum:.2f} × 10", p.score])
        s.row([f"{layer.id} {w.pick(layer.name_zh, layer.name_en)} — {L['layer_score']}", layer.weight_sum,
               layer.weighted, f"100 × {layer.weighted:.4f} / {layer.weight_sum:.2f}", layer.score], head=True)
    if fig.overall is not None:
        s.row([L["overall_score"], fig.weight_sum, fig.weighted, f"100 × {fig.weighted:.4f} / {fig.weight_sum:.2f}",
               fig.overall], head=True)


def _remediation(s: Sheet, r: ScanResult, problems, w: Words) -> None:
    L = w.L
    s.widths([20, 18, 22, 14, 22, 40, 30, 40, 60])
    manager_rows(s, manager_page(r), w)     # the manager's page first, then the plan per device
    s.row([])
    s.row([L["asset"], L["action"], L["importance"], L["model"], L["version"], L["by_hardware"], L["by_firmware"],
           L["by_config"]], head=True)
    for p in upgrade_plan(r):
        said = p.en if w.lang == "en" else {"hardware": p.hardware, "firmware": p.firmware, "config": p.config}
        s.row([p.asset, L["act_" + p.action], w.importance.get(p.importance or "", p.importance), p.model, p.release,
               *(L["semi"].join(said.get(k) or []) for k in ("hardware", "firmware", "config"))])
    s.row([])
    s.row([L["problem_id"], L["platform"], L["problem"], L["fix_kind"], L["fix"]], head=True)
    for p in problems:
        for platform, text in p.fixes.items():
            text = p.fix_en if platform == "*" and w.lang == "en" and p.fix_en else text
            s.row([p.id, platform if platform != "*" else "", w.pick(p.title_zh, p.title_en), w.fix[p.fix_kind], text])


def _problems(s: Sheet, problems, w: Words) -> None:
    L, c = w.L, w.sheet["colon"]
    s.table([L["problem_id"], L["problem"], L["record"], L["items_col"], L["assets"], L["risk"], L["case"],
             L["trigger"], L["evidence"], L["fix_kind"]], [9, 30, 40, 20, 40, 6, 14, 10, 70, 12], "B2")
    for p in problems:
        ev = [f"{name} {e.line}: {e.text}" if e.line else f"{name} {e.text}" for name, e in p.evidence[:6]]
        if p.looked_for:
            ev.append(f"{L['not_found']}: {w.pick(p.looked_for, p.looked_for_en)}")
        reason = w.pick(p.reason_zh, p.reason_en)
        said = (f"{L['expected']}{c}{w.pick(p.expected_zh, p.expected_en)}\n{L['actual']}{c}{reason}" if p.expected_zh
                else reason)
        s.row([p.id, w.pick(p.title_zh, p.title_en), said, " ".join(p.items), L["sep"].join(p.assets), w.risk[p.risk],
               " ".join(p.high_risk_cases), " ".join(p.major_risks), "\n".join(ev), w.fix[p.fix_kind]])
    s.ws.auto_filter.ref = f"A1:J{s.rows}"


def _items(s: Sheet, r: ScanResult, cat, w: Words) -> None:
    L = w.L
    s.table(["ID", L["control_point"], L["indicator"], L["weight"], L["automated"], L["result"]], [12, 16, 70, 8, 8, 12])
    for si in r.items:
        it = cat.item(si.id)
        s.row([si.id, w.pick(it.control_point_zh, it.control_point_en), w.pick(it.text_zh, it.text_en), it.weight,
               L["yes"] if si.automated else L["no"], w.result[si.result.value]], fill={5: si.result.value})
    s.ws.auto_filter.ref = f"A1:F{s.rows}"
