"""Live scanning against the project's device simulator (real SSH on 127.0.0.1): verdicts, live = offline,
faults, host keys, the allowlist, and the CLI."""
from __future__ import annotations

import json
import shutil

import paramiko
import pytest
import yaml

from scanner import lab
from scanner.lab import SNMP_DEFAULTS
from scanner.engine import assess_config_file
from scanner.inventory import load_inventory
from scanner.lab.simulator import DEFAULT_PASSWORD
from scanner.live import LiveOptions, scan_inventory, scan_raw
from scanner.model import AssetStatus
from scanner.platforms.cisco_ios import SESSION as CISCO
from scanner.runner import AssetEvent, Processor
from scanner.transport.replay import read_capture, write_capture
from scanner.transport.ssh import CommandRefused, KnownHosts, collect_network

from conftest import CONFIGS, ROOT, run_mlps

LAB_RAW = ROOT / "scanner" / "lab" / "data" / "raw"
BASE_PORT = 25100   # below the ephemeral range (32768+): a client socket never holds it
SNMP_PORT = 25161
# lab device -> the fixture config it serves
SERVED = {"core-sw1": "huawei_vrp/hardened_s5735_v200r019.cfg", "acc-sw-hw3": "huawei_vrp/weak_s5700_v200r005.cfg",
          "agg-sw1": "hp_comware/hardened_s5130_v7.cfg", "acc-sw-h3c7": "hp_comware/weak_s5120_v5.cfg",
          "border-rtr1": "cisco_ios/weak_isr4331_16.9.cfg", "lab-sw-c2960": "cisco_ios/weak_c2960_15.0.cfg"}
PLAIN_SECRET = "Pl41n-Secret#77"
FAULTS = {"f-auth": {"auth": "refuse"}, "f-hang": {"hang_on": "display current-configuration"},
          "f-drop": {"drop_on": "display current-configuration"}, "f-slow": {"delay_s": 0.3},
          "f-gbk": {"encoding": "gbk"}, "f-garbage": {"garbage_on": "display current-configuration"}}


@pytest.fixture(scope="module")
def testlab(tmp_path_factory, monkeypatch_module):
    d = tmp_path_factory.mktemp("lab")
    raw = d / "raw"
    for name in [*SERVED, "app-srv1"]:
        shutil.copytree(LAB_RAW / name, raw / name)
    # A device that serves real plain-text secrets, to prove --save-raw redacts them.
    cap = read_capture(LAB_RAW / "acc-sw-hw3")
    cap.name = "plain-hw"
    cap.outputs["config"] = cap.outputs["config"].replace(
        "#\nreturn", f"#\naaa\n local-user plainuser password simple {PLAIN_SECRET}\n#\n"
        f"snmp-agent community read {PLAIN_SECRET}x\n#\nreturn")
    write_capture(raw, cap)
    for fault in FAULTS:
        shutil.copytree(LAB_RAW / "core-sw1", raw / fault)
    names = [*SERVED, "app-srv1", "plain-hw", *FAULTS]
    # the weak fixtures are older releases: their SSH servers still offer SHA-1 kex, ssh-rsa and CBC
    devices = [{"name": n, "port": BASE_PORT + i, "data": f"raw/{n}",
                "faults": FAULTS.get(n, {"weak_ssh": True} if "/weak_" in SERVED.get(n, "") else {})}
               for i, n in enumerate(names)]
    spec = d / "lab.yaml"
    spec.write_text(yaml.safe_dump({"username": "netops", "password_env": "MLPS_LAB_PASSWORD",
                                    "snmp": {"port": SNMP_PORT}, "devices": devices}))
    plat = {n: read_capture(raw / n).platform for n in names}
    ssh = {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}
    snmp = {"version": "v3", "username": "labnms", "auth_key": {"env": "MLPS_LAB_SNMP_AUTH"},
            "priv_key": {"env": "MLPS_LAB_SNMP_PRIV"}, "port": SNMP_PORT}
    bad_snmp = {**snmp, "auth_key": {"env": "MLPS_TEST_WRONG_KEY"}}
    inv = {"credentials": {"lab": {"ssh": ssh, "snmp": snmp}, "badsnmp": {"ssh": ssh, "snmp": bad_snmp},
                           "sshonly": {"ssh": ssh}},
           "defaults": {"credentials": "lab", "address": "127.0.0.1"},
           "assets": [{"name": n, "platform": plat[n], "port": BASE_PORT + i, "snmp_context": n,
                       **({"credentials": "sshonly"} if plat[n] == "linux" else {}),
                       **({"credentials": "badsnmp"} if n == "f-slow" else {})} for i, n in enumerate(names)]}
    (d / "inv.yaml").write_text(yaml.safe_dump(inv, allow_unicode=True))
    monkeypatch_module.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    monkeypatch_module.setenv("MLPS_LAB_SNMP_AUTH", SNMP_DEFAULTS["auth_default"])
    monkeypatch_module.setenv("MLPS_LAB_SNMP_PRIV", SNMP_DEFAULTS["priv_default"])
    monkeypatch_module.setenv("MLPS_TEST_WRONG_KEY", "Wrong-Key#2024")
    state = d / "state"
    lab.up(spec, state)
    try:
        yield {"dir": d, "inv": d / "inv.yaml", "names": names}
    finally:
        lab.down(state)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def live_result(testlab, tmp_path_factory, ctx_module):
    d = tmp_path_factory.mktemp("live")
    inv = load_inventory(testlab["inv"])
    opts = LiveOptions(known_hosts=d / "kh", trust_new_hosts=True, save_raw=d / "raw", command_timeout=3,
                       connect_timeout=3, retries=0)
    return scan_inventory(inv, ctx_module, opts), d


