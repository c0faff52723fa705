"""JUnit XML for CI pipelines: one test case per asset x item, with the asset's config file (`file`, relative to
the working folder when under it) and times (the scan's wall time on <testsuites>; checks take no measurable time,
so each case says 0). SARIF: reports/sarif.py; GitLab Code Quality: reports/codequality.py."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from reports.locations import file_source, shown_path
from reports.safe import clean_element
from scanner.catalog import load_catalog
from scanner.model import Asset, ItemResult, ScanResult
from scanner.safeio import open_private


def _file(a: Asset) -> str:
    """The asset's config file as CI tools show it; a device scanned live keeps its address."""
    return shown_path(a) if file_source(a) else a.source or a.name


def _suite(suites: ET.Element, a: Asset, timestamp: str) -> None:
    cat = load_catalog()
    suite = ET.SubElement(suites, "testsuite", name=a.name, tests=str(len(a.controls)), time="0",
                          timestamp=timestamp, file=_file(a))
    if a.parse is not None:       # lines the parser left unread where checks look (they never pass on them)
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="unrecognized_lines",
                      value=str(a.parse.unrecognized_count))
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    fails = {f.check: f for f in a.findings}
    for c in a.controls:
        item = cat.item(c.id)
        case = ET.SubElement(suite, "testcase", classname=f"{a.name}.{item.control_point_zh}",
                             name=f"{c.id} {item.text_zh}", file=_file(a), time="0")
        detail = "\n".join(f"[{fails[k].status.value}] {fails[k].title_zh}: {fails[k].reason_zh}"
                           for k in c.checks if k in fails)
        if c.result in (ItemResult.NONCOMPLIANT, ItemResult.PARTIAL):
            counts["failures"] += 1
            fail = ET.SubElement(case, "failure", message=f"{c.result.value}: {c.reason_zh}", type=c.result.value)
            fail.text = detail
        elif c.result == ItemResult.ERROR:
            counts["errors"] += 1
            ET.SubElement(case, "error", message=c.reason_zh or (a.reason or "not assessed")).text = detail
        elif c.result in (ItemResult.MANUAL, ItemResult.NOT_APPLICABLE):
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=f"{c.result.value}: {c.reason_zh}")
    for k, v in counts.items():
        suite.set(k, str(v))


def write_junit(result: ScanResult, path: Path) -> Path:
    meta = result.meta
    wall = max((meta.finished_at - meta.started_at).total_seconds(), 0.0)
    suites = ET.Element("testsuites", name="mlps-scanner", time=f"{wall:.3f}")
    for a in result.assets:
        _suite(suites, a, meta.started_at.isoformat(timespec="seconds"))
    clean_element(suites)
    ET.indent(suites)
    with open_private(path) as f:
        ET.ElementTree(suites).write(f, encoding="utf-8", xml_declaration=True)
    return path
