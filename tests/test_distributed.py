"""Zone collectors on Celery with real pieces (issue 13 must-haves 1 and 3): a RabbitMQ broker with a password on
127.0.0.1, two zones as network namespaces, each with its simulated devices reachable only from inside it and its
own `mlps worker`, and `mlps scan --broker` run from this machine, which cannot reach any device itself."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import yaml

from zonelab import (ROOT, start_devices, start_rabbitmq, start_worker, start_zone, stop, stop_broker, stop_zone,
                     wait_for)

pytestmark = pytest.mark.live
BROKER_PORT, EPMD_PORT, DIST_PORT, PROXY_PORT = 29001, 29002, 29003, 29004
# zone -> device -> (lab capture, port inside the zone, faults); ports are the zone's own (its loopback)
DEVICES = {
    "zone-a": {"a-core": ("core-sw1", 29101, {}), "a-acc": ("acc-sw-h3c7", 29102, {"weak_ssh": True})},
    "zone-b": {"b-dist": ("dist-sw-c9300", 29201, {}), "b-srv": ("app-srv1", 29202, {})},
}
SLOW = {"s-1": ("core-sw1", 29301, {"delay_s": 0.3}), "s-2": ("agg-sw1", 29302, {"delay_s": 0.3}),
        "s-3": ("border-rtr1", 29303, {"delay_s": 0.3, "weak_ssh": True}),
        "s-4": ("dist-sw-c9300", 29304, {"delay_s": 0.3})}


@pytest.fixture(scope="module")
def zones():
    if os.geteuid() != 0:
        pytest.fail("the zone namespaces need root (unshare, nsenter)")
    if not shutil.which("rabbitmq-server") and not Path("/usr/lib/rabbitmq/bin/rabbitmq-server").exists():
        pytest.fail("rabbitmq-server is not installed (make deps)")
    work = Path(tempfile.mkdtemp(prefix="mlps-zones-"))
    pw = {z: "Zn-" + secrets.token_urlsafe(12) for z in (*DEVICES, "zone-slow")}
    broker, started = None, {}
    try:
        broker = start_rabbitmq(work / "broker", BROKER_PORT, EPMD_PORT, DIST_PORT, "Bk-" + secrets.token_urlsafe(12))
        for z, devs in [*DEVICES.items(), ("zone-slow", SLOW)]:
            started[z] = start_zone(z, work / z, BROKER_PORT)
            start_devices(started[z], devs, pw[z])
        for z in DEVICES:
            start_worker(started[z], "worker", broker, {_env(z): pw[z]})
        yield {"broker": broker, "zones": started, "passwords": pw, "work": work}
    finally:
        for z in started.values():
            stop_zone(z)
        if broker is not None:
            stop_broker(broker)
        subprocess.run(["rm", "-rf", str(work)])


def _env(zone: str) -> str:
    return "PW_" + zone.upper().replace("-", "_")


def _inventory(path: Path, devices: dict[str, dict], extra_zones: dict | None = None) -> Path:
    assets, creds = [], {}
    for zone, devs in devices.items():
        creds[zone] = {"ssh": {"username": "netops", "password": {"env": _env(zone)}}}
        for name, (data, port, faults) in devs.items():
            assets.append({"name": name, "address": "127.0.0.1", "port": port, "zone": zone, "credentials": zone,
                           "ssh_legacy": bool(faults.get("weak_ssh")),
                           "platform": yaml.safe_load((ROOT / "scanner/lab/data/raw" / data / "device.yaml")
                                                      .read_text())["platform"]})
    for zone, names in (extra_zones or {}).items():
        creds[zone] = {"ssh": {"username": "netops", "password": {"env": _env(zone)}}}
        assets += [{"name": n, "address": "127.0.0.1", "port": 29999, "zone": zone, "credentials": zone,
                    "platform": "huawei_vrp"} for n in names]
    path.write_text(yaml.safe_dump({"zones": {z: {"exposure": "internal"} for z in creds}, "credentials": creds,
                                    "assets": assets}))
    return path


def _scan(inv: Path, out: Path, broker, *extra: str, env_extra: dict | None = None, prefix=(), quiet=True) -> dict:
    """`mlps scan --broker` as an operator runs it; the centre's environment holds no device secret at all."""
    env = {"PATH": os.environ["PATH"], "HOME": str(out.parent), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
           "MLPS_BROKER_PASSWORD": broker.password, **(env_extra or {})}
    args = [*prefix, sys.executable, "-m", "scanner.cli", "scan", str(inv), "--out", str(out), "--known-hosts",
            str(out.parent / f"{out.name}-known_hosts"), "--trust-new-hosts", "--format", "json",
            *(["--quiet"] if quiet else []), *extra]
    r = subprocess.run(args, capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    assert (out / "scan.json").exists(), r.stdout[-3000:] + r.stderr[-3000:]
    scan = json.loads((out / "scan.json").read_text())
    scan["_stderr"] = r.stderr
    return scan


def _verdicts(scan: dict) -> dict:
    return {a["name"]: (a["status"], a.get("reason_code"), sorted((f["check"], f["status"]) for f in a["findings"]),
                        sorted((c["id"], c["result"]) for c in a["controls"])) for a in scan["assets"]}


def test_parity_with_the_single_process_scan_inside_each_zone(zones, tmp_path):
    b = zones["broker"]
    dist = _scan(_inventory(tmp_path / "inv.yaml", DEVICES), tmp_path / "dist", b, "--broker", b.url)
    assert {a["name"]: a["status"] for a in dist["assets"]} == {n: "assessed" for d in DEVICES.values() for n in d}
    single = {}
    for z, devs in DEVICES.items():     # the scan as it runs today, on one machine inside the zone
        zone = zones["zones"][z]
        s = _scan(_inventory(tmp_path / f"inv-{z}.yaml", {z: devs}), tmp_path / f"single-{z}", b,
                  env_extra={_env(z): zones["passwords"][z]}, prefix=zone.inside())
        single.update(_verdicts(s))
    assert _verdicts(dist) == single


def test_each_capture_names_its_zones_collector_and_holds_no_secret(zones, tmp_path):
    b = zones["broker"]
    raw = tmp_path / "raw"
    scan = _scan(_inventory(tmp_path / "inv.yaml", DEVICES), tmp_path / "out", b, "--broker", b.url,
                 "--save-raw", str(raw))
    for a in scan["assets"]:
        zone = next(z for z, d in DEVICES.items() if a["name"] in d)
        assert a["capture"]["collector"].startswith(f"{zone}/"), a["capture"]
        assert a["capture"]["integrity"] == "verified"
    for a in scan["assets"]:                  # --save-raw keeps the collector's name in the manifest
        manifest = json.loads((raw / a["name"] / "manifest.json").read_text())
        assert manifest["collector"]["id"] == a["capture"]["collector"]
    saved = "".join(p.read_text(errors="replace") for p in raw.rglob("*") if p.is_file())
    saved += (tmp_path / "out" / "scan.json").read_text()
    for pw in zones["passwords"].values():
        assert pw not in saved


def test_zone_a_collector_never_sees_zone_b(zones, tmp_path):
    """What reaches zone A's queue, read off the wire (a spy queue bound like the collector's): tasks for zone A's
    assets only, holding no secret of any zone; each collector's environment holds its own zone's secret only
    (tests/zonelab.start_worker builds it), the centre's none, and every device was collected."""
    from kombu import Connection, Exchange, Queue
    b = zones["broker"]
    q = "mlps.zone.zone-a"
    with Connection(b.url.replace("mlps@", f"mlps:{b.password}@")) as conn:
        spy = Queue("spy-zone-a", Exchange(q, type="direct"), routing_key=q, exclusive=True)(conn.default_channel)
        spy.declare()
        scan = _scan(_inventory(tmp_path / "inv.yaml", DEVICES), tmp_path / "out", b, "--broker", b.url)
        bodies = []
        while (m := spy.get(no_ack=True)) is not None:
            bodies.append(m.body if isinstance(m.body, str) else m.body.decode())
    assert all(a["status"] == "assessed" for a in scan["assets"])
    assert len(bodies) == 2 and all(zones["passwords"][z] not in body for body in bodies for z in DEVICES)
    assert sorted(json.loads(body)[0][0]["asset"]["name"] for body in bodies) == ["a-acc", "a-core"]
    assert all('"env": "PW_ZONE_A"' in body for body in bodies)
    log_a = zones["zones"]["zone-a"].log("worker")
    assert "a-core: collected" in log_a and "b-dist" not in log_a and "b-srv" not in log_a


def test_a_zone_without_collector_is_no_collector_for_its_devices_only(zones, tmp_path):
    b = zones["broker"]
    inv = _inventory(tmp_path / "inv.yaml", {"zone-a": DEVICES["zone-a"]}, extra_zones={"zone-c": ["c-1", "c-2"]})
    scan = _scan(inv, tmp_path / "out", b, "--broker", b.url, "--collector-deadline", "3")
    got = {a["name"]: (a["status"], a.get("reason_code")) for a in scan["assets"]}
    assert got == {"a-core": ("assessed", None), "a-acc": ("assessed", None),
                   "c-1": ("error", "no_collector"), "c-2": ("error", "no_collector")}


def test_a_broker_that_refuses_the_password_makes_every_device_no_collector(zones, tmp_path):
    b = zones["broker"]
    wrong = type(b)(b.port, b.user, "not-" + b.password)
    scan = _scan(_inventory(tmp_path / "inv.yaml", DEVICES), tmp_path / "out", wrong, "--broker", b.url)
    assert {a["reason_code"] for a in scan["assets"]} == {"no_collector"}
    assert "cannot be used" in scan["assets"][0]["reason"]
    assert wrong.password not in json.dumps(scan) + scan["_stderr"]


def test_scan_shows_progress_per_zone(zones, tmp_path):
    b = zones["broker"]
    inv = _inventory(tmp_path / "inv.yaml", DEVICES, extra_zones={"zone-c": ["c-1"]})
    scan = _scan(inv, tmp_path / "out", b, "--broker", b.url, "--collector-deadline", "2", quiet=False)
    for line in ("zone zone-a: 2/2", "zone zone-b: 2/2", "zone zone-c: 1/1", "task(s) sent to mlps.zone.zone-a"):
        assert line in scan["_stderr"], scan["_stderr"]


def test_kill_9_of_a_collector_mid_scan_loses_no_device(zones, tmp_path):
    """Two collectors in the slow zone, one thread each; the first is killed (SIGKILL) while it collects a device:
    the broker gives its unacknowledged task to the other, and every device is assessed exactly once."""
    b, z = zones["broker"], zones["zones"]["zone-slow"]
    secret = {_env("zone-slow"): zones["passwords"]["zone-slow"]}
    w1 = start_worker(z, "w1", b, secret, threads=1)
    inv = _inventory(tmp_path / "inv.yaml", {"zone-slow": SLOW})
    box = {}
    t = threading.Thread(target=lambda: box.update(scan=_scan(inv, tmp_path / "out", b, "--broker", b.url,
                                                              "--collector-deadline", "30")))
    t.start()
    try:
        wait_for(lambda: z.log("w1").count(": collecting |") >= 2, 120, "w1 never began a second device")
        w2 = start_worker(z, "w2", b, secret, threads=1)
        victim = z.log("w1").split(": collecting |")[-2].rsplit("\n", 1)[-1].strip()
        stop(w1, 9)
        t.join(240)
    finally:
        t.join(240)
    scan = box["scan"]
    names = [a["name"] for a in scan["assets"]]
    assert sorted(names) == sorted(SLOW)                         # each once
    assert all(a["status"] == "assessed" for a in scan["assets"]), [(a["name"], a.get("reason"))
                                                                    for a in scan["assets"]]
    assert f"{victim}: collected" not in z.log("w1")
    assert f"{victim}: collected" in z.log("w2")
    stop(w2)


def test_a_centre_that_loses_the_broker_reports_what_it_did_not_get(zones, tmp_path):
    """The centre reaches the broker through a proxy that is stopped mid-scan: the scan ends by the deadline with
    every device either assessed or no_collector naming the lost broker, and no traceback."""
    b, z = zones["broker"], zones["zones"]["zone-slow"]
    w = start_worker(z, "w-lost", b, {_env("zone-slow"): zones["passwords"]["zone-slow"]}, threads=1)
    proxy = subprocess.Popen(["socat", f"TCP-LISTEN:{PROXY_PORT},bind=127.0.0.1,reuseaddr,fork",
                              f"TCP:127.0.0.1:{BROKER_PORT}"], start_new_session=True)
    box = {}
    via = type(b)(PROXY_PORT, b.user, b.password)
    t = threading.Thread(target=lambda: box.update(scan=_scan(_inventory(tmp_path / "inv.yaml", {"zone-slow": SLOW}),
                                                              tmp_path / "out", via, "--broker", via.url,
                                                              "--collector-deadline", "3")))
    t.start()
    try:
        wait_for(lambda: ": collecting |" in z.log("w-lost"), 60, "the collector never began")
        stop(proxy)
        t.join(240)
    finally:
        stop(proxy)
        t.join(240)
        stop(w)
    scan = box["scan"]
    assert sorted(a["name"] for a in scan["assets"]) == sorted(SLOW)
    lost = [a for a in scan["assets"] if a["status"] != "assessed"]
    assert lost and all(a["reason_code"] == "no_collector" and "lost the broker" in a["reason"] for a in lost)
    assert "Traceback" not in scan["_stderr"]


def test_two_concurrent_scans_do_not_mix(zones, tmp_path):
    """Two scans at once name the same asset for different devices; each gets its own device's result."""
    b = zones["broker"]
    one = {"zone-a": {"dev": DEVICES["zone-a"]["a-core"]}}
    two = {"zone-a": {"dev": DEVICES["zone-a"]["a-acc"]}}
    box = {}
    ts = [threading.Thread(target=lambda k=k, d=d: box.update({k: _scan(_inventory(tmp_path / f"{k}.yaml", d),
                                                                     tmp_path / k, b, "--broker", b.url)}))
          for k, d in (("one", one), ("two", two))]
    for t in ts:
        t.start()
    for t in ts:
        t.join(240)
    assert [a["platform"] for a in box["one"]["assets"]] == ["huawei_vrp"]
    assert [a["platform"] for a in box["two"]["assets"]] == ["hp_comware"]


def test_the_centre_cannot_reach_the_devices_itself(zones):
    """The premise: the devices answer inside their zone only."""
    za = zones["zones"]["zone-a"]
    assert za.reaches(29101)
    assert not zones["zones"]["zone-b"].reaches(29101)
    import socket
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 29101), timeout=1).close()
