from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from scanner.engine import ScanContext

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONFIGS = FIXTURES / "configs"
CORPUS = FIXTURES / "corpus"
EXPECTED = ROOT / "tests" / "expected"
MLPS = [sys.executable, "-m", "scanner.cli"]

# CI runs the same examples every time (HYPOTHESIS_PROFILE=ci, set by `make test` and `make test-fast`): a red build
# is reproducible and a green one is not luck. A developer's plain `pytest` keeps Hypothesis' default profile, which
# explores new examples and replays its own failures.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Tests that start a server (sshd, snmpd, the simulator, a listening socket, nmap, `mlps demo`/`discover`) are
# marked `live`: they bind fixed ports, so they run under the port lock; `make test-fast` leaves them out.
# A test is live when it uses one of these fixtures or carries @pytest.mark.live itself.
LIVE_FIXTURES = frozenset({"sshd", "snmpd", "testlab", "live_result", "hostile", "scanned", "hostile_lab",
                           "live_saved", "lab_agent", "minilab"})


# Under mutmut (`make mutation`, MUTANT_UNDER_TEST set) a mutant dies at its first failing test (-x), and mutmut passes
# the tests in no particular order: the quick table-driven judges go first, the whole-corpus comparisons last, so a
# killed mutant costs a second rather than the whole selection. Only the order changes, never the selection.
_SLOW_JUDGES = ("test_real_corpus.py", "test_reasons_evidence.py", "test_answers.py", "test_real_world_bugs.py",
                "test_platform_contract.py", "test_waivers.py", "test_headline.py", "test_fleet.py")


def _judge_order(item) -> int:
    name = item.nodeid.split("::")[0].rsplit("/", 1)[-1]
    return _SLOW_JUDGES.index(name) + 1 if name in _SLOW_JUDGES else 0


def pytest_collection_modifyitems(config, items):
    for item in items:
        if LIVE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)
    if os.environ.get("MUTANT_UNDER_TEST") not in (None, "", "stats", "list_all_tests", "mutant_generation"):
        items.sort(key=_judge_order)


# In a run that leaves the live tests out, a test that still starts a server fails, so an unmarked live test cannot
# slip into `make test-fast` (where it would bind ports outside the lock). Only the standard library is wrapped.
_SERVER_ARGS = ("sshd", "snmpd", "nmap", "scanner.lab", "bench/live.py", "bench/linux.py")
_SERVER_SUBCOMMANDS = ("demo",)           # `discover` only sweeps: its tests that listen bind a port


