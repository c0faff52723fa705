"""The lab's SNMP agent: one UDP socket answering SNMPv3 (USM authPriv) for every simulated device, the v3 context
name selecting the device, and v2c for communities a spec maps to a device (to play a default-community fault).

Data are snmpsim-style `.snmprec` files (`oid|type|value`), one per device, named after the context. The agent is
single-threaded and answers GET, GETNEXT and GETBULK with the same USM rules as net-snmp: unknown engine id ->
discovery report, wrong digest -> report, outside the time window -> authenticated report with the agent's clock.
net-snmp's own `snmpwalk` is tested against it. Secrets come from the environment, never the command line.
A lab device's `faults: {snmp: KIND}` (`--fault DEVICE=KIND`) makes its answers junk, properly authenticated and
encrypted: an OID of continuation bytes, a 20 000-byte INTEGER, or another request id (tests/test_snmp_hostile.py).

    MLPS_LAB_SNMP_AUTH=... MLPS_LAB_SNMP_PRIV=... python -m scanner.lab.snmpagent --data-dir DIR --port 24161
"""
from __future__ import annotations

import argparse
import bisect
import os
import socket
import sys
import time
from pathlib import Path

from scanner.transport import snmpv3 as v3
from scanner.transport import snmpwire as w

ENGINE_ID = bytes.fromhex("80001f8804") + b"mlps-lab"       # enterprise 8072 (net-snmp) format 4: text
REPORT_OIDS = {"unknown_engine": "1.3.6.1.6.3.15.1.1.4.0", "unknown_user": "1.3.6.1.6.3.15.1.1.3.0",
               "wrong_digest": "1.3.6.1.6.3.15.1.1.5.0", "time_window": "1.3.6.1.6.3.15.1.1.2.0",
               "decryption": "1.3.6.1.6.3.15.1.1.6.0", "security_level": "1.3.6.1.6.3.15.1.1.1.0",
               "unknown_context": "1.3.6.1.6.3.12.1.5.0"}
MAX_VARBINDS = 200
# --fault DEVICE=KIND: a broken or hostile agent for that device, its answers authenticated and encrypted as usual
FAULTS = {
    "snmp_garbage": lambda rid: w.tlv(w.RESPONSE, w.enc_int(rid) + w.enc_int(0) + w.enc_int(0) + w.tlv(
        w.SEQUENCE, w.tlv(w.SEQUENCE, w.tlv(w.OID, b"\x81\x82\x83") + b"\x05\x00"))),      # an OID of continuation bytes
    "snmp_huge_integer": lambda rid: w.tlv(w.RESPONSE, w.enc_int(rid) + w.enc_int(0) + w.enc_int(0) + w.tlv(
        w.SEQUENCE, w.tlv(w.SEQUENCE, w.enc_oid("1.3.6.1.2.1.1.5.0") + w.tlv(w.INTEGER, b"\x7f" * 20000)))),
    "snmp_wrong_request_id": lambda rid: w.enc_pdu(w.RESPONSE, rid ^ 1, [("1.3.6.1.2.1.1.5.0", b"stray")]),
}


class Table:
    """One device's variables, sorted by OID, each varbind BER-encoded once at load (answers are concatenations)."""

    def __init__(self, rows: list[tuple[tuple[int, ...], str, object]]) -> None:
        rows.sort(key=lambda r: r[0])
        self.keys = [r[0] for r in rows]
        self.rows = rows
        self.encoded = [w.tlv(w.SEQUENCE, w.enc_oid(oid) + w.enc_value(value)) for _, oid, value in rows]

    def index_of(self, oid: str) -> int | None:
        k = _key(oid)
        i = bisect.bisect_left(self.keys, k)
        return i if i < len(self.keys) and self.keys[i] == k else None

    def index_after(self, oid: str) -> int:
        return bisect.bisect_right(self.keys, _key(oid))


