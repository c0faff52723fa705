"""The XLSX's record sheets: 附录B 测评记录 (one long, filterable table: asset × item, in the columns of an assessor's
测评记录表) and, for small scans, one sheet per asset."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from reports.labels import Words
from reports.views import shown_evidence
from scanner.catalog import Catalog
from scanner.model import Asset, CheckStatus, ControlResult, ScanResult
from scanner.scoring import templates

RECORD_WIDTHS = [20, 10, 12, 16, 20, 10, 8, 14, 14, 11, 48, 22, 70, 11, 7, 7, 12]


def item_score(result: str) -> float | None:
    """分值 of one object's item result, by the default template (符合 1, 部分符合 0.5, 不符合 0; others none)."""
    t = templates()
    return t["templates"][t["default"]]["result_scores"].get(result)


def record_text(c: ControlResult, findings: dict, ids: dict[str, str], w: Words) -> tuple[str, str, list[str]]:
    """(结果记录, 测评方法, problem IDs) of one item on one asset."""
    L, colon = w.L, w.sheet["colon"]
    lines, sources, pids = [], set(), []
    for k in c.checks:
        f = findings[k]
        pid = ids.get(k) if f.status == CheckStatus.FAIL else None
        if pid:
            pids.append(pid)
        reason = w.pick(f.reason_zh, f.reason_en)
        said = (f"{L['expected']}{colon}{w.pick(f.expected_zh, f.expected_en)}{L['semi']}{L['actual']}{colon}{reason}"
                if f.expected_zh else reason)
        lines.append(f"[{w.check[f.status.value]}]{' ' + pid if pid else ''} {said}")
        shown, looked = shown_evidence(f, 1 if f.status == CheckStatus.PASS else 4, w.lang)
        for e in shown:
            sources.add(w.sheet["config_source"] if e.source == "config" else e.source)
            lines.append(f"  {e.line}: {e.text}" if e.line else f"  {e.text}")
        if looked:
            lines.append(f"  {L['not_found']}: {looked}")
    own = w.pick(c.reason_zh, c.reason_en)
    if not c.checks:
        return own, w.sheet["method_manual"] if c.result.value == "manual" else "—", []
    method = w.sheet["method_tool"] + L["sep"].join(sorted(sources) or [w.sheet["config_source"]])
    return "\n".join(lines) or own, method, pids


def records_sheet(s, result: ScanResult, cat: Catalog, ids: dict[str, str], w: Words) -> None:
    header = w.sheet["record_header"]
    s.table(header, RECORD_WIDTHS, "B2")
    layers = {layer.id: w.pick(layer.zh, layer.en) for layer in cat.layers}
    for a in result.assets:
        findings = {f.check: f for f in a.findings}
        head = [a.name, w.kind.get(a.kind, a.kind), a.platform, a.model, a.software_version, a.zone,
                w.importance.get(a.importance or "", a.importance)]
        if not a.controls:
            s.row(head + [None, None, None, None, None, f"{w.L['not_assessed']}{w.sheet['colon']}{a.reason}",
                          w.result["error"], None, None, None], fill={13: "error"})
            continue
        for c in a.controls:
            it = cat.item(c.id)
            record, method, pids = record_text(c, findings, ids, w)
            s.row(head + [layers.get(it.layer, it.layer), w.pick(it.control_point_zh, it.control_point_en), c.id,
                          w.pick(it.text_zh, it.text_en), method, record, w.result[c.result.value],
                          item_score(c.result.value), it.weight, " ".join(pids)],
                  fill={13: c.result.value})
    s.ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(s.rows, 2)}"


def asset_sheet(s, a: Asset, cat: Catalog, ids: dict[str, str], w: Words) -> None:
    """One asset in the layout assessors fill in: 安全控制点 | 测评指标 | 结果记录 | 符合程度 | 权重 | 测评项 | 问题编号."""
    s.table(w.sheet["asset_header"], [14, 48, 70, 12, 8, 12, 12])
    findings = {f.check: f for f in a.findings}
    if not a.controls:
        s.row([None, None, f"{w.L['not_assessed']}{w.sheet['colon']}{a.reason}"])
    for c in a.controls:
        it = cat.item(c.id)
        record, _, pids = record_text(c, findings, ids, w)
        s.row([w.pick(it.control_point_zh, it.control_point_en), w.pick(it.text_zh, it.text_en), record,
               w.result[c.result.value], it.weight, c.id, " ".join(pids)], fill={3: c.result.value})


def manager_rows(s, page, w: Words) -> None:
    """The manager's page (reports/manager.py) at the top of 7 整改建议: totals, security devices to add and where,
    then one row per model, release and action, most urgent first, each claim with its source and confidence."""
    L, M = w.L, w.manager
    s.row([M["title"]], head=True)
    for key, n in (("replace", page.totals["hardware"]), ("upgrade", page.totals["firmware"]),
                   ("reconfigure", page.totals["config"]), ("add", len(page.to_add))):
        s.row([M[key], n])
    for need in page.to_add:
        s.row([M["add"], w.pick(need.name_zh, need.name_en), M["boundary"] if need.boundary else M["mgmt_zone"],
               L["sep"].join(need.where) or M["where_unknown"]])
    s.row(["#", L["model"], L["version"], L["action"], M["effort"], M["devices"], M["risk_basis"], M["target"],
           M["claims"]], head=True)
    for n, g in enumerate(page.groups, 1):
        basis = [f"{M['exposed']} {g.exposed}/{len(g.assets)}" if g.exposed else "", M["kev"] if g.kev else "",
                 f"{M['hr']} {g.high_risks}", f"{M['imp']} {w.importance.get(g.importance or '', '—')}"]
        target = (f"{M[g.advice]} {g.target}" + L["paren"].format(f"{M['source']}: {g.target_source}") if g.target
                  else M[g.advice])
        claims = [f"{M['kind_' + c.kind]}: {w.pick(c.subject, c.subject_en)}{' KEV' if c.kev else ''} · "
                  f"{M['conf_low' if c.confidence == 'low' else 'conf_high']} · {M['source']}: {c.source}"
                  for c in g.claims]
        s.row([n, g.model, f"{g.platform} {g.release or ''}", L["act_" + g.action], M[g.effort],
               f"{len(g.assets)}: {L['sep'].join(g.assets)}", "\n".join(b for b in basis if b), target,
               "\n".join(claims)])
