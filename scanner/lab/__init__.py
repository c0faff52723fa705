"""`mlps lab up|down|status`: run the device simulator in the background and know where it is."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from scanner.datafiles import lab_dir

# The folder holding the `scanner` package: the simulator and the SNMP agent run as `python -m scanner.lab...`
# from there, so a source checkout without an install starts them too.
ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SPEC = lab_dir() / "lab.yaml"               # package data: the same lab from a checkout or a wheel
DEFAULT_INVENTORY = lab_dir() / "inventory.yaml"
DEFAULT_STATE = Path(os.environ.get("MLPS_LAB_STATE", f"/tmp/mlps-lab-{os.getuid()}"))


class LabError(Exception):
    pass


def _ports(spec: Path) -> list[int]:
    """The ports whose SSH banner tells that the simulator is up (not those faulted to be hung or slow sshds)."""
    def quiet(faults: dict) -> bool:
        return faults.get("hang_on") == "banner" or bool(faults.get("delay_s"))
    return [int(d["port"]) for d in yaml.safe_load(spec.read_text(encoding="utf-8"))["devices"]
            if not quiet(d.get("faults") or {})]


def _pid(state: Path, pidfile: str = "simulator.pid") -> int | None:
    try:
        pid = int((state / pidfile).read_text())
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


SNMP_DEFAULTS = {"port": 24161, "user": "labnms", "auth_env": "MLPS_LAB_SNMP_AUTH", "priv_env": "MLPS_LAB_SNMP_PRIV",
                 "auth_default": "Lab-Auth#2024", "priv_default": "Lab-Priv#2024"}


def snmp_settings(spec: Path) -> dict | None:
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    if not data.get("snmp"):
        return None
    return {**SNMP_DEFAULTS, **data["snmp"]}


def _start_snmp_agent(spec: Path, state: Path, timeout: float) -> None:
    """The lab's SNMP agent answers SNMPv3 for every network device of the lab; the v3 context name selects the
    device. A device's `snmp_community` (a default-community fault) is answered over v2c too."""
    from scanner.lab.snmprec import snmprec
    from scanner.transport.replay import read_capture
    conf = snmp_settings(spec)
    if conf is None:
        return
    data_dir = state / "snmp"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    communities = []
    for dev in yaml.safe_load(spec.read_text(encoding="utf-8"))["devices"]:
        cap = read_capture((spec.parent / dev["data"]).resolve())
        if cap.platform != "linux":
            (data_dir / f"{dev['name']}.snmprec").write_text(snmprec(cap), encoding="utf-8")
            if dev.get("snmp_community"):
                communities += ["--community", f"{dev['snmp_community']}={dev['name']}"]
            if (dev.get("faults") or {}).get("snmp"):        # a junk-answering agent for this device
                communities += ["--fault", f"{dev['name']}={dev['faults']['snmp']}"]
    auth = os.environ.get(conf["auth_env"], conf["auth_default"])
    priv = os.environ.get(conf["priv_env"], conf["priv_default"])
    log = (state / "snmpagent.log").open("w")
    ready = state / "snmpagent.ready"
    ready.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "scanner.lab.snmpagent", f"--data-dir={data_dir}", f"--port={conf['port']}",
           f"--ready={ready}",
           f"--user={conf['user']}", f"--auth-env={conf['auth_env']}", f"--priv-env={conf['priv_env']}", *communities]
    env = {**os.environ, conf["auth_env"]: auth, conf["priv_env"]: priv}      # keys by environment, not argv
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, cwd=ROOT, env=env)
    (state / "snmpagent.pid").write_text(str(proc.pid))
    from scanner.transport.snmp import SnmpAuth, collect_snmp
    first = next(p.stem for p in data_dir.glob("*.snmprec"))
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise LabError(f"the lab SNMP agent exited: see {state / 'snmpagent.log'}")
        if not ready.exists():            # not bound yet: an answer now could come from someone else's agent
            time.sleep(0.05)
            continue
        try:
            collect_snmp("127.0.0.1", conf["port"], SnmpAuth("v3", username=conf["user"], auth_key=auth,
                                                            priv_key=priv, context=first), timeout=0.5)
            return
        except Exception:
            time.sleep(0.1)
    raise LabError(f"the lab SNMP agent is not ready after {timeout:.0f}s: see {state / 'snmpagent.log'}")


