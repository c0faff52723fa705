"""Parser goldens: real public configs (tests/fixtures/corpus, see SOURCES.md) and small snippets for defaults."""
from __future__ import annotations

import pytest

from scanner import platforms
from scanner.facts import PasswordStorage
from scanner.platforms.cisco_ios_secrets import type7_decode

from conftest import CORPUS


def parse(platform: str, text: str):
    return platforms.get(platform).parse_config(text.splitlines())


def corpus(rel: str) -> str:
    return (CORPUS / rel).read_text(encoding="utf-8")


def test_csr1000v_running_config():
    text = corpus("cisco_ios/netutils_iosxe_csr1000v_17.1_full.txt")
    assert platforms.detect(text) == "cisco_ios"
    dev = parse("cisco_ios", text)
    assert (dev.hostname, dev.software_version, dev.os_major, dev.complete) == ("jcy-bb-01", "17.1", 17, True)
    assert [(u.name, u.storage, u.privilege) for u in dev.users] == [("ntc", PasswordStorage.PLAINTEXT, 15)]
    lines = {m.name: m for m in dev.mgmt_lines}
    assert lines["con 0"].auth == "none" and lines["con 0"].idle_timeout_s == 600   # defaults: no login, 10 min
    assert "telnet" in lines["vty 0 4"].protocols and lines["vty 0 4"].auth == "local"
    assert dev.http.enabled is True and dev.telnet.enabled is True
    assert dev.ssh.v1_allowed.enabled is True                 # no `ip ssh version 2`
    assert dev.snmp.versions == {"v1", "v2c"} and len(dev.snmp.communities) == 4
    assert [h.address for h in dev.logging.hosts] == ["10.125.1.171"]
    assert len(dev.ntp_servers) == 2 and len(dev.banner_lines) == 2


def test_asr920_oxidized_config():
    dev = parse("cisco_ios", corpus("cisco_ios/oxidized_asr920_16.8.1b_running.txt"))
    assert (dev.model, dev.software_version, dev.os_major) == ("ASR-920-24TZ-M", "16.08.01b", 16)
    assert dev.users[0].storage == PasswordStorage.WEAK_HASH and dev.enable_secret.storage == PasswordStorage.WEAK_HASH
    assert dev.lockout.enabled and dev.lockout.max_attempts == 3 and dev.lockout.lock_seconds == 15
    assert dev.password_policy.min_length == 8
    assert dev.password_policy.min_classes == 0      # `security passwords min-length` sets no complexity
    assert {m.name: m.idle_timeout_s for m in dev.mgmt_lines}["vty 0 4"] == 1200
    assert dev.aaa.servers and dev.aaa.accounting and not dev.aaa.remote_login   # local first, then TACACS+
    assert dev.legacy_services["pad"].enabled is False and dev.legacy_services["cdp"].enabled is True


def test_c9200l_config_with_elided_lines():
    dev = parse("cisco_ios", corpus("cisco_ios/oxidized_c9200l_17.9.4a_running.txt"))
    assert dev.model == "C9200L-24P-4G" and dev.hostname == "LAB-SW123_9200L"
    assert all(u.storage == PasswordStorage.HASH for u in dev.users)
    assert dev.mgmt_lines == [] and dev.telnet.enabled is False


def test_comware7_irf_config():
    text = corpus("hp_comware/netutils_comware7_irf_full.txt")
    assert platforms.detect(text) == "hp_comware"
    dev = parse("hp_comware", text)
    assert (dev.hostname, dev.os_major, dev.software_version) == ("NTC123456", 7, "7.1.045 2418P06")
    assert [u.name for u in dev.users] == ["NTC-Admin", "NTC-User"]
    assert all(u.storage == PasswordStorage.HASH and u.is_admin for u in dev.users)
    vty = next(m for m in dev.mgmt_lines if m.kind == "vty")
    assert vty.protocols == {"ssh"} and vty.idle_timeout_s == 3600 and vty.auth == "aaa"
    assert dev.aaa.remote_login is True                        # domain default -> hwtacacs scheme
    # `telnet server enable` is on, but the only vty lines with a login take SSH only (issue 9): no Telnet path
    assert dev.telnet.enabled is False and "no vty line accepts" in dev.telnet.note and len(dev.logging.hosts) == 4
    assert dev.password_policy.enabled is False and dev.lockout.enabled is False
    assert dev.banner_lines                                    # ' header motd %' body skipped, not parsed as config


def test_comware_fragment_detected_by_its_own_syntax():
    text = corpus("hp_comware/netutils_comware_hp-jkt-01.txt")
    assert platforms.detect(text) == "hp_comware"
    dev = parse("hp_comware", text)
    assert len(dev.snmp.communities) == 3 and "HPE" in dev.acls


