"""Names say what a thing is: two classes that share a name (the inventory's asset and the result's asset, a device
check's verdict and a fleet check's verdict) are two ideas a reader must tell apart by import path."""
from __future__ import annotations

import ast
from collections import defaultdict

from conftest import ROOT


def classes_by_name(root=ROOT) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for pkg in ("scanner", "checks", "reports"):
        for p in sorted((root / pkg).rglob("*.py")):
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    found[node.name].append(f"{p.relative_to(root)}:{node.lineno}")
    return found


def test_no_two_classes_share_a_name():
    assert {name: where for name, where in classes_by_name().items() if len(where) > 1} == {}
