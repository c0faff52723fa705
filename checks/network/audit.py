"""安全审计 (8.1.4.3, 8.1.3.5) and central log collection (8.1.5.4.d) for network devices."""
from __future__ import annotations

import ipaddress

from scanner.checkkit import Facts, Verdict, check, failed, feature_on, passed
from scanner.model import Severity
from scanner.policy import Policy


@check(id="logging_enabled", title_zh="安全审计（日志）功能已启用", title_en="Logging is enabled",
       controls=("8.1.4.3.a", "8.1.3.5.a"), severity=Severity.HIGH, needs=("device.logging",))
def _logging_on(facts: Facts, policy: Policy) -> Verdict:
    return feature_on(facts, facts["device.logging"].logging.enabled, ("日志功能已启用", "logging is enabled"),
                      ("日志（信息中心）功能已关闭", "logging is disabled"), ("日志功能状态未知", "logging state unknown"))


@check(id="logging_remote_host_configured", title_zh="审计记录发送至独立日志服务器",
       title_en="Logs go to a central syslog server", controls=("8.1.4.3.c", "8.1.3.5.c", "8.1.5.4.d"),
       severity=Severity.HIGH, needs=("device.logging", "device.interfaces"), high_risk=("6.5.1.2",))
def _remote_host(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.logging"]
    own = {a for itf in dev.interfaces for a in itf.addresses}
    local = [(h, why) for h in dev.logging.hosts if (why := _not_a_log_server(h.address, own))]
    hosts = [h for h in dev.logging.hosts if all(h is not x for x, _ in local)]
    if not hosts and local:
        return failed("日志主机指向设备自身（" + "、".join(f"{h.address}：{why[0]}" for h, why in local)
                      + "），审计记录未发送至独立日志服务器",
                      "the log hosts are the device itself (" + ", ".join(f"{h.address}: {why[1]}" for h, why in local)
                      + "): no independent syslog server", facts.evidence(*[h.line for h, _ in local]))
    if not hosts:
        return failed("未配置日志服务器，审计记录仅存于设备本地（无法保证留存6个月以上）",
                      "no syslog server: audit records stay on the device and cannot be kept for 6 months")
    if dev.logging.enabled.enabled is False:
        return failed("已配置日志服务器但日志功能关闭", "syslog server configured but logging is off",
                      facts.evidence(dev.logging.enabled.line, *[h.line for h in hosts]))
    return passed("审计记录发送至日志服务器：" + "、".join(h.address for h in hosts),
                  "logs are sent to " + ", ".join(h.address for h in hosts), facts.evidence(*[h.line for h in hosts]))


def _not_a_log_server(address: str, own: set[str]) -> tuple[str, str] | None:
    """Why a log host is the device itself (loopback, or one of its own interface addresses), else None."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None                    # a host name: taken as a server
    mapped = getattr(ip, "ipv4_mapped", None)
    if ip.is_loopback or (mapped is not None and mapped.is_loopback):
        return "回环地址", "loopback address"
    if str(ip) in own or (mapped is not None and str(mapped) in own):
        return "设备自身接口地址", "one of the device's own addresses"
    return None


@check(id="log_timestamps_datetime", title_zh="审计记录包含日期和时间", title_en="Log records carry date and time",
       controls=("8.1.4.3.b", "8.1.3.5.b"), severity=Severity.LOW, needs=("device.logging",))
def _timestamps(facts: Facts, policy: Policy) -> Verdict:
    return feature_on(facts, facts["device.logging"].logging.timestamps_datetime,
                      ("日志记录包含日期和时间", "log records carry date and time"),
                      ("日志时间戳不含日期时间（如仅为开机时长）", "log timestamps carry no date/time"),
                      ("日志时间戳格式未知", "log timestamp format unknown"))


@check(id="time_sync_configured", title_zh="已配置时间同步", title_en="Clock synchronised by NTP",
       controls=("8.1.4.3.b", "8.1.3.5.b"), severity=Severity.MEDIUM, needs=("device.ntp",))
def _ntp(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.ntp"]
    if not dev.ntp_servers:
        return failed("未配置时间同步（NTP），审计记录时间不可靠", "no NTP server: audit timestamps are unreliable")
    return passed(f"已配置{len(dev.ntp_servers)}个NTP时间源", "time is synchronised by NTP",
                  facts.evidence(*dev.ntp_servers))


@check(id="login_events_logged", title_zh="记录用户登录事件", title_en="Login events are logged",
       controls=("8.1.4.3.a", "8.1.3.5.a"), severity=Severity.MEDIUM, needs=("device.logging",))
def _login_events(facts: Facts, policy: Policy) -> Verdict:
    return feature_on(facts, facts["device.logging"].logging.login_events,
                      ("登录成功/失败事件被记录", "login events are logged"),
                      ("未记录登录成功/失败事件", "login successes and failures are not logged"),
                      ("登录事件是否记录未知", "whether logins are logged is unknown"))
