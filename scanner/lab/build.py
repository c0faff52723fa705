"""Rebuild the demo lab's raw captures (data/raw/<device>/), its spec (data/lab.yaml) and its inventory
(data/inventory.yaml) from the fixture configs. A tool of the source tree (it reads tests/fixtures/), not of an
installed package.

Run from the repository root: .venv/bin/python -m scanner.lab.build
The configs are stored redacted (secrets replaced by MLPS-REDACTED markers), exactly as --save-raw writes them.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from scanner import platforms
from scanner.secrets import redact_lines, use_run_key
from scanner.transport.replay import Capture, read_capture, write_capture

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "configs"
LAB = ROOT / "scanner" / "lab" / "data"
BASE_PORT = 24001   # below the ephemeral range (32768+), so no client socket can hold a lab port
SNMP_PORT = 24161
VERSION = {
    "huawei_vrp": "Huawei Versatile Routing Platform Software\nVRP (R) software, Version {os} ({model} {rel})\n"
                  "Copyright (C) 2000-2021 HUAWEI TECH CO., LTD\n"
                  "HUAWEI {model} Routing Switch uptime is 41 weeks, 2 days, 3 hours, 11 minutes\n",
    "hp_comware": "H3C Comware Software, Version {os}, Release {rel}\n"
                  "Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.\n"
                  "H3C {model} uptime is 0 weeks, 12 days, 4 hours, 52 minutes\nLast reboot reason : Cold reboot\n",
    "cisco_ios": "Cisco IOS XE Software, Version {rel}\nCisco IOS Software [Cupertino], Catalyst L3 Switch Software, "
                 "Version {rel}, RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport\n\n"
                 "cisco {model} (X86) processor with 1398708K/6147K bytes of memory.\nConfiguration register is 0x2102\n",
}
# name, fixture, (os version, model, release), role, zone
DEVICES = [
    ("core-sw1", "huawei_vrp/hardened_s5735_v200r019.cfg", ("5.170", "S5735-L48T4X-A", "V200R019C10SPC500"), "core", "核心区"),
    ("core-sw2", "huawei_vrp/hardened_ce6881_vrp8.cfg", ("8.191", "CE6881-48S6CQ", "V200R020C10SPC600"), "core", "核心区"),
    ("agg-sw1", "hp_comware/hardened_s5130_v7.cfg", ("7.1.070", "S5130-54C-EI", "3507P18"), "aggregation", "办公区"),
    ("acc-sw-hw3", "huawei_vrp/weak_s5700_v200r005.cfg", ("5.150", "S5700-28C-SI", "V200R005C00SPC500"), "access", "办公区"),
    ("acc-sw-h3c7", "hp_comware/weak_s5120_v5.cfg", ("5.20", "S5120-28P-SI", "1513P81"), "access", "办公区"),
    ("border-rtr1", "cisco_ios/weak_isr4331_16.9.cfg", ("", "ISR4331/K9", "16.9.4"), "border", "DMZ"),
    ("dist-sw-c9300", "cisco_ios/hardened_c9300_17.9.cfg", ("", "C9300-48P", "17.9.4a"), "aggregation", "数据中心区"),
    ("lab-sw-c2960", "cisco_ios/weak_c2960_15.0.cfg", ("", "WS-C2960-24TT-L", "15.0(2)SE11"), "access", "测试区"),
    ("border-fw1", "huawei_vrp/border_fw_usg6650.cfg", ("5.170", "USG6555E", "V600R007C20SPC600"), "firewall", "边界区"),
]


LINUX = [("app-srv1", "hardened_rhel9", "server", "数据中心区"), ("db-srv-old", "weak_ubuntu2204", "server", "数据中心区")]


def status_outputs(plat, config: str, version: str, old_release: bool) -> dict[str, str]:
    """What the device's status commands print, consistent with its configuration; undecided defaults are taken
    as a current release ships them (Telnet off, SSHv2 only, HTTP off). Old VRP5 releases lack
    `display telnet server status` (left out: the simulator rejects it)."""
    dev = plat.parse_config(config.split("\n"), version.split("\n"))
    on = lambda t, default=False: default if t.enabled is None else t.enabled  # noqa: E731
    ssh_on, v1 = on(dev.ssh.enabled, True), on(dev.ssh.v1_allowed)
    out = {}
    if plat.name == "huawei_vrp":
        if not old_release:
            out["telnet_status"] = (f" TELNET IPv4 server                       :{'Enable' if on(dev.telnet) else 'Disable'}\n"
                                    " TELNET IPv6 server                       :Disable\n"
                                    " TELNET server port                       :23\n")
        out["ssh_status"] = (f" SSH version                         :{'1.99' if v1 else '2.0'}\n"
                             " SSH connection timeout              :60 seconds\n"
                             " SSH server key generating interval  :0 hours\n"
                             " SSH authentication retries          :3 times\n"
                             " SFTP server                         :Disable\n"
                             f" Stelnet server                      :{'Enable' if ssh_on else 'Disable'}\n")
        out["http_status"] = (f"   HTTP Server Status              : {'enabled' if on(dev.http) else 'disabled'}\n"
                              "   HTTP Server Port                : 80(80)\n"
                              f"   HTTP Secure-server Status       : {'enabled' if on(dev.https) else 'disabled'}\n")
    elif plat.name == "hp_comware":
        out["ssh_status"] = (f" Stelnet server: {'Enable' if ssh_on else 'Disable'}\n"
                             f" SSH version : {'1.99' if v1 else '2.0'}\n"
                             " SSH authentication-timeout : 60 second(s)\n SSH server key generating interval : 0 hour(s)\n"
                             " SSH authentication retries : 3 time(s)\n SFTP server: Disable\n")
    else:
        out["ssh_status"] = (f"SSH {'Enabled' if ssh_on else 'Disabled'} - version {'1.99' if v1 else '2.0'}\n"
                             "Authentication methods:publickey,keyboard-interactive,password\n"
                             "Authentication timeout: 120 secs; Authentication retries: 3\n")
    return out


LAB_KEY = b"mlps-scanner demo lab: public fixture data"


def build() -> None:
    use_run_key(LAB_KEY)             # reproducible markers; the lab's data is public fixture data
    shutil.rmtree(LAB / "raw", ignore_errors=True)
    devices, assets = [], []
    for i, (name, fixture, (os_ver, model, rel), role, zone) in enumerate(DEVICES):
        plat_name = fixture.split("/")[0]
        plat = platforms.get(plat_name)
        config = (FIXTURES / fixture).read_text(encoding="utf-8")
        version = VERSION[plat_name].format(os=os_ver, model=model, rel=rel)
        cap = Capture(name=name, platform=plat_name, address=f"127.0.0.1:{BASE_PORT + i}",
                      outputs={"version": version,
                               "config": "\n".join(redact_lines(config.split("\n"), plat.mask.replace,
                                                                plat.decode_secret))},
                      commands=dict(plat.session.commands), collected_at="2026-11-26T00:00:00+00:00")
        cap.outputs.update(status_outputs(plat, config, version, old_release=rel.startswith("V200R005")))
        for logical in plat.session.commands:
            if logical not in cap.outputs:
                cap.status[logical] = "rejected"
                cap.messages[logical] = "Error: Unrecognized command found at '^' position."
        write_capture(LAB / "raw", cap)
        devices.append({"name": name, "port": BASE_PORT + i, "data": f"raw/{name}",
                        # older releases still offer SHA-1 key exchange, ssh-rsa and CBC after the modern ones
                        **({"faults": {"weak_ssh": True}} if "/weak_" in fixture else {})})
        assets.append({"name": name, "platform": plat_name, "address": "127.0.0.1", "port": BASE_PORT + i,
                       "zone": zone, "role": role, "importance": "high" if role in ("core", "border") else "medium",
                       **({"redundancy_group": "core-pair"} if role == "core" else {}),
                       "credentials": "lab-net", "snmp_context": name})
    for j, (name, fixture, role, zone) in enumerate(LINUX, start=len(DEVICES)):
        cap = read_capture(ROOT / "tests" / "fixtures" / "linux" / fixture)
        plat = platforms.get("linux")
        cap.name, cap.address = name, f"127.0.0.1:{BASE_PORT + j}"
        cap.outputs = {k: "\n".join(redact_lines(v.split("\n"), plat.mask.replace, plat.decode_secret))
                       for k, v in cap.outputs.items()}
        write_capture(LAB / "raw", cap)
        devices.append({"name": name, "port": BASE_PORT + j, "data": f"raw/{name}"})
        assets.append({"name": name, "platform": "linux", "address": "127.0.0.1", "port": BASE_PORT + j,
                       "zone": zone, "role": role, "importance": "high", "credentials": "lab"})
    (LAB / "lab.yaml").write_text(
        "# The demo lab: devices the simulator plays (mlps lab up), answering from raw/<device>/ (built by build.py).\n"
        "# Faults per device: auth: refuse | hang_on: <command> | drop_on: <command> | delay_s: <seconds> |\n"
        "#                    garbage_on: <command> | encoding: gbk | weak_ssh: true | ...\n"
        "#                    (all of them: scanner/lab/simulator.py)\n"
        + yaml.safe_dump({"username": "netops", "password_env": "MLPS_LAB_PASSWORD", "snmp": {"port": SNMP_PORT},
                          "devices": devices}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ssh = {"username": "netops", "password": {"env": "MLPS_LAB_PASSWORD"}}
    snmp = {"version": "v3", "username": "labnms", "auth_protocol": "sha", "auth_key": {"env": "MLPS_LAB_SNMP_AUTH"},
            "priv_protocol": "aes", "priv_key": {"env": "MLPS_LAB_SNMP_PRIV"}, "port": SNMP_PORT}
    # what each zone is exposed to: the DMZ faces the internet (a high-risk condition of T/ISEAA 001-2020)
    zones = {"互联网": {"exposure": "internet"}, "DMZ": {"exposure": "internet"}, "边界区": {"exposure": "untrusted"},
             "办公区": {"exposure": "internal"}, "核心区": {"exposure": "internal"}, "数据中心区": {"exposure": "internal"}}
    # the boundaries between the zones and the devices on each: the fleet checks judge every one (8.1.3)
    boundaries = [{"name": "互联网出口", "between": ["互联网", "DMZ"], "devices": ["border-rtr1"]},
                  {"name": "外网边界", "between": ["DMZ", "核心区"], "devices": ["border-fw1"]},
                  {"name": "办公区边界", "between": ["核心区", "办公区"], "devices": ["core-sw1", "core-sw2"]},
                  {"name": "数据中心边界", "between": ["核心区", "数据中心区"], "devices": ["core-sw1", "core-sw2"]}]
    inv = {"zones": zones, "boundaries": boundaries,
           "credentials": {"lab": {"ssh": ssh}, "lab-net": {"ssh": ssh, "snmp": snmp}}, "assets": assets}
    (LAB / "inventory.yaml").write_text(
        "# Inventory of the demo lab (its spec: lab.yaml beside this file). The password comes from $MLPS_LAB_PASSWORD.\n"
        + yaml.safe_dump(inv, allow_unicode=True, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    build()
