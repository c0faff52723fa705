"""The hardened and weak configs of every vendor: details the answer files do not cover (evidence lines, masking,
remediation text). The verdicts of every check and item are compared with the hand-written answers in
tests/test_answers.py (tests/expected/answers/); the snapshot goldens that only mirrored the scanner are gone.
"""
from __future__ import annotations

from scanner.engine import assess_config_file
from scanner.model import AssetStatus, CheckStatus

from conftest import CONFIGS


def test_every_vendor_has_a_hardened_and_a_weak_config():
    for vendor in ("huawei_vrp", "hp_comware", "cisco_ios"):
        names = [p.stem for p in CONFIGS.glob(f"{vendor}/*.cfg")]
        assert any(n.startswith("hardened") for n in names) and any(n.startswith("weak") for n in names)


def test_hardened_configs_have_no_failures_or_high_risks(ctx):
    paths = sorted(CONFIGS.glob("*/hardened_*.cfg"))
    assert {p.parent.name for p in paths} == {"huawei_vrp", "hp_comware", "cisco_ios"}
    for path in paths:
        asset = assess_config_file(path, ctx)
        # an asset that was not assessed has no findings at all: that is not "no failures"
        assert asset.status == AssetStatus.ASSESSED and asset.findings, (path.name, asset.reason)
        fails = [f.check for f in asset.findings if f.status == CheckStatus.FAIL]
        assert fails == [] and asset.high_risks == [], (path.name, fails)


def _finding(asset, check):
    return next(f for f in asset.findings if f.check == check)


def test_weak_huawei_findings_cite_the_answer_key_lines(ctx):
    asset = assess_config_file(CONFIGS / "huawei_vrp/weak_s5700_v200r005.cfg", ctx)
    telnet = _finding(asset, "remote_mgmt_telnet_disabled")
    assert telnet.status == CheckStatus.FAIL
    assert 13 in [e.line for e in telnet.evidence]                 # ANSWERS.md: L13 telnet server enable
    idle = _finding(asset, "session_idle_timeout_set")
    assert idle.status == CheckStatus.FAIL and 171 in [e.line for e in idle.evidence]   # con 0 idle-timeout 0 0
    dflt = _finding(asset, "default_account_renamed")
    assert dflt.status == CheckStatus.FAIL and "admin" in dflt.reason_zh
    assert all("Admin@123" not in e.text for e in dflt.evidence)     # the plaintext password is masked
    assert {"6.4.1.2", "6.4.2.1", "6.5.1.1"} <= {h.id for h in asset.high_risks}


def test_weak_comware_password_control_values_are_inert_while_disabled(ctx):
    asset = assess_config_file(CONFIGS / "hp_comware/weak_s5120_v5.cfg", ctx)
    assert _finding(asset, "password_complexity_enforced").status == CheckStatus.FAIL
    assert _finding(asset, "login_lockout_enabled").status == CheckStatus.FAIL


def test_fixes_are_vendor_specific(ctx):
    hw = assess_config_file(CONFIGS / "huawei_vrp/weak_s5700_v200r005.cfg", ctx)
    cs = assess_config_file(CONFIGS / "cisco_ios/weak_c2960_15.0.cfg", ctx)
    assert "undo telnet server enable" in _finding(hw, "remote_mgmt_telnet_disabled").remediation
    assert "transport input ssh" in _finding(cs, "remote_mgmt_telnet_disabled").remediation
