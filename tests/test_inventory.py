"""Inventories: validation with file/line/field errors, secret references only, CSV and Ansible import."""
from __future__ import annotations

import os

import pytest

from scanner.inventory import InventoryError, SecretRef, load_inventory
from scanner.secretrefs import SecretError, resolve_secret

from conftest import ROOT, run_mlps

GOOD = """\
credentials:
  net:
    ssh:
      username: audit
      password: {env: MLPS_TEST_PW}
groups:
  core: {zone: 核心区, role: core, importance: high, redundancy_group: core-pair}
defaults:
  port: 22
  credentials: net
assets:
  - name: core-sw1
    platform: huawei_vrp
    address: 10.0.0.1
    groups: [core]
  - name: fw1
    platform: auto
    address: 10.0.0.254
    role: firewall
    zone: DMZ
"""


def _write(tmp_path, text, name="inv.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_valid_inventory_with_groups_and_defaults(tmp_path):
    inv = load_inventory(_write(tmp_path, GOOD))
    core, fw = inv.assets
    assert (core.zone, core.role, core.importance, core.redundancy_group, core.port) == \
        ("核心区", "core", "high", "core-pair", 22)
    assert fw.role == "firewall" and fw.credentials == "net"
    assert inv.credential(core).ssh.password == SecretRef(env="MLPS_TEST_PW")


@pytest.mark.parametrize("mutate,line,field,needle", [
    (lambda t: t.replace("password: {env: MLPS_TEST_PW}", "password: hunter22"), 5, "credentials.net.ssh.password", "plain-text"),
    (lambda t: t.replace("role: firewall", "role: toaster"), 19, "assets[1].role", "unknown role"),
    (lambda t: t.replace("platform: auto", "platform: junos"), 17, "assets[1].platform", "unknown platform"),
    (lambda t: t.replace("groups: [core]", "groups: [edge]"), 15, "assets[0].groups", "unknown group"),
    (lambda t: t.replace("name: fw1", "name: core-sw1"), 16, "assets[1].name", "duplicate"),
    (lambda t: t.replace("    address: 10.0.0.254\n", "    adress: 10.0.0.254\n"), 18, "assets[1].adress", "Extra"),
    (lambda t: t.replace("  port: 22", "  port: 70000"), 9, "assets[0].port", "less than or equal"),
])
def test_errors_name_file_line_and_field(tmp_path, mutate, line, field, needle):
    p = _write(tmp_path, mutate(GOOD))
    with pytest.raises(InventoryError) as ei:
        load_inventory(p)
    e = ei.value
    assert e.path == str(p) and e.field == field and needle in e.message, str(e)
    assert e.line == line, str(e)
    assert "hunter22" not in str(e)


def test_cli_validate_exit_codes(tmp_path):
    ok = run_mlps("inventory", "validate", str(_write(tmp_path, GOOD)))
    assert ok.returncode == 0 and "core-sw1" in ok.stdout
    bad = run_mlps("inventory", "validate", str(_write(tmp_path, GOOD.replace("{env: MLPS_TEST_PW}", "'x'"), "b.yaml")))
    assert bad.returncode == 2 and "b.yaml:5" in bad.stderr and "Traceback" not in bad.stderr
    broken = run_mlps("inventory", "validate", str(_write(tmp_path, "assets: [\n", "c.yaml")))
    assert broken.returncode == 2 and "c.yaml:2" in broken.stderr
    r = run_mlps("inventory", "validate", str(ROOT / "scanner" / "lab" / "data" / "inventory.yaml"))
    assert r.returncode == 0


def test_csv_import(tmp_path):
    p = _write(tmp_path, "name,address,platform,zone,role\nsw1,10.1.1.1,h3c,办公区,access\nsw2,10.1.1.2,cisco,,core\n",
               "inv.csv")
    inv = load_inventory(p)
    assert [(a.name, a.platform, a.zone) for a in inv.assets] == [("sw1", "hp_comware", "办公区"), ("sw2", "cisco_ios", None)]
    bom = _write(tmp_path, "\ufeffname,address\nsw1,10.1.1.1\n", "excel.csv")        # as spreadsheets save it
    assert [a.name for a in load_inventory(bom).assets] == ["sw1"]
    with pytest.raises(InventoryError) as ei:
        load_inventory(_write(tmp_path, "name,address,password\nsw1,10.1.1.1,secret\n", "bad.csv"))
    assert ei.value.line == 1 and ei.value.field == "password"
    with pytest.raises(InventoryError) as ei:
        load_inventory(_write(tmp_path, "name,address,port\nsw1,10.1.1.1,22\nsw2,10.1.1.2,abc\n", "port.csv"))
    assert ei.value.line == 3 and ei.value.field == "port"


def test_ansible_import(tmp_path):
    text = """\
all:
  vars: {mlps_credentials: net}
  children:
    core:
      vars: {ansible_network_os: huawei, mlps_role: core}
      hosts:
        core1: {ansible_host: 10.0.0.1}
    access:
      hosts:
        acc1: {ansible_host: 10.0.1.1, ansible_network_os: cisco.ios.ios, ansible_port: 2222}
mlps_credentials:
  net: {ssh: {username: a, password: {env: X}}}
"""
    inv = load_inventory(_write(tmp_path, text, "hosts.yml"))
    assert [(a.name, a.platform, a.address, a.port, a.role) for a in inv.assets] == [
        ("core1", "huawei_vrp", "10.0.0.1", 22, "core"), ("acc1", "cisco_ios", "10.0.1.1", 2222, "other")]
    with pytest.raises(InventoryError) as ei:
        load_inventory(_write(tmp_path, text.replace("ansible_host: 10.0.0.1", "ansible_host: 10.0.0.1, "
                                                     "ansible_password: pw"), "h2.yml"))
    assert "plain-text" in ei.value.message and ei.value.line == 7


def test_secret_references(tmp_path, monkeypatch):
    monkeypatch.setenv("MLPS_TEST_PW", "s3cret!")
    assert resolve_secret(SecretRef(env="MLPS_TEST_PW")) == "s3cret!"
    f = tmp_path / "pw"
    f.write_text("file-secret\n")
    os.chmod(f, 0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        resolve_secret(SecretRef(file=str(f)))
    os.chmod(f, 0o600)
    assert resolve_secret(SecretRef(file=str(f))) == "file-secret"
    monkeypatch.delenv("MLPS_TEST_PW")
    with pytest.raises(SecretError) as ei:
        resolve_secret(SecretRef(env="MLPS_TEST_PW"))
    assert "s3cret" not in str(ei.value)


def test_key_file_open_to_group_or_others_is_refused(tmp_path):
    key = tmp_path / "id_ed25519"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    inv = tmp_path / "inv.yaml"
    inv.write_text(f"credentials:\n  k:\n    ssh:\n      username: a\n      key_file: {key}\n"
                   "assets:\n  - {name: r1, address: 127.0.0.1, credentials: k, platform: linux}\n", encoding="utf-8")
    for mode in (0o644, 0o640, 0o604, 0o660):
        os.chmod(key, mode)
        r = run_mlps("inventory", "validate", str(inv))
        assert r.returncode == 2 and f"{inv}:5" in r.stderr and "key_file" in r.stderr and "chmod 600" in r.stderr, \
            r.stderr
    os.chmod(key, 0o600)
    loaded = load_inventory(inv)
    assert run_mlps("inventory", "validate", str(inv)).returncode == 0
    # loosened after loading: refused again at connection, before any network traffic
    from scanner.live import LiveOptions, collect_asset
    from scanner.transport.ssh import CollectError
    os.chmod(key, 0o644)
    with pytest.raises(CollectError) as ei:
        collect_asset(loaded.assets[0], loaded, LiveOptions(known_hosts=tmp_path / "kh"), None)
    assert ei.value.code == "secret_unavailable" and "chmod 600" in ei.value.message


def test_secret_file_that_is_a_fifo_or_too_large_is_refused_not_read(tmp_path):
    """A secret reference is read like any untrusted path: a FIFO would block the scan, /dev/zero never ends."""
    import os
    fifo = tmp_path / "pw.fifo"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(SecretError, match="not a regular file"):
        resolve_secret(SecretRef(file=str(fifo)))
    big = tmp_path / "pw.big"
    big.write_bytes(b"x" * (65 * 1024))
    big.chmod(0o600)
    with pytest.raises(SecretError, match="limit"):
        resolve_secret(SecretRef(file=str(big)))
