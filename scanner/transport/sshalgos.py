"""Which SSH algorithms the scanner offers, and the SHA-1 ones old devices need when the inventory allows them.

By default the client offers no CBC cipher, no MD5 or 96-bit MAC, no SHA-1 key exchange and no ssh-rsa (SHA-1)
signature. paramiko 5 dropped SHA-1 key exchange and ssh-rsa signatures altogether; older VRP, Comware and IOS
releases speak nothing else, so `LegacyTransport` adds them back for the assets that allow legacy algorithms
(`ssh_legacy: true`), on its own class, never on paramiko's. The server's offer is read from its KEXINIT so the
report can flag the weak algorithms a device still accepts.
"""
from __future__ import annotations

import json
from hashlib import sha1

import paramiko
from cryptography.hazmat.primitives import hashes
from paramiko.kex_group14 import KexGroup14SHA256
from paramiko.message import Message

WEAK_KEX = ("diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1")
WEAK_HOST_KEYS = ("ssh-rsa", "ssh-dss")
WEAK_CIPHER_MARKERS = ("-cbc", "arcfour", "blowfish", "cast128", "rijndael")
WEAK_MACS = ("hmac-md5", "hmac-md5-96", "hmac-sha1-96", "hmac-md5-etm@openssh.com", "hmac-md5-96-etm@openssh.com",
             "hmac-sha1-96-etm@openssh.com", "hmac-ripemd160", "umac-32@openssh.com")


def is_weak(kind: str, name: str) -> bool:
    if kind == "kex":
        return name in WEAK_KEX
    if kind == "host_key":
        return name in WEAK_HOST_KEYS
    if kind == "cipher":
        return any(m in name for m in WEAK_CIPHER_MARKERS) or name in ("3des", "des", "none")
    if kind == "mac":
        return name in WEAK_MACS
    return False


class Sha1RsaKey(paramiko.RSAKey):
    """An RSA key that also signs and verifies `ssh-rsa` (SHA-1) signatures."""
    HASHES = {**paramiko.RSAKey.HASHES, "ssh-rsa": hashes.SHA1}


class KexGroup14SHA1(KexGroup14SHA256):
    name = "diffie-hellman-group14-sha1"
    hash_algo = sha1


class KexGroup1SHA1(KexGroup14SHA256):
    # RFC 2409 section 6.2 (Oakley group 2, 1024-bit)
    P = int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386B"
            "FB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16)
    name = "diffie-hellman-group1-sha1"
    hash_algo = sha1


class LegacyTransport(paramiko.Transport):
    """paramiko's transport plus SHA-1 key exchange and ssh-rsa host keys, offered after the modern ones."""
    _kex_info = {**paramiko.Transport._kex_info, KexGroup14SHA1.name: KexGroup14SHA1,
                 KexGroup1SHA1.name: KexGroup1SHA1}
    _key_info = {**paramiko.Transport._key_info, "ssh-rsa": Sha1RsaKey}
    _preferred_kex = paramiko.Transport._preferred_kex + (KexGroup14SHA1.name, KexGroup1SHA1.name)
    _preferred_keys = paramiko.Transport._preferred_keys + ("ssh-rsa",)


def disabled_algorithms(legacy: bool) -> dict[str, list[str]]:
    """paramiko `disabled_algorithms`: the weak ones unless the asset allows legacy algorithms."""
    if legacy:
        return {}
    t = LegacyTransport
    return {"ciphers": [c for c in t._preferred_ciphers if is_weak("cipher", c)],
            "macs": [m for m in t._preferred_macs if is_weak("mac", m)],
            "kex": [k for k in t._preferred_kex if is_weak("kex", k)],
            "keys": [k for k in t._preferred_keys if is_weak("host_key", k)],
            "pubkeys": ["ssh-rsa"]}


class RecordingTransport(paramiko.Transport):
    """Keeps the server's algorithm offer (its KEXINIT) and the agreed key exchange for the report."""
    server_offer: dict[str, list[str]] | None = None
    agreed_kex: str | None = None
    # How long the session's reading thread blocks before it looks whether the session was closed (paramiko:
    # 0.1 s). While a device takes seconds to answer, hundreds of sessions in flight woke ten times a second each
    # for nothing; a closed socket still ends the thread at once, and a banner or handshake timeout is seen at
    # most this much later.
    _active_check_timeout = 0.5

    def _parse_kex_init(self, m):
        self.server_offer = _offer(m)
        super()._parse_kex_init(m)
        self.agreed_kex = getattr(self.kex_engine, "name", None)


class RecordingLegacyTransport(LegacyTransport, RecordingTransport):
    pass


def transport_class(legacy: bool) -> type[paramiko.Transport]:
    return RecordingLegacyTransport if legacy else RecordingTransport


def _offer(m: Message) -> dict[str, list[str]] | None:
    try:
        copy = Message(m.asbytes())
        copy.rewind()
        copy.get_bytes(16)                    # cookie
        kex, host_key, cipher_cs, cipher_sc, mac_cs, mac_sc = (copy.get_list() for _ in range(6))
    except Exception:                         # a malformed offer is paramiko's to reject, not ours
        return None
    markers = ("ext-info-", "kex-strict-")          # protocol extension flags, not algorithms
    return {"kex": [k for k in kex if not k.startswith(markers)], "host_key": host_key,
            "cipher": list(dict.fromkeys(cipher_cs + cipher_sc)), "mac": list(dict.fromkeys(mac_cs + mac_sc))}


def algorithms_document(transport: paramiko.Transport) -> str | None:
    """The `ssh_algorithms` output: the server's offer and what was negotiated, as JSON (no secrets in it)."""
    offer = getattr(transport, "server_offer", None)
    if offer is None:
        return None
    negotiated = {"kex": getattr(transport, "agreed_kex", None),
                  "host_key": transport.host_key_type, "cipher": transport.remote_cipher,
                  "mac": transport.remote_mac}
    return json.dumps({"offered": offer, "negotiated": negotiated}, sort_keys=True, indent=1)
