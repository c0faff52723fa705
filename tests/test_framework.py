"""Roll-up rule, check discovery (package and entry points), crashing checks, catalogue shape."""
from __future__ import annotations

import json
import re
import sys
import textwrap

import pytest

from scanner.catalog import load_catalog
from scanner.engine import ScanContext, assess_config_file
from scanner.model import CheckStatus as S, ItemResult as R
from scanner.registry import discover
from scanner.rollup import combine, combine_assets

from conftest import CONFIGS, run_mlps


@pytest.mark.parametrize("statuses,expected", [
    ([S.PASS, S.PASS], R.COMPLIANT), ([S.FAIL], R.NONCOMPLIANT), ([S.PASS, S.FAIL], R.PARTIAL),
    ([S.PASS, S.MANUAL], R.MANUAL), ([S.FAIL, S.MANUAL], R.NONCOMPLIANT), ([S.PASS, S.FAIL, S.MANUAL], R.PARTIAL),
    ([S.PASS, S.ERROR], R.ERROR), ([S.NOT_APPLICABLE], R.NOT_APPLICABLE), ([S.NOT_APPLICABLE, S.PASS], R.COMPLIANT),
    ([], R.NOT_APPLICABLE),
])
def test_item_rollup(statuses, expected):
    assert combine(statuses) == expected


def test_rollup_across_assets():
    assert combine_assets([R.COMPLIANT, R.NONCOMPLIANT]) == R.PARTIAL
    assert combine_assets([R.NONCOMPLIANT, R.NOT_APPLICABLE]) == R.NONCOMPLIANT
    assert combine_assets([R.MANUAL, R.ERROR]) == R.ERROR


def test_catalogue_has_all_211_items_with_weights():
    cat = load_catalog()
    assert len(cat.items) == 211 and len({i.id for i in cat.items}) == 211
    per_layer = {}
    for i in cat.items:
        per_layer[i.layer] = per_layer.get(i.layer, 0) + 1
        assert i.weight in (0.4, 0.7, 1.0) and i.text_zh and i.text_en
    assert per_layer == {"8.1.1": 22, "8.1.2": 8, "8.1.3": 20, "8.1.4": 34, "8.1.5": 12, "8.1.6": 7, "8.1.7": 14,
                         "8.1.8": 12, "8.1.9": 34, "8.1.10": 48}


def test_every_check_serves_known_items_and_has_unique_id():
    cat = load_catalog()
    checks = discover(use_entry_points=False).checks
    assert len(checks) >= 30
    for c in checks:
        assert all(cat.has(i) for i in c.controls), c.id
    assert len({c.id for c in checks}) == len(checks)


PLUGIN = textwrap.dedent('''
    from scanner import CheckStatus, FleetVerdict, Severity, check, fleet_check, passed
    @check(id="plugin_crashes", title_zh="插件", title_en="plug-in", controls=("8.1.4.1.a",), severity=Severity.LOW,
           needs=("device_config",))
    def _boom(facts, policy):
        raise RuntimeError("plug-in bug")
    CRASHING = _boom
    @check(id="plugin_banner_present", title_zh="横幅", title_en="banner", controls=("8.1.4.3.a",),
           severity=Severity.LOW, needs=("device_config",))
    def _banner(facts, policy):
        return passed("有", "yes")
    EXTRA = [_banner]
    @fleet_check(id="plugin_fleet_inventory_zoned", title_zh="资产均标注区域", title_en="every asset has a zone",
                 controls=("8.1.2.2.a",))
    def _zoned(assets):
        return FleetVerdict(CheckStatus.FAIL, "无区域", "no zones", tuple(a.name for a in assets))
''')
# A plug-in that cannot be imported, and one whose check serves an item the catalogue does not have.
BROKEN = "from scanner import check\ndef oops(:\n"
BAD_META = textwrap.dedent('''
    from scanner import Severity, check, passed
    @check(id="plugin_bad_item", title_zh="坏", title_en="bad", controls=("8.1.4.1.z",), severity=Severity.LOW,
           needs=("device_config",))
    def _bad(facts, policy):
        return passed("有", "yes")
''')