def _key(oid: str) -> tuple[int, ...]:
    return tuple(int(x) for x in oid.strip(".").split(".") if x)


def load_snmprec(path: Path) -> Table:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        oid, typ, val = line.split("|", 2)
        hexed = typ.endswith("x")
        tag = int(typ.rstrip("x"))
        raw = bytes.fromhex(val) if hexed else val
        if tag == w.OCTET_STRING:
            value = raw if hexed else val.encode("utf-8")
        elif tag == w.INTEGER:
            value = int(val)
        elif tag == w.OID:
            value = (w.OID, val)
        elif tag == w.IPADDRESS:
            value = (w.IPADDRESS, val)
        elif tag in (w.COUNTER32, w.GAUGE32, w.TIMETICKS, w.COUNTER64):
            value = (tag, int(val))
        else:
            continue
        rows.append((_key(oid), oid, value))
    return Table(rows)


class Agent:
    def __init__(self, tables: dict[str, Table], user: w.UsmUser, communities: dict[str, str],
                 faults: dict[str, str] | None = None) -> None:
        self.tables, self.user, self.communities, self.faults = tables, user, communities, faults or {}
        self.boots, self.started = 1, time.monotonic()
        self.keys = w.keys_for(user, ENGINE_ID)

    def now(self) -> int:
        return int(time.monotonic() - self.started)

    # -- PDU processing -----------------------------------------------------------------------------------------
    def answer(self, table: Table, pdu: w.Pdu) -> bytes:
        vbs = pdu.varbinds
        n = len(table.rows)

        def end(oid: str, tag: int) -> bytes:
            return w.tlv(w.SEQUENCE, w.enc_oid(oid) + bytes((tag, 0)))
        if pdu.tag == w.GET:
            out = []
            for o, _ in vbs:
                i = table.index_of(o)
                out.append(table.encoded[i] if i is not None else end(o, w.NO_SUCH_INSTANCE))
        elif pdu.tag in (w.GETNEXT, w.GETBULK):
            nonrep = len(vbs) if pdu.tag == w.GETNEXT else min(max(0, pdu.non_repeaters), len(vbs))
            reps = 1 if pdu.tag == w.GETNEXT else max(0, pdu.max_repetitions)
            out = []
            for o, _ in vbs[:nonrep]:
                i = table.index_after(o)
                out.append(table.encoded[i] if i < n else end(o, w.END_OF_MIB_VIEW))
            cursor = [(table.index_after(o), o) for o, _ in vbs[nonrep:]]
            for r in range(reps if pdu.tag == w.GETBULK else 0):
                if not cursor or len(out) + len(cursor) > MAX_VARBINDS:
                    break
                if r and all(i >= n for i, _ in cursor):     # one row of endOfMibView, then stop
                    break
                step = []
                for i, o in cursor:
                    if i < n:
                        out.append(table.encoded[i])
                        step.append((i + 1, table.rows[i][1]))
                    else:
                        out.append(end(o, w.END_OF_MIB_VIEW))
                        step.append((i, o))
                cursor = step
        else:
            return w.enc_pdu(w.RESPONSE, pdu.request_id, [(o, None) for o, _ in vbs], w.GEN_ERR)   # read-only
        return w.tlv(w.RESPONSE, w.enc_int(pdu.request_id) + w.enc_int(0) + w.enc_int(0) +
                     w.tlv(w.SEQUENCE, b"".join(out)))

    def handle(self, data: bytes) -> bytes | None:
        version = w.message_version(data)
        if version in (0, 1):
            community, pdu = w.parse_v2c(data)
            name = self.communities.get(community.decode("utf-8", "replace"))
            if name is None or name not in self.tables:
                return None                                  # like a real agent: silence
            return w.v2c_message(community, self.answer(self.tables[name], pdu))
        m = v3.parse_v3(data)
        if m.scoped is not None:
            v3.open_scoped(m)

        def report(kind: str, flags: int = 0, context: bytes = b"") -> bytes:
            rid = m.pdu.request_id if m.pdu is not None else 0
            user = self.user if flags else w.UsmUser(m.user)
            return v3.build_v3(m.msg_id, flags, ENGINE_ID, self.boots, self.now(), user, self.keys if flags else w.Keys(),
                              ENGINE_ID, context, w.enc_pdu(w.REPORT, rid, [(REPORT_OIDS[kind], (w.COUNTER32, 1))]))
        if m.engine_id != ENGINE_ID:
            return report("unknown_engine")
        if m.user != self.user.name:
            return report("unknown_user")
        if not m.flags & v3.FLAG_AUTH:
            return report("security_level")
        try:
            v3.verify_and_decrypt(m, self.user, self.keys)
        except w.WireError as e:
            return report("wrong_digest" if "authentication" in str(e) else "decryption")
        auth_flags = m.flags & (v3.FLAG_AUTH | v3.FLAG_PRIV)
        if m.boots != self.boots or abs(m.time - self.now()) > 150:
            return report("time_window", v3.FLAG_AUTH)
        name = m.context.decode("utf-8", "replace")
        if name not in self.tables:
            return report("unknown_context", auth_flags, m.context)
        fault = FAULTS.get(self.faults.get(name, ""))
        pdu = fault(m.pdu.request_id) if fault else self.answer(self.tables[name], m.pdu)
        return v3.build_v3(m.msg_id, auth_flags, ENGINE_ID, self.boots, self.now(), self.user, self.keys, ENGINE_ID,
                          m.context, pdu)


