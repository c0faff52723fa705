"""SNMP on the wire: BER encoding of the messages the scanner sends and receives (v2c, and v3 with the USM of
RFC 3414 / 3826 / 7860), shared by the client (`scanner.transport.snmp`) and the lab's agent
(`scanner.lab.snmpagent`). The v3 message layer (USM authentication and privacy) is `scanner.transport.snmpv3`.

Why not pysnmp: pysnmp decodes every variable through pyasn1 objects, about 45 ms of CPU for one switch's
ifTable and entity table; on a 1 000-device scan that was most of the scanner's CPU. This module covers only what a
read-only collector needs (GET, GETNEXT, GETBULK, RESPONSE, REPORT; HMAC-MD5/SHA-1/SHA-2 authentication;
AES-128/192/256-CFB and DES-CBC privacy), decodes straight into Python values, and is checked against net-snmp in
both directions: our client against the real `snmpd`, net-snmp's `snmpwalk` against our agent (tests/test_snmp.py).

Hostile input: every decode error is a `WireError` (lengths, tags, OIDs and integers are bounded: an INTEGER that
does not fit 64 bits or an OID arc beyond 32 bits is refused, never turned into a huge Python int), and the fields
that say whom an answer is for (request id; v3 msgID, engine id, user) can be read before anything else is decoded.
"""
from __future__ import annotations

from dataclasses import dataclass

# Re-exported: the client, the lab's agent and the tests use this module (and snmpv3) for SNMP
from scanner.transport.snmpusm import AUTH, PRIV_KEY_LEN, Keys, UsmError, UsmUser, keys_for  # noqa: F401

# ASN.1 / SNMP tags
INTEGER, OCTET_STRING, NULL, OID, SEQUENCE = 0x02, 0x04, 0x05, 0x06, 0x30
IPADDRESS, COUNTER32, GAUGE32, TIMETICKS, OPAQUE, COUNTER64 = 0x40, 0x41, 0x42, 0x43, 0x44, 0x46
NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW = 0x80, 0x81, 0x82
GET, GETNEXT, RESPONSE, SET, GETBULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA8
TOO_BIG, GEN_ERR = 1, 5                 # error-status values (RFC 3416 §3)
_UNSIGNED = {COUNTER32, GAUGE32, TIMETICKS, COUNTER64}


class WireError(ValueError):
    """A malformed or unexpected message (never contains key material)."""


class Stray(WireError):
    """A well-formed answer to some other request (another request id): skipped, not decoded further."""


MAX_OID_ARCS = 128                        # RFC 2578 §7.1.3
_INT_BYTES = {INTEGER: 8, COUNTER32: 5, GAUGE32: 5, TIMETICKS: 5, COUNTER64: 9}    # BER bytes at most
_UNSIGNED_MAX = {COUNTER32: 2**32 - 1, GAUGE32: 2**32 - 1, TIMETICKS: 2**32 - 1, COUNTER64: 2**64 - 1}


class ExceptionValue:
    """noSuchObject / noSuchInstance / endOfMibView: what a varbind holds when it has no value (RFC 3416 §4.2)."""
    __slots__ = ("tag",)

    def __init__(self, tag: int) -> None:
        self.tag = tag

    def __repr__(self) -> str:
        return {NO_SUCH_OBJECT: "noSuchObject", NO_SUCH_INSTANCE: "noSuchInstance",
                END_OF_MIB_VIEW: "endOfMibView"}.get(self.tag, "exception")


# --- BER encoding ----------------------------------------------------------------------------------------------

def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(b),)) + b


def tlv(tag: int, body: bytes) -> bytes:
    return bytes((tag,)) + _len(len(body)) + body


