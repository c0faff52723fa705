"""The lab works from the README: after `mlps lab up`, the next command scans it with no further set-up."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess

import pytest

from conftest import MLPS, ROOT

pytestmark = pytest.mark.live            # the packaged lab's fixed ports (24001+, 24161): under the port lock


def _mlps(*args, env, timeout=300):
    return subprocess.run([*MLPS, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)


def test_lab_up_then_the_printed_scan_command_works(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLPS_LAB_")}   # no credentials set by hand
    env |= {"MLPS_LAB_STATE": str(tmp_path / "state"), "COLUMNS": "200"}
    up = _mlps("lab", "up", env=env)
    try:
        assert up.returncode == 0, up.stderr
        m = re.search(r"scan it: mlps scan (\S+) --trust-new-hosts", up.stdout)
        assert m, up.stdout
        inv = m.group(1)
        assert stat.S_IMODE(os.stat(inv).st_mode) == 0o600
        secrets = tmp_path / "state" / "secrets"
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in secrets.iterdir())
        scan = _mlps("scan", inv, "--trust-new-hosts", "-o", str(tmp_path / "out"), "--known-hosts",
                     str(tmp_path / "kh"), "--save-raw", str(tmp_path / "out" / "raw"), "-q", env=env)
        assert scan.returncode == 0, scan.stderr
        d = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
        assert len(d["assets"]) == 11 and all(a["status"] == "assessed" for a in d["assets"]), \
            [(a["name"], a.get("reason")) for a in d["assets"] if a["status"] != "assessed"]
        assert any(a["exposure"] == "internet" for a in d["assets"])       # the lab's zones carry their exposure
        for f in secrets.iterdir():                                        # the secrets stay in their files
            assert f.read_text() not in (tmp_path / "out" / "scan.json").read_text(encoding="utf-8")
        # the README's rescan of the saved raw outputs gives the same verdicts, high risks included (the exposure
        # of each device's zone travels with its capture)
        again = _mlps("scan", "--raw", str(tmp_path / "out" / "raw"), "-o", str(tmp_path / "again"), "-q", env=env)
        assert again.returncode == 0, again.stderr
        e = json.loads((tmp_path / "again" / "scan.json").read_text(encoding="utf-8"))

        def key(doc):
            return {a["name"]: (a["exposure"], a["zone"], {c["id"]: c["result"] for c in a["controls"]},
                                sorted(h["id"] for h in a["high_risks"])) for a in doc["assets"]}
        assert key(e) == key(d) and e["score"]["overall"] == d["score"]["overall"]
    finally:
        _mlps("lab", "down", env=env, timeout=60)
