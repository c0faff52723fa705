"""SNMPv3 USM cryptography (RFC 3414 / 3826 / 7860 and the vendor drafts): keys from passphrases, the MAC, and
the privacy ciphers. The message layout around them is `scanner.transport.snmpwire`.

Privacy protocols (the names the inventory uses):
- `des` (RFC 3414 CBC-DES), `aes`/`aes128` (RFC 3826 CFB128);
- `aes192`/`aes256`: AES-CFB with the Blumenthal key extension (draft-blumenthal-aes-usm-04: K || H(K) ...), net-snmp's
  `AES-192`/`AES-256`;
- `aes192c`/`aes256c`: AES-CFB with the Reeder key extension that Cisco and most vendors use (the localized key is
  extended by running password-to-key and localisation again over it), net-snmp's `AES-192-C`/`AES-256-C`;
- `des3`/`3des`: 3DES-EDE in CBC mode, key extended the same Reeder way (draft-reeder-snmpv3-usm-3desede-00).
pysnmp implements every one of them and is the cross-check in the tests (tests/test_snmp_hostile.py).
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

AUTH = {  # name -> (hash, MAC length)   RFC 3414 (md5, sha), RFC 7860 (sha224..sha512)
    "md5": (hashlib.md5, 12), "sha": (hashlib.sha1, 12), "sha224": (hashlib.sha224, 16),
    "sha256": (hashlib.sha256, 24), "sha384": (hashlib.sha384, 32), "sha512": (hashlib.sha512, 48)}
PRIV_KEY_LEN = {"des": 16, "aes": 16, "aes128": 16, "aes192": 24, "aes256": 32, "aes192c": 24, "aes256c": 32,
                "des3": 32, "3des": 32}
_REEDER = {"aes192c", "aes256c", "des3", "3des"}
CBC = {"des", "des3", "3des"}           # 8-byte blocks, a boots-based salt; the rest are AES-CFB

_KU_CACHE: dict[tuple[str, bytes], bytes] = {}


class UsmError(ValueError):
    """A key or cipher cannot be used (a configuration error, or ciphertext of an impossible length)."""


def password_to_key(auth: str, password: bytes) -> bytes:
    """RFC 3414 A.2: hash the password repeated to 1 MiB (cached: it is the costly step)."""
    k = (auth, hashlib.sha256(password).digest())
    if k not in _KU_CACHE:
        if len(password) < 8:
            raise UsmError("SNMPv3 passphrases must be at least 8 characters")
        block = (password * (1048576 // len(password) + 1))[:1048576]
        _KU_CACHE[k] = AUTH[auth][0](block).digest()
    return _KU_CACHE[k]


def localize(auth: str, ku: bytes, engine_id: bytes) -> bytes:
    h = AUTH[auth][0]
    return h(ku + engine_id + ku).digest()


def priv_key(auth: str, priv: str, password: bytes, engine_id: bytes) -> bytes:
    """Localized privacy key, extended to the cipher's length (Blumenthal or Reeder, see the module docstring)."""
    k = localize(auth, password_to_key(auth, password), engine_id)
    need = PRIV_KEY_LEN[priv]
    while len(k) < need:
        if priv in _REEDER:
            k += localize(auth, password_to_key(auth, k), engine_id)
        else:
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


def salt_for(priv: str, boots: int, salt: bytes) -> bytes:
    """The privParameters sent: CBC ciphers put the engine boots in the first four bytes."""
    return struct.pack(">I", boots & 0xFFFFFFFF) + salt[4:8] if priv in CBC else salt


def cipher(priv: str, key: bytes, boots: int, etime: int, salt: bytes, encrypt: bool, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    try:                                 # cryptography >= 47 keeps CFB and 3DES among the "decrepit" modes
        from cryptography.hazmat.decrepit.ciphers.modes import CFB
    except ImportError:                  # pragma: no cover - older cryptography
        CFB = modes.CFB
    if priv in CBC:
        from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
        des_key, pre_iv = (key[:8] * 3, key[8:16]) if priv == "des" else (key[:24], key[24:32])
        iv = bytes(x ^ y for x, y in zip(pre_iv, salt))
        c = Cipher(TripleDES(des_key), modes.CBC(iv))
        if encrypt:
            data += b"\x00" * (-len(data) % 8)
        elif len(data) % 8:
            raise UsmError("CBC ciphertext not a multiple of 8")
    else:
        iv = struct.pack(">II", boots & 0xFFFFFFFF, etime & 0xFFFFFFFF) + salt
        c = Cipher(algorithms.AES(key), CFB(iv))
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(data) + op.finalize()
