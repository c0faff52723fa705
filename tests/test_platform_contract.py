"""One platform contract (scanner/platforms/base.py `Platform`) and facts at the grain checks read.

The engine, the live runner and the platform registry name no platform; a platform defined here, in a test, and
registered with `platforms.register` is scanned through the same path as the built-in ones, with no engine edit.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner import platforms
from scanner.checkdata import check_problems, load_reference
from scanner.checkkit import Check, passed
from scanner.engine import ScanContext, scan_configs
from scanner.errors import ReasonCode
from scanner.live import scan_raw
from scanner.model import AssetStatus, CheckStatus, Severity
from scanner.platforms.base import Collection, Detection, Identity, Masker, Parsed, Required, SessionProfile, \
    secret_values
from scanner.registry import discover
from scanner.transport.replay import Capture, write_capture

from conftest import ROOT

PLATFORM_NAMES = re.compile(r"linux|cisco|huawei|comware|h3c|\bvrp\b|\bios\b", re.IGNORECASE)


def test_engine_live_runner_and_registry_name_no_platform():
    """What a platform is and does, it declares: no branch on a platform's name is left to add another to."""
    for rel in ("scanner/engine.py", "scanner/live.py", "scanner/collectors.py", "scanner/platforms/__init__.py"):
        for n, line in enumerate((ROOT / rel).read_text(encoding="utf-8").splitlines(), 1):
            assert not PLATFORM_NAMES.search(line), f"{rel} line {n} names a platform: {line.strip()}"


# -- a platform written in a test -----------------------------------------------------------------------------
FAKE_SESSION = SessionProfile(paging=(), quit="exit", prompt_style="ios", commands={"config": "show fake"},
                              unrecognized=("% bad",), ssh_banners=("FakeSSH",))


class FakeOs:
    name = "fakeos"
    kind = "network_device"
    title = "Fake OS"
    aliases = ("fake",)
    detection = Detection(saved_config=True, ssh_banners=("FakeSSH",))
    session = FAKE_SESSION
    collect = Collection(mode="cli", commands=dict(FAKE_SESSION.commands), allowed=FAKE_SESSION.allowed)
    end_marker = "!fake-end"
    required = Required("config", ReasonCode.CONFIG_UNAVAILABLE, "no fake config")
    facts = frozenset({"fake.motd"})
    mask = Masker([r"\bpassword (?P<secret>\S+)"], "password")

    def secrets(self, line: str) -> list[str]:
        return self.mask.secrets(line)

    def detect_score(self, text: str) -> int:
        return 20 if text.startswith("FAKEOS") else 0

    def parse(self, documents: dict[str, str]) -> Parsed:
        lines = documents["config"].split("\n")
        motd = [i for i, ln in enumerate(lines, 1) if ln.startswith("motd ")]
        host = next((ln.split()[1] for ln in lines if ln.startswith("hostname ")), None)
        return Parsed({"fake.motd": motd} if motd else {},
                      {} if motd else {"fake.motd": ("配置中无登录横幅", "no motd line in the config")},
                      {"config": lines}, Identity(hostname=host, software_version="1.0"),
                      complete=any(ln.strip() == self.end_marker for ln in lines[-3:]))

    def secret_values(self, documents: dict[str, list[str]]) -> frozenset[str]:
        return secret_values(self.mask, documents.get("config", []))

    def decode_secret(self, line: str, value: str) -> str:
        return value

    def fleet_facts(self, facts):
        return None


def _motd(facts, policy):
    lines = facts["fake.motd"]
    return passed("有登录横幅", "motd set", facts.evidence(*lines, lines[0] + 1))   # the line after it: a password


MOTD_CHECK = Check(id="fake_motd_set", title_zh="登录横幅", title_en="motd set", controls=("8.1.4.3.a",),
                   severity=Severity.LOW, needs=("fake.motd",), evaluate=_motd)
GOOD = "FAKEOS\nhostname fk1\nmotd authorised use only\npassword Sup3rSecretValue\n!fake-end\n"


