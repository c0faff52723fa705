"""Machine outputs for CI pipelines: JUnit XML (one test case per asset x item) and SARIF 2.1.0 (failed checks,
pointing at the config file and line that decided them)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from reports.safe import clean_element, clean_tree
from scanner import __version__
from scanner.catalog import load_catalog
from scanner.model import CheckStatus, ItemResult, ScanResult, Severity
from scanner.safeio import open_private, write_private

SARIF_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}


def write_junit(result: ScanResult, path: Path) -> Path:
    cat = load_catalog()
    suites = ET.Element("testsuites", name="mlps-scanner")
    for a in result.assets:
        suite = ET.SubElement(suites, "testsuite", name=a.name, tests=str(len(a.controls)))
        if a.parse is not None:       # lines the parser left unread where checks look (they never pass on them)
            ET.SubElement(ET.SubElement(suite, "properties"), "property", name="unrecognized_lines",
                          value=str(a.parse.unrecognized_count))
        counts = {"failures": 0, "errors": 0, "skipped": 0}
        fails = {f.check: f for f in a.findings}
        for c in a.controls:
            item = cat.item(c.id)
            case = ET.SubElement(suite, "testcase", classname=f"{a.name}.{item.control_point_zh}",
                                 name=f"{c.id} {item.text_zh}")
            detail = "\n".join(f"[{fails[k].status.value}] {fails[k].title_zh}: {fails[k].reason_zh}"
                               for k in c.checks if k in fails)
            if c.result in (ItemResult.NONCOMPLIANT, ItemResult.PARTIAL):
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=f"{c.result.value}: {c.reason_zh}", type=c.result.value).text = detail
            elif c.result == ItemResult.ERROR:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=c.reason_zh or (a.reason or "not assessed")).text = detail
            elif c.result in (ItemResult.MANUAL, ItemResult.NOT_APPLICABLE):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f"{c.result.value}: {c.reason_zh}")
        for k, v in counts.items():
            suite.set(k, str(v))
    clean_element(suites)
    ET.indent(suites)
    with open_private(path) as f:
        ET.ElementTree(suites).write(f, encoding="utf-8", xml_declaration=True)
    return path


def sarif(result: ScanResult) -> dict:
    rules: dict[str, dict] = {}
    results = []
    for a in result.assets:
        results.extend(_unread_result(a))
        for f in a.findings:
            if f.status != CheckStatus.FAIL:
                continue
            rules.setdefault(f.check, {
                "id": f.check, "name": f.check, "shortDescription": {"text": f.title_en},
                "fullDescription": {"text": f"{f.title_zh} ({' '.join(f.controls)})"},
                "properties": {"controls": f.controls, "fix_kind": f.fix_kind.value, "severity": f.severity.value}})
            locations = []
            for e in f.evidence:
                if e.line is None:
                    continue
                uri = a.source if e.source == "config" else f"{a.source}#{e.source}"
                locations.append({"physicalLocation": {"artifactLocation": {"uri": uri or a.name},
                                                       "region": {"startLine": e.line, "snippet": {"text": e.text}}}})
            results.append({
                "ruleId": f.check, "level": SARIF_LEVEL[f.severity],
                "message": {"text": f"{a.name}: {f.reason_en or f.reason_zh}"},
                "locations": locations[:10] or [{"physicalLocation": {"artifactLocation": {"uri": a.source or a.name}}}],
                "properties": {"asset": a.name, "remediation": f.remediation or ""}})
    if any(r["ruleId"] == UNREAD_RULE["id"] for r in results):
        rules[UNREAD_RULE["id"]] = UNREAD_RULE
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "mlps-scanner", "version": __version__,
                                          "rules": list(rules.values())}},
                      "results": results,
                      "properties": {"unrecognized_lines": sum(a.parse.unrecognized_count for a in result.assets
                                                               if a.parse)}}]}


UNREAD_RULE = {"id": "unrecognized_line", "name": "unrecognized_line",
               "shortDescription": {"text": "Configuration lines the parser did not recognise"},
               "fullDescription": {"text": "未识别的配置行：位于检查所读配置段内，读取该配置段的检查不判为符合"},
               "properties": {"severity": "low"}}


def _unread_result(a) -> list[dict]:
    """One note per asset whose parser left lines unread where checks look, pointing at (up to ten of) them."""
    if a.parse is None or not a.parse.unrecognized_count:
        return []
    uri = a.source or a.name
    locations = [{"physicalLocation": {"artifactLocation": {"uri": uri if u.document == "config" else f"{uri}#{u.document}"},
                                       "region": {"startLine": u.line, "snippet": {"text": u.text}}}}
                 for u in a.parse.unrecognized[:10]]
    return [{"ruleId": UNREAD_RULE["id"], "level": "note",
             "message": {"text": f"{a.name}: {a.parse.unrecognized_count} unrecognised line(s) in the stanzas checks "
                                 "read: " + ", ".join(f"{u.stanza} line {u.line}" for u in a.parse.unrecognized[:10])},
             "locations": locations, "properties": {"asset": a.name, "count": a.parse.unrecognized_count}}]


def write_sarif(result: ScanResult, path: Path) -> Path:
    write_private(path, json.dumps(clean_tree(sarif(result)), ensure_ascii=False, indent=1))
    return path
