"""No Cisco line left unread where it matters (issue 9 must-have 2).

The Cisco parser reports every line it did not read inside the stanzas the checks read, unless
scanner/platforms/cisco_ios_unread.py lists it as irrelevant with its reason. On the real corpus it reports exactly
the lines of tests/fixtures/real/unrecognized/cisco_ios.yaml, each with why it is left unread.
"""
from __future__ import annotations

import pytest
import yaml

from scanner.facts import STANZAS
from scanner.platforms.cisco_ios import PLATFORM
from scanner.platforms.cisco_ios_unread import IRRELEVANT, fold_keywords

from conftest import FIXTURES

REAL = FIXTURES / "real"
CONFIGS = sorted((REAL / "cisco_ios").glob("*.cfg"))
LISTED = yaml.safe_load((REAL / "unrecognized" / "cisco_ios.yaml").read_text(encoding="utf-8"))


def _unread(text: str) -> list[tuple[str, str]]:
    dev = PLATFORM.parse_config(text.strip("\n").split("\n"))
    return [(u.stanza, u.text) for u in dev.unrecognized]


@pytest.mark.parametrize("path", CONFIGS, ids=[p.stem for p in CONFIGS])
def test_the_corpus_reports_exactly_the_listed_unread_lines(path):
    name = path.relative_to(REAL).as_posix()
    assert name in LISTED, f"{name}: not in unrecognized/cisco_ios.yaml (list its unread lines, or [] for none)"
    dev = PLATFORM.parse_config(path.read_text(encoding="utf-8", errors="replace").splitlines())
    got = [(u.line, u.stanza, u.text) for u in dev.unrecognized]
    want = [(e["line"], e["stanza"], e["text"]) for e in LISTED[name] or []]
    assert got == want, f"{name}: new {sorted(set(got) - set(want))}, stale {sorted(set(want) - set(got))}"


def test_every_listed_line_says_why_and_names_a_known_stanza():
    assert set(LISTED) == {p.relative_to(REAL).as_posix() for p in CONFIGS}, "entries for configs that do not exist"
    for name, rows in LISTED.items():
        for e in rows or []:
            assert e["stanza"] in STANZAS and e["why"].strip() and e["text"].strip(), (name, e)


def test_every_irrelevant_line_has_a_reason():
    for stanza, rules in IRRELEVANT.items():
        assert stanza in STANZAS, stanza
        for pattern, why in rules:
            assert len(why) > 10, (stanza, pattern.pattern)


# One unread line per stanza, beside lines the parser reads (which are never reported).
@pytest.mark.parametrize("stanza, read, unread", [
    ("line", "line vty 0 4\n login local\n transport input ssh\n exec-timeout 5 0\n access-class 5 in",
     "line vty 0 4\n session-timeout 5"),
    ("aaa", "aaa new-model\naaa authentication login default local\naaa accounting exec default start-stop group T\n"
            " action-type start-stop", "aaa authentication dot1x default group R"),
    ("local-user", "username admin privilege 15 secret 9 $9$abc$def", None),
    ("snmp", "snmp-server community n0tdefault RO 5\nsnmp-server host 192.0.2.1 version 2c x\n"
             "snmp-server enable traps snmp", "snmp-server tftp-server-list 10"),
    ("ssh", "ip ssh version 2", "ip ssh dh min size 1024"),
    ("http", "ip http server\nno ip http secure-server\nip http access-class 5", "ip http authentication enable"),
    ("ftp", "ftp-server enable", "ftp-server topdir flash:"),
    ("logging", "logging host 192.0.2.5\nlogging on", "logging trap emergencies"),
    ("ntp", "ntp server 192.0.2.7", "ntp access-group peer 5"),
    ("acl", "access-list 5 permit 192.0.2.0 0.0.0.255\nip access-list extended M\n 10 permit tcp any any eq 22",
     "ip access-list extended M\n 20 evaluate REFLECT"),
    ("password-control", "security passwords min-length 10\nlogin block-for 300 attempts 3 within 60\n"
                         "login on-failure log", "login delay 2"),
    ("mgmt-interface", "interface GigabitEthernet0/0\n vrf forwarding Mgmt-vrf\n ip address 192.0.2.9 255.255.255.0",
     "interface GigabitEthernet0/0\n vrf forwarding Mgmt-vrf\n ip access-group 7 in"),
])
def test_each_stanza_reports_what_it_did_not_read(stanza, read, unread):
    assert _unread("hostname r\n" + read + "\nend") == []
    if unread:
        got = _unread("hostname r\n" + unread + "\nend")
        assert got == [(stanza, unread.split("\n")[-1].strip())], got


@pytest.mark.parametrize("text", [
    "line con 0\n logging synchronous\n stopbits 1\n privilege level 15\n transport preferred none",
    "snmp-server location Rack 7\nsnmp-server contact NOC",
    "ip ssh time-out 60\nip ssh authentication-retries 2",
    "logging buffered 64000\nno logging console\nlogging source-interface Loopback0",
    "ntp source Loopback0\nntp master 3",
    "password encryption aes",
    "ip access-list standard M\n remark management hosts\n permit 192.0.2.0 0.0.0.255",
])
def test_irrelevant_lines_are_not_reported(text):
    assert _unread("hostname r\n" + text + "\nend") == []


def test_keywords_match_in_any_case_and_names_and_secrets_keep_theirs():
    upper = ("HOSTNAME r\nUSERNAME Admin PRIVILEGE 15 SECRET 0 Zq7-Upper-Secret\nLINE VTY 0 4\n LOGIN LOCAL\n"
             " TRANSPORT INPUT SSH\nIP SSH VERSION 2\nSNMP-SERVER COMMUNITY MyComm RO\nEND")
    dev = PLATFORM.parse_config(upper.split("\n"))
    assert dev.unrecognized == []
    assert [(u.name, u.privilege) for u in dev.users] == [("Admin", 15)]
    vty = dev.mgmt_lines[0]
    assert (vty.kind, vty.auth, vty.protocols) == ("vty", "local", frozenset({"ssh"}))
    assert dev.ssh.v1_allowed.enabled is False and len(dev.snmp.communities) == 1
    assert fold_keywords(" PASSWORD 7 AbC LOGIN") == " password 7 AbC LOGIN"     # the value is never folded


def test_an_unknown_capitalised_line_is_reported_as_written():
    assert _unread("hostname r\nSNMP-SERVER TFTP-SERVER-LIST 5\nend") == [("snmp", "SNMP-SERVER TFTP-SERVER-LIST 5")]


def test_secrets_in_unread_lines_are_masked():
    got = _unread("hostname r\naaa group server tacacs+ G\n server-private 192.0.2.4 timeout 3 key 0 Zq7Plain\n"
                  "snmp-server user u g v3 auth sha Zq7AuthKey priv aes 128 Zq7PrivKey unknown-option\n"
                  "ip http authentication enable password Zq7Http\nend")
    assert got and not any("Zq7" in text for _, text in got), got