@pytest.fixture
def fake():
    # the context first: discovery would rightly ask a registered network platform for the fix commands of every
    # network check (checks/remediation/<platform>.yaml), which a test platform has none of
    ctx = ScanContext.default()
    ctx.checks = [*ctx.checks, MOTD_CHECK]
    platforms.register(FakeOs())
    yield ctx
    platforms.unregister("fakeos")


def _finding(asset, check_id):
    return next(f for f in asset.findings if f.check == check_id)


def test_a_platform_registered_in_a_test_scans_a_saved_file_through_the_engine(fake, tmp_path):
    cfg = tmp_path / "fk1.cfg"
    cfg.write_text(GOOD, encoding="utf-8")
    a = scan_configs([cfg], fake).assets[0]
    assert (a.platform, a.kind, a.status, a.hostname) == ("fakeos", "network_device", AssetStatus.ASSESSED, "fk1")
    f = _finding(a, "fake_motd_set")
    assert f.status == CheckStatus.PASS and f.evidence[0].line == 3
    assert f.evidence[1].text == "password ******"                 # its own masker, run by the engine
    assert "Sup3rSecretValue" not in a.model_dump_json()
    # the built-in network checks read device.* facts this platform does not give: manual, saying which
    logging = _finding(a, "logging_enabled")
    assert logging.status == CheckStatus.MANUAL and "device.logging" in logging.reason_en
    assert platforms.canonical("FAKE") == "fakeos" and platforms.detect(GOOD) == "fakeos"


def test_the_registered_platform_declares_its_end_marker_and_why_a_fact_is_missing(fake, tmp_path):
    (tmp_path / "cut.cfg").write_text(GOOD.replace("!fake-end", ""), encoding="utf-8")
    (tmp_path / "bare.cfg").write_text(GOOD.replace("motd authorised use only", "banner none"), encoding="utf-8")
    cut, bare = sorted(scan_configs([tmp_path], fake).assets, key=lambda a: a.name)[::-1]
    assert cut.status == AssetStatus.ERROR and cut.reason_code == ReasonCode.TRUNCATED and "!fake-end" in cut.reason
    f = _finding(bare, "fake_motd_set")
    assert f.status == CheckStatus.MANUAL and "no motd line in the config" in f.reason_en
    assert "配置中无登录横幅" in f.reason_zh


def test_the_registered_platform_is_assessed_from_a_saved_capture(fake, tmp_path):
    write_capture(tmp_path / "raw", Capture(name="fk1", platform="fakeos", address="192.0.2.7:22",
                                            outputs={"config": GOOD}, commands=dict(FAKE_SESSION.commands)))
    write_capture(tmp_path / "raw", Capture(name="fk2", platform="fakeos", address="192.0.2.8:22",
                                            commands=dict(FAKE_SESSION.commands), status={"config": "rejected"},
                                            messages={"config": "% bad command"}))
    by_name = {a.name: a for a in scan_raw(tmp_path / "raw", fake).assets}
    assert _finding(by_name["fk1"], "fake_motd_set").status == CheckStatus.PASS
    missing = by_name["fk2"]                       # the platform's required document, and the device's own words
    assert missing.reason_code == ReasonCode.CONFIG_UNAVAILABLE and missing.reason == "% bad command"


def test_a_registered_platform_name_must_be_new(fake):
    with pytest.raises(ValueError):
        platforms.register(FakeOs())
    with pytest.raises(ValueError):
        platforms.register(type("Clash", (), {"name": platforms.names()[0]})())


# -- facts at the grain checks read ---------------------------------------------------------------------------
def test_builtin_checks_need_facts_at_their_grain():
    """No built-in check needs the whole parsed model: `needs` and `uses` say what each reads."""
    cs = discover(use_entry_points=False)
    coarse = {"device_config", "linux_host"}
    assert not [c.id for c in cs.checks if coarse & set(c.needs + c.uses)]
    linux = {f for c in cs.checks if "server" in c.applies_to for f in c.needs + c.uses}
    assert {"linux.pam", "linux.shadow", "linux.sshd", "linux.accounts", "linux.listening"} <= linux


