"""The device simulator: one process (or several, `--processes`) that plays many network devices on 127.0.0.1, each
on its own port, speaking real SSH (paramiko server) with the vendor's prompt, echo and error behaviour, and
answering each command from a raw capture folder (the format `--save-raw` writes). Faults can be injected per
device (`faults:` in the spec):

  auth: refuse            every login fails            drop_on: CMD     the connection drops at CMD
  auth_delay_s: N         N s before the login is answered (a slow device or AAA server)
  hang_on: CMD            no answer to CMD             hang_on: banner  a hung sshd (TCP open, no SSH banner)
  hang_on: script         (Linux) the script hangs     delay_s: N       N s before each answer (Linux: and the banner)
  garbage_on: CMD         random text for CMD          encoding: gbk    outputs in that encoding
  late_prompt_s: N        the prompt comes N s after the output (the soak's Comware)
  chunked: true           outputs split at random points and right after prompt-like text, with small gaps
  flood_on: CMD           CMD's output never ends      legacy_ssh: true  SHA-1 kex, ssh-rsa, CBC, MD5 only
  weak_ssh: true          modern algorithms, and the legacy ones after them (older releases)
  close_exec: true        (Linux) the exec channel closes with no output
  login_question: TEXT    TEXT (a "[Y/N]:" question) before the first prompt; any answer but N "saves" and hangs up

Run: python -m scanner.lab.simulator --spec scanner/lab/data/lab.yaml --state DIR
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import re
import selectors
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
import yaml

from scanner.transport.replay import read_capture

DEFAULT_PASSWORD = "Mlps-Lab#2024"      # the lab's own throwaway password; override with the env variable


@dataclass(frozen=True, slots=True)
class Persona:
    prompt: str                 # format with {host}
    banner: str
    error: str
    ssh_version: str
    paging_reply: str = ""


PERSONAS = {
    "huawei_vrp": Persona("<{host}>", "\r\nInfo: The max number of VTY users is 10, and the number\r\n"
                          "      of current VTY users on line is 1.\r\n",
                          "                 ^\r\nError: Unrecognized command found at '^' position.",
                          "SSH-2.0-HUAWEI-1.5",
                          "Info: The configuration takes effect on the current user terminal interface only."),
    "hp_comware": Persona("<{host}>", "\r\n******************************************************************************\r\n"
                          "* Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.*\r\n"
                          "******************************************************************************\r\n",
                          "                 ^\r\n % Unrecognized command found at '^' position.",
                          "SSH-2.0-Comware-7.1.064"),
    "cisco_ios": Persona("{host}#", "\r\n", "                 ^\r\n% Invalid input detected at '^' marker.",
                         "SSH-2.0-Cisco-1.25"),
    "linux": Persona("", "", "sh: 1: command not found", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
}
_HOST_RE = re.compile(r"^\s*(?:sysname|hostname)\s+(\S+)", re.MULTILINE)


@dataclass(slots=True)
class Device:
    name: str
    port: int
    platform: str
    hostname: str
    outputs: dict[str, str]                       # command -> output (Linux: the collection script -> output)
    faults: dict = field(default_factory=dict)
    username: str = "netops"
    password: str = DEFAULT_PASSWORD


def load_devices(spec_path: Path) -> tuple[list[Device], dict]:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    password = os.environ.get(spec.get("password_env", "MLPS_LAB_PASSWORD"), DEFAULT_PASSWORD)
    devices = []
    for d in spec["devices"]:
        cap = read_capture((spec_path.parent / d["data"]).resolve())
        if cap.platform == "linux":
            from scanner.platforms.linux import MARK, SECTIONS, collection_script
            body = "".join(f"{MARK}{k}\n{cap.outputs.get(k, '')}\n" for k in SECTIONS) + f"{MARK}end\n"
            outputs = {collection_script(): body}
        else:
            outputs = {cap.commands[k]: v for k, v in cap.outputs.items()}
        m = _HOST_RE.search(cap.outputs.get("config", ""))
        devices.append(Device(d["name"], int(d["port"]), cap.platform, m.group(1) if m else d["name"], outputs,
                              d.get("faults") or {}, spec.get("username", "netops"), password))
    return devices, spec


class _Server(paramiko.ServerInterface):
    def __init__(self, dev: Device):
        self.dev = dev

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def get_allowed_auths(self, username):
        return "password"

    def check_auth_password(self, username, password):
        if self.dev.faults.get("auth_delay_s"):
            time.sleep(float(self.dev.faults["auth_delay_s"]))
        if self.dev.faults.get("auth") == "refuse":
            return paramiko.AUTH_FAILED
        ok = username == self.dev.username and password == self.dev.password
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_pty_request(self, *a):
        return True

    def check_channel_shell_request(self, channel):
        return True

    def check_channel_window_change_request(self, *a):
        return True

    def check_channel_exec_request(self, channel, command):
        # Linux servers are collected over exec channels: answer the one script we know, like a shell would.
        cmd = command.decode("utf-8", "replace")
        dev = self.dev
        channel.set_name("exec")

        def run() -> None:
            if dev.faults.get("delay_s"):
                time.sleep(float(dev.faults["delay_s"]))
            if cmd == dev.faults.get("hang_on") or dev.faults.get("hang_on") == "script":
                return
            if dev.faults.get("close_exec"):          # the channel closes with no output and no exit status
                time.sleep(0.05)
                channel.close()
                return
            out = dev.outputs.get(cmd)
            channel.sendall((out if out is not None else PERSONAS["linux"].error + "\n").encode())
            # paramiko sends the exec request's SUCCESS only after this handler returns: closing before it
            # arrives makes the client see "Channel closed". Give it a moment.
            time.sleep(0.05)
            channel.send_exit_status(0 if out is not None else 127)
            channel.close()
        threading.Thread(target=run, daemon=True).start()
        return True


def _reply(dev: Device, persona: Persona, cmd: str) -> str | None:
    """The text for a command; None means 'hang up'."""
    if cmd in dev.outputs:
        return dev.outputs[cmd]
    if cmd.startswith(("screen-length", "terminal length", "terminal width")):
        return persona.paging_reply
    return persona.error


def _prompt_like_splits(text: str, hostname: str) -> list[int]:
    """Offsets just after each piece of text that looks like a prompt (`R1#`, `<R1>`, `[R1 ge1]`): the points
    where a reader that matches prompts anywhere in the buffer stops too early."""
    h = re.escape(hostname)
    return [m.end() for m in re.finditer(rf"{h}[^#>\]\r\n]*[#>\]]", text)]


def _send(ch, t: paramiko.Transport, text: str, dev: Device) -> None:
    """Send one reply; fault `chunked` splits it at random points and after prompt-like text, with small gaps."""
    encoding = dev.faults.get("encoding", "utf-8")
    if not dev.faults.get("chunked") or len(text) < 2:
        ch.sendall(text.encode(encoding, "replace"))
        return
    rnd = random.Random(len(text))
    cuts = sorted({*_prompt_like_splits(text, dev.hostname), *(rnd.randrange(1, len(text)) for _ in range(8))})
    start = 0
    for cut in [*cuts, len(text)]:
        if cut > start:
            ch.sendall(text[start:cut].encode(encoding, "replace"))
            start = cut
            time.sleep(0.02)


def _answer(ch, t: paramiko.Transport, dev: Device, persona: Persona, cmd: str, echoed: str, prompt: str) -> bool:
    """Answer one command line (echo, output, prompt) as the device would; False = the session is over."""
    faults = dev.faults
    if cmd in ("quit", "exit", "logout"):
        ch.sendall((echoed + "\r\n").encode())
        ch.close()
        return False
    if cmd and cmd == faults.get("drop_on"):
        t.close()
        return False
    if cmd and cmd == faults.get("hang_on"):
        ch.sendall(echoed.encode())
        while t.is_active():
            time.sleep(0.2)
        return False
    if cmd and cmd == faults.get("flood_on"):            # output without end: only a cap stops the reader
        ch.sendall((echoed + "\r\n").encode())
        line = ("x" * 1023 + "\n").encode()
        while t.is_active() and not ch.closed:
            ch.sendall(line * 64)
        return False
    out = _reply(dev, persona, cmd) if cmd else ""
    if cmd and faults.get("garbage_on") == cmd:
        out = "".join(chr(random.randint(0x20, 0x2FFF)) for _ in range(2000))
    if cmd and faults.get("delay_s"):
        time.sleep(float(faults["delay_s"]))
    body = out.replace("\r\n", "\n").replace("\n", "\r\n")
    text = echoed + "\r\n" + (body + "\r\n" if body else "")
    if faults.get("late_prompt_s"):                     # the prompt comes after a pause, as slow CPUs do
        _send(ch, t, text, dev)
        time.sleep(float(faults["late_prompt_s"]))
        _send(ch, t, prompt, dev)
    else:
        _send(ch, t, text + prompt, dev)
    return True


def serve_connection(sock: socket.socket, dev: Device, host_key: paramiko.PKey) -> None:
    persona = PERSONAS[dev.platform]
    faults = dev.faults
    if faults.get("hang_on") == "banner":             # a hung sshd: the TCP connection opens, nothing is said
        time.sleep(60)
        sock.close()
        return
    if faults.get("delay_s") and dev.platform == "linux":      # a slow sshd: late banner
        time.sleep(float(faults["delay_s"]))
    if faults.get("legacy_ssh") or faults.get("weak_ssh"):
        t = _old_server(sock, host_key, only_legacy=bool(faults.get("legacy_ssh")))
    else:                                             # a current release: no weak algorithm on offer
        from scanner.transport.sshalgos import disabled_algorithms
        t = paramiko.Transport(sock, disabled_algorithms=disabled_algorithms(False))
        t.add_server_key(host_key)
    t.local_version = persona.ssh_version
    t._active_check_timeout = 1.0      # paramiko's 0.1 s: thousands of idle sessions would wake 10 times a second
    try:
        t.start_server(server=_Server(dev))
        ch = t.accept(20)
        if ch is None:
            return
        prompt = persona.prompt.format(host=dev.hostname)
        if faults.get("login_question") and not _ask_at_login(ch, persona.banner, str(faults["login_question"])):
            return
        if faults.get("late_prompt_s"):
            ch.sendall(persona.banner.encode())
            time.sleep(float(faults["late_prompt_s"]))
            ch.sendall(prompt.encode())
        else:
            ch.sendall((persona.banner + prompt).encode())
        line, last = "", ""
        while True:
            data = ch.recv(4096)
            if not data:
                # stdin closed: a shell ends, an exec'd command runs on to its end (a client may close stdin first)
                while ch.get_name() == "exec" and not ch.closed and t.is_active():
                    time.sleep(0.05)
                break
            echoed = ""
            for c in data.decode("utf-8", "replace"):
                if c in "\r\n":
                    if c == "\n" and last == "\r":
                        last = c
                        continue
                    last = c
                    cmd, line = line.strip(), ""
                    if not _answer(ch, t, dev, persona, cmd, echoed, prompt):
                        return
                    echoed = ""
                else:
                    last = c
                    line += c
                    echoed += c          # echo: the collector waits for it
            if echoed:
                ch.sendall(echoed.encode())
    except Exception:
        pass
    finally:
        t.close()


def _ask_at_login(ch, banner: str, question: str) -> bool:
    """VRP asks some questions before the first prompt (a password to change, a config to save). True when the
    answer was N; anything else is a write to the device, which this simulated one refuses by hanging up."""
    ch.sendall((banner + question).encode())
    answer = b""
    while not answer.endswith((b"\r", b"\n")) and len(answer) < 64:
        data = ch.recv(64)
        if not data:
            return False
        answer += data
    if answer.strip().upper() != b"N":
        ch.sendall(b"\r\nInfo: The configuration was saved.\r\n")
        return False
    ch.sendall(b"\r\n")
    return True


LEGACY_KEX = ("diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1")
LEGACY_CIPHERS = ("aes128-cbc", "aes256-cbc", "3des-cbc")
LEGACY_MACS = ("hmac-sha1", "hmac-md5")


def _old_server(sock: socket.socket, key: paramiko.PKey, only_legacy: bool) -> paramiko.Transport:
    """An older release's SSH server. `only_legacy`: SHA-1 key exchange, ssh-rsa (SHA-1) host key signatures, CBC
    ciphers and SHA-1/MD5 MACs only, as old VRP, Comware and IOS releases offer; otherwise those after the modern
    ones (a current client connects, the offer is still weak)."""
    from scanner.transport.sshalgos import LegacyTransport, Sha1RsaKey
    t = LegacyTransport(sock)
    if only_legacy:
        opts = t.get_security_options()
        opts.kex = LEGACY_KEX
        opts.ciphers = LEGACY_CIPHERS
        opts.digests = LEGACY_MACS
        opts.key_types = ("ssh-rsa",)
    t.add_server_key(Sha1RsaKey(key=key.key))
    return t


def host_key(state: Path) -> paramiko.PKey:
    path = state / "lab_host_key"
    if path.exists():
        return paramiko.RSAKey.from_private_key_file(str(path))
    key = paramiko.RSAKey.generate(2048)
    key.write_private_key_file(str(path))
    return key


def serve(devices: list[Device], key: paramiko.PKey, bind: str = "127.0.0.1", ready: Path | None = None,
          processes: int = 1) -> None:
    """Every device's port bound here, then served by `processes` processes (this one and forked copies in its
    process group, which `lab.down` stops together): each accepts what it can on every port, so a thousand devices
    logging in at once are not all behind one interpreter lock, as real devices are not."""
    socks = []
    for dev in devices:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((bind, dev.port))
        s.listen(256)
        s.setblocking(False)
        socks.append((s, dev))
    started, up = os.pipe()              # each forked copy writes a byte here once it serves
    first = True
    for _ in range(processes - 1):
        if os.fork() == 0:
            first = False                # the first process says when every port is bound and every copy serves
            break
    # Each process its own selector, made after the fork: an epoll set made before it would be one set shared by
    # them all, where a second registration of the same socket fails (EEXIST) and that process dies.
    sel = selectors.DefaultSelector()
    for s, dev in socks:
        sel.register(s, selectors.EVENT_READ, dev)
    if not first:
        os.write(up, b"1")
    os.close(up)
    if first:
        with os.fdopen(started, "rb") as f:          # end of file once every copy has written or died
            if len(f.read()) != processes - 1:
                raise SystemExit("simulator: a serving process failed to start")
        if ready:
            ready.write_text(str(os.getpid()), encoding="utf-8")
    print(f"simulator: {len(devices)} devices listening on {bind}", flush=True)
    while True:
        for k, _ in sel.select():
            try:
                conn, _ = k.fileobj.accept()
            except BlockingIOError:
                continue
            conn.setblocking(True)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=serve_connection, args=(conn, k.data, key), daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="mlps-scanner device simulator")
    ap.add_argument("--spec", type=Path, required=True)
    ap.add_argument("--state", type=Path, required=True)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--processes", type=int, default=1, help="serving processes (a fleet benchmark: one per CPU)")
    args = ap.parse_args(argv)
    args.state.mkdir(parents=True, exist_ok=True)
    devices, _ = load_devices(args.spec)
    # the devices loaded stay for the whole run: out of the garbage collector's passes, which the sessions'
    # objects (freed by reference counting) would otherwise start every 700 allocations
    gc.freeze()
    gc.set_threshold(100_000, *gc.get_threshold()[1:])
    from scanner.memtune import limit_malloc_arenas
    limit_malloc_arenas()              # a thread per session, like the scanner's collectors
    serve(devices, host_key(args.state), args.bind, args.state / "simulator.ready", max(1, args.processes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
