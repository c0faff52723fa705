"""Real pieces for the zone-collector tests (tests/test_distributed.py): a RabbitMQ broker on 127.0.0.1 with a user
and password, and zones as network namespaces.

A zone is `unshare --net`: its own loopback, so what listens there (the device simulator, playing the zone's
devices) is reachable from inside the zone only. The broker stays on this machine's 127.0.0.1; inside each zone a
socat listens on the same port and carries each connection out to it (`nsenter --net=<this machine's netns>`), the
way a collector in a firewalled zone is allowed out to the broker and nothing else. Every process is started here,
in its own session, and stopped by its pid.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LAB_RAW = ROOT / "scanner" / "lab" / "data" / "raw"


def wait_for(cond, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.1)
    raise TimeoutError(what)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a process this module started (and the session it leads) by its pid."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@dataclass
class Broker:
    port: int
    user: str
    password: str
    procs: list[subprocess.Popen] = field(default_factory=list)
    scheme: str = "amqp"
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:            # no password: it goes in MLPS_BROKER_PASSWORD
        return f"{self.scheme}://{self.user}@{self.host}:{self.port}//"


def start_rabbitmq(work: Path, port: int, epmd_port: int, dist_port: int, password: str,
                   tls: dict[str, Path] | None = None) -> Broker:
    """A private RabbitMQ node (its own epmd, data and logs under `work`), one user with a password; the default
    guest user is not created. With `tls` ({"ca", "cert", "key"}: PEM files) it listens with TLS only (amqps) and
    asks no client certificate (clients authenticate with the password, over TLS)."""
    work.mkdir(parents=True, exist_ok=True)
    listen = f"listeners.tcp.1 = 127.0.0.1:{port}\n"
    if tls:
        listen = (f"listeners.tcp = none\nlisteners.ssl.1 = 127.0.0.1:{port}\nssl_options.cacertfile = {tls['ca']}\n"
                  f"ssl_options.certfile = {tls['cert']}\nssl_options.keyfile = {tls['key']}\n"
                  "ssl_options.verify = verify_none\nssl_options.fail_if_no_peer_cert = false\n")
    (work / "rabbitmq.conf").write_text(f"{listen}default_user = mlps\n"
                                        f"default_pass = {password}\nloopback_users = none\n")
    (work / "plugins").write_text("[].\n")
    cookie = work / ".erlang.cookie"
    cookie.write_text("mlpszonetestcookie")
    cookie.chmod(0o400)
    env = {**os.environ, "HOME": str(work), "RABBITMQ_CONFIG_FILE": str(work / "rabbitmq"),
           "RABBITMQ_MNESIA_BASE": str(work / "mnesia"), "RABBITMQ_LOG_BASE": str(work / "log"),
           "RABBITMQ_NODENAME": f"mlpszones{port}@localhost", "ERL_EPMD_PORT": str(epmd_port),
           "RABBITMQ_DIST_PORT": str(dist_port), "RABBITMQ_ENABLED_PLUGINS_FILE": str(work / "plugins"),
           "RABBITMQ_PID_FILE": str(work / "pid")}
    b = Broker(port, "mlps", password, scheme="amqps" if tls else "amqp")
    log = open(work / "server.log", "w")
    b.procs.append(subprocess.Popen(["epmd", "-port", str(epmd_port)], env=env, stdout=log, stderr=log,
                                    start_new_session=True))
    b.procs.append(subprocess.Popen(["/usr/lib/rabbitmq/bin/rabbitmq-server"], env=env, stdout=log, stderr=log,
                                    cwd=work, start_new_session=True))
    try:
        wait_for(lambda: _listening(port) or b.procs[1].poll() is not None, 90, "rabbitmq did not start")
        if b.procs[1].poll() is not None:
            raise RuntimeError("rabbitmq failed: " + (work / "server.log").read_text()[-2000:])
    except BaseException:
        stop_broker(b)
        raise
    return b


def stop_broker(b: Broker) -> None:
    for p in reversed(b.procs):
        stop(p)


@dataclass
class Zone:
    name: str
    work: Path
    ns_pid: int = 0
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def inside(self, *cmd: str) -> list[str]:
        return ["nsenter", "-t", str(self.ns_pid), "-n", *cmd]

    def start(self, key: str, cmd: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.work / f"{key}.log", "w")
        p = subprocess.Popen(self.inside(*cmd), env=env, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True, cwd=ROOT)
        self.procs[key] = p
        return p

    def log(self, key: str) -> str:
        return (self.work / f"{key}.log").read_text(errors="replace")

    def reaches(self, port: int) -> bool:
        code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=1).close()"
        return subprocess.run(self.inside(sys.executable, "-c", code), capture_output=True).returncode == 0


def start_zone(name: str, work: Path, broker_port: int | None = None) -> Zone:
    work.mkdir(parents=True)
    z = Zone(name, work)
    holder = subprocess.Popen(["unshare", "--net", "--fork", "sh", "-c",
                               f"ip link set lo up && touch {work}/ready && exec sleep infinity"],
                              start_new_session=True)
    z.procs["ns"] = holder
    wait_for(lambda: (work / "ready").exists(), 20, f"zone {name}: namespace not ready")
    z.ns_pid = int(Path(f"/proc/{holder.pid}/task/{holder.pid}/children").read_text().split()[0])
    if broker_port is None:
        return z
    out = f"EXEC:nsenter --net=/proc/{os.getpid()}/ns/net socat STDIO TCP\\:127.0.0.1\\:{broker_port}"
    z.start("broker-link", ["socat", f"TCP-LISTEN:{broker_port},bind=127.0.0.1,reuseaddr,fork", out])
    wait_for(lambda: z.reaches(broker_port), 20, f"zone {name}: the broker link does not answer")
    return z


def start_devices(z: Zone, devices: dict[str, tuple[str, int, dict]], password: str) -> None:
    """The simulator inside the zone: name -> (lab capture folder, port, faults)."""
    spec = {"username": "netops", "password_env": "ZONE_LAB_PASSWORD",
            "devices": [{"name": n, "port": port, "data": str(LAB_RAW / data), "faults": faults}
                        for n, (data, port, faults) in devices.items()]}
    (z.work / "lab.yaml").write_text(yaml.safe_dump(spec))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZONE_LAB_PASSWORD": password}
    z.start("simulator", [sys.executable, "-m", "scanner.lab.simulator", "--spec", str(z.work / "lab.yaml"),
                          "--state", str(z.work / "lab-state")], env)
    wait_for(lambda: (z.work / "lab-state" / "simulator.ready").exists() or z.procs["simulator"].poll() is not None,
             60, f"zone {z.name}: simulator not ready")
    assert z.procs["simulator"].poll() is None, z.log("simulator")


def start_worker(z: Zone, key: str, broker: Broker, secrets: dict[str, str], threads: int = 4) -> subprocess.Popen:
    """`mlps worker` inside the zone, with this zone's secrets only (its environment is built, not inherited)."""
    env = {"PATH": os.environ["PATH"], "HOME": str(z.work), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
           "MLPS_BROKER_PASSWORD": broker.password, **secrets}
    p = z.start(key, [sys.executable, "-m", "scanner.cli", "worker", "--zone", z.name, "--broker", broker.url,
                      "--known-hosts", str(z.work / f"{key}-known_hosts"), "--trust-new-hosts",
                      "--threads", str(threads)], env)
    wait_for(lambda: "mlps worker:" in z.log(key) or p.poll() is not None, 60, f"{key}: worker did not start")
    assert p.poll() is None, z.log(key)
    return p


