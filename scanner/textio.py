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

import yaml

from scanner.errors import ReasonCode, ScanError

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class UnreadableInput(ScanError):
    """The bytes are not a text config; `code` is its reason code for scan.json."""


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
            raise UnreadableInput(ReasonCode.TOO_LARGE, f"file is {st.st_size / 1048576:.1f} MiB, over the "
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
        raise UnreadableInput(ReasonCode.READ_ERROR, f"cannot read file: {e.strerror}") from None
    except ValueError as e:         # a NUL byte in the path
        raise UnreadableInput(ReasonCode.READ_ERROR, f"cannot read file: {e}") from None
    if got > limit:
        raise UnreadableInput(ReasonCode.TOO_LARGE, f"file is over the {limit / 1048576:.0f} MiB limit (more than "
                              f"{limit} bytes read although its size was given as {st.st_size}){hint}")
    return b"".join(chunks)


def _refuse_special(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise UnreadableInput(ReasonCode.READ_ERROR, "cannot read file: Is a directory")
    for test, kind in _KINDS:
        if test(mode):
            raise UnreadableInput(ReasonCode.NOT_A_FILE, f"not a regular file: {kind} (never opened)")
    if not stat.S_ISREG(mode):
        raise UnreadableInput(ReasonCode.NOT_A_FILE, "not a regular file (never opened)")


def decode_config(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    if len(data) > max_bytes:
        raise UnreadableInput(
            ReasonCode.TOO_LARGE,
            f"file is {len(data) / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit "
            "(raise it with --max-config-mb)")
    if not data.strip():
        raise UnreadableInput(ReasonCode.EMPTY, "file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return DecodedText(_strip_controls(data.decode(enc, errors="replace")), enc)
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return DecodedText(_strip_controls(data.decode(enc, errors="replace")), enc)
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 or _binary_ratio(sample) > 0.10:
        raise UnreadableInput(ReasonCode.BINARY, "file is binary, not a text configuration")
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
    from yaml import CSafeDumper as _YamlDumper, CSafeLoader as _CSafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeDumper as _YamlDumper
    _CSafeLoader = None

MAX_YAML_DEPTH = 100             # nesting levels, counting what aliases bring in
MAX_YAML_NODES = 1_000_000       # nodes once aliases are expanded: a 10 000-asset inventory has ~300 000


class YamlFieldError(yaml.MarkedYAMLError):
    """A YAML error at a known place: `path` is where, as keys and list indexes."""

    def __init__(self, problem: str, mark, path: list):
        super().__init__(problem=problem, problem_mark=mark)
        self.path = tuple(p for p in path if p is not None)

    @property
    def field(self) -> str | None:
        shown = [str(p) for p in self.path[:4]]
        return ".".join(shown) + ("..." if len(self.path) > 4 else "") if shown else None


class YamlLimitError(YamlFieldError):
    """YAML nested too deep or expanding too far through aliases."""


def _check_shape(root: yaml.Node | None) -> None:
    """Refuse a tree nested deeper than MAX_YAML_DEPTH or larger than MAX_YAML_NODES once aliases are expanded
    ("billion laughs": ten lines of anchors stand for 10**9 nodes, and whatever walks the data walks them all),
    and aliases of their own ancestors. Linear in the composed tree: each node's expanded shape is kept."""
    shape: dict[int, tuple[int, int]] = {}           # id(node) -> (nodes, height) once expanded
    active: set[int] = set()

    def visit(node: yaml.Node, path: list, mark=None) -> tuple[int, int]:
        mark = mark or node.start_mark          # a mapping value: its key's line, where an alias is written
        if len(path) > MAX_YAML_DEPTH:
            raise YamlLimitError(f"nesting deeper than {MAX_YAML_DEPTH} levels", mark, path)
        got = shape.get(id(node))
        if got is None:
            if id(node) in active:
                raise YamlLimitError("recursive alias (a node contains itself)", mark, path)
            active.add(id(node))
            got = _shape_of(node, path, visit)
            active.discard(id(node))
            shape[id(node)] = got
        if got[0] > MAX_YAML_NODES:
            raise YamlLimitError(f"aliases expand to more than {MAX_YAML_NODES:,} nodes", mark, path)
        if len(path) + got[1] - 1 > MAX_YAML_DEPTH:
            raise YamlLimitError(f"aliases nest deeper than {MAX_YAML_DEPTH} levels", mark, path)
        return got

    if root is not None:
        visit(root, [])


def _shape_of(node: yaml.Node, path: list, visit) -> tuple[int, int]:
    if isinstance(node, yaml.SequenceNode):
        shapes = [visit(child, [*path, i]) for i, child in enumerate(node.value)]
    elif isinstance(node, yaml.MappingNode):
        shapes = []
        for k, v in node.value:
            shapes.append(visit(k, [*path, None]))
            shapes.append(visit(v, [*path, k.value if isinstance(k, yaml.ScalarNode) else None], k.start_mark))
    else:
        return 1, 1
    return 1 + sum(s for s, _ in shapes), 1 + max((h for _, h in shapes), default=0)


class _DepthBoundComposer(yaml.composer.Composer):
    """PyYAML's composer recurses once per level: stop at MAX_YAML_DEPTH, naming where, before it overflows."""

    def __init__(self) -> None:
        super().__init__()
        self._path: list = []

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        self._path.append(index.value if isinstance(index, yaml.ScalarNode) else index)
        if len(self._path) > MAX_YAML_DEPTH:
            raise YamlLimitError(f"nesting deeper than {MAX_YAML_DEPTH} levels", self.peek_event().start_mark,
                                 self._path)
        node = super().compose_node(parent, index)
        self._path.pop()
        return node


class _DepthBoundLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _DepthBoundComposer,
                        yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _DepthBoundComposer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def _timestamp(loader, node):
    # The resolver takes 2030-13-01 for a date; the constructor then raises a bare ValueError. Say where.
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as e:
        raise yaml.constructor.ConstructorError(None, None, f"not a valid date or time ({e})", node.start_mark) \
            from None


# Subclasses, so that the constructor stays out of PyYAML's own loaders.
_FastLoader = type("_FastLoader", (_CSafeLoader,), {}) if _CSafeLoader is not None else None
for _loader in filter(None, (_FastLoader, _DepthBoundLoader)):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml_tree(text: str) -> tuple[yaml.Node | None, object]:
    """(root node, data) of one YAML document: safe subset, bounded depth and alias expansion; the nodes give
    line numbers. Raises yaml.YAMLError (YamlLimitError past a bound) with the line in `problem_mark`."""
    if _FastLoader is not None:
        try:
            return _load(_FastLoader(text))
        except yaml.scanner.ScannerError as e:
            if "nesting depth" not in str(e.problem):     # libyaml stops at 1 000 levels without saying where
                raise
    return _load(_DepthBoundLoader(text))


def _load(loader) -> tuple[yaml.Node | None, object]:
    try:
        node = loader.get_single_node()
        _check_shape(node)
        if node is None:
            return None, None
        try:
            return node, loader.construct_document(node)
        except yaml.constructor.ConstructorError as e:
            if e.problem_mark is None:
                raise
            raise YamlFieldError(e.problem, e.problem_mark, _path_to(node, e.problem_mark.index) or []) from None
        except (ValueError, OverflowError) as e:       # any other value a constructor cannot make
            raise yaml.constructor.ConstructorError(None, None, f"cannot read a value ({e})", node.start_mark) \
                from None
    finally:
        loader.dispose()


def _path_to(node: yaml.Node, index: int, path: list | None = None) -> list | None:
    """Keys and indexes leading to the node that starts at character `index` (the tree is bounded by now)."""
    path = path or []
    if node.start_mark.index == index and not isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        return path
    pairs = (enumerate(node.value) if isinstance(node, yaml.SequenceNode) else
             [(k.value if isinstance(k, yaml.ScalarNode) else None, v) for k, v in node.value]
             if isinstance(node, yaml.MappingNode) else [])
    for key, child in pairs:
        if child.start_mark.index <= index < child.end_mark.index or child.start_mark.index == index:
            found = _path_to(child, index, [*path, key])
            if found is not None:
                return found
    return None


def load_yaml(text: str):
    return load_yaml_tree(text)[1]


def dump_yaml(data, sort_keys: bool = True) -> str:
    return yaml.dump(data, Dumper=_YamlDumper, allow_unicode=True, sort_keys=sort_keys)
