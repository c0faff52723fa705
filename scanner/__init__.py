"""mlps-scanner: where a network and its servers fall short of MLPS 2.0 Level 3 (GB/T 22239-2019 第三级).

The public API is what this module exports; everything else may change between releases.
"""
__version__ = "0.1.0"

from scanner.checkkit import (  # noqa: E402
    Check, Facts, FleetCheck, FleetVerdict, Verdict, check, failed, fleet_check, manual, not_applicable, passed,
)
from scanner.engine import ScanContext, assess_config_bytes, scan_configs  # noqa: E402
from scanner.errors import ReasonCode  # noqa: E402
from scanner.model import (  # noqa: E402
    Asset, CheckStatus, ControlResult, Finding, FixKind, HighRisk, ItemResult, ScanResult, Severity,
)
from scanner.policy import Policy  # noqa: E402

__all__ = [
    "__version__", "Asset", "Check", "CheckStatus", "ControlResult", "Facts", "Finding", "FixKind", "FleetCheck",
    "FleetVerdict", "HighRisk", "ItemResult", "Policy", "ReasonCode", "ScanContext", "ScanResult", "Severity", "Verdict",
    "assess_config_bytes", "check", "failed", "fleet_check", "manual", "not_applicable", "passed", "scan_configs",
]
