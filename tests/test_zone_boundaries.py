"""Zones and boundaries as data (issue 13 must-have 5): the inventory declares the boundaries between its zones and
the devices on each; the fleet checks judge every boundary (a firewall on each, intrusion prevention and
anti-malware at internet/untrusted ones, audit at each, management through a bastion in the management zone) and
name the boundary that lacks a function, so the plan says what to add where."""
from __future__ import annotations

import textwrap

import pytest

from scanner.engine import ScanContext, run_fleet
from scanner.inventory import InventoryError, load_inventory
from scanner.model import Asset, AssetStatus, Boundary, CheckStatus, FleetFacts, Topology

from conftest import run_mlps

ZONES = """\
zones:
  internet: {exposure: internet}
  dmz: {exposure: untrusted}
  core: {exposure: internal}
  mgmt: {exposure: management}
"""
ASSETS = """\
assets:
  - {name: fw1, address: 192.0.2.1, zone: dmz, role: firewall}
  - {name: ips1, address: 192.0.2.2, zone: dmz, role: ips}
  - {name: core1, address: 192.0.2.3, zone: core, role: core}
  - {name: jump1, address: 192.0.2.4, zone: mgmt, role: bastion, platform: linux}
"""


def _inventory(tmp_path, boundaries: str):
    p = tmp_path / "inv.yaml"
    p.write_text(ZONES + ASSETS + boundaries, encoding="utf-8")
    return p


def test_boundaries_are_read_with_their_exposure(tmp_path):
    inv = load_inventory(_inventory(tmp_path, textwrap.dedent("""\
        boundaries:
          - {name: edge, between: [internet, dmz], devices: [fw1, ips1]}
          - {between: [core, dmz], devices: [fw1]}
          - {between: [core, mgmt]}
        """)))
    edges = inv.topology.boundaries
    assert [(b.name, b.exposure, b.devices) for b in edges] == [
        ("edge", "internet", ["fw1", "ips1"]), ("core|dmz", "untrusted", ["fw1"]), ("core|mgmt", "internal", [])]
    assert inv.topology.zones["mgmt"] == "management"


@pytest.mark.parametrize("boundaries, line, field, words", [
    ("boundaries: {edge: [internet, dmz]}\n", 11, "boundaries", "must be a list"),
    ("boundaries:\n  - {between: [internet]}\n", 12, "boundaries[0].between", "two different zones"),
    ("boundaries:\n  - {between: [dmz, dmz]}\n", 12, "boundaries[0].between", "two different zones"),
    ("boundaries:\n  - {between: [internet, lan]}\n", 12, "boundaries[0].between", "unknown zone 'lan'"),
    ("boundaries:\n  - between: [internet, dmz]\n    devices: [fw9]\n", 13, "boundaries[0].devices",
     "no asset named 'fw9'"),
    ("boundaries:\n  - {between: [internet, dmz], devices: fw1}\n", 12, "boundaries[0].devices", "list of asset"),
    ("boundaries:\n  - {name: e, between: [internet, dmz]}\n  - {name: e, between: [dmz, core]}\n", 13,
     "boundaries[1].name", "duplicate boundary name 'e'"),
    ("boundaries:\n  - {name: \"e\\u202e\", between: [internet, dmz]}\n", 12, "boundaries[0].name", "U+202E"),
    ("boundaries:\n  - {between: [internet, dmz], via: fw1}\n", 12, "boundaries[0]", "optional `name`"),
])
def test_a_bad_boundary_names_file_line_and_field(tmp_path, boundaries, line, field, words):
    with pytest.raises(InventoryError) as e:
        load_inventory(_inventory(tmp_path, boundaries))
    assert (e.value.line, e.value.field) == (line, field) and words in e.value.message, str(e.value)


