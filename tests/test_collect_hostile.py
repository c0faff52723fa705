"""Collection against hostile or old devices, on every platform, over real SSH to the simulator: late prompts,
chunked output with prompt-like text, floods, paging-time drops, legacy-only algorithms, odd Linux sshds, and
Ctrl-C after a device was saved."""
from __future__ import annotations

import os
import shutil
import signal
import threading

import pytest
import yaml

from scanner import lab
from scanner.inventory import load_inventory
from scanner.lab.simulator import DEFAULT_PASSWORD
from scanner.live import LiveOptions, scan_inventory, scan_raw
from scanner.model import AssetStatus
from scanner.platforms import get as get_platform
from scanner.runner import AssetEvent, Processor
from scanner.transport.replay import read_capture, write_capture

from conftest import ROOT

LAB_RAW = ROOT / "scanner" / "lab" / "data" / "raw"
BASE_PORT = 26300           # this file's range: 26300-26499
BASES = {"hw": "core-sw1", "h3c": "agg-sw1", "ios": "border-rtr1"}
PLATFORM = {"hw": "huawei_vrp", "h3c": "hp_comware", "ios": "cisco_ios"}
PAGING = {p: get_platform(PLATFORM[p]).session.paging[0] for p in BASES}
CONFIG_CMD = {p: get_platform(PLATFORM[p]).session.commands["config"] for p in BASES}


def _prompt_like_lines(platform: str, host: str) -> str:
    if platform == "cisco_ios":
        return f" description uplink to {host}#2\n"
    return f" description [{host} ge1]\n description <{host}>\n"


def _banner_with_prompt(platform: str, host: str) -> str:
    """A login banner whose text has a line that is exactly the device's prompt."""
    if platform == "cisco_ios":
        return f"banner motd ^C\n{host}#\n^C\n"
    return f'header login information "\n<{host}>\n"\n'


def _devices() -> dict[str, tuple[str, dict]]:
    """name -> (capture to serve, faults)"""
    d: dict[str, tuple[str, dict]] = {}
    for p, base in BASES.items():
        d[f"{p}-ok"] = (base, {})
        d[f"{p}-late"] = (base, {"late_prompt_s": 0.1})
        d[f"{p}-chunk"] = (f"{p}-promptlike", {"chunked": True})
        d[f"{p}-banner"] = (f"{p}-bannerprompt", {"chunked": True})
        d[f"{p}-flood"] = (base, {"flood_on": CONFIG_CMD[p]})
        d[f"{p}-pagedrop"] = (base, {"drop_on": PAGING[p]})
        d[f"{p}-legacy"] = (base, {"legacy_ssh": True})
    d["hw-question"] = ("core-sw1", {"login_question": "Warning: The password needs to be changed. Change now? [Y/N]:"})
    d["h3c-question"] = ("agg-sw1", {"login_question": "The configuration file has security risks. Save it now? [Y/N]:"})
    d["lx-closed"] = ("app-srv1", {"close_exec": True})
    d["lx-hung"] = ("app-srv1", {"hang_on": "banner"})
    d["lx-slow"] = ("app-srv1", {"delay_s": 1.0})
    d["lx-slower"] = ("app-srv1", {"delay_s": 6.0})
    return d


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    raw = d / "raw"
    for base in {*BASES.values(), "app-srv1"}:
        shutil.copytree(LAB_RAW / base, raw / base)
    for p, base in BASES.items():        # config text that looks like the device's own prompt
        cap = read_capture(LAB_RAW / base)
        host = next(ln.split()[1] for ln in cap.outputs["config"].splitlines()
                    if ln.strip().startswith(("sysname ", "hostname ")))
        cfg = cap.outputs["config"]
        i = cfg.index("\n", cfg.index("\ninterface ") + 1) + 1
        cap.name, cap.outputs["config"] = f"{p}-promptlike", cfg[:i] + _prompt_like_lines(cap.platform, host) + cfg[i:]
        write_capture(raw, cap)
        end = cfg.rindex("\nend" if cap.platform == "cisco_ios" else "\nreturn") + 1
        cap.name = f"{p}-bannerprompt"
        cap.outputs["config"] = cfg[:end] + _banner_with_prompt(cap.platform, host) + cfg[end:]
        write_capture(raw, cap)
    devices = _devices()
    names = list(devices)
    spec = {"username": "netops", "devices": [{"name": n, "port": BASE_PORT + i, "data": f"raw/{devices[n][0]}",
                                               "faults": devices[n][1]} for i, n in enumerate(names)]}
    (d / "lab.yaml").write_text(yaml.safe_dump(spec))
    plat = {n: read_capture(raw / devices[n][0]).platform for n in names}
    inv = {"credentials": {"c": {"ssh": {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}}},
           "defaults": {"credentials": "c", "address": "127.0.0.1"},
           "assets": [{"name": n, "platform": plat[n], "port": BASE_PORT + i} for i, n in enumerate(names)]}
    (d / "inv.yaml").write_text(yaml.safe_dump(inv))
    mp = pytest.MonkeyPatch()
    mp.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    lab.up(d / "lab.yaml", d / "state")
    try:
        yield {"dir": d, "inv": d / "inv.yaml", "raw": raw}
    finally:
        lab.down(d / "state")
        mp.undo()