def test_no_linux_check_guards_a_section_by_hand():
    """'section not read -> manual' is the engine's, from the parser's reason; checks do not repeat it."""
    for path in (ROOT / "checks" / "linux").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".sections" not in text and "not in h.sections" not in text, path
        assert not re.search(r"if not h\.(accounts|sshd|services|perms|processes)\s*:", text), path


def test_a_section_not_read_is_manual_with_the_parsers_reason(ctx):
    """/etc/shadow unreadable (no root): every check needing linux.shadow is manual with the platform's reason,
    the others are still judged."""
    from scanner.engine import assess_documents
    docs = {"passwd": "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
            "pam": "password requisite pam_pwquality.so minlen=12 minclass=3\n"}
    plat = platforms.get("linux")
    parsed = plat.parse(docs)
    assert "linux.shadow" not in parsed.facts and "linux.pam" in parsed.facts
    assert parsed.unavailable["linux.shadow"][1] == "/etc/shadow not readable (needs root)"
    a = assess_documents(docs, ctx, "linux", "h1", "test")
    for check_id in ("linux_no_empty_password", "linux_password_hashes_strong"):
        f = _finding(a, check_id)
        assert f.status == CheckStatus.MANUAL and f.reason_en.endswith("/etc/shadow not readable (needs root)")
    assert _finding(a, "linux_password_quality").status == CheckStatus.PASS
    assert _finding(a, "linux_unique_identities").status == CheckStatus.PASS


def _check(**kw) -> Check:
    meta = dict(id="plugin_fact_names", title_zh="甲", title_en="a", controls=("8.1.4.1.a",), severity=Severity.LOW,
                needs=("device.users",), evaluate=lambda f, p: passed("有", "yes"))
    return Check(**(meta | kw))


def test_needs_and_uses_are_validated_against_the_facts_platforms_give():
    ref = load_reference()
    assert check_problems(_check(), ref) == []
    assert check_problems(_check(needs=("linux.pam",), applies_to=("server",)), ref) == []
    wrong = check_problems(_check(needs=("device.user",)), ref)
    assert len(wrong) == 1 and "device.user" in wrong[0] and "network_device" in wrong[0]
    assert check_problems(_check(uses=("linux.pam",)), ref)           # a server fact on a network check
    assert check_problems(_check(needs=(), uses=()), ref)
    assert check_problems(_check(uses="open_ports"), ref)


PLUGIN = '''
from scanner import Severity, check, passed
@check(id="plugin_unknown_fact", title_zh="坏", title_en="bad", controls=("8.1.4.1.a",), severity=Severity.LOW,
       needs=("device.nosuch",))
def _bad(facts, policy):
    return passed("有", "yes")
'''


def test_a_plugin_needing_an_unknown_fact_is_a_broken_plugin(tmp_path, monkeypatch):
    (tmp_path / "mlps_plugin_facts.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "mlps_plugin_facts-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mlps-plugin-facts\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[mlps_scanner.checks]\nfacts = mlps_plugin_facts:_bad\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    cs = discover()
    status = next(p for p in cs.plugins if p.name == "facts")
    assert status.status == "error" and "device.nosuch" in status.message
    assert "plugin_unknown_fact" not in {c.id for c in cs.checks} and len(cs.checks) >= 30


def test_each_builtin_platform_declares_the_contract():
    for name in platforms.names():
        p = platforms.get(name)
        assert p.name == name and p.kind in ("network_device", "server") and p.title
        assert p.collect.mode in ("cli", "script") and p.collect.allowed
        if p.collect.mode == "script":
            assert p.collect.allowed == {p.collect.script} and p.collect.split is not None
        else:
            assert set(p.collect.commands.values()) <= p.collect.allowed
        assert p.required.document and p.facts
        assert p.detection.saved_config == (name in platforms.config_platforms())
        if not p.detection.saved_config:
            assert p.detect_score("anything") == 0
        else:
            assert p.end_marker
    assert Path(platforms.__file__).parent.name == "platforms"


# -- hostile documents ------------------------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings, strategies as st   # noqa: E402

WORDS = ["password", "secret", "PASS_MAX_DAYS", "TMOUT=", "auth", "required", "pam_faillock.so", "deny=3",
         "Port", "22", "return", "end", "==>", ":", "x", "0", "$6$", "!", "@@", "NOPASSWD:", "ALL", "tcp", "LISTEN"]
doc_st = st.one_of(st.text(max_size=400), st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)),
                                                   max_size=40).map(" ".join))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_platform_parses_any_documents_into_declared_facts(data):
    """Whatever each document holds (garbage, a blank, half a file), parse gives only facts it declares, never a
    fact both given and unavailable, and never raises."""
    for name in platforms.names():
        plat = platforms.get(name)
        keys = [plat.required.document, *plat.collect.commands]
        docs = {k: data.draw(doc_st) for k in dict.fromkeys(keys) if data.draw(st.booleans()) or
                k == plat.required.document}
        parsed = plat.parse(docs)
        assert set(parsed.facts) <= plat.facts and set(parsed.unavailable) <= plat.facts, name
        assert not set(parsed.facts) & set(parsed.unavailable), name
        assert all(len(why) == 2 and all(why) for why in parsed.unavailable.values()), name
        plat.secret_values(parsed.documents)