@pytest.fixture(scope="module")
def ctx_module():
    from scanner.engine import ScanContext
    return ScanContext.default()


def _asset(result, name):
    return next(a for a in result.assets if a.name == name)


def test_live_verdicts_equal_saved_config_verdicts(live_result, ctx_module):
    result, _ = live_result
    for name, fixture in SERVED.items():
        live = _asset(result, name)
        saved = assess_config_file(CONFIGS / fixture, ctx_module)
        assert live.status == AssetStatus.ASSESSED, (name, live.reason)
        live_items = {c.id: c.result for c in live.controls}
        saved_items = {c.id: c.result for c in saved.controls}
        # Idle ports (8.1.3.1.b) need the live interface state from SNMP; a saved config leaves them to review.
        assert saved_items.pop("8.1.3.1.b").value == "manual" and live_items.pop("8.1.3.1.b").value != "manual"
        # Status commands and `display version` settle what a saved config leaves open: every item whose checks
        # the config fully decided stays the same.
        open_items = {c for f in saved.findings if f.status.value == "manual" for c in f.controls}
        decided = {k: v for k, v in saved_items.items() if v.value != "manual" and k not in open_items}
        assert {k: live_items[k] for k in decided} == decided, name
        assert sum(v.value == "manual" for v in live_items.values()) <= sum(v.value == "manual" for v in saved_items.values())
        assert sorted(h.id for h in live.high_risks) == sorted(h.id for h in saved.high_risks)
        assert live.software_version and live.model          # from `display version` / `show version`


def test_status_commands_settle_release_defaults(live_result, ctx_module):
    a = _asset(live_result[0], "core-sw1")          # S5735: the config does not say whether SSHv1 is accepted
    f = next(f for f in a.findings if f.check == "remote_mgmt_ssh_v2_only")
    assert f.status.value == "pass" and any(e.source == "ssh_status" for e in f.evidence)
    saved = assess_config_file(CONFIGS / SERVED["core-sw1"], ctx_module)
    assert next(f for f in saved.findings if f.check == "remote_mgmt_ssh_v2_only").status.value == "manual"
    old = read_capture(live_result[1] / "raw" / "acc-sw-hw3")    # VRP5 rejects `display telnet server status`
    assert old.status["telnet_status"] == "rejected" and "telnet_status" not in old.outputs


