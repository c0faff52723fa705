"""Secret references resolved at connection time: an environment variable, a 0600 file, the system keyring; and
the same owner-only rule for SSH private key files. Errors never include the secret."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.textio import UnreadableInput, read_bounded

if TYPE_CHECKING:
    from scanner.inventory import SecretRef


MAX_SECRET_FILE_BYTES = 64 * 1024      # a password or community, never a file to stream


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
        p = owner_only_file(ref.file, "secret file")
        try:
            return read_bounded(p, MAX_SECRET_FILE_BYTES).decode("utf-8").strip("\r\n")
        except UnreadableInput as e:
            raise SecretError(f"secret file {p}: {e.message}") from None
        except UnicodeDecodeError:
            raise SecretError(f"secret file {p}: not UTF-8 text") from None
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
    return owner_only_file(path, "key file", missing_ok)


def owner_only_file(path: str, what: str, missing_ok: bool = False) -> Path:
    """`path` if it is a regular file with no group or other permission bits; SecretError otherwise."""
    p = Path(path).expanduser()
    try:
        st = p.stat()
    except OSError as e:
        if missing_ok:            # validated on one machine, used on another: checked again at connection
            return p
        raise SecretError(f"{what} {p}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SecretError(f"{what} {p} is not a regular file")
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(f"{what} {p} must not be readable or writable by group or others (chmod 600)")
    return p
