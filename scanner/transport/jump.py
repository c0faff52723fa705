"""SSH jump hosts (a bastion, 堡垒机, or a chain of them) on the way to a device.

Each hop is a full SSH login of its own, over the previous hop's `direct-tcpip` channel (what `ssh -J` does): its
host key is verified against the same known-hosts file as the devices' (an unknown or changed key stops the
device, naming the hop), it authenticates with its own credential, and it then opens a channel to the next hop or
to the device. The device's session runs over the last channel (paramiko's `sock=`), so everything the scanner
does on the device (CLI or script) is unchanged. A bastion that only offers an interactive menu cannot be used:
it gives no `direct-tcpip` channel (`unreachable`, naming the hop).
"""
from __future__ import annotations

from dataclasses import dataclass

import paramiko

from scanner.errors import ReasonCode
from scanner.transport.errors import CollectError


@dataclass(frozen=True, slots=True)
class JumpLogin:
    """One hop, its secret already resolved from its reference."""
    host: str
    port: int
    username: str
    password: str | None = None
    key_file: str | None = None

    def __repr__(self) -> str:             # never the password, whatever prints it
        return f"JumpLogin({self.username}@{self.host}:{self.port})"


def open_chain(hops: tuple[JumpLogin, ...], target: tuple[str, int], known, timeouts,
               ) -> tuple[paramiko.Channel, list[paramiko.SSHClient]]:
    """A channel to `target` through every hop in order, and the hops' clients (close them after the session).
    Raises CollectError whose message names the hop that failed."""
    from scanner.transport.ssh import SshPeer, ssh_failure
    clients: list[paramiko.SSHClient] = []
    sock = None
    try:
        for k, hop in enumerate(hops):
            nxt = (hops[k + 1].host, hops[k + 1].port) if k + 1 < len(hops) else target
            peer = SshPeer(hop.host, hop.port, hop.username, known.path, timeouts)
            client = paramiko.SSHClient()
            clients.append(client)
            client.set_missing_host_key_policy(known.policy(hop.port))
            try:
                client.connect(hop.host, port=hop.port, username=hop.username, password=hop.password,
                               key_filename=hop.key_file, look_for_keys=False, allow_agent=False,
                               timeout=timeouts.connect, banner_timeout=timeouts.auth, auth_timeout=timeouts.auth,
                               sock=sock)
            except BaseException as e:
                raise _named(ssh_failure(e, peer), k, hop) from None
            sock = _channel(client, k, hop, nxt, timeouts.connect)
    except BaseException:
        for c in reversed(clients):
            c.close()
        raise
    return sock, clients


def _channel(client: paramiko.SSHClient, k: int, hop: JumpLogin, nxt: tuple[str, int], timeout: float):
    try:
        return client.get_transport().open_channel("direct-tcpip", nxt, ("127.0.0.1", 0), timeout=timeout)
    except (paramiko.SSHException, OSError, EOFError) as e:
        why = getattr(e, "text", None) or str(e) or type(e).__name__
        raise CollectError(ReasonCode.UNREACHABLE, f"jump host {k + 1} ({hop.host}:{hop.port}) could not open a "
                           f"connection to {nxt[0]}:{nxt[1]}: {why[:200]}") from None


def _named(e: BaseException, k: int, hop: JumpLogin) -> BaseException:
    if isinstance(e, CollectError):
        return CollectError(e.code, f"jump host {k + 1} ({hop.host}:{hop.port}): {e.message}")
    return e
