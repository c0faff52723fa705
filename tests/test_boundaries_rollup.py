"""How results combine (issue 15 must-have 2): an item across the assets of a system, and the items an asset has no
check for. The rules are GB/T 28448-2019's 单项测评 / 整体测评 as scanner/rollup.py's docstring states them: an item
holds for the system when it holds on every assessment object that it applies to; it fails when it holds on none of
them; otherwise it is partly met; an object not yet judged (manual, or a check that could not run) keeps the item
from being called met, and an error is never a pass. Items that apply to no object of the scan are the assessor's.
"""
from __future__ import annotations

import pytest

from scanner.engine import assess_config_file
from scanner.model import ItemResult as R
from scanner.rollup import combine_assets, control_results, system_items

from conftest import CONFIGS

C, P, N, M, E, NA = R.COMPLIANT, R.PARTIAL, R.NONCOMPLIANT, R.MANUAL, R.ERROR, R.NOT_APPLICABLE


@pytest.mark.parametrize("results, want", [
    ([C, C], C), ([C, NA], C),
    ([C, M], M),                 # one object still to be judged: not yet met for the system
    ([C, E], M),                 # nor when its check could not run
    ([N, N], N), ([N, M], N),    # held on none of the judged objects
    ([C, N], P), ([P], P), ([P, P], P), ([N, P], P),
    ([M], M), ([M, M], M), ([E], E), ([M, E], E), ([E, NA], E),
    ([NA], NA), ([], NA),
])
def test_an_item_across_assets(results, want):
    assert combine_assets(results) == want


@pytest.fixture(scope="module")
def two_devices(ctx):
    return [assess_config_file(CONFIGS / "huawei_vrp" / "weak_s5700_v200r005.cfg", ctx),
            assess_config_file(CONFIGS / "cisco_ios" / "hardened_c9300_17.9.cfg", ctx)]


def test_system_items_count_each_assets_result(two_devices, ctx):
    items = {i.id: i for i in system_items(two_devices, ctx)}
    assert set(items) == {i.id for i in ctx.catalog.items}          # every catalogue item is listed
    for item_id in ("8.1.4.1.a", "8.1.4.8.b", "8.1.2.2.a"):
        per_asset = [next(c.result for c in a.controls if c.id == item_id) for a in two_devices]
        got = items[item_id]
        assert got.result == combine_assets(per_asset) and got.automated
        assert sum(got.assets.values()) == 2
        assert got.assets == {r.value: per_asset.count(r) for r in set(per_asset)}


def test_system_level_items_are_the_assessors(two_devices, ctx):
    items = {i.id: i for i in system_items(two_devices, ctx)}
    physical = items["8.1.1.1.a"]                                   # 物理位置选择: no device answers it
    assert physical.result == M and not physical.automated and not physical.assets
    assert physical.reason_zh == "系统级或管理类测评项：需测评人员通过访谈、文档或现场核查判定"


def test_items_without_a_check_and_not_applicable_items(two_devices, ctx):
    dev = two_devices[0]
    by_id = {c.id: c for c in dev.controls}
    # 8.1.4.5.a (恶意代码防范) does not apply to network devices: the catalogue's wording, and the English one
    na = by_id["8.1.4.5.a"]
    assert na.result == NA and na.reason_zh == ctx.catalog.not_applicable_reason("network_device", "8.1.4.5.a")
    assert na.reason_en == "not applicable to this kind of assessment object"
    unchecked = [c for c in dev.controls if not c.checks and c.result == M]
    assert unchecked, "a network device has items no check answers (the assessor's)"
    for c in unchecked:
        assert c.reason_zh == "无自动化检查：需测评人员通过访谈、文档或现场核查判定"
        assert c.reason_en == "no automated check: an assessor decides from interviews, documents or on-site review"
    assert {c.id for c in control_results("network_device", [], ctx)} == {i.id for i in ctx.catalog.items_for(
        "network_device")}


def test_an_items_reason_names_its_failing_then_its_pending_checks(two_devices):
    # the report's 结果记录 for an item lists what is not met (未满足) or still to verify (待核查), by check title
    seen = set()
    for asset in two_devices:
        by_check = {f.check: f for f in asset.findings}
        for c in asset.controls:
            if not c.checks:
                continue
            fs = [by_check[k] for k in c.checks]
            assert sorted(c.checks) == sorted(f.check for f in asset.findings if c.id in f.controls)
            failing = [f.title_zh for f in fs if f.status.value == "fail"]
            pending = [f.title_zh for f in fs if f.status.value in ("manual", "error")]
            if failing:
                want = "未满足：" + "；".join(failing)
            elif pending:
                want = "待核查：" + "；".join(pending)
            else:
                want = ""
            assert c.reason_zh == want, c.id
            seen.add(want[:4])
    assert seen == {"未满足：", "待核查：", ""}      # all three shapes occur on these two devices
