"""SNMP collection: read-only GET/GETBULK of the system group, the entity MIB (model, serial, firmware) and the
interface table, v2c or v3 (USM: authNoPriv / authPriv), numeric OIDs only.

Each call runs in the calling worker thread over its own connected UDP socket (blocking I/O releases the GIL, so
the scanner's worker pool overlaps SNMP with SSH). The encoding is `scanner.transport.snmpwire`; the result is plain
YAML-able data, saved with --save-raw and rescanned offline like any other output.
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

from scanner.errors import ReasonCode
from scanner.transport import snmpv3 as v3
from scanner.transport import snmpwire as w
from scanner.transport.errors import CollectError

SYS = {"sys_descr": "1.3.6.1.2.1.1.1.0", "sys_object_id": "1.3.6.1.2.1.1.2.0", "sys_name": "1.3.6.1.2.1.1.5.0"}
TABLES = {
    "if_descr": "1.3.6.1.2.1.2.2.1.2", "if_type": "1.3.6.1.2.1.2.2.1.3", "if_admin": "1.3.6.1.2.1.2.2.1.7",
    "if_oper": "1.3.6.1.2.1.2.2.1.8",
    "ent_class": "1.3.6.1.2.1.47.1.1.1.1.5", "ent_software": "1.3.6.1.2.1.47.1.1.1.1.10",
    "ent_serial": "1.3.6.1.2.1.47.1.1.1.1.11", "ent_model": "1.3.6.1.2.1.47.1.1.1.1.13",
}
DEFAULT_COMMUNITIES = ("public", "private")
MAX_REPETITIONS = 50          # rows per GETBULK: 4 columns x 50 = 200 values, ~8 KB; an agent trims to fit


@dataclass(frozen=True, slots=True)
class SnmpAuth:
    version: str                 # v2c / v3
    community: str | None = None
    username: str | None = None
    auth_protocol: str = "sha"
    auth_key: str | None = None
    priv_protocol: str = "aes"
    priv_key: str | None = None
    context: str = ""


class _Session:
    """One agent, one socket; requests are sent one at a time with retries."""

    def __init__(self, host: str, port: int, auth: SnmpAuth, timeout: float, retries: int) -> None:
        self.auth, self.timeout, self.retries = auth, timeout, retries
        try:
            family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
            self.sock = socket.socket(family, kind, proto)
            self.sock.connect(addr)
        except OSError as e:
            raise CollectError(ReasonCode.SNMP_ERROR,
                               f"SNMP: cannot reach {host}:{port} ({type(e).__name__})") from None
        self.engine: tuple[bytes, int, int, float] | None = None      # id, boots, time, local clock at receipt
        self.keys: w.Keys | None = None
        if auth.version == "v3":
            if not auth.username or not auth.auth_key:
                raise CollectError(ReasonCode.SNMP_ERROR, "SNMP: v3 needs a user name and an authentication key")
            if auth.auth_protocol not in w.AUTH or (auth.priv_key and auth.priv_protocol not in w.PRIV_KEY_LEN):
                raise CollectError(ReasonCode.SNMP_ERROR,
                                   f"SNMP: unsupported protocol {auth.auth_protocol}/{auth.priv_protocol}")
            self.user = w.UsmUser(auth.username.encode(), auth.auth_protocol, auth.auth_key.encode(),
                                  auth.priv_protocol if auth.priv_key else None,
                                  (auth.priv_key or "").encode())

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- one exchange -------------------------------------------------------------------------------------------
    def _exchange(self, build, accept, tries: int | None = None):
        """Send build() (rebuilt per attempt), return the first datagram accept() takes; resend on timeout.

        accept() returns None for an answer to something else (another request id, engine id or user: skipped
        before its body is decoded, as net-snmp does) and raises WireError for a datagram that cannot be decoded;
        both are skipped and counted, and a timeout after them says so (`snmp_malformed`). A malformed answer to
        this very request raises CollectError(ReasonCode.SNMP_MALFORMED) at once."""
        skipped = {"undecodable": 0, "for another request": 0}
        for _attempt in range(self.retries + 1 if tries is None else tries):
            self.sock.send(build())
            deadline = time.monotonic() + self.timeout
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                try:
                    data = self.sock.recv(65535)
                except socket.timeout:
                    break
                except ConnectionRefusedError:
                    raise CollectError(ReasonCode.SNMP_ERROR,
                                       "SNMP: no agent on the port (ICMP port unreachable)") from None
                except OSError as e:
                    raise CollectError(ReasonCode.SNMP_ERROR, f"SNMP: {type(e).__name__}") from None
                try:
                    got = accept(data)
                except w.WireError:
                    skipped["undecodable"] += 1
                    continue
                if got is not None:
                    return got
                skipped["for another request"] += 1
        if any(skipped.values()):
            what = ", ".join(f"{n} {k}" for k, n in skipped.items() if n)
            raise SnmpTimeout(ReasonCode.SNMP_MALFORMED,
                              f"SNMP: no valid answer before the timeout; datagrams skipped: {what}")
        raise SnmpTimeout(ReasonCode.SNMP_ERROR, "SNMP: no response (timeout): wrong community, address or port, "
                                        "or the agent filters this source")

    def request(self, tag: int, varbinds, non_repeaters: int = 0, max_repetitions: int = 0,
                tries: int | None = None) -> w.Pdu:
        if self.auth.version == "v3":
            return self._request_v3(tag, varbinds, non_repeaters, max_repetitions, tries)
        rid = _rid()
        community = (self.auth.community or "").encode()
        msg = w.v2c_message(community, w.enc_pdu(tag, rid, varbinds, non_repeaters, max_repetitions))

        def accept(data: bytes):
            got_community, got_tag, got_rid = w.v2c_head(data)
            if got_rid != rid or got_tag != w.RESPONSE or got_community != community:
                return None
            return _decoded(lambda: w.parse_v2c(data, rid)[1])
        return self._exchange(lambda: msg, accept, tries)

    # -- v3 -----------------------------------------------------------------------------------------------------
    def _discover(self) -> None:
        mid = _rid()
        probe = v3.build_v3(mid, v3.FLAG_REPORTABLE, b"", 0, 0, w.UsmUser(b""), w.Keys(), b"", b"",
                           w.enc_pdu(w.GET, _rid(), []))

        def accept(data: bytes):
            m = v3.parse_v3(data)
            return m if m.msg_id == mid and m.engine_id else None
        m = self._exchange(lambda: probe, accept)
        self.engine = (m.engine_id, m.boots, m.time, time.monotonic())
        self.keys = w.keys_for(self.user, m.engine_id)

    def _request_v3(self, tag: int, varbinds, non_repeaters: int, max_repetitions: int, tries: int | None,
                    resync: bool = True) -> w.Pdu:
        if self.engine is None:
            self._discover()
        engine_id, boots, etime0, t0 = self.engine
        protection = v3.FLAG_AUTH | (v3.FLAG_PRIV if self.user.priv else 0)
        rid = _rid()
        pdu = w.enc_pdu(tag, rid, varbinds, non_repeaters, max_repetitions)
        sent: dict[str, int] = {}

        def build() -> bytes:
            sent["mid"] = _rid()
            etime = etime0 + int(time.monotonic() - t0)
            return v3.build_v3(sent["mid"], protection | v3.FLAG_REPORTABLE, engine_id, boots, etime, self.user,
                              self.keys, engine_id, self.auth.context.encode(), pdu)

        def accept(data: bytes):
            m = v3.parse_v3(data)
            # whom it is for, before anything else is decoded: msgID, the agent's engine id, our user
            # (an unauthenticated report may leave the user empty)
            if m.msg_id != sent["mid"] or m.engine_id != engine_id or m.user not in (self.user.name, b""):
                return None
            if m.flags & v3.FLAG_AUTH:
                v3.authenticate(m, self.user, self.keys)        # a forged or damaged datagram: skipped
            elif m.scoped is None:
                raise w.WireError("encrypted without authentication")
            if m.flags & v3.FLAG_PRIV:
                _decoded(lambda: v3.decrypt(m, self.user, self.keys))
                if v3.scoped_context_engine(m) != engine_id:     # the first field decrypts wrong: not our key
                    raise CollectError(ReasonCode.SNMP_ERROR,
                                       "SNMP: decryption failure (check the privacy key and protocol)")
            _decoded(lambda: v3.open_scoped(m, rid))
            if m.pdu is None or (m.pdu.tag != w.REPORT and m.flags & (v3.FLAG_AUTH | v3.FLAG_PRIV) != protection):
                return None             # another request's answer, or a response less protected than the request
            return m if m.pdu.tag in (w.REPORT, w.RESPONSE) else None
        m = self._exchange(build, accept, tries)
        if m.pdu.tag == w.REPORT:
            oid = m.pdu.varbinds[0][0] if m.pdu.varbinds else ""
            reason = v3.USM_STATS.get(oid, f"report {oid}")
            if reason == "not in time window" and resync and m.flags & v3.FLAG_AUTH:
                self.engine = (engine_id, m.boots, m.time, time.monotonic())
                return self._request_v3(tag, varbinds, non_repeaters, max_repetitions, tries, resync=False)
            if reason == "wrong digest":
                reason = "authentication failure (wrong digest: check the authentication key and protocol)"
            raise CollectError(ReasonCode.SNMP_ERROR, f"SNMP: {reason}")
        return m.pdu


class SnmpTimeout(CollectError):
    """No valid answer within the timeout (code snmp_error, or snmp_malformed when only junk arrived)."""


def _decoded(decode):
    """Run the decoding of an answer already known to be ours: a Stray goes back to the caller (skipped), any
    other decode error is this request's answer being malformed."""
    try:
        return decode()
    except w.Stray:
        return None
    except w.WireError as e:
        raise CollectError(ReasonCode.SNMP_MALFORMED, f"SNMP: malformed answer ({e})") from None


