"""What each kind of import file holds: its fields, how a cell is read, what names it may have.

Values are read the way coordinators write them: ``ja``/``nee`` as well as ``yes``/``no``,
``17-03-2025`` as well as ``2025-03-17``, ``werkgever`` as well as ``employer``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0", ""}


class CellError(ValueError):
    """A cell that cannot be read; the message is for the person who wrote the file."""


@dataclass(frozen=True)
class Field:
    """One field of an import kind.

    ``parse`` is ``text``, ``email``, ``int``, ``bool``, ``date``, ``time``, ``choice`` or
    ``ref`` (a reference to something already registered, resolved by the service).
    ``choices`` maps each code to the other spellings accepted for it.
    """

    name: str
    label: Promise
    parse: str = "text"
    required: bool = False
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    aliases: tuple[str, ...] = ()


NAME = Field("name", _("Name"), required=True, aliases=("naam", "volledige naam", "full name"))
EMAIL = Field(
    "email", _("E-mail address"), "email", aliases=("e-mail", "email", "mail", "e-mailadres")
)
PHONE = Field("phone", _("Phone number"), aliases=("telefoon", "telefoonnummer", "tel", "phone"))
ADDRESS = Field("postal_address", _("Postal address"), aliases=("adres", "postadres", "address"))
SEX = Field(
    "sex",
    _("Sex"),
    "choice",
    choices=(
        ("f", ("v", "vrouw", "woman", "female")),
        ("m", ("man", "male")),
        ("x", ("anders", "other")),
    ),
    aliases=("geslacht", "gender"),
)
SECTOR = Field(
    "sector",
    _("Sector"),
    "choice",
    choices=(
        ("public", ("overheid", "publiek")),
        ("industry", ("industrie",)),
        ("retail", ("detailhandel", "winkel")),
        ("care", ("zorg",)),
        ("hospitality", ("horeca",)),
        ("services", ("dienstverlening", "diensten")),
        ("agriculture", ("landbouw", "groen")),
        ("construction", ("bouw",)),
        ("logistics", ("logistiek", "transport")),
        ("other", ("overig", "anders")),
    ),
)

#: How the person is addressed (``registry.preferences``); empty cells: Dutch, standard.
LANGUAGE = Field(
    "language",
    _("Preferred language"),
    "choice",
    choices=(
        ("nl", ("nederlands", "dutch", "ned", "nld")),
        ("en", ("engels", "english", "eng")),
    ),
    aliases=("taal", "voorkeurstaal", "language", "preferred language"),
)
EASY_READ = Field(
    "easy_read",
    _("Easy-read mode"),
    "bool",
    aliases=("makkelijk lezen", "eenvoudig lezen", "easy read", "easy-read"),
)

KINDS: dict[str, tuple[Field, ...]] = {
    "organisations": (
        NAME,
        Field(
            "kind",
            _("Kind"),
            "choice",
            required=True,
            choices=(
                ("employer", ("werkgever", "bedrijf")),
                ("municipality", ("gemeente",)),
                ("provider", ("trainingsaanbieder", "aanbieder", "training provider")),
            ),
            aliases=("soort", "type"),
        ),
        SECTOR,
        Field(
            "size_class",
            _("Size"),
            "choice",
            choices=(
                ("small", ("klein",)),
                ("medium", ("middel", "middelgroot")),
                ("large", ("groot",)),
            ),
            aliases=("grootte", "omvang", "size"),
        ),
        Field(
            "sheltered",
            _("Sheltered work"),
            "bool",
            aliases=("sw", "sociale werkvoorziening", "beschut"),
        ),
        EMAIL,
        PHONE,
        ADDRESS,
    ),
    "supervisors": (
        NAME,
        EMAIL,
        PHONE,
        ADDRESS,
        Field(
            "organisation",
            _("Employer"),
            "ref",
            required=True,
            aliases=("werkgever", "bedrijf", "organisatie", "organisation", "employer"),
        ),
        SEX,
        Field("age", _("Age"), "int", minimum=16, maximum=80, aliases=("leeftijd",)),
        Field(
            "years_experience",
            _("Years of experience"),
            "int",
            minimum=0,
            maximum=60,
            aliases=("jaren ervaring", "ervaring"),
        ),
        Field(
            "employees_guided",
            _("Employees guided"),
            "int",
            minimum=0,
            maximum=1000,
            aliases=("aantal medewerkers", "medewerkers begeleid"),
        ),
        LANGUAGE,
        EASY_READ,
    ),
    "employees": (
        NAME,
        EMAIL,
        PHONE,
        ADDRESS,
        Field(
            "supervisor",
            _("Supervisor"),
            "ref",
            required=True,
            aliases=("leidinggevende", "begeleider", "supervisor"),
        ),
        SEX,
        Field("age", _("Age"), "int", minimum=15, maximum=80, aliases=("leeftijd",)),
        Field(
            "disability",
            _("Disability"),
            "choice",
            choices=(
                ("intellectual", ("verstandelijk", "lvb")),
                ("psychological", ("psychisch",)),
                ("physical", ("lichamelijk", "fysiek")),
                ("low_education", ("laaggeletterd", "leerachterstand", "laag opgeleid")),
                ("other", ("overig", "anders")),
            ),
            aliases=("beperking", "arbeidsbeperking"),
        ),
        Field(
            "consent_questionnaire",
            _("Consent to the questionnaire"),
            "bool",
            required=True,
            aliases=("toestemming vragenlijst",),
        ),
        Field(
            "consent_register",
            _("Consent to register linkage"),
            "bool",
            required=True,
            aliases=("toestemming koppeling", "toestemming cbs"),
        ),
        LANGUAGE,
        EASY_READ,
    ),
    "training_groups": (
        Field(
            "provider",
            _("Training provider"),
            "ref",
            required=True,
            aliases=("aanbieder", "trainingsaanbieder"),
        ),
        Field(
            "trainer_1",
            _("First trainer"),
            "ref",
            required=True,
            aliases=("trainer 1", "trainer1", "trainer"),
        ),
        Field("trainer_2", _("Second trainer"), "ref", aliases=("trainer 2", "trainer2")),
        Field(
            "mode",
            _("Mode"),
            "choice",
            required=True,
            choices=(
                ("in_person", ("fysiek", "op locatie", "in person")),
                ("online", ("digitaal",)),
            ),
            aliases=("vorm", "werkvorm"),
        ),
        Field(
            "capacity",
            _("Places"),
            "int",
            required=True,
            minimum=8,
            maximum=18,
            aliases=("plaatsen", "capaciteit"),
        ),
        Field(
            "start_date",
            _("Date of meeting 1"),
            "date",
            required=True,
            aliases=("startdatum", "datum", "start"),
        ),
        Field("start_time", _("Start time"), "time", aliases=("tijd", "aanvang", "begintijd")),
        Field("place", _("Place"), aliases=("plaats", "locatie", "adres")),
    ),
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def mapping_guess(*, kind: str, header: list[str]) -> dict[str, str]:
    """field name → the header that most likely holds it ('' when none matches)."""
    keys = {_key(h): h for h in header}
    out = {}
    for field in KINDS[kind]:
        names = [field.name, str(field.label), *field.aliases]
        with_en = [*names, *(str(gettext(str(n))) for n in names)]
        out[field.name] = next((keys[_key(n)] for n in with_en if _key(n) in keys), "")
    return out


def cell_parse(field: Field, raw: str) -> Any:
    """The value of one cell, or None when empty; raises ``CellError`` in plain words."""
    value = raw.strip()
    if value == "":
        if field.required:
            raise CellError(gettext("Fill in “%(field)s”.") % {"field": field.label})
        return False if field.parse == "bool" else None
    if field.parse == "email":
        try:
            validate_email(value)
        except ValidationError:
            raise CellError(
                gettext("“%(value)s” is not an e-mail address.") % {"value": value}
            ) from None
        return value
    if field.parse == "int":
        return _int(field, value)
    if field.parse == "bool":
        if value.lower() in YES:
            return True
        if value.lower() in NO:
            return False
        raise CellError(gettext("“%(value)s” is not yes or no (ja/nee).") % {"value": value})
    if field.parse == "date":
        return _date(value)
    if field.parse == "time":
        try:
            return time.fromisoformat(value.replace(".", ":").zfill(5))
        except ValueError:
            raise CellError(
                gettext("“%(value)s” is not a time; write it as 19:00.") % {"value": value}
            ) from None
    if field.parse == "choice":
        for code, spellings in field.choices:
            if value.lower() in {code, *spellings}:
                return code
        options = ", ".join(
            spellings[0] if spellings else code for code, spellings in field.choices
        )
        raise CellError(
            gettext("“%(value)s” is not one of the options: %(options)s.")
            % {"value": value, "options": options}
        )
    return value


def _int(field: Field, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CellError(gettext("“%(value)s” is not a whole number.") % {"value": value}) from None
    low, high = field.minimum, field.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise CellError(
            gettext("“%(field)s” must be between %(low)s and %(high)s; it is %(value)s.")
            % {"field": field.label, "low": low, "high": high, "value": number}
        )
    return number


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CellError(
        gettext("“%(value)s” is not a date; write it as 17-03-2025 or 2025-03-17.")
        % {"value": value}
    )
