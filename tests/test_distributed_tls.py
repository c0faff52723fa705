"""The zone collectors through a TLS broker (issue 13 must-have 1: "TLS documented"): a real RabbitMQ that listens
with TLS only, its certificate issued by a private CA made here; the collector and the centre trust that CA through
the MLPS_BROKER_CA setting and verify the broker's certificate and name. A client that does not trust the CA, or
that reaches the broker under a name its certificate does not carry, is refused: nothing goes over an unverified
connection."""
from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from zonelab import ROOT, start_devices, start_rabbitmq, start_worker, start_zone, stop_broker, stop_zone

pytestmark = pytest.mark.live
BROKER_PORT, EPMD_PORT, DIST_PORT, OTHER_NAME_PORT, DEVICE_PORT = 29011, 29012, 29013, 29014, 29021
ZONE = "zone-tls"


def _issue(subject_cn: str, signer=None, sans=(), ca: bool = False):
    """A key and certificate (self-signed when no signer: a CA), PEM bytes."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    issuer_key, issuer = (key, subject) if signer is None else (signer[0], signer[1].subject)
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
         .not_valid_after(now + datetime.timedelta(days=1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    cert = b.sign(issuer_key, hashes.SHA256())
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key, cert, pem_key, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def tls_zone():
    """The broker's certificate names 127.0.0.1 only (kombu connects to `localhost` as 127.0.0.1 anyway)."""
    from cryptography import x509
    if os.geteuid() != 0:
        pytest.fail("the zone namespace needs root (unshare, nsenter)")
    work = Path(tempfile.mkdtemp(prefix="mlps-tls-"))
    pki = work / "pki"
    pki.mkdir()
    ca = _issue("mlps test CA", ca=True)
    other_ca = _issue("another CA", ca=True)
    server = _issue("127.0.0.1", signer=ca, sans=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    for name, (_, _, pem_key, pem_cert) in (("ca", ca), ("other-ca", other_ca), ("server", server)):
        (pki / f"{name}.pem").write_bytes(pem_cert)
        (pki / f"{name}.key").write_bytes(pem_key)
        (pki / f"{name}.key").chmod(0o600)
    pw = "Zn-" + secrets.token_urlsafe(12)
    broker, zone = None, None
    try:
        broker = start_rabbitmq(work / "broker", BROKER_PORT, EPMD_PORT, DIST_PORT, "Bk-" + secrets.token_urlsafe(12),
                                tls={"ca": pki / "ca.pem", "cert": pki / "server.pem", "key": pki / "server.key"})
        zone = start_zone(ZONE, work / ZONE, BROKER_PORT)
        start_devices(zone, {"t-core": ("core-sw1", DEVICE_PORT, {})}, pw)
        start_worker(zone, "worker", broker, {"PW_ZONE": pw, "MLPS_BROKER_CA": str(pki / "ca.pem")})
        yield {"broker": broker, "zone": zone, "pki": pki, "work": work}
    finally:
        if zone is not None:
            stop_zone(zone)
        if broker is not None:
            stop_broker(broker)
        subprocess.run(["rm", "-rf", str(work)])


def _scan(tmp_path: Path, broker, url: str, ca: Path | None) -> dict:
    import json
    inv = tmp_path / "inv.yaml"
    inv.write_text(yaml.safe_dump({
        "zones": {ZONE: {"exposure": "internal"}},
        "credentials": {"z": {"ssh": {"username": "netops", "password": {"env": "PW_ZONE"}}}},
        "assets": [{"name": "t-core", "address": "127.0.0.1", "port": DEVICE_PORT, "zone": ZONE, "credentials": "z",
                    "platform": "huawei_vrp"}]}))
    out = tmp_path / "out"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
           "MLPS_BROKER_PASSWORD": broker.password, **({"MLPS_BROKER_CA": str(ca)} if ca else {})}
    r = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", str(inv), "--out", str(out), "--known-hosts",
                        str(tmp_path / "kh"), "--trust-new-hosts", "--format", "json", "--quiet", "--broker", url,
                        "--collector-deadline", "5"], capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    assert (out / "scan.json").exists(), r.stdout[-3000:] + r.stderr[-3000:]
    scan = json.loads((out / "scan.json").read_text())
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    assert broker.password not in r.stderr + json.dumps(scan)
    return scan


def test_a_scan_through_a_tls_broker_whose_ca_is_trusted(tls_zone, tmp_path):
    b = tls_zone["broker"]
    scan = _scan(tmp_path, b, b.url, tls_zone["pki"] / "ca.pem")
    assert [(a["name"], a["status"]) for a in scan["assets"]] == [("t-core", "assessed")], scan["assets"][0].get("reason")
    assert scan["assets"][0]["capture"]["collector"].startswith(f"{ZONE}/")
    assert "t-core: collected" in tls_zone["zone"].log("worker")


@pytest.mark.parametrize("ca", [None, "other-ca.pem"], ids=["system-CAs", "another-CA"])
def test_a_client_that_does_not_trust_the_brokers_ca_is_refused(tls_zone, tmp_path, ca):
    b = tls_zone["broker"]
    scan = _scan(tmp_path, b, b.url, tls_zone["pki"] / ca if ca else None)
    a = scan["assets"][0]
    assert (a["status"], a["reason_code"]) == ("error", "no_collector")
    assert "cannot be used" in a["reason"] and "CERTIFICATE_VERIFY_FAILED" in a["reason"], a["reason"]


def test_a_broker_reached_under_a_name_its_certificate_lacks_is_refused(tls_zone, tmp_path):
    """The right CA, the wrong name: the same broker reached as 127.0.0.2 (a socat on this machine carries the
    bytes; TLS is end to end), a name its certificate does not carry. A CA that signs for many hosts must not let
    one of them stand for another."""
    from zonelab import stop, wait_for
    b = tls_zone["broker"]
    relay = subprocess.Popen(["socat", f"TCP-LISTEN:{OTHER_NAME_PORT},bind=127.0.0.2,reuseaddr,fork",
                              f"TCP:127.0.0.1:{BROKER_PORT}"], start_new_session=True)
    try:
        wait_for(lambda: subprocess.run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.2/{OTHER_NAME_PORT}"],
                                        capture_output=True).returncode == 0, 20, "relay not listening")
        scan = _scan(tmp_path, b, f"amqps://{b.user}@127.0.0.2:{OTHER_NAME_PORT}//", tls_zone["pki"] / "ca.pem")
    finally:
        stop(relay)
    a = scan["assets"][0]
    assert (a["status"], a["reason_code"]) == ("error", "no_collector")
    assert "cannot be used" in a["reason"] and "not valid for '127.0.0.2'" in a["reason"], a["reason"]
