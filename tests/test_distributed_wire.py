"""What crosses the broker, without a broker: a task names credential references, never a secret; a broker
password never goes on a command line; a collector's answer is read like any saved capture (unsafe names refused)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.distributed import BrokerError, broker_url, pack_files, shown_url, task_payload, unpack_files
from scanner.inventory import Inventory, InventoryAsset, JumpHop
from scanner.live import LiveOptions
from scanner.transport.replay import RawFormatError

ROOT = Path(__file__).resolve().parent.parent


def _inv(tmp_path: Path) -> Inventory:
    pw = tmp_path / "b.pw"
    pw.write_text("Zone-B-file-secret\n")
    pw.chmod(0o600)
    return Inventory(source="t", assets=[
        InventoryAsset(name="a1", address="10.0.0.1", zone="a", credentials="ca"),
        InventoryAsset(name="b1", address="10.1.0.1", zone="b", credentials="cb")],
        credentials={"ca": {"ssh": {"username": "u", "password": {"env": "ZONE_A_PW"}},
                            "snmp": {"version": "v3", "username": "n", "auth_key": {"env": "ZONE_A_AUTH"}}},
                     "cb": {"ssh": {"username": "u", "password": {"file": str(pw)}}}})


def test_a_task_carries_references_and_only_its_own_assets(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONE_A_PW", "Zone-A-env-secret")
    monkeypatch.setenv("ZONE_A_AUTH", "Zone-A-auth-secret")
    inv = _inv(tmp_path)
    opts = LiveOptions(known_hosts=tmp_path / "kh")
    a = json.dumps(task_payload(inv.assets[0], inv, opts, "scan1", b"k" * 16))
    b = json.dumps(task_payload(inv.assets[1], inv, opts, "scan1", b"k" * 16))
    for secret in ("Zone-A-env-secret", "Zone-A-auth-secret", "Zone-B-file-secret"):
        assert secret not in a and secret not in b
    assert '"env": "ZONE_A_PW"' in a and "cb" not in json.loads(a)["credentials"]
    assert "ca" not in json.loads(b)["credentials"] and "b.pw" in b


def test_a_task_names_its_jump_hosts_credentials_too(tmp_path):
    inv = _inv(tmp_path)
    asset = inv.assets[0].model_copy(update={"jump": (JumpHop(address="10.0.0.9", credentials="cb"),)})
    body = task_payload(asset, inv, LiveOptions(known_hosts=tmp_path / "kh"), "s", b"k" * 16)
    assert sorted(body["credentials"]) == ["ca", "cb"] and body["asset"]["jump"][0]["address"] == "10.0.0.9"
    assert InventoryAsset(**body["asset"]) == asset             # the collector rebuilds exactly this asset


@pytest.mark.parametrize("url", ["amqp://mlps:s3cret@broker:5672//", "amqps://mlps:s3cret@broker:5671//"])
def test_a_password_in_the_broker_url_is_refused(url):
    with pytest.raises(BrokerError, match="MLPS_BROKER_PASSWORD") as e:
        broker_url(url)
    assert "s3cret" not in str(e.value)


def test_the_broker_password_comes_from_a_private_file_or_the_environment(tmp_path, monkeypatch):
    f = tmp_path / "pw"
    f.write_text("p@ss:/w#rd\n")
    f.chmod(0o644)
    with pytest.raises(BrokerError, match="chmod 600"):
        broker_url("amqp://mlps@h//", str(f))
    f.chmod(0o600)
    url = broker_url("amqp://mlps@h:5672//", str(f))
    assert url == "amqp://mlps:p%40ss%3A%2Fw%23rd@h:5672//" and "p%40ss" not in shown_url(url)
    monkeypatch.setenv("MLPS_BROKER_PASSWORD", "envpw")
    assert broker_url("amqps://mlps@h//") == "amqps://mlps:envpw@h//"
    for url in ("http://h/", "redis://h:6379/0"):
        with pytest.raises(BrokerError, match="scheme"):
            broker_url(url)


def test_the_cli_refuses_a_password_on_the_command_line_with_exit_2(tmp_path):
    for args in (["worker", "--zone", "a", "--broker", "amqp://u:Hunter2@h//"],
                 ["scan", str(ROOT / "scanner/lab/data/inventory.yaml"), "--broker", "amqp://u:Hunter2@h//",
                  "-o", str(tmp_path / "o")],
                 ["worker", "--zone", "a\x1b[2J", "--broker", "amqp://u@h//"]):
        r = subprocess.run([sys.executable, "-m", "scanner.cli", *args], capture_output=True, text=True,
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and "Hunter2" not in r.stdout + r.stderr


@pytest.mark.parametrize("files", [{}, {"../x": "YQ=="}, {".hidden": "YQ=="}, {"ok.txt": "%%%"}, ["a"],
                                   {"ok.txt": "YQ=="}])          # base64 of "a": not zlib
def test_a_hostile_answer_is_that_assets_error(tmp_path, files):
    with pytest.raises(RawFormatError):
        unpack_files(files)


def test_a_compressed_file_may_not_expand_past_a_saved_outputs_limit_nor_be_cut_short():
    """A collector's file is decompressed with a bound (a zip bomb costs its asset, never the centre's memory), and a
    stream cut short is refused, not read as a shorter output."""
    import base64
    import zlib
    from scanner.transport.replay import MAX_OUTPUT_BYTES
    bomb = base64.b64encode(zlib.compress(b"\0" * (MAX_OUTPUT_BYTES + 1), 9)).decode()
    with pytest.raises(RawFormatError, match="expands past") as e:
        unpack_files({"config.txt": bomb})
    assert e.value.code == "too_large"
    whole = zlib.compress(b"sysname a1\n" * 1000, 1)
    with pytest.raises(RawFormatError, match="cut short") as e:
        unpack_files({"config.txt": base64.b64encode(whole[:len(whole) // 2]).decode()})
    assert e.value.code == "raw_format"
    assert unpack_files({"config.txt": base64.b64encode(whole).decode()}) == {"config.txt": b"sysname a1\n" * 1000}
    assert unpack_files(pack_files({"a.txt": b"", "b.txt": b"x"})) == {"a.txt": b"", "b.txt": b"x"}


# -- hostile answers from a collector: each costs its own asset, with a reason --------------------------------------

class _Result:
    """Celery's AsyncResult as the runner reads it (an injected fake: no broker here)."""

    def __init__(self, body, ok: bool = True) -> None:
        self.result, self.ok = body, ok

    def successful(self) -> bool:
        return self.ok


