"""Words of the reports (zh / en) and the chapter order every format follows (网络安全等级测评报告模板 2021)."""
from __future__ import annotations

from dataclasses import dataclass

LABELS = {
    "zh": {
        "title": "网络安全等级保护第三级 差距评估报告", "generated": "生成时间", "tool": "工具", "catalog": "测评项目录",
        "policy": "阈值配置", "summary": "概要", "assets": "资产", "assessed": "已评估", "not_assessed": "未能评估",
        "high_risks": "高风险项（候选）", "no_high_risks": "未发现可由配置证明的高风险项", "coverage": "覆盖范围",
        "asset": "资产", "platform": "平台", "status": "状态", "version": "软件版本", "reason": "原因",
        "control_point": "安全控制点", "indicator": "测评指标", "record": "结果记录", "result": "符合程度",
        "findings": "检查项", "check": "检查", "evidence": "证据", "fix": "整改建议", "fix_kind": "整改方式", "fix_script": "本设备整改脚本",
        "case": "判例", "all_items": "全部测评项", "weight": "权重", "automated": "自动化", "yes": "是", "no": "否",
        "severity": "严重性", "not_assessed_reason": "未能评估原因", "score": "综合得分", "conclusion": "结论",
        "filter_asset": "按资产名称筛选", "filter_all": "全部结果", "expected": "期望", "actual": "实际",
        "unserved": "无自动化检查：需测评人员通过访谈、文档或现场核查判定", "by_layer": "按安全层面", "by_zone": "按安全区域", "by_platform": "按设备厂商/平台", "trend": "历次测评得分趋势（红点：存在高风险项）",
        "fleet": "全网检查（跨设备）", "plan": "整改与设备升级计划（按风险排序）", "action": "处置",
        "act_hardware": "更换设备", "act_firmware": "升级软件版本", "act_config": "修改配置", "by_config": "配置整改",
        "by_firmware": "需升级版本", "by_hardware": "需更换/增加设备", "to_add": "需增加的安全设备",
        "importance": "重要性", "model": "型号", "toc": "目录", "compensation": "补偿因素/豁免", "compensated": "已补偿（降级）",
        "expired_waiver": "豁免已过期（视为未补偿）", "page": "第 {page} 页 / 共 {pages} 页",
        "score_note": "综合得分按{template}版报告模板计算，仅覆盖扫描器已评估的{scored}个技术测评项；{manual}项需人工核查、"
                      "{unassessed}项未能评估，均未计入。存在{high}个高风险候选项时结论为“差”。",
        "hr_candidates": "高风险候选（判定条件未满足，未判为高风险）",
        "hr_candidates_note": "以下检查未通过，但T/ISEAA 001-2020判例的触发条件未全部得到证明，按测评项本身结果计；满足右列条件时应判为高风险。",
        "hr_conditions": "判定条件", "hr_would_raise": "满足何条件时判为高风险",
        "basis_note": "判定依据：{config}项检查结论来自配置行，{default}项依据软件版本默认值（配置未写明），{live}项来自在线状态（状态命令、SNMP、端口扫描、SSH握手）。",
        "unread_total": "未识别配置行：{n}行（{assets}个资产）；读取这些配置段的检查不判为符合，需人工核查。",
        "unread": "未识别配置行", "unread_note": "位于检查所读配置段内、解析器未能识别的行；读取该配置段的检查不判为符合。",
        "no_score": "无法评分", "no_score_note": "没有任何技术测评项得到评估（{unassessed}项未能评估、{manual}项需人工核查），"
                                                "因此不给出综合得分和结论：请先处理未能评估的资产。",
        "report_title": "网络安全等级测评报告", "subtitle": "技术测评项差距评估（工具生成，供测评机构使用）",
        "org": "被测单位", "system_name": "系统名称", "level": "安全保护等级", "filing_no": "备案号", "report_no": "报告编号",
        "period": "测评时间", "assessor": "测评单位", "blank": "（待填写）", "level3": "第三级",
        "purpose": "测评目的", "purpose_text": "依据国家标准，对被测系统中可由配置和设备输出证明的技术测评项进行核查，发现安全问题，"
                   "给出风险分析与整改建议，为等级测评和整改提供依据。",
        "basis": "测评依据", "basis_text": "GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》第三级安全通用要求；"
                 "GB/T 28448-2019《信息安全技术 网络安全等级保护测评要求》；T/ISEAA 001-2020《网络安全等级保护测评高风险判定实施指引（试行）》；"
                 "网络安全等级测评报告模版（2021版）计分方法及2025版附录G重大风险隐患触发项。",
        "scope": "测评范围", "scope_text": "本次共 {assets} 个测评对象（{assessed} 个已评估、{failed} 个未能评估），详见第2章。",
        "method": "测评方法", "method_text": "工具通过 SSH/SNMP 或保存的设备输出读取配置与状态，逐项核查（核查/测试）；"
                  "物理环境、管理制度、人员与运维管理等需访谈、文档审查和现场核查的测评项未由工具判定，列为“需人工核查”。",
        "tally": "目录共 {total} 项，其中 {automated} 项有自动化检查，{unautomated} 项没有（物理环境、管理制度等，须由测评人员通过"
                 "访谈、文档审查和现场核查判定）。结果：符合 {compliant}、部分符合 {partial}、不符合 {noncompliant}、"
                 "需人工核查 {manual}（其中 {manual_unautomated} 项无自动化检查）、不适用 {not_applicable}、未能评估 {error}。"
                 "计入综合得分 {scored} 项（其中 {scored_manual} 项仅部分对象已判定，其余对象需人工核查）。",
        "assets_total": "资产总数", "assets_assessed": "已评估资产", "assets_failed": "未能评估资产",
        "items_scored": "计分测评项", "hr_unresolved": "未补偿高风险", "kind": "类型", "zone": "区域", "role": "角色",
        "layer": "安全层面", "cp_score": "控制点得分", "cp_verdict": "符合情况", "items_n": "测评项数",
        "waivers": "补偿因素与豁免", "no_waivers": "未提供补偿因素或豁免文件（--waivers）。", "corrected": "修正后结果",
        "risk": "风险等级", "risk_counts": "问题按风险等级", "major_risks": "2025版重大风险隐患触发项（配置可证明的候选）",
        "no_major_risks": "未发现由配置证明的重大风险隐患触发项", "trigger": "触发项",
        "major_note": "每个触发项仍需测评人员依据相关性、严重性、高发性判定后方可列为重大风险隐患。",
        "computation": "计算过程", "weight_sum": "Σ权重", "weighted": "Σ(权重×得分)", "layer_score": "层面得分",
        "overall_score": "综合得分", "formula": "控制点得分 = Σ(测评项多对象平均分×权重)/Σ权重×10；层面得分与综合得分 = "
                   "100×Σ(权重×得分)/Σ权重（仅计已评估的测评项，不适用、需人工核查、未能评估项不计入）。",
        "problem": "问题（未满足的检查）", "problem_id": "编号", "items_col": "测评项", "see": "见",
        "not_scored": "未计分", "not_found": "配置中未找到", "sep": "、", "semi": "；", "paren": "（{}）",
    },
    "en": {
        "title": "MLPS 2.0 Level 3 gap assessment report", "generated": "Generated", "tool": "Tool", "catalog": "Catalogue",
        "policy": "Policy", "summary": "Summary", "assets": "Assets", "assessed": "assessed",
        "not_assessed": "not assessed", "high_risks": "High-risk candidates",
        "no_high_risks": "No high-risk case proven by the configurations", "coverage": "Coverage",
        "asset": "Asset", "platform": "Platform", "status": "Status", "version": "Software", "reason": "Reason",
        "control_point": "Control point", "indicator": "Requirement", "record": "Record", "result": "Result",
        "findings": "Checks", "check": "Check", "evidence": "Evidence", "fix": "Remediation", "fix_kind": "Fix by", "fix_script": "Fix script for this device",
        "case": "Case", "all_items": "All items", "weight": "Weight", "automated": "Automated", "yes": "yes", "no": "no",
        "severity": "Severity", "not_assessed_reason": "Why not assessed", "score": "Score",
        "conclusion": "Conclusion", "filter_asset": "filter by asset", "filter_all": "all results",
        "expected": "Expected", "actual": "Actual",
        "unserved": "no automated check: an assessor decides", "by_layer": "By layer", "by_zone": "By zone", "by_platform": "By platform", "trend": "Score over the scans (red: high-risk items open)",
        "fleet": "Fleet-wide checks", "plan": "Remediation and upgrade plan (by risk)",
        "action": "Action", "act_hardware": "replace", "act_firmware": "upgrade firmware", "act_config": "reconfigure",
        "by_config": "reconfigure", "by_firmware": "firmware upgrade", "by_hardware": "replace / add equipment",
        "to_add": "Security devices to add", "importance": "Importance", "model": "Model", "toc": "Contents", "compensation": "Compensation / waiver",
        "compensated": "compensated (downgraded)", "expired_waiver": "waiver EXPIRED (counts again)", "page": "Page {page} of {pages}",
        "score_note": "The score follows the {template} report template and covers only the {scored} technical items "
                      "the scanner assessed; {manual} manual and {unassessed} unassessed items are not in it. With "
                      "{high} high-risk candidates the conclusion is 'poor'.",
        "hr_candidates": "High-risk candidates (conditions not proven, not raised)",
        "hr_candidates_note": "These checks failed, but not every trigger condition of the T/ISEAA 001-2020 case is "
                              "proven; the item's own result stands. The last column says what would make each a "
                              "high risk.",
        "hr_conditions": "Conditions", "hr_would_raise": "Would be a high risk if",
        "unread_total": "Unrecognised configuration lines: {n} in {assets} asset(s); checks reading their stanzas do "
                        "not pass on them (manual review).",
        "unread": "Unrecognised lines", "unread_note": "lines inside stanzas the checks read that the parser did not "
                                                       "recognise; checks reading such a stanza never pass on it.",
        "basis_note": "What the verdicts rest on: {config} pass/fail verdicts on configuration lines, {default} on "
                      "release defaults (the configuration says nothing), {live} on live status (status commands, "
                      "SNMP, the port scan, the SSH handshake).",
        "no_score": "no score", "no_score_note": "No technical item could be assessed ({unassessed} unassessed, "
                                                 "{manual} manual), so there is no score and no conclusion: deal "
                                                 "with the assets that were not assessed first.",
        "report_title": "Cybersecurity classified protection assessment report",
        "subtitle": "technical items only (tool output for the assessor)",
        "org": "Organisation", "system_name": "System", "level": "Protection level", "filing_no": "Filing number",
        "report_no": "Report number", "period": "Assessment period", "assessor": "Assessor", "blank": "(to be filled in)",
        "level3": "Level 3", "purpose": "Purpose", "purpose_text": "Check the technical items that configurations and "
        "device output can prove, find the security problems, analyse their risk and say how to fix them.",
        "basis": "Basis", "basis_text": "GB/T 22239-2019 (Level 3 general requirements); GB/T 28448-2019 (test "
                 "requirements); T/ISEAA 001-2020 (high-risk judgement); the 2021 report template's scoring and the "
                 "2025 template's major-risk triggers (appendix G).",
        "scope": "Scope", "scope_text": "{assets} objects ({assessed} assessed, {failed} not assessed); see chapter 2.",
        "method": "Method", "method_text": "The tool reads configurations and status over SSH/SNMP or from saved "
                  "output and checks each item; physical, management and personnel items need interviews, documents "
                  "and on-site inspection and are left as manual review.",
        "tally": "The catalogue has {total} items: {automated} have automated checks, {unautomated} do not (physical, "
                 "management...: an assessor decides them by interview, documents and inspection). Results: compliant "
                 "{compliant}, partial {partial}, non-compliant {noncompliant}, manual review {manual} ({manual_unautomated} "
                 "of them without automated checks), not applicable {not_applicable}, not assessed {error}. {scored} items "
                 "are scored ({scored_manual} of them decided on some objects only).",
        "assets_total": "Assets", "assets_assessed": "Assets assessed", "assets_failed": "Assets not assessed",
        "items_scored": "Items scored", "hr_unresolved": "Unresolved high risks", "kind": "Kind", "zone": "Zone",
        "role": "Role", "layer": "Layer", "cp_score": "Control point score", "cp_verdict": "Result",
        "items_n": "Items", "waivers": "Compensations and waivers",
        "no_waivers": "No compensation or waiver file was given (--waivers).", "corrected": "Corrected result",
        "risk": "Risk", "risk_counts": "Problems by risk", "major_risks": "2025 major-risk triggers (proven by configuration)",
        "no_major_risks": "No major-risk trigger proven by the configurations", "trigger": "Trigger",
        "major_note": "The assessor still judges relevance, severity and likelihood before calling a trigger a major risk.",
        "computation": "Computation", "weight_sum": "Σ weight", "weighted": "Σ(weight × score)",
        "layer_score": "Layer score", "overall_score": "Overall score",
        "formula": "Control point = Σ(item average × weight)/Σ weight × 10; layer and overall = 100 × Σ(weight × "
                   "score)/Σ weight over the assessed items (not applicable, manual and unassessed items left out).",
        "problem": "Problem (check not met)", "problem_id": "ID", "items_col": "Items", "see": "see",
        "not_scored": "not scored", "not_found": "not in the configuration", "sep": ", ", "semi": "; ", "paren": " ({})",
    },
}

