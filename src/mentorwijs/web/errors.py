"""Named errors of the web layer (no Django imports here, so the CLI can catch them)."""


class WebError(Exception):
    """Base class of the web layer's errors: ``str(exc)`` in English, ``message_nl`` in Dutch."""

    message_nl: str = ""


class StudyDataPresentError(WebError):
    """The database already holds study data and ``replace`` was not asked for."""

    message_nl = (
        "de database bevat al studiegegevens; gebruik --replace om ze te vervangen "
        "(dat verwijdert de studiegegevens die nu in de database staan)"
    )

    def __init__(self) -> None:
        super().__init__(
            "the database already holds study data; use --replace to replace it "
            "(this deletes the study data now in the database)"
        )


class RegistryError(WebError):
    """A registry rule refused a change; ``str(exc)`` in English, ``message_nl`` in Dutch."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.message_nl = nl


class GroupFullError(RegistryError):
    """Enrolling would take a training group past its capacity."""

    def __init__(self, group: str, capacity: int) -> None:
        super().__init__(
            f"group {group} has room for {capacity} supervisors; enrol fewer or raise its capacity",
            f"groep {group} heeft plaats voor {capacity} leidinggevenden; schrijf er minder in "
            "of verhoog de capaciteit",
        )


class NotInRegionError(RegistryError):
    """A supervisor or organisation of another region was offered to a group."""

    def __init__(self, what: str, region: str) -> None:
        super().__init__(
            f"{what} does not belong to region {region}",
            f"{what} hoort niet bij regio {region}",
        )


class AlreadyEnrolledError(RegistryError):
    """The supervisor is already enrolled in another training group."""

    def __init__(self, supervisor: str, group: str) -> None:
        super().__init__(
            f"supervisor {supervisor} is already enrolled in group {group}",
            f"leidinggevende {supervisor} is al ingeschreven in groep {group}",
        )


class NotEnrolledError(RegistryError):
    """Attendance was offered for a supervisor who is not in the meeting's group."""

    def __init__(self, supervisor: str, group: str) -> None:
        super().__init__(
            f"supervisor {supervisor} is not enrolled in group {group}",
            f"leidinggevende {supervisor} is niet ingeschreven in groep {group}",
        )


class ImportRowsError(WebError):
    """An import file has rows that cannot be stored; nothing was stored."""

    message_nl = "het bestand bevat fouten; er is niets opgeslagen"

    def __init__(self, problems: list[object]) -> None:
        super().__init__("the file has errors; nothing was stored")
        self.problems = problems


class ImportFileError(RegistryError):
    """An uploaded file cannot be read as a table (wrong type, empty, unreadable, too big)."""


class SupervisorNotAtEmployerError(RegistryError):
    """A placement names a supervisor who does not work for its employer."""

    def __init__(self, supervisor: str, employer: str) -> None:
        super().__init__(
            f"supervisor {supervisor} does not work for employer {employer}",
            f"leidinggevende {supervisor} werkt niet bij werkgever {employer}",
        )


class PlacementDatesError(RegistryError):
    """A placement would end before it starts."""

    def __init__(self) -> None:
        super().__init__(
            "a placement cannot end before it starts",
            "een plaatsing kan niet eindigen voordat ze begint",
        )


class NoDatabaseError(WebError):
    """The configured database does not exist or cannot be reached."""

    def __init__(self, database: str) -> None:
        super().__init__(
            f"no database to read from ({database}): set MENTORWIJS_DATABASE_URL, load a study "
            "with `mentorwijs load DIR`, or export from a package with --package DIR"
        )
        self.message_nl = (
            f"geen database om uit te lezen ({database}): zet MENTORWIJS_DATABASE_URL, laad een "
            "studie met `mentorwijs load MAP`, of exporteer uit een pakket met --package MAP"
        )


class EmptyDatabaseError(WebError):
    """The database holds no study yet."""

    message_nl = (
        "de database bevat nog geen studie: laad er een met `mentorwijs load MAP`, of "
        "exporteer uit een pakket met --package MAP"
    )

    def __init__(self) -> None:
        super().__init__(
            "the database holds no study yet: load one with `mentorwijs load DIR`, or export "
            "from a package with --package DIR"
        )


class IdentityKeyError(WebError):
    """The identity key is missing, malformed, unsafe, or does not open the stored values."""

    def __init__(self, source: str, problem: str) -> None:
        problems_nl = {
            "it holds no key": "er staat geen sleutel in",
            "a key is not a Fernet key (32 bytes, base64)": (
                "een sleutel is geen Fernet-sleutel (32 bytes, base64)"
            ),
            "it does not open a stored value": "hij opent een opgeslagen waarde niet",
            "a key from the environment is changed there: put the new key first, run this "
            "command, then remove the old key": "een sleutel uit de omgeving verander je daar: "
            "zet de nieuwe sleutel vooraan, voer deze opdracht uit en haal dan de oude weg",
        }
        nl = problems_nl.get(problem, problem)
        if problem.startswith("its permissions are"):
            mode = problem.split()[3].rstrip(";")
            nl = f"de rechten zijn {mode}; voer chmod 600 uit op het bestand"
        super().__init__(
            f"identity key ({source}): {problem}; see docs/security.md, 'Key management'"
        )
        self.message_nl = (
            f"identiteitssleutel ({source}): {nl}; zie docs/security.md, 'Sleutelbeheer'"
        )


class BackupError(RegistryError):
    """A backup could not be written or restored; the message says why and what to do."""
