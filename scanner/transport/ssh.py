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

from scanner.errors import ReasonCode
from scanner.platforms.base import Collection, SessionProfile
from scanner.safeio import private_dir, write_private
from scanner.transport.errors import CollectError, CommandRefused
from scanner.transport.sshalgos import algorithms_document, disabled_algorithms, transport_class
from scanner.transport.sshchannel import DEFAULT_MAX_OUTPUT, Shell

__all__ = ["CollectError", "CommandRefused", "KnownHosts", "Login", "SshPeer", "Timeouts", "collect", "collect_script",
           "collect_network", "server_banner", "ssh_failure"]
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
        self._keys = HostKeyIndex(path)

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
            self._keys.add(name, key)
            with self.path.open("a", encoding="ascii") as f:      # one line per write: append-only, no rewrite
                f.write(f"{name} {key.get_name()} {key.get_base64()}\n")

    def policy(self, port: int) -> paramiko.MissingHostKeyPolicy:
        known = self

        class _Policy(paramiko.MissingHostKeyPolicy):
            def missing_host_key(self, client, hostname, key):
                host = hostname[1:].split("]:")[0] if hostname.startswith("[") else hostname
                known.check(host, port, key)
        return _Policy()


class HostKeyIndex:
    """A known_hosts file (OpenSSH format, each line read as paramiko reads it) indexed by host name. paramiko's
    HostKeys scans every entry on each lookup and add: quadratic over a fleet of thousands (10 000 devices: 50
    million comparisons). Plain names are looked up in a dict; hashed names (`|1|salt|hash`, HashKnownHosts) are
    hashed with each entry's salt, as OpenSSH does. The first key of a type for a name wins, as in paramiko."""

    def __init__(self, path: Path) -> None:
        self.plain: dict[str, dict[str, paramiko.PKey]] = {}
        self.hashed: list[tuple[str, str, paramiko.PKey]] = []
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                line = line.strip()
                if not line or line[0] == "#":
                    continue
                try:
                    entry = paramiko.hostkeys.HostKeyEntry.from_line(line, lineno)
                except (paramiko.SSHException, paramiko.hostkeys.InvalidHostKey, ValueError):
                    continue            # paramiko's HostKeys raises on a bad key: one bad line must not stop a scan
                if entry is None or entry.key is None:
                    continue
                for host in entry.hostnames:
                    self._put(host, entry.key, replace=False)

    def _put(self, host: str, key: paramiko.PKey, replace: bool) -> None:
        if host.startswith("|1|"):
            self.hashed.append((host, key.get_name(), key))
        elif replace:
            self.plain.setdefault(host, {})[key.get_name()] = key
        else:
            self.plain.setdefault(host, {}).setdefault(key.get_name(), key)

    def lookup(self, host: str) -> dict[str, paramiko.PKey] | None:
        found = dict(self.plain.get(host, {}))
        for hashed, kind, key in self.hashed:
            if kind not in found and paramiko.HostKeys.hash_host(host, hashed) == hashed:
                found[kind] = key
        return found or None

    def add(self, host: str, key: paramiko.PKey) -> None:
        self._put(host, key, replace=True)


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
        raise CollectError(ReasonCode.UNREACHABLE,
                           f"TCP connection to {host}:{port} failed: {e.strerror or e}") from None
    return data.split(b"\n")[0].decode("ascii", "replace").strip()


def collect_network(host: str, port: int, username: str, password: str | None, key_file: str | None,
                    profile: SessionProfile, wanted: dict[str, str], known: KnownHosts,
                    timeouts: Timeouts = Timeouts(), legacy: bool = False,
                    max_output: int = DEFAULT_MAX_OUTPUT, via: tuple = ()) -> tuple[dict[str, str], dict[str, str]]:
    """Run the wanted commands (logical name -> command). Returns (outputs, rejected: name -> message); outputs
    also hold `ssh_algorithms`, the server's algorithm offer. `via`: jump hosts (scanner/transport/jump.py)."""
    for cmd in wanted.values():
        if cmd not in profile.allowed:
            raise CommandRefused(cmd)
    peer = SshPeer(host, port, username, known.path, timeouts, legacy)
    client = _connect(peer, password, key_file, known, via)
    outputs: dict[str, str] = {}
    rejected: dict[str, str] = {}
    try:
        algos = algorithms_document(client.get_transport())
        if algos is not None:
            outputs["ssh_algorithms"] = algos
        try:
            channel = client.invoke_shell(term="vt100", width=511, height=1000)
        except (paramiko.SSHException, OSError, EOFError) as e:
            raise ssh_failure(e, peer, "the shell request") from None
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


