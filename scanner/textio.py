"""Turning bytes from files or devices into text, refusing what is not a config.

Devices in China commonly emit GBK/GB18030 descriptions, Huawei sessions saved on Windows are UTF-16, and
some tools leave NUL bytes behind: decode in that order, and report what could not be read instead of guessing.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class UnreadableInput(Exception):
    """The bytes are not a text config; `code` is a stable reason code for scan.json."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def read_bounded(path, limit: int, hint: str = "") -> bytes:
    """The bytes of a regular file, at most `limit` of them whatever `stat` says.

    Devices, FIFOs and sockets are refused before anything is opened (a FIFO would block, /dev/zero never ends);
    the file is opened non-blocking and checked again, in case it was swapped in between. /proc files report
    size 0 and a file may grow while read: the read itself stops one byte past the limit.
    """
    try:
        st = os.stat(path)
        _refuse_special(st.st_mode)
        if st.st_size > limit:
            raise UnreadableInput("too_large", f"file is {st.st_size / 1048576:.1f} MiB, over the "
                                  f"{limit / 1048576:.0f} MiB limit{hint}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            _refuse_special(os.fstat(fd).st_mode)
            chunks, got = [], 0
            while got <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        finally:
            os.close(fd)
    except OSError as e:
        raise UnreadableInput("read_error", f"cannot read file: {e.strerror}") from None
    except ValueError as e:         # a NUL byte in the path
        raise UnreadableInput("read_error", f"cannot read file: {e}") from None
    if got > limit:
        raise UnreadableInput("too_large", f"file is over the {limit / 1048576:.0f} MiB limit (more than "
                              f"{limit} bytes read although its size was given as {st.st_size}){hint}")
    return b"".join(chunks)


def _refuse_special(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise UnreadableInput("read_error", "cannot read file: Is a directory")
    for test, kind in _KINDS:
        if test(mode):
            raise UnreadableInput("not_a_file", f"not a regular file: {kind} (never opened)")
    if not stat.S_ISREG(mode):
        raise UnreadableInput("not_a_file", "not a regular file (never opened)")


def decode_config(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    if len(data) > max_bytes:
        raise UnreadableInput(
            "too_large", f"file is {len(data) / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit "
            "(raise it with --max-config-mb)")
    if not data.strip():
        raise UnreadableInput("empty", "file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return DecodedText(_strip_controls(data.decode(enc, errors="replace")), enc)
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return DecodedText(_strip_controls(data.decode(enc, errors="replace")), enc)
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 or _binary_ratio(sample) > 0.10:
        raise UnreadableInput("binary", "file is binary, not a text configuration")
    for enc in ("utf-8", "gb18030"):
        try:
            return DecodedText(_strip_controls(data.decode(enc)), enc)
        except UnicodeDecodeError:
            continue
    return DecodedText(_strip_controls(data.decode("latin-1")), "latin-1")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    # Text in UTF-16 has NULs in one byte lane only (ASCII-range characters); a NUL-filled blob has both.
    return (odd_nuls > half * 0.6 and even_nuls < half * 0.1) or (even_nuls > half * 0.6 and odd_nuls < half * 0.1)


_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D, 0x1B, 0x08, 0x0C}


def _binary_ratio(sample: bytes) -> float:
    # Bytes >= 0x80 are legal in UTF-8/GBK; count only C0 control characters that never occur in configs.
    bad = sum(1 for b in sample if b < 0x20 and b not in _TEXT_BYTES)
    return bad / max(1, len(sample))


def _strip_controls(text: str) -> str:
    # Terminal captures carry ANSI sequences, backspaces and NULs; keep only printable text and newlines.
    if "\x1b" in text:
        text = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]", "", text)
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


# YAML through libyaml when PyYAML has it (10-20x faster than the pure-Python loader and emitter: a switch's SNMP
# output is ~600 values), else PyYAML's pure-Python safe classes; same safe subset either way.
try:
    from yaml import CSafeDumper as _YamlDumper, CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeDumper as _YamlDumper, SafeLoader as _YamlLoader


def load_yaml(text: str):
    import yaml
    return yaml.load(text, Loader=_YamlLoader)


def dump_yaml(data, sort_keys: bool = True) -> str:
    import yaml
    return yaml.dump(data, Dumper=_YamlDumper, allow_unicode=True, sort_keys=sort_keys)
