"""What Cisco IOS / IOS-XE does where `show running-config` says nothing, applied once the whole configuration has
been read (the defaults themselves are listed in the docstring of `scanner.platforms.cisco_ios`)."""
from __future__ import annotations

from scanner.facts import MgmtLine, NetworkDevice, Toggle

# vty `transport input` when the line is absent, by IOS major release. Older releases accept every protocol;
# IOS-XE 16.x and later ship with `transport input none` shown explicitly when changed, but the default varies
# by platform, so those releases stay unknown.
TRANSPORT_DEFAULT: dict[int, frozenset[str]] = {
    12: frozenset({"telnet", "ssh"}),
    15: frozenset({"telnet", "ssh"}),
}


def apply_defaults(dev: NetworkDevice, aaa_new_model: bool, login_lists: dict[str, list[str]],
                   line_logins: list[tuple[MgmtLine, list[str] | None, bool]], host_key: bool = True) -> None:
    """Fill what the configuration left to the release: line authentication and transports, services, logging,
    password policy, SNMP versions. `login_lists`: the `aaa authentication login` method lists by name;
    `line_logins`: each line with its `login` words and whether it has a password; `host_key`: the configuration
    shows a trace of an SSH host key (`ip ssh`, `ip domain name`, `crypto key`)."""
    for ml, login_kw, has_password in line_logins:
        ml.auth = line_auth(ml.kind, login_kw, has_password, aaa_new_model, login_lists)
        if ml.kind == "vty" and ml.protocols == frozenset():
            ml.auth = "refused"             # `transport input none`: the line takes no connection at all
        if ml.auth not in ("password", None):
            # a line password the line's login never asks for is no login credential (its storage still counts)
            ml.password_traits = None
        if ml.kind == "vty" and ml.protocols is None:
            ml.protocols = TRANSPORT_DEFAULT.get(dev.os_major or 0)
        if ml.kind != "vty" and ml.protocols is None:
            ml.protocols = frozenset()
    # Logins go to TACACS+/RADIUS first when a remote management line's method list starts with a server group
    # (vty lines the config does not show exist all the same, and use the default list).
    vty_logins = [kw for m, kw, _ in line_logins if m.kind == "vty"] or [None]
    dev.aaa.remote_login = aaa_new_model and any((line_methods(kw, login_lists) or [""])[0] == "group"
                                                 for kw in vty_logins)
    _remote_services(dev, host_key)
    _service_defaults(dev)
    _web_login(dev)


def _remote_services(dev: NetworkDevice, host_key: bool = True) -> None:
    """Telnet and SSH as the vty lines make them: a transport on a line that accepts logins. SSH also needs an RSA
    host key: with no trace of one (no `ip ssh`, `ip domain name` or `crypto key` line) and no vty whose own
    `transport input` line names SSH (an operator who chose SSH manages over it), whether the server runs is
    unknown: the release default transport alone proves no SSH server."""
    vty = [m for m in dev.mgmt_lines if m.kind == "vty"]
    if vty:
        if any(m.protocols is None for m in vty):
            dev.telnet = Toggle(None, None, "vty transport input default depends on the release")
        else:
            # a line that refuses every login is no management path, whatever its transports
            tel = [m for m in vty if "telnet" in m.protocols and m.auth != "refused"]   # type: ignore[operator]
            dev.telnet = Toggle(bool(tel), (tel[0] if tel else vty[0]).line,
                                "" if tel or any(m.auth != "refused" for m in vty) else "vty lines refuse every login")
        open_vty = [m for m in vty if m.auth != "refused"]
        chosen = any(m.protocols_line is not None and "ssh" in (m.protocols or ()) for m in open_vty)
        if dev.ssh.enabled.enabled is None and any("ssh" in (m.protocols or ()) for m in open_vty):
            dev.ssh.enabled = Toggle(True, open_vty[0].line) if host_key or chosen else \
                Toggle(None, None, "no ip ssh / ip domain name / crypto key line: whether an SSH host key exists is "
                                   "not in the configuration")
        elif dev.ssh.enabled.enabled is None and not open_vty:
            # no `ip ssh` line and every vty refuses logins: no SSH login is possible, whatever the transports
            dev.ssh.enabled = Toggle(False, vty[0].line, "vty lines refuse every login")
    else:
        dev.telnet = Toggle(False, None, "no vty lines configured")
    if dev.ssh.enabled.enabled and dev.ssh.v1_allowed.enabled is None:
        dev.ssh.v1_allowed = Toggle(True, None, "ip ssh version 2 absent: SSH 1.99 accepts SSHv1 clients")