def _dist(root, name: str, version: str, entry_points: str) -> None:
    dist = root / f"{name.replace('-', '_')}-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(entry_points, encoding="utf-8")


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A real installed distribution (dist-info with entry_points.txt) that publishes two checks and a fleet check."""
    (tmp_path / "mlps_plugin_demo.py").write_text(PLUGIN, encoding="utf-8")
    _dist(tmp_path, "mlps-plugin-demo", "1.0", "[mlps_scanner.checks]\ncrash = mlps_plugin_demo:CRASHING\n"
          "extra = mlps_plugin_demo:EXTRA\nfleet = mlps_plugin_demo:_zoned\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    yield tmp_path
    sys.modules.pop("mlps_plugin_demo", None)


@pytest.fixture
def broken_plugins(plugin):
    """Next to the good plug-in: one that fails to import and one with invalid metadata."""
    (plugin / "mlps_plugin_broken.py").write_text(BROKEN, encoding="utf-8")
    (plugin / "mlps_plugin_badmeta.py").write_text(BAD_META, encoding="utf-8")
    _dist(plugin, "mlps-plugin-broken", "0.3", "[mlps_scanner.checks]\nbroken = mlps_plugin_broken:CHECKS\n"
          "badmeta = mlps_plugin_badmeta:_bad\n")
    yield plugin
    for m in ("mlps_plugin_broken", "mlps_plugin_badmeta"):
        sys.modules.pop(m, None)


def test_entry_point_checks_run_and_a_crash_is_an_error(plugin):
    cs = discover()
    ids = {c.id for c in cs.checks}
    assert {"plugin_crashes", "plugin_banner_present"} <= ids
    ctx = ScanContext.default(checkset=cs)
    asset = assess_config_file(CONFIGS / "cisco_ios/hardened_c9300_17.9.cfg", ctx)
    crash = next(f for f in asset.findings if f.check == "plugin_crashes")
    assert crash.status == S.ERROR and "RuntimeError" in crash.reason_en
    item = next(c for c in asset.controls if c.id == "8.1.4.1.a")
    assert item.result == R.ERROR                                  # never a pass while a check is broken
    assert len(asset.findings) == len([c for c in cs.checks if "network_device" in c.applies_to])  # scan went on
    r = run_mlps("checks", "list")
    assert "plugin_banner_present" in r.stdout


def test_cli_catalog_and_checks_list():
    r = run_mlps("catalog", "--automated")
    assert r.returncode == 0 and "8.1.4.1.a" in r.stdout and "8.1.1.1.a" not in r.stdout
    r = run_mlps("checks", "list")
    assert r.returncode == 0 and "remote_mgmt_telnet_disabled" in r.stdout


def test_a_broken_plugin_is_reported_in_scan_json_and_on_the_console(broken_plugins, tmp_path):
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(CONFIGS / "huawei_vrp"), "-o", str(out), "-q")
    assert r.returncode == 0, r.stderr
    result = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    plugins = {p["name"]: p for p in result["plugins"]}
    assert plugins["broken"]["status"] == "error" and plugins["broken"]["distribution"] == "mlps-plugin-broken"
    assert plugins["broken"]["version"] == "0.3" and "SyntaxError" in plugins["broken"]["message"]
    assert plugins["badmeta"]["status"] == "error" and "8.1.4.1.z" in plugins["badmeta"]["message"]
    assert plugins["extra"] == {"name": "extra", "distribution": "mlps-plugin-demo", "version": "1.0", "status": "ok",
                                "message": "", "checks": ["plugin_banner_present"]}
    for name in ("broken", "badmeta"):
        assert re.search(rf"plug-in {name} \(mlps-plugin-broken 0\.3\).*not run", r.stderr), r.stderr
    checks = {f["check"] for a in result["assets"] for f in a["findings"]}
    assert "plugin_bad_item" not in checks and "plugin_banner_present" in checks
    # the items the broken plug-in claimed are still assessed by the other checks
    item = next(c for c in result["assets"][0]["controls"] if c["id"] == "8.1.4.1.a")
    assert "plugin_bad_item" not in item["checks"] and "auth_login_required" in item["checks"]


def test_a_plugin_whose_check_id_is_taken_is_an_error(plugin):
    (plugin / "mlps_plugin_dup.py").write_text(PLUGIN.replace('id="plugin_banner_present"', 'id="logging_enabled"'),
                                               encoding="utf-8")
    _dist(plugin, "mlps-plugin-dup", "2.0", "[mlps_scanner.checks]\ndup = mlps_plugin_dup:EXTRA\n")
    try:
        cs = discover()
    finally:
        sys.modules.pop("mlps_plugin_dup", None)
    dup = next(p for p in cs.plugins if p.name == "dup")
    assert dup.status == "error" and "logging_enabled" in dup.message
    assert sum(c.id == "logging_enabled" for c in cs.checks) == 1
    assert next(c for c in cs.checks if c.id == "logging_enabled").evaluate.__module__ == "checks.network.audit"


def test_a_plugin_fleet_check_runs_over_the_fleet(plugin, tmp_path):
    cs = discover()
    assert "plugin_fleet_inventory_zoned" in {c.id for c in cs.fleet_checks}
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(CONFIGS / "huawei_vrp"), "-o", str(out), "-q")
    assert r.returncode == 0, r.stderr
    result = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    zoned = next(f for f in result["fleet"] if f["check"] == "plugin_fleet_inventory_zoned")
    assert zoned["status"] == "fail" and len(zoned["assets"]) == len(result["assets"])
    item = next(i for i in result["items"] if i["id"] == "8.1.2.2.a")
    assert item["automated"] and item["assets"].get("noncompliant")
    assert next(p for p in result["plugins"] if p["name"] == "fleet")["checks"] == ["plugin_fleet_inventory_zoned"]


HOSTILE = textwrap.dedent('''
    from scanner import Check, FleetCheck, FleetVerdict, Severity, check, passed
    def ok(facts, policy):
        return passed("有", "yes")
    def meta(**kw):
        base = dict(id="plugin_hostile", title_zh="甲", title_en="a", controls=("8.1.4.1.a",), severity=Severity.LOW,
                    needs=("device_config",), evaluate=ok)
        return Check(**(base | kw))
    MIXED = [meta(id="plugin_mixed_ok"), "not a check"]
    STR_CONTROLS = meta(controls="8.1.4.1.a")
    NONE_KINDS = meta(applies_to=None)
    NO_KIND = meta(applies_to=("mainframe",))
    SEV = meta(severity="high")
    BAD_ID = meta(id="Bad Id!")
    NO_ITEMS = meta(controls=())
    BAD_CASE = meta(high_risk=("9.9.9",))
    BAD_FIX = meta(remediation={"linux": "chmod 600 /etc/shadow"})
    BAD_FLEET = FleetCheck(id="plugin_fleet_bad", title_zh="甲", title_en="a", controls=("8.1.99.1.a",),
                           evaluate=lambda assets: FleetVerdict("pass", "", ""))
    EMPTY = []
''')
HOSTILE_EXPECT = {
    "ghost": "ModuleNotFoundError", "exits": "SystemExit", "missing": "AttributeError",
    "mixed": "loads a str", "strcontrols": "item id must be a tuple", "nonekinds": "applies_to None",
    "nokind": "names no asset kind", "sev": "severity 'high' is not a Severity", "badid": "'Bad Id!'",
    "noitems": "serves no item", "badcase": "unknown high-risk case 9.9.9", "badfix": "remediation for linux",
    "badfleet": "unknown item id 8.1.99.1.a", "empty": "loads no check", "module": "module posixpath without checks",
}


def test_hostile_plugins_are_reported_and_cost_only_their_own_checks(plugin):
    (plugin / "mlps_plugin_hostile.py").write_text(HOSTILE, encoding="utf-8")
    (plugin / "mlps_plugin_exit.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    eps = {"ghost": "mlps_no_such_module:CHECKS", "exits": "mlps_plugin_exit:CHECKS",
           "missing": "mlps_plugin_hostile:NOPE", "mixed": "mlps_plugin_hostile:MIXED",
           "strcontrols": "mlps_plugin_hostile:STR_CONTROLS", "nonekinds": "mlps_plugin_hostile:NONE_KINDS",
           "nokind": "mlps_plugin_hostile:NO_KIND", "sev": "mlps_plugin_hostile:SEV",
           "badid": "mlps_plugin_hostile:BAD_ID",
           "noitems": "mlps_plugin_hostile:NO_ITEMS", "badcase": "mlps_plugin_hostile:BAD_CASE",
           "badfix": "mlps_plugin_hostile:BAD_FIX", "badfleet": "mlps_plugin_hostile:BAD_FLEET",
           "empty": "mlps_plugin_hostile:EMPTY", "module": "os.path"}
    _dist(plugin, "mlps-plugin-hostile", "0.0.1",
          "[mlps_scanner.checks]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()))
    builtin = discover(use_entry_points=False)
    try:
        cs = discover()
    finally:
        for m in ("mlps_plugin_hostile", "mlps_plugin_exit"):
            sys.modules.pop(m, None)
    status = {p.name: p for p in cs.plugins if p.distribution == "mlps-plugin-hostile"}
    assert set(status) == set(HOSTILE_EXPECT)
    for name, fragment in HOSTILE_EXPECT.items():
        assert status[name].status == "error" and fragment in status[name].message, (name, status[name].message)
        assert status[name].checks == []
    ids = {c.id for c in cs.checks} | {c.id for c in cs.fleet_checks}
    assert not {"plugin_hostile", "plugin_mixed_ok", "plugin_fleet_bad"} & ids
    assert {c.id for c in builtin.checks} <= ids and len(cs.checks) == len(builtin.checks) + 2   # + the demo's two
