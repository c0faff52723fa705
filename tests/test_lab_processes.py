"""The simulator served by several processes (the fleet benchmarks: one per CPU, so a thousand devices logging in at
once are not all behind one interpreter lock): every device answers over real SSH, whichever process accepts it,
and `lab.down` stops every one of them."""
from __future__ import annotations

import os

import paramiko
import pytest
import yaml

from scanner import lab
from scanner.lab.simulator import DEFAULT_PASSWORD
from tests.conftest import ROOT

PORTS = range(31410, 31416)          # below the ephemeral range: no client socket can hold one


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def _prompt(port: int) -> bytes:
    import time
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect("127.0.0.1", port, "netops", DEFAULT_PASSWORD, look_for_keys=False, allow_agent=False, timeout=10)
    try:
        ch, got, end = c.invoke_shell(), b"", time.monotonic() + 10
        ch.settimeout(1)
        while not got.rstrip().endswith(b">") and time.monotonic() < end:
            try:
                got += ch.recv(4096)
            except TimeoutError:
                pass
        return got.rstrip()
    finally:
        c.close()


@pytest.mark.live
def test_a_simulator_in_two_processes_serves_every_device_and_stops_whole(tmp_path, monkeypatch):
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    from rss import tree
    raw = ROOT / "scanner" / "lab" / "data" / "raw"
    spec = {"devices": [{"name": f"d{i}", "port": p, "data": str(raw / "core-sw1")} for i, p in enumerate(PORTS)]}
    (tmp_path / "lab.yaml").write_text(yaml.safe_dump(spec))
    monkeypatch.setenv("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    pid = lab.up(tmp_path / "lab.yaml", tmp_path / "state", processes=2)
    try:
        procs = tree(pid)
        assert len(procs) == 2, procs                  # the simulator and one forked copy
        for _ in range(3):                             # 18 logins, each to the device's prompt
            for port in PORTS:
                assert _prompt(port).endswith(b">"), port
        # both still serving: a copy that failed to start would linger as a zombie of the first
        assert all(_alive(p) for p in procs), [(p, _alive(p)) for p in procs]
    finally:
        assert lab.down(tmp_path / "state")
    assert not any(_alive(p) for p in procs)
