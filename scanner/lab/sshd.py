"""A throwaway real OpenSSH sshd on 127.0.0.1 for the Linux tests and benchmarks: ed25519 host and client keys
made on the spot, root login by that key only, no PAM. Needs root and openssh-server (`make` installs it)."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")


def start_sshd(d: Path, port: int, timeout: float = 15.0) -> tuple[subprocess.Popen, dict]:
    """Start sshd with its files in `d`; returns the process and {port, user, key, host_key}."""
    for k in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / k)], check=True)
    (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n"
        f"AuthorizedKeysFile {d}/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nPermitRootLogin prohibit-password\nStrictModes no\n")
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(d / "sshd_config")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(4).startswith(b"SSH-"):
                    return proc, {"port": port, "user": "root", "key": str(d / "client_key"),
                                  "host_key": str(d / "host_key.pub")}
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise TimeoutError(f"sshd on {port} not ready")
