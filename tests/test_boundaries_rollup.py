"""How results combine (issue 15 must-have 2): an item across the assets of a system, and the items an asset has no
check for. The rules are GB/T 28448-2019's 单项测评 / 整体测评 as scanner/rollup.py's docstring states them: an item
holds for the system when it holds on every assessment object that it applies to; it fails when it holds on none of
them; otherwise it is partly met; an object not yet judged (manual, or a check that could not run) keeps the item
from being called met, and an error is never a pass. Items that apply to no object of the scan are the assessor's.
"""
from __future__ import annotations

import re

import pytest

from scanner.engine import assess_config_file
from scanner.model import Asset, AssetStatus, FleetFacts
from scanner.model import ItemResult as R
from scanner.registry import discover
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


# per test, not per module: mutmut gives a function's mutants only to the tests it saw call it, and a module-scoped
# fixture is built inside the first test alone (so rollup._item_reason 13 reached no test that reads the reason)
@pytest.fixture
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


def test_an_items_reason_names_its_failing_then_its_pending_checks(two_devices, ctx):
    # the report's 结果记录 for an item lists what is not met (未满足) or still to verify (待核查), by check title; the
    # roll-up runs here, in the test (the module-scoped fixture's roll-up would run under mutmut's first test only)
    seen = set()
    for asset in two_devices:
        by_check = {f.check: f for f in asset.findings}
        controls = control_results(asset.kind, asset.findings, ctx)
        assert controls == asset.controls
        for c in controls:
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


# Fleet checks (网络架构 / 集中管控): one management zone from which every device is managed; a reason in each language
# that names the assets at fault (survivors of the sampled mutation run, session 7)
def _fleet(name, zone="核心区", role="access", kind="network_device", **fleet):
    return Asset(name=name, platform="huawei_vrp", kind=kind, status=AssetStatus.ASSESSED, role=role, zone=zone,
                 fleet=FleetFacts(**fleet))


def _fleet_check(check_id):
    return next(c for c in discover(use_entry_points=False).fleet_checks if c.id == check_id)


def _languages_apart(v):
    assert any("\u4e00" <= ch <= "\u9fff" for ch in v.reason_zh), v.reason_zh
    assert v.reason_en and not any("\u4e00" <= ch <= "\u9fff" for ch in v.reason_en), v.reason_en


@pytest.mark.parametrize("sources, want", [
    ((["10.9.0.0 0.0.0.255"], ["10.9.0.0 0.0.0.255"]), "pass"),
    ((["10.9.0.0 0.0.0.255"], ["10.8.0.0 0.0.0.255"]), "fail"),        # two different source sets: 2 > 1
    ((["10.9.0.0 0.0.0.255"], ["10.8.0.0 0.0.0.255"], ["10.7.0.0 0.0.0.255"]), "fail"),
])
def test_management_sources_must_be_the_same_on_every_device(sources, want):
    devs = [_fleet(f"sw{i}", mgmt_sources=s) for i, s in enumerate(sources)] + \
        [_fleet("nms", zone="管理区", role="server", kind="server")]
    v = _fleet_check("fleet_management_zone").evaluate(devs)
    assert v.status.value == want
    _languages_apart(v)
    if want == "fail":
        assert f"（{len(sources)}种）" in v.reason_zh
    else:
        assert v.reason_zh.startswith("管理区：管理区；") and v.reason_en.startswith("one management zone; every device")


def test_fleet_checks_without_zones_or_roles_say_what_is_missing():
    bare = [_fleet("a", zone=None, role=None), _fleet("b", zone=None, role=None)]
    zone = _fleet_check("fleet_management_zone").evaluate(bare)
    assert zone.status.value == "manual" and zone.reason_zh.startswith("资产清单未标注安全区域（zone）")
    assert zone.reason_en == "no zones in the inventory"
    _languages_apart(zone)
    for check_id, en in (("fleet_key_devices_redundant", "no asset has role core/border/firewall"),
                         ("fleet_security_devices_present", "no roles in the inventory")):
        v = _fleet_check(check_id).evaluate(bare)
        assert v.status.value == "manual" and v.reason_en.startswith(en), (check_id, v)
        _languages_apart(v)