def _rid() -> int:
    return int.from_bytes(os.urandom(4), "big") & 0x7FFFFFFF


def _plain(v) -> object:
    if isinstance(v, int):
        return v
    if isinstance(v, tuple):                 # (OID, "1.3...") / (IPADDRESS, "a.b.c.d")
        return v[1]
    if isinstance(v, bytes):
        try:
            s = v.decode("utf-8")
        except UnicodeDecodeError:
            return v.hex()
        return s if all(c.isprintable() or c in "\r\n\t" for c in s) else v.hex()
    return ""                                 # NULL, noSuchObject, noSuchInstance


def _arcs(oid: str) -> tuple[int, ...]:
    return tuple(map(int, oid.split(".")))


def _absorb(varbinds, active: list[str], current: dict[str, str], out: dict) -> list[str]:
    """Take the rows of a GETBULK answer (one value per active column per row); returns the columns still going."""
    done: set[str] = set()
    for j, (oid, value) in enumerate(varbinds):
        key = active[j % len(active)]
        if key in done:
            continue
        base = TABLES[key] + "."
        if not oid.startswith(base) or isinstance(value, w.ExceptionValue):
            done.add(key)
            continue
        if _arcs(oid) <= _arcs(current[key]):
            raise CollectError(ReasonCode.SNMP_MALFORMED,
                               f"SNMP: the agent's walk of {key} went backwards (OID not increasing)")
        out[key][oid[len(base):]] = _plain(value)
        current[key] = oid
    return [k for k in active if k not in done]


