"""GitLab Code Quality report (the CodeClimate subset GitLab reads): one issue per failed check and asset, at the
config line that decided it. A device scanned live has no file in the repository: its issues name the asset as
the path, so the merge-request widget still lists them."""
from __future__ import annotations

import json
from pathlib import Path

from reports.locations import file_source, fingerprint, shown_path
from reports.safe import clean_tree
from scanner.model import Asset, CheckStatus, Finding, ScanResult, Severity
from scanner.safeio import write_private

SEVERITY = {Severity.HIGH: "major", Severity.MEDIUM: "minor", Severity.LOW: "info"}


def _issue(a: Asset, f: Finding, high_risk: bool) -> dict:
    where = shown_path(a)
    line = next((e.line for e in f.evidence if e.line is not None and e.source == "config"), None) \
        if file_source(a) else None
    return {"type": "issue", "check_name": f.check,
            "description": f"{a.name}: {f.title_zh} / {f.title_en} — {f.reason_zh or f.reason_en}",
            "categories": ["Security"],
            "severity": "critical" if high_risk else SEVERITY[f.severity],
            "fingerprint": fingerprint(a.name, f.check)[:32],
            "location": {"path": where, "lines": {"begin": line or 1}}}


def codequality(result: ScanResult) -> list[dict]:
    issues = []
    for a in result.assets:
        raised = {h.check for h in a.high_risks}
        issues += [_issue(a, f, f.check in raised) for f in a.findings if f.status == CheckStatus.FAIL]
    return issues


def write_codequality(result: ScanResult, path: Path) -> Path:
    write_private(path, json.dumps(clean_tree(codequality(result)), ensure_ascii=False, indent=1))
    return path
