"""The variables of an answers export: names, labels and values from the protocol.

Variable names follow one scheme in every format, so one codebook fits all of them:
the item code (``kn1``), ``<item>_<option>`` for one option of a multi-select item
(``aids_3``), ``<scale>_score`` for a scale score, and in the wide shape ``_<wave>`` after
each (``kn1_T0``). An item code that two instruments share gets its instrument in front
(``sv_outcomes_kn1``). Names are at most 28 characters: Stata allows 32, but pyreadstat
names a variable's value labels after it with a counter behind (``kn1_T0`` → ``kn1_T012``),
and that name must fit 32 too (SPSS allows 64). Names are never a reserved word of Stata or
SPSS, and unique without regard to case (SPSS ignores case). See ``docs/answers.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from mentorwijs.protocol import Instrument, Item, Protocol
from mentorwijs.studydata.errors import UnknownExportFormatError

FORMATS = ("csv", "sav", "dta")
LANGS = ("nl", "en")
KEY = ["role", "respondent_id", "wave"]
#: Longest name: Stata's 32 less four digits for the counter pyreadstat adds to the name of
#: a variable's value labels (room for 9,999 labelled variables).
NAME_LIMIT = 28
STATA_LABEL_CHARS = 80
SPSS_LABEL_BYTES = 256
SPSS_VALUE_LABEL_BYTES = 120
#: Names Stata refuses for a variable ([U] 11.3); ``str1`` … ``str2045`` are matched apart.
STATA_RESERVED = frozenset(
    {"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
     "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"}
)  # fmt: skip
#: SPSS's reserved keywords, compared without regard to case.
SPSS_RESERVED = frozenset(
    {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
)
#: Item types that hold text in the ``text`` column of ``responses``.
TEXT_TYPES = frozenset({"text", "long_text"})
ROLE_ORDER = {"supervisor": 0, "employee": 1}
ROLE_NAMES = {
    "supervisor": ("leidinggevende", "supervisor"),
    "employee": ("medewerker", "employee"),
}

Kind = Literal[
    "id", "datetime", "choice", "option", "integer", "number", "text", "long_text", "date",
    "score",
]  # fmt: skip
Shape = Literal["long", "wide"]


@dataclass(frozen=True)
class Variable:
    """One column of an export, with everything its codebook row shows.

    Attributes
    ----------
    name
        Column name in every format (at most 28 characters).
    kind
        ``id`` (role, pseudonym, wave), ``datetime``, ``choice`` (one option of an answer
        scale), ``option`` (0/1: one option of a multi-select item), ``integer``, ``number``,
        ``text``, ``long_text``, ``date`` or ``score`` (a scale score).
    title_nl, title_en
        The core of the label: the question of an item, the name of anything else.
    question_nl, question_en
        The full question; for a score, how it is computed.
    role
        The role the variable applies to; ``None`` for both.
    instrument, item
        Where the answer comes from.
    option, option_nl, option_en
        A multi-select option: its answer value and label.
    wave
        In the wide shape, the one wave the variable holds; ``None`` in the long shape.
    waves
        Waves the variable can hold data for.
    values
        ``(value, label_nl, label_en)`` for every labelled value.
    scales
        ``(code, label_nl, label_en)`` of each scale the item belongs to (of a score: its
        own scale).
    reverse
        The item is reverse-coded in its scales.
    condition
        The item's ``show_if`` condition, if any.
    minimum, maximum
        The valid range of an open numeric item.
    easy_nl, easy_en
        The easy-read text of the question, where the protocol has one.
    """

    name: str
    kind: Kind
    title_nl: str
    title_en: str
    question_nl: str = ""
    question_en: str = ""
    role: str | None = None
    instrument: str | None = None
    item: str | None = None
    option: int | None = None
    option_nl: str = ""
    option_en: str = ""
    wave: str | None = None
    waves: tuple[str, ...] = ()
    values: tuple[tuple[int | str, str, str], ...] = ()
    scales: tuple[tuple[str, str, str], ...] = ()
    reverse: bool = False
    condition: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    easy_nl: str = ""
    easy_en: str = ""

    def label_parts(self, lang: str) -> tuple[str, str, str]:
        """(prefix, title, suffix): ``T0: `` in the wide shape, `` [option]`` for an option."""
        prefix = f"{self.wave}: " if self.wave else ""
        title = self.title_en if lang == "en" else self.title_nl
        suffix = ""
        if self.kind == "option":
            suffix = f" [{self.option_en if lang == 'en' else self.option_nl}]"
        return prefix, title, suffix

    def label(self, lang: str) -> str:
        """The full (untruncated) variable label in ``lang``."""
        return "".join(self.label_parts(lang))

    def question(self, lang: str) -> str:
        """The full question (or description) in ``lang``."""
        return self.question_en if lang == "en" else self.question_nl

    def value_labels(self, lang: str) -> dict[int, str]:
        """Numeric value → label in ``lang`` (empty for text or unlabelled variables)."""
        return {
            int(v): (en if lang == "en" else nl) for v, nl, en in self.values if isinstance(v, int)
        }


def check_options(*, fmt: str | None = None, lang: str | None = None) -> None:
    """Raise :class:`UnknownExportFormatError` for a format or label language not offered."""
    if fmt is not None and fmt not in FORMATS:
        raise UnknownExportFormatError("format", fmt, FORMATS)
    if lang is not None and lang not in LANGS:
        raise UnknownExportFormatError("lang", lang, LANGS)


# --- names and labels that fit every format ------------------------------------------------


def _reserved(name: str) -> bool:
    return (
        name in STATA_RESERVED
        or name.lower() in SPSS_RESERVED
        or re.fullmatch(r"str\d+", name) is not None
    )


def wave_suffix(wave: str) -> str:
    """``_<wave>`` with anything but letters, digits and ``_`` replaced by ``_``."""
    return "_" + re.sub(r"[^A-Za-z0-9_]", "_", wave)


def option_suffix(value: int) -> str:
    """``_<value>`` for a multi-select option; a negative value ``-1`` becomes ``_m1``."""
    return f"_{value}" if value >= 0 else f"_m{-value}"


def unique_name(stem: str, suffix: str, taken: set[str]) -> str:
    """A name ``stem + suffix`` within ``NAME_LIMIT``, not reserved and not ``taken``.

    The stem is shortened (never the suffix, which carries the wave); a clash or a reserved
    word gets a number at the end of the stem (``in`` → ``in2``). Characters other than
    letters, digits and ``_`` become ``_``, and a stem that does not start with a letter gets
    a ``v`` in front (a scale code ``2nd`` → ``v2nd_score``). ``taken`` holds lower-case
    names and is updated.
    """
    stem = re.sub(r"[^A-Za-z0-9_]", "_", stem)
    if not stem[:1].isalpha():
        stem = "v" + stem  # SPSS and Stata names start with a letter
    room = NAME_LIMIT - len(suffix)
    name = stem[:room] + suffix
    number = 1
    while name.lower() in taken or _reserved(name):
        number += 1
        tail = str(number)
        name = stem[: room - len(tail)] + tail + suffix
    taken.add(name.lower())
    return name


def _fits(fmt: str) -> Callable[[str], bool]:
    if fmt == "dta":
        return lambda s: len(s) <= STATA_LABEL_CHARS
    if fmt == "sav":
        return lambda s: len(s.encode("utf-8")) <= SPSS_LABEL_BYTES
    return lambda s: True


def shorten(body: str, fits: Callable[[str], bool], prefix: str = "", suffix: str = "") -> str:
    """``prefix + body + suffix``, with ``body`` cut at a word and ended by "…" until it fits."""
    if fits(prefix + body + suffix):
        return prefix + body + suffix
    cut = body
    while cut:
        cut = cut[: cut.rfind(" ")] if " " in cut else cut[:-1]
        text = prefix + cut.rstrip(" ,;:.–-") + "…" + suffix
        if fits(text):
            return text
    return (prefix + "…" + suffix) if fits(prefix + "…" + suffix) else "…"


def file_label(var: Variable, fmt: str, lang: str) -> str:
    """The variable label as written in a file of ``fmt``: at most 80 characters for Stata
    and 256 bytes for SPSS, the question cut at a word; the wave in front and a multi-select
    option behind are always kept."""
    prefix, title, suffix = var.label_parts(lang)
    return shorten(title, _fits(fmt), prefix, suffix)


def value_label(text: str, fmt: str) -> str:
    """A value label within SPSS's 120 bytes (Stata allows 32,000)."""
    if fmt != "sav":
        return text
    return shorten(text, lambda s: len(s.encode("utf-8")) <= SPSS_VALUE_LABEL_BYTES)


