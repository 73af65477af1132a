"""What one questionnaire page shows and what its form sends back (no database here).

Shared by the respondent's pages and the staff preview: the fields of a page with their
answers, reading a posted page into answers and messages, and moving between the visible
pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.http import QueryDict
from django.templatetags.static import static
from django.utils.translation import gettext as _

from mentorwijs.protocol import Item
from mentorwijs.web.survey.answers import Key, condition_answers
from mentorwijs.web.survey.plan import Page, Plan
from mentorwijs.web.survey.validation import Cleaned, Stored, clean_answer

#: Names of the pictograms drawn in ``survey/static/survey/pictograms/``.
PICTOGRAMS = frozenset({"smiley_1", "smiley_2", "smiley_3", "smiley_4", "smiley_5", "yes", "no"})


@dataclass
class Option:
    """One answer of a closed item, ready for the template."""

    value: str
    label: str
    input_id: str
    checked: bool
    pictogram: str | None = None

    @property
    def pictogram_url(self) -> str:
        return static(f"survey/pictograms/{self.pictogram}.svg") if self.pictogram else ""


@dataclass
class Field:
    """One item of a page, ready for the template."""

    code: str
    kind: str  # radio, checkbox, integer, number, text, long_text, date, note
    text: str
    required: bool
    input_id: str
    value: str = ""
    error: str | None = None
    hint: str = ""
    options: list[Option] = field(default_factory=list)
    compact: bool = False  # a row of short answers (0 to 10), not a list
    pictograms: bool = False

    @property
    def error_id(self) -> str:
        return f"{self.input_id}-error"

    @property
    def hint_id(self) -> str:
        return f"{self.input_id}-hint"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.hint else []
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)


def _show_number(x: float, lang: str) -> str:
    text = str(int(x)) if x == int(x) else f"{x:g}"
    return text.replace(".", ",") if lang == "nl" else text


def _hint(item: Item, lang: str) -> str:
    lo, hi = item.minimum, item.maximum
    if item.type in ("integer", "number") and lo is not None and hi is not None:
        return _("A number from %(low)s to %(high)s.") % {
            "low": _show_number(lo, lang),
            "high": _show_number(hi, lang),
        }
    if item.type == "date":
        return _("Day, month and year, such as 31-12-2025.")
    if item.multiple:
        return _("You may choose more than one answer.")
    return ""


def _field(
    plan: Plan, instrument: str, item: Item, stored: Stored | None, cleaned: Cleaned | None,
    lang: str,
) -> Field:  # fmt: skip
    easy = plan.easy
    text = item.easy_text(lang) if easy else item.text.get(lang)
    base = f"q-{item.code}"
    if not item.has_answer:
        return Field(code=item.code, kind="note", text=text, required=False, input_id=base)
    error = cleaned.error if cleaned else None
    if item.answer_scale is not None:
        if cleaned is not None:
            chosen = set(cleaned.raw)
        elif stored is None:
            chosen = set()
        elif item.multiple:
            chosen = set((stored.text or "").split(";"))
        else:
            chosen = {_show_number(stored.value or 0.0, "en")}
        scale = plan.protocol.answer_scales[item.answer_scale]
        options = [
            Option(
                value=str(o.value),
                label=o.easy_label(lang) if easy else o.label.get(lang),
                input_id=f"{base}-{i}",
                checked=str(o.value) in chosen,
                pictogram=o.pictogram if easy and o.pictogram in PICTOGRAMS else None,
            )
            for i, o in enumerate(scale.options)
        ]
        return Field(
            code=item.code,
            kind="checkbox" if item.multiple else "radio",
            text=text,
            required=item.required,
            input_id=options[0].input_id,
            error=error,
            hint=_hint(item, lang),
            options=options,
            compact=all(len(o.label) <= 3 for o in options),
            pictograms=any(o.pictogram for o in options),
        )
    if cleaned is not None:
        value = cleaned.raw[0] if cleaned.raw else ""
    elif stored is None:
        value = ""
    elif stored.value is not None:
        value = _show_number(stored.value, lang)
    else:
        value = stored.text or ""
    return Field(
        code=item.code,
        kind=item.type or "text",
        text=text,
        required=item.required,
        input_id=base,
        value=value,
        error=error,
        hint=_hint(item, lang),
    )


def page_fields(
    plan: Plan,
    page: Page,
    stored: Mapping[Key, Stored],
    *,
    lang: str,
    cleaned: Mapping[str, Cleaned] | None = None,
) -> list[Field]:
    """The fields of the items of ``page`` that are asked, given the saved answers.

    ``cleaned`` holds a posted page that had errors: its values are shown again as typed.
    """
    answers = condition_answers(stored)
    return [
        _field(
            plan,
            page.instrument,
            it,
            stored.get((page.instrument, it.code)),
            (cleaned or {}).get(it.code),
            lang,
        )
        for it in page.items
        if plan.shown(page.instrument, it, answers)
    ]


@dataclass(frozen=True)
class Posted:
    """A posted page: the answers to store and the messages, per item code."""

    answers: dict[str, Stored | None]
    cleaned: dict[str, Cleaned]

    @property
    def errors(self) -> dict[str, str]:
        return {code: c.error for code, c in self.cleaned.items() if c.error}

    @property
    def invalid(self) -> dict[str, str]:
        """Messages about values that were given but cannot be stored (not the empty ones).

        A page with any such value stores nothing: its answers are saved all or none.
        """
        return {code: c.error for code, c in self.cleaned.items() if c.error and not _empty(c)}

    def without_required(self) -> Posted:
        """The same page with "required" messages dropped (going back keeps what is valid)."""
        keep = {}
        for code, c in self.cleaned.items():
            keep[code] = Cleaned(c.stored, None, c.raw) if _empty(c) else c
        return Posted(self.answers, keep)


def _empty(c: Cleaned) -> bool:
    return all(r.strip() == "" for r in c.raw)


def read_page(plan: Plan, page: Page, stored: Mapping[Key, Stored], post: QueryDict) -> Posted:
    """Read the posted answers of the asked items of ``page``."""
    answers = condition_answers(stored)
    out: dict[str, Stored | None] = {}
    cleaned: dict[str, Cleaned] = {}
    for it in page.items:
        if not it.has_answer or not plan.shown(page.instrument, it, answers):
            continue
        c = clean_answer(it, plan.protocol, post.getlist(it.code))
        cleaned[it.code] = c
        if c.error is None:
            out[it.code] = c.stored
    return Posted(out, cleaned)


def next_page(plan: Plan, number: int, stored: Mapping[Key, Stored]) -> int | None:
    """The first visible page after ``number``, or None at the end."""
    answers = condition_answers(stored)
    for page in plan.pages[number:]:
        if plan.page_visible(page, answers):
            return page.number
    return None


def previous_page(plan: Plan, number: int, stored: Mapping[Key, Stored]) -> int | None:
    """The last visible page before ``number``, or None at the start."""
    answers = condition_answers(stored)
    for page in reversed(plan.pages[: max(number - 1, 0)]):
        if plan.page_visible(page, answers):
            return page.number
    return None


def position(plan: Plan, number: int, stored: Mapping[Key, Stored]) -> tuple[int, int]:
    """(n, of): the page's place among the visible pages, for a neutral "part n of m"."""
    visible = plan.visible_numbers(condition_answers(stored))
    before = sum(1 for n in visible if n < number)
    return before + 1, max(len(visible), 1)
