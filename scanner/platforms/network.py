"""What every network-device platform shares under the contract: one `NetworkDevice` parsed from the running
configuration (plus `display/show version` and the status commands), the facts named after the parts checks read,
the equipment assessment, and what fleet checks compare. A platform module supplies the vendor parts: its
session profile, `parse_config`, status parsers, masker and end marker.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from scanner.errors import ReasonCode
from scanner.facts import NetworkDevice
from scanner.model import FleetFacts
from scanner.platforms.base import Collection, Detection, Identity, Parsed, Required, SessionProfile, secret_values
from scanner.platforms.credentials import has_factory_data, is_factory_account

# Fact name -> the NetworkDevice fields it covers. Every one is the parsed device (see docs/architecture.md); a
# saved configuration gives all of them, so none is ever unavailable once the configuration parses.
DEVICE_FACTS = {
    "device.version": "hostname, model, software_version, os_major",
    "device.users": "users, enable_secret",
    "device.mgmt": "mgmt_lines, acls",
    "device.password_policy": "password_policy",
    "device.lockout": "lockout",
    "device.aaa": "aaa",
    "device.services": "ssh, telnet, http, https, ftp, tftp, legacy_services",
    "device.snmp": "snmp",
    "device.logging": "logging",
    "device.ntp": "ntp_servers",
    "device.banner": "banner_lines",
    "device.interfaces": "interfaces",
    "device.redundancy": "redundancy_lines",
    "device_config": "the whole device (for plug-in checks that read many parts)",
}
# Stanza (scanner.facts.STANZAS) -> the facts its lines feed. A line the parser left unread in a stanza keeps every
# check that reads one of these facts from passing (scanner/unread_rule.py); `device_config` reads them all.
STANZA_FACTS: dict[str, tuple[str, ...]] = {
    "aaa": ("device.aaa", "device.users", "device.lockout", "device.password_policy"),
    "local-user": ("device.users", "device.lockout", "device.password_policy"),
    "user-interface": ("device.mgmt", "device.services"),     # vty lines decide which servers give a login
    "line": ("device.mgmt", "device.services"),
    "snmp": ("device.snmp",),
    "ssh": ("device.services",),                              # with the SSH server's ACL
    "telnet": ("device.services",),
    "ftp": ("device.services",),
    "http": ("device.services",),                             # web management and its ACL
    "web": ("device.services",),
    "info-center": ("device.logging",),
    "logging": ("device.logging",),
    "ntp": ("device.ntp",),
    "acl": ("device.mgmt",),                                  # ACLs are part of device.mgmt
    "password-control": ("device.password_policy", "device.lockout"),
    "mgmt-interface": ("device.interfaces", "device.mgmt"),
}
INTERFACE_STATE_SAVED = ("保存的配置不含端口运行状态（需在线采集 display interface brief / ifOperStatus）",
                         "a saved configuration has no port states (collect them live: SNMP ifOperStatus)")
INTERFACE_STATE_NO_SNMP = ("未配置SNMP凭据，未采集端口运行状态（在资产清单中为其配置snmp凭据）",
                           "no SNMP credentials: port states not collected (give the asset snmp credentials)")
CONFIG_MISSING = "the configuration command returned nothing"


def cli_collection(session: SessionProfile) -> Collection:
    return Collection(mode="cli", commands=dict(session.commands), allowed=session.allowed,
                      extras=("ssh_algorithms", "snmp", "ports"))


class NetworkPlatform:
    """Mixed into each network platform class, which sets name, title, session, end_marker, mask, secrets,
    status_parsers and parse_config."""
    kind = "network_device"
    aliases: tuple[str, ...] = ()
    facts = frozenset(DEVICE_FACTS) | {"equipment", "interface_state"}
    required = Required("config", ReasonCode.CONFIG_UNAVAILABLE, CONFIG_MISSING)
    status_parsers: dict[str, Callable[[NetworkDevice, str], None]] = {}
    unread_list = False       # True: the parser reports unread lines, with scanner/platforms/data/<name>.yaml

    @property
    def detection(self) -> Detection:
        return Detection(saved_config=True, ssh_banners=self.session.ssh_banners)    # type: ignore[attr-defined]

    @property
    def collect(self) -> Collection:
        return cli_collection(self.session)         # type: ignore[attr-defined]

    def parse(self, documents: dict[str, str]) -> Parsed:
        lines = documents["config"].split("\n")
        version = documents["version"].split("\n") if documents.get("version") else None
        dev = self.parse_config(lines, version)     # type: ignore[attr-defined]
        if has_factory_data(self.name):              # type: ignore[attr-defined]
            for u in dev.users:
                u.factory_account = is_factory_account(self.name, u.name)     # type: ignore[attr-defined]
        for output, apply in self.status_parsers.items():
            if documents.get(output):
                apply(dev, documents[output])       # a status command settles what the config left to defaults
        kept = {"config": lines} | ({"version": version} if version else {}) | \
            {k: documents[k].split("\n") for k in self.status_parsers if documents.get(k)}
        facts = dict.fromkeys(DEVICE_FACTS, dev) | {"equipment": self._equipment(dev)}
        # a live scan (it has `version`) without SNMP credentials, or a saved configuration
        why = INTERFACE_STATE_NO_SNMP if "version" in documents else INTERFACE_STATE_SAVED
        return Parsed(facts, {"interface_state": why}, kept,
                      Identity(dev.hostname, dev.model, dev.software_version), complete=dev.complete,
                      unrecognized=list(dev.unrecognized))

    def secret_values(self, documents: dict[str, list[str]]) -> frozenset[str]:
        return secret_values(self.mask, documents.get("config", []))     # type: ignore[attr-defined]

    def _equipment(self, dev: NetworkDevice):
        from scanner.equipment import assess
        web = (dev.http.enabled, dev.https.enabled)
        pre = {"http_server": (web[0] or web[1]) if None not in web else (True if (web[0] or web[1]) else None),
               "telnet": dev.telnet.enabled, "snmp": dev.snmp.enabled, "ssh": dev.ssh.enabled.enabled,
               "smart_install": dev.legacy_services.get("smart_install").enabled
               if "smart_install" in dev.legacy_services else None}
        return assess(self.name, dev.model, dev.software_version, pre,        # type: ignore[attr-defined]
                      datetime.now(timezone.utc).date())

    def fleet_facts(self, facts) -> FleetFacts:
        dev = facts["device_config"]
        acls = {m.acl_in for m in dev.mgmt_lines if m.acl_in} | {dev.ssh.acl}
        sources = sorted({r.source for name in acls if name and name in dev.acls for r in dev.acls[name].rules
                          if r.action == "permit"})
        admins = [u for u in dev.users if u.is_admin and not u.disabled] + \
            ([dev.enable_secret] if dev.enable_secret else [])
        remote, note = remote_mgmt(dev)
        return FleetFacts(syslog_hosts=sorted({h.address for h in dev.logging.hosts}), ntp=bool(dev.ntp_servers),
                          ntp_hosts=sorted(set(dev.ntp_hosts)),
                          mgmt_sources=sources, redundancy=bool(dev.redundancy_lines),
                          admin_secrets=sorted({u.secret_fingerprint for u in admins if u.secret_fingerprint}),
                          remote_mgmt=remote, remote_mgmt_note=note)


def _restricting(dev: NetworkDevice, acl_name: str | None) -> list[str] | None:
    """The permitted sources of a management ACL, or None when it restricts nothing (absent, unknown, permit any)."""
    acl = dev.acls.get(acl_name) if acl_name else None
    if acl is None:
        return None
    permits = [r.source for r in acl.rules if r.action == "permit"]
    return None if "any" in permits else permits


def remote_mgmt(dev: NetworkDevice) -> tuple[str | None, str]:
    """How the configuration exposes remote management: `unrestricted` when a remote login line (vty) or web
    management takes connections from any source, `restricted` when every remote path is limited by an ACL,
    `local_only` when there is no remote path, None when it cannot tell (web management left to a default)."""
    # a vty is a remote path when it accepts a login over a protocol whose server is on; one whose servers are
    # only left to release defaults proves nothing either way
    servers = {"telnet": dev.telnet.enabled, "ssh": dev.ssh.enabled.enabled}
    vty = [m for m in dev.mgmt_lines if m.kind == "vty" and m.auth != "refused" and (m.protocols is None or m.protocols)]
    remote = [m for m in vty if any(servers.get(p) for p in (m.protocols or servers))]
    # a protocol whose server state the facts do not hold (Cisco's rlogin, lat, pad...: `transport input` lists
    # them as incoming protocols) is no proof of "no remote path" either
    undecided = [m for m in vty if m not in remote and any(servers.get(p) is None for p in (m.protocols or servers))]
    # a web server whose login cannot be shown to succeed is no proven way in (and no proven absence either)
    web_unknown = bool(dev.http.enabled or dev.https.enabled) and dev.web_login.enabled is None
    web_on = bool(dev.http.enabled or dev.https.enabled) and not web_unknown
    web_limit = _restricting(dev, dev.web_acl) if web_on else None
    open_lines, limits = [], []
    if web_on and web_limit is None:
        open_lines.append("Web管理（HTTP/HTTPS）无访问控制列表")
    elif web_on:
        limits.append(f"Web: {', '.join(web_limit) or 'deny all'}")
    for m in remote:
        only_ssh = m.protocols is not None and m.protocols <= {"ssh"}
        sources = _restricting(dev, m.acl_in)
        if sources is None and only_ssh:
            sources = _restricting(dev, dev.ssh.acl)         # the SSH server's own ACL covers an SSH-only line
        if sources is None:
            open_lines.append(f"{m.name} L{m.line}")
        else:
            limits.append(f"{m.name}: {', '.join(sources) or 'deny all'}")
    if open_lines:
        return "unrestricted", "无来源地址限制的远程管理路径：" + "、".join(open_lines)
    if None in (dev.http.enabled, dev.https.enabled):
        return None, "Web管理状态未知"
    if web_unknown:
        return None, "Web管理能否登录取决于版本行为：" + dev.web_login.note
    if undecided:
        unread = sorted({p for m in undecided for p in (m.protocols or ()) if p not in servers})
        why = f"远程登录线路接受未判断服务状态的协议（{'、'.join(unread)}）：" if unread else "远程登录服务状态取决于版本默认值："
        return None, why + "、".join(f"{m.name} L{m.line}" for m in undecided)
    if not remote and not web_on:
        return "local_only", "无远程登录线路（仅console/带外管理）"
    return "restricted", "；".join(limits)