# --- the variables of the protocol -----------------------------------------------------------


def _item_kind(item: Item) -> str | None:
    """choice, multiple, integer, number, text, long_text or date; None for a note."""
    if not item.has_answer:
        return None
    if item.answer_scale is not None:
        return "multiple" if item.multiple else "choice"
    return str(item.type)


def _stems(protocol: Protocol) -> dict[tuple[str, str], str]:
    """(instrument, item) → stem; an item code used by two instruments gets its
    instrument in front (``sv_outcomes_kn1``), and so does a scale code (``…_score``)."""
    seen: dict[str, int] = {}
    for ins in protocol.instruments.values():
        for it in ins.items:
            seen[it.code] = seen.get(it.code, 0) + 1
        for sc in ins.scales:
            seen[f"{sc.code}_score"] = seen.get(f"{sc.code}_score", 0) + 1
    out = {}
    for code, ins in protocol.instruments.items():
        for name in [it.code for it in ins.items] + [f"{sc.code}_score" for sc in ins.scales]:
            out[(code, name)] = name if seen[name] == 1 else f"{code}_{name}"
    return out


def _easy(item: Item) -> tuple[str, str]:
    """The easy-read wording of an item, where the protocol has one."""
    return (item.easy.nl, item.easy.en) if item.easy is not None else ("", "")


