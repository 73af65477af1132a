"""Reading transcripts (.txt, .docx, .odt), numbering their sentences, spotting contact data.

Plain Python without Django: the text of a file, the sentences of a text, and the places
that look like an e-mail address or a phone number (which a pseudonymised transcript should
not hold; the upload warns and does not refuse, since the researcher decides).

A transcript's unit of coding is the sentence: every non-empty line is a paragraph, and a
paragraph is cut after ``.``, ``!``, ``?`` or ``…`` (and a closing quote or bracket) that is
followed by white space and a character that is not a lower-case letter. So "bijv. een" and
"o.a. de" stay together, "Ja. Dat" is two sentences.
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from mentorwijs.web.interviews.errors import TranscriptFileError

MAX_BYTES = 5 * 1024 * 1024
#: Largest unpacked XML part of a .docx or .odt we open (guards against zip bombs).
MAX_UNPACKED = 60 * 1024 * 1024
EXTENSIONS = (".txt", ".docx", ".odt")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:\(0\)[\s-]?)?[1-9](?:[\s-]?\d){8}(?!\d)"
    r"|(?<![\w+])\+(?!31)\d{2}(?:[\s-]?\d){7,12}(?!\d)"
)


def _error(en: str, nl: str) -> TranscriptFileError:
    return TranscriptFileError(en, nl)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\u00a0", " ").replace("\t", " "))
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _read_txt(data: bytes) -> str:
    if b"\x00" in data:
        raise _error(
            "this .txt file holds binary data, not text: save the transcript as plain text",
            "dit .txt-bestand bevat binaire gegevens, geen tekst: sla het transcript op als "
            "platte tekst",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _error(
            "this .txt file is neither UTF-8 nor Windows-1252 text: save it as UTF-8",
            "dit .txt-bestand is geen UTF-8- of Windows-1252-tekst: sla het op als UTF-8",
        ) from exc


def _zip_part(data: bytes, part: str, kind: str) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    broken = _error(
        f"this {kind} file is damaged or not a {kind} file: open it in your word processor "
        "and save it again",
        f"dit {kind}-bestand is beschadigd of geen {kind}-bestand: open het in uw "
        "tekstverwerker en sla het opnieuw op",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo(part)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise broken from exc
    if info.file_size > MAX_UNPACKED:
        raise _error(
            f"this {kind} file unpacks to more than 60 MB of text",
            f"dit {kind}-bestand pakt uit tot meer dan 60 MB tekst",
        )
    return archive, info


def _read_docx(data: bytes) -> str:
    import docx
    from docx.table import Table

    _zip_part(data, "word/document.xml", ".docx")
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = [c.text.strip() for c in row.cells]
                    lines.append(" ".join(dict.fromkeys(c for c in cells if c)))
            else:
                lines.append(block.text)
    except Exception as exc:  # python-docx raises many kinds on a broken file
        raise _error(
            "this .docx file is damaged: open it in Word and save it again",
            "dit .docx-bestand is beschadigd: open het in Word en sla het opnieuw op",
        ) from exc
    return "\n".join(lines)


def _odt_text(el: ET.Element) -> str:
    """The text of an ODF paragraph, with spaces, tabs and line breaks, without notes."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{{{_TEXT_NS}}}s":
            parts.append(" " * int(child.get(f"{{{_TEXT_NS}}}c", "1")))
        elif tag == f"{{{_TEXT_NS}}}tab":
            parts.append(" ")
        elif tag == f"{{{_TEXT_NS}}}line-break":
            parts.append("\n")
        elif tag not in (f"{{{_TEXT_NS}}}note", f"{{{_OFFICE_NS}}}annotation"):
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _read_odt(data: bytes) -> str:
    archive, info = _zip_part(data, "content.xml", ".odt")
    try:
        mimetype = archive.read("mimetype").strip() if "mimetype" in archive.namelist() else b""
        content = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error(
            "this .odt file is damaged: open it and save it again",
            "dit .odt-bestand is beschadigd: open het en sla het opnieuw op",
        ) from exc
    if mimetype and mimetype != ODT_MIMETYPE:
        raise _error(
            "this OpenDocument file is not a text document (.odt)",
            "dit OpenDocument-bestand is geen tekstdocument (.odt)",
        )
    if b"<!DOCTYPE" in content[:4096] or b"<!ENTITY" in content:
        raise _error("this .odt file holds a DOCTYPE", "dit .odt-bestand bevat een DOCTYPE")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise _error(
            "this .odt file is damaged (its content cannot be read)",
            "dit .odt-bestand is beschadigd (de inhoud is niet te lezen)",
        ) from exc
    lines: list[str] = []

    def walk(el: ET.Element) -> None:
        if el.tag in (f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"):
            lines.append(_odt_text(el))
        elif el.tag not in (f"{{{_TEXT_NS}}}note", f"{{{_OFFICE_NS}}}annotation"):
            for child in el:
                walk(child)

    walk(root)
    return "\n".join(lines)


def transcript_size_check(*, name: str, size: int) -> None:
    """Refuse a file larger than 5 MB before reading it (TranscriptFileError)."""
    if size > MAX_BYTES:
        raise _error(
            f"{name} is larger than 5 MB: a transcript is text, so save it without pictures",
            f"{name} is groter dan 5 MB: een transcript is tekst, sla het op zonder afbeeldingen",
        )


def transcript_read(*, name: str, data: bytes) -> str:
    """The text of an uploaded transcript, normalised.

    Parameters
    ----------
    name
        The file's name; its extension chooses the reader (.txt, .docx or .odt).
    data
        The file's bytes, at most 5 MB.

    Returns
    -------
    str
        NFC text with ``\\n`` line ends, one paragraph a line, blank lines kept single,
        runs of spaces made one.

    Raises
    ------
    TranscriptFileError
        Wrong type, too big, empty, damaged, or not decodable; the message says what to do,
        in Dutch and English.
    """
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EXTENSIONS:
        raise _error(
            f"{name or 'this file'} is not a .txt, .docx or .odt file",
            f"{name or 'dit bestand'} is geen .txt-, .docx- of .odt-bestand",
        )
    transcript_size_check(name=name, size=len(data))
    if not data:
        raise _error(f"{name} is empty", f"{name} is leeg")
    reader = {".txt": _read_txt, ".docx": _read_docx, ".odt": _read_odt}[ext]
    text = _normalise(reader(data))
    if not text:
        raise _error(f"{name} holds no text", f"{name} bevat geen tekst")
    return text


@dataclass(frozen=True)
class Sentence:
    """A numbered sentence: ``text == transcript[start:end]``; ``paragraph`` counts from 1."""

    no: int
    start: int
    end: int
    paragraph: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """The transcript cut into numbered sentences (see the module's rule).

    Examples
    --------
    >>> [s.text for s in sentences("I: Hoe ging het? R: Goed, bijv. met de planning.")]
    ['I: Hoe ging het?', 'R: Goed, bijv. met de planning.']
    """
    out: list[Sentence] = []
    paragraph = 0
    offset = 0
    for line in text.split("\n"):
        base, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        begin = 0
        for match in _END.finditer(line):
            after = match.end()
            if after < len(line) and line[after].islower():
                continue
            piece = line[begin:after].rstrip()
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(
                    Sentence(len(out) + 1, base + begin + lead, base + begin + len(piece),
                             paragraph, piece.strip())
                )  # fmt: skip
            begin = after
        piece = line[begin:].rstrip()
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(
                Sentence(len(out) + 1, base + begin + lead, base + begin + len(piece),
                         paragraph, piece.strip())
            )  # fmt: skip
    return out


@dataclass(frozen=True)
class ContactHint:
    """A place in the transcript that looks like contact data: ``kind`` is email or phone."""

    kind: str
    sentence: int


def contact_hints(text: str) -> list[ContactHint]:
    """Sentences that hold something like an e-mail address or a Dutch phone number.

    Examples
    --------
    >>> [(h.kind, h.sentence) for h in contact_hints("Bel 06-12345678. Of mail a@b.nl.")]
    [('phone', 1), ('email', 2)]
    """
    hints = []
    for s in sentences(text):
        if EMAIL.search(s.text):
            hints.append(ContactHint("email", s.no))
        if PHONE.search(EMAIL.sub(" ", s.text)):
            hints.append(ContactHint("phone", s.no))
    return hints
