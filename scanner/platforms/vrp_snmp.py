"""SNMP agent lines of VRP and Comware (`snmp-agent ...`): what `device.snmp` holds."""
from __future__ import annotations

from scanner.facts import NetworkDevice, SnmpCommunity, SnmpUser
from scanner.platforms.base import Node
from scanner.secrets import is_common


def snmp_line(dev: NetworkDevice, n: Node, body: list[str], undo: bool) -> None:
    """One `[undo] snmp-agent ...` line: the agent, versions, communities, v3 groups and users, trap hosts."""
    snmp = dev.snmp
    if body[1:3] == ["trap", "type"]:
        # `snmp-agent trap type base-trap`: VRP8 routers print it in their factory configuration, agent on or off;
        # it turns nothing on and opens no access (the agent is `snmp-agent`, or a community / user configured)
        dev.read_lines.add(n.line)
        return
    snmp.lines.append(n.line)
    if body == ["snmp-agent"]:
        snmp.enabled = not undo
        dev.read_lines.add(n.line)
        return
    if len(body) < 3:
        return
    dev.read_lines.add(n.line)
    sub = body[1]
    if sub == "sys-info" and body[2] == "version":
        vers = set(body[3:])
        if "all" in vers:
            vers = {"v1", "v2c", "v3"}
        vers &= {"v1", "v2c", "v3"}
        cur = set(snmp.versions or ())
        snmp.versions = frozenset(cur - vers) if undo else frozenset(cur | vers)
        snmp.versions_line = n.line
    elif sub == "community" and not undo and body[2] in ("read", "write", "cipher", "simple"):
        # `snmp-agent community read|write [cipher|simple] NAME ...`; Comware 7 also writes
        # `snmp-agent community [cipher|simple] NAME user-role ROLE`, the role giving the access
        role = body[body.index("user-role") + 1] if "user-role" in body[:-1] else None
        write = body[2] == "write" or role in ("network-admin", "level-15")
        rest = body[3:] if body[2] in ("read", "write") else body[2:]
        hidden = bool(rest) and rest[0] == "cipher"
        if rest and rest[0] in ("cipher", "simple"):
            rest = rest[1:]
        name = rest[0] if rest else ""
        acl = None
        if "acl" in rest:
            i = rest.index("acl")
            acl = rest[i + 1] if i + 1 < len(rest) else None
            if acl == "name" and i + 2 < len(rest):
                acl = rest[i + 2]
        snmp.communities.append(SnmpCommunity("rw" if write else "ro", n.line, acl, not hidden and is_common(name),
                                              hidden))
    elif sub == "group" and not undo and len(body) > 3 and body[2] == "v3":
        level = body[4] if len(body) > 4 else "noauthentication"
        (snmp.v3_groups_priv if level == "privacy" else snmp.v3_groups_weak).append(n.line)
    elif sub == "usm-user" and not undo and len(body) > 3 and body[2] in ("v1", "v2c"):
        # Comware: a v1/v2c "user" is a community named after it (the name is the secret, not a user name)
        acl = body[body.index("acl") + 1] if "acl" in body[:-1] else None
        snmp.communities.append(SnmpCommunity("ro", n.line, acl, is_common(body[3])))
    elif sub == "usm-user" and not undo and len(body) > 3:
        auth = body[body.index("authentication-mode") + 1] if "authentication-mode" in body else None
        priv = body[body.index("privacy-mode") + 1] if "privacy-mode" in body else None
        # VRP8/Comware 7 write one usm-user over several lines (group, auth, privacy): merge them.
        user = next((u for u in snmp.users if u.name == body[3]), None)
        if user is None:
            snmp.users.append(SnmpUser(body[3], n.line, auth, priv))
        else:
            user.auth, user.priv = auth or user.auth, priv or user.priv
    elif sub == "target-host":
        snmp.trap_hosts.append(n.line)
    else:
        dev.read_lines.discard(n.line)