@pytest.mark.parametrize("rel", ["cisco_ios/ntc_show_version_c1801_12.4.txt", "huawei_vrp/ntc_display_version_s7706.txt"])
def test_command_output_is_not_taken_for_a_config(rel):
    assert platforms.detect(corpus(rel)) == platforms.UNKNOWN


# -- vendor defaults and traps ------------------------------------------------------------------------------
def test_cisco_exec_timeout_defaults_and_never():
    dev = parse("cisco_ios", "hostname r1\nline con 0\n exec-timeout 0 0\nline vty 0 4\n login local\n"
                             " transport input ssh\nline vty 5 15\n exec-timeout 5 30\n login local\nend\n")
    t = {m.name: m.idle_timeout_s for m in dev.mgmt_lines}
    assert t == {"con 0": 0, "vty 0 4": 600, "vty 5 15": 330}


def test_cisco_transport_default_by_release():
    old = parse("cisco_ios", "version 15.2\nhostname r1\nline vty 0 4\n login local\nend\n")
    new = parse("cisco_ios", "version 17.3\nhostname r1\nline vty 0 4\n login local\nend\n")
    assert "telnet" in old.mgmt_lines[0].protocols and old.telnet.enabled is True
    assert new.mgmt_lines[0].protocols is None and new.telnet.enabled is None     # unknown: never guessed


def test_cisco_type7_decodes_and_secret_types():
    assert type7_decode("0822455D0A16") == "cisco"
    dev = parse("cisco_ios", "hostname r\nusername a password 7 0822455D0A16\nusername b secret 9 $9$abc$def\n"
                             "username c secret 5 $1$xy$z\nusername d password plain1\nenable password cisco\nend\n")
    st = {u.name: (u.storage, u.password_traits) for u in dev.users}
    assert st["a"][0] == PasswordStorage.REVERSIBLE and st["a"][1].common          # type 7 of 'cisco'
    assert st["b"] == (PasswordStorage.HASH, None) and st["c"] == (PasswordStorage.WEAK_HASH, None)
    assert st["d"][0] == PasswordStorage.PLAINTEXT and st["d"][1].length == 6 and not st["d"][1].common
    assert dev.enable_secret.password_traits.tag == st["a"][1].tag                # 'cisco' twice: one tag
    assert dev.password_tags == {}                                                 # no password kept
    assert dev.enable_secret.storage == PasswordStorage.PLAINTEXT


def test_cisco_banner_text_is_not_config():
    dev = parse("cisco_ios", "hostname r\nbanner motd ^C\ninterface Loopback9\nline vty 0 4\n no login\n^C\nend\n")
    assert dev.mgmt_lines == [] and dev.interfaces == [] and dev.banner_lines == [2]


def test_huawei_idle_timeout_protocol_inbound_all_and_storage():
    dev = parse("huawei_vrp", "!Software Version V200R010C00SPC600\n#\nsysname s1\n#\naaa\n"
                              " local-user a password cipher %@%@abc%@%@\n local-user b password irreversible-cipher $1a$x$\n"
                              " local-user c password simple Huawei@123\n local-user c privilege level 15\n#\n"
                              "user-interface con 0\n authentication-mode password\n idle-timeout 0 0\n"
                              "user-interface vty 0 4\n authentication-mode aaa\n protocol inbound all\n"
                              " idle-timeout 10 30\n#\nreturn\n")
    st = {u.name: u.storage for u in dev.users}
    assert st == {"a": PasswordStorage.REVERSIBLE, "b": PasswordStorage.HASH, "c": PasswordStorage.PLAINTEXT}
    con, vty = dev.mgmt_lines
    assert (con.idle_timeout_s, con.auth) == (0, "password")
    assert (vty.idle_timeout_s, vty.protocols, vty.auth) == (630, {"telnet", "ssh"}, "local")
    assert dev.telnet.enabled is None              # no telnet line: default differs by release
    assert dev.users[2].is_admin is True


def test_comware_password_control_gated_on_enable():
    body = "#\n version 7.1.070, Release 3507P18\n#\n sysname h\n#\n{}password-control length 12\n" \
           "password-control composition type-number 3 type-length 1\npassword-control aging 60\n#\nreturn\n"
    off = parse("hp_comware", body.format(""))
    on = parse("hp_comware", body.format("password-control enable\n"))
    assert (off.password_policy.enabled, off.password_policy.min_length, off.password_policy.max_age_days) == (False, None, 0)
    assert (on.password_policy.min_length, on.password_policy.min_classes, on.password_policy.max_age_days) == (12, 3, 60)
    assert on.lockout.enabled and on.lockout.max_attempts == 3       # factory login-attempt 3 once enabled


def test_huawei_detected_from_content():
    text = "!Software Version V200R019C10SPC500\n#\nsysname core\n#\ninterface Vlanif10\n#\nstelnet server enable\n#\nreturn\n"
    assert platforms.detect(text) == "huawei_vrp"
    assert platforms.detect("set system host-name srx\nset interfaces ge-0/0/0\n") == platforms.UNKNOWN
