"""Port exposure of management addresses with nmap — the only module that runs nmap.

A TCP connect scan (-sT) of a fixed list of high-risk ports: it needs no root and sends nothing but SYN/ACK
handshakes. One nmap run covers every address of the scan (one per address family).

nmap is run with an argument list and reads its targets from stdin (`-iL -`), so no target is ever an argument:
even an address that got past validation cannot become an option (`-oN file`, `--script=x.nse`). python-nmap is
not used for this: its scan() shlex-splits a string of hosts into arguments, and its results, keyed by IP address,
merge two names of one host. The XML report is small and read here with the standard library.
"""
from __future__ import annotations

import ipaddress
import shutil
import subprocess
import xml.etree.ElementTree as ET

from scanner.addresses import host_address
from scanner.ports import HIGH_RISK_TCP
from scanner.errors import ReasonCode
from scanner.transport.errors import CollectError


def scan_ports(addresses: list[str], ports: dict[int, str] | None = None, timeout: float = 120) -> dict[str, list[int]]:
    """address -> open ports among `ports` (default HIGH_RISK_TCP). ValueError for a string that is not an
    IP address or host name."""
    ports = ports or HIGH_RISK_TCP
    targets = sorted({host_address(a) for a in addresses})
    if not targets:
        return {}
    return run_nmap(targets, ["-Pn", "-n", "-sT", "-T4", "--max-retries", "1", "-p", ",".join(map(str, sorted(ports)))],
                    timeout)


def run_nmap(targets: list[str], options: list[str], timeout: float | None) -> dict[str, list[int]]:
    """Run nmap with `options` over validated `targets` (addresses, names, networks): target (as given, or the
    address nmap found inside a network) -> open TCP ports. Raises CollectError if nmap fails."""
    exe = shutil.which("nmap")
    if exe is None:
        raise CollectError(ReasonCode.PORTSCAN_ERROR, "nmap is not installed")
    v6 = [t for t in targets if ":" in t]
    v4 = [t for t in targets if ":" not in t]
    out: dict[str, list[int]] = {}
    for group, family in ((v4, []), (v6, ["-6"])):
        if not group:
            continue
        try:
            proc = subprocess.run([exe, "-oX", "-", *family, *options, "-iL", "-"], input="\n".join(group) + "\n",
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise CollectError(ReasonCode.PORTSCAN_TIMEOUT, f"nmap did not finish within {timeout:.0f}s") from None
        if proc.returncode != 0 or not proc.stdout.strip():
            detail = (proc.stderr.strip().splitlines() or ["no output"])[0][:200]
            raise CollectError(ReasonCode.PORTSCAN_ERROR, f"nmap exited {proc.returncode}: {detail}")
        out.update(_open_ports(proc.stdout, group))
    return out


def _open_ports(xml_text: str, targets: list[str]) -> dict[str, list[int]]:
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as e:
        raise CollectError(ReasonCode.PORTSCAN_ERROR, f"nmap wrote unreadable XML ({e})") from None
    given = {_ip_key(t): t for t in targets}
    out: dict[str, list[int]] = {}
    for host in root.iter("host"):
        addr = next((a.get("addr") for a in host.iter("address") if a.get("addrtype") in ("ipv4", "ipv6")), None)
        user_name = next((h.get("name") for h in host.iter("hostname") if h.get("type") == "user"), None)
        if addr is None:
            continue
        key = user_name if user_name in targets else given.get(_ip_key(addr), addr)
        out[key] = sorted(int(p.get("portid")) for p in host.iter("port")
                          if p.get("protocol") == "tcp" and (p.find("state") is not None)
                          and p.find("state").get("state") == "open")
    return out


def _ip_key(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text
