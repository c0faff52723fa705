"""`mlps discover`: draft an inventory from an nmap sweep plus SSH-banner and SNMP sysObjectID fingerprints."""
from __future__ import annotations

from dataclasses import dataclass

from scanner import platforms
from scanner.addresses import sweep_target

# sysObjectID enterprise prefixes -> platform
ENTERPRISES = {"1.3.6.1.4.1.2011.": "huawei_vrp", "1.3.6.1.4.1.25506.": "hp_comware", "1.3.6.1.4.1.11.": "hp_comware",
               "1.3.6.1.4.1.9.": "cisco_ios", "1.3.6.1.4.1.8072.": "linux"}
SWEEP_PORTS_DEFAULT = "22,23,80,161,443"


@dataclass(slots=True)
class Found:
    address: str
    port: int
    platform: str
    evidence: str
    open_ports: list[int]


def platform_from_banner(banner: str) -> str | None:
    return platforms.by_ssh_banner(banner)


def platform_from_oid(oid: str | None) -> str | None:
    return next((p for prefix, p in ENTERPRISES.items() if oid and oid.startswith(prefix)), None)


def sweep_ports(text: str) -> str:
    """'22,23,8000-8100' as given if every part is a TCP port or a range of them; else ValueError."""
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        hi = hi if "-" in part else lo
        if not (lo.isdigit() and hi.isdigit()) or not 1 <= int(lo) <= int(hi) <= 65535:
            raise ValueError(f"not a port or port range: {part.strip()[:20]!r} (use e.g. 22,23,8000-8100)")
    return text


def discover(targets: list[str], ports: str = SWEEP_PORTS_DEFAULT, community: str | None = None,
             snmp_port: int = 161, timeout: float = 3.0) -> list[Found]:
    """Sweep `targets` (IP addresses, CIDR networks, host names: ValueError for anything else)."""
    from scanner.transport.portscan import run_nmap
    from scanner.transport.snmp import SnmpAuth, collect_snmp
    from scanner.transport.ssh import CollectError, server_banner
    targets = [sweep_target(t) for t in targets]
    tcp = [p.strip() for p in sweep_ports(ports).split(",") if p.strip() != "161"]
    tcp_ports = ",".join(tcp)
    swept = run_nmap(targets, ["-n", "-sT", "-T4", "--open", "-p", tcp_ports], None) if tcp_ports else {}
    found: list[Found] = []
    hosts = set(swept)
    if community:      # a device may answer SNMP with every TCP port filtered: fingerprint single addresses too
        hosts |= {t for t in targets if _is_address(t)}
    for host in sorted(hosts, key=_addr_key):
        open_ports = swept.get(host, [])
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
