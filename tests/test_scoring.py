"""Scoring, table-tested with hand-computed examples (MLPS-L3.md §4.5 is computed on a real Level-3 record)."""
from __future__ import annotations

import pytest

from scanner.catalog import load_catalog
from scanner.model import ItemResult as R
from scanner.scoring import compute_score

C, P, N, NA, M, E = R.COMPLIANT, R.PARTIAL, R.NONCOMPLIANT, R.NOT_APPLICABLE, R.MANUAL, R.ERROR

# MLPS-L3.md §4.5: a firewall and a file server, item by item (firewall, server).
WORKED = {
    "8.1.4.1.a": (P, C), "8.1.4.1.b": (C, P), "8.1.4.1.c": (C, C), "8.1.4.1.d": (N, N),
    "8.1.4.2.a": (C, C), "8.1.4.2.b": (C, P), "8.1.4.2.c": (C, C), "8.1.4.2.d": (C, N), "8.1.4.2.e": (C, C),
    "8.1.4.2.f": (C, C), "8.1.4.2.g": (N, N),
    "8.1.4.3.a": (P, C), "8.1.4.3.b": (C, C), "8.1.4.3.c": (C, P), "8.1.4.3.d": (C, C),
    "8.1.4.4.a": (C, C), "8.1.4.4.b": (C, C), "8.1.4.4.c": (C, N), "8.1.4.4.d": (NA, NA), "8.1.4.4.e": (N, N),
    "8.1.4.4.f": (NA, N),
    "8.1.4.7.a": (P, C), "8.1.4.7.b": (N, N), "8.1.4.8.a": (C, C), "8.1.4.8.b": (C, C),
    "8.1.4.9.a": (P, N), "8.1.4.9.b": (N, N), "8.1.4.9.c": (N, C), "8.1.4.6.a": (N, N),
}


def test_worked_example_control_points():
    s = compute_score(WORKED, load_catalog(), 0)
    assert s.control_points == {"8.1.4.1": 6.03, "8.1.4.2": 7.91, "8.1.4.3": 8.55, "8.1.4.4": 5.39,
                                "8.1.4.7": 3.09, "8.1.4.8": 10.0, "8.1.4.9": 2.78, "8.1.4.6": 0.0}
    assert s.items["8.1.4.4.f"] == 0.0 and "8.1.4.4.d" not in s.items      # N/A object and N/A item excluded


def test_overall_by_hand_with_partial_na_manual_and_error():
    # Three assets; weights 8.1.4.1.a 0.7, 8.1.4.1.c 1.0, 8.1.4.2.d 0.4, 8.1.4.3.b 0.4
    results = {
        "8.1.4.1.a": (C, P, NA),      # (1 + 0.5) / 2 = 0.75
        "8.1.4.1.c": (N, C, C),       # 2 / 3
        "8.1.4.2.d": (P, P, M),       # 0.5 (manual excluded)
        "8.1.4.3.b": (E, E, E),       # unassessed: not scored, counted
        "8.1.4.3.a": (M, M, M),       # manual
    }
    s = compute_score(results, load_catalog(), 0)
    expected = 100 * (0.7 * 0.75 + 1.0 * (2 / 3) + 0.4 * 0.5) / (0.7 + 1.0 + 0.4)
    assert s.overall == pytest.approx(round(expected, 2))             # 66.27
    assert s.conclusion == "差"                                        # below 70
    assert (s.items_scored, s.items_unassessed) == (3, 1)
    assert s.items_manual == 211 - 3 - 1                                # every other catalogue item stays manual
    assert s.control_points["8.1.4.1"] == pytest.approx(round(10 * (0.7 * 0.75 + 1.0 * 2 / 3) / 1.7, 2))
    assert s.layers == {"8.1.4": s.overall}


def test_item_scores_counts_and_conclusion_in_both_languages():
    """Per-item scores keep 4 decimals; every error item counts as unassessed; an item that is not applicable on
    every asset is neither scored nor left to the assessor (found by `make mutation`: none of this was pinned)."""
    results = {
        "8.1.4.1.a": (C, C, N),       # 2/3 -> 0.6667
        "8.1.4.1.c": (P,),            # 0.5
        "8.1.4.3.b": (E,),            # unassessed
        "8.1.4.3.c": (E, E),          # unassessed
        "8.1.4.3.d": (NA, NA),        # not applicable: not scored, not manual
    }
    s = compute_score(results, load_catalog(), 0)
    assert s.items == {"8.1.4.1.a": 0.6667, "8.1.4.1.c": 0.5}
    assert (s.items_scored, s.items_unassessed, s.items_manual, s.items_total) == (2, 2, 211 - 2 - 2 - 1, 211)
    assert s.overall == pytest.approx(round(100 * (0.7 * 2 / 3 + 1.0 * 0.5) / 1.7, 2))      # 56.86
    assert (s.conclusion, s.conclusion_en) == ("差", "poor")


@pytest.mark.parametrize("results,high,conclusion", [
    ({"8.1.4.1.c": (C,), "8.1.4.1.a": (C,)}, 0, "优"),
    ({"8.1.4.1.c": (C,), "8.1.4.1.a": (C,)}, 1, "差"),                   # an unresolved high risk forces 差
    ({"8.1.4.1.c": (C,), "8.1.4.1.a": (P,), "8.1.4.2.d": (C,)}, 0, "良"),  # 100 × 1.75 / 2.1 = 83.33
    ({"8.1.4.1.c": (C,), "8.1.4.1.a": (P,)}, 0, "中"),                   # 100 × 1.35 / 1.7 = 79.41
    ({"8.1.4.1.c": (C,), "8.1.4.2.d": (N,), "8.1.4.1.a": (N,)}, 0, "差"),  # 100 × 1 / 2.1 = 47.62
])
def test_conclusion_thresholds(results, high, conclusion):
    assert compute_score(results, load_catalog(), high).conclusion == conclusion


def test_nothing_scored_gives_no_score():
    s = compute_score({"8.1.4.1.a": (M,)}, load_catalog(), 0)
    assert s.overall is None and s.conclusion is None


def test_catalogue_data_cites_only_public_sources_never_a_file_outside_the_repository():
    from conftest import ROOT
    outside = ("/work/", "../shared", "shared/reference", "MLPS-L3.md", "index id", "search-index")
    for f in sorted((ROOT / "checks").rglob("*.yaml")):
        text = f.read_text(encoding="utf-8")
        assert not [w for w in outside if w in text], f
    header = (ROOT / "checks" / "catalog" / "gb22239_2019_l3.yaml").read_text(encoding="utf-8").split("\ncatalog:")[0]
    assert "GB/T 22239-2019" in header and "GitHub 9018/dengbaoceping" in header
