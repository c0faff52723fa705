"""How check results combine into an item result (GB/T 28448 单元判定) — the one place that decides it.

All sub-checks hold -> compliant; none holds -> noncompliant; some -> partial. A check that could not be run
makes the item `error` (never a pass). Checks the scanner cannot prove make the item `manual` unless a failure
already decides it. An item whose rule is an OR (访问控制 b: renamed OR default password changed) holds when one
sub-check holds: that OR lives inside the check itself (default_account_renamed), not here. Items where one failure
decides, or where a pass only shows a path absent, say so in checks/catalog/rollup.yaml (`ItemRule`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.datafiles import DataFileError, catalog_dir, read_data_yaml

from scanner.model import (
    Asset, CheckStatus, ControlResult, Finding, FleetFinding, ItemResult, SystemItem,
)

if TYPE_CHECKING:
    from scanner.engine import ScanContext

@dataclass(frozen=True, slots=True)
class ItemRule:
    """How one item departs from the plain unit rule (checks/catalog/rollup.yaml says why)."""
    decisive: frozenset[str] = frozenset()       # a failure of one of these checks makes the item 不符合
    absence_only: frozenset[str] = frozenset()   # a pass of these shows a path absent: no met aspect beside failures


@cache
def item_rules() -> dict[str, ItemRule]:
    return rules_in(catalog_dir() / "rollup.yaml")


def rules_in(path: Path) -> dict[str, ItemRule]:
    """The item rules of one rule file; DataFileError naming the file and item when it is broken."""
    data = read_data_yaml(path)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        raise DataFileError(f"{path}: needs a mapping 'items' of item id -> rule")
    out = {}
    for item, rule in items.items():
        if not isinstance(rule, dict) or set(rule) - {"decisive", "absence_only", "why"} or \
                not str(rule.get("why") or "").strip():
            raise DataFileError(f"{path}: item {item}: fields are decisive, absence_only and why (why is required)")
        lists = [rule.get(k) or [] for k in ("decisive", "absence_only")]
        if not all(isinstance(x, list) and all(isinstance(c, str) for c in x) for x in lists):
            raise DataFileError(f"{path}: item {item}: decisive and absence_only are lists of check ids")
        out[str(item)] = ItemRule(frozenset(lists[0]), frozenset(lists[1]))
    return out


def combine_findings(findings: Iterable[Finding], rule: ItemRule | None = None) -> ItemResult:
    """One item from its checks, with the item's rule applied (the plain unit rule when it has none)."""
    fs = list(findings)
    res = combine(f.status for f in fs)
    if rule is None or res not in (ItemResult.PARTIAL, ItemResult.NONCOMPLIANT, ItemResult.MANUAL):
        return res
    if any(f.status == CheckStatus.FAIL and f.check in rule.decisive for f in fs):
        return ItemResult.NONCOMPLIANT
    if res == ItemResult.PARTIAL and all(f.check in rule.absence_only for f in fs if f.status == CheckStatus.PASS):
        return ItemResult.NONCOMPLIANT
    return res


def combine(statuses: Iterable[CheckStatus]) -> ItemResult:
    s = [x for x in statuses if x != CheckStatus.NOT_APPLICABLE]
    if not s:
        return ItemResult.NOT_APPLICABLE
    if CheckStatus.ERROR in s:
        return ItemResult.ERROR
    passes = s.count(CheckStatus.PASS)
    fails = s.count(CheckStatus.FAIL)
    manuals = s.count(CheckStatus.MANUAL)
    if fails:
        return ItemResult.PARTIAL if passes else ItemResult.NONCOMPLIANT
    if manuals:
        return ItemResult.MANUAL
    return ItemResult.COMPLIANT


def combine_assets(results: Iterable[ItemResult]) -> ItemResult:
    """An item across assets, for the system-level list (scoring proper is in scoring.py)."""
    r = [x for x in results if x != ItemResult.NOT_APPLICABLE]
    if not r:
        return ItemResult.NOT_APPLICABLE
    decided = [x for x in r if x in (ItemResult.COMPLIANT, ItemResult.PARTIAL, ItemResult.NONCOMPLIANT)]
    if not decided:
        return ItemResult.ERROR if ItemResult.ERROR in r else ItemResult.MANUAL
    if all(x == ItemResult.COMPLIANT for x in decided):
        return ItemResult.COMPLIANT if len(decided) == len(r) else ItemResult.MANUAL
    if all(x == ItemResult.NONCOMPLIANT for x in decided):
        return ItemResult.NONCOMPLIANT
    return ItemResult.PARTIAL


FLEET_RESULT = {CheckStatus.PASS: ItemResult.COMPLIANT, CheckStatus.FAIL: ItemResult.NONCOMPLIANT,
                CheckStatus.MANUAL: ItemResult.MANUAL, CheckStatus.ERROR: ItemResult.ERROR,
                CheckStatus.NOT_APPLICABLE: ItemResult.NOT_APPLICABLE}


def control_results(kind: str, findings: list[Finding], ctx: ScanContext) -> list[ControlResult]:
    by_item: dict[str, list[Finding]] = {}
    for f in findings:
        for c in f.controls:
            by_item.setdefault(c, []).append(f)
    out: list[ControlResult] = []
    for item in ctx.catalog.items_for(kind):
        na = ctx.catalog.not_applicable_reason(kind, item.id)
        if na:
            out.append(ControlResult(id=item.id, result=ItemResult.NOT_APPLICABLE, reason_zh=na,
                                     reason_en="not applicable to this kind of assessment object"))
            continue
        fs = by_item.get(item.id, [])
        if not fs:
            out.append(ControlResult(id=item.id, result=ItemResult.MANUAL,
                                     reason_zh="无自动化检查：需测评人员通过访谈、文档或现场核查判定",
                                     reason_en="no automated check: an assessor decides from interviews, "
                                               "documents or on-site review"))
            continue
        res = combine_findings(fs, item_rules().get(item.id))
        out.append(ControlResult(id=item.id, result=res, checks=[f.check for f in fs],
                                 reason_zh=_item_reason(fs, res)))
    return out


def _item_reason(fs: list[Finding], res: ItemResult) -> str:
    failing = [f.title_zh for f in fs if f.status == CheckStatus.FAIL]
    if failing:
        return "未满足：" + "；".join(failing)
    pending = [f.title_zh for f in fs if f.status in (CheckStatus.MANUAL, CheckStatus.ERROR)]
    if pending:
        return "待核查：" + "；".join(pending)
    return ""


def system_items(assets: list[Asset], ctx: ScanContext, fleet: list[FleetFinding] = ()) -> list[SystemItem]:
    automated = {c for chk in ctx.checks for c in chk.controls} | {c for f in fleet for c in f.controls}
    per_item: dict[str, list[ItemResult]] = {}
    for a in assets:
        for c in a.controls:
            per_item.setdefault(c.id, []).append(c.result)
    for f in fleet:
        for c in f.controls:
            per_item.setdefault(c, []).append(FLEET_RESULT[f.status])
    out = []
    for item in ctx.catalog.items:
        results = per_item.get(item.id)
        if not results:
            out.append(SystemItem(id=item.id, result=ItemResult.MANUAL, automated=False,
                                  reason_zh="系统级或管理类测评项：需测评人员通过访谈、文档或现场核查判定"))
            continue
        counts = Counter(r.value for r in results)
        out.append(SystemItem(id=item.id, result=combine_assets(results), automated=item.id in automated,
                              assets=dict(counts)))
    return out