def test_central_logging_names_the_assets_that_send_no_logs():
    devs = [_fleet("a", syslog_hosts=["10.9.0.20"], ntp=True), _fleet("b", syslog_hosts=[], ntp=True)]
    v = _fleet_check("fleet_central_logging").evaluate(devs)
    assert v.status.value == "fail" and "未发送日志：b" in v.reason_zh and "b" in v.assets
    _languages_apart(v)
    ok = [_fleet("a", syslog_hosts=["10.9.0.20"], ntp=True), _fleet("b", syslog_hosts=["10.9.0.20"], ntp=True)]
    good = _fleet_check("fleet_central_logging").evaluate(ok)
    assert good.status.value == "pass" and "every asset logs to a common collector" in good.reason_en


def test_missing_security_devices_are_named_in_the_reason_and_the_recommendation():
    # 8.1.3.x / 8.1.5.x: a firewall, IPS/IDS, a log audit system and a bastion host; the plan names each one to add
    devs = [_fleet("fw", role="firewall"), _fleet("core", role="core")]
    v = _fleet_check("fleet_security_devices_present").evaluate(devs)
    assert v.status.value == "fail" and "boundary firewall" not in v.reason_en
    for zh, en in (("入侵防御/检测系统（IPS/IDS）", "IPS/IDS"), ("日志审计系统", "log audit system"),
                   ("运维审计系统（堡垒机）", "bastion host")):
        assert zh in v.reason_zh and en in v.reason_en and zh in v.recommendation and en in v.recommendation_en
    assert v.recommendation.startswith("需增加安全设备：入侵防御/检测系统（IPS/IDS）、日志审计系统、")
    assert v.recommendation_en.startswith("security devices to add: IPS/IDS, log audit system, ")


def test_an_internal_boundary_without_a_firewall_is_named_with_its_two_zones():
    # 8.1.3.1.a: between internal zones the switches' ACLs may be the controlled interface: left to the assessor,
    # who is told which boundary, between which zones
    from scanner.model import Boundary
    check = _fleet_check("fleet_boundary_controlled_interface")
    edges = [Boundary(name="办公", between=["core", "office"], exposure="internal", devices=["core1"])]
    v = check.evaluate([_fleet("core1", role="core")], edges)
    assert v.status.value == "manual" and "办公（core/office）" in v.reason_zh and "办公" in v.reason_en
    assert "core1" in v.assets


@pytest.mark.parametrize("text, message", [
    ("items:\n  '8.1.4.1.c':\n    decisive: x\n    why: y\n", "item 8.1.4.1.c: decisive and absence_only are lists"),
    ("items:\n  '8.1.4.1.c':\n    absence_only: [1]\n    why: y\n", "item 8.1.4.1.c: decisive and absence_only are"),
    ("items:\n  '8.1.4.1.c':\n    decisive: [x]\n", r"item 8.1.4.1.c: fields are .*why is required"),
    ("items: [a, b]\n", "needs a mapping 'items'"),
    ("- items\n", "needs a mapping 'items'"),                        # a list, not a mapping: no crash
    # a misspelt key would silently drop the rule it meant (decisive checks no longer decide): refused, with `why`
    ("items:\n  '8.1.4.1.c':\n    decisve: [a]\n    why: y\n", r"item 8.1.4.1.c: fields are decisive, absence_only"),
    ("items:\n  '8.1.4.1.c': [decisive, why]\n", r"item 8.1.4.1.c: fields are decisive, absence_only"),
])
def test_a_broken_rollup_rule_names_the_file_and_the_item(tmp_path, text, message):
    # bad input never crashes: one clear error naming the file and the entry at fault (the scan stops, exit 2)
    from scanner.datafiles import DataFileError
    from scanner.rollup import rules_in
    bad = tmp_path / "rollup.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        rules_in(bad)
    assert str(err.value).startswith(f"{bad}: ") and re.search(message, str(err.value))
    good = tmp_path / "good.yaml"
    good.write_text("items:\n  '8.1.4.1.c':\n    decisive: [a]\n    absence_only: [b]\n    why: y\n", encoding="utf-8")
    rule = rules_in(good)["8.1.4.1.c"]
    assert (rule.decisive, rule.absence_only) == (frozenset({"a"}), frozenset({"b"}))


def test_management_zones_are_named_in_one_order_whatever_the_process():
    # a report must read the same on every run: the management zones are named sorted, not in a set's order (which
    # changes with the process's hash seed); with five zones a set's order is sorted once in 120 runs
    zones = ["管理区A", "带外管理区", "mgmt-b", "oob-c", "management-d"]
    devs = [_fleet("sw1")] + [_fleet(f"nms{i}", zone=z, role="server", kind="server") for i, z in enumerate(zones)]
    v = _fleet_check("fleet_management_zone").evaluate(devs)
    assert v.status.value == "fail" and v.assets == ("sw1",)
    assert v.reason_zh.startswith(f"已划分管理区（{'、'.join(sorted(zones))}），但未限制管理来源：sw1")
    ok = _fleet_check("fleet_management_zone").evaluate([_fleet("sw1", mgmt_sources=["10.9.0.0 0.0.0.255"])] + devs[1:])
    assert ok.status.value == "pass" and ok.reason_zh.startswith(f"管理区：{'、'.join(sorted(zones))}；")


