"""`mlps lab up|down|status`: run the device simulator in the background and know where it is."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SPEC = ROOT / "inventories" / "lab" / "lab.yaml"
DEFAULT_STATE = Path(os.environ.get("MLPS_LAB_STATE", f"/tmp/mlps-lab-{os.getuid()}"))


class LabError(Exception):
    pass


def _ports(spec: Path) -> list[int]:
    return [int(d["port"]) for d in yaml.safe_load(spec.read_text(encoding="utf-8"))["devices"]]


def _pid(state: Path) -> int | None:
    try:
        pid = int((state / "simulator.pid").read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def _ssh_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            return s.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def up(spec: Path = DEFAULT_SPEC, state: Path = DEFAULT_STATE, timeout: float = 30.0) -> int:
    """Start the simulator (if not running) and wait until every device answers SSH. Returns its pid."""
    state.mkdir(parents=True, exist_ok=True)
    pid = _pid(state)
    if pid:
        return pid
    log = (state / "simulator.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "scanner.lab.simulator", "--spec", str(spec), "--state", str(state)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            cwd=ROOT)
    (state / "simulator.pid").write_text(str(proc.pid))
    (state / "spec").write_text(str(spec.resolve()))
    ports = _ports(spec)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise LabError(f"simulator exited: see {state / 'simulator.log'}")
        if all(_ssh_ready(p) for p in ports):
            return proc.pid
        time.sleep(0.1)
    down(state)
    raise LabError(f"simulator not ready after {timeout:.0f}s: see {state / 'simulator.log'}")


def down(state: Path = DEFAULT_STATE) -> bool:
    pid = _pid(state)
    if pid is None:
        return False
    os.killpg(pid, signal.SIGTERM)
    for _ in range(50):
        try:
            os.waitpid(pid, os.WNOHANG)      # reap it when this process started it
        except ChildProcessError:
            pass
        if _pid(state) is None:
            break
        time.sleep(0.1)
    (state / "simulator.pid").unlink(missing_ok=True)
    return True


def status(state: Path = DEFAULT_STATE) -> dict:
    pid = _pid(state)
    spec = Path((state / "spec").read_text()) if (state / "spec").exists() else DEFAULT_SPEC
    devices = yaml.safe_load(spec.read_text(encoding="utf-8"))["devices"] if spec.exists() else []
    return {"running": pid is not None, "pid": pid, "spec": str(spec),
            "devices": [{"name": d["name"], "port": d["port"], "up": pid is not None and _ssh_ready(int(d["port"]))}
                        for d in devices]}