# (anchor, zh, en): the report's chapters in order; HTML sections, PDF contents and XLSX sheets follow it.
CHAPTERS = (
    ("cover", "封面", "Cover"),
    ("overview", "1 测评项目概述", "1 Assessment overview"),
    ("objects", "2 被测对象", "2 Objects assessed"),
    ("results", "3 单项测评结果", "3 Results by item"),
    ("overall", "4 整体测评", "4 Overall assessment"),
    ("risks", "5 安全问题风险分析", "5 Risk analysis"),
    ("conclusion", "6 等级测评结论", "6 Conclusion"),
    ("remediation", "7 整改建议", "7 Remediation"),
    ("problems", "附录A 问题清单", "Appendix A Problem list"),
    ("records", "附录B 测评记录", "Appendix B Assessment records"),
    ("items", "附录C 全部测评项", "Appendix C All items"),
)

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
RISK_LABELS = {"zh": {"high": "高", "medium": "中", "low": "低"}, "en": {"high": "high", "medium": "medium", "low": "low"}}
IMPORTANCE_LABELS = {"zh": {"high": "高", "medium": "中", "low": "低"},
                     "en": {"high": "high", "medium": "medium", "low": "low"}}
KIND_LABELS = {"zh": {"network_device": "网络设备", "security_device": "安全设备", "server": "服务器"},
               "en": {"network_device": "network device", "security_device": "security device", "server": "server"}}

