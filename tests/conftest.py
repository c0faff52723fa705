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


def _wait_ssh(port: int, timeout: float = 15.0) -> None:
    import socket
    import time
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(4).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"sshd on {port} not ready")


SSHD_PORT = 32222


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    """A real OpenSSH sshd on 127.0.0.1:32222, root login with a throwaway key (installed by `make test`)."""
    if not Path("/usr/sbin/sshd").exists():
        pytest.fail("openssh-server is not installed: run `make test`, which installs it")
    d = tmp_path_factory.mktemp("sshd")
    for k in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / k)], check=True)
    (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
    (d / "sshd_config").write_text(
        f"Port {SSHD_PORT}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n"
        f"AuthorizedKeysFile {d}/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nPermitRootLogin prohibit-password\nStrictModes no\n")
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    p = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(d / "sshd_config")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ssh(SSHD_PORT)
        yield {"port": SSHD_PORT, "user": "root", "key": str(d / "client_key"), "host_key": str(d / "host_key.pub")}
    finally:
        p.terminate()
        p.wait(5)
