"""One Linux host over SSH: `mlps scan` of this machine through a real OpenSSH sshd on 127.0.0.1, against
`lynis audit system --quick` on the same machine as the reference point.

    .venv/bin/python bench/linux.py [--repeat 3] [--json out.json] [--no-lynis]

Needs root (sshd with a throwaway key, root login by key only) and, for the reference, lynis (`make bench`
installs it). Prints wall time and peak RSS of each `mlps scan`, and lynis's wall time.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PORT = 32322


def timed(cmd: list[str], **kw) -> tuple[float, float, int]:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-lynis", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if os.geteuid() != 0 or not Path("/usr/sbin/sshd").exists():
        print("bench/linux.py needs root and openssh-server (make bench installs it)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-linux-"))
    sys.path.insert(0, str(ROOT))
    from scanner.lab.sshd import start_sshd
    sshd, _ = start_sshd(work, PORT)
    fig: dict = {}
    try:
        inv = {"credentials": {"root": {"ssh": {"username": "root", "key_file": str(work / "client_key")}}},
               "assets": [{"name": "this-host", "platform": "linux", "address": "127.0.0.1", "port": PORT,
                           "role": "server", "credentials": "root"}]}
        (work / "inv.yaml").write_text(yaml.safe_dump(inv))
        mlps = str(Path(sys.executable).parent / "mlps")
        runs = []
        for i in range(args.repeat):
            (work / "kh").unlink(missing_ok=True)
            s, rss, code = timed([mlps, "scan", str(work / "inv.yaml"), "--out", str(work / "out"), "--format", "json",
                                  "--known-hosts", str(work / "kh"), "--trust-new-hosts", "-q"])
            data = json.loads((work / "out" / "scan.json").read_text())
            ok = data["assets"][0]["status"] == "assessed"
            print(f"  mlps scan (one Linux host over SSH), run {i + 1}: {s:.2f} s, {rss:.0f} MB, "
                  f"{'assessed' if ok else 'NOT assessed: ' + str(data['assets'][0].get('reason'))}", flush=True)
            runs.append(s)
        fig.update(linux_scan_s=round(statistics.median(runs), 2), linux_scan_min_s=round(min(runs), 2),
                   linux_scan_rss_mb=round(rss, 1))
        lynis = shutil.which("lynis")
        if args.no_lynis:
            pass
        elif lynis is None:
            print("  lynis is not installed (make bench installs it): no reference figure")
        else:
            s, _, code = timed([lynis, "audit", "system", "--quick", "--no-colors", "--logfile", str(work / "lynis.log"),
                                "--report-file", str(work / "lynis.dat")])
            print(f"  lynis audit system --quick: {s:.1f} s (exit {code})", flush=True)
            fig["lynis_s"] = round(s, 1)
    finally:
        sshd.terminate()
        sshd.wait(5)
        shutil.rmtree(work, ignore_errors=True)
    line = f"Linux host: mlps scan {fig['linux_scan_s']:.2f} s (median of {args.repeat})"
    if fig.get("lynis_s"):
        line += f"; lynis --quick {fig['lynis_s']:.1f} s; {fig['lynis_s'] / fig['linux_scan_s']:.0f}x faster"
    print(line)
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
