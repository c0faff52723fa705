"""MLPS scores and the conclusion, from item results across assets, by a versioned, data-driven template.

Item score: the mean over the assets that were assessed for it (符合 1, 部分符合 0.5, 不符合 0); 不适用, manual and
error are excluded (errors are counted and shown as unassessed). Control point: weighted mean of its items × 10.
Layer and overall: 100 × Σ(weight × score) / Σ weight over the assessed items. Any unresolved high-risk item
forces the worst conclusion. The score covers only the items the scanner assessed; the rest stay manual.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache


from scanner.catalog import CATALOG_DIR, Catalog
from scanner.model import ItemResult, Score
from scanner.textio import load_yaml


@cache
def templates() -> dict:
    return load_yaml((CATALOG_DIR / "scoring.yaml").read_text(encoding="utf-8"))


def compute_score(results: Mapping[str, Iterable[ItemResult]], catalog: Catalog, unresolved_high_risks: int,
                  template: str | None = None) -> Score:
    data = templates()
    name = template or data["default"]
    t = data["templates"][name]
    points = {ItemResult(k): float(v) for k, v in t["result_scores"].items()}
    item_scores: dict[str, float] = {}
    unassessed = manual = 0
    for item in catalog.items:
        rs = list(results.get(item.id, ()))
        scored = [points[r] for r in rs if r in points]
        if scored:
            item_scores[item.id] = sum(scored) / len(scored)
        elif any(r == ItemResult.ERROR for r in rs):
            unassessed += 1
        elif not rs or ItemResult.MANUAL in rs:    # manual on some objects, not applicable on the others
            manual += 1

    def weighted(ids: Iterable[str], scale: float) -> float | None:
        ws = [(catalog.item(i).weight, item_scores[i]) for i in ids if i in item_scores]
        total = sum(w for w, _ in ws)
        return round(scale * sum(w * s for w, s in ws) / total, 2) if total else None

    by_cp: dict[str, list[str]] = {}
    by_layer: dict[str, list[str]] = {}
    for item in catalog.items:
        by_cp.setdefault(item.control_point, []).append(item.id)
        by_layer.setdefault(item.layer, []).append(item.id)
    cps = {cp: s for cp, ids in by_cp.items() if (s := weighted(ids, t["control_point_scale"])) is not None}
    layers = {lid: s for lid, ids in by_layer.items() if (s := weighted(ids, t["overall_scale"])) is not None}
    overall = weighted(item_scores, t["overall_scale"])
    conclusion = conclusion_en = None
    if overall is not None:
        c = next(c for c in t["conclusions"] if overall >= c["min"])
        if unresolved_high_risks:
            c = next(c for c in t["conclusions"] if c["zh"] == t["high_risk_forces"])
        conclusion, conclusion_en = c["zh"], c["en"]
    return Score(template=name, overall=overall, conclusion=conclusion, conclusion_en=conclusion_en,
                 items_scored=len(item_scores), items_manual=manual, items_unassessed=unassessed,
                 items_total=len(catalog.items), unresolved_high_risks=unresolved_high_risks,
                 control_points=cps, layers=layers, items={k: round(v, 4) for k, v in item_scores.items()})
