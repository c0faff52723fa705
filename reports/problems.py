"""附录 问题清单: one numbered list of the problems a scan found, the same IDs in every format.

A problem is one failed check (on every asset it failed on) or one failed fleet-wide check. Its risk is 高 when it
proves an unresolved T/ISEAA 001-2020 high-risk case on some asset, else the check's severity. The list is a pure
function of the result model, ordered by risk, then by how many assets it touches, then by check id, so the same
scan.json gives the same IDs to the HTML, the PDF and the XLSX.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reports.views import shown_evidence
from scanner.model import AssetStatus, CheckStatus, Evidence, ScanResult, Severity
from scanner.textio import load_yaml

RISK_RANK = {"high": 0, "medium": 1, "low": 2}
EVIDENCE_PER_ASSET = 3
MAJOR_RISK_FILE = Path(__file__).resolve().parent / "data" / "major_risk_2025.yaml"


@dataclass(slots=True)
class Problem:
    id: str                                   # P-001 …
    check: str
    title_zh: str
    title_en: str
    risk: str                                 # high / medium / low
    items: list[str]
    assets: list[str]
    high_risk_cases: list[str]                # unresolved T/ISEAA cases it proves
    major_risks: list[str]                    # 2025 附录G triggers those cases meet
    reason_zh: str
    reason_en: str
    evidence: list[tuple[str, Evidence]] = field(default_factory=list)     # (asset, line)
    fixes: dict[str, str] = field(default_factory=dict)                     # platform -> remediation text
    fix_kind: str = "config"
    looked_for: str | None = None             # a failure with no line to show: the line that is missing
    looked_for_en: str | None = None
    fix_en: str = ""                          # a fleet-wide problem's fix in English
    expected_zh: str = ""                     # what the check requires (reports/expected.py)
    expected_en: str = ""


@cache
def major_risk_triggers() -> dict[str, dict]:
    return load_yaml(MAJOR_RISK_FILE.read_text(encoding="utf-8"))["triggers"]


def triggers_of(cases: list[str]) -> list[str]:
    return sorted(t for t, d in major_risk_triggers().items() if set(d["cases"]) & set(cases))


def problem_list(result: ScanResult) -> list[Problem]:
    found: dict[str, Problem] = {}
    for a in result.assets:
        if a.status != AssetStatus.ASSESSED:
            continue
        cases = {h.check: [] for h in a.high_risks}
        for h in a.high_risks:
            if not h.compensated:
                cases[h.check].append(h.id)
        for f in a.findings:
            if f.status != CheckStatus.FAIL:
                continue
            p = found.get(f.check) or found.setdefault(f.check, Problem(
                "", f.check, f.title_zh, f.title_en, f.severity.value, list(f.controls), [], [], [], f.reason_zh,
                f.reason_en, fix_kind=f.fix_kind.value, expected_zh=f.expected_zh, expected_en=f.expected_en))
            p.assets.append(a.name)
            p.high_risk_cases = sorted(set(p.high_risk_cases) | set(cases.get(f.check, [])))
            shown, looked = shown_evidence(f, EVIDENCE_PER_ASSET)
            p.evidence += [(a.name, e) for e in shown]
            if looked and not p.looked_for:
                p.looked_for = looked
                p.looked_for_en = shown_evidence(f, EVIDENCE_PER_ASSET, "en")[1]
            if f.remediation:
                p.fixes.setdefault(a.platform, f.remediation)
            if _rank(f.severity) < RISK_RANK[p.risk]:
                p.risk = f.severity.value
    for f in result.fleet:
        if f.status == CheckStatus.FAIL:
            found[f.check] = Problem("", f.check, f.title_zh, f.title_en, "medium", list(f.controls),
                                     list(f.assets), [], [], f.reason_zh, f.reason_en,
                                     fixes={"*": f.recommendation} if f.recommendation else {},
                                     fix_en=f.recommendation_en or f.recommendation,
                                     fix_kind=f.fix_kind.value, expected_zh=f.title_zh, expected_en=f.title_en)
    problems = list(found.values())
    for p in problems:
        if p.high_risk_cases:
            p.risk = "high"
        p.major_risks = triggers_of(p.high_risk_cases)
    problems.sort(key=lambda p: (RISK_RANK[p.risk], -len(p.assets), p.check))
    width = max(3, len(str(len(problems))))
    for n, p in enumerate(problems, 1):
        p.id = f"P-{n:0{width}d}"
    return problems


def _rank(s: Severity) -> int:
    return RISK_RANK[s.value]


def problem_ids_by_check(problems: list[Problem]) -> dict[str, str]:
    return {p.check: p.id for p in problems}


def major_risk_rows(problems: list[Problem]) -> list[tuple[str, dict, list[Problem], list[str]]]:
    """(trigger, its data, the problems that meet it, the assets concerned) for each 2025 trigger met."""
    rows = []
    for t, d in major_risk_triggers().items():
        ps = [p for p in problems if t in p.major_risks]
        if ps:
            rows.append((t, d, ps, list(dict.fromkeys(n for p in ps for n in p.assets))))
    return rows
