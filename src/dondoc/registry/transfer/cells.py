"""Reading one cell as a user types it into Excel (text, whole number, date, yes/no, a list of names),
and `_key`, the folding on which headers, sheet titles and enumeration values are matched."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from dondoc.text import fold, nfc


def _key(text: str) -> str:
    """Folded words only, so 'Sở, ban, ngành', 'so ban nganh' and 'SO-BAN-NGANH' meet."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


class CellError(Exception):
    """A cell's value cannot be read; the message is for the user."""


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value)).strip()


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": _text(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": number})
    return number


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO_DATE.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise CellError(_("'%(value)s' is not a date; write it as dd/mm/yyyy") % {"value": text})


_YES = {"x", "có", "co", "1", "true", "yes", "đúng"}
_NO = {"", "không", "khong", "0", "false", "no", "sai"}


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES or text in _NO:
        return text in _YES
    raise CellError(
        _("'%(value)s' is neither yes (x, có) nor no (không, or empty)") % {"value": _text(value)}
    )


def _names(value: object) -> list[str]:
    return [name for part in _text(value).split(";") if (name := part.strip())]
