"""Linux test hosts the way an assessor meets them, on this machine (root): one per folder of
tests/fixtures/nshosts/<name>/ (an /etc tree, host.yaml, expected.yaml).

Each host is `unshare --mount --pid --net`: a mount namespace whose /etc is a copy of this machine's /etc with the
host's tree laid over it (the folders in `replace` taken only from the tree), private tmpfs /run (faillock tallies
in /run/faillock), /var/log, /root and /home, and a private /dev holding only the usual device nodes (so rsyslogd's
/dev/log is the host's own); a PID namespace, so `ps` shows only that host's daemons (rsyslogd running or not); a
network namespace, so `ss -tuln` shows only its listeners. A real OpenSSH sshd runs inside on port 22.

The scanner reaches it over real SSH on 127.0.0.1:<port>: a socat on this machine forwards each connection into the
namespace (`nsenter -t <init> -n socat STDIO TCP:127.0.0.1:22`). socat rather than a veth pair: no address, route
or interface name is added to this machine's network, so nothing can collide with what other tests use, and a
stopped host leaves nothing behind but a closed port.

Two stand-ins replace what a namespace cannot have: `systemctl is-active` (no systemd) answers from the daemons
running in the PID namespace, and `auditctl -l` (no access to the kernel audit system) lists the rules of
/etc/audit/rules.d while a process named auditd runs. Both are named as stand-ins in the scripts they install.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HOSTS = Path(__file__).parent / "fixtures" / "nshosts"

SYSTEMCTL = """#!/bin/sh
# mlps test-host stand-in for `systemctl is-active` (no systemd in a namespace host): a unit is active while its
# daemon runs in this PID namespace.
[ "$1" = is-active ] || exit 1
shift
rc=3
for u in "$@"; do
  case "$u" in
    rsyslog) p=rsyslogd ;; ssh|sshd) p=sshd ;; chrony) p=chronyd ;; clamav-daemon|clamd@scan) p=clamd ;;
    *) p="$u" ;;
  esac
  if pgrep -x "$p" >/dev/null; then echo active; rc=0; else echo inactive; fi