def serve(agent: Agent, bind: str, port: int, ready: Path | None = None) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind((bind, port))
    if ready is not None:
        ready.write_text(str(os.getpid()))
    print(f"snmpagent: {len(agent.tables)} devices on udp {bind}:{port}", flush=True)
    while True:
        data, addr = sock.recvfrom(65535)
        try:
            reply = agent.handle(data)
        except (w.WireError, ValueError, IndexError, KeyError):
            continue
        if reply is not None:
            sock.sendto(reply, addr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="the lab's SNMP agent")
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--user", default="labnms")
    ap.add_argument("--auth-protocol", default="sha", choices=sorted(w.AUTH))
    ap.add_argument("--priv-protocol", default="aes", choices=sorted(w.PRIV_KEY_LEN))
    ap.add_argument("--auth-env", default="MLPS_LAB_SNMP_AUTH")
    ap.add_argument("--priv-env", default="MLPS_LAB_SNMP_PRIV")
    ap.add_argument("--community", action="append", default=[], metavar="COMMUNITY=DEVICE",
                    help="answer v2c for this community with this device's data (a default-community fault)")
    ap.add_argument("--fault", action="append", default=[], metavar="DEVICE=KIND",
                    help=f"answer this device's v3 requests with junk: {', '.join(FAULTS)}")
    ap.add_argument("--ready", type=Path, help="file written once the socket is bound")
    args = ap.parse_args(argv)
    auth, priv = os.environ.get(args.auth_env), os.environ.get(args.priv_env)
    if not auth or not priv:
        print(f"snmpagent: set {args.auth_env} and {args.priv_env}", file=sys.stderr)
        return 2
    tables = {p.stem: load_snmprec(p) for p in sorted(args.data_dir.glob("*.snmprec"))}
    communities = dict(c.split("=", 1) for c in args.community)
    faults = dict(f.split("=", 1) for f in args.fault)
    if unknown := set(faults.values()) - set(FAULTS):
        print(f"snmpagent: unknown fault {sorted(unknown)}; known: {', '.join(FAULTS)}", file=sys.stderr)
        return 2
    agent = Agent(tables, w.UsmUser(args.user.encode(), args.auth_protocol, auth.encode(), args.priv_protocol,
                                    priv.encode()), communities, faults)
    serve(agent, args.bind, args.port, args.ready)
    return 0


if __name__ == "__main__":
    sys.exit(main())
