"""Cisco IOS / IOS-XE accounts and authentication: `username`, `enable`, `aaa ...` (method lists, local lockout,
common-criteria password policy), shared keys with RADIUS/TACACS+ servers and `login` (block-for, login logging).
Part of the cisco_ios platform (its parser calls these per statement)."""
from __future__ import annotations

from scanner.facts import LocalUser, NetworkDevice, PasswordStorage, Toggle
from scanner.platforms.base import Node, parse_int
from scanner.platforms.cisco_ios_secrets import password_storage, password_tokens
from scanner.secrets import fingerprint, traits_of


def user(dev: NetworkDevice, n: Node, w: list[str]) -> None:
    name = w[1]
    user = next((u for u in dev.users if u.name == name), None)
    if user is None:
        user = LocalUser(name=name, line=n.line, privilege=1)
        dev.users.append(user)
    user.lines.append(n.line)
    if "privilege" in w:
        i = w.index("privilege")
        user.privilege = parse_int(w[i + 1]) if i + 1 < len(w) else user.privilege
    if "nopassword" in w:
        user.storage = PasswordStorage.NONE
    tok = password_tokens(w[2:])
    if tok:
        kind, typ, value = tok
        user.storage, known = password_storage(kind, typ, value)
        user.secret_fingerprint = fingerprint(known if known is not None else value)
        user.password_traits = traits_of(known, name, dev.password_tags, dev.hostname) if known is not None else None
    user.is_admin = (user.privilege or 1) >= 15

def enable(dev: NetworkDevice, n: Node, w: list[str]) -> None:
    tok = password_tokens(w[1:])
    if not tok:
        return
    kind, typ, value = tok
    storage, known = password_storage(kind, typ, value)
    # `enable secret` wins over `enable password` when both exist.
    if dev.enable_secret is not None and kind == "password" and dev.enable_secret.services == frozenset({"secret"}):
        return
    dev.enable_secret = LocalUser(name="enable", line=n.line, storage=storage, privilege=15, is_admin=True,
                                  services=frozenset({kind}), lines=[n.line],
                                  secret_fingerprint=fingerprint(known if known is not None else value),
                                  password_traits=traits_of(known, "enable", dev.password_tags, dev.hostname)
                                  if known is not None else None)

def server_keys(dev: NetworkDevice, n: Node, read: set[int] | None = None) -> None:
    """Shared keys with AAA servers: `tacacs-server [host H] key [0|7|6] K`, `key 7 K` under `tacacs server X`,
    `server-private IP key 7 K` under `aaa group server`. Type 0 is clear, 7 reversible, 6 AES-encrypted."""
    for node in (n, *n.children):
        w = node.words()
        word = "key" if "key" in w[:-1] else "server-key" if "server-key" in w[:-1] else None
        if word is None:
            continue
        rest = w[w.index(word) + 1:]
        kind = rest[0] if len(rest) > 1 and rest[0] in ("0", "6", "7") else "0"
        storage = {"0": PasswordStorage.PLAINTEXT, "7": PasswordStorage.REVERSIBLE, "6": PasswordStorage.HASH}[kind]
        dev.aaa.keys.append((storage, node.line))
        if read is not None:
            read.add(node.line)


def server(dev: NetworkDevice, n: Node, w: list[str], read: set[int]) -> bool:
    """`tacacs-server|radius-server host|key ...` and the `tacacs server X` / `radius server X` blocks."""
    if w[1:2] == ["host"] or (w[0] in ("tacacs", "radius") and w[1:2] == ["server"]):
        dev.aaa.servers.append(n.line)
    elif w[1:2] != ["key"]:
        return False
    server_keys(dev, n, read)
    return True


def aaa(dev: NetworkDevice, n: Node, w: list[str], login_lists: dict[str, list[str]], read: set[int]) -> bool:
    """One `aaa ...` statement; whether it was recognised (the lines it read beneath it go into `read`)."""
    dev.aaa.lines.append(n.line)
    if w[1:2] == ["new-model"]:
        pass                                  # read by the parser: it changes how every line logs in
    elif w[1:3] == ["group", "server"]:
        dev.aaa.servers.append(n.line)
        server_keys(dev, n, read)
        read.update(c.line for c in n.children if c.words()[:2] == ["server", "name"])
    elif w[1:3] == ["authentication", "login"] and len(w) > 4:
        login_lists[w[3]] = w[4:]
    elif w[1:2] == ["authorization"] and len(w) >= 3:
        dev.aaa.authorization.append(n.line)     # `aaa authorization exec|commands N LIST ...`, `console`, ...
    elif w[1:4] == ["authentication", "enable", "default"] and len(w) > 4:
        dev.aaa.enable_methods = w[4:]           # `aaa authentication enable default group X enable`
    elif w[1:2] == ["accounting"]:
        dev.aaa.accounting = True
        read.update(c.line for c in n.children)      # `action-type`, `broadcast`: part of the same record
    elif w[1:3] == ["local", "authentication"] and "max-fail" in w:
        i = w.index("max-fail")
        dev.lockout.enabled = True
        dev.lockout.max_attempts = parse_int(w[i + 1]) if i + 1 < len(w) else None
        dev.lockout.lock_seconds = 0
        dev.lockout.lines.append(n.line)
    elif w[1:3] == ["common-criteria", "policy"]:
        cc_policy(dev, n, read)
    elif w[1:4] == ["server", "radius", "dynamic-author"]:
        server_keys(dev, n, read)     # RADIUS change-of-authorization clients: their `server-key`s are shared keys
    else:
        return False
    return True

def cc_policy(dev: NetworkDevice, n: Node, read: set[int]) -> None:
    pol = dev.password_policy
    pol.enabled = True
    pol.lines.append(n.line)
    classes = 0
    for c in n.children:
        cw = c.words()
        if len(cw) < 2:
            continue
        if cw[0] in ("min-length", "upper-case", "lower-case", "numeric-count", "special-case", "lifetime", "history",
                     "char-changes"):       # char-changes: characters a new password must change (no check's rule)
            pol.lines.append(c.line)
            read.add(c.line)
        if cw[0] == "min-length":
            pol.min_length = max(pol.min_length or 0, parse_int(cw[1]) or 0)
        elif cw[0] in ("upper-case", "lower-case", "numeric-count", "special-case") and (parse_int(cw[1]) or 0) > 0:
            classes += 1
        elif cw[0] == "lifetime" and len(cw) > 2:
            per = {"years": 365, "months": 30, "month": 30, "days": 1, "day": 1}.get(cw[1])
            v = parse_int(cw[2])
            if per and v is not None:
                pol.max_age_days = per * v
        elif cw[0] == "history" and len(cw) > 1:
            pol.history = parse_int(cw[1])
    pol.min_classes = max(pol.min_classes or 0, classes)

def login(dev: NetworkDevice, n: Node, w: list[str]) -> bool:
    if w[1] == "block-for" and "attempts" in w:
        i = w.index("attempts")
        dev.lockout.enabled = True
        dev.lockout.max_attempts = parse_int(w[i + 1]) if i + 1 < len(w) else None
        dev.lockout.lock_seconds = parse_int(w[2])
        dev.lockout.lines.append(n.line)
    elif w[1] == "on-failure":
        dev.logging.login_events = Toggle(True, n.line)
    elif w[1] == "on-success" and dev.logging.login_events.enabled is not True:
        # successes alone: the failed logins, the events an assessor looks for first, go unrecorded
        dev.logging.login_events = Toggle(False, n.line, "login on-success log without on-failure")
    elif w[1] != "on-success":
        return False
    return True
