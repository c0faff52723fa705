"""SSH to devices — paramiko, with the CLI session read by `sshchannel.Shell` (our own, so every output is tied to
its command; see there).

Every command is checked against the platform's read-only allowlist before it leaves the scanner. Host keys are
verified against a known-hosts file; `trust_new` records keys of hosts seen for the first time, and a changed
key always stops that device. Weak algorithms are offered only to assets that allow legacy algorithms.
"""
from __future__ import annotations

import logging
import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import paramiko

from scanner.platforms.base import SessionProfile
from scanner.safeio import private_dir, write_private
from scanner.transport.errors import CollectError, CommandRefused
from scanner.transport.sshalgos import algorithms_document, disabled_algorithms, transport_class
from scanner.transport.sshchannel import DEFAULT_MAX_OUTPUT, Shell

__all__ = ["CollectError", "CommandRefused", "KnownHosts", "Timeouts", "collect_linux", "collect_network",
           "server_banner"]
logging.getLogger("paramiko").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 10.0
    auth: float = 15.0
    command: float = 120.0


class KnownHosts:
    """The known_hosts file, loaded once and shared by all worker threads.

    Keys are checked before authentication by `policy()`, a paramiko MissingHostKeyPolicy: the client keeps no
    host keys of its own, so paramiko asks the policy about every server, and the policy answers from memory.
    """

    def __init__(self, path: Path, trust_new: bool):
        self.path = path
        self.trust_new = trust_new
        self._lock = threading.Lock()
        private_dir(path.parent)
        if not path.exists():
            write_private(path, "")
        self._keys = paramiko.HostKeys(str(path))

    @staticmethod
    def entry(host: str, port: int) -> str:
        return host if port == 22 else f"[{host}]:{port}"

    def check(self, host: str, port: int, key: paramiko.PKey) -> None:
        name = self.entry(host, port)
        with self._lock:
            known = self._keys.lookup(name)
            if known is not None and key.get_name() in known:
                if known[key.get_name()] != key:
                    raise paramiko.BadHostKeyException(name, key, known[key.get_name()])
                return
            if known is not None and known:
                # the host is known under another key type: treat a different type as a changed key
                other = next(iter(known.values()))
                raise paramiko.BadHostKeyException(name, key, other)
            if not self.trust_new:
                raise paramiko.SSHException(f"Server {name!r} not found in known_hosts")
            self._keys.add(name, key.get_name(), key)
            with self.path.open("a", encoding="ascii") as f:      # one line per write: append-only, no rewrite
                f.write(f"{name} {key.get_name()} {key.get_base64()}\n")

    def policy(self, port: int) -> paramiko.MissingHostKeyPolicy:
        known = self

        class _Policy(paramiko.MissingHostKeyPolicy):
            def missing_host_key(self, client, hostname, key):
                host = hostname[1:].split("]:")[0] if hostname.startswith("[") else hostname
                known.check(host, port, key)
        return _Policy()


def server_banner(host: str, port: int, timeout: float) -> str:
    """The SSH server's version string (e.g. SSH-2.0-HUAWEI-1.5), read without authenticating."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            data = b""
            while b"\n" not in data and len(data) < 512:
                chunk = s.recv(256)
                if not chunk:
                    break
                data += chunk
    except OSError as e:
        raise CollectError("unreachable", f"TCP connection to {host}:{port} failed: {e.strerror or e}") from None
    return data.split(b"\n")[0].decode("ascii", "replace").strip()


def collect_network(host: str, port: int, username: str, password: str | None, key_file: str | None,
                    profile: SessionProfile, wanted: dict[str, str], known: KnownHosts,
                    timeouts: Timeouts = Timeouts(), legacy: bool = False,
                    max_output: int = DEFAULT_MAX_OUTPUT) -> tuple[dict[str, str], dict[str, str]]:
    """Run the wanted commands (logical name -> command). Returns (outputs, rejected: name -> message); outputs
    also hold `ssh_algorithms`, the server's algorithm offer."""
    for cmd in wanted.values():
        if cmd not in profile.allowed:
            raise CommandRefused(cmd)
    client = _connect(host, port, username, password, key_file, known, timeouts, legacy)
    outputs: dict[str, str] = {}
    rejected: dict[str, str] = {}
    try:
        algos = algorithms_document(client.get_transport())
        if algos is not None:
            outputs["ssh_algorithms"] = algos
        try:
            channel = client.invoke_shell(term="vt100", width=511, height=1000)
        except (paramiko.SSHException, OSError, EOFError) as e:
            raise CollectError("connection_lost", f"the device refused or closed the shell: {type(e).__name__}") \
                from None
        shell = Shell(channel, max_output)
        shell.find_prompt(re.compile(profile.prompt_shape), profile.prompt_re, timeouts.auth,
                          tuple(re.compile(q, re.IGNORECASE) for q in profile.login_questions))
        for cmd in profile.paging:           # paging off, with the same reader: a drop here is connection_lost
            shell.run(cmd, timeouts.command)
        for logical, cmd in wanted.items():
            if cmd not in profile.allowed:      # re-checked at the point of sending
                raise CommandRefused(cmd)
            out = shell.run(cmd, timeouts.command)
            if profile.rejected(out):
                rejected[logical] = out.strip().splitlines()[-1][:200] if out.strip() else "rejected"
            else:
                outputs[logical] = out
        try:
            channel.sendall((profile.quit + "\n").encode())
        except (OSError, EOFError, paramiko.SSHException):
            pass
    finally:
        client.close()
    return outputs, rejected