@pytest.fixture(scope="module")
def scanned(hostile, ctx_module):
    out = hostile["dir"] / "out"
    opts = LiveOptions(known_hosts=out / "kh", trust_new_hosts=True, save_raw=out / "raw", command_timeout=5,
                       connect_timeout=3, retries=0, max_output=1024 * 1024, collectors=1)
    res = scan_inventory(load_inventory(hostile["inv"]), ctx_module, opts)
    return {a.name: a for a in res.assets}, out / "raw"


@pytest.fixture(scope="module")
def ctx_module():
    from scanner.engine import ScanContext
    return ScanContext.default()


def _controls(a):
    return {c.id: c.result for c in a.controls}


@pytest.mark.parametrize("p", list(BASES))
def test_late_prompt_keeps_every_output_with_its_command(scanned, p):
    assets, raw = scanned
    late, ok = assets[f"{p}-late"], assets[f"{p}-ok"]
    assert late.status == ok.status == AssetStatus.ASSESSED, (late.reason, ok.reason)
    got, want = read_capture(raw / f"{p}-late"), read_capture(raw / f"{p}-ok")
    assert set(got.outputs) == set(want.outputs)
    for k in want.outputs:
        if k != "ssh_algorithms":
            assert got.outputs[k] == want.outputs[k], k
    assert _controls(late) == _controls(ok)


@pytest.mark.parametrize("p", list(BASES))
def test_prompt_like_config_text_in_chunks_does_not_cut_the_config(scanned, hostile, p):
    assets, raw = scanned
    a = assets[f"{p}-chunk"]
    assert a.status == AssetStatus.ASSESSED, a.reason
    served = read_capture(hostile["raw"] / f"{p}-promptlike").outputs["config"]
    saved = read_capture(raw / f"{p}-chunk").outputs["config"]
    assert saved.rstrip() == served.rstrip()
    assert _controls(a) == _controls(assets[f"{p}-ok"])


@pytest.mark.parametrize("p", list(BASES))
def test_config_line_that_is_exactly_the_prompt_does_not_cut_the_config(scanned, hostile, p):
    assets, raw = scanned
    a = assets[f"{p}-banner"]
    assert a.status == AssetStatus.ASSESSED, a.reason
    served = read_capture(hostile["raw"] / f"{p}-bannerprompt").outputs["config"]
    assert read_capture(raw / f"{p}-banner").outputs["config"].rstrip() == served.rstrip()


@pytest.mark.parametrize("p", ["hw", "h3c"])
def test_login_question_is_answered_no(scanned, p):
    """A question before the first prompt gets "N" (netmiko's Huawei driver answered "Y" to save the config); the
    simulated device hangs up on any other answer, so an assessed device proves the answer."""
    a = scanned[0][f"{p}-question"]
    assert a.status == AssetStatus.ASSESSED, a.reason
    assert _controls(a) == _controls(scanned[0][f"{p}-ok"])


@pytest.mark.parametrize("p", list(BASES))
def test_endless_output_is_capped(scanned, p):
    a = scanned[0][f"{p}-flood"]
    assert a.status == AssetStatus.ERROR and a.reason_code == "output_too_large", a.reason


@pytest.mark.parametrize("p", list(BASES))
def test_drop_while_turning_paging_off_is_connection_lost(scanned, p):
    a = scanned[0][f"{p}-pagedrop"]
    assert a.status == AssetStatus.ERROR and a.reason_code == "connection_lost", a.reason
    assert "netmiko" not in (a.reason or "").lower()


@pytest.mark.parametrize("p", list(BASES))
def test_legacy_only_device_is_refused_by_default(scanned, p):
    a = scanned[0][f"{p}-legacy"]
    assert a.status == AssetStatus.ERROR and a.reason_code == "ssh_algorithm_mismatch", a.reason
    assert "ssh_legacy" in a.reason


@pytest.mark.parametrize("p", list(BASES))
def test_modern_device_passes_the_algorithm_check(scanned, p):
    a = scanned[0][f"{p}-ok"]
    f = next(f for f in a.findings if f.check == "ssh_algorithms_strong")
    assert f.status.value == "pass", f.reason_en