def test_each_boundary_lacking_a_firewall_gets_its_own_recommendation():
    # 8.1.3.1.a: the plan says where to add what: one clause per boundary, naming the boundary and its two zones
    from scanner.model import Boundary
    edges = [Boundary(name="出口", between=["internet", "dmz"], exposure="internet", devices=["r1"]),
             Boundary(name="外联", between=["partner", "dmz"], exposure="untrusted", devices=["r2"])]
    v = _fleet_check("fleet_boundary_controlled_interface").evaluate([_fleet("r1"), _fleet("r2")], edges)
    assert v.status.value == "fail" and v.assets == ("r1", "r2")
    assert "（internet与dmz之间）增加防火墙；在边界外联（partner与dmz之间）" in v.recommendation
    assert "between internet and dmz); add " in v.recommendation_en
    assert "(between partner and dmz)" in v.recommendation_en


def test_an_items_reason_lists_its_failing_checks_after_unmet():
    # GB/T 28448's 结果记录: an item not met names the checks that failed, by title, after 未满足; one still to verify
    # names its pending checks after 待核查 (the findings built here, so that this test itself reaches the roll-up)
    from scanner.engine import ScanContext
    from scanner.model import CheckStatus, FixKind, Finding, Severity

    def finding(check, title, status):
        return Finding(check=check, title_zh=title, title_en=check, status=status, severity=Severity.HIGH,
                       controls=["8.1.4.1.a"], fix_kind=FixKind.CONFIG)
    ctx = ScanContext.default()
    fail = [finding("a", "口令复杂度", CheckStatus.FAIL), finding("b", "登录失败处理", CheckStatus.FAIL),
            finding("c", "超时退出", CheckStatus.MANUAL)]
    item = next(c for c in control_results("network_device", fail, ctx) if c.id == "8.1.4.1.a")
    assert item.reason_zh == "未满足：口令复杂度；登录失败处理"
    pending = next(c for c in control_results("network_device", fail[2:], ctx) if c.id == "8.1.4.1.a")
    assert pending.reason_zh == "待核查：超时退出"


def _zoned(name, role, exposure, kind="network_device", remote="restricted", status=AssetStatus.ASSESSED):
    return Asset(name=name, platform="huawei_vrp" if kind == "network_device" else "linux", kind=kind, status=status,
                 role=role, exposure=exposure, fleet=FleetFacts(remote_mgmt=remote if kind == "network_device" else None))


def test_the_bastion_check_judges_the_network_devices_only_and_names_the_undetermined():
    # 8.1.5.1.x: management goes through the bastion when every network device limits its management sources; a
    # server's fleet facts say nothing about that, so it is neither a device to restrict nor an unknown one
    from scanner.model import Boundary
    check = _fleet_check("fleet_management_via_bastion")
    edges = [Boundary(name="管理", between=["mgmt", "core"], exposure="internal", devices=["sw1"])]
    base = [_zoned("jump1", "bastion", "management", kind="server"), _zoned("web1", "server", "internal", kind="server")]
    ok = check.evaluate(base + [_zoned("sw1", "core", "internal")], edges)
    assert ok.status.value == "pass" and ok.assets == ("jump1",)
    unknown = check.evaluate(base + [_zoned("sw1", "core", "internal", remote=None),
                                     _zoned("sw2", "core", "internal", remote=None)], edges)
    assert unknown.status.value == "manual" and unknown.assets == ("sw1", "sw2")
    assert unknown.reason_en.endswith("undetermined on: sw1, sw2")


def test_default_deny_names_the_devices_of_the_boundaries_without_a_firewall():
    from scanner.model import Boundary
    edges = [Boundary(name="出口", between=["internet", "dmz"], exposure="internet", devices=["r1"])]
    v = _fleet_check("fleet_boundary_default_deny").evaluate([_fleet("r1")], edges)
    assert v.status.value == "fail" and v.assets == ("r1",) and v.recommendation == ""


def test_central_logging_with_no_assessed_asset_says_so_in_each_language():
    v = _fleet_check("fleet_central_logging").evaluate([])
    assert v.status.value == "manual"
    _languages_apart(v)