# The manager's page (reports/manager.py): equipment to replace, upgrade and reconfigure, by model and release.
MANAGER_LABELS = {
    "zh": {"title": "管理者摘要：设备处置（按风险排序）",
           "note": "同一型号、同一软件版本、同一处置的设备合为一行；按风险排序：互联网/不可信网络暴露、已知被利用漏洞、"
                   "未补偿高风险项数、重要性，而非按处置类型。每条停服或漏洞结论均注明来源与可信度。",
           "replace": "需更换设备", "upgrade": "需升级版本", "reconfigure": "需修改配置", "add": "需增加安全设备类型",
           "devices": "台数", "effort": "工作量", "risk_basis": "风险依据", "target": "建议", "claims": "结论来源与可信度",
           "purchase": "采购新设备", "maintenance_window": "维护窗口（升级后重启）", "config_change": "配置变更",
           "exposed": "暴露于互联网/不可信网络", "kev": "已知被利用漏洞", "hr": "未补偿高风险项",
           "imp": "重要性", "upgrade_to": "升级至", "replace_with": "替换为",
           "no_release": "设备数据未列出该型号可用的修复版本：按厂商公告向厂商确认目标版本",
           "no_replacement": "设备数据未给出替代型号：按厂商停服公告选型",
           "see_fix": "按整改脚本修改配置（fix/<资产>.txt）", "conf_high": "可信度高", "conf_low": "可信度低（二手来源或推断）",
           "source": "来源", "at": "部署位置", "where_unknown": "清单未标注该区域（zone/exposure）",
           "mgmt_zone": "管理区", "boundary": "区域边界", "roles_unknown": "资产清单未标注设备角色（role），无法判断缺少哪些安全设备。",
           "kind_vulnerability": "漏洞", "kind_end_of_support": "停止服务", "kind_feature": "版本功能",
           "kind_observed": "设备自报", "none": "无需处置的设备",
           "apply_updates": "安装设备包管理器报告的待装安全更新"},
    "en": {"title": "Manager's summary: equipment actions (by risk)",
           "note": "Devices of the same model, release and action are one row, ordered by risk: exposure to the "
                   "internet or an untrusted network, a known exploited vulnerability, unresolved high-risk cases, "
                   "importance (not by action type). Every end-of-support or vulnerability claim names its source and "
                   "confidence.",
           "replace": "Replace", "upgrade": "Upgrade", "reconfigure": "Reconfigure", "add": "Security device types to add",
           "devices": "Devices", "effort": "Effort", "risk_basis": "Risk basis", "target": "Suggested",
           "claims": "Claims: source and confidence", "purchase": "purchase",
           "maintenance_window": "maintenance window (upgrade, reload)", "config_change": "configuration change",
           "exposed": "internet/untrusted-facing", "kev": "known exploited vulnerability",
           "hr": "unresolved high-risk cases", "imp": "importance", "upgrade_to": "upgrade to",
           "replace_with": "replace with",
           "no_release": "the equipment data lists no fixed release for this model: confirm the target with the vendor",
           "no_replacement": "the equipment data names no successor: choose one from the vendor's end-of-life notice",
           "see_fix": "reconfigure with the fix script (fix/<asset>.txt)", "conf_high": "confidence high",
           "conf_low": "confidence low (secondary source or inferred)", "source": "source", "at": "where",
           "where_unknown": "no such zone in the inventory (zone/exposure)", "mgmt_zone": "management zone",
           "boundary": "boundary", "roles_unknown": "The inventory names no roles: which security devices are "
                                                     "missing cannot be told.",
           "kind_vulnerability": "vulnerability", "kind_end_of_support": "end of support",
           "kind_feature": "release feature", "kind_observed": "reported by the device", "none": "No equipment action",
           "apply_updates": "install the pending security updates its package manager reports"},
}