class _Job:
    def failed(self, asset, code, message):
        return ("failed", str(code), message)


def _z(data: bytes) -> str:
    """One file as a collector sends it (compressed, base64)."""
    return pack_files({"f": data})["f"]


def _answer(tmp_path: Path, name: str = "a1", **tamper) -> dict:
    from scanner.distributed import pack_files
    from scanner.transport.replay import Capture, capture_files
    cap = Capture(name=name, platform="huawei_vrp", address="10.0.0.1:22", outputs={"config": "sysname a1\nreturn"},
                  commands={"config": "display current-configuration"})
    files = pack_files(capture_files(cap))
    files.update({k: _z(v) for k, v in tamper.items()})
    return {"v": 2, "scan": "S", "name": "a1", "files": files, "collector": "z/u@h"}


def _outcome(tmp_path: Path, res):
    import threading

    from scanner.runner import Handover
    from scanner.zonerunner import ZoneRunner, _Scan
    scan = _Scan(ZoneRunner("amqp://x@h//", scan_id="S"), None, None, _Job(), Handover([], threading.Event().is_set),
                 {}, {}, b"k" * 16)
    return scan._outcome(InventoryAsset(name="a1", address="10.0.0.1", zone="z"), res)


def test_a_good_answer_is_collected_with_its_collector(tmp_path):
    from scanner.runner import Collected
    got = _outcome(tmp_path, _Result(_answer(tmp_path)))
    assert isinstance(got, Collected) and got.capture.provenance.integrity == "verified"
    assert got.capture.outputs["config"].startswith("sysname a1")


