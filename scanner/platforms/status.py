"""Status commands that settle what a running config leaves to release defaults (Telnet, SSH version, HTTP).

Each parser reads one command's output and sets on the device the toggles it proves, each with the line that
proves it; a command the device rejected ("Unrecognized command") is simply absent, and the default stays unknown.
"""
from __future__ import annotations

import re

from scanner.facts import NetworkDevice, Toggle


def _lines(text: str):
    return enumerate(text.split("\n"), 1)


def huawei_telnet(dev: NetworkDevice, text: str) -> None:
    for i, ln in _lines(text):
        m = re.match(r"\s*TELNET IPv4 server\s*:\s*(\w+)", ln, re.I)
        if m:
            dev.telnet = Toggle(m.group(1).lower().startswith("enable"), i, "display telnet server status",
                                "telnet_status")


def vrp_ssh(dev: NetworkDevice, text: str) -> None:
    """Huawei and Comware `display ssh server status`."""
    for i, ln in _lines(text):
        m = re.match(r"\s*SSH (?:server )?version\s*:\s*([\d.]+)", ln, re.I)
        if m:
            dev.ssh.v1_allowed = Toggle(m.group(1).startswith("1."), i, f"SSH version {m.group(1)}", "ssh_status")
        m = re.match(r"\s*(?:Stelnet|SSH) server\s*:\s*(\w+)", ln, re.I)
        if m:
            dev.ssh.enabled = Toggle(m.group(1).lower().startswith("enable"), i, "display ssh server status",
                                     "ssh_status")


def huawei_http(dev: NetworkDevice, text: str) -> None:
    for i, ln in _lines(text):
        m = re.match(r"\s*HTTP Server Status\s*:\s*(\w+)", ln, re.I)
        if m:
            dev.http = Toggle(m.group(1).lower().startswith("enable"), i, "display http server", "http_status")
        m = re.match(r"\s*HTTP Secure-server Status\s*:\s*(\w+)", ln, re.I)
        if m:
            dev.https = Toggle(m.group(1).lower().startswith("enable"), i, "display http server", "http_status")


def cisco_ssh(dev: NetworkDevice, text: str) -> None:
    for i, ln in _lines(text):
        m = re.match(r"\s*SSH (Enabled|Disabled) - version ([\d.]+)", ln, re.I)
        if m:
            dev.ssh.enabled = Toggle(m.group(1).lower() == "enabled", i, "show ip ssh", "ssh_status")
            dev.ssh.v1_allowed = Toggle(m.group(2).startswith("1."), i, f"SSH version {m.group(2)}", "ssh_status")
