"""Jump hosts with real pieces (issue 13 must-have 2): a zone (network namespace) whose devices answer on its own
loopback only, and a real OpenSSH sshd inside it as the bastion, reachable from this machine. The scanner reaches
the devices only through the bastion, verifying the bastion's host key and logging in with its own credential."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from zonelab import ROOT, start_bastion, start_devices, start_zone, stop_zone

pytestmark = pytest.mark.live
BASTION_PORT = 29410
DEVICES = {"core": ("core-sw1", 29401, {}), "srv": ("app-srv1", 29402, {})}


@pytest.fixture(scope="module")
def mgmt():
    if os.geteuid() != 0:
        pytest.fail("the zone namespace needs root (unshare, nsenter)")
    work = Path(tempfile.mkdtemp(prefix="mlps-jump-"))
    z = None
    try:
        z = start_zone("mgmt", work / "mgmt")
        pw = "Jp-" + secrets.token_urlsafe(12)
        start_devices(z, DEVICES, pw)
        key, host_pub = start_bastion(z, BASTION_PORT)
        yield {"zone": z, "password": pw, "key": key, "host_pub": host_pub}
    finally:
        if z is not None:
            stop_zone(z)
        subprocess.run(["rm", "-rf", str(work)])


def _inventory(path: Path, m: dict, jump: list | None, zone_jump: list | None = None, key: Path | None = None) -> Path:
    creds = {"dev": {"ssh": {"username": "netops", "password": {"env": "JUMP_DEV_PW"}}},
             "bastion": {"ssh": {"username": "root", "key_file": str(key or m["key"])}}}
    assets = [{"name": n, "address": "127.0.0.1", "port": port, "zone": "mgmt", "credentials": "dev",
               "platform": _platform(data), **({"jump": jump} if jump is not None else {})}
              for n, (data, port, _) in DEVICES.items()]
    zone = {"exposure": "management", **({"jump": zone_jump} if zone_jump is not None else {})}
    path.write_text(yaml.safe_dump({"zones": {"mgmt": zone}, "credentials": creds, "assets": assets}))
    return path


def _platform(capture: str) -> str:
    return yaml.safe_load((ROOT / "scanner/lab/data/raw" / capture / "device.yaml").read_text())["platform"]


def _scan(inv: Path, out: Path, m: dict, *extra: str, prefix=()) -> dict:
    env = {"PATH": os.environ["PATH"], "HOME": str(out.parent), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
           "JUMP_DEV_PW": m["password"]}
    r = subprocess.run([*prefix, sys.executable, "-m", "scanner.cli", "scan", str(inv), "--out", str(out),
                        "--format", "json", "--quiet", "--timeout", "5", "--retries", "0", *extra],
                       capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    assert (out / "scan.json").exists(), r.stdout[-3000:] + r.stderr[-3000:]
    return {a["name"]: a for a in json.loads((out / "scan.json").read_text())["assets"]}


def _verdicts(assets: dict) -> dict:
    return {n: (a["status"], sorted((f["check"], f["status"]) for f in a["findings"]),
                sorted((c["id"], c["result"]) for c in a["controls"])) for n, a in assets.items()}


BASTION = [{"address": "127.0.0.1", "port": BASTION_PORT, "credentials": "bastion"}]


def test_devices_behind_the_bastion_are_reached_through_it_only(mgmt, tmp_path):
    kh = tmp_path / "known_hosts"
    direct = _scan(_inventory(tmp_path / "direct.yaml", mgmt, None), tmp_path / "direct", mgmt,
                   "--known-hosts", str(kh), "--trust-new-hosts")
    assert {n: a.get("reason_code") for n, a in direct.items()} == {"core": "unreachable", "srv": "unreachable"}
    via = _scan(_inventory(tmp_path / "via.yaml", mgmt, None, zone_jump=BASTION), tmp_path / "via", mgmt,
                "--known-hosts", str(kh), "--trust-new-hosts")
    inside = _scan(_inventory(tmp_path / "inside.yaml", mgmt, None), tmp_path / "inside", mgmt, "--known-hosts",
                   str(tmp_path / "kh-inside"), "--trust-new-hosts", prefix=mgmt["zone"].inside())
    assert all(a["status"] == "assessed" for a in via.values()), {n: a.get("reason") for n, a in via.items()}
    assert _verdicts(via) == _verdicts(inside)
    recorded = {line.split()[0]: line.split()[2] for line in kh.read_text().splitlines()}
    assert recorded[f"[127.0.0.1]:{BASTION_PORT}"] == mgmt["host_pub"].read_text().split()[1]


def test_a_chain_of_two_jump_hosts(mgmt, tmp_path):
    """Through the bastion, then through the sshd it reaches inside the zone (port 22 of the zone's loopback)."""
    chain = [*BASTION, {"address": "127.0.0.1", "port": 22, "credentials": "bastion"}]
    got = _scan(_inventory(tmp_path / "inv.yaml", mgmt, chain), tmp_path / "out", mgmt,
                "--known-hosts", str(tmp_path / "kh"), "--trust-new-hosts")
    assert all(a["status"] == "assessed" for a in got.values()), {n: a.get("reason") for n, a in got.items()}
    recorded = {line.split()[0]: line.split()[2] for line in (tmp_path / "kh").read_text().splitlines()}
    assert recorded["127.0.0.1"] == mgmt["host_pub"].read_text().split()[1]      # hop 2, port 22


def test_the_bastions_host_key_is_verified(mgmt, tmp_path):
    unknown = _scan(_inventory(tmp_path / "inv.yaml", mgmt, BASTION), tmp_path / "unknown", mgmt,
                    "--known-hosts", str(tmp_path / "empty"))
    assert {a["reason_code"] for a in unknown.values()} == {"host_key_unknown"}
    assert all("jump host 1 (127.0.0.1:29410)" in a["reason"] for a in unknown.values())
    forged = tmp_path / "forged"
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    forged.write_text(f"[127.0.0.1]:{BASTION_PORT} {' '.join(Path(f'{other}.pub').read_text().split()[:2])}\n")
    changed = _scan(_inventory(tmp_path / "inv.yaml", mgmt, BASTION), tmp_path / "changed", mgmt,
                    "--known-hosts", str(forged), "--trust-new-hosts")
    assert {a["reason_code"] for a in changed.values()} == {"host_key_changed"}


def test_the_bastion_needs_its_own_credential(mgmt, tmp_path):
    wrong = tmp_path / "wrong_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(wrong)], check=True)
    got = _scan(_inventory(tmp_path / "inv.yaml", mgmt, BASTION, key=wrong), tmp_path / "out", mgmt,
                "--known-hosts", str(tmp_path / "kh"), "--trust-new-hosts")
    assert {a["reason_code"] for a in got.values()} == {"auth_failed"}
    assert all("jump host 1" in a["reason"] and "root" in a["reason"] for a in got.values())


def test_a_bastion_that_cannot_reach_the_device_is_unreachable_naming_it(mgmt, tmp_path):
    inv = _inventory(tmp_path / "inv.yaml", mgmt, BASTION)
    data = yaml.safe_load(inv.read_text())
    data["assets"][0]["port"] = 29499             # nothing listens there inside the zone
    inv.write_text(yaml.safe_dump(data))
    got = _scan(inv, tmp_path / "out", mgmt, "--known-hosts", str(tmp_path / "kh"), "--trust-new-hosts")
    assert got["core"]["reason_code"] == "unreachable" and "jump host 1" in got["core"]["reason"]
    assert got["srv"]["status"] == "assessed"
