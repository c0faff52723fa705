"""Port exposure of management addresses with nmap (python-nmap) — the only module that runs nmap.

A TCP connect scan (-sT) of a fixed list of high-risk ports: it needs no root and sends nothing but SYN/ACK
handshakes. One nmap run covers every address of the scan.
"""
from __future__ import annotations

from scanner.ports import HIGH_RISK_TCP
from scanner.transport.ssh import CollectError

def scan_ports(addresses: list[str], ports: dict[int, str] | None = None, timeout: float = 120) -> dict[str, list[int]]:
    """address -> open ports among `ports` (default HIGH_RISK_TCP)."""
    import nmap
    ports = ports or HIGH_RISK_TCP
    if not addresses:
        return {}
    try:
        nm = nmap.PortScanner()
        nm.scan(" ".join(sorted(set(addresses))), ports=",".join(map(str, sorted(ports))),
                arguments="-Pn -n -sT -T4 --max-retries 1", timeout=int(timeout))
    except nmap.PortScannerError as e:
        raise CollectError("portscan_error", f"nmap: {str(e).splitlines()[0][:200]}") from None
    except nmap.PortScannerTimeout:
        raise CollectError("portscan_timeout", f"nmap did not finish within {timeout:.0f}s") from None
    out: dict[str, list[int]] = {}
    for host in nm.all_hosts():
        tcp = nm[host].get("tcp", {})
        out[host] = sorted(p for p, info in tcp.items() if info.get("state") == "open")
    return out
