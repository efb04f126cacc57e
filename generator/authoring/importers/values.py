"""Turning the text an export holds into record values: dates and times, numbers, clean text.

Pure functions and small compiled parsers, no I/O. Date formats are strptime-style (``%d/%m/%Y
%H:%M``) but compiled once into a regular expression: an import parses hundreds of thousands of
times, and ``datetime.strptime`` costs about 20 µs a call where this costs 2-3. Month names are
read in English and Bahasa Indonesia whatever the machine's locale (Jira writes ``12/Mar/26``, an
Indonesian spreadsheet ``12 Mei 2026``).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable

__all__ = [
    "DateTimeParser",
    "ValueProblem",
    "clean_text",
    "parse_bool",
    "parse_number",
    "parse_timezone",
    "redact_personal",
]


class ValueProblem(ValueError):
    """A value that cannot become what the field needs; the message says why, for the user."""


_MONTHS = {
    # English, then Bahasa Indonesia where it differs (abbreviations as Indonesian software writes them)
    "jan": 1, "january": 1, "januari": 1,
    "feb": 2, "february": 2, "februari": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "march": 3, "maret": 3,
    "apr": 4, "april": 4,
    "may": 5, "mei": 5,
    "jun": 6, "june": 6, "juni": 6,
    "jul": 7, "july": 7, "juli": 7,
    "aug": 8, "august": 8, "agu": 8, "agt": 8, "agus": 8, "agustus": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11, "nop": 11, "nopember": 11,
    "dec": 12, "december": 12, "des": 12, "desember": 12,
}

_DIRECTIVES = {
    "Y": r"(?P<Y>\d{4})",
    "y": r"(?P<y>\d{2})",
    "m": r"(?P<m>\d{1,2})",
    "d": r"(?P<d>\d{1,2})",
    "H": r"(?P<H>\d{1,2})",
    "I": r"(?P<I>\d{1,2})",
    "M": r"(?P<M>\d{2})",
    "S": r"(?P<S>\d{2})",
    "f": r"(?P<f>\d{1,6})",
    "p": r"(?P<p>[AaPp]\.?[Mm]\.?)",
    "b": r"(?P<b>[A-Za-z]{3,9})",
    "B": r"(?P<b>[A-Za-z]{3,9})",
    "z": r"(?P<z>Z|[+-]\d{2}:?\d{2})",
    "Z": r"(?P<Z>[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)",
    "%": "%",
}


def _compile(fmt: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            code = fmt[i + 1]
            if code not in _DIRECTIVES:
                raise ValueError(f"date format '{fmt}': %{code} is not supported (use %Y %y %m %d %H %I %M %S %f %p "
                                 "%b %B %z %Z)")
            out.append(_DIRECTIVES[code])
            i += 2
        elif ch == " ":
            out.append(r"\s+")
            i += 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile(r"\s*" + "".join(out) + r"\s*\Z")


def parse_timezone(name: str) -> dt.tzinfo:
    """'+07:00', 'UTC', 'Z' or an IANA name such as 'Asia/Jakarta'; ValueError when unknown."""
    text = name.strip()
    if text in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if m:
        delta = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return dt.timezone(-delta if m.group(1) == "-" else delta)
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not a time zone: write an offset such as +07:00 or a name such as "
                         "Asia/Jakarta") from None


def _offset(text: str) -> dt.tzinfo:
    """A zone written inside a time value: Z, +0700, +07:00, GMT+7, UTC."""
    try:
        return parse_timezone(text)
    except ValueError:
        raise ValueProblem(f"'{text}' is not a time zone this import knows (write times with an offset such as "
                           "+07:00 or GMT+7)") from None


class DateTimeParser:
    """Reads a date-time in ISO 8601 or one of the mapping's formats; naive times are in ``zone``.

    The result is an aware datetime in ``zone`` (seconds precision), so records carry the offset
    the organisation reads them in.
    """

    def __init__(self, formats: list[str], zone: dt.tzinfo) -> None:
        self.formats = list(formats)
        self.zone = zone
        self._compiled = [(fmt, _compile(fmt)) for fmt in self.formats]
        # ISO 8601 text (2026-03-05 14:30:00, 2026-03-05T07:30:00Z) is read by the fast standard parser
        # when ISO is what the mapping expects (no formats, or a year-month-day one).
        self.iso_first = not self.formats or any(f.startswith("%Y-%m-%d") for f in self.formats)

    def _finish(self, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            return value.replace(microsecond=0, tzinfo=self.zone)
        return value.astimezone(self.zone).replace(microsecond=0)

    def __call__(self, text: str) -> dt.datetime:
        text = text.strip()
        if self.iso_first and len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                return self._finish(dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text))
            except ValueError:
                pass
        for fmt, pattern in self._compiled:
            m = pattern.match(text)
            if m:
                return self._finish(self._build(m.groupdict(), text, fmt))
        if not self._compiled or text[:4].isdigit():
            try:
                return self._finish(dt.datetime.fromisoformat(text.replace("Z", "+00:00")
                                                              if text.endswith("Z") else text))
            except ValueError:
                pass
        raise ValueProblem(f"'{text}' is not a date and time written like {self.examples()}")

    def examples(self) -> str:
        """The accepted forms, shown as 5 March 2026 14:30 written in each."""
        sample = dt.datetime(2026, 3, 5, 14, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=7), "GMT+7"))
        forms = [sample.strftime(f) for f in self.formats] or [sample.isoformat()]
        return " or ".join(f"'{f}'" for f in dict.fromkeys(forms))

    def _build(self, g: dict[str, str | None], text: str, fmt: str) -> dt.datetime:
        try:
            if g.get("Y"):
                year = int(g["Y"])  # type: ignore[arg-type]
            elif g.get("y"):
                year = 2000 + int(g["y"])  # type: ignore[arg-type]
            else:
                raise ValueProblem(f"'{text}' has no year (format '{fmt}')")
            if g.get("b"):
                month = _MONTHS.get(g["b"].lower())  # type: ignore[union-attr]
                if month is None:
                    raise ValueProblem(f"'{g['b']}' in '{text}' is not a month name")
            else:
                month = int(g.get("m") or 1)
            day = int(g.get("d") or 1)
            minute = int(g.get("M") or 0)
            second = int(g.get("S") or 0)
            micro = int((g.get("f") or "0").ljust(6, "0"))
            if g.get("I"):
                hour = int(g["I"]) % 12  # type: ignore[arg-type]
                if (g.get("p") or "a").lower().startswith("p"):
                    hour += 12
            else:
                hour = int(g.get("H") or 0)
            tz = None
            zone_text = g.get("z") or g.get("Z")
            if zone_text:
                tz = _offset(zone_text)
            return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
        except ValueError as exc:
            if isinstance(exc, ValueProblem):
                raise
            raise ValueProblem(f"'{text}' is not a valid date and time: {exc}") from None


def parse_epoch(text: str, zone: dt.tzinfo) -> dt.datetime:
    """Seconds since 1970 (as Zabbix's API writes ``clock``)."""
    try:
        seconds = float(text)
    except ValueError:
        raise ValueProblem(f"'{text}' is not a number of seconds since 1970") from None
    return dt.datetime.fromtimestamp(int(seconds), tz=dt.timezone.utc).astimezone(zone)


_NUMBER = re.compile(r"^[-+]?(\d+([.,]\d*)?|[.,]\d+)$")
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\b")


def parse_number(text: str, leading: bool = False) -> int | float:
    """'4', '4.5', '4,5' (decimal comma); with ``leading``, the number a text starts with ('5 - Very satisfied')."""
    raw = text.strip()
    if leading:
        m = _LEADING_NUMBER.match(raw)
        raw = m.group(1) if m else raw
    if not _NUMBER.match(raw):
        raise ValueProblem(f"'{text}' is not a number")
    raw = raw.replace(",", ".")
    value = float(raw)
    return int(value) if value.is_integer() and "." not in raw else value


_TRUE = {"true", "yes", "y", "1", "ya", "on"}
_FALSE = {"false", "no", "n", "0", "tidak", "off", ""}


def parse_bool(text: str) -> bool:
    """'true', 'yes', '1', 'ya' / 'false', 'no', '0', 'tidak', empty."""
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueProblem(f"'{text}' is not yes or no (true/false, yes/no, 1/0)")


# Control characters (other than tab and new line) and lone surrogates cannot be written in YAML.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]*\r?\n")


def clean_text(text: str) -> str:
    """Text as a record keeps it: trimmed, Windows line ends made plain, characters YAML cannot hold removed."""
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub("", text)
    if "\n" in text:
        text = _SPACES.sub("\n", text)
    return text.strip()


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Phone numbers: a + or 0 and at least 8 more digits, with spaces, dots, dashes or brackets between.
_PHONE = re.compile(r"(?<![\w.])(?:\+|\b0)\d(?:[\s().-]?\d){7,14}\b")


def redact_personal(text: str) -> str:
    """Email addresses and phone numbers in free text replaced by '[email]' and '[phone]'."""
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)


Converter = Callable[[str], object]
