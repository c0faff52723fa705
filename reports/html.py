"""report.html: one self-contained page rendered from scan.json by a jinja2 template (autoescaped)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from reports.safe import html_value
from reports.views import CHART_COLORS, CHART_RESULTS, chart_data, devices_to_add, upgrade_plan
from scanner.catalog import load_catalog
from scanner.model import AssetStatus, CheckStatus, ItemResult, ScanResult
from scanner.safeio import write_private

TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPACT_ABOVE = 50        # assets: above this, rows that need no action are brief (keeps 1 000 assets ~10 MB)

LABELS = {
    "zh": {
        "title": "网络安全等级保护第三级 差距评估报告", "generated": "生成时间", "tool": "工具", "catalog": "测评项目录",
        "policy": "阈值配置", "summary": "概要", "assets": "资产", "assessed": "已评估", "not_assessed": "未能评估",
        "high_risks": "高风险项（候选）", "no_high_risks": "未发现可由配置证明的高风险项", "coverage": "覆盖范围",
        "coverage_text": "本报告仅覆盖扫描器可自动判定的技术测评项：目录共 {total} 项，其中 {automated} 项有自动化检查；"
                         "其余 {manual} 项（物理环境、管理制度等）需测评人员通过访谈、文档和现场核查判定，结果标为“需人工核查”。",
        "asset": "资产", "platform": "平台", "status": "状态", "version": "软件版本", "reason": "原因",
        "control_point": "安全控制点", "indicator": "测评指标", "record": "结果记录", "result": "符合程度",
        "findings": "检查项", "check": "检查", "evidence": "证据", "fix": "整改建议", "fix_kind": "整改方式",
        "case": "判例", "all_items": "全部测评项", "weight": "权重", "automated": "自动化", "yes": "是", "no": "否",
        "severity": "严重性", "not_assessed_reason": "未能评估原因", "score": "综合得分", "conclusion": "结论",
        "filter_asset": "按资产名称筛选", "filter_all": "全部结果",
        "unserved": "无自动化检查：需测评人员通过访谈、文档或现场核查判定", "by_layer": "按安全层面", "by_zone": "按安全区域", "by_platform": "按设备厂商/平台",
        "fleet": "全网检查（跨设备）", "plan": "整改与设备升级计划（按风险排序）", "action": "处置",
        "act_hardware": "更换设备", "act_firmware": "升级软件版本", "act_config": "修改配置", "by_config": "配置整改",
        "by_firmware": "需升级版本", "by_hardware": "需更换/增加设备", "to_add": "需增加的安全设备",
        "importance": "重要性", "model": "型号", "toc": "目录", "compensation": "补偿因素/豁免", "compensated": "已补偿（降级）",
        "expired_waiver": "豁免已过期（视为未补偿）", "page": "第 {page} 页 / 共 {pages} 页",
        "score_note": "综合得分按{template}版报告模板计算，仅覆盖扫描器已评估的{scored}个技术测评项；{manual}项需人工核查、"
                      "{unassessed}项未能评估，均未计入。存在{high}个高风险候选项时结论为“差”。",
        "no_score": "无法评分", "no_score_note": "没有任何技术测评项得到评估（{unassessed}项未能评估、{manual}项需人工核查），"
                                                "因此不给出综合得分和结论：请先处理未能评估的资产。",
    },
    "en": {
        "title": "MLPS 2.0 Level 3 gap assessment report", "generated": "Generated", "tool": "Tool", "catalog": "Catalogue",
        "policy": "Policy", "summary": "Summary", "assets": "Assets", "assessed": "assessed",
        "not_assessed": "not assessed", "high_risks": "High-risk candidates",
        "no_high_risks": "No high-risk case proven by the configurations", "coverage": "Coverage",
        "coverage_text": "This report covers the technical items the scanner can judge: {automated} of the "
                         "catalogue's {total} items have automated checks; the other {manual} (physical, "
                         "management...) need an assessor and are shown as manual.",
        "asset": "Asset", "platform": "Platform", "status": "Status", "version": "Software", "reason": "Reason",
        "control_point": "Control point", "indicator": "Requirement", "record": "Record", "result": "Result",
        "findings": "Checks", "check": "Check", "evidence": "Evidence", "fix": "Remediation", "fix_kind": "Fix by",
        "case": "Case", "all_items": "All items", "weight": "Weight", "automated": "Automated", "yes": "yes", "no": "no",
        "severity": "Severity", "not_assessed_reason": "Why not assessed", "score": "Score",
        "conclusion": "Conclusion", "filter_asset": "filter by asset", "filter_all": "all results",
        "unserved": "no automated check: an assessor decides", "by_layer": "By layer", "by_zone": "By zone", "by_platform": "By platform",
        "fleet": "Fleet-wide checks", "plan": "Remediation and upgrade plan (by risk)",
        "action": "Action", "act_hardware": "replace", "act_firmware": "upgrade firmware", "act_config": "reconfigure",
        "by_config": "reconfigure", "by_firmware": "firmware upgrade", "by_hardware": "replace / add equipment",
        "to_add": "Security devices to add", "importance": "Importance", "model": "Model", "toc": "Contents", "compensation": "Compensation / waiver",
        "compensated": "compensated (downgraded)", "expired_waiver": "waiver EXPIRED (counts again)", "page": "Page {page} of {pages}",
        "score_note": "The score follows the {template} report template and covers only the {scored} technical items "
                      "the scanner assessed; {manual} manual and {unassessed} unassessed items are not in it. With "
                      "{high} high-risk candidates the conclusion is 'poor'.",
        "no_score": "no score", "no_score_note": "No technical item could be assessed ({unassessed} unassessed, "
                                                 "{manual} manual), so there is no score and no conclusion: deal "
                                                 "with the assets that were not assessed first.",
    },
}
RESULT_LABELS = {
    "zh": {"compliant": "符合", "partial": "部分符合", "noncompliant": "不符合", "not_applicable": "不适用",
           "manual": "需人工核查", "error": "未能评估"},
    "en": {"compliant": "compliant", "partial": "partial", "noncompliant": "non-compliant",
           "not_applicable": "not applicable", "manual": "manual review", "error": "not assessed"},
}
CHECK_LABELS = {
    "zh": {"pass": "通过", "fail": "未通过", "manual": "需人工核查", "not_applicable": "不适用", "error": "未能评估"},
    "en": {"pass": "pass", "fail": "fail", "manual": "manual", "not_applicable": "n/a", "error": "error"},
}
FIX_LABELS = {
    "zh": {"config": "修改配置", "firmware": "升级软件版本", "hardware": "更换/增加设备", "process": "管理措施"},
    "en": {"config": "reconfigure", "firmware": "firmware upgrade", "hardware": "hardware", "process": "process"},
}


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True, finalize=html_value)


def render_html(result: ScanResult, lang: str = "zh", pdf: bool = False) -> str:
    return render_part(report_context(result, lang, pdf), "all")


def report_context(result: ScanResult, lang: str = "zh", pdf: bool = False) -> dict:
    """What the template needs, computed once (the PDF renders the template in several parts)."""
    cat = load_catalog()
    automated = sum(1 for i in result.items if i.automated)
    counts = Counter(i.result.value for i in result.items)
    return {
        "r": result, "L": LABELS[lang], "RL": RESULT_LABELS[lang], "CL": CHECK_LABELS[lang], "FL": FIX_LABELS[lang],
        "lang": lang, "cat": cat, "items": {i.id: i for i in cat.items},
        "coverage": LABELS[lang]["coverage_text"].format(total=len(cat.items), automated=automated,
                                                         manual=len(cat.items) - automated),
        "assessed": [a for a in result.assets if a.status == AssetStatus.ASSESSED],
        "failed_assets": [a for a in result.assets if a.status != AssetStatus.ASSESSED],
        "plan": upgrade_plan(result), "to_add": devices_to_add(result),
        "charts": chart_data(result, {layer.id: (layer.zh if lang == "zh" else layer.en) for layer in cat.layers}),
        "chart_results": CHART_RESULTS, "chart_colors": CHART_COLORS,
        "compact": pdf or len(result.assets) > COMPACT_ABOVE,
        "system_counts": counts, "ItemResult": ItemResult, "CheckStatus": CheckStatus, "pdf": pdf,
    }


def render_part(ctx: dict, part: str, section_assets: list | None = None, toc_pages: dict | None = None) -> str:
    """The whole page (`all`) or one part of it for the PDF: `toc` (title and contents, with `toc_pages`: anchor ->
    page number), `summary`, `assets` (the sections of `section_assets`) or `tail` (remediation and all items)."""
    return _squeeze(_env().get_template("report.html.j2").render(
        **ctx, part=part, section_assets=ctx["r"].assets if part == "all" else section_assets or [],
        toc_pages=toc_pages or {}))


def render_page_marks(lang: str, pages: int) -> str:
    """`pages` blank pages with only the PDF's running header and "page N of M" footer (drawn over the report)."""
    return _env().get_template("pages.html.j2").render(L=LABELS[lang], lang=lang, pages=pages)


_PRE = re.compile(r"(<pre>.*?</pre>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")


def _squeeze(html: str) -> str:
    """Drop the template's indentation (~14% of a 1 000-asset report) outside <pre>, where it means nothing."""
    parts = _PRE.split(html)
    return "".join(p if i % 2 else _INDENT.sub("\n", p) for i, p in enumerate(parts))


def write_html(result: ScanResult, path: Path, lang: str = "zh") -> Path:
    write_private(path, render_html(result, lang))
    return path
