"""Fleet-wide checks over an inventory: redundancy, security devices, management zone, central logging."""
from __future__ import annotations

from scanner.model import Asset, AssetStatus, CheckStatus, FleetFacts
from scanner.registry import discover

CHECK = {c.id: c for c in discover(use_entry_points=False).fleet_checks}


def asset(name, role, zone="核心区", group=None, kind="network_device", **fleet):
    return Asset(name=name, platform="huawei_vrp", kind=kind, status=AssetStatus.ASSESSED, role=role, zone=zone,
                 redundancy_group=group, fleet=FleetFacts(**fleet))


def test_redundancy_pairs_and_device_level_evidence():
    ok = [asset("c1", "core", group="core"), asset("c2", "core", group="core"), asset("fw", "firewall", redundancy=True)]
    assert CHECK["fleet_key_devices_redundant"].evaluate(ok).status == CheckStatus.PASS
    bad = ok + [asset("rtr", "border", zone="DMZ")]
    v = CHECK["fleet_key_devices_redundant"].evaluate(bad)
    assert v.status == CheckStatus.FAIL and v.assets == ("rtr",)


def test_missing_security_devices_are_named():
    v = CHECK["fleet_security_devices_present"].evaluate([asset("fw", "firewall"), asset("la", "log_audit")])
    assert v.status == CheckStatus.FAIL and "IPS/IDS" in v.recommendation and "堡垒机" in v.recommendation
    full = [asset(n, r) for n, r in (("fw", "firewall"), ("ips", "ips"), ("la", "log_audit"), ("b", "bastion"))]
    assert CHECK["fleet_security_devices_present"].evaluate(full).status == CheckStatus.PASS


def test_management_zone_and_consistent_sources():
    devs = [asset("a", "access", mgmt_sources=["10.9.0.0 0.0.0.255"]), asset("b", "access", mgmt_sources=["10.9.0.0 0.0.0.255"]),
            asset("nms", "server", zone="管理区", kind="server")]
    assert CHECK["fleet_management_zone"].evaluate(devs).status == CheckStatus.PASS
    devs[1] = asset("b", "access", mgmt_sources=[])
    v = CHECK["fleet_management_zone"].evaluate(devs)
    assert v.status == CheckStatus.FAIL and v.assets == ("b",)
    assert CHECK["fleet_management_zone"].evaluate(devs[:2]).status == CheckStatus.FAIL      # no 管理区 at all


def test_central_logging_needs_a_common_collector_and_time():
    good = [asset("a", "core", syslog_hosts=["10.9.0.20"], ntp=True), asset("b", "core", syslog_hosts=["10.9.0.20", "x"], ntp=True)]
    assert CHECK["fleet_central_logging"].evaluate(good).status == CheckStatus.PASS
    split = [asset("a", "core", syslog_hosts=["10.9.0.20"], ntp=True), asset("b", "core", syslog_hosts=["10.9.0.21"], ntp=False)]
    v = CHECK["fleet_central_logging"].evaluate(split)
    assert v.status == CheckStatus.FAIL and "b" in v.assets and "不统一" in v.reason_zh


def test_fleet_results_feed_system_items_and_score(tmp_path):
    from scanner.engine import ScanContext, build_result
    from datetime import datetime, timezone
    assets = [asset("c1", "core", group="g"), asset("c2", "core", group="g")]
    res = build_result(assets, ScanContext.default(), datetime.now(timezone.utc))
    item = next(i for i in res.items if i.id == "8.1.2.1.e")
    assert item.result.value == "compliant" and item.automated
    assert res.score.items["8.1.2.1.e"] == 1.0
    # no boundaries declared: every fleet check but the per-boundary ones (tests/test_zone_boundaries.py)
    assert {f.check for f in res.fleet} == {k for k, c in CHECK.items() if c.scope != "boundaries"}