# Words only the XLSX needs: the 测评记录 columns an assessor's 测评记录表 has, and how a record names its method.
SHEET_LABELS = {
    "zh": {"record_header": ["测评对象", "对象类型", "平台", "型号", "软件版本", "区域", "重要性", "安全层面", "安全控制点",
                             "测评项", "测评指标", "测评方法", "结果记录", "符合程度", "分值", "权重", "问题编号"],
           "asset_header": ["安全控制点", "测评指标", "结果记录", "符合程度", "权重", "测评项", "问题编号"],
           "method_manual": "访谈、文档审查、现场核查（人工）", "method_tool": "工具核查：", "config_source": "配置",
           "colon": "："},
    "en": {"record_header": ["Object", "Kind", "Platform", "Model", "Software", "Zone", "Importance", "Layer",
                             "Control point", "Item", "Requirement", "Method", "Record", "Result", "Score", "Weight",
                             "Problem IDs"],
           "asset_header": ["Control point", "Requirement", "Record", "Result", "Weight", "Item", "Problem IDs"],
           "method_manual": "interview, document review, on-site inspection (manual)", "method_tool": "tool: ",
           "config_source": "configuration", "colon": ": "},
}


@dataclass(frozen=True, slots=True)
class Words:
    """Every word of the reports in one language, taken from the tables above (the HTML and PDF templates read the
    same tables): a renderer is handed one of these instead of choosing a language itself."""
    lang: str
    L: dict[str, str]
    result: dict[str, str]          # item results, in the order of the report's columns
    check: dict[str, str]           # check statuses
    fix: dict[str, str]
    risk: dict[str, str]
    importance: dict[str, str]
    kind: dict[str, str]
    manager: dict[str, str]
    sheet: dict
    chapters: dict[str, str]        # anchor -> chapter title (the XLSX's sheet names)

    def pick(self, zh: str | None, en: str | None) -> str | None:
        """The English text when there is one (an older scan.json may lack it), else the Chinese."""
        return en if self.lang == "en" and en else zh


def words(lang: str = "zh") -> Words:
    return Words(lang, LABELS[lang], RESULT_LABELS[lang], CHECK_LABELS[lang], FIX_LABELS[lang], RISK_LABELS[lang],
                 IMPORTANCE_LABELS[lang], KIND_LABELS[lang], MANAGER_LABELS[lang], SHEET_LABELS[lang],
                 {anchor: zh if lang == "zh" else en for anchor, zh, en in CHAPTERS})