def _server_start(args) -> str | None:
    argv = [str(a) for a in ([args] if isinstance(args, (str, bytes, os.PathLike)) else args)]
    for a in argv:
        if any(a == s or a.endswith("/" + s) or a.startswith(s + ".") for s in _SERVER_ARGS):
            return a
    if argv[1:3] == ["-m", "scanner.cli"] and len(argv) > 3 and argv[3] in _SERVER_SUBCOMMANDS:
        return f"mlps {argv[3]}"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if "not live" not in (item.config.option.markexpr or "") or item.get_closest_marker("live"):
        yield
        return
    import socket
    seen = item.stash.setdefault(_SERVERS_SEEN, [])
    real_bind, real_init = socket.socket.bind, subprocess.Popen.__init__

    def bind(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[1] != 0:
            seen.append(f"binds port {address[1]}")
        return real_bind(sock, address)

    def init(proc, args, *a, **kw):
        what = _server_start(args)
        if what:
            seen.append(f"starts {what}")
        return real_init(proc, args, *a, **kw)

    socket.socket.bind, subprocess.Popen.__init__ = bind, init
    try:
        yield
    finally:
        socket.socket.bind, subprocess.Popen.__init__ = real_bind, real_init


_SERVERS_SEEN = pytest.StashKey[list]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    seen = item.stash.get(_SERVERS_SEEN, None)
    if seen:
        report = outcome.get_result()
        report.outcome = "failed"
        report.longrepr = f"not marked live but {', '.join(sorted(set(seen)))}: add @pytest.mark.live"
        seen.clear()


@pytest.fixture(scope="session")
def ctx() -> ScanContext:
    return ScanContext.default()


def run_mlps(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([*MLPS, *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=120)


SSHD_PORT = 32222


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    """A real OpenSSH sshd on 127.0.0.1:32222, root login with a throwaway key (installed by `make test`)."""
    if not Path("/usr/sbin/sshd").exists():
        pytest.fail("openssh-server is not installed: run `make test`, which installs it")
    import shutil
    import tempfile

    from scanner.lab.sshd import start_sshd
    # Its own folder, not pytest's: another pytest session on the machine prunes old basetemp folders, and with
    # them the authorized_keys file of a session-long sshd (every later key login then failed).
    d = Path(tempfile.mkdtemp(prefix="mlps-test-sshd-"))
    p, info = start_sshd(d, SSHD_PORT)
    try:
        yield info
    finally:
        p.terminate()
        p.wait(5)
        shutil.rmtree(d, ignore_errors=True)


SNMPD_PORT = 31161
SNMP_V3 = {"user": "mlpsv3", "auth": "AuthPass#2024", "priv": "PrivPass#2024"}


def _wait_snmp(port: int, community: str, timeout: float = 15.0) -> None:
    import time
    end = time.time() + timeout
    while time.time() < end:
        r = subprocess.run(["snmpget", "-v2c", "-c", community, "-t", "0.3", "-r", "0", "-On",
                            f"127.0.0.1:{port}", "1.3.6.1.2.1.1.5.0"], capture_output=True)
        if r.returncode == 0:
            return
        time.sleep(0.1)
    raise TimeoutError(f"snmpd on {port} not ready")


# auth/priv protocol pairs (net-snmp names) of extra v3 users, so the client is checked against every USM variant
SNMPD_EXTRA_USERS = (("MD5", "DES"), ("SHA-256", "AES-256"), ("SHA-512", "AES-192"), ("SHA-224", "AES"),
                     ("SHA", "AES-256"), ("SHA", "AES-192-C"), ("MD5", "AES-256-C"))   # -C: Cisco's (Reeder) key extension


@pytest.fixture(scope="session")
def snmpd(tmp_path_factory):
    """A real net-snmp snmpd (v2c + v3 authPriv) on udp 127.0.0.1:31161 (installed by `make test`)."""
    if not Path("/usr/sbin/snmpd").exists():
        pytest.fail("snmpd is not installed: run `make test`, which installs it")
    d = tmp_path_factory.mktemp("snmpd")
    (d / "persist").mkdir()
    (d / "snmpd.conf").write_text(
        f"[snmp] persistentDir {d}/persist\nagentAddress udp:127.0.0.1:{SNMPD_PORT}\n"
        "rocommunity mlps-ro 127.0.0.1\nrocommunity public 127.0.0.1\n"
        f'createUser {SNMP_V3["user"]} SHA "{SNMP_V3["auth"]}" AES "{SNMP_V3["priv"]}"\n'
        f'rouser {SNMP_V3["user"]} priv\nsysName test-snmpd\n'
        + "".join(f'createUser mlps-{a.lower()}-{x.lower()} {a} "{SNMP_V3["auth"]}" {x} "{SNMP_V3["priv"]}"\n'
                  f'rouser mlps-{a.lower()}-{x.lower()} priv\n' for a, x in SNMPD_EXTRA_USERS))
    p = subprocess.Popen(["/usr/sbin/snmpd", "-f", "-Lo", "-C", "-c", str(d / "snmpd.conf"), "-p", str(d / "snmpd.pid")],
                         env=dict(os.environ, MIBS=""), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_snmp(SNMPD_PORT, "mlps-ro")
        yield {"port": SNMPD_PORT, **SNMP_V3}
    finally:
        p.terminate()
        p.wait(5)


# Minimal VRP and Comware configurations around a body of lines under test (tests/test_real_world_bugs.py,
# tests/test_corpus_fixes.py)
VRP = "sysname {name}\n#\ninterface Vlanif10\n ip address 10.0.10.1 255.255.255.0\n#\n{body}\n#\nreturn\n"
COMWARE = " sysname {name}\n#\ninterface Vlan-interface10\n ip address 10.0.10.1 255.255.255.0\n#\n{body}\n#\nreturn\n"
