"""Collection errors: a device (or one of its facts) could not be collected. Shared by every transport, so SNMP
and nmap need not import the SSH module."""
from __future__ import annotations

from scanner.errors import ReasonCode, ScanError


class CollectError(ScanError):
    """A device could not be collected; `code` is its reason in scan.json (never contains secrets)."""


class CommandRefused(CollectError):
    def __init__(self, command: str):
        super().__init__(ReasonCode.COMMAND_REFUSED, f"refused to send '{command}': not on the read-only allowlist")
