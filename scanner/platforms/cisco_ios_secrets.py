"""Where Cisco IOS / IOS-XE keeps secrets: the masker's table of secret syntaxes, the storage forms of passwords and
secrets (type 0 plain, 7 reversible, 4/5 weak hashes, 8/9 hashes), and the type-7 decoder that lets the traits of a
reversible password be judged. Used by `scanner.platforms.cisco_ios`."""
from __future__ import annotations

from scanner.facts import PasswordStorage
from scanner.platforms.base import GENERIC_HINT, GENERIC_SECRET_SYNTAXES, Masker, rest_of_line, value
from scanner.secrets import MARKER_PREFIX

_T = r"(?:[0-9]\s+)"           # a storage type before the value: 0 plain, 6 AES, 7 reversible, 8/9 hashes
# Where IOS / IOS-XE lines carry a secret (tests/fixtures/secrets/SECRETS.yaml lists an example of each with its
# command reference). Each pattern's `secret` group is the value alone: the words around it stay.
SECRET_SYNTAXES = {
    "snmp community": r"^\s*snmp-server community\s+" + value(),
    # a v1/v2c host's community; a version 3 host names a user, which is no secret
    "snmp host": r"^\s*snmp-server host\s+\S+(?:\s+vrf\s+\S+)?(?:\s+(?:informs|traps))?(?:\s+version\s+(?:1|2c))?\s+"
                 + value(),
    "snmp v3 auth key": r"^\s*snmp-server user\s+.*?\bauth\s+(?:md5|sha\S*)\s+" + value(),
    "snmp v3 priv key": r"^\s*snmp-server user\s+.*?\bpriv\s+(?:des|3des|aes\s+\d+)\s+" + value(),
    # ` key K` closes a line inside `tacacs server`, `radius server` and isakmp group blocks; a bare number there
    # is a key chain's key id (`key chain X` / ` key 1`), which is no secret
    "server key (tacacs/radius blocks, isakmp group)": r"^\s*key\s+" + _T + r"?(?!\d+\s*$)(?!chain\s|config-key\s)"
                                                       + rest_of_line(),
    "tacacs/radius-server [host ...] key": r"^\s*(?:tacacs-server|radius-server)\s+(?:host\s+\S+.*?\s)?key\s+"
                                            + _T + "?" + rest_of_line(),
    "aaa group server-private ... key": r"^\s*server-private\s+.*?\bkey\s+" + _T + "?" + value(),
    "key with a storage type": r"\bkey\s+[067]\s+" + value(),
    "dynamic-author server-key": r"\bserver-key\s+" + _T + "?" + value(),
    "isakmp key": r"^\s*crypto isakmp key\s+" + _T + "?" + value(),
    "keyring pre-shared-key address/hostname ... key": r"\bpre-shared-key\s+(?:address|hostname)\s+.*?\bkey\s+"
                                                       + _T + "?" + value(),
    "ikev2 pre-shared-key [local|remote]": r"\bpre-shared-key\s+(?:(?:local|remote)\s+)?" + _T + "?" + value(),
    "ntp authentication-key": r"^\s*ntp authentication-key\s+\d+\s+\S+\s+" + value(),
    "ospf message-digest-key": r"\bmessage-digest-key\s+\d+\s+md5\s+" + _T + "?" + value(),
    "ospfv3 ipsec key": r"\bipsec\s+spi\s+\d+\s+(?:md5|sha1)\s+" + _T + "?" + value(),
    "hsrp/vrrp/glbp authentication": r"^\s*(?:standby|vrrp|glbp)\s+(?:\d+\s+)?authentication\s+"
                                     r"(?:text\s+|md5\s+key-string\s+" + _T + "?)?" + value(),
    "wireless wpa-psk": r"\b(?:wpa-psk|set-key)\s+(?:ascii|hex)\s+" + _T + "?" + rest_of_line(),
    "config-key password-encrypt": r"\bconfig-key\s+password-encrypt\s+" + value(),
    "password/secret [level N] [type]": r"\b(?:password|secret)\s+(?:level\s+\d+\s+)?" + _T
                                        + r"?(?!encryption\s)" + rest_of_line("level-1", "level-2"),
    **GENERIC_SECRET_SYNTAXES,
}
# Literal words of which every line above holds one (the corpus tests fail when a syntax escapes it).
SECRET_HINT = "key|snmp-server|ipsec|authentication|psk|" + GENERIC_HINT
MASKER = Masker(SECRET_SYNTAXES.values(), SECRET_HINT)


def type7_decode(enc: str) -> str | None:
    key = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
    try:
        seed = int(enc[:2])
        data = bytes.fromhex(enc[2:])
    except ValueError:
        return None
    return "".join(chr(b ^ ord(key[(seed + i) % len(key)])) for i, b in enumerate(data))


def password_storage(kind: str, typ: str | None, value: str) -> tuple[PasswordStorage, str | None]:
    """Storage form and, for decodable forms only, the password itself."""
    if kind == "secret":
        if typ in ("8", "9"):
            return PasswordStorage.HASH, None
        if typ in ("4", "5"):
            return PasswordStorage.WEAK_HASH, None
        if typ in (None, "0"):
            return PasswordStorage.PLAINTEXT, value
        return PasswordStorage.UNKNOWN, None
    if typ in (None, "0"):
        return PasswordStorage.PLAINTEXT, value
    if typ == "7":
        return PasswordStorage.REVERSIBLE, value if value.startswith(MARKER_PREFIX) else type7_decode(value)
    if typ in ("8", "9"):
        return PasswordStorage.HASH, None
    return PasswordStorage.UNKNOWN, None


def password_tokens(words: list[str]) -> tuple[str, str | None, str] | None:
    """Find `password|secret [level N] [type] VALUE` in a word list. VALUE is the last option and may hold spaces
    (IOS reads it to the end of the line), so the words after the type are joined."""
    for i, w in enumerate(words):
        if w in ("password", "secret") and i + 1 < len(words):
            rest = words[i + 1:]
            if rest[0] == "level" and len(rest) > 2:
                rest = rest[2:]
            if len(rest) >= 2 and rest[0].isdigit() and len(rest[0]) == 1:
                return w, rest[0], " ".join(rest[1:])
            return w, None, " ".join(rest)
    return None
