"""Importers for the inventories people have (issue 14, must-have 1): CSV in UTF-8/BOM/GBK with Chinese headers,
XLSX 资产清单, Ansible INI/YAML with group_vars/host_vars, NetBox/Nautobot CSV exports; skipped rows with why;
`mlps inventory convert`. The live NetBox/Nautobot path is in tests/test_importers_live.py."""
from __future__ import annotations

import stat

import pytest
import yaml

from scanner.importers import import_inventory
from scanner.inventory import InventoryError, load_inventory

from conftest import ROOT, run_mlps

FIX = ROOT / "tests" / "fixtures" / "inventories"


def _rows(inv):
    return [(a.name, a.address, a.platform, a.zone, a.role, a.importance, a.port) for a in inv.assets]


def test_csv_chinese_headers_in_utf8_bom_and_gbk_give_the_same_assets():
    bom, gbk = (import_inventory(FIX / f) for f in ("资产清单-utf8-bom.csv", "资产清单-gbk.csv"))
    assert _rows(bom.inventory) == _rows(gbk.inventory)
    assert _rows(bom.inventory)[:4] == [
        ("核心交换机-1", "10.10.0.1", "huawei_vrp", "核心区", "core", "high", 22),
        ("核心交换机-2", "10.10.0.2", "huawei_vrp", "核心区", "core", "high", 22),
        ("汇聚交换机-A", "10.10.1.1", "hp_comware", "办公区", "aggregation", "medium", 22),
        ("出口路由器", "10.10.9.1", "cisco_ios", "互联网边界", "border", "high", 2222)]
    assert _rows(bom.inventory)[4][:3] == ("日志服务器", "10.10.5.10", "linux")
    assert [a.credentials for a in bom.inventory.assets] == ["net"] * 4 + ["linux"]
    [skip] = bom.skipped                      # the Juniper firewall: named with its line, field and why
    assert (skip.where, skip.field) == ("line 7", "vendor") and "Juniper" in skip.reason


