"""Raw captures as evidence and files as hostile input: asset names become safe folder names, a device.yaml cannot
point outside its folder, captures are private whatever the umask, a SHA-256 manifest lets `--raw` refuse a
tampered capture, and `--configs` never opens devices, FIFOs or sockets nor reads past its limit."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import unicodedata

import pytest
import yaml

from scanner import lab
from scanner.engine import ScanContext, assess_config_file
from scanner.lab.simulator import DEFAULT_PASSWORD
from scanner.live import scan_raw
from scanner.model import AssetStatus
from scanner.transport.replay import MANIFEST_FILE, read_capture, safe_name, write_capture

from conftest import MLPS, ROOT

LAB_RAW = ROOT / "scanner" / "lab" / "data" / "raw"
LAB_PORT = 26600
# Inventory names that, used as a path, escape the capture folder, nest inside it, or collide once cleaned up;
# and two safe ones that must stay readable.
HOSTILE_NAMES = ["core-sw1", "../../escape", "..", ".", "a/b", "a_b", "a\\b", "CON", "nul.txt", "-rf", "core-sw1.", "x" * 300,
                 "核心交换机"]
SAFE_FOLDER = re.compile(r"^[^./\\\x00-\x1f\x7f~-][^/\\\x00-\x1f\x7f]*$")


def _mlps(*args, umask: int | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI in a subprocess with 2 GB of address space: a file read without bound fails instead of eating RAM."""
    import resource

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        if umask is not None:
            os.umask(umask)
    env = dict(os.environ, COLUMNS="200", MLPS_LAB_PASSWORD=DEFAULT_PASSWORD)
    return subprocess.run([*MLPS, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout,
                          preexec_fn=limits)


def _by_name(result) -> dict:
    return {a.name: a for a in result.assets}


def _verdicts(asset) -> dict:
    return {c.id: c.result.value for c in asset.controls}


# ---------------------------------------------------------------------------------------------- folder names

def test_asset_names_become_distinct_safe_folder_names(tmp_path):
    names = [*HOSTILE_NAMES, "x\x00y", "line\nbreak", "/abs/path", "COM1.cfg", "trail ", "e\u0301", "\u00e9",
             "R1", "r1", "lpt9", "a:b", "a~b", "a" * 60 + "/", "a" * 60 + "\\"]
    root = tmp_path / "raw"
    src = read_capture(LAB_RAW / "core-sw1")
    folders = {}
    for n in names:
        src.name = n
        folders[n] = write_capture(root, src)
    assert len(set(folders.values())) == len(names)                # distinct names, distinct folders
    for n, d in folders.items():
        assert d.parent == root and SAFE_FOLDER.match(d.name), (n, d.name)
        assert len(d.name.encode()) <= 120 and d.name.upper().split(".")[0] not in ("CON", "NUL", "COM1", "LPT9")
        assert unicodedata.normalize("NFC", d.name) == d.name
        assert read_capture(d).name == n                              # the real name is kept inside
    assert folders["core-sw1"] == root / "core-sw1" and folders["核心交换机"] == root / "核心交换机"   # readable
    assert safe_name("R1") == "R1" and safe_name("a_b") == "a_b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]     # nothing written beside the capture folder


def test_save_raw_never_writes_through_planted_symlinks(tmp_path):
    """A capture folder someone else could write to: symlinks planted there are replaced, never followed."""
    victim, victim_dir = tmp_path / "victim.txt", tmp_path / "victim-dir"
    victim.write_text("keep me")
    victim_dir.mkdir()
    root = tmp_path / "raw"
    (root / "core-sw1").mkdir(parents=True)
    (root / "core-sw1" / "config.txt").symlink_to(victim)
    (root / "core-sw1" / "device.yaml").symlink_to(victim)
    (root / "acc-sw-hw3").symlink_to(victim_dir)
    write_capture(root, read_capture(LAB_RAW / "core-sw1"))
    with pytest.raises(Exception, match="symlink"):
        write_capture(root, read_capture(LAB_RAW / "acc-sw-hw3"))
    assert victim.read_text() == "keep me" and not any(victim_dir.iterdir())
    assert not (root / "core-sw1" / "config.txt").is_symlink()
    assert read_capture(root / "core-sw1", require_manifest=True).provenance.integrity == "verified"


def test_a_new_save_over_an_old_one_is_verified(tmp_path):
    cap = read_capture(LAB_RAW / "core-sw1")
    write_capture(tmp_path, cap)
    del cap.outputs["http_status"], cap.commands["http_status"]
    write_capture(tmp_path, cap)                                  # the old http_status.txt must go
    again = read_capture(tmp_path / "core-sw1", require_manifest=True)
    assert again.provenance.integrity == "verified" and "http_status" not in again.outputs


# ---------------------------------------------------------------------------------------------- live scan

@pytest.fixture(scope="module")
def hostile_lab(tmp_path_factory):
    """One simulated VRP switch on 127.0.0.1, reached under hostile inventory names."""
    d = tmp_path_factory.mktemp("rawlab")
    spec = d / "lab.yaml"
    spec.write_text(yaml.safe_dump({"devices": [{"name": "core-sw1", "port": LAB_PORT,
                                                 "data": str(LAB_RAW / "core-sw1")}]}))
    names = [n for n in HOSTILE_NAMES if n != "x" * 300] + [str(d / "abs-escape")]
    inv = {"credentials": {"c": {"ssh": {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}}},
           "defaults": {"credentials": "c", "address": "127.0.0.1", "port": LAB_PORT, "platform": "huawei_vrp"},
           "assets": [{"name": n} for n in names]}
    (d / "inv.yaml").write_text(yaml.safe_dump(inv, allow_unicode=True))
    os.environ.setdefault("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    lab.up(spec, d / "state")
    try:
        yield {"dir": d, "inv": d / "inv.yaml", "names": names}
    finally:
        lab.down(d / "state")


@pytest.fixture(scope="module")
def live_saved(hostile_lab, tmp_path_factory):
    """`mlps scan INVENTORY --save-raw` under umask 000, then `mlps scan --raw` of what it saved."""
    w = tmp_path_factory.mktemp("saved")
    raw = w / "evidence" / "raw"
    r = _mlps("scan", str(hostile_lab["inv"]), "--out", str(w / "out"), "--save-raw", str(raw), "--known-hosts",
              str(w / "kh"), "--trust-new-hosts", "--timeout", "5", "--retries", "0", "--collectors", "1",
              umask=0o000)
    assert r.returncode == 0, r.stdout + r.stderr
    r2 = _mlps("scan", "--raw", str(raw), "--out", str(w / "out2"))
    assert r2.returncode == 0, r2.stdout + r2.stderr
    return w, raw


def test_live_save_raw_never_writes_outside_its_folder(hostile_lab, live_saved):
    w, raw = live_saved
    inside = {p.resolve() for p in raw.rglob("*")}
    assert all(p.is_relative_to(raw.resolve()) for p in inside)
    assert not (hostile_lab["dir"] / "abs-escape").exists()
    assert sorted(p.name for p in w.iterdir()) == ["evidence", "kh", "out", "out2"]
    assert sorted(p.name for p in (w / "evidence").iterdir()) == ["raw"]
    folders = [p for p in raw.iterdir()]
    assert len(folders) == len(hostile_lab["names"]) and all(SAFE_FOLDER.match(p.name) for p in folders)
    assert all(p.is_dir() and (p / "device.yaml").is_file() for p in folders)


def test_raw_capture_is_private_whatever_the_umask(live_saved):
    _, raw = live_saved
    assert stat.S_IMODE(raw.stat().st_mode) == 0o700
    saved = list(raw.rglob("*"))
    assert any(p.name == "config.txt" for p in saved)
    for p in saved:
        assert stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600), p


def test_live_save_raw_rescan_is_verified_with_identical_verdicts(hostile_lab, live_saved):
    w, raw = live_saved
    live = {a["name"]: a for a in json.loads((w / "out" / "scan.json").read_text())["assets"]}
    again = {a["name"]: a for a in json.loads((w / "out2" / "scan.json").read_text())["assets"]}
    assert set(live) == set(again) == set(hostile_lab["names"])
    for n in live:
        assert live[n]["status"] == again[n]["status"] == "assessed", (n, again[n]["reason"])
        assert live[n]["controls"] == again[n]["controls"], n
        assert again[n]["capture"]["integrity"] == "verified"
        assert re.fullmatch(r"[0-9a-f]{64}", again[n]["capture"]["manifest_sha256"])
    m = json.loads((raw / "core-sw1" / MANIFEST_FILE).read_text())
    assert m["asset"] == "core-sw1" and m["tool"] == "mlps-scanner" and m["tool_version"]
    assert m["collector"]["host"] and m["collector"]["user"] and m["collector"]["id"] and m["written_at"]
    assert set(m["files"]) == {p.name for p in (raw / "core-sw1").iterdir()} - {MANIFEST_FILE}
    assert "device.yaml" in m["files"] and "config.txt" in m["files"]


# ---------------------------------------------------------------------------------------------- tampering

@pytest.fixture
def saved(tmp_path):
    """Two lab devices saved with write_capture (a manifest each)."""
    root = tmp_path / "raw"
    for n in ("core-sw1", "acc-sw-hw3"):
        write_capture(root, read_capture(LAB_RAW / n))
    return root


def test_untampered_capture_is_verified_with_the_lab_verdicts(saved, ctx):
    got = _by_name(scan_raw(saved, ctx))
    ref = _by_name(scan_raw(LAB_RAW, ctx))
    for n in ("core-sw1", "acc-sw-hw3"):
        assert got[n].status == AssetStatus.ASSESSED and got[n].capture.integrity == "verified"
        assert _verdicts(got[n]) == _verdicts(ref[n])
        assert ref[n].capture.integrity == "unverified"        # the lab's own folders carry no manifest


def _flip_byte(p):
    data = bytearray(p.read_bytes())
    i = data.index(b"sysname") + 3
    data[i] ^= 0x20
    p.write_bytes(bytes(data))


TAMPER = {
    "modified output": (lambda d: _flip_byte(d / "config.txt"), "config.txt"),
    "modified device.yaml": (lambda d: (d / "device.yaml").write_text(
        (d / "device.yaml").read_text().replace("status: ok", "status: error", 1)), "device.yaml"),
    "missing output": (lambda d: (d / "version.txt").unlink(), "version.txt"),
    "extra output": (lambda d: (d / "extra.txt").write_text("sysname other\n"), "extra.txt"),
    "broken manifest": (lambda d: (d / MANIFEST_FILE).write_text("{not json"), MANIFEST_FILE),
    "manifest pointing out": (lambda d: (d / MANIFEST_FILE).write_text(json.dumps(
        {**json.loads((d / MANIFEST_FILE).read_text()), "files": {"../../etc/passwd": "0" * 64}})), MANIFEST_FILE),
}


@pytest.mark.parametrize("case", list(TAMPER))
def test_tampered_capture_is_refused_and_the_others_assessed(saved, ctx, case):
    tamper, culprit = TAMPER[case]
    tamper(saved / "core-sw1")
    got = _by_name(scan_raw(saved, ctx))
    bad = got["core-sw1"]
    assert bad.status == AssetStatus.ERROR and bad.reason_code == "capture_tampered", (case, bad.reason)
    assert culprit in bad.reason
    assert got["acc-sw-hw3"].status == AssetStatus.ASSESSED


def test_cli_names_the_tampered_file(saved, tmp_path):
    _flip_byte(saved / "core-sw1" / "config.txt")
    r = _mlps("scan", "--raw", str(saved), "--out", str(tmp_path / "out"))
    assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr, r.stderr
    assert "capture_tampered" in r.stdout and "config.txt" in r.stdout


def test_require_manifest_refuses_unverified_captures(saved, tmp_path):
    mixed = tmp_path / "mixed"
    shutil.copytree(saved / "core-sw1", mixed / "core-sw1")
    shutil.copytree(LAB_RAW / "agg-sw1", mixed / "agg-sw1")
    r = _mlps("scan", "--raw", str(mixed), "--out", str(tmp_path / "out"), "--require-manifest")
    assert r.returncode == 0, r.stderr
    status = {a["name"]: (a["status"], a["reason_code"]) for a in
              json.loads((tmp_path / "out" / "scan.json").read_text())["assets"]}
    assert status == {"core-sw1": ("assessed", None), "agg-sw1": ("error", "capture_unverified")}


# ---------------------------------------------------------------------------------------------- device.yaml paths

def _device_with(root, name, file_entry):
    d = root / name
    shutil.copytree(LAB_RAW / "core-sw1", d)
    meta = yaml.safe_load((d / "device.yaml").read_text())
    meta["name"] = name
    meta["outputs"]["config"]["file"] = file_entry
    (d / "device.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True))
    return d


def test_device_yaml_cannot_point_outside_its_folder(tmp_path, ctx):
    outside = tmp_path / "outside.cfg"
    shutil.copy(LAB_RAW / "core-sw1" / "config.txt", outside)       # a valid config: read, it would be assessed
    root = tmp_path / "raw"
    root.mkdir()
    cases = {"dotdot": "../../outside.cfg", "absolute": str(outside), "nested-dotdot": "sub/../../../outside.cfg",
             "nul": "config.txt\x00", "number": 5, "empty": "", "dir": "."}
    for name, entry in cases.items():
        _device_with(root, name, entry)
    link = _device_with(root, "symlink", "config.txt")
    (link / "config.txt").unlink()
    (link / "config.txt").symlink_to(outside)
    dirlink = _device_with(root, "dirlink", "up/outside.cfg")
    (dirlink / "up").symlink_to(tmp_path)
    shutil.copytree(LAB_RAW / "agg-sw1", root / "agg-sw1")
    got = _by_name(scan_raw(root, ctx))
    for name in [*cases, "symlink", "dirlink"]:
        a = got[name]
        assert a.status == AssetStatus.ERROR and a.reason_code in ("unsafe_path", "raw_format"), (name, a.reason)
        assert "config" in a.reason
    assert got["agg-sw1"].status == AssetStatus.ASSESSED


def test_fifos_in_a_capture_do_not_hang_the_scan(tmp_path):
    root = tmp_path / "raw"
    fifo_out = _device_with(root, "fifo-output", "config.txt")
    (fifo_out / "config.txt").unlink()
    os.mkfifo(fifo_out / "config.txt")
    fifo_meta = root / "fifo-meta"
    fifo_meta.mkdir()
    os.mkfifo(fifo_meta / "device.yaml")
    shutil.copytree(LAB_RAW / "agg-sw1", root / "agg-sw1")
    r = _mlps("scan", "--raw", str(root), "--out", str(tmp_path / "out"), timeout=60)
    assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    status = {a["name"]: (a["status"], a["reason_code"]) for a in
              json.loads((tmp_path / "out" / "scan.json").read_text())["assets"]}
    assert status == {"fifo-output": ("error", "not_a_file"), "fifo-meta": ("error", "not_a_file"),
                      "agg-sw1": ("assessed", None)}


# ---------------------------------------------------------------------------------------------- --configs

def test_configs_refuse_fifos_sockets_and_devices(tmp_path):
    fifo = tmp_path / "router.cfg"
    os.mkfifo(fifo)
    sock_path = tmp_path / "switch.cfg"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    good = tmp_path / "good.cfg"
    shutil.copy(LAB_RAW / "core-sw1" / "config.txt", good)
    try:
        r = _mlps("scan", "--configs", str(fifo), str(sock_path), "/dev/zero", "/dev/urandom", str(good),
                  "--out", str(tmp_path / "out"), timeout=60)
    finally:
        sock.close()
    assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    status = {a["source"]: (a["status"], a["reason_code"]) for a in
              json.loads((tmp_path / "out" / "scan.json").read_text())["assets"]}
    assert status == {str(fifo): ("error", "not_a_file"), str(sock_path): ("error", "not_a_file"),
                      "/dev/zero": ("error", "not_a_file"), "/dev/urandom": ("error", "not_a_file"),
                      str(good): ("assessed", None)}


def test_configs_read_at_most_the_limit_whatever_stat_says(tmp_path):
    """/proc files report size 0; the read itself is bounded."""
    ctx = ScanContext.default(max_bytes=1000)
    a = assess_config_file(__import__("pathlib").Path("/proc/self/maps"), ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "too_large" and "limit" in a.reason
    from scanner.textio import UnreadableInput, read_bounded
    big = tmp_path / "big.cfg"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(UnreadableInput) as e:
        read_bounded(big, 1000)
    assert e.value.code == "too_large"
    assert read_bounded(big, 5000) == b"x" * 5000