def test_legacy_allowed_scans_and_flags_the_weak_algorithms(hostile, ctx_module, tmp_path):
    inv = yaml.safe_load(hostile["inv"].read_text())
    # allowed per asset, or for a group (a zone of old devices)
    inv["groups"] = {"old-releases": {"ssh_legacy": True}}
    inv["assets"] = [{**a, **({"ssh_legacy": True} if a["name"] == "hw-legacy" else {"groups": ["old-releases"]})}
                     for a in inv["assets"] if a["name"].endswith("-legacy")]
    (tmp_path / "inv.yaml").write_text(yaml.safe_dump(inv))
    res = scan_inventory(load_inventory(tmp_path / "inv.yaml"), ctx_module,
                         LiveOptions(known_hosts=tmp_path / "kh", trust_new_hosts=True, save_raw=tmp_path / "raw",
                                     command_timeout=5, connect_timeout=3, retries=0, collectors=1))
    assert len(res.assets) == 3
    for a in res.assets:
        assert a.status == AssetStatus.ASSESSED, (a.name, a.reason)
        f = next(f for f in a.findings if f.check == "ssh_algorithms_strong")
        assert f.status.value == "fail" and "diffie-hellman-group14-sha1" in f.reason_en, a.name
        assert "ssh-rsa" in f.reason_en and "cbc" in f.reason_en and "hmac-md5" in f.reason_en
        assert {"8.1.4.1.c", "8.1.4.8.a"} <= set(f.controls)
        assert next(c for c in a.controls if c.id == "8.1.4.8.a").result.value in ("partial", "noncompliant")
    offline = {a.name: a for a in scan_raw(tmp_path / "raw", ctx_module).assets}
    for a in res.assets:                # the handshake record is evidence: --raw gives the same verdict
        assert _controls(offline[a.name]) == _controls(a)


def test_exec_channel_closed_without_output_is_connection_lost(scanned):
    a = scanned[0]["lx-closed"]
    assert a.status == AssetStatus.ERROR and a.reason_code == "connection_lost", a.reason


def test_hung_sshd_is_a_timeout(scanned):
    a = scanned[0]["lx-hung"]
    assert a.status == AssetStatus.ERROR and a.reason_code == "timeout", a.reason


def test_slow_sshd_is_assessed_and_too_slow_is_a_timeout(scanned):
    assert scanned[0]["lx-slow"].status == AssetStatus.ASSESSED, scanned[0]["lx-slow"].reason
    a = scanned[0]["lx-slower"]           # banner later than the 3 s connect timeout
    assert a.status == AssetStatus.ERROR and a.reason_code == "timeout", a.reason


def test_device_saved_to_raw_before_ctrl_c_is_not_interrupted(hostile, ctx_module, tmp_path):
    inv = load_inventory(hostile["inv"])
    inv = inv.model_copy(update={"assets": [a for a in inv.assets if a.name == "hw-ok"]})
    release = threading.Event()

    class CtrlCOnceCollected(Processor):
        def on_event(self, event) -> None:
            if isinstance(event, AssetEvent) and event.state == "collected":
                # saved to raw; Ctrl-C now, before the worker hands the device back
                os.kill(os.getpid(), signal.SIGINT)
                release.wait(20)
    try:
        res = scan_inventory(inv, ctx_module, LiveOptions(known_hosts=tmp_path / "kh", trust_new_hosts=True,
                                                          save_raw=tmp_path / "raw", collectors=1, retries=0),
                             [CtrlCOnceCollected()])
    finally:
        release.set()
    assert (tmp_path / "raw" / "hw-ok" / "device.yaml").exists()
    a = res.assets[0]
    assert a.status == AssetStatus.ASSESSED and a.reason_code != "interrupted", a.reason


def test_algorithm_mismatch_is_not_retried(hostile, ctx_module, tmp_path):
    """A device that speaks only legacy algorithms will not speak others on a second try: one connection, however
    many retries the scan allows (a counting TCP relay sits in front of the simulated device)."""
    import socket
    inv = yaml.safe_load(hostile["inv"].read_text())
    target = next(a for a in inv["assets"] if a["name"] == "hw-legacy")
    relay = socket.socket()
    relay.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    relay.bind(("127.0.0.1", 26499))
    relay.listen(8)
    accepted = []

    def pump(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve():
        while True:
            try:
                c, _ = relay.accept()
            except OSError:
                return
            accepted.append(c)
            up = socket.create_connection(("127.0.0.1", target["port"]))
            for a, b in ((c, up), (up, c)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    try:
        inv["assets"] = [{**target, "port": 26499}]
        (tmp_path / "inv.yaml").write_text(yaml.safe_dump(inv))
        res = scan_inventory(load_inventory(tmp_path / "inv.yaml"), ctx_module,
                             LiveOptions(known_hosts=tmp_path / "kh", trust_new_hosts=True, command_timeout=5,
                                         connect_timeout=3, retries=3, collectors=1))
    finally:
        relay.close()
    (a,) = res.assets
    assert a.reason_code == "ssh_algorithm_mismatch", a.reason
    assert len(accepted) == 1
