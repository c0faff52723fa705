"""Checks that declare themselves: the id on its function, metadata validated at discovery, and a broken built-in
check module or data file stops the scan (exit 2, one message naming the file) instead of a quieter scan."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.checkkit import Check, FleetCheck
from scanner.model import Severity
from scanner.registry import discover

from conftest import CONFIGS, ROOT

CHECKS_DIR = ROOT / "checks"


def _definition_lines() -> dict[str, tuple[Path, int]]:
    """check id -> (file, line) of the `id="..."` that names it in checks/."""
    found: dict[str, tuple[Path, int]] = {}
    for path in sorted(CHECKS_DIR.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r'\bid="([a-z0-9_]+)"', line):
                found.setdefault(m.group(1), (path, n))
    return found


def test_every_check_id_sits_on_its_function():
    """Searching an id in checks/ lands on a decorator whose function follows: the id and its logic are together."""
    cs = discover(use_entry_points=False)
    where = _definition_lines()
    for c in [*cs.checks, *cs.fleet_checks]:
        assert c.id in where, f"{c.id}: no id=\"...\" in checks/"
        path, line = where[c.id]
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[line - 1].lstrip().startswith(("@check(", "@fleet_check(")), (c.id, path, line)
        following = next(ln for ln in lines[line:] if not ln.startswith((" ", "@")))
        assert following.startswith("def ") and f"def {c.evaluate.__name__}(" in following, (c.id, following)
        assert c.evaluate.__module__ == path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")


def test_check_metadata_is_keyword_only():
    with pytest.raises(TypeError):
        Check("x_on", "甲", "x", ("8.1.4.1.a",), Severity.LOW, ("device_config",), lambda f, p: None)   # type: ignore
    with pytest.raises(TypeError):
        FleetCheck("fleet_x", "甲", "x", ("8.1.4.1.a",), lambda assets: None)   # type: ignore


def test_fleet_checks_are_discovered_like_device_checks():
    cs = discover(use_entry_points=False)
    assert {c.id for c in cs.fleet_checks} == {"fleet_admin_passwords_distinct", "fleet_key_devices_redundant",
                                              "fleet_security_devices_present", "fleet_management_zone",
                                              "fleet_central_logging", "fleet_boundary_controlled_interface",
                                              "fleet_boundary_default_deny", "fleet_boundary_intrusion_prevention",
                                              "fleet_boundary_anti_malware", "fleet_boundary_audit",
                                              "fleet_management_via_bastion"}
    assert not {c.id for c in cs.fleet_checks} & {c.id for c in cs.checks}


# -- a broken built-in check or data file stops the scan ------------------------------------------------------
def _tree(tmp_path: Path) -> Path:
    """A copy of the package tree the scan runs from, to break one file of."""
    root = tmp_path / "tree"
    for pkg in ("scanner", "checks", "reports"):
        shutil.copytree(ROOT / pkg, root / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _scan(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "scanner.cli", *args], capture_output=True, text=True, cwd=root,
                          env=env, timeout=120)


BREAKAGES = {
    "syntax_error": ("checks/network/audit.py", "def _ntp(facts: Facts, policy: Policy) -> Verdict:",
                     "def _ntp(facts: Facts, policy: Policy) -> Verdict", r"checks/network/audit\.py.*SyntaxError"),
    "import_error": ("checks/linux/identification.py", "from scanner.policy import Policy",
                     "from scanner.policy import Policy, NoSuchThing", r"checks/linux/identification\.py.*ImportError"),
    "unknown_item": ("checks/network/audit.py", '"8.1.4.3.b", "8.1.3.5.b")',
                     '"8.1.4.3.b", "8.1.3.5.b", "8.1.5.4.z")',
                     r"checks/network/audit\.py.*log_timestamps_datetime.*8\.1\.5\.4\.z"),
    "unknown_high_risk": ("checks/network/services.py", 'high_risk=("6.4.2.1",)', 'high_risk=("6.4.2.9",)',
                          r"checks/network/services\.py.*snmp_default_community_absent.*6\.4\.2\.9"),
    "duplicate_id": ("checks/network/audit.py", 'id="login_events_logged"', 'id="logging_enabled"',
                     r"duplicate check id logging_enabled.*checks/network/audit\.py"),
    "remediation_key": ("checks/remediation/huawei_vrp.yaml", "\nauth_no_empty_password:",
                        "\nauth_no_empty_pasword:",
                        r"checks/remediation/huawei_vrp\.yaml line \d+.*auth_no_empty_pasword"),
    "remediation_missing": ("checks/remediation/linux.yaml", "\nlinux_time_synchronised:", "\nunused_key:",
                            r"linux_time_synchronised.*no fix commands for linux"),
    "remediation_yaml": ("checks/remediation/cisco_ios.yaml", "\nauth_no_empty_password: |",
                         "\nauth_no_empty_password: |\n\tx: [",
                         r"checks/remediation/cisco_ios\.yaml line \d+: invalid YAML"),
    "high_risk_yaml": ("checks/catalog/high_risk_t_iseaa_001_2020.yaml", "cases:", "casez:",
                       r"checks/catalog/high_risk_t_iseaa_001_2020\.yaml.*cases"),
    "equipment_feature": ("checks/catalog/equipment/huawei_vrp.yaml", "feature: snmpv3_aes", "feature: snmpv3_aez",
                          r"checks/catalog/equipment/huawei_vrp\.yaml.*snmpv3_aez"),
    "feature_map": ("scanner/equipment.py", '"login_lockout_enabled": "login_lockout"',
                    '"login_lockout_on": "login_lockout"', r"scanner/equipment\.py.*login_lockout_on"),
    "catalogue_yaml": ("checks/catalog/gb22239_2019_l3.yaml", "\nitems:", "\nitems: [",
                       r"checks/catalog/gb22239_2019_l3\.yaml line \d+: invalid YAML"),
    "applicability_yaml": ("checks/catalog/applicability.yaml", "\nserver:", "\n\tserver:",
                           r"checks/catalog/applicability\.yaml line \d+: invalid YAML"),
    "item_not_judged": ("checks/network/audit.py", '("8.1.4.3.a", "8.1.3.5.a")', '("8.1.1.1.a", "8.1.3.5.a")',
                        r"audit\.py line \d+: check logging_enabled: item 8\.1\.1\.1\.a is not judged on "
                        r"network_device assets"),
    "exit_at_import": ("checks/network/resilience.py", "from __future__ import annotations\n",
                       "from __future__ import annotations\nimport sys\nsys.exit(0)\n",
                       r"checks/network/resilience\.py line \d+: cannot import .*SystemExit"),
    "platform_import": ("scanner/platforms/hp_comware.py", "\nimport re\n", "\nimport re\nimport nosuchmodule\n",
                        r"scanner/platforms/hp_comware\.py: cannot import: ModuleNotFoundError"),
    "unknown_fact": ("checks/linux/hardening.py", 'needs=("linux.sudoers",)', 'needs=("linux.sudoer",)',
                     r"checks/linux/hardening\.py line \d+: check linux_sudo_least_privilege: needs names fact "
                     r"'linux\.sudoer'"),
    "fleet_item": ("checks/fleet.py", '("8.1.2.1.e",)', '("8.1.2.1.q",)',
                   r"checks/fleet\.py.*fleet_key_devices_redundant.*8\.1\.2\.1\.q"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_a_broken_builtin_check_or_data_file_stops_the_scan(tmp_path, case):
    rel, old, new, message = BREAKAGES[case]
    root = _tree(tmp_path)
    _edit(root, rel, old, new)
    r = _scan(root, "scan", "--configs", str(CONFIGS / "huawei_vrp"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    assert re.search(message, r.stderr), r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out" / "scan.json").exists()
    assert r.stderr.count("error:") == 1                       # one message, not a cascade
    r = _scan(root, "checks", "list")
    assert r.returncode == 2 and re.search(message, r.stderr), r.stderr


def test_the_unbroken_copy_scans(tmp_path):
    """The copied tree itself is sound: every failure above is the breakage, not the copy."""
    root = _tree(tmp_path)
    r = _scan(root, "scan", "--configs", str(CONFIGS / "huawei_vrp"), "-o", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr


def test_declared_checks_survive_pickling():
    """A runner that ships the scan context to another process (spawn, a remote collector) gets the same checks."""
    import pickle
    from scanner.engine import ScanContext
    ctx = ScanContext.default()
    back = pickle.loads(pickle.dumps(ctx))
    assert [c.id for c in back.checks] == [c.id for c in ctx.checks]
    assert all(a is b for a, b in zip(back.checks, ctx.checks)) and back.fleet_checks == ctx.fleet_checks


REUSE = '''
from checks.network.audit import _ntp            # a check imported elsewhere is still one check, of audit.py
import checks.linux.identification as li
from scanner.checkkit import check
from scanner.model import FixKind, Severity

_ntp_again = _ntp
reused = check(id="linux_helper_reused", title_zh="甲", title_en="a", controls=("8.1.4.2.c",), severity=Severity.LOW,
               needs=("linux_host",), applies_to=("server",), fix_kind=FixKind.PROCESS)(li.interactive)
'''


def test_a_check_is_found_once_whatever_module_binds_it(tmp_path):
    """Imported into another module (sorted first), bound to two names, or wrapping a function written elsewhere:
    each check is listed once, and none is dropped."""
    root = _tree(tmp_path)
    (root / "checks" / "network" / "aa_reuse.py").write_text(REUSE, encoding="utf-8")
    r = _scan(root, "checks", "list")
    assert r.returncode == 0, r.stderr
    ids = re.findall(r"^│ ([a-z0-9_]+)\s", r.stdout, re.M)
    assert ids.count("time_sync_configured") == 1 and ids.count("linux_helper_reused") == 1
    assert len(ids) == len(set(ids)) == len(discover(use_entry_points=False).checks) + 1


def test_an_emptied_data_file_stops_the_scan(tmp_path):
    root = _tree(tmp_path)
    (root / "checks" / "remediation" / "hp_comware.yaml").write_text("# all fix commands lost\n", encoding="utf-8")
    r = _scan(root, "scan", "--configs", str(CONFIGS / "hp_comware"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "checks/remediation/hp_comware.yaml: empty" in r.stderr, r.stderr