def _web_login(dev: NetworkDevice) -> None:
    """The HTTP/HTTPS server authenticates with the enable password unless `ip http authentication local|aaa` says
    otherwise ("The HTTP server uses the enable password method to authenticate a user at privilege level 15",
    Cisco TechNote 13852; AAA login lists do not cover it). When the device holds no credential of any kind (no
    enable secret or password, no account, no line password), whether a web login succeeds is release behaviour the
    configuration cannot show and no credential can be overheard: the web path is then neither a usable clear-text
    login nor a protected one. Beside accounts, administrators type real credentials into that page: a login path.
    HTTPS alone with `ip http authentication local` and no local account (Catalyst 3850 L226-227) is no proven
    protected path either; an HTTP page with that prompt stays a clear-text login path (C9200L L255-256)."""
    web = dev.http if dev.http.enabled else dev.https
    credentials = dev.users or any(m.password_storage is not None for m in dev.mgmt_lines)
    if web.enabled and dev.web_auth is None and dev.enable_secret is None and not credentials:
        dev.web_login = Toggle(None, web.line, "web logins check the enable password (ip http authentication "
                                                "default), and none is set")
    elif dev.https.enabled and not dev.http.enabled and dev.web_auth == "local" and not dev.users:
        dev.web_login = Toggle(None, web.line, "web logins check local accounts (ip http authentication local), "
                                                "and none is configured")


def _service_defaults(dev: NetworkDevice) -> None:
    """Services, logging, password policy, lockout and SNMP where `show running-config` says nothing."""
    if dev.http.enabled is None:
        dev.http = Toggle(False, None, "ip http server absent")
    if dev.https.enabled is None:
        dev.https = Toggle(False, None, "ip http secure-server absent")
    for t in (dev.ftp, dev.tftp):
        if t.enabled is None:
            t.enabled = False
    defaults = {"small_servers": False, "finger": False, "bootp": True, "source_route": True, "pad": True,
                "cdp": True}
    for k, v in defaults.items():
        dev.legacy_services.setdefault(k, Toggle(v, None, "default"))
    if dev.logging.timestamps_datetime.enabled is None:
        dev.logging.timestamps_datetime = Toggle(False, None, "service timestamps log datetime absent: uptime stamps")
    if dev.logging.enabled.enabled is None:
        dev.logging.enabled = Toggle(True, None, "logging is on by default")
    if dev.logging.login_events.enabled is None:
        dev.logging.login_events = Toggle(False, None, "login on-failure/on-success log absent")
    if dev.password_policy.enabled is None:
        dev.password_policy.enabled = False
    if dev.password_policy.min_classes is None:
        dev.password_policy.min_classes = 0      # only a common-criteria policy demands character classes
    if dev.password_policy.max_age_days is None:
        dev.password_policy.max_age_days = 0     # IOS local passwords never expire without a CC policy
    if dev.lockout.enabled is None:
        dev.lockout.enabled = False
    snmp = dev.snmp
    versions = set()
    if snmp.communities:
        versions |= {"v1", "v2c"}
    if snmp.v3_groups_priv or snmp.v3_groups_weak or snmp.users:
        versions.add("v3")
    snmp.versions = frozenset(versions)
    snmp.enabled = bool(versions)
    if not versions and snmp.notifications:
        # `snmp-server enable traps` starts the agent (any snmp-server command does), but no community, user or
        # group says which versions it answers: a capture with its communities removed, or versions left unstated
        snmp.enabled, snmp.versions = True, None


def line_methods(login_kw: list[str] | None, login_lists: dict[str, list[str]]) -> list[str] | None:
    """The method list a line logs in with under `aaa new-model`: `login authentication NAME` names one, other
    lines use `default`. None when the list is not defined."""
    name = login_kw[1] if login_kw and login_kw[0] == "authentication" and len(login_kw) > 1 else "default"
    return login_lists.get(name)


# The first method decides how a login is checked (later ones only run when a server does not answer).
_METHOD_AUTH = {"group": "aaa", "local": "local", "local-case": "local", "line": "password", "enable": "password",
                "none": "none", "krb5": "aaa", "krb5-telnet": "aaa"}


def line_auth(kind: str, login_kw: list[str] | None, has_password: bool, aaa: bool,
              login_lists: dict[str, list[str]]) -> str | None:
    """How a management line authenticates (none, password, local or aaa); None when only a password would tell.
    Under `aaa new-model` a line goes through its method list (`default` or named): `none` is no authentication,
    `line` the shared line password, `enable` the shared enable password, `local` and `group` what they say."""
    if login_kw == ["refused"]:
        return "refused"         # `no exec`
    if login_kw == ["none"]:
        return "none"
    if aaa:
        methods = line_methods(login_kw, login_lists)
        if methods is None:
            if login_kw and login_kw[0] == "authentication" and login_kw[1:2] != ["default"]:
                return None      # a named list that is not defined: what IOS does with it is not in the config
            return "local"       # no default list: the local user database is used
        return _METHOD_AUTH.get(methods[0], "aaa")
    if login_kw is None:
        if kind in ("console", "aux"):
            return "none"
        # a vty's default is `login` (shown in some releases, left out in others; `no login` is always shown): the
        # line password is asked, and with none set IOS refuses the connection (docs/vendor-defaults.md Q7)
        return "password" if has_password else "refused"
    if login_kw[0] == "local":
        return "local"
    if login_kw[0] == "line":
        # `login` checks the line's own password; with none set IOS refuses every login ("Password required, but
        # none set"), so the line is no way in at all
        return "password" if has_password else "refused"
    return "password" if has_password else None