def enc_int(v: int, tag: int = INTEGER) -> bytes:
    if tag in _UNSIGNED:
        b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")     # a leading 0 keeps it positive
    else:
        b = v.to_bytes(max(1, (v + (v < 0)).bit_length() // 8 + 1), "big", signed=True)
    return tlv(tag, b)


def enc_oid(oid: str | tuple[int, ...]) -> bytes:
    arcs = tuple(int(x) for x in oid.strip(".").split(".")) if isinstance(oid, str) else oid
    if len(arcs) < 2:
        raise WireError(f"OID too short: {oid}")
    out = bytearray((arcs[0] * 40 + arcs[1],)) if arcs[0] * 40 + arcs[1] < 128 else bytearray(_b128(arcs[0] * 40 + arcs[1]))
    for a in arcs[2:]:
        out += bytes((a,)) if a < 128 else _b128(a)
    return tlv(OID, bytes(out))


def _b128(a: int) -> bytes:
    parts = [a & 0x7F]
    a >>= 7
    while a:
        parts.append(0x80 | (a & 0x7F))
        a >>= 7
    return bytes(reversed(parts))


def enc_value(v) -> bytes:
    """Python value -> BER: int -> INTEGER, bytes/str -> OCTET STRING, None -> NULL, (tag, x) -> that type."""
    if v is None:
        return b"\x05\x00"
    if isinstance(v, ExceptionValue):
        return bytes((v.tag, 0))
    if isinstance(v, bool):
        raise WireError("bool is not an SNMP type")
    if isinstance(v, int):
        return enc_int(v)
    if isinstance(v, str):
        return tlv(OCTET_STRING, v.encode("utf-8"))
    if isinstance(v, (bytes, bytearray)):
        return tlv(OCTET_STRING, bytes(v))
    tag, x = v
    if tag == OID:
        return enc_oid(x)
    if tag == IPADDRESS:
        return tlv(IPADDRESS, bytes(int(p) for p in x.split(".")) if isinstance(x, str) else bytes(x))
    if tag in _UNSIGNED or tag == INTEGER:
        return enc_int(int(x), tag)
    if tag in (OCTET_STRING, OPAQUE):
        return tlv(tag, x.encode("utf-8") if isinstance(x, str) else bytes(x))
    raise WireError(f"cannot encode tag {tag:#x}")


def enc_pdu(tag: int, request_id: int, varbinds, error_status: int = 0, error_index: int = 0) -> bytes:
    """A GETBULK carries non-repeaters and max-repetitions where other PDUs carry error-status and error-index."""
    vbs = b"".join(tlv(SEQUENCE, enc_oid(o) + enc_value(v)) for o, v in varbinds)
    return tlv(tag, enc_int(request_id) + enc_int(error_status) + enc_int(error_index) + tlv(SEQUENCE, vbs))


# --- BER decoding ----------------------------------------------------------------------------------------------

def _hdr(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, body start, body end) of the TLV at pos."""
    if pos + 2 > end:
        raise WireError("truncated")
    tag, n = buf[pos], buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        if k == 0 or k > 4 or pos + k > end:
            raise WireError("bad length")
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    if pos + n > end:
        raise WireError("truncated")
    return tag, pos, pos + n


def _expect(buf: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    t, s, e = _hdr(buf, pos, end)
    if t != tag:
        raise WireError(f"expected tag {tag:#x}, got {t:#x}")
    return s, e


def dec_oid(body: bytes) -> str:
    if not body:
        raise WireError("empty OID")
    if max(body) < 0x80:                 # every arc in one byte (almost every OID walked): no base-128 loop
        if len(body) >= MAX_OID_ARCS:
            raise WireError("OID too long")
        first = body[0]
        head = f"{first // 40}.{first % 40}" if first < 80 else f"2.{first - 80}"
        return head + "." + ".".join(map(str, body[1:])) if len(body) > 1 else head
    if body[-1] & 0x80:
        raise WireError("OID ends inside an arc")
    arcs, v, n = [], 0, 0
    for c in body:
        v, n = (v << 7) | (c & 0x7F), n + 1
        if n > 5:
            raise WireError("OID arc beyond 32 bits")
        if not c & 0x80:
            arcs.append(v)
            v = n = 0
    if len(arcs) >= MAX_OID_ARCS or max(arcs[1:], default=0) > 0xFFFFFFFF or arcs[0] > 0xFFFFFFFF + 80:
        raise WireError("OID too long or arc beyond 32 bits")
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(map(str, head + arcs[1:]))


def dec_int(tag: int, body: bytes) -> int:
    """INTEGER (at most 64 bits), Counter32/Gauge32/TimeTicks (32 bits), Counter64: anything else is refused."""
    if not 0 < len(body) <= _INT_BYTES[tag]:
        raise WireError(f"integer of {len(body)} bytes (tag {tag:#x})")
    if tag == INTEGER:
        return int.from_bytes(body, "big", signed=True)
    v = int.from_bytes(body, "big")
    if v > _UNSIGNED_MAX[tag]:
        raise WireError(f"unsigned value out of range (tag {tag:#x})")
    return v


def dec_value(tag: int, body: bytes):
    if tag in _INT_BYTES:
        return dec_int(tag, body)
    if tag in (OCTET_STRING, OPAQUE):
        return bytes(body)
    if tag == OID:
        return (OID, dec_oid(body))
    if tag == IPADDRESS:
        if len(body) != 4:
            raise WireError("IpAddress not 4 bytes")
        return (IPADDRESS, ".".join(map(str, body)))
    if tag == NULL:
        return None
    if tag in (NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW):
        return ExceptionValue(tag)
    raise WireError(f"unknown value tag {tag:#x}")


def _int_at(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    s, e = _expect(buf, pos, end, INTEGER)
    return dec_int(INTEGER, buf[s:e]), e


def _octets_at(buf: bytes, pos: int, end: int) -> tuple[bytes, int]:
    s, e = _expect(buf, pos, end, OCTET_STRING)
    return bytes(buf[s:e]), e


@dataclass(slots=True)
class Pdu:
    tag: int
    request_id: int
    error_status: int           # a GETBULK's non-repeaters
    error_index: int            # a GETBULK's max-repetitions
    varbinds: list              # [(oid str, value)]

    @property
    def non_repeaters(self) -> int:
        return self.error_status

    @property
    def max_repetitions(self) -> int:
        return self.error_index


def pdu_head(buf: bytes, pos: int, end: int) -> tuple[int, int, int, int]:
    """(PDU tag, request id, body start, body end): who the PDU is for, nothing decoded beyond."""
    tag, s, e = _hdr(buf, pos, end)
    if tag not in (GET, GETNEXT, RESPONSE, SET, GETBULK, REPORT):
        raise WireError(f"not a PDU: {tag:#x}")
    rid, p = _int_at(buf, s, e)
    return tag, rid, p, e


def dec_pdu(buf: bytes, pos: int, end: int, request_id: int | None = None) -> Pdu:
    """Decode a PDU; with `request_id`, a RESPONSE to another request raises `Stray` before its varbinds are read."""
    tag, rid, p, e = pdu_head(buf, pos, end)
    if request_id is not None and tag == RESPONSE and rid != request_id:
        raise Stray("another request id")
    error_status, p = _int_at(buf, p, e)
    error_index, p = _int_at(buf, p, e)
    vs, ve = _expect(buf, p, e, SEQUENCE)
    vbs, p = [], vs
    while p < ve:
        s2, e2 = _expect(buf, p, ve, SEQUENCE)
        os_, oe = _expect(buf, s2, e2, OID)
        vt, v_s, v_e = _hdr(buf, oe, e2)
        vbs.append((dec_oid(buf[os_:oe]), dec_value(vt, buf[v_s:v_e])))
        p = e2
    return Pdu(tag, rid, error_status, error_index, vbs)


# --- v2c messages ----------------------------------------------------------------------------------------------

def v2c_message(community: bytes, pdu: bytes) -> bytes:
    return tlv(SEQUENCE, enc_int(1) + tlv(OCTET_STRING, community) + pdu)


def message_version(buf: bytes) -> int:
    s, e = _expect(buf, 0, len(buf), SEQUENCE)
    v, _ = _int_at(buf, s, e)
    return v


def _v2c_at(buf: bytes) -> tuple[bytes, int, int]:
    s, e = _expect(buf, 0, len(buf), SEQUENCE)
    version, p = _int_at(buf, s, e)
    if version not in (0, 1):
        raise WireError("not SNMPv1/v2c")
    community, p = _octets_at(buf, p, e)
    return community, p, e


def v2c_head(buf: bytes) -> tuple[bytes, int, int]:
    """(community, PDU tag, request id) of a v1/v2c message, its varbinds not decoded."""
    community, p, e = _v2c_at(buf)
    tag, rid, _, _ = pdu_head(buf, p, e)
    return community, tag, rid


def parse_v2c(buf: bytes, request_id: int | None = None) -> tuple[bytes, Pdu]:
    community, p, e = _v2c_at(buf)
    return community, dec_pdu(buf, p, e, request_id)
