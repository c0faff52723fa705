"""SNMPv3 messages with the USM (RFC 3414 / 3826 / 7860) on top of the BER codec of `snmpwire`: building,
parsing, authenticating and decrypting. Split from snmpwire so each stays readable; the same hostile-input rules hold
(every decode error is a `WireError`, and whom a message is for can be read before anything else is decoded).
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from scanner.transport.snmpusm import AUTH, Keys, UsmError, UsmUser, cipher, salt_for
from scanner.transport.snmpwire import (OCTET_STRING, SEQUENCE, Pdu, Stray, WireError, _expect, _hdr, _int_at,
                                        _octets_at, dec_pdu, enc_int, tlv)

# --- v3 / USM --------------------------------------------------------------------------------------------------

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
    scoped: bytes | None = None          # the plaintext scoped PDU, not yet decoded (see open_scoped)
    raw: bytes = b""
    auth_offset: int = -1


FLAG_AUTH, FLAG_PRIV, FLAG_REPORTABLE = 1, 2, 4


def build_v3(msg_id: int, flags: int, engine_id: bytes, boots: int, etime: int, user: UsmUser, keys: Keys,
             context_engine_id: bytes, context: bytes, pdu: bytes, salt: bytes | None = None,
             max_size: int = 65507) -> bytes:
    scoped = tlv(SEQUENCE, tlv(OCTET_STRING, context_engine_id) + tlv(OCTET_STRING, context) + pdu)
    priv_params = b""
    if flags & FLAG_PRIV:
        salt = salt_for(user.priv, boots, salt if salt is not None else os.urandom(8))
        priv_params = salt
        data = tlv(OCTET_STRING, cipher(user.priv, keys.priv, boots, etime, salt, True, scoped))
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
    """Decode the envelope only (msgID, flags, engine id, boots, time, user): the caller checks them before the
    scoped PDU is authenticated, decrypted and decoded (`open_scoped`, `verify_and_decrypt`)."""
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
        m.scoped = bytes(buf[se:de])
    else:
        raise WireError("bad msgData")
    return m


def open_scoped(m: V3Message, request_id: int | None = None) -> None:
    """Decode the plaintext scoped PDU into m.context and m.pdu; a RESPONSE to another request raises `Stray`
    before its varbinds are decoded."""
    if m.scoped is None:
        raise WireError("no plaintext scoped PDU")
    buf = m.scoped
    s, e = _expect(buf, 0, len(buf), SEQUENCE)         # DES pads: trust the inner SEQUENCE length
    m.context_engine_id, p = _octets_at(buf, s, e)
    m.context, p = _octets_at(buf, p, e)
    m.pdu = dec_pdu(buf, p, e, request_id)


def scoped_context_engine(m: V3Message) -> bytes | None:
    """The contextEngineID that opens the plaintext scoped PDU, None if it does not parse (a wrong privacy key)."""
    try:
        s, e = _expect(m.scoped or b"", 0, len(m.scoped or b""), SEQUENCE)
        return _octets_at(m.scoped, s, e)[0]
    except WireError:
        return None


def authenticate(m: V3Message, user: UsmUser, keys: Keys) -> None:
    """Check the MAC (constant time) of an authenticated message; raises WireError."""
    if not user.auth:
        raise WireError("authentication not configured")
    mac_len = AUTH[user.auth][1]
    if len(m.auth_params) != mac_len:
        raise WireError("authentication failure")
    zeroed = m.raw[:m.auth_offset] + b"\x00" * mac_len + m.raw[m.auth_offset + mac_len:]
    mac = hmac.new(keys.auth, zeroed, AUTH[user.auth][0]).digest()[:mac_len]
    if not hmac.compare_digest(mac, m.auth_params):
        raise WireError("authentication failure")


def decrypt(m: V3Message, user: UsmUser, keys: Keys) -> None:
    """Decrypt m.encrypted into m.scoped (not decoded); raises WireError."""
    if not user.priv or m.encrypted is None or len(m.priv_params) != 8:
        raise WireError("decryption failure")
    try:
        m.scoped = cipher(user.priv, keys.priv, m.boots, m.time, m.priv_params, False, m.encrypted)
    except UsmError:
        raise WireError("decryption failure") from None
    m.encrypted = None


def verify_and_decrypt(m: V3Message, user: UsmUser, keys: Keys, request_id: int | None = None) -> None:
    """Check the MAC, decrypt and decode the scoped PDU in place; raises WireError (`Stray`: another request)."""
    if m.flags & FLAG_AUTH:
        authenticate(m, user, keys)
    if m.flags & FLAG_PRIV:
        decrypt(m, user, keys)
        try:
            open_scoped(m, request_id)
        except Stray:
            raise
        except WireError:
            raise WireError("decryption failure") from None
    else:
        open_scoped(m, request_id)


# OIDs of the USM statistics an agent reports (RFC 3414 §5)
USM_STATS = {"1.3.6.1.6.3.15.1.1.1.0": "unsupported security level", "1.3.6.1.6.3.15.1.1.2.0": "not in time window",
             "1.3.6.1.6.3.15.1.1.3.0": "unknown user name", "1.3.6.1.6.3.15.1.1.4.0": "unknown engine id",
             "1.3.6.1.6.3.15.1.1.5.0": "wrong digest", "1.3.6.1.6.3.15.1.1.6.0": "decryption error"}
