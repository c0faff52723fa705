"""Compensating factors and waivers: downgrade, expiry, scope matching, the gate."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from scanner.engine import ScanContext, scan_configs
from scanner.waivers import WaiverError, load_waivers

from conftest import CONFIGS, run_mlps

WEAK = CONFIGS / "huawei_vrp" / "weak_s5700_v200r005.cfg"
FUTURE = (date.today() + timedelta(days=90)).isoformat()
PAST = (date.today() - timedelta(days=1)).isoformat()


def _write(tmp_path, text):
    p = tmp_path / "waivers.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _scan(waivers):
    ctx = ScanContext.default()
    ctx.waivers = waivers
    return scan_configs([WEAK], ctx)


def test_compensation_downgrades_only_the_matching_case(tmp_path):
    base = _scan([])
    w = load_waivers(_write(tmp_path, f"""waivers:
  - scope: {{asset: weak_s5700_v200r005}}
    high_risk: "6.4.1.3"
    reason: 仅经堡垒机（双因素）带外管理
    approver: 张三
    expires: {FUTURE}
"""))
    res = _scan(w)
    mfa = [h for h in res.assets[0].high_risks if h.id == "6.4.1.3"]
    assert mfa and all(h.compensated and h.waiver.approver == "张三" for h in mfa)
    assert all(not h.compensated for h in res.assets[0].high_risks if h.id != "6.4.1.3")
    assert res.score.unresolved_high_risks == base.score.unresolved_high_risks - 1
    assert res.waivers[0].status == "active" and res.waivers[0].matched == len(mfa)


def test_expired_waiver_counts_as_absent_and_fails_the_gate(tmp_path):
    wf = _write(tmp_path, f"""waivers:
  - scope: {{check: admin_mfa_enabled}}
    reason: 旧的补偿措施
    approver: 李四
    expires: {PAST}
""")
    res = _scan(load_waivers(wf))
    h = next(h for h in res.assets[0].high_risks if h.id == "6.4.1.3")
    assert not h.compensated and h.waiver.expired and res.waivers[0].status == "expired"
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(WEAK), "--waivers", str(wf), "--out", str(out))
    assert r.returncode == 0 and "EXPIRED WAIVER" in r.stdout
    assert "豁免已过期" in (out / "report.html").read_text()
    g = run_mlps("gate", str(out / "scan.json"), "--fail-on-expired-waivers")
    assert g.returncode == 1 and "expired waiver" in g.stderr
    assert json.loads((out / "scan.json").read_text())["waivers"][0]["status"] == "expired"


@pytest.mark.parametrize("text,line,field", [
    ("waivers:\n  - scope: {}\n    reason: x y\n    approver: a\n    expires: 2030-01-01\n", 2, "waivers.0.scope"),
    ("waivers:\n  - scope: {asset: a}\n    reason: x y\n    approver: a\n    expires: someday\n", 5,
     "waivers.0.expires"),
    ("waivers:\n  - scope: {asset: a}\n    reason: x y\n    approver: a\n    expires: 2030-01-01\n    kind: maybe\n",
     6, "waivers.0.kind"),
])
def test_bad_waiver_files_name_line_and_field(tmp_path, text, line, field):
    with pytest.raises(WaiverError) as ei:
        load_waivers(_write(tmp_path, text))
    assert ei.value.line == line and ei.value.field == field
    r = run_mlps("scan", "--configs", str(WEAK), "--waivers", str(tmp_path / "waivers.yaml"), "--out",
                 str(tmp_path / "o"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