def test_idle_ports_come_from_live_snmp(live_result):
    a = _asset(live_result[0], "acc-sw-hw3")
    f = next(f for f in a.findings if f.check == "idle_ports_shutdown")
    assert f.status.value == "fail"
    # ANSWERS.md: GE0/0/13-24, 27 and 28 are unconfigured and not shut down; so is the management port MEth0/0/1
    # (config line 55, which ANSWERS.md does not list): 15 ports, down in the lab's SNMP; the reason names 10 of them
    idle = {f"GigabitEthernet0/0/{n}" for n in [*range(13, 25), 27, 28]} | {"MEth0/0/1"}
    count, _, listed = f.reason_en.partition(" idle ports are not shut down: ")
    assert count == "15", f.reason_en
    assert len(listed.split(", ")) == 10 and set(listed.split(", ")) <= idle, f.reason_en
    assert a.serial and a.serial.startswith("SIM")                     # from entPhysicalSerialNum
    assert next(c for c in _asset(live_result[0], "agg-sw1").controls if c.id == "8.1.3.1.b").result.value == "compliant"


def test_failed_snmp_makes_its_items_error_not_pass(live_result):
    a = _asset(live_result[0], "f-slow")            # valid SSH, wrong SNMP key
    assert a.status == AssetStatus.ASSESSED
    assert next(c for c in a.controls if c.id == "8.1.3.1.b").result.value == "error"
    assert next(c for c in a.controls if c.id == "8.1.4.1.c").result.value != "error"


def test_linux_server_played_by_the_simulator(live_result, ctx_module):
    live = _asset(live_result[0], "app-srv1")
    saved = scan_raw(ROOT / "tests" / "fixtures" / "linux" / "hardened_rhel9", ctx_module).assets[0]
    assert live.kind == "server" and live.status == AssetStatus.ASSESSED, live.reason
    assert {c.id: c.result for c in live.controls} == {c.id: c.result for c in saved.controls}


def test_scanning_saved_raw_gives_identical_verdicts(live_result, ctx_module):
    result, d = live_result
    offline = scan_raw(d / "raw", ctx_module)

    def key(res):
        return {a.name: ([c.model_dump() for c in a.controls], [f.model_dump() for f in a.findings],
                         [h.model_dump() for h in a.high_risks], a.source, a.platform, a.software_version)
                for a in res.assets if a.status == AssetStatus.ASSESSED}
    assert key(result) and key(result) == key(offline)


def test_saved_raw_and_results_hold_no_secret(live_result):
    result, d = live_result
    saved = "".join(p.read_text(encoding="utf-8") for p in (d / "raw").rglob("*.txt"))
    assert PLAIN_SECRET not in saved and "MLPS-REDACTED" in saved
    assert PLAIN_SECRET not in result.model_dump_json()
    assert DEFAULT_PASSWORD not in saved + result.model_dump_json()
    plain = _asset(result, "plain-hw")
    assert any(f.check == "passwords_not_plaintext" and f.status.value == "fail" for f in plain.findings)


@pytest.mark.parametrize("name,code", [("f-auth", "auth_failed"), ("f-hang", "command_timeout"),
                                       ("f-drop", "connection_lost"), ("f-garbage", "truncated")])
def test_faulty_devices_are_not_assessed_with_a_reason(live_result, name, code):
    a = _asset(live_result[0], name)
    assert a.status == AssetStatus.ERROR and a.reason_code == code, a.reason
    assert all(c.result.value == "error" for c in a.controls)


@pytest.mark.parametrize("name", ["f-slow", "f-gbk"])
def test_slow_and_gbk_devices_are_assessed(live_result, name):
    assert _asset(live_result[0], name).status == AssetStatus.ASSESSED


def _healthy(inv):
    return inv.model_copy(update={"assets": [a for a in inv.assets if not a.name.startswith("f-")]})


def test_changed_host_key_stops_that_device_only(testlab, tmp_path, ctx_module):
    inv = _healthy(load_inventory(testlab["inv"]))
    kh = tmp_path / "known_hosts"
    scan_inventory(inv, ctx_module, LiveOptions(known_hosts=kh, trust_new_hosts=True, command_timeout=3, retries=0))
    hk = paramiko.HostKeys(str(kh))
    victim = KnownHosts.entry("127.0.0.1", BASE_PORT)          # core-sw1
    hk[victim] = {"ssh-rsa": paramiko.RSAKey.generate(1024)}
    hk.save(str(kh))
    res = scan_inventory(inv, ctx_module, LiveOptions(known_hosts=kh, trust_new_hosts=True, command_timeout=3,
                                                      retries=0))
    assert _asset(res, "core-sw1").reason_code == "host_key_changed"
    assert _asset(res, "agg-sw1").status == AssetStatus.ASSESSED


