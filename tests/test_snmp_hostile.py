"""SNMP that a junk datagram cannot hurt: the codec against hostile bytes (fuzzed over mutated real answers), the
client against junk UDP agents (garbage, another request id, another engine id or user, huge integers, answers too
large to pass), a cut walk marked partial, and a live scan whose SNMP agent answers junk for one device.
Ports 26200-26299 (run under the ports lock)."""
from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scanner.lab.snmpagent import ENGINE_ID, Agent, load_snmprec
from scanner.snmp_facts import parse_snmp_walk
from scanner.transport import snmpv3 as v3
from scanner.transport import snmpwire as w
from scanner.transport.snmp import SnmpAuth, collect_snmp
from scanner.transport.ssh import CollectError

ROOT = Path(__file__).resolve().parent.parent
AUTH_PW, PRIV_PW = b"Agent-Auth#2024", b"Agent-Priv#2024"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_DESCR = "1.3.6.1.2.1.2.2.1.2"


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    from scanner.lab.snmprec import snmprec
    from scanner.transport.replay import read_capture
    d = tmp_path_factory.mktemp("rec")
    (d / "core-sw1.snmprec").write_text(snmprec(read_capture(ROOT / "scanner" / "lab" / "data" / "raw" / "core-sw1")))
    return load_snmprec(d / "core-sw1.snmprec")


def _name(table) -> str:
    return table.rows[table.index_of(SYS_NAME)][2].decode()


def _agent(table, priv: str = "aes") -> Agent:
    return Agent({"core-sw1": table}, w.UsmUser(b"labnms", "sha", AUTH_PW, priv, PRIV_PW), {"public": "core-sw1"})


V2 = SnmpAuth("v2c", community="public")
V3 = SnmpAuth("v3", username="labnms", auth_key=AUTH_PW.decode(), priv_key=PRIV_PW.decode(), context="core-sw1")


class JunkAgent:
    """A UDP agent in a thread: `respond(datagram) -> [datagrams to send back]`."""

    def __init__(self, port: int, respond) -> None:
        self.port, self.respond, self.seen = port, respond, 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.05)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            self.seen += 1
            for out in self.respond(data):
                self.sock.sendto(out, addr)

    def __enter__(self) -> JunkAgent:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


# --- the codec: every decode error is a WireError, values are bounded -----------------------------------------

def _response(value_tlv: bytes, rid: int = 7, oid: bytes = w.enc_oid(SYS_NAME)) -> bytes:
    vb = w.tlv(w.SEQUENCE, oid + value_tlv)
    return w.tlv(w.RESPONSE, w.enc_int(rid) + w.enc_int(0) + w.enc_int(0) + w.tlv(w.SEQUENCE, vb))


HOSTILE_PDUS = {
    "OID of continuation bytes": _response(b"\x05\x00", oid=w.tlv(w.OID, b"\x81\x82\x83")),
    "OID ending inside an arc": _response(b"\x05\x00", oid=w.tlv(w.OID, b"\x2b\x06\x81")),
    "OID arc of 2**40": _response(b"\x05\x00", oid=w.tlv(w.OID, b"\x2b" + bytes((0x80 | 0x20,) + (0x80,) * 4) + b"\x00")),
    "OID of 200 arcs": _response(b"\x05\x00", oid=w.tlv(w.OID, b"\x2b" + b"\x01" * 200)),
    "OID with an arc of 6 leading 0x80": _response(b"\x05\x00", oid=w.tlv(w.OID, b"\x2b" + b"\x80" * 6 + b"\x01")),
    "20 000-byte INTEGER": _response(w.tlv(w.INTEGER, b"\x7f" * 20000)),
    "20 000-byte request id": w.tlv(w.RESPONSE, w.tlv(w.INTEGER, b"\x01" * 20000) + w.enc_int(0) + w.enc_int(0)
                                    + w.tlv(w.SEQUENCE, b"")),
    "empty INTEGER": _response(w.tlv(w.INTEGER, b"")),
    "9-byte INTEGER": _response(w.tlv(w.INTEGER, b"\x01" * 9)),
    "Counter32 of 2**32": _response(w.tlv(w.COUNTER32, b"\x01\x00\x00\x00\x00")),
    "Gauge32 of 6 bytes": _response(w.tlv(w.GAUGE32, b"\x00" * 6)),
    "Counter64 of 10 bytes": _response(w.tlv(w.COUNTER64, b"\x01" * 10)),
    "IpAddress of 5 bytes": _response(w.tlv(w.IPADDRESS, b"\x01\x02\x03\x04\x05")),
    "unknown value tag": _response(w.tlv(0x47, b"\x01")),
    "constructed OCTET STRING": _response(w.tlv(0x24, w.tlv(w.OCTET_STRING, b"x"))),
    "length beyond the datagram": _response(b"\x04\x84\x7f\xff\xff\xff"),
    "indefinite length": _response(b"\x04\x80\x00\x00"),
    "5-byte length": _response(b"\x04\x85\x00\x00\x00\x00\x01x"),
    "varbind without a value": w.tlv(w.RESPONSE, w.enc_int(7) + w.enc_int(0) + w.enc_int(0)
                                     + w.tlv(w.SEQUENCE, w.tlv(w.SEQUENCE, w.enc_oid(SYS_NAME)))),
    "not a PDU": w.tlv(0xA9, w.enc_int(7)),
}