def test_the_cli_refuses_a_bad_boundary_with_exit_2(tmp_path):
    p = _inventory(tmp_path, "boundaries:\n  - {between: [internet, lan]}\n")
    r = run_mlps("scan", str(p), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{p}:12: field 'boundaries[0].between': unknown zone 'lan'" in r.stderr


def _asset(name, role, exposure, remote="restricted", logs=("10.9.9.9",), kind="network_device"):
    return Asset(name=name, platform="huawei_vrp" if kind == "network_device" else "linux", kind=kind,
                 status=AssetStatus.ASSESSED, role=role, exposure=exposure,
                 fleet=FleetFacts(syslog_hosts=list(logs), remote_mgmt=remote))


def _fleet(assets, boundaries):
    found = run_fleet(assets, ScanContext.default().fleet_checks, Topology(boundaries=boundaries))
    return {f.check: f for f in found}


def _edge(name, a, b, exposure, devices):
    return Boundary(name=name, between=[a, b], exposure=exposure, devices=devices)


def test_each_boundary_is_judged_and_the_missing_device_named_with_its_boundary():
    assets = [_asset("fw1", "firewall", "untrusted"), _asset("core1", "core", "internal"),
              _asset("jump1", "bastion", "management", kind="server")]
    edges = [_edge("出口", "internet", "dmz", "internet", ["fw1"]), _edge("内网", "dmz", "core", "untrusted", ["core1"]),
             _edge("办公", "core", "office", "internal", ["core1"])]
    f = _fleet(assets, edges)
    assert "fleet_security_devices_present" not in f          # replaced by the per-boundary checks
    ci = f["fleet_boundary_controlled_interface"]
    assert ci.status == CheckStatus.FAIL and "内网" in ci.reason_zh and "出口" not in ci.reason_zh
    assert "办公" not in ci.reason_zh                 # internal: ACLs may serve (manual), see below
    assert ci.recommendation == "在边界内网（dmz与core之间）增加防火墙"
    ips = f["fleet_boundary_intrusion_prevention"]            # internal boundary 办公 needs none
    assert ips.status == CheckStatus.FAIL and "出口" in ips.reason_zh and "内网" in ips.reason_zh
    assert "办公" not in ips.reason_zh
    assert f["fleet_boundary_anti_malware"].status == CheckStatus.FAIL
    deny = f["fleet_boundary_default_deny"]
    assert deny.status == CheckStatus.FAIL and deny.recommendation == ""     # the firewall is asked for once
    assert f["fleet_boundary_audit"].status == CheckStatus.PASS          # every device on each logs remotely
    assert f["fleet_management_via_bastion"].status == CheckStatus.PASS


def test_a_utm_on_every_uncontrolled_boundary_provides_firewall_ips_and_anti_malware():
    assets = [_asset("ngfw1", "utm", "internet"), _asset("fw2", "firewall", "internal")]
    edges = [_edge("出口", "internet", "dmz", "internet", ["ngfw1"]), _edge("办公", "core", "office", "internal", ["fw2"])]
    f = _fleet(assets, edges)
    for check in ("fleet_boundary_controlled_interface", "fleet_boundary_intrusion_prevention",
                  "fleet_boundary_anti_malware"):
        assert f[check].status == CheckStatus.PASS, check
    # a firewall everywhere, but its default-deny policy is not read: left to the assessor, never a pass
    assert f["fleet_boundary_default_deny"].status == CheckStatus.MANUAL


def test_no_uncontrolled_boundary_means_no_ips_is_required():
    f = _fleet([_asset("fw2", "firewall", "internal")], [_edge("办公", "core", "office", "internal", ["fw2"])])
    assert f["fleet_boundary_intrusion_prevention"].status == CheckStatus.NOT_APPLICABLE


@pytest.mark.parametrize("devices, logs, audit_role, expected", [
    (["r1"], ("10.9.9.9",), None, CheckStatus.PASS),          # the device on it logs to a collector
    (["r1"], (), None, CheckStatus.FAIL),                     # nothing leaves the device
    (["r1", "a1"], (), "log_audit", CheckStatus.PASS),         # an audit system on the boundary
    ([], ("10.9.9.9",), None, CheckStatus.FAIL),              # no device on it: nothing audits it
])
def test_boundary_audit(devices, logs, audit_role, expected):
    assets = [_asset("r1", "router", "internal", logs=logs)]
    if audit_role:
        assets.append(_asset("a1", audit_role, "internal", kind="server"))
    f = _fleet(assets, [_edge("b", "core", "office", "internal", devices)])
    assert f["fleet_boundary_audit"].status == expected


@pytest.mark.parametrize("bastion_exposure, remote, expected", [
    ("management", "restricted", CheckStatus.PASS),
    ("management", "local_only", CheckStatus.PASS),
    ("management", "unrestricted", CheckStatus.FAIL),          # management can bypass the bastion
    ("management", None, CheckStatus.MANUAL),                  # sources cannot be told from the config
    ("internal", "restricted", CheckStatus.FAIL),              # a bastion outside the management zone
])
def test_management_through_a_bastion(bastion_exposure, remote, expected):
    assets = [_asset("sw1", "core", "internal", remote=remote), _asset("jump1", "bastion", bastion_exposure,
                                                                         kind="server")]
    f = _fleet(assets, [_edge("b", "core", "mgmt", "internal", ["sw1"])])
    assert f["fleet_management_via_bastion"].status == expected


def test_without_boundaries_the_whole_inventory_check_stands_alone():
    assets = [_asset("fw1", "firewall", "untrusted"), _asset("core1", "core", "internal")]
    found = run_fleet(assets, ScanContext.default().fleet_checks, None)
    checks = {f.check for f in found}
    assert "fleet_security_devices_present" in checks
    assert not any(c.startswith("fleet_boundary_") or c == "fleet_management_via_bastion" for c in checks)


def test_an_internal_boundary_without_a_firewall_is_left_to_the_assessor():
    """Between internal zones the switches' ACLs may be the controlled interface: never a pass, never a fail."""
    assets = [_asset("fw1", "firewall", "internet"), _asset("core1", "core", "internal")]
    edges = [_edge("出口", "internet", "dmz", "internet", ["fw1"]), _edge("办公", "core", "office", "internal", ["core1"])]
    f = _fleet(assets, edges)
    ci = f["fleet_boundary_controlled_interface"]
    assert ci.status == CheckStatus.MANUAL and "办公" in ci.reason_zh and "出口" not in ci.reason_zh
    assert f["fleet_boundary_default_deny"].status == CheckStatus.MANUAL


def test_a_damaged_saved_topology_stops_a_rescan_with_exit_2(tmp_path):
    import shutil
    from conftest import ROOT
    raw = tmp_path / "raw"
    for name in ("core-sw1", "core-sw2"):
        shutil.copytree(ROOT / "scanner" / "lab" / "data" / "raw" / name, raw / name)
    (raw / "topology.json").write_text('{"zones": 3}', encoding="utf-8")
    r = run_mlps("scan", "--raw", str(raw), "-o", str(tmp_path / "out"), "--format", "json")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{raw / 'topology.json'}: field 'zones': not the zones and boundaries a scan saves" in r.stderr


def test_the_managers_page_names_each_boundary_lacking_a_device():
    """The report's "security devices to add" comes from the per-boundary verdicts: which device, at which boundary."""
    from datetime import datetime, timezone
    from reports.manager import security_devices_to_add
    from scanner.engine import build_result
    assets = [_asset("fw1", "firewall", "internet"), _asset("core1", "core", "internal", logs=())]
    edges = [_edge("出口", "internet", "dmz", "internet", ["fw1"]), _edge("办公", "core", "office", "internal", ["core1"])]
    result = build_result(assets, ScanContext.default(), datetime.now(timezone.utc),
                          Topology(zones={"internet": "internet", "dmz": "untrusted", "core": "internal",
                                          "office": "internal", "mgmt": "management"}, boundaries=edges))
    needs, unknown = security_devices_to_add(result)
    where = {n.name_en: n.where for n in needs}
    assert not unknown
    assert where["an IPS"] == ["出口 (internet/dmz)"] and where["an anti-malware gateway (or a UTM with it)"] == \
        ["出口 (internet/dmz)"]
    assert where["a log or network audit system"] == ["办公 (core/office)"]     # core1 logs nowhere
    assert where["bastion host"] == ["mgmt"] and "a firewall" not in where         # 出口 has its firewall


def test_management_through_a_bastion_passes_naming_the_bastion():
    assets = [_asset("sw1", "core", "internal"), _asset("jump1", "bastion", "management", kind="server")]
    v = _fleet(assets, [_edge("b", "core", "mgmt", "internal", ["sw1"])])["fleet_management_via_bastion"]
    assert v.status == CheckStatus.PASS
    assert v.reason_en.startswith("a bastion in the management zone, and every network device limits"), v.reason_en
    assert v.reason_zh.startswith("管理区部署堡垒机（jump1）")
