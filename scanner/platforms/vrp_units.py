"""What a VRP/Comware configuration proves about units and login paths: a second device (stack, IRF, hot standby)
and whether a Telnet/SSH server that is on gives any vty login at all."""
from __future__ import annotations

from scanner.facts import MgmtLine, Toggle
from scanner.platforms.base import Node


def redundancy_unit(n: Node, w: list[str], members: dict[str, list[int]]) -> None:
    """Device redundancy is a second unit: stack or IRF members (`stack member N ...` / `stack slot N ...` in
    the stack view, `irf member N ...`, `irf-port N/P` with its ports), or USG hot standby (`hrp enable`). An
    empty `stack` view, one member, or `irf mac-address`/`irf auto-update` (printed on every standalone
    Comware 7 box) show one device; link aggregation (Eth-Trunk, Bridge-Aggregation) is no second device."""
    if w[0] == "hrp":
        if w[1:2] == ["enable"]:
            members.setdefault("hrp", []).append(n.line)
    elif w[0] == "stack":
        for c in n.children:
            cw = c.words()
            if len(cw) > 2 and cw[0] == "stack" and cw[1] in ("member", "slot"):
                members.setdefault(cw[2], []).append(c.line)
    elif w[0] == "irf" and len(w) > 2 and w[1] == "member":
        members.setdefault(w[2], []).append(n.line)
    elif w[0] == "irf-port" and len(w) > 1 and n.children:
        members.setdefault(w[1].split("/")[0], []).append(n.line)


def second_units(members: dict[str, list[int]]) -> list[int]:
    """The redundancy evidence: hot standby lines, and the member lines once two or more units are named."""
    lines = members.pop("hrp", [])
    if len(members) > 1:
        lines += [ln for unit in members.values() for ln in unit]
    return lines


def usable(server: Toggle, lines: list[MgmtLine], protocol: str) -> Toggle:
    """A Telnet or SSH server that is on but that no vty line lets log in (`protocol inbound` excludes it, or the
    line refuses every login) gives no remote management path: it is off in effect, shown by the first vty."""
    vty = [m for m in lines if m.kind == "vty"]
    if not server.enabled or not vty or any(m.auth != "refused" and (m.protocols is None or protocol in m.protocols)
                                            for m in vty):
        return server
    return Toggle(False, vty[0].protocols_line if protocol not in vty[0].protocols else vty[0].line,
                  f"{protocol} server enabled, but no vty line accepts a {protocol} login", server.source)