@pytest.mark.parametrize("name", HOSTILE_PDUS)
def test_hostile_pdu_is_a_wire_error(name):
    pdu = HOSTILE_PDUS[name]
    with pytest.raises(w.WireError):
        w.dec_pdu(pdu, 0, len(pdu))
    with pytest.raises(w.WireError):
        w.parse_v2c(w.v2c_message(b"public", pdu))


def test_largest_representable_values_still_decode():
    vbs = [(SYS_NAME, -2**63), (SYS_NAME, 2**63 - 1), (SYS_NAME, (w.COUNTER64, 2**64 - 1)),
           (SYS_NAME, (w.GAUGE32, 2**32 - 1)), ("1.3.6.1." + ".".join(["4294967295"] * 120), None)]
    pdu = w.enc_pdu(w.RESPONSE, 2**31 - 1, vbs)
    got = w.dec_pdu(pdu, 0, len(pdu))
    assert got.varbinds == [(o, v[1] if isinstance(v, tuple) else v) for o, v in vbs]


def _real_messages(table) -> list[bytes]:
    """Answers the lab agent gives to the requests our client sends: v2c, and v3 for several USM variants."""
    out = []
    for priv in ("aes", "des", "aes256c", "des3"):
        agent = _agent(table, priv)
        user = w.UsmUser(b"labnms", "sha", AUTH_PW, priv, PRIV_PW)
        keys = w.keys_for(user, ENGINE_ID)
        bulk = w.enc_pdu(w.GETBULK, 99, [(SYS_NAME[:-2], None), (IF_DESCR, None)], 1, 5)
        req = v3.build_v3(5, v3.FLAG_AUTH | v3.FLAG_PRIV | v3.FLAG_REPORTABLE, ENGINE_ID, 1, 0, user, keys,
                         ENGINE_ID, b"core-sw1", bulk)
        out.append(agent.handle(req))
    out.append(agent.handle(w.v2c_message(b"public", w.enc_pdu(w.GETBULK, 98, [(IF_DESCR, None)], 0, 10))))
    out.append(agent.handle(v3.build_v3(6, v3.FLAG_REPORTABLE, b"", 0, 0, w.UsmUser(b""), w.Keys(), b"", b"",
                                       w.enc_pdu(w.GET, 1, []))))     # the discovery report
    return out


def _mutate(data: st.DataObject, msg: bytes) -> bytes:
    b = bytearray(msg)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "set", "cut", "insert", "delete", "length", "oid_cont", "big_int"]))
        i = data.draw(st.integers(0, max(0, len(b) - 1)))
        if op in ("oid_cont", "big_int"):   # aimed at a TLV: an OID made of continuation bytes, an integer grown
            tag = w.OID if op == "oid_cont" else data.draw(st.sampled_from([w.INTEGER, w.COUNTER32, w.COUNTER64]))
            at = b.find(bytes((tag,)), i)
            if at < 0 or at + 1 >= len(b) or b[at + 1] >= 0x80 or at + 2 + b[at + 1] > len(b):
                continue
            n = b[at + 1]
            if op == "oid_cont":
                b[at + 2:at + 2 + n] = bytes(x | 0x80 for x in b[at + 2:at + 2 + n])
            else:
                size = data.draw(st.sampled_from([9, 10, 64, 20000]))
                b[at:at + 2 + n] = w.tlv(tag, b"\x7f" * size)
        elif op == "flip" and b:
            b[i] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "set" and b:
            b[i] = data.draw(st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x84, 0xFF, 0x02, 0x06, 0x30, 0x46]))
        elif op == "cut":
            del b[i:]
        elif op == "insert":
            b[i:i] = data.draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del b[i:i + data.draw(st.integers(1, 8))]
        elif op == "length" and b:          # a long-form length with random bytes
            b[i:i + 1] = bytes((0x80 | data.draw(st.integers(0, 6)),)) + data.draw(st.binary(min_size=0, max_size=6))
    return bytes(b)


LAB_USERS = [w.UsmUser(b"labnms", "sha", AUTH_PW, priv, PRIV_PW) for priv in ("aes", "des", "aes256c", "des3")]


def _decode_everything(msg: bytes, users=LAB_USERS) -> None:
    """What the client and the agent do with a datagram; a decoded answer must also be JSON-safe."""
    if w.message_version(msg) in (0, 1):
        w.v2c_head(msg)
        _, pdu = w.parse_v2c(msg)
        json.dumps([(o, v if isinstance(v, int) else repr(v)) for o, v in pdu.varbinds])
        return
    m = v3.parse_v3(msg)
    if m.scoped is not None:
        v3.open_scoped(m)
    for user in users:
        try:
            v3.verify_and_decrypt(v3.parse_v3(msg), user, w.keys_for(user, m.engine_id or ENGINE_ID))
        except w.WireError:
            continue


_CORPUS: dict[int, list[bytes]] = {}