@pytest.mark.parametrize("name,data,line,field,needle", [
    ("latin1.csv", "name,address,zone\nsw1,10.0.0.1,caf\xe9\xff\n".encode("latin-1"), 2, None, "GBK/GB18030"),
    ("utf16.csv", "name,address\nsw1,10.0.0.1\n".encode("utf-16"), 1, None, "UTF-16"),
    ("nul.csv", b"name,address\nsw1,10.0.0.1\x00\n", 2, None, "control character"),
    ("pw.csv", "设备名称,管理IP,登录密码\nsw1,10.0.0.1,x\n".encode(), 1, "登录密码", "never read"),
    ("unknown.csv", "设备名称,管理IP,机架位置\nsw1,10.0.0.1,A1\n".encode(), 1, "机架位置", "#mlps-columns"),
    ("badip.csv", "设备名称,管理IP\nsw1,10.0.0.1-5\n".encode(), 2, "address", "numeric address"),
    ("badimp.csv", "设备名称,管理IP,重要程度\nsw1,10.0.0.1,极高\n".encode(), 2, "importance", "high"),
    ("badmap.csv", "#mlps-columns: 主机=hostname\n主机,管理IP\nsw1,10.0.0.1\n".encode(), 1, "mlps-columns", "FIELD"),
    ("noaddr.csv", "设备名称,厂商\nsw1,华为\n".encode(), 1, None, "管理IP"),
])
def test_bad_csv_is_one_clear_error_with_file_line_and_field(tmp_path, name, data, line, field, needle):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InventoryError) as ei:
        load_inventory(p)
    assert (ei.value.line, ei.value.field) == (line, field) and needle in ei.value.message, ei.value
    r = run_mlps("inventory", "convert", str(p), "-o", str(tmp_path / "out.yaml"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_header_map_extends_in_the_file_and_on_the_command_line(tmp_path):
    p = tmp_path / "own.csv"
    p.write_text("#mlps-columns: 主机=name, 地址=address, 机架位置=-\n主机,地址,机架位置\nsw1,10.0.0.1,A1\n",
                 encoding="utf-8")
    assert [a.name for a in load_inventory(p).assets] == ["sw1"]
    q = tmp_path / "tab.csv"
    q.write_text("主机\t地址\nsw2\t10.0.0.2\n", encoding="gb18030")
    r = run_mlps("inventory", "convert", str(q), "-o", str(tmp_path / "o.yaml"), "--columns", "主机=name,地址=address")
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load((tmp_path / "o.yaml").read_text())["assets"] == [{"name": "sw2", "address": "10.0.0.2"}]


def test_xlsx_first_sheet_title_row_merged_zone_and_named_sheet():
    got = import_inventory(FIX / "资产清单.xlsx")
    assert _rows(got.inventory) == [
        ("核心交换机-1", "10.10.0.1", "huawei_vrp", "核心区", "core", "high", 22),
        ("核心交换机-2", "10.10.0.2", "huawei_vrp", "核心区", "core", "high", 22),   # 区域 from the merged cell
        ("接入交换机-3F", "10.10.2.3", "hp_comware", "办公区", "access", "medium", 22),
        ("堡垒机", "10.10.5.20", "linux", "安全管理区", "bastion", "high", 22)]
    assert [(s.where, s.field) for s in got.skipped] == [("row 1", None), ("row 6", "vendor")]
    servers = import_inventory(FIX / "资产清单.xlsx", sheet="服务器").inventory
    assert _rows(servers) == [("web01", "10.20.0.11", "linux", "DMZ", "other", "medium", 22)]
    with pytest.raises(InventoryError) as ei:
        import_inventory(FIX / "资产清单.xlsx", sheet="无此表")
    assert ei.value.field == "--sheet" and "网络设备" in ei.value.message


def test_broken_xlsx_is_one_clear_error(tmp_path):
    p = tmp_path / "资产清单.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a workbook")
    r = run_mlps("inventory", "validate", str(p))
    assert r.returncode == 2 and "not a readable XLSX" in r.stderr and "Traceback" not in r.stderr


def test_ansible_ini_with_group_vars_and_host_vars():
    got = import_inventory(FIX / "ansible-network" / "hosts")
    assert sorted(_rows(got.inventory)) == [
        ("bastion", "192.0.2.50", "auto", None, "bastion", "medium", 22),
        ("rtr1", "192.0.2.11", "cisco_ios", None, "other", "medium", 22),
        ("sw01", "192.0.2.20", "huawei_vrp", "核心区", "core", "medium", 22),       # group_vars/huawei.yml
        ("sw02", "192.0.2.22", "huawei_vrp", "核心区", "core", "high", 22)]         # host_vars/sw02.yml wins
    assert {a.name: a.groups for a in got.inventory.assets}["rtr1"] == ("routers", "cisco")
    assert sorted((s.where, s.field) for s in got.skipped) == [
        ("host localhost", "ansible_connection"), ("host rtr3", "ansible_network_os")]


def test_ansible_ini_is_no_longer_refused_as_yaml_and_its_errors_name_the_line(tmp_path):
    p = tmp_path / "inventory.ini"
    p.write_text("[core]\ncore1 ansible_host=10.0.0.1 ansible_network_os=huawei\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    assert r.returncode == 0 and "core1" in r.stdout, r.stderr
    p.write_text("[core]\ncore1 ansible_host=10.0.0.1\n[core:vars]\nnot a pair\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    assert r.returncode == 2 and f"{p}:4" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr          # ansible's own warnings are not shown
    p.write_text("[core]\ncore1 ansible_host=10.0.0.1 ansible_password=hunter2\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    assert r.returncode == 2 and f"{p}:2" in r.stderr and "plain-text" in r.stderr and "hunter2" not in r.stderr
    p.write_text("[core]\ncore1 ansible_host=10.0.0.1 ansible_port=ssh\n", encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    assert r.returncode == 2 and "core1.ansible_port" in r.stderr, r.stderr


def test_ansible_yaml_reads_group_vars_beside_it(tmp_path):
    (tmp_path / "group_vars").mkdir()
    (tmp_path / "group_vars" / "core.yml").write_text("ansible_network_os: comware\nmlps_zone: dc\n")
    p = tmp_path / "hosts.yml"
    p.write_text("all:\n  children:\n    core:\n      hosts:\n        c1: {ansible_host: 10.0.0.1}\n")
    [a] = load_inventory(p).assets
    assert (a.platform, a.zone, a.groups) == ("hp_comware", "dc", ("core",))


@pytest.mark.parametrize("file,kind", [("netbox-devices.csv", "netbox-csv"), ("nautobot-devices.csv", "nautobot-csv")])
def test_netbox_and_nautobot_csv_exports(file, kind):
    from scanner.importers import detect_format
    assert detect_format(FIX / file) == kind
    got = import_inventory(FIX / file)
    if kind == "netbox-csv":
        assert _rows(got.inventory) == [
            ("dc1-core-01", "10.30.0.1", "huawei_vrp", "dc1", "core", "high", 22),
            ("dc1-agg-01", "10.30.0.2", "hp_comware", "dc1", "aggregation", "medium", 22),
            ("dc1-edge-01", "10.30.0.3", "cisco_ios", "dc1", "router", "medium", 22),
            ("dc1-srv-01", "10.30.1.1", "linux", "dc1", "server", "medium", 22)]
        assert [(s.where, s.field) for s in got.skipped] == [
            ("line 5 (dc1-nexus-01)", "platform"), ("line 6 (dc1-pp-01)", "primary_ip"),
            ("line 7 (dc1-old-01)", "status")]
    else:
        assert _rows(got.inventory) == [("bj-core-01", "10.40.0.1", "huawei_vrp", "Beijing", "core", "high", 22),
                                        ("bj-acc-01", "10.40.0.2", "hp_comware", "Beijing", "access", "medium", 22)]
        assert [(s.where, s.field) for s in got.skipped] == [("line 4 (bj-fw-01)", "platform"),
                                                            ("line 5 (bj-acc-02)", "status")]


def test_convert_writes_native_yaml_0600_that_loads_and_lists_skipped_rows(tmp_path):
    out = tmp_path / "inv.yaml"
    creds = tmp_path / "creds.yaml"
    creds.write_text("credentials:\n  net: {ssh: {username: audit, password: {env: MLPS_NET_PW}}}\n")
    r = run_mlps("inventory", "convert", str(FIX / "资产清单-gbk.csv"), "-o", str(out), "--credentials", str(creds))
    assert r.returncode == 0, r.stderr
    assert "skipped:" in r.stderr and "line 7" in r.stderr and "Juniper" in r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "# credentials named by the assets but not defined" in out.read_text()       # 'linux' is not defined
    text = out.read_text().replace("credentials: linux", "credentials: net")
    out.write_text(text)
    inv = load_inventory(out)
    assert len(inv.assets) == 5 and inv.credentials["net"].ssh.username == "audit"
    r = run_mlps("inventory", "convert", str(FIX / "资产清单.xlsx"), "-o", str(out), "--format", "netbox")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_converted_ansible_inventory_loads_as_native_yaml(tmp_path):
    out = tmp_path / "inv.yaml"
    r = run_mlps("inventory", "convert", str(FIX / "ansible-network" / "hosts"), "-o", str(out))
    assert r.returncode == 0 and "host rtr3" in r.stderr, r.stderr
    inv = load_inventory(out)
    assert sorted((a.name, a.platform, a.groups) for a in inv.assets)[1:3] == [
        ("rtr1", "cisco_ios", ("routers", "cisco")), ("sw01", "huawei_vrp", ("routers", "huawei"))]


@pytest.mark.parametrize("src", ["资产清单.xlsx", "ansible-network/hosts", "netbox-devices.csv"])
def test_scan_takes_these_sources_directly(tmp_path, src):
    # No credentials are defined in these sources: every device is "not assessed: no_credentials", before any
    # connection is tried, and the skipped rows are printed.
    r = run_mlps("scan", str(FIX / src), "--out", str(tmp_path / "o"), "--format", "json", "-q")
    assert "Traceback" not in r.stderr and "invalid YAML" not in r.stderr, r.stderr
    assert "skipped:" in r.stderr
    import json
    scan = json.loads((tmp_path / "o" / "scan.json").read_text())
    assets = scan["assets"]
    assert len(assets) >= 4 and all(a["status"] != "assessed" for a in assets)
    assert {a.get("reason_code") or a.get("error", {}).get("code") for a in assets} == {"no_credentials"}, assets[0]
