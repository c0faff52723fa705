"""`mlps discover`: draft an inventory from an nmap sweep plus SSH-banner and SNMP sysObjectID fingerprints."""
from __future__ import annotations

from dataclasses import dataclass

from scanner import platforms

# sysObjectID enterprise prefixes -> platform
ENTERPRISES = {"1.3.6.1.4.1.2011.": "huawei_vrp", "1.3.6.1.4.1.25506.": "hp_comware", "1.3.6.1.4.1.11.": "hp_comware",
               "1.3.6.1.4.1.9.": "cisco_ios", "1.3.6.1.4.1.8072.": "linux"}
SSH_PORTS_DEFAULT = "22"
SWEEP_PORTS_DEFAULT = "22,23,80,161,443"


@dataclass(slots=True)
class Found:
    address: str
    port: int
    platform: str
    evidence: str
    open_ports: list[int]


def platform_from_banner(banner: str) -> str | None:
    for name in platforms.PLATFORM_MODULES:
        if any(b in banner for b in platforms.get(name).session.ssh_banners):
            return name
    return None


def platform_from_oid(oid: str | None) -> str | None:
    return next((p for prefix, p in ENTERPRISES.items() if oid and oid.startswith(prefix)), None)


def discover(targets: list[str], ports: str = SWEEP_PORTS_DEFAULT, community: str | None = None,
             snmp_port: int = 161, timeout: float = 3.0) -> list[Found]:
    import nmap

    from scanner.transport.snmp import SnmpAuth, collect_snmp
    from scanner.transport.ssh import CollectError, server_banner
    nm = nmap.PortScanner()
    tcp_ports = ",".join(p for p in ports.split(",") if p.strip() and p.strip() != "161")
    nm.scan(" ".join(targets), ports=tcp_ports, arguments="-n -sT -T4 --open")
    found: list[Found] = []
    hosts = set(nm.all_hosts())
    if community:      # a device may answer SNMP with every TCP port filtered: fingerprint single addresses too
        hosts |= {t for t in targets if _is_address(t)}
    for host in sorted(hosts, key=_addr_key):
        open_ports = sorted(p for p, i in nm[host].get("tcp", {}).items() if i.get("state") == "open") \
            if host in nm.all_hosts() else []
        oid = None
        if community:
            try:
                oid = collect_snmp(host, snmp_port, SnmpAuth("v2c", community=community), timeout=1.0).get("sys_object_id")
            except CollectError:
                oid = None
        ssh_like = [p for p in open_ports if p not in (23, 80, 443)]
        for p in ssh_like or [None]:
            platform, evidence = platform_from_oid(oid), f"sysObjectID {oid}" if oid else ""
            if p is not None:
                try:
                    banner = server_banner(host, p, timeout)
                except CollectError:
                    banner = ""
                if banner.startswith("SSH-"):
                    platform = platform or platform_from_banner(banner)
                    evidence = evidence or f"SSH banner {banner}"
                elif not oid:
                    continue
            found.append(Found(host, p or 22, platform or "auto", evidence or "open ports only", open_ports))
    return found


def _is_address(t: str) -> bool:
    import ipaddress
    try:
        ipaddress.ip_address(t)
        return True
    except ValueError:
        return False


def _addr_key(a: str):
    import ipaddress
    try:
        return (0, ipaddress.ip_address(a))
    except ValueError:
        return (1, a)


def draft_inventory(found: list[Found]) -> dict:
    assets = []
    for i, f in enumerate(found, 1):
        name = f"{f.address.replace('.', '-')}" + (f"-{f.port}" if f.port != 22 else "")
        assets.append({"name": name, "platform": f.platform, "address": f.address, "port": f.port,
                       "zone": None, "role": "server" if f.platform == "linux" else "other", "credentials": "default"})
    return {"credentials": {"default": {"ssh": {"username": "CHANGE-ME", "password": {"env": "MLPS_SSH_PASSWORD"}}}},
            "assets": assets}