@dataclass(frozen=True, slots=True)
class SshPeer:
    """Who a session talks to, as the error messages name it."""
    host: str
    port: int
    username: str
    known_hosts: Path | str
    timeouts: Timeouts = Timeouts()
    legacy: bool = False


class _Client(paramiko.SSHClient):
    """A client whose session may run through jump hosts: closing it closes them too."""

    def __init__(self, hops: list[paramiko.SSHClient]) -> None:
        super().__init__()
        self.hops = hops

    def close(self) -> None:
        super().close()
        for hop in reversed(self.hops):
            hop.close()


def _connect(peer: SshPeer, password: str | None, key_file: str | None, known: KnownHosts,
             via: tuple = ()) -> paramiko.SSHClient:
    """An authenticated SSH client, or a CollectError with the reason; through the jump hosts `via`, if any."""
    sock, hops = None, []
    if via:
        from scanner.transport.jump import open_chain
        sock, hops = open_chain(via, (peer.host, peer.port), known, peer.timeouts)
    client = _Client(hops)
    client.set_missing_host_key_policy(known.policy(peer.port))
    started = time.monotonic()
    timeouts = peer.timeouts
    try:
        client.connect(peer.host, port=peer.port, username=peer.username, password=password, key_filename=key_file,
                       look_for_keys=False, allow_agent=False, timeout=timeouts.connect,
                       banner_timeout=timeouts.auth, auth_timeout=timeouts.auth,
                       disabled_algorithms=disabled_algorithms(peer.legacy),
                       transport_factory=transport_class(peer.legacy), sock=sock)
        return client
    except BaseException as e:
        t = client.get_transport()
        client.close()
        if "No existing session" in str(e) and t is not None and not t.remote_version:
            # paramiko sometimes reports a missing banner only as "No existing session"
            if time.monotonic() - started >= timeouts.auth:
                e = paramiko.SSHException("Error reading SSH protocol banner")
        raise ssh_failure(e, peer) from None


AUTH_TIMEOUT = "Authentication timeout."      # paramiko's message when the server does not answer within auth_timeout


def ssh_failure(e: BaseException, peer: SshPeer, during: str | None = None) -> BaseException:
    """The CollectError for an exception of paramiko or the socket, for every SSH collector: at login (`during`
    None) or in a later step (`during` names it: "collection", "the shell request"). Anything else is a bug and
    is returned as it is."""
    if isinstance(e, CollectError):
        return e
    if during is not None:
        if isinstance(e, (socket.timeout, TimeoutError)):
            return CollectError(ReasonCode.COMMAND_TIMEOUT,
                                f"{during} did not finish within {peer.timeouts.command:.0f}s")
        if isinstance(e, (paramiko.SSHException, EOFError, OSError)):
            return CollectError(ReasonCode.CONNECTION_LOST, f"connection lost during {during}: {type(e).__name__}")
        return e
    where = f"{peer.host}:{peer.port}"
    if isinstance(e, paramiko.BadHostKeyException):
        return CollectError(ReasonCode.HOST_KEY_CHANGED, f"host key of {where} differs from {peer.known_hosts}: "
                            "possible man-in-the-middle; verify and update the known-hosts entry")
    if isinstance(e, paramiko.AuthenticationException) and str(e) == AUTH_TIMEOUT:
        # no answer to the login in time: a slow device or AAA server, not a refused password (and retried)
        return CollectError(ReasonCode.TIMEOUT, f"no answer to the login from {where} within {peer.timeouts.auth:.0f}s "
                            "(a slow device or AAA server)")
    if isinstance(e, paramiko.AuthenticationException):
        return CollectError(ReasonCode.AUTH_FAILED, f"authentication failed for user {peer.username}")
    if isinstance(e, paramiko.SSHException):
        return _ssh_exception(str(e), peer)
    if isinstance(e, (socket.timeout, TimeoutError)):
        return CollectError(ReasonCode.TIMEOUT, f"no SSH answer from {where} within {peer.timeouts.connect:.0f}s")
    if isinstance(e, EOFError):
        return CollectError(ReasonCode.CONNECTION_LOST, f"{where} closed the connection during login")
    if isinstance(e, OSError):
        return CollectError(ReasonCode.UNREACHABLE, f"TCP connection to {where} failed: {e.strerror or e}")
    return e