class _Crashing(FakeOs):
    name = "crashos"

    def detect_score(self, text: str) -> int:
        return 30 if text.startswith("CRASHOS") else 0

    def parse(self, documents):
        raise IndexError("parser bug")


def test_a_platform_whose_parser_crashes_costs_one_asset(fake, tmp_path):
    platforms.register(_Crashing())
    try:
        (tmp_path / "a.cfg").write_text("CRASHOS\n", encoding="utf-8")
        (tmp_path / "b.cfg").write_text(GOOD, encoding="utf-8")
        a, b = scan_configs([tmp_path], fake).assets
    finally:
        platforms.unregister("crashos")
    assert a.status == AssetStatus.ERROR and a.reason_code == ReasonCode.PARSE_ERROR and "IndexError" in a.reason
    assert b.status == AssetStatus.ASSESSED


# ---------------------------------------------------------------------------------------------------------------
# Round 2 (seed 12 sample): the registry, read in a fresh interpreter (it reads modules and entry points once per
# process, so only a new process shows how it reads them). A module of the package that fails to import is reported
# by broken() and costs only itself; a module without PLATFORM is no platform and no error; an entry point named
# like a built-in platform is skipped (the built-in wins) and costs no later entry point. The child runs in ROOT:
# under mutmut, the mutated copy reads its configuration from the working directory.
_REGISTRY_PROBE = """
import json, sys
from scanner import platforms
platforms.__path__.append(sys.argv[1])      # more modules in the package folder, as a file dropped there would be
print(json.dumps({"names": platforms.names(), "broken": platforms.broken()}))
"""


def test_the_registry_reads_every_module_and_entry_point_past_a_broken_or_shadowing_one(tmp_path):
    import json
    import os
    import subprocess
    import sys
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "aaa_broken.py").write_text("raise ImportError('deliberately broken')\n", encoding="utf-8")
    (extra / "aab_helper.py").write_text("HELPER = 1\n", encoding="utf-8")       # no PLATFORM: a helper module
    dist = tmp_path / "mlps_plugin_plat-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mlps-plugin-plat\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[{platforms.ENTRY_POINT_GROUP}]\ncisco_ios = no_such_module:PLATFORM\n"
                                           "zz_plugged = scanner.platforms.cisco_ios:PLATFORM\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    out = subprocess.run([sys.executable, "-c", _REGISTRY_PROBE, str(extra)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120).stdout
    got = json.loads(out.splitlines()[-1])
    assert set(platforms.names()) | {"zz_plugged"} == set(got["names"])     # every built-in, and the plug-in
    assert {"cisco_ios", "huawei_vrp", "hp_comware"} <= set(got["names"])
    assert list(got["broken"]) == ["scanner/platforms/aaa_broken.py"]
    assert got["broken"]["scanner/platforms/aaa_broken.py"].startswith("ImportError: deliberately broken")


def test_no_builtin_platform_module_is_broken():
    assert platforms.broken() == {} and "cisco_ios" in platforms.names()


