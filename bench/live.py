"""Live fleet benchmark: mlps-scanner against Nornir + nornir_netmiko and the SSH handshake floor, in one run.

    .venv/bin/python bench/live.py --devices 1000 [--json out.json] [--no-nornir-default] [--base-port 21001]

The device simulator plays N network devices (Huawei VRP, H3C Comware, Cisco IOS; the lab's captures with renamed
hosts and 5-20 KB configs) on 127.0.0.1 with SNMPv3 enabled (the lab agent). Measured against the same devices:

- scanner: `mlps scan` (a separate process) collecting every fact over SSH and SNMP, running the checks and writing
  scan.json; wall time and the process's peak RSS;
- nornir_default: Nornir's threaded runner at its defaults (20 workers) with `netmiko_send_command` for the same
  commands the scanner sends, then `close_connections()`;
- nornir_best: the same with every fair tuning (fast_cli, an explicit prompt `expect_string`, no disconnect wait),
  at the best of several worker counts;
- floor: paramiko connect + authenticate + close only, at the best of several concurrencies.

Ports are below the kernel's ephemeral range (32768+), so a client socket can never hold a device's port.
The simulator and the lab SNMP agent run on the same 2 cores as the client under test: every figure includes their share.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rss import TreeMemory  # noqa: E402  (bench/rss.py)
from scanner import lab  # noqa: E402
from scanner.lab import SNMP_DEFAULTS  # noqa: E402
from scanner.lab.simulator import DEFAULT_PASSWORD  # noqa: E402
from scanner.transport.replay import read_capture, write_capture  # noqa: E402

USER = "netops"
NORNIR_PLATFORM = {"huawei_vrp": "huawei", "hp_comware": "hp_comware", "cisco_ios": "cisco_ios"}
QUIT = {"huawei": "quit", "hp_comware": "quit", "cisco_ios": "exit"}
PROMPT_RE = {"huawei": lambda b: rf"[<\[]{re.escape(b)}[^\]>\r\n]*[>\]]",
             "hp_comware": lambda b: rf"[<\[]{re.escape(b)}[^\]>\r\n]*[>\]]",
             "cisco_ios": lambda b: rf"{re.escape(b)}[^#>\r\n]*[#>]"}

# Extra access ports in each vendor's syntax: the lab configs are 3-10 KB; real access switches carry dozens of
# ports, and so does their ifTable.
PORT_BLOCK = {
    "huawei_vrp": "interface GigabitEthernet1/0/{n}\n description to-user-{n}\n port link-type access\n"
                  " port default vlan 10\n stp edged-port enable\n#\n",
    "hp_comware": "interface GigabitEthernet2/0/{n}\n description to-user-{n}\n port link-mode bridge\n"
                  " port access vlan 10\n stp edged-port\n#\n",
    "cisco_ios": "interface GigabitEthernet2/0/{n}\n description to-user-{n}\n switchport access vlan 10\n"
                 " switchport mode access\n spanning-tree portfast\n!\n",
}
_HOST = re.compile(r"^(\s*(?:sysname|hostname)\s+)(\S+)", re.MULTILINE)


def build_fleet(n: int, work: Path, base_port: int, snmp_port: int, seed: int = 7,
                size: tuple[int, int] = (5_000, 20_000), faults: dict | None = None, snmp: bool = True) -> list[dict]:
    """Capture folders, simulator spec and scanner inventory for n devices (configs of `size` bytes; `faults` for
    every device, e.g. {"delay_s": 2}: each command answered after 2 s; `snmp`: the scanner also walks SNMPv3);
    returns the device list."""
    rnd = random.Random(seed)
    sources = [read_capture(d) for d in sorted((ROOT / "scanner" / "lab" / "data" / "raw").iterdir())
               if d.is_dir() and read_capture(d).platform != "linux"]
    devices = []
    for i in range(n):
        src = sources[i % len(sources)]
        name = f"d{i:04d}-{src.name}"
        outputs = dict(src.outputs)
        host = f"B{i:04d}-{src.name}"
        config = _HOST.sub(lambda m: m.group(1) + host, outputs["config"], count=1)
        target = rnd.randint(*size)
        block, extra, k = PORT_BLOCK[src.platform], [], 1
        while len(config) + sum(map(len, extra)) < target:
            extra.append(block.format(n=k))
            k += 1
        pos = config.find("\ninterface ")
        config = config[:pos + 1] + "".join(extra) + config[pos + 1:] if pos >= 0 else config + "".join(extra)
        outputs["config"] = config
        cap = type(src)(name, src.platform, f"127.0.0.1:{base_port + i}", outputs, dict(src.commands),
                        dict(src.status), dict(src.messages), src.collected_at)
        write_capture(work / "raw", cap)
        devices.append({"name": name, "platform": src.platform, "port": base_port + i, "hostname": host,
                        "commands": [src.commands[k] for k in src.commands if src.status.get(k) == "ok"],
                        "config_bytes": len(config)})
    spec = {"username": USER, "password_env": "MLPS_LAB_PASSWORD", **({"snmp": {"port": snmp_port}} if snmp else {}),
            "devices": [{"name": d["name"], "port": d["port"], "data": f"raw/{d['name']}",
                         **({"faults": dict(faults)} if faults else {})} for d in devices]}
    (work / "lab.yaml").write_text(yaml.safe_dump(spec))
    ssh = {"username": USER, "password": {"env": "MLPS_LAB_PASSWORD"}}
    v3 = {"version": "v3", "username": SNMP_DEFAULTS["user"], "auth_key": {"env": SNMP_DEFAULTS["auth_env"]},
            "priv_key": {"env": SNMP_DEFAULTS["priv_env"]}, "port": snmp_port}
    assets = [{"name": d["name"], "platform": d["platform"], "address": "127.0.0.1", "port": d["port"],
               "credentials": "lab", "snmp_context": d["name"]} for d in devices]
    creds = {"ssh": ssh, "snmp": v3} if snmp else {"ssh": ssh}
    (work / "inv.yaml").write_text(yaml.safe_dump({"credentials": {"lab": creds}, "assets": assets}))
    return devices


def _cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far (0 once it is gone)."""
    from rss import cpu_seconds
    return cpu_seconds(pid) or 0.0


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (a simulator served by several processes)."""
    from rss import tree
    return sum(_cpu(p) for p in tree(pid))


class LabCpu:
    """CPU the simulator and the lab SNMP agent spend during one phase (they share the 2 cores with the client)."""

    def __init__(self, state: Path) -> None:
        self.pids = [int((state / f).read_text()) for f in ("simulator.pid", "snmpagent.pid") if (state / f).exists()]

    def __enter__(self) -> LabCpu:
        self.start = [_tree_cpu(p) for p in self.pids]
        self.client0 = resource.getrusage(resource.RUSAGE_SELF)
        return self

    def __exit__(self, *exc) -> None:
        self.lab_s = sum(_tree_cpu(p) - s for p, s in zip(self.pids, self.start))
        r = resource.getrusage(resource.RUSAGE_SELF)
        self.self_s = r.ru_utime + r.ru_stime - self.client0.ru_utime - self.client0.ru_stime


# --- the floor -------------------------------------------------------------------------------------------------

def _handshake(port: int, password: str) -> bool:
    import paramiko
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    t = paramiko.Transport(sock)
    try:
        t.start_client(timeout=30)
        t.auth_password(USER, password)
        return t.is_authenticated()
    finally:
        t.close()


def floor(devices: list[dict], workers: int, password: str) -> tuple[float, int]:
    t = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        ok = sum(pool.map(lambda d: _safe(_handshake, d["port"], password), devices))
    return time.perf_counter() - t, ok


def _safe(fn, *a) -> bool:
    try:
        return bool(fn(*a))
    except Exception:
        return False


# --- the peer: Nornir + nornir_netmiko -------------------------------------------------------------------------

def nornir_run(devices: list[dict], work: Path, workers: int | None, tuned: bool, password: str) -> tuple[float, int]:
    from nornir import InitNornir
    from nornir.core.task import Result, Task
    from nornir_netmiko.tasks import netmiko_send_command
    hosts = {d["name"]: {"hostname": "127.0.0.1", "port": d["port"], "platform": NORNIR_PLATFORM[d["platform"]],
                         "data": {"commands": d["commands"]}} for d in devices}
    # Tuned: no extra delays, and no wait for each command's echo (netmiko gives that wait a fixed 10 s, which
    # hundreds of sessions on 2 cores overran: Nornir lost devices from 400 workers; without it, none up to 700
    # and its best fleet time went from 47.0 s at 300 workers to 29.9 s at 500).
    extras = {"fast_cli": True, "conn_timeout": 10, "global_cmd_verify": False} if tuned else {}
    defaults = {"username": USER, "password": password,
                "connection_options": {"netmiko": {"extras": extras}}}
    (work / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (work / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    runner = {"plugin": "threaded", "options": {"num_workers": workers}} if workers else {"plugin": "threaded"}
    nr = InitNornir(runner=runner, logging={"enabled": False},
                    inventory={"plugin": "SimpleInventory",
                               "options": {"host_file": str(work / "hosts.yaml"),
                                           "defaults_file": str(work / "defaults.yaml")}})

    def collect(task: Task) -> Result:
        outs = []
        if tuned:
            conn = task.host.get_connection("netmiko", task.nornir.config)
            pattern = PROMPT_RE[task.host.platform](conn.base_prompt)
            for cmd in task.host["commands"]:
                outs.append(task.run(netmiko_send_command, command_string=cmd, expect_string=pattern,
                                     read_timeout=60).result)
            # netmiko's Huawei cleanup() waits ~2.2 s for nothing; a skilled engineer replaces it.
            conn.cleanup = lambda command="": conn.write_channel(QUIT[task.host.platform] + conn.RETURN)
        else:
            for cmd in task.host["commands"]:
                outs.append(task.run(netmiko_send_command, command_string=cmd).result)
        return Result(host=task.host, result=sum(map(len, outs)))

    t = time.perf_counter()
    res = nr.run(task=collect)
    nr.close_connections()
    elapsed = time.perf_counter() - t
    ok = sum(1 for h, r in res.items() if not r.failed and r[0].result > 1000)
    return elapsed, ok


# --- the scanner -----------------------------------------------------------------------------------------------

def scanner_run(work: Path, workers: int | None) -> tuple[float, float, int, dict]:
    out = work / "scan-out"
    shutil.rmtree(out, ignore_errors=True)
    (work / "kh").unlink(missing_ok=True)
    cmd = [str(Path(sys.executable).parent / "mlps"), "scan", str(work / "inv.yaml"), "--out", str(out),
           "--format", "json", "--known-hosts", str(work / "kh"), "--trust-new-hosts"]
    if workers:
        cmd += ["--workers", str(workers)]
    with (work / "scan.log").open("w") as log:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        with TreeMemory(proc.pid) as mem:
            _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
    data = json.loads((out / "scan.json").read_text()) if (out / "scan.json").exists() else {"assets": []}
    assessed = [a for a in data["assets"] if a["status"] == "assessed"]
    why: dict[str, int] = {}
    for a in data["assets"]:
        if a["status"] != "assessed":
            key = f"{a.get('reason_code')}: {(a.get('reason') or '')[:80]}"
            why[key] = why.get(key, 0) + 1
    # memory: the largest sum of the scan's processes' PSS at one time (bench/rss.py), not wait4's ru_maxrss
    return elapsed, mem.peak_pss_mb, len(assessed), {"not_assessed": why,
                                                     "exit": os.waitstatus_to_exitcode(status),
                                                     "cpu_s": usage.ru_utime + usage.ru_stime,
                                                     "main_mb": mem.root_mb, "largest_process_mb": mem.largest_mb,
                                                     "ru_maxrss_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--base-port", type=int, default=21001, help="first device port (keep below 32768)")
    ap.add_argument("--scanner-workers", type=int, default=None, help="default: the scanner's own default")
    ap.add_argument("--nornir-workers", default="20,50,100", help="worker counts tried for the tuned peer")
    ap.add_argument("--floor-workers", default="16,32,64,128")
    ap.add_argument("--no-nornir-default", action="store_true", help="skip the slow default-settings peer run")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (simulator spec, scan.json, logs)")
    args = ap.parse_args()
    if args.base_port + args.devices >= 32768:
        ap.error("devices must fit below port 32768 (the ephemeral range)")
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    password = os.environ.setdefault("MLPS_LAB_PASSWORD", DEFAULT_PASSWORD)
    os.environ.setdefault(SNMP_DEFAULTS["auth_env"], SNMP_DEFAULTS["auth_default"])
    os.environ.setdefault(SNMP_DEFAULTS["priv_env"], SNMP_DEFAULTS["priv_default"])
    work = Path(tempfile.mkdtemp(prefix="mlps-bench-live-"))
    n = args.devices
    devices = build_fleet(n, work, args.base_port, args.base_port - 1)
    sizes = sorted(d["config_bytes"] for d in devices)
    mix = ", ".join(f"{p} {sum(d['platform'] == p for d in devices)}" for p in NORNIR_PLATFORM)
    print(f"fleet: {n} devices ({mix}),"
          f" configs {sizes[0] / 1000:.1f}-{sizes[-1] / 1000:.1f} KB, "
          f"{sum(len(d['commands']) for d in devices) / n:.1f} commands per device; SNMPv3 on udp/{args.base_port - 1}",
          flush=True)
    state = work / "state"
    t = time.perf_counter()
    lab.up(work / "lab.yaml", state, timeout=300)
    print(f"simulator up in {time.perf_counter() - t:.1f} s", flush=True)
    fig: dict = {"devices": n}
    rows = []
    try:
        best = None
        for w in (int(x) for x in args.floor_workers.split(",")):
            with LabCpu(state) as c:
                s, ok = floor(devices, w, password)
            print(f"  floor, {w} threads: {s:.2f} s ({ok}/{n} ok); CPU: client {c.self_s:.1f} s, lab {c.lab_s:.1f} s",
                  flush=True)
            if ok == n and (best is None or s < best[0]):
                best = (s, w)
        fig["floor_s"], fig["floor_workers"] = (round(best[0], 2), best[1]) if best else (None, None)

        with LabCpu(state) as c:
            s, rss, ok, extra = scanner_run(work, args.scanner_workers)
        print(f"  scanner: {s:.2f} s, {rss:.0f} MB, {ok}/{n} assessed {extra['not_assessed'] or ''}; "
              f"CPU: scanner {extra['cpu_s']:.1f} s, lab {c.lab_s:.1f} s", flush=True)
        fig.update(scanner_cpu_s=round(extra["cpu_s"], 1), scanner_lab_cpu_s=round(c.lab_s, 1))
        fig.update(scanner_s=round(s, 2), scanner_rss_mb=round(rss, 1), scanner_assessed=ok)

        best = None
        for w in (int(x) for x in args.nornir_workers.split(",")):
            with LabCpu(state) as c:
                s, ok = nornir_run(devices, work, w, True, password)
            print(f"  nornir tuned, {w} workers: {s:.2f} s ({ok}/{n} ok); CPU: client {c.self_s:.1f} s, "
                  f"lab {c.lab_s:.1f} s", flush=True)
            if ok == n and (best is None or s < best[0]):
                best = (s, w)
        fig["nornir_best_s"], fig["nornir_best_workers"] = (round(best[0], 2), best[1]) if best else (None, None)
        if not args.no_nornir_default:
            with LabCpu(state) as c:
                s, ok = nornir_run(devices, work, None, False, password)
            print(f"  nornir default (20 workers): {s:.2f} s ({ok}/{n} ok); CPU: client {c.self_s:.1f} s, "
                  f"lab {c.lab_s:.1f} s", flush=True)
            fig["nornir_default_s"] = round(s, 2) if ok == n else None
            fig["nornir_default_ok"] = ok
    finally:
        lab.down(state)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    sc = fig.get("scanner_s")
    for label, key in (("mlps-scanner (SSH + SNMP + checks + scan.json)", "scanner_s"),
                       ("Nornir + netmiko, tuned (SSH only)", "nornir_best_s"),
                       ("Nornir + netmiko, defaults (SSH only)", "nornir_default_s"),
                       ("floor: paramiko connect + auth + close", "floor_s")):
        v = fig.get(key)
        if v:
            ratio = "" if key == "scanner_s" else f"{(v / sc if key != 'floor_s' else sc / v):.2f}x"
            rows.append((label, f"{v:.2f} s", f"{n / v:.0f}/s", ratio))
    print(f"\n{'N = ' + str(n):48} {'wall':>9} {'devices':>9} {'ratio':>7}")
    for r in rows:
        print(f"{r[0]:48} {r[1]:>9} {r[2]:>9} {r[3]:>7}")
    print("ratio: peer time / scanner time (throughput gain); for the floor, scanner time / floor time")
    print(f"scanner peak RSS: {fig.get('scanner_rss_mb')} MB; bench process peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2))
    return 0 if fig.get("scanner_assessed") == n else 1


if __name__ == "__main__":
    sys.exit(main())