def test_unknown_host_refused_without_trust(testlab, tmp_path, ctx_module):
    inv = _healthy(load_inventory(testlab["inv"]))
    res = scan_inventory(inv, ctx_module, LiveOptions(known_hosts=tmp_path / "empty", command_timeout=3, retries=0))
    assert {a.reason_code for a in res.assets} == {"host_key_unknown"}


def test_unreachable_device(tmp_path, ctx_module, monkeypatch):
    monkeypatch.setenv("MLPS_LAB_PASSWORD", "x")
    inv_file = tmp_path / "inv.yaml"
    inv_file.write_text(yaml.safe_dump({
        "credentials": {"c": {"ssh": {"username": "u", "password": {"env": "MLPS_LAB_PASSWORD"}}}},
        "assets": [{"name": "gone", "platform": "cisco_ios", "address": "127.0.0.1", "port": 1, "credentials": "c"}]}))
    res = scan_inventory(load_inventory(inv_file), ctx_module, LiveOptions(known_hosts=tmp_path / "kh", retries=1))
    assert res.assets[0].reason_code == "unreachable"


def test_commands_off_the_allowlist_never_leave(tmp_path):
    known = KnownHosts(tmp_path / "kh", False)
    with pytest.raises(CommandRefused):
        # port 1 is closed: the refusal must come before any connection attempt
        collect_network("127.0.0.1", 1, "u", "p", None, CISCO, {"x": "configure terminal"}, known)
    with pytest.raises(CommandRefused):
        collect_network("127.0.0.1", 1, "u", "p", None, CISCO, {"x": "show running-config | redirect x"}, known)


def test_cli_live_scan_and_raw_rescan(testlab, tmp_path):
    out, raw = tmp_path / "out", tmp_path / "raw"
    r = run_mlps("scan", str(testlab["inv"]), "--out", str(out), "--save-raw", str(raw), "--known-hosts",
                 str(tmp_path / "kh"), "--trust-new-hosts", "--timeout", "3", "--command-timeout", "3", "--retries", "0")
    assert r.returncode == 0, r.stderr
    assert "auth_failed" in r.stdout and "Traceback" not in r.stdout + r.stderr
    r2 = run_mlps("scan", "--raw", str(raw), "--out", str(tmp_path / "out2"))
    assert r2.returncode == 0, r2.stderr
    live = json.loads((out / "scan.json").read_text())["assets"]
    rescan = json.loads((tmp_path / "out2" / "scan.json").read_text())["assets"]
    # every device whose outputs were collected comes back from the saved raw with the same status and verdicts:
    # all but the 3 that gave no configuration (f-auth, f-hang, f-drop); f-garbage's cut-off configuration was saved
    # and is judged truncated again
    assert len(live) == len(testlab["names"])
    saved = {x["name"]: (x["status"], x["reason_code"], x["controls"]) for x in live
             if x["name"] not in ("f-auth", "f-hang", "f-drop")}
    assert len(rescan) == len(saved) == len(testlab["names"]) - 3
    assert {x["name"]: (x["status"], x["reason_code"], x["controls"]) for x in rescan} == saved
    assert sum(x["status"] == "assessed" for x in rescan) == len(saved) - 1
    assert PLAIN_SECRET not in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.live
