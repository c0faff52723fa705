"""SNMP collection against a real net-snmp snmpd (v2c and v3 authPriv), and SNMP facts in a live scan."""
from __future__ import annotations

import yaml

from scanner.snmp_facts import parse_snmp
from scanner.transport.snmp import SnmpAuth, collect_snmp, default_community_answers
from scanner.transport.ssh import CollectError

import pytest


def test_v3_authpriv_and_v2c(snmpd):
    v3 = collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v3", username=snmpd["user"], auth_key=snmpd["auth"],
                                                            priv_key=snmpd["priv"]))
    assert v3["sys_name"] == "test-snmpd" and v3["sys_object_id"].startswith("1.3.6.1.4.1.8072")
    assert v3["if_descr"] and set(v3["if_admin"]) == set(v3["if_descr"])
    v2 = collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v2c", community="mlps-ro"))
    assert v2["sys_name"] == "test-snmpd"
    system, ports, exposure = parse_snmp(yaml.safe_dump(v3))
    assert system.name == "test-snmpd" and isinstance(ports, dict)


def test_wrong_v3_key_and_wrong_community_fail_cleanly(snmpd):
    with pytest.raises(CollectError) as ei:
        collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v3", username=snmpd["user"], auth_key="Wrong#Key-2024",
                                                           priv_key=snmpd["priv"]))
    assert ei.value.code == "snmp_error" and "Wrong#Key" not in ei.value.message
    with pytest.raises(CollectError):
        collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v2c", community="nope-xyz"), timeout=0.3)


def test_default_community_probe(snmpd):
    assert default_community_answers("127.0.0.1", snmpd["port"]) == ["public"]


def test_idle_ports_from_interface_state():
    text = yaml.safe_dump({"if_descr": {"1": "GE0/0/1", "2": "GE0/0/2", "3": "Vlanif10", "4": "GE0/0/3"},
                           "if_type": {"1": 6, "2": 6, "3": 53, "4": 6}, "if_admin": {"1": 1, "2": 1, "3": 1, "4": 2},
                           "if_oper": {"1": 1, "2": 2, "3": 1, "4": 2}, "default_community_answers": True})
    _, ports, exposure = parse_snmp(text)
    assert ports == {"GE0/0/1": (True, True), "GE0/0/2": (True, False), "GE0/0/3": (False, False)}
    assert exposure.default_community_answers


def test_discover_fingerprints_by_sys_object_id(snmpd):
    from scanner.discover import discover, platform_from_oid
    assert platform_from_oid("1.3.6.1.4.1.2011.2.23.467") == "huawei_vrp"
    found = discover(["127.0.0.1"], ports="1", community="mlps-ro", snmp_port=snmpd["port"])
    assert [(f.platform, f.evidence.startswith("sysObjectID")) for f in found] == [("linux", True)]


def test_column_walk_matches_net_snmp_snmpwalk(snmpd):
    import subprocess
    r = collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v2c", community="mlps-ro"))
    for key, oid in (("if_descr", "1.3.6.1.2.1.2.2.1.2"), ("if_oper", "1.3.6.1.2.1.2.2.1.8")):
        out = subprocess.run(["snmpwalk", "-v2c", "-c", "mlps-ro", "-On", "-Oq", f"127.0.0.1:{snmpd['port']}", oid],
                             capture_output=True, text=True, env={"MIBS": ""}).stdout
        want = {ln.split()[0][len("." + oid) + 1:]: ln.split(None, 1)[1].strip('"') for ln in out.strip().splitlines()}
        assert {k: str(v) for k, v in r[key].items()} == want