def test_first_use_loads_each_builtin_platform_under_its_own_name():
    # Built-in platforms are imported on first use (the package docstring): a new process's first get(name) returns
    # the platform that name declares. The loaded state is reset here to what a new process starts with and restored
    # after (in a subprocess, mutmut could not see that this test reaches the loader: its stats are in-process).
    saved, loaded = dict(platforms._builtin), platforms._read["modules"]
    platforms._builtin.clear()
    platforms._read["modules"] = False
    try:
        for name in ("cisco_ios", "huawei_vrp", "hp_comware", "linux"):
            plat = platforms.get(name)
            assert plat is not None and plat.name == name
    finally:
        platforms._builtin.clear()
        platforms._builtin.update(saved)
        platforms._read["modules"] = loaded


# detect() reads the first 200 000 characters (its docstring): a mark that ends inside them counts, one whose last
# character is the 200 001st does not. `hostname` (2) + `line vty N` (3) reach MIN_DETECT_SCORE (5); `hostname`
# alone does not.
@pytest.mark.parametrize("end, want", [(200_000, "cisco_ios"), (200_001, "unknown")])
def test_detection_reads_the_first_200000_characters(end, want):
    head, mark = "hostname r1\n", "\nline vty 0"
    filler = "!\n" * ((end - len(head) - len(mark)) // 2)
    text = head + filler + "!" * ((end - len(head) - len(mark)) % 2) + mark + "\n"
    assert text.index(mark) + len(mark) == end            # the mark's last character is the end-th
    assert platforms.detect(text) == want


# A factory-account file given as a Path is read where that path points, a relative one from the working directory
def test_factory_accounts_are_read_from_the_path_given(tmp_path, monkeypatch):
    from scanner.platforms.credentials import accounts_in
    (tmp_path / "mine.yaml").write_text("factory_accounts:\n  - account: Admin\n    passwords: [Admin@123]\n"
                                        "    source: vendor manual\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert accounts_in(Path("mine.yaml")) == (("admin", frozenset({"admin@123"}), "vendor manual"),)


# ---------------------------------------------------------------------------------------------------------------
# Session 10 (seed 13 sample): the registry's whole lookup surface, and detection by each platform's own marks.

# A plug-in whose module cannot be imported is reported by broken() under its entry point, with the exception's
# type and message (what an operator needs to fix it), and costs no other platform
def test_a_broken_platform_plugin_is_named_with_its_error(tmp_path):
    import json
    import os
    import subprocess
    import sys
    dist = tmp_path / "mlps_plugin_broken-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mlps-plugin-broken\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[{platforms.ENTRY_POINT_GROUP}]\nzz_broken = no_such_module_xyz:PLATFORM\n",
                                           encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    probe = "import json\nfrom scanner import platforms\nprint(json.dumps([platforms.names(), platforms.broken()]))\n"
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=120).stdout
    names, broken = json.loads(out.splitlines()[-1])
    assert broken == {"entry point zz_broken (no_such_module_xyz:PLATFORM)":
                      "ModuleNotFoundError: No module named 'no_such_module_xyz'"}
    assert names == platforms.names() and "zz_broken" not in names


# Platform names as an inventory or `--platform` writes them: any case, `-` for `_`, spaces around, or an alias
@pytest.mark.parametrize("written, name", [("cisco_ios", "cisco_ios"), ("Cisco-IOS", "cisco_ios"), ("ios", "cisco_ios"),
                                           ("IOS-XE", "cisco_ios"), (" huawei_vrp ", "huawei_vrp"), ("VRP", "huawei_vrp"),
                                           ("H3C", "hp_comware"), ("HP-Comware", "hp_comware"), ("linux", "linux"),
                                           ("junos", None), ("unknown", None)])
def test_platform_names_as_written(written, name):
    assert platforms.canonical(written) == name
    assert platforms.known(name) if name else not platforms.known(written)


# The SSH server's version string names the platform (RFC 4253 4.2 `SSH-protoversion-softwareversion`)
@pytest.mark.parametrize("banner, name", [("SSH-2.0-Cisco-1.25", "cisco_ios"), ("SSH-2.0-HUAWEI-1.5", "huawei_vrp"),
                                          ("SSH-1.99-Comware-7.1.064", "hp_comware"), ("SSH-2.0-HPE-1.0", "hp_comware"),
                                          ("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3", "linux"), ("SSH-2.0-dropbear_2022.83", None)])
def test_the_ssh_banner_names_the_platform(banner, name):
    assert platforms.by_ssh_banner(banner) == name


# Only the network platforms are recognised from a saved configuration; a name taken, or `unknown`, is refused;
# unregistering a name that was never registered is no error; get() of an unknown name is a KeyError
def test_registry_lookups():
    assert platforms.config_platforms() == ["cisco_ios", "hp_comware", "huawei_vrp"]
    for taken in ("cisco_ios", platforms.UNKNOWN):
        with pytest.raises(ValueError, match=repr(taken)):
            platforms.register(type("Clash", (), {"name": taken})())
    platforms.unregister("never_registered")
    assert platforms.names() == ["cisco_ios", "hp_comware", "huawei_vrp", "linux"]
    with pytest.raises(KeyError):
        platforms.get("junos")


# One command only one vendor's CLI writes, in a fragment framed by the lines every vendor shares (`sysname` and
# `return` of VRP and Comware, Cisco's `hostname`), names the platform; two weaker marks together do too. The
# frame alone names none, and neither does a fragment whose marks are shared equally (a tie).
@pytest.mark.parametrize("lines, name", [
    ("interface Vlan-interface10", "hp_comware"), ("interface Bridge-Aggregation1", "hp_comware"),
    ("local-user admin class manage", "hp_comware"), ("domain system", "hp_comware"),
    (" authorization-attribute user-role network-admin", "hp_comware"), ("password-control enable", "hp_comware"),
    ("line vty 0 63", "hp_comware"), ("irf member 1 priority 32", "hp_comware"), ("radius scheme rad1", "hp_comware"),
    ("hwtacacs scheme tac1", "hp_comware"), ("acl advanced 3000", "hp_comware"), ("acl basic name MGMT", "hp_comware"),
    ("ip http enable\ndhcp server ip-pool p1", "hp_comware"),
    ("interface Ten-GigabitEthernet1/0/49\nip https enable\n local-user a password cipher $c$3$abc", "hp_comware"),
    ("interface Vlanif10", "huawei_vrp"), ("stelnet server enable", "huawei_vrp"),
    (" local-user admin password irreversible-cipher $1c$abc$", "huawei_vrp"),
    (" authentication-scheme default", "huawei_vrp"), (" local-aaa-user password policy administrator", "huawei_vrp"),
    ("interface Eth-Trunk1", "huawei_vrp"), ("hwtacacs-server template tac1", "huawei_vrp"),
    ("user-interface vty 0 4\ninterface MEth0/0/1", "huawei_vrp"), ("http server enable\ninfo-center enable", "huawei_vrp"),
    ("", "unknown"), ("interface Vlanif10\ninterface Vlan-interface10", "unknown"),
])
def test_detection_by_each_vendors_own_commands(lines, name):
    assert platforms.detect(f"#\nsysname X\n#\n{lines}\n#\nreturn\n") == name


@pytest.mark.parametrize("lines, name", [
    ("line con 0", "cisco_ios"), ("line vty 0 4", "cisco_ios"), ("service timestamps log datetime msec", "cisco_ios"),
    ("enable secret 9 $9$abc", "cisco_ios"), ("enable password 7 0822455D0A16", "cisco_ios"),
    ("Cisco IOS Software, C2960 Software, Version 15.0(2)SE11", "cisco_ios"),
    ("! Cisco IOS XE configuration", "cisco_ios"),
    ("version 15.2\nip route 0.0.0.0 0.0.0.0 10.0.0.1", "cisco_ios"), ("ip ssh version 2\nend", "cisco_ios"),
    ("username ops privilege 15 secret 9 $9$abc\ninterface GigabitEthernet0/1", "cisco_ios"),
    ("interface FastEthernet0/1\nip domain name corp.local", "cisco_ios"), ("ip http server", "unknown"),
])
def test_cisco_detection_by_its_own_commands(lines, name):
    assert platforms.detect(f"hostname r1\n{lines}\n") == name