def test_same_admin_password_on_two_devices(tmp_path):
    from scanner.engine import ScanContext, scan_configs
    from conftest import CONFIGS
    cfg = (CONFIGS / "cisco_ios/hardened_c9300_17.9.cfg").read_text()
    (tmp_path / "a.cfg").write_text(cfg)
    (tmp_path / "b.cfg").write_text(cfg.replace("hostname", "hostname b-", 1))     # copied template: same hashes
    res = scan_configs([tmp_path], ScanContext.default())
    f = next(x for x in res.fleet if x.check == "fleet_admin_passwords_distinct")
    assert f.status == CheckStatus.FAIL and set(f.assets) == {"a", "b"}
    assert next(x for x in res.fleet if x.check == "fleet_security_devices_present").status == CheckStatus.MANUAL
    (tmp_path / "b.cfg").write_text((CONFIGS / "cisco_ios/weak_isr4331_16.9.cfg").read_text())
    res = scan_configs([tmp_path], ScanContext.default())
    assert next(x for x in res.fleet if x.check == "fleet_admin_passwords_distinct").status == CheckStatus.PASS


# Reasons name the deciding condition and the assets (issue 15, seed-12 wording survivors): opening words, not snapshots.
def test_shared_password_reason_opens_with_the_condition_and_names_the_devices():
    v = CHECK["fleet_admin_passwords_distinct"].evaluate(
        [asset("a", "core", admin_secrets=["fp1"]), asset("b", "core", admin_secrets=["fp1"]),
         asset("c", "core", admin_secrets=["fp2"])])
    assert v.status == CheckStatus.FAIL and v.assets == ("a", "b")
    assert v.reason_en.startswith("the same administrator password (or hash) is used on several devices: a, b")
    assert v.reason_zh.startswith("多台设备的管理员口令（或其散列）相同") and v.reason_zh.endswith("a、b")


def test_missing_security_devices_reason_opens_with_the_condition_and_names_each_function():
    v = CHECK["fleet_security_devices_present"].evaluate([asset("fw", "firewall"), asset("la", "log_audit")])
    assert v.reason_en.startswith("security devices missing from the inventory: IPS/IDS, bastion host"), v.reason_en
    assert v.reason_zh.startswith("资产清单中缺少安全设备：入侵防御/检测系统（IPS/IDS）、运维审计系统（堡垒机）")


def test_central_logging_reason_lists_each_problem_separately():
    # b sends no logs and has no time sync: two problems, each with its label and asset
    v = CHECK["fleet_central_logging"].evaluate(
        [asset("a", "core", syslog_hosts=["10.9.0.20"], ntp=True), asset("b", "core", syslog_hosts=[], ntp=False)])
    assert v.status == CheckStatus.FAIL and v.assets == ("b",)
    assert v.reason_en.split("; ") == ["not logging remotely: b", "no time sync: b"], v.reason_en
    assert v.reason_zh.split("；") == ["未发送日志：b", "未同步时间：b"], v.reason_zh
    # everyone logs, but to different collectors: the reason opens with that condition
    v = CHECK["fleet_central_logging"].evaluate(
        [asset("a", "core", syslog_hosts=["10.9.0.20"], ntp=True), asset("b", "core", syslog_hosts=["10.9.0.21"])])
    assert v.status == CheckStatus.FAIL and v.assets == ()
    assert v.reason_en == "no common log collector" and v.reason_zh.startswith("设备的日志服务器不统一")


def test_a_console_only_device_needs_no_management_sources():
    """8.1.5.4.a asks that devices be managed from the management zone: a device with no remote management path at
    all (console or out-of-band only, `remote_mgmt: local_only`) cannot be managed from anywhere else and is not
    "unrestricted"; one whose remote path admits any source, or cannot be told, still fails."""
    def devs(remote):
        return [asset("a", "access", mgmt_sources=["10.9.0.0 0.0.0.255"], remote_mgmt="restricted"),
                asset("b", "access", remote_mgmt=remote), asset("nms", "server", zone="管理区", kind="server")]
    assert CHECK["fleet_management_zone"].evaluate(devs("local_only")).status == CheckStatus.PASS
    for remote in ("unrestricted", None):
        v = CHECK["fleet_management_zone"].evaluate(devs(remote))
        assert (v.status, v.assets) == (CheckStatus.FAIL, ("b",)) and "未限制管理来源：b" in v.reason_zh


