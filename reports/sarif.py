"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one rule per check with help text, tags and a
`security-severity`, one result per failed check and asset. A config file under the working folder is referenced
by a repository-relative URI against %SRCROOT%; a device scanned live has a logical location (the asset), since no
file in a repository holds its configuration. Checked against GitHub's ingestion rules with Microsoft's SARIF
multitool in tests/test_ci_outputs.py."""
from __future__ import annotations

import json
from pathlib import Path

from reports.locations import artifact, fingerprint
from reports.safe import clean_tree
from scanner import __version__
from scanner.catalog import load_catalog
from scanner.model import Asset, CheckStatus, Finding, ScanResult, Severity
from scanner.safeio import write_private

SARIF_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub reads security-severity as CVSS-like: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, below: low. A check
# that can raise a T/ISEAA high-risk case is critical; the others follow the check's severity.
SECURITY_SEVERITY = {Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}
HIGH_RISK_SEVERITY = "9.0"


def _rule(f: Finding, high_risk: bool) -> dict:
    cat = load_catalog()
    items = [cat.item(c) for c in f.controls if cat.has(c)]
    text = "\n".join(f"{i.id} {i.control_point_en}: {i.text_en}" for i in items)
    md = "\n".join(f"- **{i.id}** {i.control_point_zh} / {i.control_point_en}: {i.text_zh}\n  {i.text_en}"
                   for i in items)
    fix = ("Fix: each result's `remediation` property gives the commands for its device's platform; the HTML "
           "report lists them per device.")
    tags = ["security", "mlps", "gb22239-2019-l3", f"fix:{f.fix_kind.value}"] + \
        [f"item:{c}" for c in f.controls] + (["high-risk-candidate"] if high_risk else [])
    return {"id": f.check, "name": "".join(w.capitalize() for w in f.check.split("_")),
            "shortDescription": {"text": f.title_en},
            "fullDescription": {"text": f"{f.title_zh} / {f.title_en} ({', '.join(f.controls)})"},
            "help": {"text": f"{f.title_en}\n{text}\n{fix}",
                     "markdown": f"**{f.title_zh}** / {f.title_en}\n\n{md}\n\n{fix}"},
            "defaultConfiguration": {"level": SARIF_LEVEL[f.severity]},
            "properties": {"tags": tags, "precision": "high",
                           "security-severity": HIGH_RISK_SEVERITY if high_risk else SECURITY_SEVERITY[f.severity],
                           "controls": f.controls, "fix_kind": f.fix_kind.value, "severity": f.severity.value}}


def _locations(a: Asset, f: Finding, root: Path | None) -> list[dict]:
    where = artifact(a, root)
    physical = [{"physicalLocation": {"artifactLocation": where,
                                      "region": {"startLine": e.line, "snippet": {"text": e.text}}}}
                for e in f.evidence if e.line is not None and e.source == "config" and where]
    logical = {"logicalLocations": [{"name": a.name, "fullyQualifiedName": f"{a.name}/{f.check}",
                                     "kind": "resource"}]}
    return physical[:10] or [logical]


def sarif(result: ScanResult, root: Path | None = None) -> dict:
    rules: dict[str, dict] = {}
    results = []
    raised = {h.check for a in result.assets for h in a.high_risks}     # on any asset: the rule is critical
    for a in result.assets:
        results.extend(_unread_result(a, root))
        for f in a.findings:
            if f.status != CheckStatus.FAIL:
                continue
            rules.setdefault(f.check, _rule(f, f.check in raised))
            results.append({
                "ruleId": f.check, "level": SARIF_LEVEL[f.severity],
                "message": {"text": f"{a.name}: {f.reason_en or f.reason_zh}"},
                "locations": _locations(a, f, root),
                "partialFingerprints": {"mlpsAssetCheck/v1": fingerprint(a.name, f.check)},
                "properties": {"asset": a.name, "platform": a.platform, "remediation": f.remediation or ""}})
    if any(r["ruleId"] == UNREAD_RULE["id"] for r in results):
        rules[UNREAD_RULE["id"]] = UNREAD_RULE
    base = (root or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "mlps-scanner", "version": __version__,
                                          "rules": list(rules.values())}},
                      "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
                      "automationDetails": {"id": "mlps-scanner/"},
                      "results": results,
                      "properties": {"unrecognized_lines": sum(a.parse.unrecognized_count for a in result.assets
                                                               if a.parse)}}]}


_UNREAD_HELP = ("Lines inside the configuration stanzas the checks read (aaa, local-user, user-interface/line, snmp, "
                "ssh, telnet, ftp, http, info-center/logging, ntp, acl, password-control, management interfaces) that "
                "the parser did not recognise. A check reading such a stanza never passes on it: review the line.")
UNREAD_RULE = {"id": "unrecognized_line", "name": "UnrecognizedLine",
               "shortDescription": {"text": "Configuration lines the parser did not recognise"},
               "fullDescription": {"text": "未识别的配置行：位于检查所读配置段内，读取该配置段的检查不判为符合"},
               "help": {"text": _UNREAD_HELP, "markdown": _UNREAD_HELP},
               "defaultConfiguration": {"level": "note"},
               "properties": {"tags": ["security", "mlps", "parser"], "precision": "high", "security-severity": "2.0",
                              "severity": "low"}}


def _unread_result(a: Asset, root: Path | None) -> list[dict]:
    """One note per asset whose parser left lines unread where checks look, pointing at (up to ten of) them."""
    if a.parse is None or not a.parse.unrecognized_count:
        return []
    where = artifact(a, root)
    locations = [{"physicalLocation": {"artifactLocation": where, "region": {"startLine": u.line,
                                                                         "snippet": {"text": u.text}}}}
                 for u in a.parse.unrecognized[:10] if where and u.document == "config"]
    logical = {"logicalLocations": [{"name": a.name, "fullyQualifiedName": f"{a.name}/unrecognized_line",
                                     "kind": "resource"}]}
    return [{"ruleId": UNREAD_RULE["id"], "level": "note",
             "message": {"text": f"{a.name}: {a.parse.unrecognized_count} unrecognised line(s) in the stanzas checks "
                                 "read: " + ", ".join(f"{u.stanza} line {u.line}" for u in a.parse.unrecognized[:10])},
             "locations": locations or [logical],
             "partialFingerprints": {"mlpsAssetCheck/v1": fingerprint(a.name, "unrecognized_line")},
             "properties": {"asset": a.name, "count": a.parse.unrecognized_count}}]


def write_sarif(result: ScanResult, path: Path) -> Path:
    write_private(path, json.dumps(clean_tree(sarif(result)), ensure_ascii=False, indent=1))
    return path
