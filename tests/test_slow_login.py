"""A device (or its AAA server) that answers the login late is a timeout, retried, never "authentication failed":
under load in the 10 000-device fleet benchmark, paramiko's "Authentication timeout." was reported as auth_failed,
which tells an engineer the password is wrong. Played by the simulator over real SSH."""
from __future__ import annotations

import pytest
import yaml

from scanner import lab
from scanner.engine import ScanContext
from scanner.inventory import load_inventory
from scanner.lab.simulator import DEFAULT_PASSWORD
from scanner.live import LiveOptions, scan_inventory
from scanner.model import AssetStatus
from tests.conftest import ROOT

RAW = ROOT / "scanner" / "lab" / "data" / "raw" / "core-sw1"
PORTS = {"slow-login": 31420, "refused": 31421}      # below the ephemeral range


@pytest.fixture(scope="module")
def slow_lab(tmp_path_factory):
    d = tmp_path_factory.mktemp("slowlogin")
    faults = {"slow-login": {"auth_delay_s": 3}, "refused": {"auth": "refuse"}}
    (d / "lab.yaml").write_text(yaml.safe_dump({"devices": [
        {"name": n, "port": p, "data": str(RAW), "faults": faults[n]} for n, p in PORTS.items()]}))
    (d / "inv.yaml").write_text(yaml.safe_dump({
        "credentials": {"c": {"ssh": {"username": "netops", "password": {"env": "MLPS_SLOW_LOGIN_PW"}}}},
        "assets": [{"name": n, "platform": "huawei_vrp", "address": "127.0.0.1", "port": p, "credentials": "c"}
                   for n, p in PORTS.items()]}))
    mp = pytest.MonkeyPatch()
    mp.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    mp.setenv("MLPS_SLOW_LOGIN_PW", DEFAULT_PASSWORD)
    lab.up(d / "lab.yaml", d / "state")
    yield d
    lab.down(d / "state")
    mp.undo()


def _scan(d, timeout: float) -> dict:
    res = scan_inventory(load_inventory(d / "inv.yaml"), ScanContext.default(),
                         LiveOptions(known_hosts=d / f"kh-{timeout}", trust_new_hosts=True, connect_timeout=timeout,
                                     retries=0))
    return {a.name: a for a in res.assets}


@pytest.mark.live
def test_a_login_answered_too_late_is_a_timeout_and_a_refused_one_auth_failed(slow_lab):
    got = _scan(slow_lab, 1)
    slow = got["slow-login"]
    assert slow.status == AssetStatus.ERROR and slow.reason_code == "timeout", slow.reason
    assert "no answer to the login" in slow.reason and "authentication failed" not in slow.reason
    assert got["refused"].reason_code == "auth_failed"


@pytest.mark.live
def test_the_same_slow_login_within_the_timeout_is_assessed(slow_lab):
    got = _scan(slow_lab, 8)
    assert got["slow-login"].status == AssetStatus.ASSESSED, got["slow-login"].reason
    assert got["refused"].reason_code == "auth_failed"