@pytest.mark.parametrize("make, code", [
    (lambda t: _Result(RuntimeError("boom"), ok=False), "internal_error"),
    (lambda t: _Result(["not", "a", "dict"]), "internal_error"),
    (lambda t: _Result({**_answer(t), "name": "b1"}), "internal_error"),            # another asset's answer
    (lambda t: _Result({**_answer(t), "scan": "OTHER"}), "internal_error"),         # another scan's answer
    (lambda t: _Result({"v": 1, "name": "a1", "code": "no_such_code", "message": "x"}), "internal_error"),
    (lambda t: _Result({"v": 1, "name": "a1", "code": "auth_failed", "message": "x"}), "auth_failed"),
    (lambda t: _Result(_answer(t, **{"config.txt": b"sysname EVIL"})), "capture_tampered"),   # edited output
    (lambda t: _Result(_answer(t, **{"extra.txt": b"a"})), "capture_tampered"),                 # added file
    (lambda t: _Result(_answer(t, name="b1")), "capture_tampered"),              # a capture of another device
    (lambda t: _Result({**_answer(t), "files": {"../../etc/x": "YQ=="}}), "unsafe_path"),
    (lambda t: _Result({**_answer(t), "files": {k: v for k, v in _answer(t)["files"].items()
                                                 if k != "manifest.json"}}), "capture_unverified"),
    (lambda t: _Result(_answer(t, **{"manifest.json": b"not json"})), "capture_tampered"),
])
def test_a_hostile_answer_costs_its_asset_only(tmp_path, make, code):
    got = _outcome(tmp_path, make(tmp_path))
    assert got[:2] == ("failed", code), got


def test_the_broker_ca_setting_must_name_a_readable_certificate_file(tmp_path, monkeypatch):
    """MLPS_BROKER_CA (the private CA that signed the broker's certificate) that names no readable PEM file is bad
    input naming the setting (exit 2), not a collector that never connects."""
    monkeypatch.setenv("MLPS_BROKER_CA", str(tmp_path / "no-such-ca.pem"))
    with pytest.raises(BrokerError, match="MLPS_BROKER_CA"):
        broker_url("amqps://mlps@h:5671//")
    (tmp_path / "junk.pem").write_text("not a certificate\n")
    monkeypatch.setenv("MLPS_BROKER_CA", str(tmp_path / "junk.pem"))
    with pytest.raises(BrokerError, match="MLPS_BROKER_CA.*junk.pem"):
        broker_url("amqps://mlps@h:5671//")
    r = subprocess.run([sys.executable, "-m", "scanner.cli", "worker", "--zone", "a", "--broker", "amqps://u@h//"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "MLPS_BROKER_CA": str(tmp_path / "none.pem")})
    assert r.returncode == 2 and "MLPS_BROKER_CA" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_tls_broker_is_verified_by_certificate_and_by_name():
    """The TLS settings the collector and the centre use: the certificate verified, and the broker's name checked
    against it (kombu checks the name only when asked to, with server_hostname)."""
    import ssl

    from scanner.distributed import make_app
    conf = make_app("amqps://mlps:x@broker.example:5671//").conf.broker_use_ssl
    assert conf["cert_reqs"] == ssl.CERT_REQUIRED and "server_hostname" in conf and conf["server_hostname"] is None
    assert not make_app("amqp://mlps:x@broker.example:5672//").conf.broker_use_ssl


# -- what arrives on the scan's result queue: one outcome per pending task, whatever else comes ---------------------

class _Message:
    """kombu's Message as the runner's consumer callback uses it (an injected fake: no broker here)."""

    def __init__(self) -> None:
        self.acked = 0

    def ack(self) -> None:
        self.acked += 1


class _Seen:
    """A processor that keeps what it is given."""

    def __init__(self) -> None:
        self.events = []

    def on_collected(self, done) -> None:
        pass

    def on_event(self, event) -> None:
        self.events.append(event)


class _FailingJob:
    def failed(self, asset, code, message):
        from types import SimpleNamespace
        return SimpleNamespace(asset=SimpleNamespace(reason_code=str(code)), name=asset.name, message=message)


