"""How check results combine into an item result (GB/T 28448 单元判定) — the one place that decides it.

All sub-checks hold -> compliant; none holds -> noncompliant; some -> partial. A check that could not be run
makes the item `error` (never a pass). Checks the scanner cannot prove make the item `manual` unless a failure
already decides it. An item whose rule is an OR (访问控制 b: renamed OR default password changed) holds when one
sub-check holds: that OR lives inside the check itself (default_account_renamed), not here.
"""
from __future__ import annotations

from collections.abc import Iterable

from scanner.model import CheckStatus, ItemResult

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
