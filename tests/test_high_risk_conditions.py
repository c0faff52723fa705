"""High risks judged by their trigger conditions (T/ISEAA 001-2020): a failed check is only a candidate; the case is
raised when each condition is proven by the inventory, the device or a port scan, and every candidate says which
conditions hold, which compensations were found and what would make it a high risk."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CONFIGS, run_mlps
from scanner.engine import ScanContext, assess_config_file, assess_documents
from scanner.highrisk import judge_asset

BASE = """hostname r1
aaa new-model
aaa authentication login default local
username netadmin privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ
ip ssh version 2
no ip http server
no ip http secure-server
{extra}
ip access-list standard MGMT
 permit 10.9.9.0 0.0.0.255
line con 0
 exec-timeout 5 0
line vty 0 4
{vty} exec-timeout 5 0
 transport input ssh
end
"""


@pytest.fixture(scope="module")
def ctx():
    return ScanContext.default()


def _asset(ctx, extra: str = "", vty: str = " access-class MGMT in\n", docs: dict | None = None):
    text = BASE.format(extra=extra, vty=vty)
    return assess_documents({"config": text, **(docs or {})}, ctx, "cisco_ios", "r1", "r1.cfg")


def _case(asset, case: str):
    raised = [h for h in asset.high_risks if h.id == case]
    held = [h for h in asset.high_risk_candidates if h.id == case]
    return raised, held


def test_single_factor_login_restricted_to_a_management_zone_is_no_high_risk(ctx):
    a = _asset(ctx)
    raised, held = _case(a, "6.4.1.3")
    assert not raised and len(held) == 1
    h = held[0]
    assert [c.proven for c in h.conditions] == [True, False]
    assert "10.9.9.0" in " ".join(h.compensations) and "ACL" in " ".join(h.compensations)
    assert "exposure: internet" in h.would_raise_zh
    assert a.fleet.remote_mgmt == "restricted"


def test_single_factor_login_open_to_any_source_is_raised(ctx):
    a = _asset(ctx, vty="")
    raised, held = _case(a, "6.4.1.3")
    assert len(raised) == 1 and not held
    assert raised[0].conditions[1].proven and "vty 0 4" in raised[0].conditions[1].evidence
    assert a.fleet.remote_mgmt == "unrestricted"


def test_web_management_without_an_acl_is_an_unrestricted_path(ctx):
    a = _asset(ctx, extra="ip http secure-server")
    assert a.fleet.remote_mgmt == "unrestricted" and "Web" in a.fleet.remote_mgmt_note
    a = _asset(ctx, extra="ip http secure-server\nip http access-class ipv4 MGMT")
    assert a.fleet.remote_mgmt == "restricted"


@pytest.mark.parametrize("exposure, raised", [("internet", True), ("untrusted", True), ("internal", False),
                                              ("management", False), (None, False)])
def test_the_inventory_exposure_proves_reachability(ctx, exposure, raised):
    a = judge_asset(_asset(ctx).model_copy(update={"exposure": exposure}))
    got, held = _case(a, "6.4.1.3")
    assert bool(got) is raised and bool(held) is not raised
    if raised:
        assert f"exposure: {exposure}" in got[0].conditions[1].evidence


def test_a_write_community_without_acl_is_no_default_credential(ctx):
    a = _asset(ctx, extra="snmp-server community N0tGuessable RW")
    raised, held = _case(a, "6.4.2.1")
    # the gap is still failed, as the unrestricted management access it is (8.1.4.4.c), no longer as a default
    # credential under 8.1.4.2.b (real corpus, csr1000v: the names are not default ones)
    f = next(f for f in a.findings if f.check == "mgmt_access_restricted")
    assert f.status.value == "fail" and "SNMP community has no ACL" in f.reason_en
    assert not raised and not held                        # not even a candidate: no default name is involved


def test_a_public_community_is_a_default_credential(ctx):
    a = _asset(ctx, extra="snmp-server community public RO")
    raised, _ = _case(a, "6.4.2.1")
    assert len(raised) == 1 and raised[0].signals == ["default_credential"]


def test_a_high_risk_service_is_reachable_when_it_listens_or_a_scan_finds_it(ctx):
    a = _asset(ctx, extra="ftp-server enable")          # an enabled server listens on every interface address
    raised, _ = _case(a, "6.4.3.1")
    assert len(raised) == 1 and "监听" in raised[0].conditions[1].evidence
    a = _asset(ctx, docs={"ports": "open_tcp: [21]\n"})  # off in the config, yet the port scan finds it open
    raised, _ = _case(a, "6.4.3.1")
    assert len(raised) == 1 and "21/tcp" in raised[0].conditions[1].evidence


def test_reachability_not_proven_is_a_candidate_with_what_would_prove_it():
    from scanner.model import Asset, AssetStatus, Evidence, FleetFacts, HighRisk
    h = HighRisk(id="6.4.3.1", title_zh="t", title_en="t", check="x", controls=["8.1.4.4.b"],
                 evidence=[Evidence(source="config", line=3, text="some service on")])
    a = Asset(name="a", platform="p", kind="network_device", status=AssetStatus.ASSESSED, high_risks=[h],
              fleet=FleetFacts(remote_mgmt="restricted", remote_mgmt_note="vty: 10.0.0.0/8"))
    a = judge_asset(a)
    assert a.high_risks == [] and a.high_risk_candidates[0].conditions[1].proven is False
    assert "--portscan" in a.high_risk_candidates[0].would_raise_zh
    assert a.high_risk_candidates[0].compensations == ["管理访问受ACL限制：vty: 10.0.0.0/8"]


def test_a_console_without_login_is_local_only(ctx):
    console = BASE.replace("line con 0\n exec-timeout 5 0", "line con 0\n no login\n exec-timeout 5 0")
    a = assess_documents({"config": console.format(extra="", vty=" access-class MGMT in\n")}, ctx, "cisco_ios",
                         "r1", "r1.cfg")
    f = next(f for f in a.findings if f.check == "auth_login_required")
    assert f.status.value == "fail"
    raised, held = _case(a, "6.4.1.1")
    assert not raised and held and held[0].signals == ["local_only"]
    vty_open = BASE.format(extra="", vty=" no login\n")
    a = assess_documents({"config": vty_open}, ctx, "cisco_ios", "r1", "r1.cfg")
    raised, _ = _case(a, "6.4.1.1")
    assert raised


def test_hardened_fixtures_raise_no_high_risk(ctx):
    for f in sorted((CONFIGS).rglob("hardened_*.cfg")):
        a = assess_config_file(f, ctx)
        assert a.status.value == "assessed" and a.high_risks == [], (f.name, [h.id for h in a.high_risks])


def test_scan_json_lists_conditions_and_compensations_and_counts_only_raised(tmp_path):
    r = run_mlps("scan", "--configs", str(CONFIGS), "-o", str(tmp_path), "-q", "--format", "json,html")
    assert r.returncode == 0, r.stderr
    d = json.loads((tmp_path / "scan.json").read_text(encoding="utf-8"))
    every = [h for a in d["assets"] for h in a["high_risks"] + a["high_risk_candidates"]]
    assert every and all(h["conditions"] and {"proven", "name_zh", "evidence"} <= set(h["conditions"][0])
                         for h in every)
    held = [h for a in d["assets"] for h in a["high_risk_candidates"]]
    assert held and all(h["would_raise_zh"] and not all(c["proven"] for c in h["conditions"]) for h in held)
    assert all(all(c["proven"] for c in h["conditions"]) for a in d["assets"] for h in a["high_risks"])
    raised = len({(a["name"], h["id"]) for a in d["assets"] for h in a["high_risks"] if not h["compensated"]})
    assert d["score"]["unresolved_high_risks"] == raised
    html = (tmp_path / "report.html").read_text(encoding="utf-8")      # the report says what would raise them
    assert 'class="t-hr-held grid"' in html and held[0]["would_raise_zh"] in html


def test_an_inventory_zone_gives_its_assets_their_exposure(tmp_path):
    from scanner.inventory import InventoryError, load_inventory
    p = tmp_path / "inv.yaml"
    p.write_text("zones:\n  DMZ: {exposure: internet}\n  核心区: {exposure: internal}\nassets:\n"
                 "  - {name: r1, address: 192.0.2.1, platform: cisco_ios, zone: DMZ}\n"
                 "  - {name: r2, address: 192.0.2.2, platform: cisco_ios, zone: 核心区}\n"
                 "  - {name: r3, address: 192.0.2.3, platform: cisco_ios, zone: DMZ, exposure: management}\n"
                 "  - {name: r4, address: 192.0.2.4, platform: cisco_ios}\n", encoding="utf-8")
    assert [a.exposure for a in load_inventory(p).assets] == ["internet", "internal", "management", None]
    p.write_text("zones:\n  DMZ: {exposure: public}\nassets:\n  - {name: r1, address: 192.0.2.1}\n")
    with pytest.raises(InventoryError) as e:
        load_inventory(p)
    assert "zones.DMZ.exposure" in str(e.value) and ":2:" in str(e.value)


def test_a_saved_capture_keeps_the_inventory_context_so_a_rescan_judges_the_same(tmp_path, ctx):
    """--save-raw then --raw: the exposure (and zone, role...) travels with the capture, so the high risks agree."""
    from conftest import ROOT
    from scanner.live import scan_raw
    from scanner.transport.replay import read_capture, write_capture
    cap = read_capture(ROOT / "scanner" / "lab" / "data" / "raw" / "border-rtr1")
    plain = scan_raw_one(tmp_path / "plain", cap, ctx, scan_raw, write_capture)
    assert "6.4.3.2" in {h.id for h in plain.high_risk_candidates} and plain.exposure is None
    cap.context = {"zone": "DMZ", "role": "border", "exposure": "internet"}
    exposed = scan_raw_one(tmp_path / "dmz", cap, ctx, scan_raw, write_capture)
    assert exposed.exposure == "internet" and exposed.zone == "DMZ" and exposed.role == "border"
    assert "6.4.3.2" in {h.id for h in exposed.high_risks}
    assert read_capture(tmp_path / "dmz" / "border-rtr1").context == cap.context


def scan_raw_one(root, cap, ctx, scan_raw, write_capture):
    write_capture(root, cap)
    result = scan_raw(root, ctx)
    assert len(result.assets) == 1
    return result.assets[0]


@pytest.mark.parametrize("context", ["exposure: public", "colour: red", "zone: [a, b]"])
def test_a_capture_with_a_bad_context_is_that_devices_error(tmp_path, ctx, context):
    from conftest import ROOT
    from scanner.live import scan_raw
    from scanner.transport.replay import read_capture, write_capture
    cap = read_capture(ROOT / "scanner" / "lab" / "data" / "raw" / "core-sw1")
    d = write_capture(tmp_path, cap)
    (d / "manifest.json").unlink()                       # hand-edited: unverified, read all the same
    meta = (d / "device.yaml").read_text(encoding="utf-8")
    (d / "device.yaml").write_text(meta.replace("outputs:", f"context: {{{context}}}\noutputs:", 1), encoding="utf-8")
    a = scan_raw(tmp_path, ctx).assets[0]
    assert a.status.value == "error" and "context" in a.reason



def test_a_live_assessment_judges_with_the_inventory_exposure_its_capture_carries(ctx):
    """A live scan's capture carries what the inventory says of its asset: the assessment process judges the high
    risks with that exposure, and the scan judges an asset again only when its assessment had another exposure
    (issue 13: no second judgement of every asset, one by one, in the main process of a 10 000-device scan)."""
    from scanner.inventory import InventoryAsset
    from scanner.live import _in_context, assess_capture
    from scanner.transport.replay import Capture
    text = BASE.format(extra="", vty=" access-class MGMT in\n")

    def assessed(**context):
        return assess_capture(Capture("r1", "cisco_ios", "192.0.2.1:22", {"config": text}, context=context), ctx,
                              "ssh://192.0.2.1:22")
    internet, internal, bare = assessed(exposure="internet", zone="DMZ"), assessed(exposure="internal"), assessed()
    assert [h.id for h in internet.high_risks] == ["6.4.1.3"] and internet.zone == "DMZ"
    assert not _case(internal, "6.4.1.3")[0] and _case(internal, "6.4.1.3")[1]
    inv = InventoryAsset(name="r1", address="192.0.2.1", platform="cisco_ios", exposure="internet", zone="DMZ")
    kept = _in_context(internet, inv)
    assert kept.high_risks is internet.high_risks                     # judged with this exposure: as it came
    judged = _in_context(bare, inv)                                    # assessed without it: judged again here
    assert [h.id for h in judged.high_risks] == ["6.4.1.3"] and judged.exposure == "internet"
    assert judged.high_risks[0].conditions == internet.high_risks[0].conditions
