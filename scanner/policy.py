"""Thresholds as a policy profile. GB/T 22239 sets no numbers; these defaults are what assessors apply
(MLPS-L3.md §2.9). Organisations override them with `--policy FILE` (YAML with any of these fields)."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scanner.errors import InputFileError
from scanner.inventory import _line_of, load_yaml_file


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "assessor-default"
    password_min_length: int = Field(8, ge=1)
    password_min_classes: int = Field(2, ge=1, le=4)
    password_max_age_days: int = Field(90, ge=1)
    weak_password_min_length: int = Field(6, ge=1)
    lockout_max_attempts: int = Field(5, ge=1)
    lockout_min_seconds: int = Field(300, ge=0)
    idle_timeout_max_s: int = Field(600, ge=1)
    log_retention_days: int = Field(180, ge=1)
    # Choices where assessors differ (README, "Policy choices"). Type-5 (MD5-crypt) secrets: an irreversible but
    # weak hash, 部分符合 for 8.1.4.8.b by default; `compliant` accepts it as 符合.
    md5_crypt: Literal["partial", "compliant"] = "partial"
    # MD5-crypt secrets beside credentials kept in clear or reversibly (type 0/7 keys or passwords): the hashed part
    # is protected, weakly, so 8.1.4.8.b is 部分符合 by default; `noncompliant` counts a weak hash as no protection
    # once anything is in clear (不符合).
    md5_crypt_beside_cleartext: Literal["partial", "noncompliant"] = "partial"
    # Central AAA (RADIUS/TACACS+) for logins while the device also locks local logins after failures: the AAA
    # server's policy still needs review (需人工核查) by default; `compliant` accepts the pair as 符合.
    central_aaa_with_local_lockout: Literal["manual", "compliant"] = "manual"


class PolicyError(InputFileError):
    """A policy file that cannot be used: file, line, field, message."""


def load_policy(path: Path | None) -> Policy:
    if path is None:
        return Policy()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PolicyError(path, None, None, f"cannot read policy file ({e.strerror})") from None
    except UnicodeDecodeError:
        raise PolicyError(path, None, None, "not UTF-8 text") from None
    root, data = load_yaml_file(path, text, PolicyError)
    if not isinstance(data or {}, dict):
        raise PolicyError(path, 1, None, "a policy file must be a mapping of field: value")
    try:
        return Policy.model_validate(data or {})
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise PolicyError(path, _line_of(root, loc), ".".join(map(str, loc)), err["msg"]) from None