def _ssh_exception(text: str, peer: SshPeer) -> CollectError:
    where = f"{peer.host}:{peer.port}"
    if "Incompatible ssh peer" in text:         # paramiko's IncompatiblePeer
        hint = "" if peer.legacy else (" (old devices: allow legacy algorithms for this asset with ssh_legacy: "
                                       "true in the inventory; the report then flags them)")
        return CollectError(ReasonCode.SSH_ALGORITHM_MISMATCH, f"no SSH algorithm in common with {where}: {text}{hint}")
    if "not found in known_hosts" in text:
        return CollectError(ReasonCode.HOST_KEY_UNKNOWN, f"{where} is not in {peer.known_hosts} (scan once with "
                            "--trust-new-hosts to record it)")
    if "protocol banner" in text:       # a hung or very slow sshd: TCP open, no SSH banner in time
        return CollectError(ReasonCode.TIMEOUT, f"no SSH banner from {where} within {peer.timeouts.auth:.0f}s")
    if "No existing session" in text or "closed" in text.lower():
        return CollectError(ReasonCode.CONNECTION_LOST, f"{where} closed the connection during login")
    return CollectError(ReasonCode.SSH_ERROR, f"SSH error: {text[:200]}")


def collect_script(host: str, port: int, username: str, password: str | None, key_file: str | None, script: str,
                  allowed: frozenset[str], known: KnownHosts, timeouts: Timeouts = Timeouts(),
                  legacy: bool = False, max_output: int = DEFAULT_MAX_OUTPUT, via: tuple = ()) -> str:
    """Run the read-only collection script over one exec channel (nothing is installed or written)."""
    if script not in allowed:
        raise CommandRefused(script[:60] + "...")
    peer = SshPeer(host, port, username, known.path, timeouts, legacy)
    client = _connect(peer, password, key_file, known, via)
    try:
        _, stdout, _ = client.exec_command(script, timeout=timeouts.command)
        data = bytearray()
        while chunk := stdout.read(65536):
            data += chunk
            if len(data) > max_output:
                raise CollectError(ReasonCode.OUTPUT_TOO_LARGE, f"the collection script's output exceeds "
                                   f"{max_output} bytes: not assessed")
    except (paramiko.SSHException, EOFError, OSError) as e:
        raise ssh_failure(e, peer, "collection") from None
    finally:
        client.close()
    if not data:
        raise CollectError(ReasonCode.CONNECTION_LOST, "the exec channel closed with no output")
    return data.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Login:
    """Where and as whom to log in (the password already resolved from its reference)."""
    host: str
    port: int
    username: str
    password: str | None = None
    key_file: str | None = None
    legacy: bool = False
    via: tuple = ()              # jump hosts (scanner/transport/jump.JumpLogin), first hop first


def collect(login: Login, what: Collection, profile: SessionProfile, known: KnownHosts, timeouts: Timeouts = Timeouts(),
            max_output: int = DEFAULT_MAX_OUTPUT) -> tuple[dict[str, str], dict[str, str]]:
    """What a platform declares, over the transport its mode names: (outputs, rejected: name -> message)."""
    args = (login.host, login.port, login.username, login.password, login.key_file)
    if what.mode == "cli":
        return collect_network(*args, profile, dict(what.commands), known, timeouts, login.legacy, max_output,
                               login.via)
    if what.mode == "script" and what.script is not None and what.split is not None:
        text = collect_script(*args, what.script, what.allowed, known, timeouts, login.legacy, max_output,
                              login.via)
        return what.split(text), {}
    raise ValueError(f"unknown collection mode {what.mode!r}")
