"""Linux servers over SSH: the machine's own real OpenSSH sshd, judged against what the test reads itself."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scanner.inventory import load_inventory
from scanner.live import LiveOptions, scan_inventory, scan_raw
from scanner.model import AssetStatus
from scanner.platforms.linux import collection_script, parse, split_sections


def _inventory(tmp_path, sshd):
    inv = {"credentials": {"root": {"ssh": {"username": sshd["user"], "key_file": sshd["key"]}}},
           "assets": [{"name": "self", "platform": "linux", "address": "127.0.0.1", "port": sshd["port"],
                       "role": "server", "zone": "管理区", "credentials": "root"}]}
    p = tmp_path / "inv.yaml"
    p.write_text(yaml.safe_dump(inv, allow_unicode=True))
    return load_inventory(p)


# Two throwaway accounts with known hashes (sha512-crypt and yescrypt), planted in this host's /etc/shadow for the
# length of one test: a machine without password hashes would otherwise leave the leak check nothing to look for.
PLANTED_HASHES = {
    "mlpsprobe1": "$6$mlpsProbeSalt1$yCmXLc/aLYvjJitq6KqxVm9h2AwcX3/yZplQeFCGGn8uxsH9CWo4fo0a/iwZNuNnQ80CeCSvWnNVsTUOea23D/",
    "mlpsprobe2": "$y$j9T$mlpsProbeSalt2.Yz0a$Pq7mN2xV9kL4sT8wR1cF6hJ3bG5dZ0eA.yU2iO7pQ9M",
}


@pytest.fixture
def planted_hashes():
    for user, h in PLANTED_HASHES.items():
        subprocess.run(["userdel", user], capture_output=True)           # a leftover of an interrupted run
        subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-p", h, user], check=True)
    try:
        yield PLANTED_HASHES
    finally:
        for user in PLANTED_HASHES:
            subprocess.run(["userdel", user], capture_output=True)


def _finding(asset, check):
    return next(f for f in asset.findings if f.check == check)


def test_linux_host_over_real_sshd(sshd, planted_hashes, tmp_path, ctx):
    res = scan_inventory(_inventory(tmp_path, sshd), ctx,
                         LiveOptions(known_hosts=tmp_path / "kh", trust_new_hosts=True, save_raw=tmp_path / "raw"))
    a = res.assets[0]
    assert a.status == AssetStatus.ASSESSED and a.kind == "server", a.reason
    # Ground truth read directly, not through the scanner.
    max_days = next((int(ln.split()[1]) for ln in Path("/etc/login.defs").read_text().splitlines()
                     if ln.startswith("PASS_MAX_DAYS")), None)
    expiry = _finding(a, "linux_password_expiry")
    assert expiry.status.value == ("pass" if max_days is not None and max_days <= 90 else "fail")
    eff = subprocess.run(["/usr/sbin/sshd", "-T"], capture_output=True, text=True).stdout
    root_login = re.search(r"^permitrootlogin (\S+)", eff, re.M).group(1)
    assert _finding(a, "linux_root_ssh_login_disabled").status.value == ("pass" if root_login == "no" else "fail")
    pam_pw = any(re.match(r"^\s*password\s+\S+\s+\S*pam_(pwquality|cracklib)", ln)
                 for f in ("/etc/pam.d/common-password", "/etc/pam.d/system-auth") if Path(f).exists()
                 for ln in Path(f).read_text().splitlines())
    if not pam_pw:
        assert _finding(a, "linux_password_quality").status.value == "fail"
    shadow = Path("/etc/shadow").read_text()
    hashes = [ln.split(":")[1] for ln in shadow.splitlines() if ln.count(":") >= 8 and ln.split(":")[1][:1] == "$"]
    assert set(planted_hashes.values()) <= set(hashes)                  # the leak check has hashes to look for
    saved = "".join(p.read_text() for p in (tmp_path / "raw").rglob("*.txt"))
    for user in planted_hashes:       # the accounts were collected, with their hashes masked (not merely never read)
        line = next(ln for ln in saved.splitlines() if ln.startswith(f"{user}:"))
        assert "MLPS-REDACTED" in line, line
    checked = 0
    for h in hashes:
        assert h not in saved and h not in res.model_dump_json()          # no hash leaves the host
        assert h.split("$")[-1] not in saved + res.model_dump_json()       # nor its digest alone
        checked += 1
    assert checked >= len(planted_hashes)
    offline = scan_raw(tmp_path / "raw", ctx)
    assert [c.model_dump() for c in offline.assets[0].controls] == [c.model_dump() for c in a.controls]


def test_parser_on_a_hardened_rhel_capture():
    sections = {
        "id": "0", "os_release": 'ID="rhel"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"',
        "login_defs": "#PASS_MAX_DAYS 99999\nPASS_MAX_DAYS   90\nPASS_MIN_LEN 8",
        "pwquality": "# minlen = 9\nminlen = 12\nminclass = 3\n",
        "pam": "==> /etc/pam.d/system-auth\nauth required pam_faillock.so preauth silent deny=5 unlock_time=900\n"
               "password requisite pam_pwquality.so try_first_pass local_users_only enforce_for_root retry=3\n",
        "profile": "==> /etc/profile.d/tmout.sh\nreadonly TMOUT=600\nexport TMOUT",
        "sshd_effective": "port 22\npermitrootlogin no\nclientaliveinterval 300\nclientalivecountmax 0\n"
                          "ciphers aes256-gcm@openssh.com,aes256-ctr\n",
        "passwd": "root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
                  "secadm:x:1001:1001::/home/secadm:/bin/bash",
        "shadow": "root:$6$salt$hash:19000:0:90:7:::\nbin:*:19000:0:99999:7:::\nsecadm:$y$j9T$x$y:19000:1:90:7:::",
        "listening": "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nudp UNCONN 0 0 127.0.0.1:323 0.0.0.0:*",
        "services": "active\nactive\nactive\ninactive\ninactive\ninactive\ninactive\nactive\ninactive\ninactive\ninactive",
        "audit_rules": "-w /etc/passwd -p wa -k passwd\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n-w /etc/sudoers -p wa",
        "rsyslog": "*.* @@10.0.9.20:514\n",
    }
    h = parse(sections)
    assert (h.pass_max_days, h.pw_min_len, h.pw_min_class, h.pw_enforce_for_root) == (90, 12, 3, True)
    assert (h.lockout_deny, h.lockout_unlock_s, h.tmout_s) == (5, 900, 600)
    assert h.sshd["permitrootlogin"] == "no" and h.services["auditd"] and h.remote_log_lines
    assert [(a.name, a.password, a.hash_scheme) for a in h.accounts] == [
        ("root", "hash", "sha512"), ("bin", "locked", None), ("secadm", "hash", "yescrypt")]


def test_sshd_config_defaults_when_sshd_T_is_unavailable():
    h = parse({"sshd_config": "# PermitRootLogin yes\n#ClientAliveInterval 0\nPasswordAuthentication no\n"
                              "Match User backup\n  PermitRootLogin yes\n",
               "passwd": "root:x:0:0::/root:/bin/bash"})
    assert h.sshd_source == "sshd_config"
    assert h.sshd["permitrootlogin"] == "prohibit-password"      # commented-out line = compiled-in default
    assert h.sshd["passwordauthentication"] == "no"


def test_collection_script_runs_locally_and_splits():
    out = subprocess.run(["sh", "-c", collection_script()], capture_output=True, text=True, timeout=60).stdout
    sec = split_sections(out)
    assert sec["passwd"].startswith("root:") and "end" not in sec
    # the fast pending-security-update count agrees with a full simulated upgrade on this host
    if Path("/usr/bin/apt-get").exists():
        sim = subprocess.run(["sh", "-c", "apt-get -s upgrade 2>/dev/null | grep -c '^Inst .*ecurity'"],
                             capture_output=True, text=True, timeout=120).stdout.strip()
        assert sec["security_updates"].strip() == f"apt {sim}"


@pytest.mark.parametrize("name", ["hardened_rhel9", "weak_ubuntu2204"])
def test_linux_captures_item_by_item(name, ctx):
    # the expected verdicts are the hand-written answer files (tests/expected/answers/, compared in full by
    # test_answers.py), no longer a snapshot of the scanner's output
    from conftest import EXPECTED, FIXTURES
    answer = yaml.safe_load((EXPECTED / "answers" / f"{name}.yaml").read_text(encoding="utf-8"))
    common = yaml.safe_load((EXPECTED / "answers" / "_common.yaml").read_text(encoding="utf-8"))["server"]
    expected = {k: v[0] for k, v in answer["items"].items()}
    expected.update({i: s for s in ("manual", "not_applicable") for i in common[s]["items"]})
    res = scan_raw(FIXTURES / "linux" / name, ctx)
    a = res.assets[0]
    assert a.status == AssetStatus.ASSESSED and a.kind == "server"
    assert {c.id: c.result.value for c in a.controls} == expected
    assert sorted({h.id for h in a.high_risks}) == sorted(answer["high_risks"])
    if name.startswith("hardened"):
        assert not [f.check for f in a.findings if f.status.value == "fail"]


def test_portscan_finds_a_telnet_listener_with_real_nmap(sshd, tmp_path, ctx):
    """nmap (TCP connect) against 127.0.0.1 while something listens on the Telnet port."""
    import socket
    from scanner.transport.portscan import scan_ports
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 23))
    s.listen(1)
    try:
        assert 23 in scan_ports(["127.0.0.1"])["127.0.0.1"]
        res = scan_inventory(_inventory(tmp_path, sshd), ctx, LiveOptions(known_hosts=tmp_path / "kh",
                             trust_new_hosts=True, portscan=True, save_raw=tmp_path / "raw"))
    finally:
        s.close()
    f = _finding(res.assets[0], "linux_high_risk_ports_closed")
    assert f.status.value == "fail" and "23" in f.reason_en
    offline = scan_raw(tmp_path / "raw", ctx)                     # the scan result was saved with the outputs
    assert _finding(offline.assets[0], "linux_high_risk_ports_closed").status.value == "fail"


# -- a platform defined here is collected by the same live runner (its declared mode picks the transport) ------
def _split_marked(output: str) -> dict[str, str]:
    parts = re.split(r"^#(\w+)$", output, flags=re.M)
    return {k: v.strip("\n") for k, v in zip(parts[1::2], parts[2::2]) if k != "end"}


class _ScriptOs:
    """A tiny server platform: one read-only script, one fact."""
    from scanner.errors import ReasonCode
    from scanner.platforms.base import Collection, Detection, Masker, Required, SessionProfile
    name, kind, title, aliases, end_marker = "scriptos", "server", "Script OS", (), None
    SCRIPT = "echo '#kernel'; uname -s; echo '#end'"
    detection = Detection(saved_config=False)
    session = SessionProfile(paging=(), quit="exit", prompt_style="sh", commands={}, unrecognized=(), ssh_banners=())
    collect = Collection(mode="script", commands={"kernel": "uname -s"}, allowed=frozenset({SCRIPT}), script=SCRIPT,
                         split=_split_marked)
    required = Required("kernel", ReasonCode.COLLECTION_INCOMPLETE, "no kernel name", blank_is_missing=True)
    facts = frozenset({"scriptos.kernel"})
    mask = Masker([r"password=(?P<secret>\S+)"], "password")

    def secrets(self, line):
        return self.mask.secrets(line)

    def detect_score(self, text):
        return 0

    def parse(self, documents):
        from scanner.platforms.base import Identity, Parsed
        return Parsed({"scriptos.kernel": documents["kernel"]}, {},
                      {k: v.split("\n") for k, v in documents.items()}, Identity(os_name=documents["kernel"]),
                      hostname_is_asset_name=True)

    def secret_values(self, documents):
        return frozenset()

    def decode_secret(self, line, value):
        return value

    def fleet_facts(self, facts):
        return None


def test_a_platform_registered_in_a_test_is_collected_live_by_its_declared_mode(sshd, tmp_path):
    from scanner import platforms
    from scanner.checkkit import Check, passed
    from scanner.engine import ScanContext
    from scanner.model import Severity
    kernel = Check(id="scriptos_kernel_named", title_zh="内核", title_en="kernel named", controls=("8.1.4.2.a",),
                   severity=Severity.LOW, needs=("scriptos.kernel",), applies_to=("server",),
                   evaluate=lambda f, p: passed("内核", "kernel " + f["scriptos.kernel"]))
    ctx = ScanContext.default()
    ctx.checks = [kernel]
    platforms.register(_ScriptOs())
    try:
        inv_path = tmp_path / "inv2.yaml"
        creds = {"root": {"ssh": {"username": sshd["user"], "key_file": sshd["key"]}}}
        inv_path.write_text(yaml.safe_dump({"credentials": creds, "assets": [
            {"name": "scripted", "platform": "scriptos", "address": "127.0.0.1", "port": sshd["port"],
             "credentials": "root"}]}))
        res = scan_inventory(load_inventory(inv_path), ctx, LiveOptions(known_hosts=tmp_path / "kh",
                             trust_new_hosts=True, save_raw=tmp_path / "raw"))
        a = res.assets[0]
        assert (a.platform, a.status, a.hostname) == ("scriptos", AssetStatus.ASSESSED, "scripted"), a.reason
        f = next(f for f in a.findings if f.check == "scriptos_kernel_named")
        assert f.status.value == "pass" and f.reason_en == "kernel " + subprocess.run(
            ["uname", "-s"], capture_output=True, text=True).stdout.strip()
        device = yaml.safe_load(next((tmp_path / "raw").rglob("device.yaml")).read_text())
        assert {k: v["command"] for k, v in device["outputs"].items()} == {"kernel": "uname -s"}   # as declared
        offline = scan_raw(tmp_path / "raw", ctx).assets[0]
        assert [f.model_dump() for f in offline.findings] == [f.model_dump() for f in a.findings]
    finally:
        platforms.unregister("scriptos")
