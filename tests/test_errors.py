"""One error model: every not-assessed device carries a ReasonCode member, and the docs list every member; one SSH
error mapper; SNMP and nmap without the SSH module; waiver-file errors are not inventory errors."""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys

import paramiko
import pytest
import yaml

from scanner import lab
from scanner.engine import ScanContext
from scanner.errors import InputFileError, ReasonCode, ScanError
from scanner.inventory import InventoryError, load_inventory
from scanner.lab.simulator import DEFAULT_PASSWORD
from scanner.live import LiveOptions, scan_inventory
from scanner.policy import PolicyError
from scanner.textio import UnreadableInput
from scanner.transport.errors import CollectError
from scanner.transport.replay import RawFormatError, write_capture, read_capture
from scanner.waivers import WaiverError, load_waivers

from conftest import CONFIGS, ROOT, run_mlps

LAB_RAW = ROOT / "scanner" / "lab" / "data" / "raw"
BASE_PORT = 26700           # this file's range: 26700-26799
CLOSED_PORT = 26799         # nothing listens here


def _codes(scan_json: dict) -> list:
    return [a["reason_code"] for a in scan_json["assets"] if a["status"] != "assessed"]


def test_every_exception_carries_a_member():
    for e in (CollectError(ReasonCode.TIMEOUT, "m"), UnreadableInput(ReasonCode.EMPTY, "m"),
              RawFormatError("m", ReasonCode.UNSAFE_PATH), RawFormatError("m")):
        assert isinstance(e, ScanError) and isinstance(e.code, ReasonCode)
    assert CollectError("timeout", "m").code is ReasonCode.TIMEOUT     # the scan.json string, as before
    with pytest.raises(ValueError):
        CollectError("no_such_reason", "m")                           # an unknown code cannot be made


def test_docs_table_lists_every_reason_code():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    table = text.split("## Reason codes", 1)[1].split("\n## ", 1)[0]
    listed = {c for row in table.splitlines() if row.startswith("| `") for c in re.findall(r"`([a-z_]+)`",
                                                                                          row.split("|")[1])}
    assert listed == {c.value for c in ReasonCode}


