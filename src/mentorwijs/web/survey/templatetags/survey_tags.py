"""Template tags of the answering pages.

``{% question field %}`` writes one question of a page: a closed question as a ``fieldset``
with the question as ``legend`` and a real radio button or check box per answer, inside its
label with the visible text and, in easy-read mode, the decorative pictogram (``alt=""``);
an open question as a labelled input; a note as text. Hint and message are tied to the
inputs with ``aria-describedby``. It is Python rather than template markup because the
questions are the bulk of every page and the answering pages are the busiest of the site
(benchmarks/answering.py): this renders a page of eight questions several times faster.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mentorwijs.web.survey.pages import Field

register = template.Library()

#: Attributes of the input of each open item type.
_INPUT = {
    "date": ' type="date"',
    "integer": ' type="text" inputmode="numeric" class="short"',
    "number": ' type="text" inputmode="decimal" class="short"',
}


def _options(f: Field) -> str:
    kind, name = escape(f.kind), escape(f.code)
    parts = []
    for o in f.options:
        picture = (
            f'<img src="{escape(o.pictogram_url)}" alt="" width="56" height="56">'
            if o.pictogram
            else ""
        )
        checked = " checked" if o.checked else ""
        parts.append(
            f'<label class="option" for="{escape(o.input_id)}"><input type="{kind}" '
            f'name="{name}" id="{escape(o.input_id)}" value="{escape(o.value)}"{checked}>'
            f"{picture}<span data-read>{escape(o.label)}</span></label>"
        )
    return "\n".join(parts)


def _head(f: Field) -> tuple[str, str]:
    """The question's text (with "you may skip this") and its hint and message lines."""
    text = f"<span data-read>{escape(f.text)}</span>"
    if not f.required:
        text += f' <span class="optional">{escape(_("(you may skip this)"))}</span>'
    lines = ""
    if f.hint:
        lines += f'<p class="help" id="{escape(f.hint_id)}">{escape(f.hint)}</p>'
    if f.error:
        lines += (
            f'<p class="error" id="{escape(f.error_id)}"><span class="visually-hidden">'
            f"{escape(_('Error:'))} </span>{escape(f.error)}</p>"
        )
    return text, lines


@register.simple_tag
def question(f: Field) -> SafeString:
    """One question (or note) of a page, as HTML."""
    if f.kind == "note":
        return mark_safe(f'<div class="note" data-read>{linebreaks(f.text, autoescape=True)}</div>')
    text, lines = _head(f)
    error = " has-error" if f.error else ""
    described = f' aria-describedby="{escape(f.describedby)}"' if f.describedby else ""
    if f.kind in ("radio", "checkbox"):
        classes = "question" + error + (" compact" if f.compact else "")
        classes += " with-pictograms" if f.pictograms else ""
        return mark_safe(  # every value is escaped above
            f'<fieldset class="{classes}"{described}><legend class="q">{text}</legend>'
            f'{lines}<div class="options">\n{_options(f)}\n</div></fieldset>'
        )
    attrs = f'name="{escape(f.code)}" id="{escape(f.input_id)}"{described}'
    attrs += (' aria-invalid="true"' if f.error else "") + (" required" if f.required else "")
    if f.kind == "long_text":
        field = f'<textarea {attrs} rows="5">{escape(f.value)}</textarea>'
    else:
        kind = _INPUT.get(f.kind, ' type="text"')
        field = f'<input {attrs} value="{escape(f.value)}"{kind} autocomplete="off">'
    return mark_safe(  # every value is escaped above
        f'<div class="question field{error}"><label class="q" for="{escape(f.input_id)}">'
        f"{text}</label>{lines}{field}</div>"
    )