def test_the_result_queue_delivers_one_outcome_per_pending_task_and_drops_the_rest(tmp_path):
    import threading

    from scanner.runner import Collected, Handover
    from scanner.zonerunner import ZoneRunner, _Scan, _Zone
    seen = _Seen()
    a1 = InventoryAsset(name="a1", address="10.0.0.1", zone="z")
    a2 = InventoryAsset(name="a2", address="10.0.0.2", zone="z")
    z = _Zone("z", [a1, a2], sent=True)
    pending = {"t1": (a1, z), "t2": (a2, z)}
    scan = _Scan(ZoneRunner("amqp://x@h//", scan_id="S"), None, None, _FailingJob(),
                 Handover([seen], threading.Event().is_set), {"z": z}, pending, b"k" * 16)
    good = {"task_id": "t1", "status": "SUCCESS", "result": _answer(tmp_path)}
    hostile = [b"\x00not json", ["a", "list"], {"task_id": "unknown", "status": "SUCCESS", "result": {}},
               {"no": "task id"}, {"task_id": None}]
    messages = []
    for body in [*hostile, good, good,                         # a redelivered task answers twice
                 {"task_id": "t2", "status": "FAILURE",
                  "result": {"exc_type": "os.system", "exc_message": ["rm", "-rf"], "exc_module": "os"}}]:
        messages.append(_Message())
        scan._on_result(body, messages[-1])
    assert all(m.acked == 1 for m in messages) and pending == {}
    outcomes = [e for e in seen.events if isinstance(e, Collected) or hasattr(e, "message")]
    assert [o.name for o in outcomes] == ["a1", "a2"] and isinstance(outcomes[0], Collected)
    assert outcomes[1].asset.reason_code == "internal_error" and "os.system: rm -rf" in outcomes[1].message
    assert scan.hand.handed == {}                         # delivered: nothing kept for Ctrl-C


def test_a_capture_sent_in_memory_reads_as_the_same_capture_saved_to_a_folder(tmp_path):
    """The collector sends a capture's files without writing them (capture_files) and the centre reads them without
    writing them (capture_from_files): the same Capture as --save-raw then --raw, provenance included."""
    from scanner.transport.replay import Capture, Collector, capture_files, capture_from_files, read_capture, \
        write_capture
    cap = Capture(name="a/1 ü", platform="huawei_vrp", address="10.0.0.1:22",
                  outputs={"config": "sysname a1\nreturn", "version": "VRP V200R019"},
                  commands={"config": "display current-configuration", "version": "display version",
                            "http": "display http server"}, status={"http": "rejected"},
                  messages={"http": "Unrecognized command"}, context={"zone": "core", "exposure": "internal"})
    who = Collector("z/u@h", "h", "u")
    files = capture_files(cap, who)
    got = capture_from_files(unpack_files(pack_files(files)), "a1")
    saved = read_capture(write_capture(tmp_path / "raw", cap, who), require_manifest=True)
    assert got.provenance.integrity == "verified" and got.provenance.collector == "z/u@h"
    assert (got.name, got.platform, got.address, got.outputs, got.commands, got.status, got.messages, got.context) \
        == (saved.name, saved.platform, saved.address, saved.outputs, saved.commands, saved.status, saved.messages,
            saved.context)
    assert sorted(files) == sorted(p.name for p in (tmp_path / "raw").iterdir() for p in p.iterdir())


def test_a_task_message_summarises_its_payload_by_the_asset_name_only():
    """Celery puts a readable summary of each task's arguments in the message headers (argsrepr: what Flower or
    `celery events` show); the centre gives the asset's name there, never the payload (credential references,
    options, the run key)."""
    import threading
    from types import SimpleNamespace

    from scanner.runner import Handover
    from scanner.zonerunner import ZoneRunner, _Scan, _Zone
    sent = []

    class _App:
        def send_task(self, name, args, **options):
            sent.append((args, options))
            return SimpleNamespace(id=f"t{len(sent)}")
    a1 = InventoryAsset(name="a1", address="10.0.0.1", zone="z", credentials="ops")
    inv = Inventory(source="x", assets=[a1], credentials={"ops": {"ssh": {"username": "u", "password": {"env": "OPS_PW"}}}})
    job = SimpleNamespace(opts=LiveOptions(known_hosts=Path("kh")), inv=inv)
    z = _Zone("z", [a1])
    pending = {}
    scan = _Scan(ZoneRunner("amqp://x@h//", scan_id="S"), _App(), None, job, Handover([], threading.Event().is_set),
                 {"z": z}, pending, b"k" * 16)
    scan._send(z)
    (args, options), = sent
    assert args[0]["asset"]["name"] == "a1" and args[0]["credentials"]["ops"]["ssh"]["password"]["env"] == "OPS_PW"
    assert (options["argsrepr"], options["kwargsrepr"]) == ("('a1',)", "{}")
    assert options["queue"] == "mlps.zone.z" and pending == {"t1": (a1, z)} and z.sent