def up(spec: Path = DEFAULT_SPEC, state: Path = DEFAULT_STATE, timeout: float = 30.0, processes: int = 1) -> int:
    """Start the simulator (if not running) and wait until every device answers SSH (and SNMP). Returns its pid.
    `processes`: how many processes serve the devices (the fleet benchmarks: one per CPU)."""
    spec = spec.resolve()
    state.mkdir(parents=True, exist_ok=True)
    pid = _pid(state)
    if pid:
        return pid
    try:
        _start_snmp_agent(spec, state, timeout)
    except LabError:
        _stop(state, "snmpagent.pid")
        raise
    log = (state / "simulator.log").open("w")
    (state / "simulator.ready").unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "scanner.lab.simulator", "--spec", str(spec), "--state", str(state),
                             "--processes", str(processes)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            cwd=ROOT)
    (state / "simulator.pid").write_text(str(proc.pid))
    (state / "spec").write_text(str(spec.resolve()))
    pending = list(_ports(spec))       # ports not yet seen answering (each is asked until it answers once)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            down(state)
            tail = (state / "simulator.log").read_text(errors="replace").strip().splitlines()[-1:]
            raise LabError(f"simulator exited ({tail[0] if tail else 'no output'}): see {state / 'simulator.log'}")
        # the ready file is written once every port is bound: only then can an answer be this simulator's
        if (state / "simulator.ready").exists():
            pending = [p for p in pending if not _ssh_ready(p)]
            if not pending:
                return proc.pid
        time.sleep(0.1)
    down(state)
    raise LabError(f"simulator not ready after {timeout:.0f}s: see {state / 'simulator.log'}")


def down(state: Path = DEFAULT_STATE) -> bool:
    _stop(state, "snmpagent.pid")
    return _stop(state, "simulator.pid")


def _stop(state: Path, pidfile: str) -> bool:
    pid = _pid(state, pidfile)
    if pid is None:
        return False
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    for _ in range(50):
        try:
            os.waitpid(pid, os.WNOHANG)      # reap it when this process started it
        except ChildProcessError:
            pass
        if _pid(state, pidfile) is None:
            break
        time.sleep(0.1)
    (state / pidfile).unlink(missing_ok=True)
    return True


def status(state: Path = DEFAULT_STATE) -> dict:
    pid = _pid(state)
    spec = Path((state / "spec").read_text()) if (state / "spec").exists() else DEFAULT_SPEC
    devices = yaml.safe_load(spec.read_text(encoding="utf-8"))["devices"] if spec.exists() else []
    return {"running": pid is not None, "pid": pid, "spec": str(spec),
            "devices": [{"name": d["name"], "port": d["port"], "up": pid is not None and _ssh_ready(int(d["port"]))}
                        for d in devices]}


def lab_secrets() -> dict[str, str]:
    """The lab's own throwaway credentials by environment variable (the environment overrides the defaults)."""
    from scanner.lab.simulator import DEFAULT_PASSWORD
    defaults = {"MLPS_LAB_PASSWORD": DEFAULT_PASSWORD, SNMP_DEFAULTS["auth_env"]: SNMP_DEFAULTS["auth_default"],
                SNMP_DEFAULTS["priv_env"]: SNMP_DEFAULTS["priv_default"]}
    return {k: os.environ.get(k, v) for k, v in defaults.items()}


def write_lab_inventory(state: Path = DEFAULT_STATE, inventory: Path | None = None) -> Path:
    """The lab's inventory for `mlps scan` with no set-up: a copy whose credential references point at 0600 secret
    files in the lab's state folder instead of environment variables. Returns its path."""
    from scanner.safeio import private_dir, write_private
    data = yaml.safe_load((inventory or DEFAULT_INVENTORY).read_text(encoding="utf-8"))
    secrets = private_dir(state / "secrets")
    values = lab_secrets()

    def to_file(node):
        if isinstance(node, dict):
            if set(node) == {"env"} and node["env"] in values:
                f = write_private(secrets / node["env"].lower(), values[node["env"]])
                return {"file": str(f)}
            return {k: to_file(v) for k, v in node.items()}
        if isinstance(node, list):
            return [to_file(v) for v in node]
        return node
    data["credentials"] = to_file(data.get("credentials") or {})
    head = "# The demo lab's inventory with its throwaway credentials in 0600 files (written by `mlps lab up`).\n"
    return write_private(state / "inventory.yaml", head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