def _connect(host: str, port: int, username: str, password: str | None, key_file: str | None, known: KnownHosts,
             timeouts: Timeouts, legacy: bool) -> paramiko.SSHClient:
    """An authenticated SSH client, or a CollectError with the reason."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(known.policy(port))
    started = time.monotonic()
    try:
        client.connect(host, port=port, username=username, password=password, key_filename=key_file,
                       look_for_keys=False, allow_agent=False, timeout=timeouts.connect,
                       banner_timeout=timeouts.auth, auth_timeout=timeouts.auth,
                       disabled_algorithms=disabled_algorithms(legacy), transport_factory=transport_class(legacy))
        return client
    except BaseException as e:
        t = client.get_transport()
        client.close()
        if "No existing session" in str(e) and t is not None and not t.remote_version:
            # paramiko sometimes reports a missing banner only as "No existing session"
            if time.monotonic() - started >= timeouts.auth:
                e = paramiko.SSHException("Error reading SSH protocol banner")
        raise _connect_error(e, host, port, username, known, timeouts, legacy) from None


def _connect_error(e: BaseException, host: str, port: int, username: str, known: KnownHosts, timeouts: Timeouts,
                   legacy: bool) -> BaseException:
    if isinstance(e, paramiko.BadHostKeyException):
        return CollectError("host_key_changed", f"host key of {host}:{port} differs from {known.path}: "
                            "possible man-in-the-middle; verify and update the known-hosts entry")
    if isinstance(e, paramiko.AuthenticationException):
        return CollectError("auth_failed", f"authentication failed for user {username}")
    if isinstance(e, paramiko.SSHException) and "Incompatible ssh peer" in str(e):   # paramiko's IncompatiblePeer
        hint = "" if legacy else (" (old devices: allow legacy algorithms for this asset with ssh_legacy: true "
                                  "in the inventory; the report then flags them)")
        return CollectError("ssh_algorithm_mismatch", f"no SSH algorithm in common with {host}:{port}: {e}{hint}")
    if isinstance(e, paramiko.SSHException):
        text = str(e)
        if "not found in known_hosts" in text:
            return CollectError("host_key_unknown", f"{host}:{port} is not in {known.path} (scan once with "
                                "--trust-new-hosts to record it)")
        if "protocol banner" in text:       # a hung or very slow sshd: TCP open, no SSH banner in time
            return CollectError("timeout", f"no SSH banner from {host}:{port} within {timeouts.auth:.0f}s")
        if "No existing session" in text or "closed" in text.lower():
            return CollectError("connection_lost", f"{host}:{port} closed the connection during login")
        return CollectError("ssh_error", f"SSH error: {text[:200]}")
    if isinstance(e, (socket.timeout, TimeoutError)):
        return CollectError("timeout", f"no SSH answer from {host}:{port} within {timeouts.connect:.0f}s")
    if isinstance(e, EOFError):
        return CollectError("connection_lost", f"{host}:{port} closed the connection during login")
    if isinstance(e, OSError):
        return CollectError("unreachable", f"TCP connection to {host}:{port} failed: {e.strerror or e}")
    return e


def collect_linux(host: str, port: int, username: str, password: str | None, key_file: str | None, script: str,
                  allowed: frozenset[str], known: KnownHosts, timeouts: Timeouts = Timeouts(),
                  legacy: bool = False, max_output: int = DEFAULT_MAX_OUTPUT) -> str:
    """Run the read-only collection script over one exec channel (nothing is installed or written)."""
    if script not in allowed:
        raise CommandRefused(script[:60] + "...")
    client = _connect(host, port, username, password, key_file, known, timeouts, legacy)
    try:
        _, stdout, _ = client.exec_command(script, timeout=timeouts.command)
        data = bytearray()
        try:
            while chunk := stdout.read(65536):
                data += chunk
                if len(data) > max_output:
                    raise CollectError("output_too_large", f"the collection script's output exceeds {max_output} "
                                       "bytes: not assessed")
        except socket.timeout:
            raise CollectError("command_timeout", f"collection did not finish within {timeouts.command:.0f}s") from None
        if not data:
            raise CollectError("connection_lost", "the exec channel closed with no output")
        return data.decode("utf-8", "replace")
    except (paramiko.SSHException, EOFError, OSError) as e:
        raise CollectError("connection_lost", f"connection lost during collection: {type(e).__name__}") from None
    finally:
        client.close()
