"""Boundary tables for the score and the conclusion (issue 15 must-have 2). From the 2021 report template as
MLPS-L3.md §4.4 quotes it [S11]: 综合得分 >= 90 优, >= 80 良, >= 70 中, below 70 差, and any unresolved high-risk
problem gives 差 whatever the score; item scores 符合 1, 部分符合 0.5, 不符合 0, 不适用 left out (§4.1, §4.3).

A catalogue of 200 items of equal weight (an injected stand-in for the real one) puts the overall score exactly on,
just below and just above each edge: k compliant items and one partial give 100 × (k + 0.5) / 200.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from scanner.model import ItemResult
from scanner.scoring import compute_score

C, P, N, NA, M, E = (ItemResult.COMPLIANT, ItemResult.PARTIAL, ItemResult.NONCOMPLIANT, ItemResult.NOT_APPLICABLE,
                     ItemResult.MANUAL, ItemResult.ERROR)


@dataclass(frozen=True)
class _Item:
    id: str
    weight: float = 1.0
    control_point: str = "cp"
    layer: str = "layer"


class _Catalog:
    def __init__(self, n: int):
        self.items = [_Item(f"i{k:03d}") for k in range(n)]
        self._by_id = {i.id: i for i in self.items}

    def item(self, item_id: str) -> _Item:
        return self._by_id[item_id]


CATALOG = _Catalog(200)


def results(compliant: int, partial: int = 0) -> dict:
    out, ids = {}, [i.id for i in CATALOG.items]
    for k, item in enumerate(ids):
        out[item] = (C,) if k < compliant else (P,) if k < compliant + partial else (N,)
    return out


@pytest.mark.parametrize("compliant, partial, score, conclusion", [
    (181, 0, 90.5, "优"), (180, 0, 90.0, "优"), (179, 1, 89.75, "良"),
    (161, 0, 80.5, "良"), (160, 0, 80.0, "良"), (159, 1, 79.75, "中"),
    (141, 0, 70.5, "中"), (140, 0, 70.0, "中"), (139, 1, 69.75, "差"),
    (0, 0, 0.0, "差"), (200, 0, 100.0, "优"),
])
def test_conclusion_edges(compliant, partial, score, conclusion):
    s = compute_score(results(compliant, partial), CATALOG, 0)
    assert s.overall == pytest.approx(score) and s.conclusion == conclusion


@pytest.mark.parametrize("high_risks, conclusion", [(0, "优"), (1, "差"), (3, "差")])
def test_high_risk_caps_the_conclusion(high_risks, conclusion):
    s = compute_score(results(200), CATALOG, high_risks)
    assert s.overall == 100.0 and s.conclusion == conclusion


@pytest.mark.parametrize("outcomes, score", [
    ((C,), 1.0), ((P,), 0.5), ((N,), 0.0), ((C, N), 0.5), ((C, P, N), 0.5), ((C, NA), 1.0), ((P, M), 0.5),
    ((C, E), 1.0),
])
def test_item_score_is_the_mean_over_assessed_objects(outcomes, score):
    s = compute_score({"i000": outcomes}, CATALOG, 0)
    assert s.items == {"i000": score} and s.overall == pytest.approx(100 * score)


@pytest.mark.parametrize("outcomes, manual, unassessed", [((M,), 1, 0), ((NA,), 0, 0), ((E,), 0, 1), ((NA, M), 1, 0),
                                                          ((E, M), 0, 1)])
def test_unscored_items_are_counted_not_scored(outcomes, manual, unassessed):
    s = compute_score({"i000": outcomes}, CATALOG, 0)
    assert s.items == {} and s.overall is None and s.conclusion is None
    assert (s.items_manual - 199, s.items_unassessed) == (manual, unassessed)   # the 199 others have no result


def test_weights_pull_the_score():
    heavy = _Catalog(2)
    object.__setattr__(heavy.items[0], "weight", 1.0)
    object.__setattr__(heavy.items[1], "weight", 0.4)
    s = compute_score({"i000": (C,), "i001": (N,)}, heavy, 0)
    assert s.overall == pytest.approx(round(100 * 1.0 / 1.4, 2))                       # 71.43, not 50
    assert s.control_points == {"cp": pytest.approx(round(10 * 1.0 / 1.4, 2))}
