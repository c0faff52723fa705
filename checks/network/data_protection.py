"""数据保密性 b) (8.1.4.8.b): how credentials are stored in the configuration."""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, manual, not_applicable, passed
from scanner.facts import PLAINTEXT_LIKE, PasswordStorage
from scanner.model import Severity
from scanner.policy import Policy

_FORM_ZH = {PasswordStorage.PLAINTEXT: "明文", PasswordStorage.REVERSIBLE: "可逆加密",
            PasswordStorage.WEAK_HASH: "MD5弱散列"}


def _accounts(facts: Facts):
    dev = facts["device.users"]
    return list(dev.users) + ([dev.enable_secret] if dev.enable_secret else [])


def _other_secrets(facts: Facts) -> list[tuple[tuple[str, str], PasswordStorage, int]]:
    """Credentials other than accounts: line passwords and shared keys with AAA servers, as ((what in Chinese, in
    English), storage, line)."""
    lines = [((f"{m.name}线路口令", f"{m.name} line password"), m.password_storage, m.password_line or m.line)
             for m in facts["device.mgmt"].mgmt_lines if m.password_storage is not None]
    keys = [(("AAA服务器共享密钥", "AAA server shared key"), st, ln) for st, ln in facts["device.aaa"].aaa.keys]
    return lines + keys


@check(id="passwords_not_plaintext", title_zh="口令不以明文或可逆方式存储",
       title_en="Passwords not stored in clear or reversibly", controls=("8.1.4.8.b",), severity=Severity.HIGH,
       needs=("device.users", "device.mgmt", "device.aaa"), high_risk=("6.4.5.2",))
def _not_plaintext(facts: Facts, policy: Policy) -> Verdict:
    bad = [((u.name, u.name), u.storage, u.line) for u in _accounts(facts) if u.storage in PLAINTEXT_LIKE]
    bad += [s for s in _other_secrets(facts) if s[1] in PLAINTEXT_LIKE]
    if bad:
        return failed("口令以明文或可逆方式存储：" + "、".join(f"{n[0]}({_FORM_ZH[st]})" for n, st, _ in bad),
                      "credentials stored in clear or reversibly: " + ", ".join(n[1] for n, _, _ in bad),
                      facts.evidence(*[ln for _, _, ln in bad]))
    unknown = [u for u in _accounts(facts) if u.storage == PasswordStorage.UNKNOWN]
    if unknown:
        return manual("以下账户口令的存储方式无法从配置判定（随版本不同）：" + "、".join(u.name for u in unknown),
                      "storage form unknown for: " + ", ".join(u.name for u in unknown),
                      facts.evidence(*[u.line for u in unknown]))
    accounts = _accounts(facts)
    if accounts and not _other_secrets(facts) and all(u.storage == PasswordStorage.NONE for u in accounts):
        # accounts without a password (Comware MER5200 `local-user admin` L200): no stored credential shows how
        # the device keeps one
        return manual("配置中未存储任何登录口令，无法判定口令存储方式", "no login credential is stored in the "
                      "configuration: how the device stores one is not shown",
                      facts.evidence(*[u.line for u in accounts][:6]))
    return passed("配置中口令均以不可逆方式存储", "no password is stored in clear or reversibly",
                  facts.evidence(*[u.line for u in _accounts(facts)][:6]))


@check(id="password_hash_strong", title_zh="口令采用强散列算法存储",
       title_en="Passwords hashed with a strong algorithm", controls=("8.1.4.8.b",), severity=Severity.MEDIUM,
       needs=("device.users", "device.mgmt", "device.aaa"))
def _strong_hash(facts: Facts, policy: Policy) -> Verdict:
    weak = [u for u in _accounts(facts) if u.storage == PasswordStorage.WEAK_HASH]
    if not any(u.storage in (PasswordStorage.WEAK_HASH, PasswordStorage.HASH) for u in _accounts(facts)):
        # nothing is hashed: no hash to judge (a pass here would lift a clear-text-only device to 部分符合)
        return not_applicable("配置中无散列存储的口令", "no hashed password in the configuration")
    if weak and policy.md5_crypt == "compliant":
        return passed("MD5弱散列（" + "、".join(u.name for u in weak) + "）按策略（md5_crypt: compliant）视为符合",
                      "MD5-crypt accepted by the policy (md5_crypt: compliant): " + ", ".join(u.name for u in weak),
                      facts.evidence(*[u.line for u in weak]))
    clear = [u for u in _accounts(facts) if u.storage in PLAINTEXT_LIKE] + \
        [s for s in _other_secrets(facts) if s[1] in PLAINTEXT_LIKE]
    if weak and clear and policy.md5_crypt_beside_cleartext == "partial":
        # the clear ones fail passwords_not_plaintext; the hashed ones are the protected part of the item
        return passed("MD5弱散列（" + "、".join(u.name for u in weak) + "）为不可逆存储，与明文/可逆存储的凭据并存，"
                      "按策略（md5_crypt_beside_cleartext: partial）计为已保护部分",
                      "MD5-crypt hashes are irreversible beside credentials kept in clear; the policy "
                      "(md5_crypt_beside_cleartext: partial) counts them as the protected part: "
                      + ", ".join(u.name for u in weak), facts.evidence(*[u.line for u in weak]))
    if weak:
        return failed("口令使用MD5等弱散列算法存储：" + "、".join(u.name for u in weak),
                      "passwords hashed with MD5: " + ", ".join(u.name for u in weak),
                      facts.evidence(*[u.line for u in weak]))
    return passed("未使用弱散列算法存储口令", "no weakly hashed password")   # some password is strongly hashed (above)