class _Bulk:
    """GETBULK with a shrinking answer: after a timeout (or tooBig) the same request is sent again with half the
    repetitions, down to 1, since a large answer fragments and zone firewalls often drop the fragments. An agent
    never heard from gets one more try at 1 repetition only, so a dead agent costs what it did."""

    def __init__(self, sess: _Session) -> None:
        self.sess, self.reps, self.heard = sess, MAX_REPETITIONS, sess.auth.version == "v3"   # v3: discovery answered

    def __call__(self, varbinds, non_repeaters: int) -> w.Pdu:
        while True:
            last = self.reps == 1
            try:
                pdu = self.sess.request(w.GETBULK, varbinds, non_repeaters, self.reps,
                                        tries=None if last and self.heard else 1)
            except SnmpTimeout as e:
                if last or e.code == ReasonCode.SNMP_MALFORMED:     # junk came back: not a size problem
                    raise
                self.reps = max(1, self.reps // 2) if self.heard else 1
                continue
            self.heard = True
            if pdu.error_status == w.TOO_BIG and not last:
                self.reps = max(1, self.reps // 2)
                continue
            return pdu


def _query(host: str, port: int, auth: SnmpAuth, timeout: float, retries: int = 1) -> dict:
    """One GETBULK asks for the system group (as non-repeaters) and the first rows of every column at once; the
    columns still going are walked on together. A switch with up to 50 ports answers in one exchange.
    A walk cut short after the first answer keeps what arrived and says why in `walk_partial`."""
    if auth.version not in ("v2c", "v3"):
        raise CollectError(ReasonCode.SNMP_ERROR, f"SNMP: unsupported version {auth.version}")
    with _Session(host, port, auth, timeout, retries) as sess:
        bulk = _Bulk(sess)
        active = list(TABLES)
        first = [(o[:-2], None) for o in SYS.values()] + [(TABLES[k], None) for k in active]
        pdu = bulk(first, len(SYS))
        if pdu.error_status:
            raise CollectError(ReasonCode.SNMP_ERROR, f"SNMP error status: {pdu.error_status}")
        out: dict = {}
        for (key, want), (oid, value) in zip(SYS.items(), pdu.varbinds):
            out[key] = _plain(value) if oid == want else ""
        for key in active:
            out[key] = {}
        current = {k: TABLES[k] for k in active}
        active = _absorb(pdu.varbinds[len(SYS):], active, current, out)
        for _ in range(2000):                     # bounded: 2 000 exchanges (at 1 repetition, 2 000 rows)
            if not active:
                return out
            try:
                pdu = bulk([(current[k], None) for k in active], 0)
            except CollectError as e:
                out["walk_partial"] = {"code": e.code, "reason": e.message}
                return out
            if pdu.error_status:
                out["walk_partial"] = {"code": ReasonCode.SNMP_ERROR,
                                       "reason": f"SNMP error status {pdu.error_status} during the walk"}
                return out
            if not pdu.varbinds:
                return out
            active = _absorb(pdu.varbinds, active, current, out)
        out["walk_partial"] = {"code": ReasonCode.SNMP_ERROR, "reason": "walk stopped after 2 000 exchanges"}
        return out


def collect_snmp(host: str, port: int, auth: SnmpAuth, timeout: float = 2.0) -> dict:
    """System, entity and interface data; raises CollectError (never including a community or key)."""
    try:
        return _query(host, port, auth, timeout)
    except CollectError:
        raise
    except w.UsmError as e:                   # a passphrase too short: says so, never shows it
        raise CollectError(ReasonCode.SNMP_ERROR, f"SNMP: {e}") from None
    except (w.WireError, OSError, ValueError) as e:
        raise CollectError(ReasonCode.SNMP_ERROR, f"SNMP: {type(e).__name__}") from None


class CommunityProbe:
    """Ask the agent for sysName with each well-known v2c community, at once; collect the answers later.

    A device that does not answer can only be told apart by waiting: started before the device's SSH session and
    read after it, the wait overlaps the collection instead of adding to it.
    """

    def __init__(self, host: str, port: int) -> None:
        self.started = time.monotonic()
        self.waiting: dict[int, str] = {}
        self.found: list[str] = []
        self.sock: socket.socket | None = None
        try:
            family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
            self.sock = socket.socket(family, kind, proto)
            self.sock.connect(addr)
            for c in DEFAULT_COMMUNITIES:
                rid = _rid()
                self.waiting[rid] = c
                self.sock.send(w.v2c_message(c.encode(), w.enc_pdu(w.GET, rid, [(SYS["sys_name"], None)])))
        except OSError:
            self.close()

    def answers(self, timeout: float = 0.5) -> list[str]:
        """The communities that answered within `timeout` seconds of the start."""
        sock = self.sock
        deadline = self.started + timeout
        try:
            while sock is not None and self.waiting and (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    community, tag, rid = w.v2c_head(sock.recv(65535))     # who it answers; the value is not needed
                except (socket.timeout, ConnectionRefusedError):
                    break
                except (w.WireError, OSError):
                    continue
                if tag == w.RESPONSE and rid in self.waiting and self.waiting[rid].encode() == community:
                    self.found.append(self.waiting.pop(rid))
        finally:
            self.close()
        return [c for c in DEFAULT_COMMUNITIES if c in self.found]

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def default_community_answers(host: str, port: int, timeout: float = 0.5) -> list[str]:
    """Which well-known v2c communities the agent answers (a finding for 入侵防范 b / 身份鉴别); probed at once."""
    return CommunityProbe(host, port).answers(timeout)