done
exit $rc
"""
AUDITCTL = """#!/bin/sh
# mlps test-host stand-in for `auditctl -l` (no kernel audit access in a namespace): the rules augenrules loads
# from /etc/audit/rules.d, while auditd runs.
[ "$1" = -l ] || exit 1
pgrep -x auditd >/dev/null || { echo "No rules"; exit 0; }
grep -h '^-[wa] ' /etc/audit/rules.d/*.rules
"""


@dataclass
class NsHost:
    name: str
    port: int
    work: Path
    key: Path                                            # the client key every account accepts (0600)
    password_files: dict[str, Path] = field(default_factory=dict)   # account -> 0600 file
    init_pid: int = 0                                    # the namespace's init, as this machine sees it
    procs: list[subprocess.Popen] = field(default_factory=list)

    def password(self, account: str) -> str:
        return self.password_files[account].read_text().strip()

    def run(self, *cmd: str) -> str:
        """A command inside the host's namespaces (the way its own root shell would run it)."""
        return subprocess.run(["nsenter", "-t", str(self.init_pid), "-m", "-n", "-p", *cmd], capture_output=True,
                              text=True, timeout=30).stdout


def _hash(password: str, scheme: str) -> str:
    return subprocess.run(["openssl", "passwd", "-1" if scheme == "md5" else "-6", "-stdin"], input=password,
                          capture_output=True, text=True, check=True).stdout.strip()


def _secret_file(path: Path, value: str) -> Path:
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return path


def _etc(tree: Path, etc: Path, replace: list[str]) -> None:
    subprocess.run(["cp", "-a", "/etc", str(etc)], check=True)
    for d in replace:
        shutil.rmtree(etc / d, ignore_errors=True)
    subprocess.run(["cp", "-a", f"{tree}/etc/.", str(etc)], check=True)
    for p in [etc / "sudoers", *(etc / "sudoers.d").glob("*")]:
        if p.exists():
            p.chmod(0o440)
    for k in (etc / "ssh").glob("ssh_host_*"):
        k.unlink()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(etc / "ssh" / "ssh_host_ed25519_key")],
                   check=True)


def _accounts(h: NsHost, spec: dict) -> list[str]:
    """Shell lines run inside the namespace: make the accounts with their hashes, keys and lifetimes."""
    lines = []
    for name, acct in (spec.get("accounts") or {}).items():
        home = "/root" if name == "root" else f"/home/{name}"
        if name != "root":
            lines.append(f"useradd -m -s /bin/bash {name}")
        if acct.get("empty"):
            lines.append(f"usermod -p '' {name}")
        elif acct.get("password"):
            pw = secrets.token_urlsafe(12) + "#7a"
            h.password_files[name] = _secret_file(h.work / "secrets" / name, pw)
            lines.append(f"usermod -p '{_hash(pw, acct.get('hash', 'sha512'))}' {name}")
        if acct.get("max_days"):
            lines.append(f"chage -M {int(acct['max_days'])} {name}")
        if acct.get("key"):
            lines += [f"mkdir -p {home}/.ssh", f"cp {h.key}.pub {home}/.ssh/authorized_keys",
                      f"chown -R {name}: {home}/.ssh", f"chmod 700 {home}/.ssh"]
    return lines


def _init_script(h: NsHost, spec: dict) -> str:
    w = h.work
    daemons = spec.get("daemons") or []
    lines = ["set -e", f"mount --bind {w}/etc /etc", f"mkdir -p {w}/dev/pts"]
    for n in ("null", "zero", "full", "random", "urandom", "tty"):
        lines += [f"touch {w}/dev/{n}", f"mount --bind /dev/{n} {w}/dev/{n}"]
    lines += [f"mount -t devpts -o newinstance,ptmxmode=0666 devpts {w}/dev/pts", f"ln -sf pts/ptmx {w}/dev/ptmx",
              f"mount --rbind {w}/dev /dev",
              "mount -t tmpfs -o mode=755 tmpfs /run", "mkdir -p /run/sshd /run/faillock /run/lock",
              "mount -t tmpfs tmpfs /var/log", "mount -t tmpfs -o mode=700 tmpfs /root", "mount -t tmpfs -o mode=755 tmpfs /home",
              "[ -d /var/spool/rsyslog ] && mount -t tmpfs tmpfs /var/spool/rsyslog || true",
              f"mount --bind {w}/bin/systemctl /usr/bin/systemctl", "ip link set lo up"]
    if "auditd" in daemons:
        lines += ["mount -t tmpfs tmpfs /usr/local/sbin", f"cp {w}/bin/auditctl /usr/local/sbin/auditctl"]
    lines += _accounts(h, spec)
    lines.append("/usr/sbin/sshd -E /var/log/sshd.log")
    if "rsyslogd" in daemons:
        lines.append("/usr/sbin/rsyslogd")
    if "auditd" in daemons:     # a process named auditd: the kernel side cannot run here (see auditctl above)
        lines += ["cp /bin/sleep /run/auditd", "/run/auditd infinity &"]
    lines += ["cp /bin/sleep /run/init", f"touch {w}/ready", "exec /run/init infinity"]
    return "\n".join(lines) + "\n"


def _wait(cond, timeout: float, what: str) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return
        time.sleep(0.1)
    raise TimeoutError(what)


def _ssh_banner(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.settimeout(2)
            return s.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def start_host(name: str, port: int, work: Path) -> NsHost:
    tree = HOSTS / name
    spec = yaml.safe_load((tree / "host.yaml").read_text())
    work.mkdir(parents=True)
    h = NsHost(name, port, work, work / "client_key")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(h.key)], check=True)
    _etc(tree, work / "etc", spec.get("replace") or [])
    (work / "bin").mkdir()
    for script, text in (("systemctl", SYSTEMCTL), ("auditctl", AUDITCTL)):
        (work / "bin" / script).write_text(text)
        (work / "bin" / script).chmod(0o755)
    (work / "init.sh").write_text(_init_script(h, spec))
    log = open(work / "init.log", "w")
    unshare = subprocess.Popen(["unshare", "--mount", "--pid", "--net", "--fork", "--mount-proc", "--propagation",
                                "private", "sh", str(work / "init.sh")], stdout=log, stderr=log, start_new_session=True)
    h.procs.append(unshare)
    try:
        _wait(lambda: (work / "ready").exists() or unshare.poll() is not None, 30, f"{name}: namespace not ready")
        if unshare.poll() is not None:
            raise RuntimeError(f"{name}: init failed: {(work / 'init.log').read_text()[-2000:]}")
        children = Path(f"/proc/{unshare.pid}/task/{unshare.pid}/children").read_text().split()
        h.init_pid = int(children[0])
        h.procs.append(subprocess.Popen(
            ["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork",
             f"EXEC:nsenter -t {h.init_pid} -n socat STDIO TCP\\:127.0.0.1\\:22"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        _wait(lambda: _ssh_banner(port), 20, f"{name}: sshd not reachable on {port}")
    except BaseException:
        stop_host(h)
        raise
    return h


def stop_host(h: NsHost) -> None:
    """Stop the forwarder and the namespace's init (which ends every process of its PID namespace)."""
    for p in reversed(h.procs[1:]):
        p.terminate()
    if h.init_pid:
        try:
            os.kill(h.init_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for p in h.procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
    shutil.rmtree(h.work, ignore_errors=True)      # the /etc copy holds this machine's shadow file
