"""SNMP on the wire: BER encoding of the messages the scanner sends and receives (v2c, and v3 with the USM of
RFC 3414 / 3826 / 7860), shared by the client (`scanner.transport.snmp`) and the lab's agent
(`scanner.lab.snmpagent`).

Why not pysnmp: pysnmp decodes every variable through pyasn1 objects, about 45 ms of CPU for one switch's
ifTable and entity table; on a 1 000-device scan that was most of the scanner's CPU. This module covers only what a
read-only collector needs (GET, GETNEXT, GETBULK, RESPONSE, REPORT; HMAC-MD5/SHA-1/SHA-2 authentication;
AES-128/192/256-CFB and DES-CBC privacy), decodes straight into Python values, and is checked against net-snmp in
both directions: our client against the real `snmpd`, net-snmp's `snmpwalk` against our agent (tests/test_snmp.py).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import struct
from dataclasses import dataclass

# ASN.1 / SNMP tags
INTEGER, OCTET_STRING, NULL, OID, SEQUENCE = 0x02, 0x04, 0x05, 0x06, 0x30
IPADDRESS, COUNTER32, GAUGE32, TIMETICKS, OPAQUE, COUNTER64 = 0x40, 0x41, 0x42, 0x43, 0x44, 0x46
NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW = 0x80, 0x81, 0x82
GET, GETNEXT, RESPONSE, SET, GETBULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA8
_UNSIGNED = {COUNTER32, GAUGE32, TIMETICKS, COUNTER64}


class WireError(ValueError):
    """A malformed or unexpected message (never contains key material)."""


class Exception_:
    """noSuchObject / noSuchInstance / endOfMibView: a value that is not one."""
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
    if isinstance(v, Exception_):
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


def enc_pdu(tag: int, request_id: int, varbinds, a: int = 0, b: int = 0) -> bytes:
    """a, b = error-status, error-index (or non-repeaters, max-repetitions for GETBULK)."""
    vbs = b"".join(tlv(SEQUENCE, enc_oid(o) + enc_value(v)) for o, v in varbinds)
    return tlv(tag, enc_int(request_id) + enc_int(a) + enc_int(b) + tlv(SEQUENCE, vbs))


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
        first = body[0]
        head = f"{first // 40}.{first % 40}" if first < 80 else f"2.{first - 80}"
        return head + "." + ".".join(map(str, body[1:])) if len(body) > 1 else head
    arcs, v = [], 0
    for c in body:
        v = (v << 7) | (c & 0x7F)
        if not c & 0x80:
            arcs.append(v)
            v = 0
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(map(str, head + arcs[1:]))


def dec_value(tag: int, body: bytes):
    if tag == INTEGER:
        return int.from_bytes(body, "big", signed=True)
    if tag in _UNSIGNED:
        return int.from_bytes(body, "big")
    if tag in (OCTET_STRING, OPAQUE):
        return bytes(body)
    if tag == OID:
        return (OID, dec_oid(body))
    if tag == IPADDRESS:
        return (IPADDRESS, ".".join(map(str, body)))
    if tag == NULL:
        return None
    if tag in (NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW):
        return Exception_(tag)
    raise WireError(f"unknown value tag {tag:#x}")


def _int_at(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    s, e = _expect(buf, pos, end, INTEGER)
    return int.from_bytes(buf[s:e], "big", signed=True), e


def _octets_at(buf: bytes, pos: int, end: int) -> tuple[bytes, int]:
    s, e = _expect(buf, pos, end, OCTET_STRING)
    return bytes(buf[s:e]), e


@dataclass(slots=True)
class Pdu:
    tag: int
    request_id: int
    a: int                      # error-status / non-repeaters
    b: int                      # error-index / max-repetitions
    varbinds: list              # [(oid str, value)]


def dec_pdu(buf: bytes, pos: int, end: int) -> Pdu:
    tag, s, e = _hdr(buf, pos, end)
    if tag not in (GET, GETNEXT, RESPONSE, SET, GETBULK, REPORT):
        raise WireError(f"not a PDU: {tag:#x}")
    rid, p = _int_at(buf, s, e)
    a, p = _int_at(buf, p, e)
    b, p = _int_at(buf, p, e)
    vs, ve = _expect(buf, p, e, SEQUENCE)
    vbs, p = [], vs
    while p < ve:
        s2, e2 = _expect(buf, p, ve, SEQUENCE)
        os_, oe = _expect(buf, s2, e2, OID)
        vt, v_s, v_e = _hdr(buf, oe, e2)
        vbs.append((dec_oid(buf[os_:oe]), dec_value(vt, buf[v_s:v_e])))
        p = e2
    return Pdu(tag, rid, a, b, vbs)


# --- v2c messages ----------------------------------------------------------------------------------------------

def v2c_message(community: bytes, pdu: bytes) -> bytes:
    return tlv(SEQUENCE, enc_int(1) + tlv(OCTET_STRING, community) + pdu)


def message_version(buf: bytes) -> int:
    s, e = _expect(buf, 0, len(buf), SEQUENCE)
    v, _ = _int_at(buf, s, e)
    return v


def parse_v2c(buf: bytes) -> tuple[bytes, Pdu]:
    s, e = _expect(buf, 0, len(buf), SEQUENCE)
    version, p = _int_at(buf, s, e)
    if version not in (0, 1):
        raise WireError("not SNMPv1/v2c")
    community, p = _octets_at(buf, p, e)
    return community, dec_pdu(buf, p, e)


# --- v3 / USM --------------------------------------------------------------------------------------------------

AUTH = {  # name -> (hash, MAC length)   RFC 3414 (md5, sha), RFC 7860 (sha224..sha512)
    "md5": (hashlib.md5, 12), "sha": (hashlib.sha1, 12), "sha224": (hashlib.sha224, 16),
    "sha256": (hashlib.sha256, 24), "sha384": (hashlib.sha384, 32), "sha512": (hashlib.sha512, 48)}
PRIV_KEY_LEN = {"des": 16, "aes": 16, "aes128": 16, "aes192": 24, "aes256": 32}

_KU_CACHE: dict[tuple[str, bytes], bytes] = {}


def password_to_key(auth: str, password: bytes) -> bytes:
    """RFC 3414 A.2: hash the password repeated to 1 MiB (cached: it is the costly step)."""
    k = (auth, hashlib.sha256(password).digest())
    if k not in _KU_CACHE:
        if len(password) < 8:
            raise WireError("SNMPv3 passphrases must be at least 8 characters")
        block = (password * (1048576 // len(password) + 1))[:1048576]
        _KU_CACHE[k] = AUTH[auth][0](block).digest()
    return _KU_CACHE[k]


def localize(auth: str, ku: bytes, engine_id: bytes) -> bytes:
    h = AUTH[auth][0]
    return h(ku + engine_id + ku).digest()


def priv_key(auth: str, priv: str, password: bytes, engine_id: bytes) -> bytes:
    """Localized privacy key, extended for AES-192/256 as net-snmp does (Blumenthal: K || H(K) ...)."""
    k = localize(auth, password_to_key(auth, password), engine_id)
    need = PRIV_KEY_LEN[priv]
    while len(k) < need:
        k += AUTH[auth][0](k).digest()
    return k[:need]


@dataclass(slots=True)
class UsmUser:
    name: bytes
    auth: str | None = None          # None = noAuthNoPriv
    auth_password: bytes = b""
    priv: str | None = None
    priv_password: bytes = b""


@dataclass(slots=True)
class Keys:
    auth: bytes = b""
    priv: bytes = b""


def keys_for(user: UsmUser, engine_id: bytes) -> Keys:
    if not user.auth:
        return Keys()
    ka = localize(user.auth, password_to_key(user.auth, user.auth_password), engine_id)
    kp = priv_key(user.auth, user.priv, user.priv_password, engine_id) if user.priv else b""
    return Keys(ka, kp)


def _cipher(priv: str, key: bytes, boots: int, etime: int, salt: bytes, encrypt: bool, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    try:                                 # cryptography >= 47 keeps CFB among the "decrepit" modes
        from cryptography.hazmat.decrepit.ciphers.modes import CFB
    except ImportError:                  # pragma: no cover - older cryptography
        CFB = modes.CFB
    if priv == "des":
        from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
        iv = bytes(x ^ y for x, y in zip(key[8:16], salt))
        c = Cipher(TripleDES(key[:8] * 3), modes.CBC(iv))
        if encrypt:
            data += b"\x00" * (-len(data) % 8)
        elif len(data) % 8:
            raise WireError("DES ciphertext not a multiple of 8")
    else:
        iv = struct.pack(">II", boots, etime) + salt
        c = Cipher(algorithms.AES(key), CFB(iv))
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(data) + op.finalize()


@dataclass(slots=True)
class V3Message:
    msg_id: int
    max_size: int
    flags: int
    engine_id: bytes
    boots: int
    time: int
    user: bytes
    auth_params: bytes
    priv_params: bytes
    context_engine_id: bytes = b""
    context: bytes = b""
    pdu: Pdu | None = None
    encrypted: bytes | None = None
    raw: bytes = b""
    auth_offset: int = -1


FLAG_AUTH, FLAG_PRIV, FLAG_REPORTABLE = 1, 2, 4


def build_v3(msg_id: int, flags: int, engine_id: bytes, boots: int, etime: int, user: UsmUser, keys: Keys,
             context_engine_id: bytes, context: bytes, pdu: bytes, salt: bytes | None = None,
             max_size: int = 65507) -> bytes:
    scoped = tlv(SEQUENCE, tlv(OCTET_STRING, context_engine_id) + tlv(OCTET_STRING, context) + pdu)
    priv_params = b""
    if flags & FLAG_PRIV:
        salt = salt if salt is not None else os.urandom(8)
        if user.priv == "des":
            salt = struct.pack(">I", boots) + salt[4:8]
        priv_params = salt
        data = tlv(OCTET_STRING, _cipher(user.priv, keys.priv, boots, etime, salt, True, scoped))
    else:
        data = scoped
    mac_len = AUTH[user.auth][1] if flags & FLAG_AUTH else 0
    pre = (tlv(OCTET_STRING, engine_id) + enc_int(boots) + enc_int(etime) +
           tlv(OCTET_STRING, user.name if (flags & FLAG_AUTH or user.name) else b""))
    auth_tlv = tlv(OCTET_STRING, b"\x00" * mac_len)
    usm = tlv(SEQUENCE, pre + auth_tlv + tlv(OCTET_STRING, priv_params))
    head = enc_int(3) + tlv(SEQUENCE, enc_int(msg_id) + enc_int(max_size) + tlv(OCTET_STRING, bytes((flags,))) +
                            enc_int(3))
    sec = tlv(OCTET_STRING, usm)
    body = head + sec + data
    msg = bytearray(tlv(SEQUENCE, body))
    if mac_len:
        outer_hdr = len(msg) - len(body)
        usm_hdr = len(usm) - (len(pre) + len(auth_tlv) + len(priv_params) + 2)
        off = outer_hdr + len(head) + (len(sec) - len(usm)) + usm_hdr + len(pre) + (len(auth_tlv) - mac_len)
        mac = hmac.new(keys.auth, bytes(msg), AUTH[user.auth][0]).digest()[:mac_len]
        msg[off:off + mac_len] = mac
    return bytes(msg)


def parse_v3(buf: bytes) -> V3Message:
    """Decode the envelope; the scoped PDU is decoded when plaintext, else kept in `encrypted`."""
    s, e = _expect(buf, 0, len(buf), SEQUENCE)
    version, p = _int_at(buf, s, e)
    if version != 3:
        raise WireError("not SNMPv3")
    gs, ge = _expect(buf, p, e, SEQUENCE)
    msg_id, q = _int_at(buf, gs, ge)
    max_size, q = _int_at(buf, q, ge)
    flags_b, q = _octets_at(buf, q, ge)
    model, q = _int_at(buf, q, ge)
    if model != 3 or len(flags_b) != 1:
        raise WireError("not the user-based security model")
    ss, se = _expect(buf, ge, e, OCTET_STRING)
    us, ue = _expect(buf, ss, se, SEQUENCE)
    engine_id, q = _octets_at(buf, us, ue)
    boots, q = _int_at(buf, q, ue)
    etime, q = _int_at(buf, q, ue)
    user, q = _octets_at(buf, q, ue)
    as_, ae = _expect(buf, q, ue, OCTET_STRING)
    auth_params = bytes(buf[as_:ae])
    priv_params, q = _octets_at(buf, ae, ue)
    m = V3Message(msg_id, max_size, flags_b[0], engine_id, boots, etime, user, auth_params, priv_params,
                  raw=bytes(buf), auth_offset=as_)
    t, ds, de = _hdr(buf, se, e)
    if t == OCTET_STRING:
        m.encrypted = bytes(buf[ds:de])
    elif t == SEQUENCE:
        _scoped(m, buf, se, e)
    else:
        raise WireError("bad msgData")
    return m


def _scoped(m: V3Message, buf: bytes, pos: int, end: int) -> None:
    s, e = _expect(buf, pos, end, SEQUENCE)
    m.context_engine_id, p = _octets_at(buf, s, e)
    m.context, p = _octets_at(buf, p, e)
    m.pdu = dec_pdu(buf, p, e)


def verify_and_decrypt(m: V3Message, user: UsmUser, keys: Keys) -> None:
    """Check the MAC (constant time) and decrypt the scoped PDU in place; raises WireError."""
    if m.flags & FLAG_AUTH:
        if not user.auth:
            raise WireError("authentication not configured")
        mac_len = AUTH[user.auth][1]
        if len(m.auth_params) != mac_len:
            raise WireError("authentication failure")
        zeroed = m.raw[:m.auth_offset] + b"\x00" * mac_len + m.raw[m.auth_offset + mac_len:]
        mac = hmac.new(keys.auth, zeroed, AUTH[user.auth][0]).digest()[:mac_len]
        if not hmac.compare_digest(mac, m.auth_params):
            raise WireError("authentication failure")
    if m.flags & FLAG_PRIV:
        if not user.priv or m.encrypted is None or len(m.priv_params) != 8:
            raise WireError("decryption failure")
        plain = _cipher(user.priv, keys.priv, m.boots, m.time, m.priv_params, False, m.encrypted)
        try:
            # DES pads: trust the inner SEQUENCE length, not the cipher length
            t, s, e = _hdr(plain, 0, len(plain))
            _scoped(m, plain, 0, e)
        except WireError:
            raise WireError("decryption failure") from None
        m.encrypted = None


# OIDs of the USM statistics an agent reports (RFC 3414 §5)
USM_STATS = {"1.3.6.1.6.3.15.1.1.1.0": "unsupported security level", "1.3.6.1.6.3.15.1.1.2.0": "not in time window",
             "1.3.6.1.6.3.15.1.1.3.0": "unknown user name", "1.3.6.1.6.3.15.1.1.4.0": "unknown engine id",
             "1.3.6.1.6.3.15.1.1.5.0": "wrong digest", "1.3.6.1.6.3.15.1.1.6.0": "decryption error"}
