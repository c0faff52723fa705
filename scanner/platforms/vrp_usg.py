"""Huawei USG firewall administrators: `manager-user NAME` blocks under `aaa` and the roles bound to them.

On the USG a bound role decides what an administrator may do, on the web UI and at the CLI alike, and the
manager-user's `level` no longer takes effect; an administrator bound to no role gets the role its level maps to
(docs/vendor-defaults.md Q24).
"""
from __future__ import annotations

from scanner.facts import LocalUser, NetworkDevice, PasswordStorage
from scanner.platforms.base import Node, parse_int
from scanner.secrets import traits_of

# USG predefined administrator roles -> (full administrator, normalised level). A bound role decides the rights on the
# web UI and the CLI alike, and the manager-user's `level` no longer takes effect; unbound, levels 3-15 map to
# system-admin, 2 to device-admin, 1 to device-admin(monitor) (docs/vendor-defaults.md Q24). audit-admin configures
# audit policies and reads audit logs: a separate duty below the system administrator.
USG_ROLES = {"system-admin": (True, 15), "device-admin": (False, 2), "device-admin(monitor)": (False, 1),
             "audit-admin": (False, 2)}


def usg_role(user: LocalUser, role: str) -> None:
    """A custom role holds less than system-admin (only system-admin may write the administrator, log, update and
    profile modules): not a full administrator, its level kept."""
    user.is_admin, level = USG_ROLES.get(role, (False, user.privilege))
    user.privilege = level


def manager_user(dev: NetworkDevice, c: Node, name: str) -> None:
    """USG firewall administrators: a `manager-user NAME` block under aaa."""
    user = LocalUser(name=name, line=c.line, lines=[c.line])
    dev.read_lines.add(c.line)
    for cc in c.children:
        cw = cc.words()
        user.lines.append(cc.line)
        dev.read_lines.add(cc.line)
        if cw[:1] == ["password"] and len(cw) > 2:
            # How USG stores manager-user 'cipher' passwords differs by release: do not guess.
            user.storage = {"simple": PasswordStorage.PLAINTEXT}.get(cw[1], PasswordStorage.UNKNOWN)
            if cw[1] == "simple":
                user.password_traits = traits_of(cw[2], name, dev.password_tags, dev.hostname)
        elif cw[:1] == ["level"] and len(cw) > 1:
            user.privilege = parse_int(cw[1])
            user.is_admin = user.privilege is not None and user.privilege >= 3
        elif cw[:1] == ["service-type"]:
            user.services = frozenset(cw[1:])
        elif cw[:1] == ["role"] and len(cw) > 1:
            usg_role(user, cw[1])
        else:
            dev.read_lines.discard(cc.line)
    dev.users.append(user)
