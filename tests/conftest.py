from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.engine import ScanContext

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONFIGS = FIXTURES / "configs"
CORPUS = FIXTURES / "corpus"
EXPECTED = ROOT / "tests" / "expected"
MLPS = [sys.executable, "-m", "scanner.cli"]


@pytest.fixture(scope="session")
def ctx() -> ScanContext:
    return ScanContext.default()


def run_mlps(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([*MLPS, *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=120)


SSHD_PORT = 32222


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    """A real OpenSSH sshd on 127.0.0.1:32222, root login with a throwaway key (installed by `make test`)."""
    if not Path("/usr/sbin/sshd").exists():
        pytest.fail("openssh-server is not installed: run `make test`, which installs it")
    from scanner.lab.sshd import start_sshd
    p, info = start_sshd(tmp_path_factory.mktemp("sshd"), SSHD_PORT)
    try:
        yield info
    finally:
        p.terminate()
        p.wait(5)


SNMPD_PORT = 31161
SNMP_V3 = {"user": "mlpsv3", "auth": "AuthPass#2024", "priv": "PrivPass#2024"}


def _wait_snmp(port: int, community: str, timeout: float = 15.0) -> None:
    import time
    end = time.time() + timeout
    while time.time() < end:
        r = subprocess.run(["snmpget", "-v2c", "-c", community, "-t", "0.3", "-r", "0", "-On",
                            f"127.0.0.1:{port}", "1.3.6.1.2.1.1.5.0"], capture_output=True)
        if r.returncode == 0:
            return
        time.sleep(0.1)
    raise TimeoutError(f"snmpd on {port} not ready")


# auth/priv protocol pairs (net-snmp names) of extra v3 users, so the client is checked against every USM variant
SNMPD_EXTRA_USERS = (("MD5", "DES"), ("SHA-256", "AES-256"), ("SHA-512", "AES-192"), ("SHA-224", "AES"),
                     ("SHA", "AES-256"), ("SHA", "AES-192-C"), ("MD5", "AES-256-C"))   # -C: Cisco's (Reeder) key extension


@pytest.fixture(scope="session")
def snmpd(tmp_path_factory):
    """A real net-snmp snmpd (v2c + v3 authPriv) on udp 127.0.0.1:31161 (installed by `make test`)."""
    if not Path("/usr/sbin/snmpd").exists():
        pytest.fail("snmpd is not installed: run `make test`, which installs it")
    d = tmp_path_factory.mktemp("snmpd")
    (d / "persist").mkdir()
    (d / "snmpd.conf").write_text(
        f"[snmp] persistentDir {d}/persist\nagentAddress udp:127.0.0.1:{SNMPD_PORT}\n"
        "rocommunity mlps-ro 127.0.0.1\nrocommunity public 127.0.0.1\n"
        f'createUser {SNMP_V3["user"]} SHA "{SNMP_V3["auth"]}" AES "{SNMP_V3["priv"]}"\n'
        f'rouser {SNMP_V3["user"]} priv\nsysName test-snmpd\n'
        + "".join(f'createUser mlps-{a.lower()}-{x.lower()} {a} "{SNMP_V3["auth"]}" {x} "{SNMP_V3["priv"]}"\n'
                  f'rouser mlps-{a.lower()}-{x.lower()} priv\n' for a, x in SNMPD_EXTRA_USERS))
    p = subprocess.Popen(["/usr/sbin/snmpd", "-f", "-Lo", "-C", "-c", str(d / "snmpd.conf"), "-p", str(d / "snmpd.pid")],
                         env=dict(os.environ, MIBS=""), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_snmp(SNMPD_PORT, "mlps-ro")
        yield {"port": SNMPD_PORT, **SNMP_V3}
    finally:
        p.terminate()
        p.wait(5)
