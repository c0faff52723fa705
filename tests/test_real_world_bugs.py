"""Bugs seen on real configurations (issue 9), each with a minimal config per vendor and its siblings."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes

VRP = "sysname {name}\n#\ninterface Vlanif10\n ip address 10.0.10.1 255.255.255.0\n#\n{body}\n#\nreturn\n"
COMWARE = " sysname {name}\n#\ninterface Vlan-interface10\n ip address 10.0.10.1 255.255.255.0\n#\n{body}\n#\nreturn\n"
IOS = "hostname {name}\n!\ninterface Vlan10\n ip address 10.0.10.1 255.255.255.0\n ipv6 address 2001:DB8::1/64\n!\n{body}\n!\nend\n"
TEMPLATES = {"huawei_vrp": VRP, "hp_comware": COMWARE, "cisco_ios": IOS}


@pytest.fixture(scope="module")
def ctx():
    return ScanContext.default()


def finding(ctx, platform: str, body: str, check: str):
    text = TEMPLATES[platform].format(name="d1", body=body).encode()
    asset = assess_config_bytes(text, ctx, platform, "d1", "d1.cfg")
    assert asset.status.value == "assessed", asset.reason
    return next(f for f in asset.findings if f.check == check)


LOG = "logging_remote_host_configured"


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "info-center loghost 127.0.0.1", "fail"),           # loopback: the device itself
    ("huawei_vrp", "info-center loghost 10.0.10.1", "fail"),           # its own Vlanif address
    ("huawei_vrp", "info-center loghost 10.0.10.20", "pass"),          # a server on that subnet
    ("huawei_vrp", "info-center loghost 127.0.0.1\ninfo-center loghost 192.0.2.5", "pass"),
    ("hp_comware", "info-center loghost 127.0.0.1", "fail"),
    ("hp_comware", "info-center loghost 10.0.10.1", "fail"),
    ("hp_comware", "info-center loghost 192.0.2.5", "pass"),
    ("cisco_ios", "logging host 127.0.0.1", "fail"),
    ("cisco_ios", "logging host 127.5.5.5", "fail"),                   # all of 127.0.0.0/8
    ("cisco_ios", "logging host ipv6 ::1", "fail"),
    ("cisco_ios", "logging host 10.0.10.1", "fail"),
    ("cisco_ios", "logging host ipv6 2001:db8::1", "fail"),            # own IPv6 address, other spelling
    ("cisco_ios", "logging host 192.0.2.5", "pass"),
    ("cisco_ios", "logging host syslog.example.net", "pass"),          # a name is a server
])
def test_a_log_host_on_the_device_itself_is_no_log_server(ctx, platform, body, status):
    f = finding(ctx, platform, body, LOG)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])
    if status == "fail" and "127.0.0.1" in body and "192.0.2.5" not in body:
        assert "loopback" in f.reason_en


def test_only_the_real_log_server_is_cited(ctx):
    f = finding(ctx, "huawei_vrp", "info-center loghost 127.0.0.1\ninfo-center loghost 192.0.2.5", LOG)
    assert [e.text for e in f.evidence] == ["info-center loghost 192.0.2.5"]


NTP = "time_sync_configured"


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "ntp-service server disable", "fail"),               # the server role off: no time source
    ("huawei_vrp", "ntp-service server disable\nntp-service ipv6 server disable", "fail"),
    ("huawei_vrp", "ntp-service server disable\nntp-service unicast-server 192.0.2.123", "pass"),
    ("huawei_vrp", "ntp server disable", "fail"),                         # VRP8 spelling
    ("huawei_vrp", "ntp server disable\nntp unicast-server 192.0.2.123", "pass"),
    ("huawei_vrp", "ntp-service ipv6 unicast-server 2001:db8::123", "pass"),
    ("hp_comware", "ntp-service enable\nntp-service unicast-server 192.0.2.123", "pass"),
    ("hp_comware", "ntp-service enable", "fail"),
    ("cisco_ios", "ntp server 192.0.2.123", "pass"),
    ("cisco_ios", "ntp master 3", "fail"),                                # serving time is no time source
])
def test_ntp_server_role_is_not_a_time_source(ctx, platform, body, status):
    f = finding(ctx, platform, body, NTP)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])
    if status == "pass":
        assert all("disable" not in e.text for e in f.evidence)