def test_a_device_on_several_boundaries_is_named_once():
    """A firewall between three zones sits on two boundaries: the verdict names it once (the report lists the
    devices a boundary verdict is about)."""
    from scanner.model import Boundary
    fw = asset("fw1", "firewall", zone="core", syslog_hosts=["10.9.0.20"])
    edges = [Boundary(name="a", between=["core", "office"], exposure="internal", devices=["fw1"]),
             Boundary(name="b", between=["core", "dmz"], exposure="untrusted", devices=["fw1"])]
    assert CHECK["fleet_boundary_controlled_interface"].evaluate([fw], edges).assets == ("fw1",)
    assert CHECK["fleet_boundary_audit"].evaluate([fw], edges).assets == ("fw1",)
    v = CHECK["fleet_boundary_intrusion_prevention"].evaluate([fw], edges)
    assert (v.status, v.assets) == (CheckStatus.FAIL, ("fw1",))
    sw = asset("sw1", "core", zone="core")
    inner = [Boundary(name="c", between=["core", "office"], exposure="internal", devices=["sw1"]),
             Boundary(name="d", between=["core", "lab"], exposure="internal", devices=["sw1"])]
    v = CHECK["fleet_boundary_controlled_interface"].evaluate([sw], inner)
    assert (v.status, v.assets) == (CheckStatus.MANUAL, ("sw1",))


# Session 11 (mut11n), seed-41 survivors of checks/fleet.py: a verdict about several devices names each of them as
# one item of its list (the report reader counts and finds them), a pass names the devices it vouches for, and a
# pass reads in both languages.
def test_central_logging_names_each_device_of_each_problem():
    v = CHECK["fleet_central_logging"].evaluate(
        [asset("a", "core", syslog_hosts=["10.9.0.20"], ntp=True), asset("b", "core", ntp=False),
         asset("c", "core", ntp=False)])
    assert v.status == CheckStatus.FAIL and v.assets == ("b", "c")
    assert v.reason_en.split("; ") == ["not logging remotely: b, c", "no time sync: b, c"], v.reason_en
    assert v.reason_zh.split("；") == ["未发送日志：b、c", "未同步时间：b、c"], v.reason_zh


def test_key_devices_without_redundancy_are_each_named():
    v = CHECK["fleet_key_devices_redundant"].evaluate([asset("r1", "border", zone="DMZ"), asset("r2", "core")])
    assert (v.status, v.assets) == (CheckStatus.FAIL, ("r1", "r2"))
    assert v.reason_en.endswith(": r1, r2") and v.reason_zh.endswith("：r1、r2")


def test_a_redundancy_pass_names_the_key_devices_it_covers():
    ok = [asset("c1", "core", group="core"), asset("c2", "core", group="core"),
          asset("fw", "firewall", redundancy=True), asset("sw", "access")]
    v = CHECK["fleet_key_devices_redundant"].evaluate(ok)
    assert (v.status, v.assets) == (CheckStatus.PASS, ("c1", "c2", "fw"))


def test_a_complete_set_of_security_devices_passes_in_both_languages():
    full = [asset(n, r) for n, r in (("fw", "firewall"), ("ips", "ips"), ("la", "log_audit"), ("b", "bastion"))]
    v = CHECK["fleet_security_devices_present"].evaluate(full)
    assert v.status == CheckStatus.PASS and "IPS/IDS" in v.reason_zh and "IPS/IDS" in v.reason_en