@dataclass(frozen=True)
class _Spec:
    """A variable before it is named: its stem, the suffix of an option, and the rest."""

    stem: str
    suffix: str
    var: Variable


def _item_specs(protocol: Protocol, code: str, ins: Instrument, stems: dict) -> list[_Spec]:
    specs = []
    member: dict[str, list[tuple[str, str, str]]] = {}
    for sc in ins.scales:
        for it_code in sc.items:
            member.setdefault(it_code, []).append((sc.code, sc.label.nl, sc.label.en))
    for it in ins.items:
        kind = _item_kind(it)
        if kind is None:
            continue
        easy_nl, easy_en = _easy(it)
        common = {
            "title_nl": it.text.nl,
            "title_en": it.text.en,
            "question_nl": it.text.nl,
            "question_en": it.text.en,
            "role": ins.role,
            "instrument": code,
            "item": it.code,
            "waves": ins.waves,
            "scales": tuple(member.get(it.code, ())),
            "reverse": it.reverse,
            "condition": it.show_if,
            "easy_nl": easy_nl,
            "easy_en": easy_en,
        }
        stem = stems[(code, it.code)]
        if kind == "multiple":
            for opt in protocol.answer_scales[str(it.answer_scale)].options:
                var = Variable(
                    name="",
                    kind="option",
                    option=opt.value,
                    option_nl=opt.label.nl,
                    option_en=opt.label.en,
                    values=((0, "niet gekozen", "not chosen"), (1, "gekozen", "chosen")),
                    **common,  # type: ignore[arg-type]
                )
                specs.append(_Spec(stem, option_suffix(opt.value), var))
            continue
        values: tuple[tuple[int | str, str, str], ...] = ()
        if kind == "choice":
            scale = protocol.answer_scales[str(it.answer_scale)]
            values = tuple((o.value, o.label.nl, o.label.en) for o in scale.options)
        var = Variable(
            name="",
            kind=kind,  # type: ignore[arg-type]
            values=values,
            minimum=it.minimum,
            maximum=it.maximum,
            **common,  # type: ignore[arg-type]
        )
        specs.append(_Spec(stem, "", var))
    for sc in ins.scales:
        reverse = [c for c in sc.items if ins.item(c).reverse]
        rev_nl = f"; omgepoold: {', '.join(reverse)}" if reverse else ""
        rev_en = f"; reverse-coded: {', '.join(reverse)}" if reverse else ""
        var = Variable(
            name="",
            kind="score",
            title_nl=f"Schaalscore {sc.label.nl}",
            title_en=f"Scale score {sc.label.en}",
            question_nl=(
                f"Gemiddelde van {', '.join(sc.items)}, als er minstens {sc.min_items} zijn "
                f"beantwoord{rev_nl}"
            ),
            question_en=(
                f"Mean of {', '.join(sc.items)} when at least {sc.min_items} are answered{rev_en}"
            ),
            role=ins.role,
            instrument=code,
            waves=ins.waves,
            scales=((sc.code, sc.label.nl, sc.label.en),),
        )
        specs.append(_Spec(stems[(code, f"{sc.code}_score")], "", var))
    return specs


