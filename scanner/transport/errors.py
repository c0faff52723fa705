"""Collection errors: a stable reason code for scan.json and a message (never a secret)."""
from __future__ import annotations


class CollectError(Exception):
    """A device could not be collected; `code` is a stable reason for scan.json (never contains secrets)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class CommandRefused(CollectError):
    def __init__(self, command: str):
        super().__init__("command_refused", f"refused to send '{command}': not on the read-only allowlist")
