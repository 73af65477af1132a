"""Reading a posted answer: from the form's text to a stored value, or a plain-language message.

Messages are in the active language (gettext) and say what to do, with an example. They
never blame the respondent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mentorwijs.protocol import Item, Protocol

#: Longest answer to an open item, in characters.
MAX_TEXT = {"text": 500, "long_text": 5000}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Stored:
    """An answer as stored in ``study.Response``: a number or a text."""

    value: float | None
    text: str | None

    def for_conditions(self) -> object:
        """What ``show_if`` conditions compare: the number, else the text."""
        return self.value if self.value is not None else self.text


@dataclass(frozen=True)
class Cleaned:
    """The result of reading one item's posted answer.

    ``stored`` is None when the item was left empty (or is a note); ``error`` is the message
    shown next to the field; ``raw`` is what the respondent typed or chose, to show again.
    """

    stored: Stored | None
    error: str | None
    raw: tuple[str, ...]


def _fmt(x: float) -> str:
    text = f"{x:g}"
    return text.replace(".", ",") if (get_language() or "nl").startswith("nl") else text


def _number(text: str) -> float | None:
    t = text.strip().replace(" ", "")
    # Dutch writes a decimal comma; a point is read as a decimal point too.
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _range_message(item: Item) -> str:
    lo, hi = item.minimum, item.maximum
    if lo is not None and hi is not None:
        return _("Enter a number from %(low)s to %(high)s.") % {"low": _fmt(lo), "high": _fmt(hi)}
    if lo is not None:
        return _("Enter a number of %(low)s or more.") % {"low": _fmt(lo)}
    return _("Enter a number of %(high)s or less.") % {"high": _fmt(hi or 0)}


def _parse_date(text: str) -> date | None:
    t = text.strip()
    m = _DATE_ISO.match(t)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DATE_DMY.match(t)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _phone_ok(text: str) -> bool:
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+"):
        return digits[1:].isdigit() and 9 <= len(digits) - 1 <= 15
    return digits.isdigit() and len(digits) == 10 and digits.startswith("0")


def _closed(item: Item, protocol: Protocol, raw: tuple[str, ...]) -> Cleaned:
    allowed = {str(v): v for v in protocol.answer_scales[item.answer_scale or ""].values}
    chosen = [r for r in raw if r != ""]
    if any(r not in allowed for r in chosen) or (not item.multiple and len(chosen) > 1):
        return Cleaned(None, _("Choose one of the answers below."), raw)
    if not chosen:
        if not item.required:
            return Cleaned(None, None, raw)
        if item.multiple:
            return Cleaned(None, _("Choose at least one answer."), raw)
        return Cleaned(None, _("Choose an answer."), raw)
    if item.multiple:
        values = sorted({allowed[r] for r in chosen})
        return Cleaned(Stored(None, ";".join(str(v) for v in values)), None, raw)
    return Cleaned(Stored(float(allowed[chosen[0]]), None), None, raw)


def _open(item: Item, raw: tuple[str, ...]) -> Cleaned:
    text = (raw[0] if raw else "").strip()
    if text == "":
        return Cleaned(None, _("Please fill this in.") if item.required else None, raw)
    if "\x00" in text:  # only a tampered form sends one; PostgreSQL cannot store it
        return Cleaned(None, str(ProhibitNullCharactersValidator.message), raw)
    kind = item.type
    if kind in ("integer", "number"):
        x = _number(text)
        if x is None or (kind == "integer" and x != int(x)):
            msg = (
                _("Enter a whole number, such as 3.")
                if kind == "integer"
                else _("Enter a number, such as 2 or 2.5.")
            )
            return Cleaned(None, msg, raw)
        if (item.minimum is not None and x < item.minimum) or (
            item.maximum is not None and x > item.maximum
        ):
            return Cleaned(None, _range_message(item), raw)
        return Cleaned(Stored(x, None), None, raw)
    if kind == "date":
        day = _parse_date(text)
        if day is None:
            return Cleaned(None, _("Enter a date as day-month-year, such as 31-12-2025."), raw)
        return Cleaned(Stored(None, day.isoformat()), None, raw)
    limit = MAX_TEXT.get(kind or "text", MAX_TEXT["text"])
    if len(text) > limit:
        return Cleaned(
            None, _("Your answer is too long: use at most %(n)s characters.") % {"n": limit}, raw
        )
    check = item.validation
    if check == "email" and not _EMAIL.match(text):
        return Cleaned(None, _("Enter an e-mail address, such as name@example.nl."), raw)
    if check == "phone" and not _phone_ok(text):
        return Cleaned(None, _("Enter a phone number of 10 digits, such as 06 12345678."), raw)
    if check == "postcode":
        if not _POSTCODE.match(text):
            return Cleaned(None, _("Enter a postcode, such as 1234 AB."), raw)
        text = f"{text[:4]} {text[-2:].upper()}"
    return Cleaned(Stored(None, text), None, raw)


def clean_answer(item: Item, protocol: Protocol, raw: list[str]) -> Cleaned:
    """Read the posted values of one item.

    Parameters
    ----------
    item
        The item on the page.
    protocol
        The protocol (for the item's answer scale).
    raw
        The posted values of the item's field (``request.POST.getlist(code)``).

    Returns
    -------
    Cleaned
        The value to store (None for empty), or a message for the respondent.
    """
    values = tuple(raw)
    if not item.has_answer:
        return Cleaned(None, None, values)
    if item.answer_scale is not None:
        return _closed(item, protocol, values)
    return _open(item, values)
