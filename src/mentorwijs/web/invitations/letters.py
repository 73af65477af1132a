"""Printable letters for respondents without e-mail: A4 PDF (Typst) with the link as QR code.

The QR code is an SVG made by ``segno`` (pure Python); Typst typesets the letter with its
embedded fonts, as the reports do. The letter is the only place the person's name and postal
address are printed.

No letter is kept on disk: a letter holds a name, an address and a working personal link,
so it is typeset in memory when staff download it (the Typst source and the QR code go to
Typst as bytes, never through a file), from the registry's identity and the link, with the
date it was made ready. Older versions kept letters as files in ``outbox/`` in the data
folder; :func:`outbox_purge` removes what is left of them (docs/questionnaires.md).
"""

from __future__ import annotations

import io
import shutil

import segno
import typst
from django.utils import formats, translation
from django.utils.translation import gettext as _

from mentorwijs.web.invitations.people import Contact
from mentorwijs.web.settings import data_dir

#: Where older versions kept letters (``outbox/`` in the data folder).
OUTBOX = "outbox"


def outbox_purge() -> int:
    """Remove the letters older versions left in ``outbox/``; returns how many PDFs went.

    The letters can all be typeset again on demand, so nothing is lost.
    """
    path = data_dir() / OUTBOX
    if not path.is_dir():
        return 0
    removed = sum(1 for p in path.rglob("*.pdf") if p.is_file())
    shutil.rmtree(path)
    return removed


def _s(text: str) -> str:
    """A Typst string literal in markup that shows ``text`` as it is."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qr_svg(url: str) -> str:
    """The link as a QR code in SVG (error correction level M, quiet zone of 4 modules)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=4, border=4)
    return buffer.getvalue().decode("utf-8")


def _paragraphs(context: dict, contact: Contact) -> list[str]:
    name = contact.name
    greeting = _("Dear %(name)s,") % {"name": name} if name else _("Hello,")
    if context["reminder"]:
        body = (
            _(
                "A little while ago we asked you to fill in the Mentorwijs questionnaire "
                "(%(wave)s). We have not received your answers yet. Would you still like to "
                "take part?"
            )
            % context
        )
    else:
        body = (
            _(
                "You take part in the Mentorwijs study. We would like to ask you a few questions "
                "(%(wave)s). It takes about 15 minutes."
            )
            % context
        )
    how = _(
        "Scan the square code below with the camera of your phone. Or type the address below "
        "into the browser of a computer. You can stop and carry on later."
    )
    day = formats.date_format(context["expires_on"], "j F Y")
    personal = _("This letter is personal. The address works until %(day)s.") % {"day": day}
    voluntary = _(
        "Taking part is voluntary. On the first page you can say that you do not want to take "
        "part; then you will not hear from us again."
    )
    questions = _("Questions? Write to %(contact)s.") % context
    return [greeting, body, how, personal, voluntary, questions]


_PREAMBLE = [
    '#set document(title: "Mentorwijs", author: "Mentorwijs")',
    '#set page(paper: "a4", margin: (left: 2.5cm, right: 2.5cm, top: 2cm, bottom: 2cm))',
    '#set text(font: "Libertinus Serif", size: 12pt)',
    "#set par(justify: false, leading: 0.75em)",
]


def _letter_lines(*, context: dict, contact: Contact, lang: str, qr_input: str) -> list[str]:
    with translation.override(lang):
        paragraphs = _paragraphs(context, contact)
        title = (
            _("Reminder: the Mentorwijs questionnaire")
            if context["reminder"]
            else _("Invitation: the Mentorwijs questionnaire")
        )
        scan = _("Scan with your phone")
        regards = _("Kind regards,")
        team = _("The Mentorwijs research team")
        today = formats.date_format(context["today"], "j F Y")
    address = [contact.name, *[x.strip() for x in contact.postal_address.splitlines()]]
    address = [x for x in address if x]
    lines = [
        f'#set text(lang: "{lang}")',
        '#text(size: 16pt, weight: "bold")[Mentorwijs]',
        # The address block sits where a window envelope shows it (about 5 cm from the top).
        "#place(top + left, dy: 3cm)[#block(width: 9cm)["
        + " \\ ".join(_s(x) for x in address)
        + "]]",
        "#v(5.2cm)",
        f"#align(right)[{_s(today)}]",
        f'#text(size: 14pt, weight: "bold")[{_s(title)}]',
        "",
    ]
    for i, text in enumerate(paragraphs):
        lines.append(_s(text))
        lines.append("")
        if i == 2:
            lines.append(
                f'#align(center)[#image(bytes(sys.inputs.{qr_input}), format: "svg", '
                f"width: 5cm) \\ #text(size: 10pt)[{_s(scan)}]]"
            )
            lines.append(
                f'#align(center)[#text(font: "DejaVu Sans Mono", size: 10pt)[{_s(context["url"])}]]'
            )
            lines.append("")
    lines.append(f"{_s(regards)} \\ {_s(team)}")
    return lines


def letters_pdf(items: list[tuple[dict, Contact, str]]) -> bytes:
    """One or more letters, each on its own page(s), as one PDF (typeset in memory).

    Parameters
    ----------
    items
        ``(context, contact, language)`` per letter, ``context`` as for the e-mail plus
        ``today`` (the letter's date).

    Returns
    -------
    bytes
        The PDF. Nothing is written to disk: the source and the QR codes are handed to
        Typst as bytes and ``sys.inputs``.
    """
    lines = list(_PREAMBLE)
    codes: dict[str, str] = {}
    for i, (context, contact, lang) in enumerate(items):
        qr_input = f"qr{i}"
        codes[qr_input] = qr_svg(context["url"])
        if i:
            lines.append("#pagebreak()")
        lines.append("#[")
        lines += _letter_lines(context=context, contact=contact, lang=lang, qr_input=qr_input)
        lines.append("]")
    return typst.compile(
        "\n".join(lines).encode("utf-8"), ignore_system_fonts=True, sys_inputs=codes
    )