def _id_specs(protocol: Protocol, shape: Shape) -> list[_Spec]:
    roles = tuple((r, *ROLE_NAMES[r]) for r in ROLE_NAMES)
    waves = tuple((code, w.label.nl, w.label.en) for code, w in protocol.waves.items())
    specs = [
        _Spec("role", "", Variable("", "id", "Rol", "Role", values=roles)),
        _Spec(
            "respondent_id",
            "",
            Variable("", "id", "Pseudoniem van de respondent", "Pseudonym of the respondent"),
        ),
    ]
    if shape == "long":
        specs.append(_Spec("wave", "", Variable("", "id", "Meting", "Wave", values=waves)))
        specs.append(_Spec("completed_at", "", _completed(tuple(protocol.waves))))
    return specs


def _completed(waves: tuple[str, ...]) -> Variable:
    return Variable(
        "",
        "datetime",
        "Vragenlijst afgerond op (UTC)",
        "Questionnaire completed at (UTC)",
        question_nl="Wanneer de respondent de vragenlijst van deze meting afrondde (UTC)",
        question_en="When the respondent completed the questionnaire of this wave (UTC)",
        waves=waves,
    )


def answer_variables(protocol: Protocol, *, shape: Shape = "long") -> list[Variable]:
    """Every variable of an export of ``protocol`` in ``shape``, in column order.

    Long: role, respondent_id, wave, completed_at, then each instrument's items (in protocol
    order) followed by its scale scores. Wide: role, respondent_id, then for each wave (in
    protocol order) completed_at and the items and scores of the instruments of that wave.
    Note items (no answer) have no variable.
    """
    stems = _stems(protocol)
    specs = _id_specs(protocol, shape)
    items = [
        spec
        for code, ins in protocol.instruments.items()
        for spec in _item_specs(protocol, code, ins, stems)
    ]
    taken: set[str] = set()
    if shape == "long":
        return [replace(s.var, name=unique_name(s.stem, s.suffix, taken)) for s in [*specs, *items]]
    out = [replace(s.var, name=unique_name(s.stem, s.suffix, taken)) for s in specs]
    for wave in protocol.waves:
        in_wave = [_Spec("completed_at", "", _completed((wave,)))]
        in_wave += [s for s in items if wave in s.var.waves]
        for s in in_wave:
            name = unique_name(s.stem, s.suffix + wave_suffix(wave), taken)
            out.append(replace(s.var, name=name, wave=wave, waves=(wave,)))
    return out