def test_demo_command_runs_the_lab(tmp_path):
    r = run_mlps("demo", "--out", str(tmp_path / "demo"), "--format", "json,html,xlsx,junit,sarif")
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "demo" / "scan.json").read_text())
    bad = [(a["name"], a["reason_code"], a["reason"]) for a in data["assets"] if a["status"] != "assessed"]
    assert len(data["assets"]) == 11 and not bad
    assert {a["name"] for a in data["assets"]} >= {"core-sw1", "core-sw2", "border-fw1", "app-srv1"}
    assert {a["kind"] for a in data["assets"]} == {"network_device", "server"}
    assert (tmp_path / "demo" / "raw" / "core-sw1" / "device.yaml").exists()
    for f in ("report.html", "report.xlsx", "junit.xml", "results.sarif"):
        assert (tmp_path / "demo" / f).stat().st_size > 1000
    # the lab declares its boundaries: each is judged, and what to add is named with its boundary
    fleet = {f["check"]: f for f in data["fleet"]}
    assert set(fleet) >= {"fleet_key_devices_redundant", "fleet_boundary_controlled_interface"}
    assert "fleet_security_devices_present" not in fleet
    assert "在边界互联网出口（互联网与DMZ之间）增加入侵防御系统（IPS）" in fleet["fleet_boundary_intrusion_prevention"]["recommendation"]
    assert "在边界互联网出口" in (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "demo" / "raw" / "topology.json").read_text())["boundaries"][0]["name"] == "互联网出口"
    # a rescan of the saved captures judges the same boundaries the same way
    r2 = run_mlps("scan", "--raw", str(tmp_path / "demo" / "raw"), "--out", str(tmp_path / "again"), "--format", "json")
    assert r2.returncode == 0, r2.stderr
    again = json.loads((tmp_path / "again" / "scan.json").read_text())
    assert again["topology"] == data["topology"]
    # (the rescan lists assets by folder name, the live scan in inventory order)
    assert [(f["check"], f["status"], sorted(f["assets"]), f["recommendation"]) for f in again["fleet"]] == \
        [(f["check"], f["status"], sorted(f["assets"]), f["recommendation"]) for f in data["fleet"]]


