"""The XLSX's record sheets: 附录B 测评记录 (one long, filterable table: asset × item, in the columns of an assessor's
测评记录表) and, for small scans, one sheet per asset."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from reports.labels import IMPORTANCE_LABELS, KIND_LABELS, LABELS
from reports.views import shown_evidence
from scanner.catalog import Catalog
from scanner.model import ITEM_RESULT_ZH, Asset, CheckStatus, ControlResult, ItemResult, ScanResult
from scanner.scoring import templates

L = LABELS["zh"]
CHECK_ZH = {"pass": "通过", "fail": "未通过", "manual": "需人工核查", "not_applicable": "不适用", "error": "未能评估"}
RECORD_HEADER = ["测评对象", "对象类型", "平台", "型号", "软件版本", "区域", "重要性", "安全层面", "安全控制点", "测评项",
                 "测评指标", "测评方法", "结果记录", "符合程度", "分值", "权重", "问题编号"]
RECORD_WIDTHS = [20, 10, 12, 16, 20, 10, 8, 14, 14, 11, 48, 22, 70, 11, 7, 7, 12]
METHOD_MANUAL = "访谈、文档审查、现场核查（人工）"


def item_score(result: str) -> float | None:
    """分值 of one object's item result, by the default template (符合 1, 部分符合 0.5, 不符合 0; others none)."""
    t = templates()
    return t["templates"][t["default"]]["result_scores"].get(result)


def record_text(c: ControlResult, findings: dict, ids: dict[str, str]) -> tuple[str, str, list[str]]:
    """(结果记录, 测评方法, problem IDs) of one item on one asset."""
    lines, sources, pids = [], set(), []
    for k in c.checks:
        f = findings[k]
        pid = ids.get(k) if f.status == CheckStatus.FAIL else None
        if pid:
            pids.append(pid)
        said = f"{L['expected']}：{f.expected_zh}；{L['actual']}：{f.reason_zh}" if f.expected_zh else f.reason_zh
        lines.append(f"[{CHECK_ZH[f.status.value]}]{' ' + pid if pid else ''} {said}")
        shown, looked = shown_evidence(f, 1 if f.status == CheckStatus.PASS else 4)
        for e in shown:
            sources.add("配置" if e.source == "config" else e.source)
            lines.append(f"  {e.line}: {e.text}" if e.line else f"  {e.text}")
        if looked:
            lines.append(f"  {L['not_found']}: {looked}")
    if not c.checks:
        return c.reason_zh, METHOD_MANUAL if c.result.value == "manual" else "—", []
    method = "工具核查：" + ("、".join(sorted(sources)) if sources else "配置")
    return "\n".join(lines) or c.reason_zh, method, pids


def records_sheet(s, result: ScanResult, cat: Catalog, ids: dict[str, str]) -> None:
    s.table(RECORD_HEADER, RECORD_WIDTHS, "B2")
    kinds, imp = KIND_LABELS["zh"], IMPORTANCE_LABELS["zh"]
    layers = {layer.id: layer.zh for layer in cat.layers}
    for a in result.assets:
        findings = {f.check: f for f in a.findings}
        head = [a.name, kinds.get(a.kind, a.kind), a.platform, a.model, a.software_version, a.zone,
                imp.get(a.importance or "", a.importance)]
        if not a.controls:
            s.row(head + [None, None, None, None, None, f"{L['not_assessed']}：{a.reason}",
                          ITEM_RESULT_ZH[ItemResult.ERROR], None, None, None], fill={13: "error"})
            continue
        for c in a.controls:
            it = cat.item(c.id)
            record, method, pids = record_text(c, findings, ids)
            s.row(head + [layers.get(it.layer, it.layer), it.control_point_zh, c.id, it.text_zh, method, record,
                          ITEM_RESULT_ZH[c.result], item_score(c.result.value), it.weight, " ".join(pids)],
                  fill={13: c.result.value})
    s.ws.auto_filter.ref = f"A1:{get_column_letter(len(RECORD_HEADER))}{max(s.rows, 2)}"


def asset_sheet(s, a: Asset, cat: Catalog, ids: dict[str, str]) -> None:
    """One asset in the layout assessors fill in: 安全控制点 | 测评指标 | 结果记录 | 符合程度 | 权重 | 测评项 | 问题编号."""
    s.table(["安全控制点", "测评指标", "结果记录", "符合程度", "权重", "测评项", "问题编号"], [14, 48, 70, 12, 8, 12, 12])
    findings = {f.check: f for f in a.findings}
    if not a.controls:
        s.row([None, None, f"{L['not_assessed']}：{a.reason}"])
    for c in a.controls:
        it = cat.item(c.id)
        record, _, pids = record_text(c, findings, ids)
        s.row([it.control_point_zh, it.text_zh, record, ITEM_RESULT_ZH[c.result], it.weight, c.id, " ".join(pids)],
              fill={3: c.result.value})


def manager_rows(s, page) -> None:
    """The manager's page (reports/manager.py) at the top of 7 整改建议: totals, security devices to add and where,
    then one row per model, release and action, most urgent first, each claim with its source and confidence."""
    from reports.labels import MANAGER_LABELS
    M = MANAGER_LABELS["zh"]
    s.row([M["title"]], head=True)
    for key, n in (("replace", page.totals["hardware"]), ("upgrade", page.totals["firmware"]),
                   ("reconfigure", page.totals["config"]), ("add", len(page.to_add))):
        s.row([M[key], n])
    for need in page.to_add:
        s.row([M["add"], need.name_zh, M["boundary"] if need.boundary else M["mgmt_zone"],
               "、".join(need.where) or M["where_unknown"]])
    s.row(["#", L["model"], L["version"], L["action"], M["effort"], M["devices"], M["risk_basis"], M["target"],
           M["claims"]], head=True)
    for n, g in enumerate(page.groups, 1):
        basis = [f"{M['exposed']} {g.exposed}/{len(g.assets)}" if g.exposed else "", M["kev"] if g.kev else "",
                 f"{M['hr']} {g.high_risks}", f"{M['imp']} {IMPORTANCE_LABELS['zh'].get(g.importance or '', '—')}"]
        target = f"{M[g.advice]} {g.target}（{M['source']}: {g.target_source}）" if g.target else M[g.advice]
        claims = [f"{M['kind_' + c.kind]}: {c.subject}{' KEV' if c.kev else ''} · "
                  f"{M['conf_low' if c.confidence == 'low' else 'conf_high']} · {M['source']}: {c.source}"
                  for c in g.claims]
        s.row([n, g.model, f"{g.platform} {g.release or ''}", L["act_" + g.action], M[g.effort],
               f"{len(g.assets)}: {'、'.join(g.assets)}", "\n".join(b for b in basis if b), target, "\n".join(claims)])
