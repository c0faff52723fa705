"""Issue 12, must-have 4, found in the end-to-end pass: a failure with no line to show says what was looked for,
and where the check found the values (idle ports...), the line looked for names them, not `<unused-port>`."""
from __future__ import annotations

from reports.views import shown_evidence
from scanner.model import CheckStatus, Finding, FixKind, Severity


def _idle_ports(values: dict) -> Finding:
    return Finding(check="ports_unused_shutdown", title_zh="闲置端口已关闭", title_en="Idle ports are shut down",
                   status=CheckStatus.FAIL, severity=Severity.MEDIUM, controls=["8.1.3.1.b"],
                   reason_zh="2个闲置端口未关闭", reason_en="2 idle ports are up", fix_kind=FixKind.CONFIG,
                   remediation="interface <unused-port>\n shutdown", fix_values=values)


def test_the_line_looked_for_names_the_values_the_check_found():
    _, looked = shown_evidence(_idle_ports({"unused-port": ["GigabitEthernet0/0/3", "GigabitEthernet0/0/4"]}), 4)
    assert looked and "<unused-port>" not in looked
    assert "interface GigabitEthernet0/0/3" in looked


def test_without_values_the_placeholder_stays():
    _, looked = shown_evidence(_idle_ports({}), 4)
    assert looked == "interface <unused-port> / shutdown"


def test_english_fallback_is_the_english_reason():
    f = _idle_ports({}).model_copy(update={"remediation": None})
    assert shown_evidence(f, 4, "en")[1] == "2 idle ports are up"
    assert shown_evidence(f, 4)[1] == "2个闲置端口未关闭"
