"""Vendor-neutral facts about a network device, produced once by a platform parser.

`None` always means "unknown" (the line is absent and the vendor default depends on the release, or the source
does not say); checks turn unknown into a manual verdict, never a pass. Every fact keeps the config line numbers
that established it, so checks can cite evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from scanner.secrets import PasswordTraits


class PasswordStorage(StrEnum):
    NONE = "none"                  # no password at all
    PLAINTEXT = "plaintext"        # Cisco type 0 / 'password simple'
    REVERSIBLE = "reversible"      # Cisco type 7, Huawei 'cipher', Comware 'cipher': decodable
    WEAK_HASH = "weak_hash"        # Cisco type 5 (MD5)
    HASH = "hash"                  # Cisco type 8/9, Huawei irreversible-cipher, Comware hash
    UNKNOWN = "unknown"


PLAINTEXT_LIKE = (PasswordStorage.PLAINTEXT, PasswordStorage.REVERSIBLE)


@dataclass(slots=True)
class LocalUser:
    name: str
    line: int
    storage: PasswordStorage = PasswordStorage.UNKNOWN
    privilege: int | None = None          # vendor-normalised: the highest level means full admin
    is_admin: bool | None = None          # holds the platform's top privilege / admin role
    services: frozenset[str] = frozenset()  # ssh, telnet, http, https, terminal, ftp ...
    disabled: bool = False
    lines: list[int] = field(default_factory=list)
    # Only for plaintext/reversible forms the parser can read; the password itself is never kept.
    password_traits: PasswordTraits | None = None
    secret_fingerprint: str | None = None   # keyed digest of the stored (or decoded) secret: reuse across devices
    # a factory account of the vendor (scanner/platforms/data/credentials_<platform>.yaml); None: the platform ships
    # no factory-account data, and checks fall back to well-known names
    factory_account: bool | None = None


@dataclass(slots=True)
class MgmtLine:
    """A console/vty/aux login line (Cisco 'line', Huawei/H3C 'user-interface' or 'line')."""
    kind: str                        # console, vty, aux
    name: str                        # e.g. 'vty 0 4'
    line: int
    auth: str | None = None          # none, password, local (per-user), aaa; None = unknown
    protocols: frozenset[str] | None = None   # {'ssh'}, {'ssh','telnet'}; None = unknown
    protocols_line: int | None = None         # the line that set them, when the config does
    idle_timeout_s: int | None = None         # 0 = never; None = unknown
    acl_in: str | None = None
    authorization: str | None = None          # the method list granting privileges on this line (Cisco)
    lines: list[int] = field(default_factory=list)
    # The line's own shared password, when the parser can read it (clear or reversible); never the value itself
    password_traits: PasswordTraits | None = None
    password_line: int | None = None
    password_storage: PasswordStorage | None = None   # how that password is stored (None: the line has none)
    # password mode with no password configured (VRP/Comware console or AUX): by release it refuses logins or asks
    # for a password at the first login, so who logs in there is unknown (a vty so configured is `refused`)
    password_missing: bool = False
    privilege: int | None = None     # the level a session on the line starts at (`privilege level`, `user privilege level`)
    # a session opened with no login holds or reaches administrator rights (the line's level or role, the vendor's
    # default, `enable` with no password on an IOS console); None: unknown, or the line asks for a login
    anonymous_admin: bool | None = None


@dataclass(slots=True)
class AclRule:
    action: str            # permit / deny
    source: str            # 'any' or an address/wildcard text
    line: int


@dataclass(slots=True)
class Acl:
    name: str
    line: int
    rules: list[AclRule] = field(default_factory=list)


@dataclass(slots=True)
class Toggle:
    """A service or feature that is on, off or unknown, with the line that decided it."""
    enabled: bool | None = None
    line: int | None = None
    note: str = ""
    source: str = "config"      # the output `line` refers to (a status command can settle a default)


@dataclass(slots=True)
class PasswordPolicy:
    enabled: bool | None = None          # the policy feature as a whole (Comware password-control)
    min_length: int | None = None
    min_classes: int | None = None       # character classes required
    max_age_days: int | None = None      # 0 = never expires
    history: int | None = None
    lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Lockout:
    enabled: bool | None = None
    max_attempts: int | None = None
    lock_seconds: int | None = None      # 0 = locked until an admin unlocks
    lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class SnmpCommunity:
    access: str              # ro / rw
    line: int
    acl: str | None = None
    well_known: bool = False  # public / private / vendor default
    name_hidden: bool = False  # stored encrypted (`cipher`): it may be a default one, the config cannot tell


@dataclass(slots=True)
class SnmpUser:
    name: str
    line: int
    auth: str | None = None   # md5 / sha / sha2-256 ...
    priv: str | None = None   # des / 3des / aes128 ...


@dataclass(slots=True)
class Snmp:
    enabled: bool | None = None
    versions: frozenset[str] | None = None      # {'v1','v2c','v3'}; None = unknown
    versions_line: int | None = None
    communities: list[SnmpCommunity] = field(default_factory=list)
    users: list[SnmpUser] = field(default_factory=list)
    v3_groups_priv: list[int] = field(default_factory=list)   # lines of v3 groups requiring privacy
    v3_groups_weak: list[int] = field(default_factory=list)   # lines of v3 groups with noauth/auth only
    trap_hosts: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notifications: list[int] = field(default_factory=list)    # lines enabling traps/informs (the agent sends them)


@dataclass(slots=True)
class SyslogHost:
    address: str
    line: int
    transport: str = "udp"


@dataclass(slots=True)
class Logging:
    enabled: Toggle = field(default_factory=Toggle)
    hosts: list[SyslogHost] = field(default_factory=list)
    timestamps_datetime: Toggle = field(default_factory=Toggle)
    login_events: Toggle = field(default_factory=Toggle)     # login success/failure logged


@dataclass(slots=True)
class SshServer:
    enabled: Toggle = field(default_factory=Toggle)
    v1_allowed: Toggle = field(default_factory=Toggle)
    acl: str | None = None
    acl_line: int | None = None
    ciphers: list[str] | None = None
    macs: list[str] | None = None
    lines: list[int] = field(default_factory=list)
    pubkey_users: list[str] = field(default_factory=list)   # accounts that may log in with an SSH public key


@dataclass(slots=True)
class Interface:
    name: str
    line: int
    physical: bool
    shutdown: bool
    description: str | None = None
    has_address: bool = False
    addresses: list[str] = field(default_factory=list)     # the device's own IPv4/IPv6 addresses, without mask


@dataclass(slots=True)
class Aaa:
    remote_login: bool = False           # logins authenticated by TACACS+/RADIUS first
    servers: list[int] = field(default_factory=list)
    # shared keys with RADIUS/TACACS+ servers stored in the configuration: (storage, line)
    keys: list[tuple[PasswordStorage, int]] = field(default_factory=list)
    accounting: bool = False
    lines: list[int] = field(default_factory=list)
    authorization: list[int] = field(default_factory=list)   # privileges granted by the AAA server (exec, commands)
    enable_methods: list[str] = field(default_factory=list)  # how privilege escalation (enable) is authenticated


# The stanzas checks read. A parser reports each line inside one of them that it did not recognise (issue 9):
# the engine keeps a check whose facts come from such a stanza from passing on it.
STANZAS = ("aaa", "local-user", "user-interface", "line", "snmp", "ssh", "telnet", "ftp", "http", "web",
           "info-center", "logging", "ntp", "acl", "password-control", "mgmt-interface")


@dataclass(frozen=True, slots=True)
class UnreadLine:
    """A line inside a stanza the checks read that the parser did not recognise."""
    stanza: str        # one of STANZAS
    line: int          # 1-based line number in `document`
    text: str          # the line as written (stripped); secrets are masked by the parser's Masker before output
    document: str = "config"


@dataclass(slots=True)
class NetworkDevice:
    platform: str
    hostname: str | None = None
    hostname_line: int | None = None
    model: str | None = None
    software_version: str | None = None
    os_major: int | None = None            # VRP 5/8, Comware 5/7, IOS 12/15/16/17
    unrecognized: list[UnreadLine] = field(default_factory=list)   # unread lines in the stanzas checks read
    users: list[LocalUser] = field(default_factory=list)
    enable_secret: LocalUser | None = None   # Cisco enable / Huawei super password
    mgmt_lines: list[MgmtLine] = field(default_factory=list)
    acls: dict[str, Acl] = field(default_factory=dict)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    lockout: Lockout = field(default_factory=Lockout)
    aaa: Aaa = field(default_factory=Aaa)
    ssh: SshServer = field(default_factory=SshServer)
    telnet: Toggle = field(default_factory=Toggle)
    http: Toggle = field(default_factory=Toggle)
    https: Toggle = field(default_factory=Toggle)
    web_acl: str | None = None            # the ACL limiting who reaches web management (HTTP/HTTPS)
    web_auth: str | None = None           # how web logins authenticate: local / aaa (individual accounts)
    web_idle_timeout_s: int | None = None  # web management sessions end after this idle time (0 = never); None: default
    web_idle_timeout_line: int | None = None
    # whether a web login can succeed at all: None when its method checks a credential the config does not hold and
    # what the server then does rests on the release (Cisco: the enable password, none set)
    web_login: Toggle = field(default_factory=lambda: Toggle(True))
    ftp: Toggle = field(default_factory=Toggle)
    tftp: Toggle = field(default_factory=Toggle)
    # further risky services keyed by a neutral name (small_servers, finger, bootp, source_route, pad, cdp...)
    legacy_services: dict[str, Toggle] = field(default_factory=dict)
    snmp: Snmp = field(default_factory=Snmp)
    logging: Logging = field(default_factory=Logging)
    ntp_servers: list[int] = field(default_factory=list)
    ntp_hosts: list[str] = field(default_factory=list)   # the time sources' addresses/names, as configured
    banner_lines: list[int] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    redundancy_lines: list[int] = field(default_factory=list)   # stack/IRF/VRRP/HSRP/link aggregation
    complete: bool = True                  # the config's end marker was seen
    # value -> tag while parsing, so equal passwords get equal tags; emptied when parsing ends.
    password_tags: dict[str, str] = field(default_factory=dict, repr=False)
    # numbers of the lines the parser turned into a fact, while parsing: what it did not read inside a stanza checks
    # read becomes `unrecognized`; emptied when parsing ends.
    read_lines: set[int] = field(default_factory=set, repr=False)