@settings(max_examples=1500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_answers_give_wire_errors_only(table, data):
    corpus = _CORPUS.get(id(table)) or _CORPUS.setdefault(id(table), _real_messages(table))
    msg = _mutate(data, data.draw(st.sampled_from(corpus)))
    try:
        _decode_everything(msg)
    except w.WireError:
        pass


def _net_snmp_answers(port: int) -> list[bytes]:
    """Real net-snmp answers to the client's requests: v2c GETBULK, the v3 discovery report, a v3 authPriv GETBULK."""
    from conftest import SNMP_V3
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(3)
    sock.connect(("127.0.0.1", port))
    bulk = w.enc_pdu(w.GETBULK, 5, [(SYS_NAME[:-2], None), (IF_DESCR, None), ("1.3.6.1.2.1.2.2.1.10", None)], 1, 10)
    try:
        sock.send(w.v2c_message(b"mlps-ro", bulk))
        out = [sock.recv(65535)]
        sock.send(v3.build_v3(2, v3.FLAG_REPORTABLE, b"", 0, 0, w.UsmUser(b""), w.Keys(), b"", b"",
                             w.enc_pdu(w.GET, 3, [])))
        out.append(sock.recv(65535))
        m = v3.parse_v3(out[-1])
        user = _net_snmp_user(SNMP_V3)
        sock.send(v3.build_v3(4, v3.FLAG_AUTH | v3.FLAG_PRIV | v3.FLAG_REPORTABLE, m.engine_id, m.boots, m.time, user,
                             w.keys_for(user, m.engine_id), m.engine_id, b"", bulk))
        out.append(sock.recv(65535))
    finally:
        sock.close()
    return out


def _net_snmp_user(v3: dict) -> w.UsmUser:
    return w.UsmUser(v3["user"].encode(), "sha", v3["auth"].encode(), "aes", v3["priv"].encode())


@settings(max_examples=800, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_net_snmp_answers_give_wire_errors_only(snmpd, data):
    corpus = _CORPUS.get(-1) or _CORPUS.setdefault(-1, _net_snmp_answers(snmpd["port"]))
    user = _net_snmp_user(snmpd)
    if not data.draw(st.integers(0, 20)):            # now and then the unmutated answer: it must decode fully
        msg = data.draw(st.sampled_from(corpus))
        _decode_everything(msg, [user])
        if w.message_version(msg) == 3 and (m := v3.parse_v3(msg)).flags & v3.FLAG_AUTH:
            v3.verify_and_decrypt(m, user, w.keys_for(user, m.engine_id), request_id=5)
            assert m.pdu.tag == w.RESPONSE and len(m.pdu.varbinds) == 1 + 2 * 10
        return
    try:
        _decode_everything(_mutate(data, data.draw(st.sampled_from(corpus))), [user])
    except w.WireError:
        pass


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_plaintext_inside_valid_v3_encryption_gives_wire_errors_only(table, data):
    """The agent holds the keys (a buggy or hostile device): junk inside a correctly authenticated, encrypted answer."""
    priv = data.draw(st.sampled_from(["aes", "des", "aes192c", "des3"]))
    user = w.UsmUser(b"labnms", "sha", AUTH_PW, priv, PRIV_PW)
    keys = w.keys_for(user, ENGINE_ID)
    pdu = _mutate(data, w.enc_pdu(w.RESPONSE, 7, [(SYS_NAME, b"core-sw1"), (IF_DESCR + ".1", 5),
                                                  (IF_DESCR + ".2", (w.COUNTER64, 2**40))]))
    msg = v3.build_v3(1, v3.FLAG_AUTH | v3.FLAG_PRIV, ENGINE_ID, 1, 5, user, keys, ENGINE_ID, b"", pdu)
    m = v3.parse_v3(msg)
    try:
        v3.verify_and_decrypt(m, user, keys, request_id=7)
    except w.WireError:
        return
    json.dumps([(o, v if isinstance(v, int) else repr(v)) for o, v in m.pdu.varbinds])


# --- the client against junk agents ---------------------------------------------------------------------------

def _v2c_rewrite(reply: bytes, rid: int | None = None, varbinds=None) -> bytes:
    community, pdu = w.parse_v2c(reply)
    return w.v2c_message(community, w.enc_pdu(pdu.tag, pdu.request_id if rid is None else rid,
                                              pdu.varbinds if varbinds is None else varbinds,
                                              pdu.error_status, pdu.error_index))


def _v2c_raw_pdu(reply: bytes, pdu_body: bytes) -> bytes:
    """The reply with its PDU replaced by raw bytes (keeping the request id)."""
    community, pdu = w.parse_v2c(reply)
    return w.v2c_message(community, w.tlv(w.RESPONSE, w.enc_int(pdu.request_id) + pdu_body))


BAD_OID_VARBINDS = w.enc_int(0) + w.enc_int(0) + w.tlv(w.SEQUENCE, w.tlv(w.SEQUENCE, w.tlv(w.OID, b"\x81\x82\x83")
                                                                         + b"\x05\x00"))
HUGE_INT_VARBINDS = w.enc_int(0) + w.enc_int(0) + w.tlv(w.SEQUENCE, w.tlv(w.SEQUENCE, w.enc_oid(SYS_NAME)
                                                                          + w.tlv(w.INTEGER, b"\x7f" * 20000)))


@pytest.mark.live
def test_garbage_answers_are_snmp_malformed_not_a_timeout(table):
    with JunkAgent(26201, lambda data: [b"\x30\x03\x02\x01", b"\xff" * 40, b""]):
        for auth in (V2, V3):
            with pytest.raises(CollectError) as ei:
                collect_snmp("127.0.0.1", 26201, auth, timeout=0.2)
            assert ei.value.code == "snmp_malformed" and "undecodable" in ei.value.message


@pytest.mark.live
@pytest.mark.parametrize("body", [BAD_OID_VARBINDS, HUGE_INT_VARBINDS], ids=["oid_of_continuation_bytes", "huge_int"])
def test_malformed_answer_to_our_request_is_snmp_malformed(table, body):
    agent = _agent(table)
    with JunkAgent(26202, lambda data: [_v2c_raw_pdu(agent.handle(data), body)]):
        with pytest.raises(CollectError) as ei:
            collect_snmp("127.0.0.1", 26202, V2, timeout=0.3)
    assert ei.value.code == "snmp_malformed"


@pytest.mark.live
def test_answers_for_another_request_are_skipped_before_decoding(table):
    """Junk carrying another request id comes first; the client skips it undecoded and takes the real answer."""
    agent = _agent(table)

    def respond(data):
        real = agent.handle(data)
        _, pdu = w.parse_v2c(real)
        other = w.v2c_message(b"public", w.tlv(w.RESPONSE, w.enc_int(pdu.request_id ^ 1) + BAD_OID_VARBINDS))
        spoof = _v2c_rewrite(real, rid=pdu.request_id ^ 2, varbinds=[(SYS_NAME[:-2] + ".5.0", b"spoofed")])
        return [other, spoof, real]
    with JunkAgent(26203, respond):
        r = collect_snmp("127.0.0.1", 26203, V2, timeout=0.5)
    assert r["sys_name"] == _name(table) and len(r["if_descr"]) == 38 and "walk_partial" not in r


def _v3_spoof(agent: Agent, reply: bytes, engine_id: bytes = ENGINE_ID, user: bytes = b"labnms") -> bytes:
    """The real v3 answer re-sent with another engine id or user and a spoofed sysName, MAC'd with the real keys."""
    m = v3.parse_v3(reply)
    v3.verify_and_decrypt(m, agent.user, agent.keys)
    vbs = [(o, b"spoofed" if o == SYS_NAME else v) for o, v in m.pdu.varbinds]
    u = w.UsmUser(user, agent.user.auth, agent.user.auth_password, agent.user.priv, agent.user.priv_password)
    return v3.build_v3(m.msg_id, m.flags, engine_id, m.boots, m.time, u, agent.keys, m.context_engine_id, m.context,
                      w.enc_pdu(m.pdu.tag, m.pdu.request_id, vbs, m.pdu.error_status, m.pdu.error_index))


@pytest.mark.live
@pytest.mark.parametrize("field", ["engine_id", "user"])
def test_v3_answer_from_another_engine_or_user_is_skipped(table, field):
    agent = _agent(table)

    def respond(data):
        real = agent.handle(data)
        m = v3.parse_v3(real)
        if m.pdu is None and m.scoped is not None:
            v3.open_scoped(m)
        if m.pdu is not None and m.pdu.tag == w.REPORT:     # discovery: answered as is
            return [real]
        spoof = _v3_spoof(agent, real, **({"engine_id": b"\x80\x00\x1f\x88\x04other"} if field == "engine_id"
                                          else {"user": b"intruder"}))
        return [spoof, real]
    with JunkAgent(26204, respond):
        r = collect_snmp("127.0.0.1", 26204, V3, timeout=0.5)
    assert r["sys_name"] == _name(table)


@pytest.mark.live
def test_large_answers_dropped_on_the_way_walk_with_fewer_repetitions(table):
    """A zone firewall drops fragments: every answer over 1 400 bytes is lost. The walk halves its repetitions."""
    agent = _agent(table)
    full = {}
    with JunkAgent(26205, lambda data: [agent.handle(data)]):
        for auth in (V2, V3):
            full[auth.version] = collect_snmp("127.0.0.1", 26205, auth, timeout=0.5)
    with JunkAgent(26206, lambda data: [r for r in [agent.handle(data)] if r and len(r) <= 1400]) as junk:
        for auth in (V2, V3):
            r = collect_snmp("127.0.0.1", 26206, auth, timeout=0.3)
            assert r == full[auth.version] and len(r["if_descr"]) == 38 and "walk_partial" not in r
    assert junk.seen > 10


@pytest.mark.live
@pytest.mark.parametrize("after", ["silence", "junk"])
def test_walk_cut_short_is_partial_with_its_reason(table, after):
    agent = _agent(table)
    answered = []

    def respond(data):
        answered.append(1)
        if len(answered) == 1:
            return [agent.handle(data)]
        return [] if after == "silence" else [_v2c_raw_pdu(agent.handle(data), BAD_OID_VARBINDS)]
    with JunkAgent(26207 if after == "silence" else 26208, respond) as junk:
        r = collect_snmp("127.0.0.1", junk.port, V2, timeout=0.2)
    assert r["sys_name"] == _name(table) and r["if_descr"]
    assert r["walk_partial"]["code"] == ("snmp_error" if after == "silence" else "snmp_malformed")
    walk = parse_snmp_walk(json.dumps(r))
    assert walk.partial and walk.ports is None and walk.system.name == _name(table)


@pytest.mark.live
def test_partial_walk_makes_idle_ports_an_error_with_its_reason_offline_as_live(table, tmp_path):
    """A cut walk saved with --save-raw: the port-state items are errors naming the reason, the rest is assessed."""
    from scanner.engine import ScanContext
    from scanner.live import scan_raw
    from scanner.transport.replay import read_capture, write_capture
    agent, answered = _agent(table), []

    def respond(data):
        answered.append(1)
        return [agent.handle(data)] if len(answered) == 1 else []
    with JunkAgent(26210, respond):
        data = collect_snmp("127.0.0.1", 26210, V2, timeout=0.2)
    ctx = ScanContext.default()
    results = {}
    for name, snmp in (("whole", {k: v for k, v in data.items() if k != "walk_partial"}), ("cut", data)):
        cap = read_capture(ROOT / "scanner" / "lab" / "data" / "raw" / "core-sw1")
        cap.name = name
        cap.outputs["snmp"], cap.commands["snmp"] = json.dumps(snmp), "snmp"
        write_capture(tmp_path / "raw", cap)
    results = {a.name: a for a in scan_raw(tmp_path / "raw", ctx).assets}
    cut = next(f for f in results["cut"].findings if f.check == "idle_ports_shutdown")
    assert cut.status.value == "error" and "SNMP walk incomplete (snmp_error" in cut.reason_zh
    assert results["cut"].serial == results["whole"].serial          # what did arrive is still used
    assert next(f for f in results["whole"].findings if f.check == "idle_ports_shutdown").status.value != "error"


@pytest.mark.live
def test_a_dead_agent_costs_two_timeouts_not_the_whole_ladder():
    asked = []
    with JunkAgent(26209, lambda data: asked.append(1) or []):
        with pytest.raises(CollectError) as ei:
            collect_snmp("127.0.0.1", 26209, V2, timeout=0.2)
    assert ei.value.code == "snmp_error" and len(asked) == 2


# --- a live scan: the lab's agent answers junk for some devices -------------------------------------------------

JUNK_DEVICES = {"j-garbage": "snmp_garbage", "j-bigint": "snmp_huge_integer", "j-stray": "snmp_wrong_request_id"}


@pytest.mark.live
def test_live_scan_junk_snmp_leaves_ssh_verdicts_and_marks_snmp_facts(tmp_path, monkeypatch):
    import shutil

    import yaml

    from scanner import lab
    from scanner.engine import ScanContext
    from scanner.inventory import load_inventory
    from scanner.lab import SNMP_DEFAULTS
    from scanner.lab.simulator import DEFAULT_PASSWORD
    from scanner.live import LiveOptions, scan_inventory
    from scanner.model import AssetStatus
    names = ["core-sw1", *JUNK_DEVICES]          # the healthy one first: the lab's readiness probe asks it
    for n in names:
        shutil.copytree(ROOT / "scanner" / "lab" / "data" / "raw" / "core-sw1", tmp_path / "raw" / n)
    devices = [{"name": n, "port": 26220 + i, "data": f"raw/{n}",
                "faults": {"snmp": JUNK_DEVICES[n]} if n in JUNK_DEVICES else {}} for i, n in enumerate(names)]
    spec = tmp_path / "lab.yaml"
    spec.write_text(yaml.safe_dump({"username": "netops", "password_env": "MLPS_LAB_PASSWORD",
                                    "snmp": {"port": 26240}, "devices": devices}))
    snmp = {"version": "v3", "username": "labnms", "auth_key": {"env": "MLPS_LAB_SNMP_AUTH"},
            "priv_key": {"env": "MLPS_LAB_SNMP_PRIV"}, "port": 26240}
    inv = {"credentials": {"lab": {"ssh": {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}},
                                   "snmp": snmp}},
           "defaults": {"credentials": "lab", "address": "127.0.0.1"},
           "assets": [{"name": n, "platform": "huawei_vrp", "port": 26220 + i, "snmp_context": n}
                      for i, n in enumerate(names)]}
    (tmp_path / "inv.yaml").write_text(yaml.safe_dump(inv))
    monkeypatch.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    monkeypatch.setenv("MLPS_LAB_SNMP_AUTH", SNMP_DEFAULTS["auth_default"])
    monkeypatch.setenv("MLPS_LAB_SNMP_PRIV", SNMP_DEFAULTS["priv_default"])
    lab.up(spec, tmp_path / "state")
    try:
        opts = LiveOptions(known_hosts=tmp_path / "kh", trust_new_hosts=True, save_raw=tmp_path / "saved",
                           command_timeout=3, connect_timeout=1, retries=0)
        result = scan_inventory(load_inventory(tmp_path / "inv.yaml"), ScanContext.default(), opts)
    finally:
        lab.down(tmp_path / "state")
    json.loads(result.model_dump_json())              # scan.json stays writable whatever the agent sent
    assets = {a.name: a for a in result.assets}
    healthy = {c.id: c.result.value for c in assets["core-sw1"].controls}
    assert healthy["8.1.3.1.b"] != "error"
    for n in JUNK_DEVICES:
        a = assets[n]
        assert a.status == AssetStatus.ASSESSED, (n, a.reason)
        got = {c.id: c.result.value for c in a.controls}
        assert got.pop("8.1.3.1.b") == "error"
        assert got == {k: v for k, v in healthy.items() if k != "8.1.3.1.b"}, n      # SSH verdicts unchanged
        idle = next(f for f in a.findings if f.check == "idle_ports_shutdown")
        assert "snmp_malformed" in idle.reason_zh, (n, idle.reason_zh)


# --- pysnmp, the reference implementation, against the own codec in both directions ---------------------------

PRIVS = ["des", "aes", "aes192", "aes256", "aes192c", "aes256c", "des3"]
AUTHS = ["md5", "sha", "sha224", "sha256", "sha384", "sha512"]
ENGINE = bytes.fromhex("80000009030000c0ffee01")      # a Cisco-style engine id


def _py_usm(auth: str, priv: str, engine_id: bytes = ENGINE):
    """pysnmp's own auth and priv services and the keys it derives from the passphrases."""
    import pysnmp.proto.secmod.rfc3414.service  # noqa: F401  (first: pysnmp's eso modules import it circularly)
    from pysnmp.proto.secmod.eso.priv import aes192, aes256, des3
    from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
    from pysnmp.proto.secmod.rfc3414.priv import des
    from pysnmp.proto.secmod.rfc3826.priv import aes
    from pysnmp.proto.secmod.rfc7860.auth import hmacsha2
    sha2 = {"sha224": hmacsha2.HmacSha2.SHA224_SERVICE_ID, "sha256": hmacsha2.HmacSha2.SHA256_SERVICE_ID,
            "sha384": hmacsha2.HmacSha2.SAH384_SERVICE_ID, "sha512": hmacsha2.HmacSha2.SHA512_SERVICE_ID}
    if auth in sha2:
        a, oid = hmacsha2.HmacSha2(sha2[auth]), sha2[auth]
    else:
        a = hmacmd5.HmacMd5() if auth == "md5" else hmacsha.HmacSha()
        oid = a.SERVICE_ID
    p = {"des": des.Des, "aes": aes.Aes, "aes192": aes192.AesBlumenthal192, "aes256": aes256.AesBlumenthal256,
         "aes192c": aes192.Aes192, "aes256c": aes256.Aes256, "des3": des3.Des3}[priv]()
    from pyasn1.type import univ
    engine = univ.OctetString(engine_id)
    ka = a.localize_key(a.hash_passphrase(AUTH_PW), engine)
    kp = p.localize_key(oid, p.hash_passphrase(oid, PRIV_PW), engine)
    return a, p, bytes(ka), bytes(kp)


@pytest.mark.parametrize("priv", PRIVS)
@pytest.mark.parametrize("auth", AUTHS)
def test_usm_keys_equal_pysnmp(auth, priv):
    _, _, ka, kp = _py_usm(auth, priv)
    ours = w.keys_for(w.UsmUser(b"u", auth, AUTH_PW, priv, PRIV_PW), ENGINE)
    assert (ours.auth, ours.priv) == (ka, kp)


def _py_v2c_request(tag: int, rid: int, oids, reps: int = 0) -> bytes:
    from pyasn1.codec.ber import encoder
    from pysnmp.proto import api
    p = api.v2c
    pdu = p.GetBulkRequestPDU() if tag == w.GETBULK else p.GetRequestPDU()
    (p.apiBulkPDU if tag == w.GETBULK else p.apiPDU).set_defaults(pdu)
    p.apiPDU.set_request_id(pdu, rid)
    p.apiPDU.set_varbinds(pdu, [(o, p.Null()) for o in oids])
    if tag == w.GETBULK:
        p.apiBulkPDU.set_non_repeaters(pdu, 1)
        p.apiBulkPDU.set_max_repetitions(pdu, reps)
    msg = p.Message()
    p.apiMessage.set_defaults(msg)
    p.apiMessage.set_community(msg, "public")
    p.apiMessage.set_pdu(msg, pdu)
    return encoder.encode(msg)


def _py_decode_v2c(data: bytes):
    from pyasn1.codec.ber import decoder
    from pysnmp.proto import api
    msg, rest = decoder.decode(data, asn1Spec=api.v2c.Message())
    assert not rest
    return api.v2c.apiMessage.get_community(msg), api.v2c.apiMessage.get_pdu(msg)


def test_v2c_get_and_getbulk_both_ways(table):
    from pysnmp.proto import api
    oids = [SYS_NAME[:-2], IF_DESCR]
    # pysnmp's GETBULK -> our agent; our answer -> pysnmp
    req = _py_v2c_request(w.GETBULK, 4711, oids, reps=5)
    community, pdu = w.parse_v2c(req)
    assert (community, pdu.tag, pdu.request_id, pdu.non_repeaters, pdu.max_repetitions) == (b"public", w.GETBULK, 4711, 1, 5)
    assert [o for o, _ in pdu.varbinds] == oids
    answer = _agent(table).handle(req)
    community, rsp = _py_decode_v2c(answer)
    ours = w.parse_v2c(answer)[1]
    assert int(api.v2c.apiPDU.get_request_id(rsp)) == 4711 and str(community) == "public"
    theirs = [(str(o), v) for o, v in api.v2c.apiPDU.get_varbinds(rsp)]
    assert [o for o, _ in theirs] == [o for o, _ in ours.varbinds] and len(theirs) == 1 + 5
    assert [v for _, v in ours.varbinds] == [bytes(v) for _, v in theirs]
    # pysnmp's response -> ours
    from pyasn1.codec.ber import encoder
    rsp, want = _py_response(4712)
    msg = api.v2c.Message()
    api.v2c.apiMessage.set_defaults(msg)
    api.v2c.apiMessage.set_community(msg, "public")
    api.v2c.apiMessage.set_pdu(msg, rsp)
    assert w.parse_v2c(encoder.encode(msg), 4712)[1].varbinds == want
    # our GET / GETBULK -> pysnmp
    for tag in (w.GET, w.GETBULK):
        _, got = _py_decode_v2c(w.v2c_message(b"public", w.enc_pdu(tag, 99, [(o, None) for o in oids], 1, 7)))
        assert int(api.v2c.apiPDU.get_request_id(got)) == 99
        assert [str(o) for o, _ in api.v2c.apiPDU.get_varbinds(got)] == oids
        if tag == w.GETBULK:
            assert int(api.v2c.apiBulkPDU.get_max_repetitions(got)) == 7


def _py_response(rid: int) -> tuple[object, list]:
    from pysnmp.proto import api
    p = api.v2c
    pdu = p.ResponsePDU()
    p.apiPDU.set_defaults(pdu)
    p.apiPDU.set_request_id(pdu, rid)
    vbs = [(SYS_NAME, p.OctetString(b"core-sw1")), (IF_DESCR + ".1", p.Integer(-5)),
           ("1.3.6.1.2.1.31.1.1.1.6.1", p.Counter64(2**64 - 1)), ("1.3.6.1.2.1.4.20.1.1.10.0.0.1", p.IpAddress("10.0.0.1")),
           ("1.3.6.1.2.1.1.2.0", p.ObjectIdentifier("1.3.6.1.4.1.9.1.4294967295")), ("1.3.6.1.2.1.1.3.0", p.TimeTicks(12345))]
    p.apiPDU.set_varbinds(pdu, vbs)
    return pdu, [(SYS_NAME, b"core-sw1"), (IF_DESCR + ".1", -5), ("1.3.6.1.2.1.31.1.1.1.6.1", 2**64 - 1),
                 ("1.3.6.1.2.1.4.20.1.1.10.0.0.1", (w.IPADDRESS, "10.0.0.1")),
                 ("1.3.6.1.2.1.1.2.0", (w.OID, "1.3.6.1.4.1.9.1.4294967295")), ("1.3.6.1.2.1.1.3.0", 12345)]


def _py_v3(auth: str, priv: str, pdu, msg_id: int = 77, engine_id: bytes = ENGINE, boots: int = 3,
           etime: int = 1234) -> bytes:
    """An authPriv SNMPv3 message built, encrypted and signed by pysnmp's services."""
    from pyasn1.codec.ber import encoder
    from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message, ScopedPDU
    from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters
    a, p, ka, kp = _py_usm(auth, priv, engine_id)
    scoped = ScopedPDU()
    scoped["contextEngineId"] = engine_id
    scoped["contextName"] = b"core-sw1"
    scoped.setComponentByPosition(2)
    scoped.getComponentByPosition(2).setComponentByType(pdu.tagSet, pdu, verifyConstraints=False, matchTags=False,
                                                        matchConstraints=False)
    from pyasn1.type import univ
    encrypted, salt = p.encrypt_data(univ.OctetString(kp), (boots, etime, None), encoder.encode(scoped))
    sp = UsmSecurityParameters()
    sp["msgAuthoritativeEngineId"] = engine_id
    sp["msgAuthoritativeEngineBoots"] = boots
    sp["msgAuthoritativeEngineTime"] = etime
    sp["msgUserName"] = b"labnms"
    sp["msgAuthenticationParameters"] = b"\x00" * a.digest_length
    sp["msgPrivacyParameters"] = salt
    msg = SNMPv3Message()
    msg["msgVersion"] = 3
    msg["msgGlobalData"]["msgID"] = msg_id
    msg["msgGlobalData"]["msgMaxSize"] = 65507
    msg["msgGlobalData"]["msgFlags"] = b"\x07"
    msg["msgGlobalData"]["msgSecurityModel"] = 3
    msg["msgSecurityParameters"] = encoder.encode(sp)
    msg["msgData"]["encryptedPDU"] = encrypted
    return bytes(a.authenticate_outgoing_message(univ.OctetString(ka), encoder.encode(msg)))


def _py_open_v3(auth: str, priv: str, data: bytes, engine_id: bytes = ENGINE):
    """pysnmp checks the MAC, decrypts and decodes a message the own codec built."""
    from pyasn1.codec.ber import decoder
    from pyasn1.type import univ
    from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message, ScopedPDU
    from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters
    a, p, ka, kp = _py_usm(auth, priv, engine_id)
    msg, _ = decoder.decode(data, asn1Spec=SNMPv3Message())
    sp, _ = decoder.decode(msg["msgSecurityParameters"], asn1Spec=UsmSecurityParameters())
    a.authenticate_incoming_message(univ.OctetString(ka), sp["msgAuthenticationParameters"], data)
    plain = p.decrypt_data(univ.OctetString(kp), (sp["msgAuthoritativeEngineBoots"], sp["msgAuthoritativeEngineTime"],
                                                  sp["msgPrivacyParameters"]), msg["msgData"]["encryptedPDU"])
    scoped, _ = decoder.decode(bytes(plain), asn1Spec=ScopedPDU())
    assert bytes(sp["msgUserName"]) == b"labnms" and bytes(scoped["contextName"]) == b"core-sw1"
    return int(msg["msgGlobalData"]["msgID"]), scoped["data"].getComponent()


@pytest.mark.parametrize("priv", PRIVS)
@pytest.mark.parametrize("auth", ["md5", "sha", "sha256", "sha512"])
def test_v3_authpriv_both_ways_with_pysnmp(auth, priv):
    from pysnmp.proto import api
    user = w.UsmUser(b"labnms", auth, AUTH_PW, priv, PRIV_PW)
    keys = w.keys_for(user, ENGINE)
    # pysnmp encodes a response; the own codec checks, decrypts and decodes it
    pdu, want = _py_response(4242)
    m = v3.parse_v3(_py_v3(auth, priv, pdu))
    assert (m.msg_id, m.engine_id, m.user, m.boots, m.time) == (77, ENGINE, b"labnms", 3, 1234)
    v3.verify_and_decrypt(m, user, keys, request_id=4242)
    assert m.pdu.tag == w.RESPONSE and m.context == b"core-sw1" and m.pdu.varbinds == want
    # the own codec encodes GET and GETBULK requests; pysnmp checks, decrypts and decodes them
    for tag in (w.GET, w.GETBULK):
        req = w.enc_pdu(tag, 31337, [(SYS_NAME, None), (IF_DESCR, None)], 1, 9)
        msg = v3.build_v3(55, v3.FLAG_AUTH | v3.FLAG_PRIV | v3.FLAG_REPORTABLE, ENGINE, 3, 1234, user, keys, ENGINE,
                         b"core-sw1", req)
        msg_id, got = _py_open_v3(auth, priv, msg)
        assert msg_id == 55 and int(api.v2c.apiPDU.get_request_id(got)) == 31337
        assert [str(o) for o, _ in api.v2c.apiPDU.get_varbinds(got)] == [SYS_NAME, IF_DESCR]
        if tag == w.GETBULK:
            assert int(api.v2c.apiBulkPDU.get_max_repetitions(got)) == 9


@pytest.mark.parametrize("priv", PRIVS)
def test_pysnmp_getbulk_to_the_lab_agent_and_back(table, priv):
    """pysnmp's authPriv GETBULK -> the lab agent (own codec) -> its authPriv answer, opened by pysnmp."""
    from pysnmp.proto import api
    p = api.v2c
    req = p.GetBulkRequestPDU()
    p.apiBulkPDU.set_defaults(req)
    p.apiPDU.set_request_id(req, 2024)
    p.apiBulkPDU.set_non_repeaters(req, 1)
    p.apiBulkPDU.set_max_repetitions(req, 4)
    p.apiPDU.set_varbinds(req, [(SYS_NAME[:-2], p.Null()), (IF_DESCR, p.Null())])
    agent = Agent({"core-sw1": table}, w.UsmUser(b"labnms", "sha", AUTH_PW, priv, PRIV_PW), {})
    answer = agent.handle(_py_v3("sha", priv, req, msg_id=9, engine_id=ENGINE_ID, boots=1, etime=agent.now()))
    msg_id, rsp = _py_open_v3("sha", priv, answer, engine_id=ENGINE_ID)
    got = [(str(o), bytes(v)) for o, v in p.apiPDU.get_varbinds(rsp)]
    assert msg_id == 9 and int(p.apiPDU.get_request_id(rsp)) == 2024 and len(got) == 1 + 4
    assert got[0] == (SYS_NAME, _name(table).encode()) and got[1][0] == IF_DESCR + ".1"


def test_inventory_accepts_the_cisco_and_3des_privacy_protocols(tmp_path):
    import yaml

    from scanner.inventory import load_inventory
    creds = {p: {"snmp": {"version": "v3", "username": "nms", "auth_key": {"env": "K"}, "priv_key": {"env": "K"},
                          "priv_protocol": p}} for p in ("aes192c", "aes256c", "des3", "3des")}
    (tmp_path / "inv.yaml").write_text(yaml.safe_dump({
        "credentials": creds, "assets": [{"name": f"sw-{p}", "address": "192.0.2.1", "platform": "cisco_ios",
                                          "credentials": p} for p in creds]}))
    inv = load_inventory(tmp_path / "inv.yaml")
    assert sorted(inv.credential(a).snmp.priv_protocol for a in inv.assets) == sorted(creds)
