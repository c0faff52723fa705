"""Bad input never crashes and never passes: each case gets a clear per-asset status."""
from __future__ import annotations

import pytest
import yaml

from scanner.engine import assess_config_bytes, assess_config_file
from scanner.model import AssetStatus, CheckStatus, ItemResult

from conftest import CONFIGS, run_mlps

WEAK_HW = (CONFIGS / "huawei_vrp/weak_s5700_v200r005.cfg").read_text(encoding="utf-8")


def _assess(data: bytes, ctx, platform=None):
    return assess_config_bytes(data, ctx, platform, "dev", "mem")


@pytest.mark.parametrize("data,code", [
    (b"", "empty"), (b"  \n\n", "empty"),
    (bytes(range(256)) * 64, "binary"), (b"\x7fELF\x02\x01\x01" + b"\x00" * 4000, "binary"),
    (b"set system host-name fw1\nset interfaces ge-0/0/0 unit 0\n", "unknown_platform"),
])
def test_unreadable_inputs_are_errors(data, code, ctx):
    a = _assess(data, ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == code and a.reason
    assert a.controls and all(c.result == ItemResult.ERROR for c in a.controls)   # never a pass
    assert a.findings == []


def test_truncated_config_is_an_error_not_a_pass(ctx):
    cut = "\n".join(WEAK_HW.splitlines()[:90])                     # no closing 'return'
    a = _assess(cut.encode(), ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "truncated" and a.platform == "huawei_vrp"
    assert "return" in a.reason


def test_gbk_descriptions_are_read(ctx):
    text = WEAK_HW.replace("description Uplink", "description 上联核心交换机").replace(
        "sysname", "sysname", 1)
    text = text.replace("#\nreturn", "#\ninterface GigabitEthernet0/0/2\n description 财务部办公区\n#\nreturn")
    a = _assess(text.encode("gbk"), ctx)
    assert a.status == AssetStatus.ASSESSED and a.platform == "huawei_vrp"
    assert any(f.status == CheckStatus.FAIL for f in a.findings)


def test_utf16_capture_is_read(ctx):
    a = _assess(WEAK_HW.encode("utf-16"), ctx)
    assert a.status == AssetStatus.ASSESSED and a.platform == "huawei_vrp"


def test_fifty_megabyte_file_is_refused_with_the_limit(tmp_path, ctx):
    big = tmp_path / "huge.cfg"
    with big.open("wb") as f:
        f.write(b"#\nsysname x\n")
        f.write(b"interface GigabitEthernet0/0/1\n description x\n" * (50 * 1024 * 1024 // 48))
    a = assess_config_file(big, ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "too_large" and "MiB" in a.reason


def test_unreadable_file_is_an_error(tmp_path, ctx):
    d = tmp_path / "dir.cfg"
    d.mkdir()
    a = assess_config_file(d, ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "read_error"


def test_parser_crash_costs_one_asset(ctx):
    # A platform given by the user for text of another vendor must still not crash.
    a = _assess(b"\x1b[0m<HW>display current-configuration\n  ---- More ----\x08\x08\n", ctx, "cisco_ios")
    assert a.status == AssetStatus.ERROR


def test_cli_scans_a_folder_of_mixed_good_and_bad_files(tmp_path):
    src = tmp_path / "cfg"
    src.mkdir()
    (src / "good.cfg").write_text(WEAK_HW, encoding="utf-8")
    (src / "empty.cfg").write_bytes(b"")
    (src / "blob.bin").write_bytes(bytes(range(256)) * 10)
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    import json
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    status = {a["name"]: (a["status"], a["reason_code"]) for a in data["assets"]}
    assert status == {"good": ("assessed", None), "empty": ("error", "empty"), "blob": ("error", "binary")}
    assert (out / "report.html").stat().st_size > 10_000


@pytest.mark.parametrize("args,needle", [
    (["scan", "--configs", "/nonexistent/x.cfg"], "no such file"),
    (["scan", "--configs", "tests/fixtures/configs", "--platform", "junos"], "unknown platform"),
    (["scan", "tests/fixtures/configs"], "--configs"),
    (["scan", "--configs", "tests/fixtures/configs", "--lang", "fr"], "--lang"),
])
def test_cli_bad_input_exits_2_with_one_message(args, needle, tmp_path):
    r = run_mlps(*args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_cli_bad_policy_names_file_line_and_field(tmp_path):
    pol = tmp_path / "p.yaml"
    pol.write_text("password_min_length: 8\nidle_timeout_max_s: -5\n", encoding="utf-8")
    r = run_mlps("scan", "--configs", "tests/fixtures/configs", "--policy", str(pol), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and str(pol) in r.stderr and "idle_timeout_max_s" in r.stderr
    pol.write_text("password_min_length: [\n", encoding="utf-8")
    r = run_mlps("scan", "--configs", "tests/fixtures/configs", "--policy", str(pol), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "line" in r.stderr


# -- malformed inventories, policies and waivers: exit 2, one line naming file, line and field -------------------
def _laughs(levels: int = 9, fan: int = 10) -> str:
    """A "billion laughs" chain of anchors: level n is `fan` aliases of level n-1 (fan**levels nodes expanded)."""
    lines = ['l0: &l0 ["lol"]']
    for n in range(1, levels + 1):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def _ansible_laughs(levels: int = 9, fan: int = 10) -> str:
    # Each group's children are `fan` aliases of the previous group: the importer's walk grows as fan**levels.
    out = ["all:", "  children:", "    g0: &g0 {hosts: {r1: {ansible_host: 10.0.0.1}}}"]
    for n in range(1, levels + 1):
        kids = ", ".join(f"c{k}: *g{n - 1}" for k in range(fan))
        out.append(f"    g{n}: &g{n} {{children: {{{kids}}}}}")
    return "\n".join(out) + "\n"


DEEP = 20_000
MALFORMED_INVENTORIES = [
    # (name, file, text, line, field)
    ("ansible-hosts-list", "hosts.yml", "all:\n  hosts: [r1]\n", 2, "all.hosts"),
    ("ansible-host-text", "hosts.yml", "all:\n  hosts:\n    r1: text\n", 3, "all.hosts.r1"),
    ("ansible-vars-list", "hosts.yml", "all:\n  vars: [1]\n  hosts: {r1: {}}\n", 2, "all.vars"),
    ("ansible-port-text", "hosts.yml", "all:\n  hosts:\n    r1: {ansible_port: ssh}\n", 3, "r1.port"),
    ("csv-extra-columns", "inv.csv", "name,address\nr1,10.0.0.1\nr2,10.0.0.2,extra,more\n", 3, "column 3"),
    ("groups-nested-list", "inv.yaml", "groups: {x: {}}\nassets:\n  - name: r1\n    address: 10.0.0.1\n"
                                       "    groups: [[x]]\n", 5, "assets[0].groups"),
    ("deep-nesting", "inv.yaml", "assets: " + "[" * DEEP + "]" * DEEP + "\n", 1, "assets.0.0.0..."),
    ("ansible-laughs", "hosts.yml", _ansible_laughs(), 9, "all.children.g6.children"),
    ("native-laughs", "inv.yaml", _laughs() + "assets: *l9\n", 7, "l6"),
    # siblings
    ("ansible-children-list", "hosts.yml", "all:\n  children: [core]\n", 2, "all.children"),
    ("ansible-all-list", "hosts.yml", "all: [r1]\n", 1, "all"),
    ("ansible-credentials-list", "hosts.yml", "all:\n  hosts: {r1: {}}\nmlps_credentials: [x]\n", 3,
     "mlps_credentials"),
    ("ansible-host-list", "hosts.yml", "all:\n  hosts:\n    r1: {ansible_host: [10.0.0.1]}\n", 3, "r1.address"),
    ("group-not-a-mapping", "inv.yaml", "groups: {x: [1]}\nassets:\n  - {name: r1, address: 10.0.0.1, groups: [x]}\n",
     1, "groups.x"),
    ("ansible-recursive-alias", "hosts.yml", "all: &a\n  children: {g: *a}\n", 2, "all.children.g"),
    ("csv-short-row", "inv.csv", "name,address,zone\nr1\n", 2, "address"),
    ("groups-not-a-list", "inv.yaml", "groups: {x: {}}\nassets:\n  - {name: r1, address: 10.0.0.1, groups: {x: 1}}\n",
     3, "assets[0].groups"),
    ("csv-column-twice", "inv.csv", "name,address,name\nr1,10.0.0.1,r2\n", 1, "name"),
    ("group-alias-of-a-list", "inv.yaml", "assets: &a\n  - {name: r1, address: 10.0.0.1}\ngroups: {x: *a}\n", 3,
     "groups.x"),
    ("impossible-date", "inv.yaml", "assets:\n  - {name: r1, address: 10.0.0.1, port: 2030-13-01}\n", 2,
     "assets.0.port"),
    ("credentials-list", "inv.yaml", "credentials: [x]\nassets:\n  - {name: r1, address: 10.0.0.1}\n", 1,
     "credentials"),
]


@pytest.mark.parametrize("name,file,text,line,field", MALFORMED_INVENTORIES, ids=[m[0] for m in MALFORMED_INVENTORIES])
def test_malformed_inventory_is_one_clear_error(tmp_path, name, file, text, line, field):
    p = tmp_path / file
    p.write_text(text, encoding="utf-8")
    r = run_mlps("inventory", "validate", str(p))
    msg = r.stderr.strip()
    assert r.returncode == 2, (r.returncode, msg[:500])
    assert "Traceback" not in r.stdout + r.stderr and "internal error" not in msg, msg[:500]
    assert len(msg.splitlines()) == 1, msg[:500]
    assert f"{p}:{line}" in msg and f"field '{field}'" in msg, msg


def _policy_or_waivers(tmp_path, option: str, text: str):
    p = tmp_path / f"{option}.yaml"
    p.write_text(text, encoding="utf-8")
    return p, run_mlps("scan", "--configs", "tests/fixtures/configs", f"--{option}", str(p), "--out",
                       str(tmp_path / "o"))


@pytest.mark.parametrize("option,text,line,field", [
    ("policy", "name: x\npassword_min_length: " + "[" * DEEP + "]" * DEEP + "\n", 2, "password_min_length.0.0.0..."),
    ("policy", _laughs() + "name: *l9\n", 7, "l6"),
    ("policy", "name: x\nidle_timeout_max_s: [1]\n", 2, "idle_timeout_max_s"),
    ("waivers", "waivers:\n  - scope: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", 2, "waivers.0.scope.a..."),
    ("waivers", _laughs() + "waivers: *l9\n", 7, "l6"),
    ("policy", "name: x\nlog_retention_days: 2030-13-01\n", 2, "log_retention_days"),
    ("waivers", "waivers:\n  - scope: {asset: r1}\n    reason: ok\n    approver: a\n    expires: 2030-13-01\n", 5,
     "waivers.0.expires"),
    ("waivers", "waivers:\n  - scope: {asset: r1}\n    reason: \"ok\\e]0;pwned\\a\"\n    approver: a\n"
                "    expires: 2030-01-01\n", 3, "waivers.0.reason"),
    ("waivers", "waivers:\n  - scope: [[x]]\n    reason: ok\n    approver: a\n    expires: 2030-01-01\n", 2,
     "waivers.0.scope"),
])
def test_malformed_policy_and_waivers_are_one_clear_error(tmp_path, option, text, line, field):
    p, r = _policy_or_waivers(tmp_path, option, text)
    msg = r.stderr.strip()
    assert r.returncode == 2, (r.returncode, msg[:500])
    assert "Traceback" not in r.stdout + r.stderr and "internal error" not in msg, msg[:500]
    assert len(msg.splitlines()) == 1, msg[:500]
    assert f"{p}:{line}" in msg and f"field '{field}'" in msg, msg


def test_raw_capture_yaml_is_bounded_too(tmp_path):
    from scanner.textio import YamlLimitError, load_yaml
    for text in ("a: " + "[" * DEEP + "]" * DEEP, _laughs(), "a: &a [*a]"):
        with pytest.raises(YamlLimitError):
            load_yaml(text)
    with pytest.raises(yaml.YAMLError):                 # read_capture turns a YAMLError into raw_format
        load_yaml("collected_at: 2030-13-01\n")
    assert load_yaml("a: &x [1, 2]\nb: *x\nc: {<<: {k: v}}\n") == {"a": [1, 2], "b": [1, 2], "c": {"k": "v"}}
