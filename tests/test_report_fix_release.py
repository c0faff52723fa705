"""Issue 12, must-have 3, found in the end-to-end pass: no fix the release cannot run. The fix script of the demo's
Catalyst 2960 (IOS 15.0(2)SE11) carried IOS XE's `ip ssh server algorithm` lines. A legacy IOS release (before
type-9 secrets, `fix_variant` "legacy") takes `<check>@legacy` where one exists, else the check's own commands: so
no command those releases reject may reach it either way."""
from __future__ import annotations

from scanner import platforms
from scanner.engine import ScanContext

# Commands IOS releases before 15.3(3)M3 reject (all came later: scrypt secrets, common-criteria policies in
# 15.3(3)M3+/IOS XE, SSH algorithm selection and the DH minimum in 15.5+/IOS XE)
NEWER_THAN_LEGACY = ("algorithm-type scrypt", "aaa common-criteria", "common-criteria-policy",
                     "ip ssh server algorithm", "ip ssh dh min size")


def _commands(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("!")]


def test_the_2960_release_is_legacy():
    assert platforms.get("cisco_ios").fix_variant("15.0(2)SE11") == "legacy"
    assert platforms.get("cisco_ios").fix_variant("16.9.4") is None


def test_no_command_a_legacy_release_rejects_reaches_it():
    """(A check whose feature the release predates gives no commands at all: the script says to upgrade first.)"""
    from scanner.equipment import release_lacks
    fixes = ScanContext.default().remediation["cisco_ios"]
    reaching = {check: fixes.get(f"{check}@legacy", text) for check, text in fixes.items()
                if "@" not in check and not release_lacks("cisco_ios", check, "15.0(2)SE11")}
    bad = {check: c for check, text in reaching.items() for c in _commands(text)
           if any(c.startswith(n) or n in c for n in NEWER_THAN_LEGACY)}
    assert bad == {}


def test_the_legacy_ssh_fix_says_an_upgrade_is_needed_to_choose_algorithms():
    text = ScanContext.default().remediation["cisco_ios"]["ssh_algorithms_strong@legacy"]
    assert "ip ssh version 2" in _commands(text)
    assert any("upgrade" in ln for ln in text.splitlines() if ln.lstrip().startswith("!"))


def test_comware_5_gets_no_comware_7_ssh_algorithm_commands():
    """The demo's S5120 (Comware 5.20) got `ssh2 algorithm ...`, which came with Comware 7."""
    from scanner.equipment import release_lacks
    assert platforms.get("hp_comware").fix_variant("5.20 1513P81") == "5"
    fixes = ScanContext.default().remediation["hp_comware"]
    reaching = {check: fixes.get(f"{check}@5", text) for check, text in fixes.items()
                if "@" not in check and not release_lacks("hp_comware", check, "5.20 1513P81")}
    assert {check: c for check, text in reaching.items() for c in _commands(text.replace("#", "!"))
            if c.startswith("ssh2 algorithm")} == {}


def test_a_comware_7_script_carries_no_comware_5_notes():
    """Where a Comware 5 variant exists, the Comware 7 commands need no 'Comware 5: ...' aside (the demo's Comware 7
    script told the engineer about `user-interface` inside its `line vty` view)."""
    fixes = ScanContext.default().remediation["hp_comware"]
    assert [c for c, text in fixes.items() if "@" not in c and f"{c}@5" in fixes and "Comware 5:" in text] == []
