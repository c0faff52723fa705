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
    assert v2["sys_name"] == "test-snmpd" and v2["if_descr"] == v3["if_descr"]     # one agent, two ways in
    system, ports, exposure = parse_snmp(yaml.safe_dump(v3))
    assert system.name == "test-snmpd" and set(ports) <= set(v3["if_descr"].values())


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


# --- the own SNMP codec, checked against net-snmp in both directions -----------------------------------------

import os
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given, settings, strategies as st

from scanner.transport import snmpv3 as v3
from scanner.transport import snmpwire as w

from conftest import SNMPD_EXTRA_USERS

OURS = {"SHA": "sha", "MD5": "md5", "SHA-224": "sha224", "SHA-256": "sha256", "SHA-512": "sha512", "DES": "des", "AES": "aes",
        "AES-192": "aes192", "AES-256": "aes256", "AES-192-C": "aes192c", "AES-256-C": "aes256c"}


@pytest.mark.parametrize("auth,priv", SNMPD_EXTRA_USERS)
def test_client_speaks_every_usm_variant_to_real_snmpd(snmpd, auth, priv):
    user = f"mlps-{auth.lower()}-{priv.lower()}"
    r = collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v3", username=user, auth_protocol=OURS[auth],
                                                           auth_key=snmpd["auth"], priv_protocol=OURS[priv],
                                                           priv_key=snmpd["priv"]))
    assert r["sys_name"] == "test-snmpd" and r["if_descr"]
    with pytest.raises(CollectError):     # the same user with the wrong privacy protocol must not pass
        collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v3", username=user, auth_protocol=OURS[auth],
                                                           auth_key=snmpd["auth"], priv_protocol="aes128" if priv == "DES" else "des",
                                                           priv_key=snmpd["priv"]), timeout=0.5)


AGENT_PORT = 31163


