"""Hostile inventories and targets: nothing an operator types (or a draft from elsewhere carries) reaches nmap as an
option, and every refusal is exit 2 with one line naming the file, the line and the field."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import idna
import pytest

from scanner.inventory import InventoryError, load_inventory
from scanner.transport.portscan import scan_ports

from conftest import ROOT, run_mlps

PORT = 26001            # this helper's port range is 26000-26099

# class -> hostile addresses
HOSTILE = {
    "option": ["127.0.0.1 -oN pwned.txt", "127.0.0.1 --script=x.nse", "-oN", "-iL/etc/passwd", "--help",
               "127.0.0.1\t-oNpwned.txt"],
    "space": ["127.0.0.1 10.0.0.2", " 127.0.0.1", "127.0.0.1 "],
    "shell": ["127.0.0.1;touch pwned.txt", "127.0.0.1|id", "$(touch pwned.txt)", "`touch pwned.txt`", "a&&b",
              "127.0.0.1>pwned.txt", "r1'\"", "*"],
    "control": ["127.0.0.1\n-oN pwned.txt", "127.0.0.1\x00", "r1\r", "r1\x1b[31m", "r1\u202e"],
    "long": ["a" * 64 + ".example.com", ".".join(["a" * 63] * 5), "a" * 300],
    "idna": ["xn--zz.example", "a..b", "ex_ample.com", "-r1.example", "r1-.example", "ｒ１.example", "a.b-"],
    "url": ["ssh://10.0.0.1", "http://10.0.0.1/", "10.0.0.1:22", "[::1]", "10.0.0.1/32", "//r1"],
    "at": ["root@10.0.0.1", "a@b"],
    "nmap_spec": ["10.0.0.1-5", "10.0.0.*", "10.0.0.0/24", "192.168.1-3.1", "010.0.0.1", "0x7f.1"],
}
ALL_HOSTILE = [(cls, a) for cls, addrs in HOSTILE.items() for a in addrs]
VALID = ["10.0.0.1", "::1", "fe80::1", "2001:db8::10", "core-sw1", "sw1.example.com", "SW1.Example.COM", "r1.lab.",
         "例子.测试", "xn--fsqu00a.xn--0zwm56d", "a" * 63 + ".example"]


def _yaml_inventory(tmp_path, address: str, name: str = "inv.yaml"):
    p = tmp_path / name
    # JSON strings are YAML double-quoted scalars: control characters arrive as escapes, intact.
    p.write_text("credentials:\n  net: {ssh: {username: a, password: {env: X}}}\nassets:\n"
                 f"  - name: r1\n    platform: cisco_ios\n    credentials: net\n    address: {json.dumps(address)}\n",
                 encoding="utf-8")
    return p


def _one_error(r, path, line: int, field: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    text = r.stderr.strip()
    assert "Traceback" not in r.stdout + r.stderr and "internal error" not in text, text
    assert f"{path}:{line}" in text and f"field '{field}'" in text, text
    assert len(text.splitlines()) == 1, text


@pytest.mark.parametrize("cls,address", ALL_HOSTILE, ids=[f"{c}-{i}" for i, (c, _) in enumerate(ALL_HOSTILE)])
def test_hostile_address_is_refused_by_validate(tmp_path, cls, address):
    p = _yaml_inventory(tmp_path, address)
    r = run_mlps("inventory", "validate", str(p), cwd=tmp_path)
    _one_error(r, p, 7, "assets[0].address")
    assert not (tmp_path / "pwned.txt").exists()


ONE_PER_CLASS = [addrs[0] for addrs in HOSTILE.values()]


@pytest.mark.parametrize("address", [*ONE_PER_CLASS, "127.0.0.1 --script=x.nse", "$(touch pwned.txt)", "10.0.0.0/24"])
def test_hostile_address_never_reaches_nmap_in_a_scan(tmp_path, address):
    p = _yaml_inventory(tmp_path, address)
    r = run_mlps("scan", str(p), "--portscan", "--out", str(tmp_path / "out"), cwd=tmp_path)
    _one_error(r, p, 7, "assets[0].address")
    assert not (tmp_path / "pwned.txt").exists() and not (tmp_path / "out" / "scan.json").exists()


@pytest.mark.parametrize("address", ["127.0.0.1 -oN pwned.txt", "r1;touch pwned.txt", "root@10.0.0.1", "10.0.0.1-5"])
def test_hostile_address_is_refused_in_csv_and_ansible(tmp_path, address):
    csv_path = tmp_path / "inv.csv"
    csv_path.write_text("name,address\nr0,10.0.0.9\nr1," + json.dumps(address).replace("\\n", "\n") + "\n",
                        encoding="utf-8")
    with pytest.raises(InventoryError) as ei:
        load_inventory(csv_path)
    assert (ei.value.line, ei.value.field) == (3, "address"), str(ei.value)
    ans = tmp_path / "hosts.yml"
    ans.write_text("all:\n  hosts:\n    r0: {ansible_host: 10.0.0.9}\n"
                   f"    r1: {{ansible_host: {json.dumps(address)}}}\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(ans), cwd=tmp_path)
    _one_error(r, ans, 4, "r1.address")


def test_an_ansible_host_name_is_an_address_too(tmp_path):
    ans = tmp_path / "hosts.yml"
    ans.write_text('all:\n  hosts:\n    "-oN pwned.txt": {}\n', encoding="utf-8")
    r = run_mlps("inventory", "validate", str(ans), cwd=tmp_path)
    _one_error(r, ans, 3, "-oN pwned.txt.address")


@pytest.mark.parametrize("address", VALID)
def test_valid_addresses_still_load(tmp_path, address):
    inv = load_inventory(_yaml_inventory(tmp_path, address))
    a = inv.assets[0].address
    if address.isascii():
        assert a == address
    else:                                                # an IDN becomes its A-label, which reads back as the name
        assert a.isascii() and "xn--" in a and idna.decode(a) == address.lower(), (address, a)


@pytest.mark.parametrize("field,value", [("name", "r1\x1b[2J"), ("name", "r1\nforged line"), ("zone", "dmz\x00"),
                                         ("credentials", "net\r"), ("snmp_context", "ctx\x07"),
                                         ("redundancy_group", "p\u2028")])
def test_control_characters_in_names_are_refused(tmp_path, field, value):
    p = tmp_path / "inv.yaml"
    name = "" if field == "name" else "name: r1"
    p.write_text(f"assets:\n  - {name}\n    address: 10.0.0.1\n    {field}: {json.dumps(value)}\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    _one_error(r, p, 4, f"assets[0].{field}")


def test_control_characters_in_credential_names_are_refused(tmp_path):
    p = tmp_path / "inv.yaml"
    p.write_text('credentials:\n  "net\\e[2J": {ssh: {username: a, password: {env: X}}}\n'
                 "assets:\n  - {name: r1, address: 10.0.0.1}\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    _one_error(r, p, 2, "credentials")


@pytest.mark.parametrize("target", [*ONE_PER_CLASS, "-oN pwned.txt", "10.0.0.0/33", "$(touch pwned.txt)"])
def test_discover_refuses_hostile_targets(tmp_path, target):
    r = run_mlps("discover", "-o", str(tmp_path / "draft.yaml"), "--", target, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "target" in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "pwned.txt").exists() and not (tmp_path / "draft.yaml").exists()


@pytest.mark.parametrize("ports", ["22 -oN pwned.txt", "22,--script=x", "x"])
def test_discover_refuses_hostile_ports(tmp_path, ports):
    r = run_mlps("discover", "127.0.0.1", "--ports", ports, "-o", str(tmp_path / "draft.yaml"), cwd=tmp_path)
    assert r.returncode == 2 and "--ports" in r.stderr, r.stderr
    assert not (tmp_path / "pwned.txt").exists()


def test_portscan_refuses_an_option_even_past_the_loader(tmp_path):
    # Defence in depth: the transport itself takes one validated address per argument.
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(ValueError):
            scan_ports(["127.0.0.1 -oN pwned.txt"], {PORT: "test"}, timeout=30)
    finally:
        os.chdir(cwd)
    assert not (tmp_path / "pwned.txt").exists()


@pytest.mark.live
def test_portscan_finds_an_open_port_by_address_and_name():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", PORT))
    srv.listen()
    try:
        got = scan_ports(["127.0.0.1", "localhost"], {PORT: "test", PORT + 1: "closed"}, timeout=60)
    finally:
        srv.close()
    assert got["127.0.0.1"] == [PORT]
    assert got.get("localhost") == [PORT]


@pytest.mark.live
def test_discover_sweeps_a_valid_target(tmp_path):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", PORT))
    srv.listen()
    try:
        r = run_mlps("discover", "127.0.0.1/32", "--ports", str(PORT), "-o", str(tmp_path / "draft.yaml"))
    finally:
        srv.close()
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "draft.yaml").exists()


def test_subprocess_calls_take_argument_lists():
    # No shell and no joined command strings anywhere in the scanner.
    for path in (ROOT / "scanner").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "shell=True" not in text and "os.system(" not in text and "os.popen(" not in text, path
        assert "nmap.PortScanner().scan(" not in text and "nm.scan(" not in text, path



# -- outputs are private whatever the umask -------------------------------------------------------------------
def _umask0(*args: str, cwd=None) -> subprocess.CompletedProcess:
    # umask 000 in the child only: every file it creates without an explicit mode would be world-writable.
    code = "import os, sys; os.umask(0); from scanner.cli import main; sys.argv = ['mlps', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd or ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200"), timeout=300)


def _mode(p) -> int:
    return p.stat().st_mode & 0o777


def test_reports_are_private_under_umask_000(tmp_path):
    out = tmp_path / "new" / "out"
    old = tmp_path / "old.json"
    old.write_text("stale", encoding="utf-8")
    os.chmod(old, 0o666)
    r = _umask0("scan", "--configs", "tests/fixtures/configs/huawei_vrp", "--out", str(out), "-q",
                "--format", "json,html,junit,sarif,xlsx,pdf")
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["junit.xml", "report.html", "report.pdf", "report.xlsx", "results.sarif", "scan.json"]
    assert {p.name: _mode(p) for p in out.iterdir()} == {f: 0o600 for f in files}
    assert _mode(out) == 0o700 and _mode(out.parent) == 0o700       # both created by the scan
    r = _umask0("report", str(out / "scan.json"), "--format", "html", "--out", str(tmp_path / "again"))
    assert r.returncode == 0 and _mode(tmp_path / "again") == 0o700 and _mode(tmp_path / "again" / "report.html") == 0o600
    r = _umask0("diff", str(out / "scan.json"), str(out / "scan.json"), "--html", str(old))
    assert r.returncode == 0 and _mode(old) == 0o600                 # an existing file is made private too


def test_known_hosts_and_discover_draft_are_private_under_umask_000(tmp_path):
    kh = tmp_path / "cfg" / "mlps" / "known_hosts"
    code = ("import os, sys; os.umask(0); from pathlib import Path; from scanner.transport.ssh import KnownHosts; "
            "KnownHosts(Path(sys.argv[1]), True)")
    r = subprocess.run([sys.executable, "-c", code, str(kh)], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert r.returncode == 0, r.stderr
    assert _mode(kh) == 0o600 and _mode(kh.parent) == 0o700 and _mode(kh.parent.parent) == 0o700
    r = _umask0("discover", "127.0.0.1", "--ports", str(PORT), "-o", str(tmp_path / "draft.yaml"))
    assert r.returncode == 0, r.stderr
    assert _mode(tmp_path / "draft.yaml") == 0o600
