"""`mutation/run.py --sample N` (issue 15 must-have 3): a sampled kill rate is only worth its interval, and only if
the sample is random, repeatable and spread over the module's functions in proportion to their mutants."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "mutation"))
import run  # noqa: E402  (mutation/run.py)


def _module(sizes: dict[str, int]) -> dict[str, str]:
    return {f"checks.x.x_{f}__mutmut_{i}": "not checked" for f, n in sizes.items() for i in range(1, n + 1)}


def test_sample_is_stratified_by_function_and_repeatable():
    statuses = _module({"big": 60, "mid": 30, "small": 10})
    picked = run.sample(statuses, 20, seed=7)
    per_function = {f: sum(f"x_{f}__" in n for n in picked) for f in ("big", "mid", "small")}
    assert per_function == {"big": 12, "mid": 6, "small": 2}
    assert len(set(picked)) == 20 and set(picked) <= set(statuses)
    assert run.sample(statuses, 20, seed=7) == picked
    assert run.sample(statuses, 20, seed=8) != picked


def test_sample_shares_by_largest_remainder_and_never_exceeds_the_module():
    statuses = _module({"a": 5, "b": 3, "c": 2})          # 7 of 10: shares 3.5, 2.1, 1.4 -> 4, 2, 1
    picked = run.sample(statuses, 7, seed=1)
    assert [sum(f"x_{f}__" in n for n in picked) for f in "abc"] == [4, 2, 1]
    assert sorted(run.sample(statuses, 50, seed=1)) == sorted(statuses)


@pytest.mark.parametrize("k, n, low, high", [
    (20, 20, 0.839, 1.0),      # all killed: the interval still admits 84 %
    (18, 20, 0.699, 0.972),
    (10, 20, 0.299, 0.701),
    (0, 5, 0.0, 0.434),
])
def test_wilson_interval(k, n, low, high):
    lo, hi = run.wilson(k, n)
    assert lo == pytest.approx(low, abs=1e-3) and hi == pytest.approx(high, abs=1e-3)


def test_a_fresh_sample_never_draws_the_mutants_already_seen():
    """`--exclude FILE`: the sample that states the figure after tests were written for one sample's survivors
    draws none of that sample's mutants (and keeps the same size from the rest)."""
    by_module = {"checks.x": _module({"big": 60, "mid": 30, "small": 10})}
    first = run.draw(by_module, 20, seed=11)
    second = run.draw(by_module, 20, seed=12, seen=set(first))
    assert len(second) == 20 and not set(first) & set(second)
    judged = {"checks.x": {**by_module["checks.x"], **{n: "killed" for n in first}}}
    assert set(run.draw(judged, 20, seed=11)) == set()          # already run: not drawn again as "not checked"


def test_lock_pass_counts_only_wording_changes_as_wording():
    """The wording lock kills a survivor for the figure only when every check keeps its status (and no check comes or
    goes): a mutant that changes a verdict the judges miss is a survivor, even though the snapshot notices it."""
    import lock_pass
    lock = {"a.cfg": {"asset": ["assessed", ""], "ssh": ["pass", "已启用", "on", ["a.cfg:3: ssh on"]]},
            "b.cfg": {"asset": ["assessed", ""], "ssh": ["fail", "未启用", "off", []]}}
    same = {case: {k: list(v) for k, v in f.items()} for case, f in lock.items()}
    assert lock_pass.lock_effect(same, lock) is None
    reworded = {**same, "b.cfg": {**same["b.cfg"], "ssh": ["fail", "XX未启用XX", "off", []]}}
    assert lock_pass.lock_effect(reworded, lock) == "wording"
    recited = {**same, "a.cfg": {**same["a.cfg"], "ssh": ["pass", "已启用", "on", []]}}
    assert lock_pass.lock_effect(recited, lock) == "wording"
    flipped = {**same, "b.cfg": {**same["b.cfg"], "ssh": ["pass", "未启用", "off", []]}}
    assert lock_pass.lock_effect(flipped, lock) == "verdict"
    dropped = {**same, "a.cfg": {"asset": ["assessed", ""]}}
    assert lock_pass.lock_effect(dropped, lock) == "verdict"
    unassessed = {**same, "a.cfg": {**same["a.cfg"], "asset": ["not_assessed", "parse_error"]}}
    assert lock_pass.lock_effect(unassessed, lock) == "verdict"