def test_lab_data_is_built_from_the_fixtures(tmp_path, monkeypatch):
    """scanner/lab/data/raw must be what build.py makes from tests/fixtures/configs (rebuild after editing them)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("labbuild", ROOT / "scanner" / "lab" / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from scanner.secrets import use_run_key
    use_run_key(mod.LAB_KEY)
    for name, fixture, *_ in mod.DEVICES:
        cap = read_capture(LAB_RAW / name)
        plat = __import__("scanner.platforms", fromlist=["get"]).get(cap.platform)
        from scanner.secrets import redact_lines
        expected = "\n".join(redact_lines((CONFIGS / fixture).read_text(encoding="utf-8").split("\n"),
                                          plat.mask.replace, plat.decode_secret))
        assert cap.outputs["config"] == expected, f"{name}: run python -m scanner.lab.build"


def test_discover_drafts_an_inventory_from_ssh_banners(testlab, tmp_path):
    out = tmp_path / "draft.yaml"
    ports = f"{BASE_PORT},{BASE_PORT + 2},{BASE_PORT + 4},{BASE_PORT + 6}"
    r = run_mlps("discover", "127.0.0.1", "--ports", ports, "-o", str(out))
    assert r.returncode == 0, r.stderr
    inv = load_inventory(out)
    got = {a.port: a.platform for a in inv.assets}
    assert got == {BASE_PORT: "huawei_vrp", BASE_PORT + 2: "hp_comware", BASE_PORT + 4: "cisco_ios",
                   BASE_PORT + 6: "linux"}


@pytest.mark.parametrize("collectors", ["1", "2"])
def test_ctrl_c_keeps_what_was_collected(testlab, tmp_path, collectors):
    import signal
    import subprocess
    import sys
    import time
    inv = yaml.safe_load(testlab["inv"].read_text())
    inv["assets"] = [a for a in inv["assets"] if a["name"] in ("core-sw1", "f-hang")]
    for a in inv["assets"]:
        a.pop("snmp_context", None)
        a["credentials"] = "sshonly"
    p = tmp_path / "inv.yaml"
    p.write_text(yaml.safe_dump(inv, allow_unicode=True))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "scanner.cli", "scan", str(p), "--out", str(out), "--known-hosts",
                             str(tmp_path / "kh"), "--trust-new-hosts", "--command-timeout", "60", "-q",
                             "--collectors", collectors],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # a CI job started in the background (`cmd &`) inherits SIGINT ignored; Python then
                            # keeps ignoring it, so give the scan the default disposition a terminal has
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)
    t = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:       # show where it is stuck (the CLI dumps its threads on SIGUSR1)
        proc.send_signal(signal.SIGUSR1)
        time.sleep(1)
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"no exit 30 s after Ctrl-C; threads:\n{err[-6000:]}")
    assert proc.returncode == 130 and time.monotonic() - t < 10 and "Traceback" not in err
    data = json.loads((out / "scan.json").read_text())
    status = {a["name"]: (a["status"], a["reason_code"]) for a in data["assets"]}
    assert status == {"core-sw1": ("assessed", None), "f-hang": ("error", "interrupted")}


@pytest.mark.live
def test_a_100000_line_config_over_ssh(tmp_path, monkeypatch, ctx_module):
    monkeypatch.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    cap = read_capture(LAB_RAW / "acc-sw-hw3")
    head, _, _ = cap.outputs["config"].rpartition("return")
    rules = "".join(f" rule {i * 5} permit source 10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256} 0\n"
                    for i in range(1, 60000))
    ports = "".join(f"interface GigabitEthernet{i // 48}/0/{i % 48 + 1}\n description p{i}\n shutdown\n#\n"
                    for i in range(10000))
    cap.name, cap.outputs["config"] = "big", head + "acl number 3999\n" + rules + "#\n" + ports + "return\n"
    assert cap.outputs["config"].count("\n") > 100_000
    write_capture(tmp_path / "raw", cap)
    (tmp_path / "lab.yaml").write_text(yaml.safe_dump({"devices": [{"name": "big", "port": 43390, "data": "raw/big"}]}))
    (tmp_path / "inv.yaml").write_text(yaml.safe_dump({
        "credentials": {"c": {"ssh": {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}}},
        "assets": [{"name": "big", "platform": "huawei_vrp", "address": "127.0.0.1", "port": 43390, "credentials": "c"}]}))
    lab.up(tmp_path / "lab.yaml", tmp_path / "state")
    try:
        res = scan_inventory(load_inventory(tmp_path / "inv.yaml"), ctx_module,
                             LiveOptions(known_hosts=tmp_path / "kh", trust_new_hosts=True, save_raw=tmp_path / "saved"))
    finally:
        lab.down(tmp_path / "state")
    a = res.assets[0]
    assert a.status == AssetStatus.ASSESSED, a.reason
    saved = read_capture(tmp_path / "saved" / "big").outputs["config"]
    assert saved.count("\n") >= cap.outputs["config"].count("\n") - 2      # nothing lost in transit


def test_assessment_in_forked_processes_equals_in_process(ctx):
    """The after-collection assessment pool gives the same assets (fleet fingerprints included) as in-process."""
    from scanner.assessment import assess_all
    from scanner.transport.replay import capture_dirs, read_capture
    raw = ROOT / "scanner" / "lab" / "data" / "raw"
    jobs = {d.name: (read_capture(d), str(d)) for d in capture_dirs(raw)}
    events = []
    forked = assess_all(jobs, ctx, processes=2, emit=lambda *e: events.append(e))
    here = assess_all(jobs, ctx, processes=1)
    assert set(forked) == set(jobs) and len(events) == len(jobs)
    for name in jobs:
        a, b = forked[name].model_dump(), here[name].model_dump()
        a.pop("assessed_at", None), b.pop("assessed_at", None)
        assert a == b, name
    assert any(forked[n].fleet and forked[n].fleet.admin_secrets for n in jobs)


def test_collecting_processes_equal_threads(testlab, tmp_path):
    """Devices split over forked collecting processes give the same results as one process's threads."""
    inv = load_inventory(testlab["inv"])
    healthy = [a for a in inv.assets if not a.name.startswith("f-")]
    inv = inv.model_copy(update={"assets": healthy})
    from scanner.engine import ScanContext
    ctx = ScanContext.default()
    events = []

    class Progress(Processor):
        def on_event(self, e) -> None:
            if isinstance(e, AssetEvent):
                events.append((e.name, e.state, e.detail))
    runs = {}
    for n in (1, 2):
        runs[n] = scan_inventory(inv, ctx, LiveOptions(known_hosts=tmp_path / f"kh{n}", trust_new_hosts=True,
                                                       collectors=n, save_raw=tmp_path / f"raw{n}"),
                                 processors=[Progress()] if n == 2 else [])
    for a, b in zip(runs[1].assets, runs[2].assets):
        assert a.name == b.name and a.status == b.status == AssetStatus.ASSESSED, (a.name, b.reason)
        assert [c.model_dump() for c in a.controls] == [c.model_dump() for c in b.controls], a.name
    assert {e[0] for e in events if e[1] == "collected"} == {a.name for a in healthy}   # progress came back
    assert len((tmp_path / "kh2").read_text().splitlines()) == len({(a.address, a.port) for a in healthy})