def stop_zone(z: Zone) -> None:
    for key, p in reversed(list(z.procs.items())):
        if key != "ns":
            stop(p)
    if z.ns_pid:
        try:
            os.kill(z.ns_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if "ns" in z.procs:
        stop(z.procs["ns"])


def start_bastion(z: Zone, outside_port: int) -> tuple[Path, Path]:
    """A real OpenSSH sshd inside the zone (port 22 of its loopback), reachable from this machine on
    127.0.0.1:`outside_port` through a socat: the bastion. Root logs in with a key (returned with the path of the
    bastion's host public key); TCP forwarding is allowed, as `ssh -J` needs."""
    d = z.work / "bastion"
    d.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / "host_key")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / "client_key")], check=True)
    (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
    (d / "sshd_config").write_text(
        f"ListenAddress 127.0.0.1:22\nHostKey {d}/host_key\nAuthorizedKeysFile {d}/authorized_keys\n"
        f"PidFile {d}/sshd.pid\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nUsePAM no\n"
        "StrictModes no\nAllowTcpForwarding yes\nPermitOpen any\n")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)      # sshd's privilege-separation folder
    z.start("sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", str(d / "sshd_config")])
    wait_for(lambda: z.reaches(22), 20, f"zone {z.name}: bastion sshd not up")
    fwd = f"EXEC:nsenter -t {z.ns_pid} -n socat STDIO TCP\\:127.0.0.1\\:22"
    log = open(z.work / "bastion-link.log", "w")
    z.procs["bastion-link"] = subprocess.Popen(["socat", f"TCP-LISTEN:{outside_port},bind=127.0.0.1,reuseaddr,fork",
                                                fwd], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(lambda: _listening(outside_port), 20, "bastion link not listening")
    return d / "client_key", d / "host_key.pub"