@pytest.fixture()
def lab_agent(tmp_path):
    """The lab's own SNMP agent serving one lab device (core-sw1) over v3, and over v2c for 'public'."""
    from scanner.lab.snmprec import snmprec
    from scanner.transport.replay import read_capture
    root = Path(__file__).resolve().parent.parent
    text = snmprec(read_capture(root / "scanner" / "lab" / "data" / "raw" / "core-sw1"))
    (tmp_path / "core-sw1.snmprec").write_text(text)
    procs = []

    def start(auth: str = "sha", priv: str = "aes", port: int = AGENT_PORT):
        env = dict(os.environ, MLPS_LAB_SNMP_AUTH="Agent-Auth#2024", MLPS_LAB_SNMP_PRIV="Agent-Priv#2024")
        p = subprocess.Popen([sys.executable, "-m", "scanner.lab.snmpagent", "--data-dir", str(tmp_path),
                              "--port", str(port), "--auth-protocol", auth, "--priv-protocol", priv,
                              "--community", "public=core-sw1"], env=env, cwd=root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        for _ in range(100):
            if default_community_answers("127.0.0.1", port, timeout=0.1):
                return text
            time.sleep(0.05)
        pytest.fail("lab SNMP agent did not start")
    yield start
    for p in procs:
        p.terminate()
        p.wait(5)


def _snmprec_column(text: str, column: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        oid, typ, val = line.split("|", 2)
        if oid.startswith(column + "."):
            out[oid[len(column) + 1:]] = bytes.fromhex(val).decode() if typ.endswith("x") else val
    return out


@pytest.mark.parametrize("auth,priv", [("SHA", "AES"), ("MD5", "DES"), ("SHA-256", "AES-256"), ("SHA", "AES-192-C")])
def test_lab_agent_answers_net_snmp_snmpbulkwalk(lab_agent, auth, priv):
    text = lab_agent(OURS.get(auth, "sha"), OURS[priv])
    base = ["-v3", "-l", "authPriv", "-u", "labnms", "-a", auth, "-A", "Agent-Auth#2024", "-x", priv,
            "-X", "Agent-Priv#2024", "-n", "core-sw1", "-On", "-Oq", f"127.0.0.1:{AGENT_PORT}"]
    col = "1.3.6.1.2.1.2.2.1.2"
    out = subprocess.run(["snmpbulkwalk", *base, col], capture_output=True, text=True, env={"MIBS": ""}).stdout
    got = {ln.split()[0][len(col) + 2:]: ln.split(None, 1)[1].strip('"') for ln in out.strip().splitlines()}
    assert got == _snmprec_column(text, col) and len(got) > 10
    # a wrong key is refused the way net-snmp expects, and an unknown context is reported as such
    bad = subprocess.run(["snmpget", *[("Wrong-Auth#2024" if a == "Agent-Auth#2024" else a) for a in base],
                          "1.3.6.1.2.1.1.5.0"], capture_output=True, text=True, env={"MIBS": ""})
    assert bad.returncode != 0 and "Authentication failure" in bad.stderr
    ctx = subprocess.run(["snmpget", *[("nosuch" if a == "core-sw1" else a) for a in base], "1.3.6.1.2.1.1.5.0"],
                         capture_output=True, text=True, env={"MIBS": ""})
    assert ctx.returncode != 0 and "context" in ctx.stderr.lower()


def test_our_client_and_agent_agree_and_probe_finds_the_default_community(lab_agent):
    text = lab_agent()
    r = collect_snmp("127.0.0.1", AGENT_PORT, SnmpAuth("v3", username="labnms", auth_key="Agent-Auth#2024",
                                                        priv_key="Agent-Priv#2024", context="core-sw1"))
    assert {k: str(v) for k, v in r["if_descr"].items()} == _snmprec_column(text, "1.3.6.1.2.1.2.2.1.2")
    assert default_community_answers("127.0.0.1", AGENT_PORT) == ["public"]
    with pytest.raises(CollectError) as ei:
        collect_snmp("127.0.0.1", AGENT_PORT, SnmpAuth("v3", username="labnms", auth_key="Wrong-Auth#2024",
                                                        priv_key="Agent-Priv#2024", context="core-sw1"))
    assert "authentication failure" in ei.value.message and "Wrong-Auth" not in ei.value.message


def test_no_agent_is_a_clean_error_fast():
    t = time.monotonic()
    with pytest.raises(CollectError):
        collect_snmp("127.0.0.1", 31169, SnmpAuth("v2c", community="x"), timeout=2.0)
    assert time.monotonic() - t < 1.5          # ICMP port unreachable ends it before the timeout


@settings(max_examples=300, deadline=None)
@given(st.integers(-2**31, 2**31 - 1), st.integers(0, 2**64 - 1),
       st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20), st.binary(max_size=300))
def test_ber_round_trips(i, u, arcs, blob):
    oid = "1.3." + ".".join(map(str, arcs))
    pdu = w.enc_pdu(w.RESPONSE, 7, [(oid, i), (oid, (w.COUNTER64, u)), (oid, blob), (oid, (w.OID, oid)), (oid, None)])
    got = w.dec_pdu(pdu, 0, len(pdu))
    assert got.varbinds == [(oid, i), (oid, u), (oid, blob), (oid, (w.OID, oid)), (oid, None)]


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_garbage_never_escapes_as_anything_but_wire_error(blob):
    for parse in (v3.parse_v3, w.parse_v2c):
        try:
            parse(blob)
        except w.WireError:
            pass


def test_tampered_message_fails_authentication():
    user = w.UsmUser(b"labnms", "sha", b"Agent-Auth#2024", "aes", b"Agent-Priv#2024")
    keys = w.keys_for(user, b"\x80\x00\x1f\x88\x04engine")
    msg = v3.build_v3(1, v3.FLAG_AUTH | v3.FLAG_PRIV, b"\x80\x00\x1f\x88\x04engine", 1, 10, user, keys,
                     b"", b"ctx", w.enc_pdu(w.GET, 5, [("1.3.6.1.2.1.1.5.0", None)]))
    ok = v3.parse_v3(msg)
    v3.verify_and_decrypt(ok, user, keys)
    assert ok.pdu.varbinds == [("1.3.6.1.2.1.1.5.0", None)] and ok.context == b"ctx"
    bad = bytearray(msg)
    bad[-3] ^= 1
    with pytest.raises(w.WireError):
        v3.verify_and_decrypt(v3.parse_v3(bytes(bad)), user, keys)


def test_cisco_key_extension_is_not_blumenthal(snmpd):
    """An AES-192-C user (Reeder/Cisco key extension) must not be reached with the Blumenthal AES-192 key, nor the
    other way round: the two extensions give different keys once SHA-1's 20 bytes are extended."""
    for user, wrong in (("mlps-sha-aes-192-c", "aes192"), ("mlps-sha-aes-256", "aes256c")):
        with pytest.raises(CollectError):
            collect_snmp("127.0.0.1", snmpd["port"], SnmpAuth("v3", username=user, auth_protocol="sha",
                                                               auth_key=snmpd["auth"], priv_protocol=wrong,
                                                               priv_key=snmpd["priv"]), timeout=0.5)
