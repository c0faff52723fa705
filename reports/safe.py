"""Text that is safe in every output format, in one place.

Device text (asset and file names, version headers, config lines) reaches XML (XLSX, JUnit, the PDF's HTML),
JSON and spreadsheets. XML 1.0 forbids C0 controls other than tab, newline and CR, lone surrogates and
U+FFFE/U+FFFF; UTF-8 cannot encode lone surrogates at all; a spreadsheet cell whose text starts with `=`, `+`, `-`
or `@` (or a tab or CR before one) may be taken for a formula (OWASP "CSV injection"). Such characters are shown as
visible escapes (`\\x01`, `\\ud800`) so an assessor still sees that the device sent them.
"""
from __future__ import annotations

import re
from typing import Any

# C0 except tab and newline (CR too: XML parsers turn it into a newline, spreadsheets into a formula prefix), DEL,
# C1, lone surrogates (Python lets a file name carry one through surrogateescape), and the two XML non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def clean_text(text: str) -> str:
    """`text` with every character XML 1.0 or UTF-8 cannot carry (and other invisible controls) escaped."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def clean_tree(value: Any) -> Any:
    """`clean_text` applied to every string (keys too) in nested dicts, lists and tuples."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_tree(v) for v in value]
    return value


def cell_text(text: str) -> str:
    """A spreadsheet cell's text: cleaned, and prefixed with a single quote when a spreadsheet (or a CSV export of
    it) could read it as a formula. The quote stays in the value, as OWASP advises, so no round trip loses it."""
    text = clean_text(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_value(value: Any) -> Any:
    """A value for openpyxl: numbers and None as they are, every string through `cell_text`."""
    return cell_text(value) if isinstance(value, str) else value


def clean_element(root) -> None:
    """`clean_text` applied in place to the text, tail and attribute values of an ElementTree and its children."""
    for el in root.iter():
        if el.text:
            el.text = clean_text(el.text)
        if el.tail:
            el.tail = clean_text(el.tail)
        for k, v in el.attrib.items():
            el.attrib[k] = clean_text(v)


def html_value(value: Any) -> Any:
    """Jinja `finalize` for the HTML and PDF templates: every printed string cleaned, markup kept as markup."""
    if not isinstance(value, str):
        return value
    cleaned = clean_text(value)
    if cleaned is value:
        return value
    from markupsafe import Markup
    return Markup(cleaned) if isinstance(value, Markup) else cleaned
