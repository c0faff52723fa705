"""Policy choices where assessors differ are named settings with documented defaults (README "Policy choices")."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes
from scanner.policy import Policy

TYPE5 = b"""hostname r1
username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0
enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0
line vty 0 4
 login local
 transport input ssh
end
"""
AAA_LOCKOUT = b"""hostname r2
aaa new-model
aaa authentication login default group tacacs+ local
aaa local authentication attempts max-fail 3
username admin privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ
tacacs server T1
 address ipv4 192.0.2.10
line vty 0 4
 transport input ssh
end
"""


def _asset(text: bytes, policy: Policy):
    return assess_config_bytes(text, ScanContext.default(policy), "cisco_ios", "r", "r.cfg")


def _finding(asset, check: str):
    return next(f for f in asset.findings if f.check == check)


def _item(asset, item: str):
    return next(c.result.value for c in asset.controls if c.id == item)


@pytest.mark.parametrize("choice, check_status, item", [("partial", "fail", "partial"), ("compliant", "pass", "compliant")])
def test_md5_crypt_choice(choice, check_status, item):
    a = _asset(TYPE5, Policy(md5_crypt=choice))
    assert _finding(a, "password_hash_strong").status.value == check_status
    assert _finding(a, "passwords_not_plaintext").status.value == "pass"
    assert _item(a, "8.1.4.8.b") == item


def test_md5_crypt_default_is_partial():
    assert Policy().md5_crypt == "partial"
    assert Policy().central_aaa_with_local_lockout == "manual"


@pytest.mark.parametrize("choice, status", [("manual", "manual"), ("compliant", "pass")])
def test_central_aaa_with_local_lockout_choice(choice, status):
    a = _asset(AAA_LOCKOUT, Policy(central_aaa_with_local_lockout=choice))
    assert _finding(a, "login_lockout_enabled").status.value == "pass"
    assert _finding(a, "aaa_server_policy_reviewed").status.value == status


def test_central_aaa_without_local_lockout_stays_manual():
    text = AAA_LOCKOUT.replace(b"aaa local authentication attempts max-fail 3\n", b"")
    a = _asset(text, Policy(central_aaa_with_local_lockout="compliant"))
    assert _finding(a, "aaa_server_policy_reviewed").status.value == "manual"


def test_a_policy_file_names_the_choice(tmp_path):
    from scanner.policy import PolicyError, load_policy
    f = tmp_path / "p.yaml"
    f.write_text("md5_crypt: compliant\n")
    assert load_policy(f).md5_crypt == "compliant"
    f.write_text("md5_crypt: maybe\n")
    with pytest.raises(PolicyError) as e:
        load_policy(f)
    assert "md5_crypt" in str(e.value)
