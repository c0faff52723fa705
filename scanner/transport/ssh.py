"""SSH to network devices (netmiko) — the only module that imports netmiko and paramiko.

Every command is checked against the platform's read-only allowlist before it leaves the scanner. Host keys are
verified against a known-hosts file; `trust_new` records keys of hosts seen for the first time, and a changed
key always stops that device.
"""
from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import paramiko
from netmiko.ssh_dispatcher import CLASS_MAPPER
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from scanner.platforms.base import SessionProfile
from scanner.safeio import private_dir, write_private

logging.getLogger("paramiko").setLevel(logging.CRITICAL)
logging.getLogger("netmiko").setLevel(logging.CRITICAL)


class CollectError(Exception):
    """A device could not be collected; `code` is a stable reason for scan.json (never contains secrets)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class CommandRefused(CollectError):
    def __init__(self, command: str):
        super().__init__("command_refused", f"refused to send '{command}': not on the read-only allowlist")


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
                    timeouts: Timeouts = Timeouts()) -> tuple[dict[str, str], dict[str, str]]:
    """Run the wanted commands (logical name -> command). Returns (outputs, rejected: name -> message)."""
    for cmd in wanted.values():
        if cmd not in profile.allowed:
            raise CommandRefused(cmd)
    params = dict(host=host, port=port, username=username, password=password or "",
                  fast_cli=True, conn_timeout=timeouts.connect, banner_timeout=timeouts.auth,
                  auth_timeout=timeouts.auth, allow_agent=False, use_keys=bool(key_file), key_file=key_file,
                  ssh_strict=True, system_host_keys=False, alt_host_keys=False, session_log=None)
    try:
        conn = _verified_class(profile.netmiko_type, known, port)(**params)
    except NetmikoAuthenticationException:
        raise CollectError("auth_failed", f"authentication failed for user {username}") from None
    except paramiko.BadHostKeyException:
        raise CollectError("host_key_changed", f"host key of {host}:{port} differs from {known.path}: "
                           "possible man-in-the-middle; verify and update the known-hosts entry") from None
    except NetmikoTimeoutException as e:
        # netmiko wraps paramiko's host-key errors in its timeout exception: tell them apart by the text.
        text = str(e)
        if "does not match" in text:
            raise CollectError("host_key_changed", f"host key of {host}:{port} differs from {known.path}: "
                               "possible man-in-the-middle; verify and update the known-hosts entry") from None
        if "not found in known_hosts" in text:
            raise CollectError("host_key_unknown", f"{host}:{port} is not in {known.path} (scan once with "
                               "--trust-new-hosts to record it)") from None
        code = "unreachable" if "TCP connection" in text else "timeout"
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "timed out")
        raise CollectError(code, first[:200]) from None
    except paramiko.SSHException as e:
        if "not found in known_hosts" in str(e):
            raise CollectError("host_key_unknown", f"{host}:{port} is not in {known.path} (scan once with "
                               "--trust-new-hosts to record it)") from None
        raise CollectError("ssh_error", f"SSH error: {e}") from None
    except (OSError, EOFError) as e:
        raise CollectError("unreachable", f"connection failed: {e}") from None
    outputs: dict[str, str] = {}
    rejected: dict[str, str] = {}
    try:
        prompt = profile.prompt_re(conn.base_prompt)
        for logical, cmd in wanted.items():
            if cmd not in profile.allowed:      # re-checked at the point of sending
                raise CommandRefused(cmd)
            out = conn.send_command(cmd, expect_string=prompt, read_timeout=timeouts.command)
            if profile.rejected(out):
                rejected[logical] = out.strip().splitlines()[-1][:200] if out.strip() else "rejected"
            else:
                outputs[logical] = out
    except ReadTimeout:
        if _closed(conn):
            raise CollectError("connection_lost", "the device closed the connection during collection") from None
        raise CollectError("command_timeout", f"no prompt after a command within {timeouts.command:.0f}s") from None
    except (OSError, EOFError, paramiko.SSHException) as e:
        raise CollectError("connection_lost", f"connection lost during collection: {type(e).__name__}") from None
    finally:
        # netmiko's cleanup() waits ~2 s on Huawei (check_config_mode); the scanner never enters config mode.
        conn.cleanup = lambda command="": conn.write_channel(profile.quit + conn.RETURN)
        try:
            conn.disconnect()
        except Exception:
            pass
    return outputs, rejected


def _closed(conn) -> bool:
    ch = getattr(conn, "remote_conn", None)
    if ch is None:
        return True
    transport = ch.get_transport()
    return bool(ch.closed or ch.eof_received or transport is None or not transport.is_active())


def collect_linux(host: str, port: int, username: str, password: str | None, key_file: str | None, script: str,
                  allowed: frozenset[str], known: KnownHosts, timeouts: Timeouts = Timeouts()) -> str:
    """Run the read-only collection script over one exec channel (nothing is installed or written)."""
    if script not in allowed:
        raise CommandRefused(script[:60] + "...")
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(known.policy(port))
    try:
        client.connect(host, port=port, username=username, password=password, key_filename=key_file,
                       look_for_keys=False, allow_agent=False, timeout=timeouts.connect,
                       banner_timeout=timeouts.auth, auth_timeout=timeouts.auth)
    except paramiko.BadHostKeyException:
        raise CollectError("host_key_changed", f"host key of {host}:{port} differs from {known.path}: "
                           "possible man-in-the-middle; verify and update the known-hosts entry") from None
    except paramiko.AuthenticationException:
        raise CollectError("auth_failed", f"authentication failed for user {username}") from None
    except paramiko.SSHException as e:
        if "not found in known_hosts" in str(e):
            raise CollectError("host_key_unknown", f"{host}:{port} is not in {known.path} (scan once with "
                               "--trust-new-hosts to record it)") from None
        raise CollectError("ssh_error", f"SSH error: {e}") from None
    except socket.timeout:
        raise CollectError("timeout", f"no SSH answer from {host}:{port} within {timeouts.connect:.0f}s") from None
    except OSError as e:
        raise CollectError("unreachable", f"TCP connection to {host}:{port} failed: {e.strerror or e}") from None
    try:
        _, stdout, _ = client.exec_command(script, timeout=timeouts.command)
        try:
            data = stdout.read()
        except socket.timeout:
            raise CollectError("command_timeout", f"collection did not finish within {timeouts.command:.0f}s") from None
        return data.decode("utf-8", "replace")
    except (paramiko.SSHException, EOFError, OSError) as e:
        raise CollectError("connection_lost", f"connection lost during collection: {type(e).__name__}") from None
    finally:
        client.close()


def _verified_class(device_type: str, known: KnownHosts, port: int):
    """The platform's netmiko class, with our pre-authentication host-key policy on its SSH client."""
    base = CLASS_MAPPER[device_type]

    class Verified(base):  # type: ignore[misc, valid-type]
        def _build_ssh_client(self):
            client = super()._build_ssh_client()
            client.set_missing_host_key_policy(known.policy(port))
            return client
    return Verified