def test_offline_hostile_scan_reason_codes_are_members(tmp_path):
    src = tmp_path / "cfg"
    src.mkdir()
    (src / "empty.cfg").write_bytes(b"")
    (src / "blob.cfg").write_bytes(bytes(range(256)) * 10)
    (src / "junos.cfg").write_text("system { host-name r1; }\n", encoding="utf-8")
    good = (CONFIGS / "huawei_vrp" / "weak_s5700_v200r005.cfg").read_text(encoding="utf-8")
    (src / "cut.cfg").write_text(good[: len(good) // 2], encoding="utf-8")
    (src / "big.cfg").write_text("sysname x\n" * 200_000, encoding="utf-8")
    r = run_mlps("scan", "--configs", str(src), "--out", str(tmp_path / "o"), "--max-config-mb", "1", "-q")
    assert r.returncode == 0, r.stderr
    codes = _codes(json.loads((tmp_path / "o" / "scan.json").read_text(encoding="utf-8")))
    assert sorted(codes) == ["binary", "empty", "too_large", "truncated", "unknown_platform"]

    raw = tmp_path / "raw"
    for name in ("core-sw1", "agg-sw1", "border-rtr1"):
        write_capture(raw, read_capture(LAB_RAW / name))                  # with a manifest
    with (raw / "core-sw1" / "device.yaml").open("a", encoding="utf-8") as f:
        f.write("# edited\n")                                            # tampered
    (raw / "agg-sw1" / "manifest.json").unlink()                        # unverified
    r = run_mlps("scan", "--raw", str(raw), "--require-manifest", "--out", str(tmp_path / "r"), "-q")
    assert r.returncode == 0, r.stderr
    codes = _codes(json.loads((tmp_path / "r" / "scan.json").read_text(encoding="utf-8")))
    assert sorted(codes) == ["capture_tampered", "capture_unverified"]
    for c in codes:
        assert c in {m.value for m in ReasonCode}


@pytest.fixture(scope="module")
def hostile_lab(tmp_path_factory):
    d = tmp_path_factory.mktemp("errors")
    shutil.copytree(LAB_RAW / "core-sw1", d / "raw" / "core-sw1")
    shutil.copytree(LAB_RAW / "app-srv1", d / "raw" / "app-srv1")
    flood = read_capture(LAB_RAW / "core-sw1").commands["config"]
    devices = {"hw-flood": ("core-sw1", {"flood_on": flood}), "hw-legacy": ("core-sw1", {"legacy_ssh": True}),
               "hw-refuse": ("core-sw1", {"auth": "refuse"}), "lx-closed": ("app-srv1", {"close_exec": True})}
    spec = {"username": "netops", "devices": [{"name": n, "port": BASE_PORT + i, "data": f"raw/{base}",
                                               "faults": faults} for i, (n, (base, faults)) in enumerate(devices.items())]}
    (d / "lab.yaml").write_text(yaml.safe_dump(spec))
    assets = [{"name": n, "platform": "linux" if n.startswith("lx") else "huawei_vrp", "port": BASE_PORT + i}
              for i, n in enumerate(devices)]
    assets += [{"name": "closed", "platform": "huawei_vrp", "port": CLOSED_PORT},
               {"name": "nocred", "platform": "huawei_vrp", "port": BASE_PORT, "credentials": "none"},
               {"name": "nosecret", "platform": "huawei_vrp", "port": BASE_PORT, "credentials": "gone"}]
    inv = {"credentials": {"c": {"ssh": {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}},
                           "gone": {"ssh": {"username": "netops", "password": {"env": "MLPS_ERRORS_UNSET_VAR"}}},
                           "none": {"snmp": {"version": "v2c", "community": {"env": "MLPS_LAB_PASSWORD"}}}},
           "defaults": {"credentials": "c", "address": "127.0.0.1"}, "assets": assets}
    (d / "inv.yaml").write_text(yaml.safe_dump(inv))
    mp = pytest.MonkeyPatch()
    mp.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    mp.delenv("MLPS_ERRORS_UNSET_VAR", raising=False)
    lab.up(d / "lab.yaml", d / "state")
    try:
        yield d
    finally:
        lab.down(d / "state")
        mp.undo()


def test_live_hostile_scan_reason_codes_are_members(hostile_lab):
    opts = LiveOptions(known_hosts=hostile_lab / "kh", trust_new_hosts=True, connect_timeout=3, command_timeout=5,
                       retries=0, max_output=256 * 1024, collectors=1)
    res = scan_inventory(load_inventory(hostile_lab / "inv.yaml"), ScanContext.default(), opts)
    data = json.loads(res.model_dump_json())
    got = {a["name"]: a["reason_code"] for a in data["assets"]}
    assert got == {"hw-flood": "output_too_large", "hw-legacy": "ssh_algorithm_mismatch", "hw-refuse": "auth_failed",
                   "lx-closed": "connection_lost", "closed": "unreachable", "nocred": "no_credentials",
                   "nosecret": "secret_unavailable"}
    assert all(isinstance(a.reason_code, ReasonCode) for a in res.assets)
    # a host not yet known, without --trust-new-hosts
    opts.trust_new_hosts, opts.known_hosts = False, hostile_lab / "kh-empty"
    inv = load_inventory(hostile_lab / "inv.yaml")
    inv.assets = [a for a in inv.assets if a.name == "hw-flood"]
    res = scan_inventory(inv, ScanContext.default(), opts)
    assert [a.reason_code for a in res.assets] == [ReasonCode.HOST_KEY_UNKNOWN]


def test_one_ssh_error_mapper_for_login_and_session():
    from scanner.transport.ssh import SshPeer, Timeouts, ssh_failure
    peer = SshPeer("192.0.2.1", 22, "netops", "/kh", Timeouts(connect=3, auth=4, command=5), legacy=False)
    login = {paramiko.AuthenticationException("no"): ReasonCode.AUTH_FAILED,
             paramiko.AuthenticationException("Authentication failed."): ReasonCode.AUTH_FAILED,
             paramiko.AuthenticationException("Authentication timeout."): ReasonCode.TIMEOUT,   # no answer in time
             paramiko.SSHException("Incompatible ssh peer (no acceptable kex algorithm)"):
                 ReasonCode.SSH_ALGORITHM_MISMATCH,
             paramiko.SSHException("Server '192.0.2.1' not found in known_hosts"): ReasonCode.HOST_KEY_UNKNOWN,
             paramiko.SSHException("Error reading SSH protocol banner"): ReasonCode.TIMEOUT,
             paramiko.SSHException("something else"): ReasonCode.SSH_ERROR,
             socket.timeout(): ReasonCode.TIMEOUT, EOFError(): ReasonCode.CONNECTION_LOST,
             ConnectionRefusedError(111, "Connection refused"): ReasonCode.UNREACHABLE}
    for e, code in login.items():
        assert ssh_failure(e, peer).code is code, e
    session = {socket.timeout(): ReasonCode.COMMAND_TIMEOUT, EOFError(): ReasonCode.CONNECTION_LOST,
               paramiko.SSHException("Channel closed."): ReasonCode.CONNECTION_LOST,
               ConnectionResetError(104, "reset"): ReasonCode.CONNECTION_LOST}
    for e, code in session.items():
        assert ssh_failure(e, peer, during="collection").code is code, e
    bug = KeyError("x")
    assert ssh_failure(bug, peer) is bug          # not an SSH failure: a bug goes up as it is


def test_snmp_and_nmap_do_not_import_the_ssh_module():
    code = ("import sys, scanner.transport.snmp, scanner.transport.portscan; "
            "bad = [m for m in ('scanner.transport.ssh', 'paramiko') if m in sys.modules]; "
            "sys.exit(f'imported: {bad}' if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_waiver_file_errors_are_not_inventory_errors(tmp_path):
    for text in ("waivers: [\n", "waivers:\n  - scope: {}\n    reason: ab\n    approver: a\n    expires: 2030-01-01\n"):
        p = tmp_path / "w.yaml"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(WaiverError) as ei:
            load_waivers(p)
        assert not isinstance(ei.value, InventoryError) and isinstance(ei.value, InputFileError)
        assert ei.value.path == str(p) and ei.value.line
    assert issubclass(InventoryError, InputFileError) and issubclass(PolicyError, InputFileError)
    with pytest.raises(WaiverError):
        load_waivers(tmp_path / "missing.yaml")
    r = run_mlps("scan", "--configs", str(CONFIGS / "huawei_vrp"), "--waivers", str(p), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and str(p) in r.stderr and "Traceback" not in r.stderr
