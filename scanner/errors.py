"""The error model: why a device was not assessed (`ReasonCode`, the strings scan.json carries), the one coded
exception every collection and reading error derives from (`ScanError`), and the base of a user's file that cannot
be used (`InputFileError`: file, line, field, message; the CLI exits 2 on it).

Every code is listed, with its meaning, in docs/security.md (a test keeps the two in step). A code is never made
from a free string: `ScanError` turns what it is given into a member, so a misspelt code fails where it is raised.
"""
from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class ReasonCode(StrEnum):
    # reaching and logging in (SSH)
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    AUTH_FAILED = "auth_failed"
    NO_CREDENTIALS = "no_credentials"
    SECRET_UNAVAILABLE = "secret_unavailable"
    HOST_KEY_UNKNOWN = "host_key_unknown"
    HOST_KEY_CHANGED = "host_key_changed"
    SSH_ALGORITHM_MISMATCH = "ssh_algorithm_mismatch"
    SSH_ERROR = "ssh_error"
    UNSUPPORTED_PLATFORM = "unsupported_platform"
    # the session
    COMMAND_TIMEOUT = "command_timeout"
    CONNECTION_LOST = "connection_lost"
    DESYNCHRONISED = "desynchronised"
    OUTPUT_TOO_LARGE = "output_too_large"
    LOGIN_QUESTION = "login_question"
    COMMAND_REFUSED = "command_refused"
    CONFIG_UNAVAILABLE = "config_unavailable"
    COLLECTION_INCOMPLETE = "collection_incomplete"
    # saved captures
    CAPTURE_TAMPERED = "capture_tampered"
    CAPTURE_UNVERIFIED = "capture_unverified"
    UNSAFE_PATH = "unsafe_path"
    RAW_FORMAT = "raw_format"
    # saved configurations
    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too_large"
    NOT_A_FILE = "not_a_file"
    READ_ERROR = "read_error"
    UNKNOWN_PLATFORM = "unknown_platform"
    TRUNCATED = "truncated"
    # our own failures and the operator's
    PARSE_ERROR = "parse_error"
    INTERNAL_ERROR = "internal_error"
    INTERRUPTED = "interrupted"
    NO_COLLECTOR = "no_collector"
    # facts from other sources (the device stays assessed; those facts are errors)
    SNMP_ERROR = "snmp_error"
    SNMP_MALFORMED = "snmp_malformed"
    PORTSCAN_ERROR = "portscan_error"
    PORTSCAN_TIMEOUT = "portscan_timeout"


class ScanError(Exception):
    """Something that costs one device (or one of its facts): `code` says why, `message` says it to a person and
    never holds a secret."""

    def __init__(self, code: ReasonCode | str, message: str):
        super().__init__(message)
        self.code = ReasonCode(code)          # ValueError for a code that is not a member
        self.message = message


class InputFileError(Exception):
    """A file the user gave (inventory, policy, waivers) that cannot be used: one line naming file, line, field."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = str(path), line, field, message
        where = f"{self.path}" + (f":{line}" if line else "") + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")
