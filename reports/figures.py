"""Every number a report shows, computed once from the result model (scan.json) and read by every renderer.

Catalogue coverage is one partition of the catalogue's items by their system-level result in scan.json (`items`):
compliant + partial + noncompliant + manual + not applicable + error = the catalogue's total. The score covers the
items in `score.items`: the decided ones, plus any item decided on some objects and left to the assessor on others
(`scored_manual`), which keeps its system-level result 需人工核查 but is scored over the objects decided.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scanner.catalog import Catalog
from scanner.model import AssetStatus, ItemResult, ScanResult

RESULTS = ("compliant", "partial", "noncompliant", "manual", "not_applicable", "error")


@dataclass(slots=True)
class ControlPointRow:
    """One 安全控制点: its items, the result of each and the 10-point score computed from them."""
    id: str
    layer: str
    name_zh: str
    name_en: str
    items: list[str]
    results: dict[str, int]                 # system-level item result -> count of this point's items
    weight_sum: float                       # Σ weight over the scored items
    weighted: float                         # Σ weight × multi-object average
    score: float | None                     # 10 × weighted / weight_sum, as scan.json's score.control_points
    verdict: str                            # 符合情况 of the control point (an ItemResult value)


@dataclass(slots=True)
class LayerRow:
    id: str
    name_zh: str
    name_en: str
    points: list[ControlPointRow]
    weight_sum: float
    weighted: float
    score: float | None                     # 100 × weighted / weight_sum, as scan.json's score.layers


@dataclass(slots=True)
class Figures:
    total: int                              # catalogue items
    by_result: dict[str, int]               # partition of `total` by system-level result
    automated: int                          # items some check serves
    manual_unautomated: int                 # of by_result["manual"]: items no check serves
    scored: int                             # items in the score
    scored_manual: int                      # of `scored`: system result manual, decided on some objects
    assets: int
    assessed_assets: int
    not_assessed_assets: int
    high_risk_cases: int                    # distinct T/ISEAA cases found
    high_risk_unresolved: int               # (asset, case) pairs not compensated: scan.json's unresolved count
    high_risk_compensated: int
    # pass/fail verdicts by what they rest on: config lines, release defaults, live status (Finding.basis)
    basis: dict[str, int] = field(default_factory=lambda: {"config": 0, "default": 0, "live": 0})
    unread_lines: int = 0      # lines the parsers left unread in the stanzas checks read (Asset.parse)
    unread_assets: int = 0
    layers: list[LayerRow] = field(default_factory=list)
    weight_sum: float = 0.0
    weighted: float = 0.0
    overall: float | None = None

    @property
    def unautomated(self) -> int:
        return self.total - self.automated

    @property
    def unscored_manual(self) -> int:
        return self.by_result["manual"] - self.scored_manual


def figures(result: ScanResult, cat: Catalog) -> Figures:
    by_result = Counter({r: 0 for r in RESULTS})
    system = {i.id: i.result.value for i in result.items}
    by_result.update(system.values())
    scored = result.score.items if result.score else {}
    pairs = {(a.name, h.id): h.compensated for a in result.assets for h in a.high_risks}
    f = Figures(total=len(cat.items), by_result=dict(by_result), automated=sum(i.automated for i in result.items),
                manual_unautomated=sum(not i.automated and i.result.value == "manual" for i in result.items),
                scored=len(scored), scored_manual=sum(1 for i in scored if system.get(i) == "manual"),
                assets=len(result.assets),
                assessed_assets=sum(a.status == AssetStatus.ASSESSED for a in result.assets),
                not_assessed_assets=sum(a.status != AssetStatus.ASSESSED for a in result.assets),
                high_risk_cases=len({case for _, case in pairs}),
                high_risk_unresolved=sum(not c for c in pairs.values()),
                high_risk_compensated=sum(pairs.values()))
    f.basis.update(Counter(x.basis for a in result.assets for x in a.findings if x.status.value in ("pass", "fail")))
    unread = [a.parse.unrecognized_count for a in result.assets if a.parse and a.parse.unrecognized_count]
    f.unread_lines, f.unread_assets = sum(unread), len(unread)
    f.layers = _layers(cat, system, scored, result)
    f.weight_sum = round(sum(cat.item(i).weight for i in scored), 4)
    f.weighted = round(sum(cat.item(i).weight * s for i, s in scored.items()), 4)
    # scan.json's score (scoring.py decides it from unrounded item scores); recomputed from the rounded item scores
    # only when a result has none, since that can differ in the last digit (61.04 for 61.03)
    official = result.score.overall if result.score else None
    f.overall = official if official is not None else (round(100 * f.weighted / f.weight_sum, 2) if f.weight_sum else None)
    return f


def _layers(cat: Catalog, system: dict[str, str], scored: dict[str, float], result: ScanResult) -> list[LayerRow]:
    layers = []
    for layer in cat.layers:
        items = [i for i in cat.items if i.layer == layer.id]
        points: dict[str, list] = {}
        for i in items:
            points.setdefault(i.control_point, []).append(i)
        # the scores are scan.json's (scoring.py decides them from unrounded item scores): recomputing them here
        # from the rounded ones could differ in the last digit
        official = result.score
        rows = [_point(cp, its, system, scored, official.control_points.get(cp) if official else None)
                for cp, its in points.items()]
        ws = sum(r.weight_sum for r in rows)
        wd = sum(r.weighted for r in rows)
        score = official.layers.get(layer.id) if official else None
        layers.append(LayerRow(layer.id, layer.zh, layer.en, rows, round(ws, 4), round(wd, 4),
                               score if score is not None else round(100 * wd / ws, 2) if ws else None))
    return layers


def _point(cp: str, items: list, system: dict[str, str], scored: dict[str, float],
           official: float | None) -> ControlPointRow:
    results = Counter(system.get(i.id, "manual") for i in items)
    ws = sum(i.weight for i in items if i.id in scored)
    wd = sum(i.weight * scored[i.id] for i in items if i.id in scored)
    score = official if official is not None else round(10 * wd / ws, 2) if ws else None
    return ControlPointRow(cp, items[0].layer, items[0].control_point_zh, items[0].control_point_en,
                           [i.id for i in items], dict(results), round(ws, 4), round(wd, 4), score,
                           _verdict(results, score))


def _verdict(results: Counter, score: float | None) -> str:
    """符合情况 of a control point: from its score when scored (10 符合, 0 不符合, else 部分符合); otherwise what its
    items are (all 不适用 -> 不适用; any error -> 未能评估; else 需人工核查). Items still manual keep a fully scored
    point at 需人工核查 rather than 符合: the tool has not proven all of it."""
    if score is None:
        if set(results) == {"not_applicable"}:
            return ItemResult.NOT_APPLICABLE.value
        return ItemResult.ERROR.value if results.get("error") else ItemResult.MANUAL.value
    if score >= 10:
        return ItemResult.COMPLIANT.value if not results.get("manual") else ItemResult.MANUAL.value
    return ItemResult.NONCOMPLIANT.value if score <= 0 else ItemResult.PARTIAL.value
