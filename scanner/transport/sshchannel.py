"""One interactive CLI session over an SSH shell channel, read so that it cannot be desynchronised or flooded.

Each output is tied to its own command: the reader first waits for the command's echo (a line that ends with the
command, at the start of a line or right after a prompt), drops whatever came before it (a late prompt of an
earlier exchange), and then reads until a prompt stands alone on the last line, with nothing else waiting on the
channel. Text that merely contains the prompt (`uplink to R1#2`, `description [R1 ge1]`) never ends an output,
however the bytes are split in transit; and since a config line can be exactly the prompt (a banner), a prompt
on the last line is confirmed by an empty line: the output ends at the prompt followed by the prompt that empty
line brings. (An empty line is no command: at a prompt every CLI just prints the prompt again.) Every command's
output is capped in bytes.
"""
from __future__ import annotations

import codecs
import re
import socket
import time

from scanner.errors import ReasonCode
from scanner.transport.errors import CollectError

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][AB012]|\x1b[=>78]")
DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024
MAX_LOGIN_QUESTIONS = 3
WAKE_AFTER_S = 1.0


def _clean(line: str) -> str:
    return ANSI.sub("", line).replace("\r", "").rstrip()


class Shell:
    """Commands and their outputs over one shell channel (a paramiko Channel with a pty)."""

    def __init__(self, channel, max_output: int = DEFAULT_MAX_OUTPUT, encoding: str = "utf-8"):
        self.ch = channel
        self.max_output = max_output
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = ""                   # text received and not yet given to a command
        self.prompt: re.Pattern[str] | None = None
        self.received = 0                    # bytes read from the channel

    def _recv(self, deadline: float, what: str, soft: bool = False) -> str:
        """The next piece of text; raises on timeout (returns "" when `soft`) or when the device closes the
        session."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if soft:
                    return ""
                raise CollectError(ReasonCode.COMMAND_TIMEOUT, f"no prompt after {what}")
            self.ch.settimeout(min(left, 1.0))
            try:
                data = self.ch.recv(65536)
            except socket.timeout:
                continue
            except (OSError, EOFError) as e:
                raise CollectError(ReasonCode.CONNECTION_LOST,
                                   f"connection lost during {what}: {type(e).__name__}") from None
            if not data:
                raise CollectError(ReasonCode.CONNECTION_LOST, f"the device closed the session during {what}")
            self.received += len(data)
            return self._decoder.decode(data)

    def find_prompt(self, shape: re.Pattern[str], prompt_re, timeout: float,
                    questions: tuple[re.Pattern[str], ...] = ()) -> str:
        """Learn the CLI's prompt from a last line of the expected shape (waking a silent CLI with an empty line).
        Returns the base name (hostname); later outputs end only at that exact prompt (`prompt_re(base)`).
        A login question (`questions`, e.g. "Change now? [Y/N]:") is answered "N", at most a few times."""
        deadline = time.monotonic() + timeout
        wake_at = time.monotonic() + WAKE_AFTER_S      # a CLI that says nothing yet gets an empty line, once: sent
        woken = False                                  # at once, it would answer a login question
        text, answered = self._pending, 0
        while True:
            tail = _clean(text.rsplit("\n", 1)[-1])
            m = shape.fullmatch(tail)
            if m and not self.ch.recv_ready():
                self._pending = ""
                self.prompt = re.compile(prompt_re(m.group(1)))
                return m.group(1)
            if any(q.fullmatch(tail) for q in questions) and not self.ch.recv_ready():
                if answered >= MAX_LOGIN_QUESTIONS:
                    raise CollectError(ReasonCode.LOGIN_QUESTION, f"the device keeps asking at login: {tail[:120]!r}")
                self.ch.sendall(b"N\n")     # never "Y": a scan changes nothing on the device
                answered += 1
                text = ""
            if len(text) > 1024 * 1024:
                raise CollectError(ReasonCode.OUTPUT_TOO_LARGE, "more than 1 MB before the first prompt")
            if not woken and time.monotonic() >= wake_at:
                self.ch.sendall(b"\n")
                woken = True
            text += self._recv(deadline if woken else min(deadline, wake_at), "login (waiting for the first prompt)",
                               soft=not woken)

    def run(self, command: str, timeout: float) -> str:
        """Send one command; its output, without echo and prompt, lines joined with '\\n'."""
        assert self.prompt is not None, "find_prompt() first"
        self.ch.sendall((command + "\n").encode())
        deadline = time.monotonic() + timeout
        what = f"'{command}'"
        echo = re.compile(r"(?:\A|\n|[>\]#])[ \t]*" + re.escape(command) + r"[ \t]*\r*\n")
        head, start = self._pending, self.received
        self._pending = ""
        while (m := echo.search(ANSI.sub("", head))) is None:
            if len(head) > 1024 * 1024:
                raise CollectError(ReasonCode.DESYNCHRONISED, f"no echo of {what} in 1 MB of output")
            head += self._recv(deadline, what)
        body = [ANSI.sub("", head)[m.end():]]
        prev, tail = _last_lines("", "", body[0])
        probed = False
        while True:
            if self.prompt.fullmatch(_clean(tail)) and not self.ch.recv_ready():
                if probed and self.prompt.fullmatch(_clean(prev)):
                    break                   # the prompt, then the prompt our empty line brought: the end
                if not probed:              # a prompt alone on the last line: confirm with an empty line
                    self.ch.sendall(b"\n")
                    probed = True
            piece = self._recv(deadline, what)
            if self.received - start > self.max_output:
                raise CollectError(ReasonCode.OUTPUT_TOO_LARGE,
                                   f"the output of {what} exceeds {self.max_output} bytes: "
                                   "not assessed (raise --max-output-mb if the device really says this much)")
            body.append(piece)
            prev, tail = _last_lines(prev, tail, piece)
        text = "".join(body)
        text = text[:len(text) - len(tail) - 1 - len(prev)]
        return ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "").rstrip("\n")


def _last_lines(prev: str, tail: str, piece: str) -> tuple[str, str]:
    """(the last complete line, the unfinished last line) after `piece` is appended."""
    if "\n" not in piece:
        return prev, tail + piece
    *before, last = piece.split("\n")
    return (before[-1] if len(before) > 1 else tail + before[0]), last
