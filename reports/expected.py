"""Expected value beside actual value for every failed check, as compliance scanners (OpenSCAP, InSpec) show them.

Derived in one place from what the checks already return: the expected state is the check's title, or the wording
in reports/data/expected.yaml with the thresholds of the policy the scan used (`scan.json: meta.policy_values`);
the actual value is the check's reason (what it found) with the line that decided it, or what was looked for and
not found. Checks stay as they are: no check has to state its expectation twice.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Formatter

from reports.views import shown_evidence
from scanner.model import AssetStatus, CheckStatus, Finding, ScanResult
from scanner.policy import Policy
from scanner.textio import load_yaml

EXPECTED_FILE = Path(__file__).resolve().parent / "data" / "expected.yaml"


@cache
def wordings() -> dict[str, dict[str, str]]:
    return load_yaml(EXPECTED_FILE.read_text(encoding="utf-8")) or {}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def policy_values(result: ScanResult) -> dict:
    """The thresholds the scan used; for a scan.json written before they were recorded, the default policy's when the
    scan named it, else none (the expected value then falls back to the check's title)."""
    if result.meta.policy_values:
        return dict(result.meta.policy_values)
    default = Policy()
    return default.model_dump() if result.meta.policy == default.name else {}


def expected(f: Finding, values: dict) -> tuple[str, str]:
    w = wordings().get(f.check)
    out = []
    for lang, title in (("zh", f.title_zh), ("en", f.title_en)):
        text = (w or {}).get(lang)
        out.append(text.format(**values) if text and placeholders(text) <= values.keys() else title)
    return out[0], out[1]


def actual(f: Finding) -> tuple[str, str]:
    shown, looked = shown_evidence(f, 1)
    if shown:
        e = shown[0]
        where = f"{e.line}: " if e.line else ""
        tail = f"{'' if e.source == 'config' else '[' + e.source + '] '}{where}{e.text.strip()}"
        return f"{f.reason_zh}（{tail}）", f"{f.reason_en or f.reason_zh} ({tail})"
    if looked:
        looked_en = shown_evidence(f, 1, "en")[1]
        return f"{f.reason_zh}（配置中未找到：{looked}）", f"{f.reason_en or f.reason_zh} (not in the configuration: {looked_en})"
    return f.reason_zh, f.reason_en or f.reason_zh


def fill_expectations(result: ScanResult) -> ScanResult:
    """Sets expected/actual on every failed check that has none yet (in place: the fields are additive and a pure
    function of the rest of scan.json, so filling them twice gives the same text)."""
    values = policy_values(result)
    for a in result.assets:
        if a.status != AssetStatus.ASSESSED:
            continue
        for f in a.findings:
            if f.status == CheckStatus.FAIL and not f.expected_zh:
                f.expected_zh, f.expected_en = expected(f, values)
                f.actual_zh, f.actual_en = actual(f)
    return result
