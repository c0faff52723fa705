"""Secret references resolved at connection time: an environment variable, a 0600 file, the system keyring; and
the same owner-only rule for SSH private key files. Errors never include the secret."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.inventory import SecretRef


class SecretError(Exception):
    pass


def resolve_secret(ref: SecretRef) -> str:
    """The secret a reference points at. Errors never include the secret."""
    if ref.env:
        v = os.environ.get(ref.env)
        if v is None:
            raise SecretError(f"environment variable {ref.env} is not set")
        return v
    if ref.file:
        p = Path(ref.file).expanduser()
        try:
            st = p.stat()
        except OSError as e:
            raise SecretError(f"secret file {p}: {e.strerror}") from None
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretError(f"secret file {p} must not be readable by group or others (chmod 600)")
        return p.read_text(encoding="utf-8").strip("\r\n")
    try:
        import keyring  # optional dependency
    except ImportError:
        raise SecretError("keyring reference given but the 'keyring' package is not installed") from None
    service, _, user = (ref.keyring or "").partition("/")
    v = keyring.get_password(service, user)
    if v is None:
        raise SecretError(f"no keyring entry for {ref.keyring}")
    return v


def check_key_file(path: str, missing_ok: bool = False) -> Path:
    """A private key file must be a regular file that only its owner can read or write, like a password file."""
    p = Path(path).expanduser()
    try:
        st = p.stat()
    except OSError as e:
        if missing_ok:            # validated on one machine, used on another: checked again at connection
            return p
        raise SecretError(f"key file {p}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SecretError(f"key file {p} is not a regular file")
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(f"key file {p} must not be readable or writable by group or others (chmod 600)")
    return p
