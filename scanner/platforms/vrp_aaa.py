"""AAA servers and their shared keys in VRP server templates and Comware schemes: what `device.aaa` holds of them
(the servers, and how each shared key is stored)."""
from __future__ import annotations

from scanner.facts import NetworkDevice, PasswordStorage
from scanner.platforms.base import Node


def server_template(dev: NetworkDevice, n: Node) -> None:
    """A HWTACACS/RADIUS server template: its servers, and its shared key (`cipher` is the strongest form a
    key the device must send can take, like Cisco type 6; `simple` is clear text)."""
    dev.aaa.servers.append(n.line)
    dev.read_lines.add(n.line)
    for c in n.children:
        cw = c.words()
        rest = cw[2:] if cw[:1] in (["hwtacacs"], ["radius"]) else cw[1:]
        if rest[:1] in (["authentication"], ["authorization"], ["accounting"]) and len(rest) > 1:
            dev.aaa.servers.append(c.line)      # a server may carry its own key: `... shared-key cipher K`
            rest = rest[rest.index("shared-key"):] if "shared-key" in rest else []
        elif rest[:1] != ["shared-key"]:
            continue
        if len(rest) > 2 and rest[1] in ("cipher", "simple"):
            dev.aaa.keys.append((PasswordStorage.HASH if rest[1] == "cipher" else PasswordStorage.PLAINTEXT,
                                 c.line))
        dev.read_lines.add(c.line)


def comware_scheme(dev: NetworkDevice, n: Node) -> None:
    """A HWTACACS/RADIUS scheme (or the RADIUS dynamic-authorisation server): its servers (`primary|secondary
    authentication|authorization|accounting IP [key ...]`, `client ip IP key ...`) and shared keys (`key
    authentication [cipher|simple] KEY`): `cipher` is the strongest form a key the device must send can take
    (like Cisco type 6); `simple`, or Comware 5's bare key, is clear text."""
    dev.aaa.servers.append(n.line)
    dev.read_lines.add(n.line)
    for c in n.children:
        cw = c.words()
        if cw[:1] in (["primary"], ["secondary"], ["client"]) and len(cw) > 2:
            dev.aaa.servers.append(c.line)
            form = cw[cw.index("key") + 1] if "key" in cw[:-1] else None
        elif cw[:1] == ["key"] and len(cw) > 2:
            form = cw[2] if len(cw) > 3 else "simple"
        else:
            continue
        if form is not None:
            dev.aaa.keys.append((PasswordStorage.HASH if form == "cipher" else PasswordStorage.PLAINTEXT, c.line))
        dev.read_lines.add(c.line)


def binds_servers(w: list[str]) -> bool:
    """A domain's binding of a server template: `hwtacacs-server T`, `hwtacacs server T`, `radius-server T`."""
    return (w[:1] in (["hwtacacs-server"], ["radius-server"]) and len(w) == 2) or (
        w[:2] in (["hwtacacs", "server"], ["radius", "server"]) and len(w) == 3)
