"""Roll-up rule, check discovery (package and entry points), crashing checks, catalogue shape."""
from __future__ import annotations

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
    from scanner import Check, Severity, passed
    def _boom(facts, policy):
        raise RuntimeError("plug-in bug")
    CRASHING = Check("plugin_crashes", "插件", "plug-in", ("8.1.4.1.a",), Severity.LOW, ("device_config",), _boom)
    EXTRA = [Check("plugin_banner_present", "横幅", "banner", ("8.1.4.3.a",), Severity.LOW, ("device_config",),
                   lambda f, p: passed("有", "yes"))]
''')


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A real installed distribution (dist-info with entry_points.txt) that publishes two checks."""
    (tmp_path / "mlps_plugin_demo.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "mlps_plugin_demo-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mlps-plugin-demo\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[mlps_scanner.checks]\ncrash = mlps_plugin_demo:CRASHING\nextra = mlps_plugin_demo:EXTRA\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    yield tmp_path
    sys.modules.pop("mlps_plugin_demo", None)


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
