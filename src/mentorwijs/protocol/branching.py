"""REDCap branching logic and XLSForm ``relevant`` expressions to and from the ``show_if``
condition language.

REDCap treats a blank answer as the text ``''``: ``[a] <> '1'`` holds when ``a`` is blank,
while a Mentorwijs comparison with a missing answer is false. The translation keeps the
meaning exactly:

==============================  =====================================
REDCap                          Mentorwijs
==============================  =====================================
``[a] = 'v'``                   ``a = 'v'``
``[a] <> 'v'`` / ``!=``         ``not a = 'v'``
``[a] <> ''``                   ``a != ''`` (answered)
``[a] = ''``                    ``not a != ''`` (blank)
``[a] > 3`` (and < <= >=)       ``a > 3``
``[c(2)] = '1'`` (checkbox)     ``c = 2`` (2 chosen)
``[c(2)] = '0'``                ``not c = 2``
``and`` / ``or`` / ( )          ``and`` / ``or`` / ( )
==============================  =====================================

XLSForm (ODK) also treats an unanswered question as ``''``, so ``${a} != 'v'`` becomes
``not a = 'v'`` in the same way; ``selected(${c}, 'v')`` is ``c = 'v'`` and ``not(...)`` is
``not (...)``.

Anything else (functions, events, smart variables, arithmetic) raises
:class:`UnsupportedLogicError` with the reason in English and Dutch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from mentorwijs.protocol.conditions import And, Comparison, Condition, Not, Or

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<field>\[[A-Za-z][A-Za-z0-9_]*(?:\([^()\]]*\))?\])
      | (?P<xfield>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
      | (?P<comma>,)
      | (?P<op><>|!=|<=|>=|=|<|>)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<paren>[()])
      | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)

#: Options of a field as REDCap writes them (the codes in the dictionary) → stored values.
CodeMap = Callable[[str, str], float | str | None]


class UnsupportedLogicError(Exception):
    """Branching logic outside the supported forms."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.en = en
        self.nl = nl


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            bad = text[pos:].strip()[:20]
            raise UnsupportedLogicError(
                f"the part '{bad}' is not a supported form",
                f"het deel '{bad}' wordt niet ondersteund",
            )
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(
        self,
        text: str,
        *,
        checkboxes: Collection[str],
        code_of: CodeMap,
        known: Collection[str],
        xlsform: bool = False,
    ) -> None:
        self.xlsform = xlsform
        self.field_kind = "xfield" if xlsform else "field"
        self.toks = _tokens(text)
        self.i = 0
        self.checkboxes = checkboxes
        self.code_of = code_of
        self.known = known

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def word(self, w: str) -> bool:
        t = self.peek()
        if t is not None and t[0] == "word" and t[1].lower() == w:
            self.i += 1
            return True
        return False

    def parse(self) -> Condition:
        if not self.toks:
            raise UnsupportedLogicError("the branching logic is empty", "de vertakking is leeg")
        cond = self.or_()
        if self.peek() is not None:
            raise self.unsupported()
        return cond

    def unsupported(self) -> UnsupportedLogicError:
        t = self.peek()
        bad = "the end" if t is None else f"'{t[1]}'"
        bad_nl = "het einde" if t is None else f"'{t[1]}'"
        return UnsupportedLogicError(
            f"{bad} is not a supported form ([field] op 'value', and, or, parentheses)",
            f"{bad_nl} is geen ondersteunde vorm ([veld] op 'waarde', and, or, haakjes)",
        )

    def or_(self) -> Condition:
        parts = [self.and_()]
        while self.word("or"):
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Condition:
        parts = [self.atom()]
        while self.word("and"):
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def expect(self, kind: str, text: str | None = None) -> str:
        t = self.peek()
        if t is None or t[0] != kind or (text is not None and t[1] != text):
            raise self.unsupported()
        self.i += 1
        return t[1]

    def xlsform_call(self) -> Condition | None:
        """``not(...)`` and ``selected(${f}, 'v')`` of XLSForm."""
        t = self.peek()
        nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
        if not self.xlsform or t is None or t[0] != "word" or nxt != ("paren", "("):
            return None
        name = t[1].lower()
        if name == "not":
            self.i += 2
            inner = self.or_()
            self.expect("paren", ")")
            return Not(inner)
        if name == "selected":
            self.i += 2
            ref = self.expect("xfield")[2:-1]
            self.expect("comma")
            val = self.peek()
            if val is None or val[0] not in ("str", "num"):
                raise self.unsupported()
            self.i += 1
            self.expect("paren", ")")
            raw = val[1][1:-1] if val[0] == "str" else val[1]
            return self.chosen(ref, raw)
        return None

    def chosen(self, name: str, raw: str) -> Condition:
        if name not in self.known:
            raise UnsupportedLogicError(
                f"it refers to {name}, which is not a question of the form",
                f"ze verwijst naar {name}, dat geen vraag van het formulier is",
            )
        value = self.code_of(name, raw)
        if value is None:
            raise UnsupportedLogicError(
                f"{raw!r} is not a choice of {name}", f"{raw!r} is geen keuze van {name}"
            )
        return Comparison(name, "=", value)

    def atom(self) -> Condition:
        call = self.xlsform_call()
        if call is not None:
            return call
        t = self.peek()
        if t is not None and t == ("paren", "("):
            self.i += 1
            inner = self.or_()
            if self.peek() != ("paren", ")"):
                raise self.unsupported()
            self.i += 1
            return inner
        if t is None or t[0] != self.field_kind:
            raise self.unsupported()
        self.i += 1
        op_tok, val_tok = self.peek(), None
        if op_tok is None or op_tok[0] != "op":
            raise self.unsupported()
        self.i += 1
        val_tok = self.peek()
        if val_tok is None or val_tok[0] not in ("str", "num"):
            raise self.unsupported()
        self.i += 1
        raw = val_tok[1][1:-1] if val_tok[0] == "str" else val_tok[1]
        ref = t[1][2:-1] if self.xlsform else t[1][1:-1]
        return self.comparison(ref, op_tok[1], raw)

    def comparison(self, ref: str, op: str, raw: str) -> Condition:
        name, _, code = ref.partition("(")
        if self.xlsform:
            name, code = ref, ""
            if op == "<>":
                raise self.unsupported()
        else:
            name = name.lower()
        if name not in self.known:
            raise UnsupportedLogicError(
                f"it refers to {name}, which is not a field of the dictionary",
                f"ze verwijst naar {name}, dat geen veld van het woordenboek is",
            )
        op = "!=" if op == "<>" else op
        if code:
            code = code[:-1]
            if name not in self.checkboxes:
                raise UnsupportedLogicError(
                    f"[{name}({code})] is written like a checkbox, but {name} is not one",
                    f"[{name}({code})] is geschreven als selectievakje, maar {name} is er geen",
                )
            value = self.code_of(name, code)
            if value is None or op not in ("=", "!=") or raw.strip() not in ("0", "1"):
                raise UnsupportedLogicError(
                    f"[{name}({code})] {op} '{raw}' is not a supported checkbox form "
                    "(= '1' or = '0' with a known option)",
                    f"[{name}({code})] {op} '{raw}' is geen ondersteunde vorm voor een "
                    "selectievakje (= '1' of = '0' met een bestaande optie)",
                )
            chosen = Comparison(name, "=", value)
            return chosen if (op == "=") == (raw.strip() == "1") else Not(chosen)
        if name in self.checkboxes and self.xlsform:
            raise UnsupportedLogicError(
                f"the select_multiple {name} is compared as a whole; write selected(${{{name}}}, "
                "'value')",
                f"de select_multiple {name} wordt als geheel vergeleken; schrijf "
                f"selected(${{{name}}}, 'waarde')",
            )
        if name in self.checkboxes:
            raise UnsupportedLogicError(
                f"the checkbox {name} is used without an option; write [{name}(code)] = '1'",
                f"het selectievakje {name} staat er zonder optie; schrijf [{name}(code)] = '1'",
            )
        if raw == "":
            if op == "=":
                return Not(Comparison(name, "!=", ""))
            if op == "!=":
                return Comparison(name, "!=", "")
            raise UnsupportedLogicError(
                f"[{name}] {op} '' compares with a blank", f"[{name}] {op} '' vergelijkt met leeg"
            )
        value = self.code_of(name, raw)
        if value is None:
            value = raw
        if op == "=":
            return Comparison(name, "=", value)
        if op == "!=":
            return Not(Comparison(name, "=", value))
        return Comparison(name, op, value)  # type: ignore[arg-type]


def from_redcap(
    logic: str,
    *,
    known: Collection[str],
    checkboxes: Collection[str] = (),
    code_of: CodeMap | None = None,
) -> Condition:
    """Translate REDCap branching logic to a condition.

    Parameters
    ----------
    logic
        The branching logic, e.g. ``[smoker] = '1' and [cigs(2)] = '1'``.
    known
        Field names of the dictionary.
    checkboxes
        Names of checkbox fields.
    code_of
        ``(field, code as written) → stored value`` for fields whose codes were recoded;
        ``None`` when the code is not an option. Values that read as numbers become numbers.

    Raises
    ------
    UnsupportedLogicError
        The logic is not in one of the supported forms.
    """

    if re.search(r"\]\s*\[", logic):
        raise UnsupportedLogicError(
            "it names a REDCap event ([event][field]); here the waves are not part of a condition",
            "ze noemt een REDCap-event ([event][veld]); hier horen metingen niet in een voorwaarde",
        )

    def default(field: str, code: str) -> float | str:
        try:
            return float(code)
        except ValueError:
            return code

    return _Parser(logic, checkboxes=checkboxes, code_of=code_of or default, known=known).parse()


def from_xlsform(
    relevant: str,
    *,
    known: Collection[str],
    multiple: Collection[str] = (),
    code_of: CodeMap,
) -> Condition:
    """Translate an XLSForm ``relevant`` expression to a condition.

    Supported: ``${name} op 'value'`` (op = != < <= > >=), ``selected(${name}, 'value')``,
    ``not(...)``, ``and``, ``or`` and parentheses. Names are the form's own; ``code_of``
    maps a choice name to its stored value.

    Raises
    ------
    UnsupportedLogicError
        The expression is not in one of the supported forms.
    """
    return _Parser(
        relevant, checkboxes=multiple, code_of=code_of, known=known, xlsform=True
    ).parse()


def _value(v: float | str, quote: bool = True) -> str:
    if isinstance(v, float):
        text = str(int(v)) if v.is_integer() else repr(v)
        return f"'{text}'" if quote else text
    return f"'{v}'" if "'" not in v else f'"{v}"'


def _negate_op(op: str) -> str:
    return {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]


def to_redcap(cond: Condition, *, multiple: Collection[str] = ()) -> str:
    """Write a condition as REDCap branching logic with the same meaning (see the table)."""
    if isinstance(cond, And | Or):
        word = " and " if isinstance(cond, And) else " or "
        return word.join(
            f"({to_redcap(p, multiple=multiple)})"
            if isinstance(p, And | Or) or _compound(p, multiple)
            else to_redcap(p, multiple=multiple)
            for p in cond.parts
        )
    if isinstance(cond, Not):
        inner = cond.part
        if isinstance(inner, Not):
            return to_redcap(inner.part, multiple=multiple)
        if isinstance(inner, And):
            return to_redcap(Or(tuple(Not(p) for p in inner.parts)), multiple=multiple)
        if isinstance(inner, Or):
            return to_redcap(And(tuple(Not(p) for p in inner.parts)), multiple=multiple)
        f, op, v = inner.code, inner.op, inner.value
        if f in multiple:  # the protocol allows only '=' on a multi-select
            return f"[{f}({_value(v, quote=False)})] = '0'"
        if op == "=":
            return f"[{f}] <> {_value(v)}"
        if op == "!=":
            return f"[{f}] = ''" if v == "" else f"[{f}] = {_value(v)} or [{f}] = ''"
        neg = _negate_op(op)
        return f"[{f}] {neg} {_value(v, quote=isinstance(v, str))} or [{f}] = ''"
    f, op, v = cond.code, cond.op, cond.value
    if f in multiple:
        return f"[{f}({_value(v, quote=False)})] = '1'"
    if op == "=":
        return f"[{f}] = {_value(v)}"
    if op == "!=":
        return f"[{f}] <> ''" if v == "" else f"[{f}] <> {_value(v)} and [{f}] <> ''"
    return f"[{f}] {op} {_value(v, quote=isinstance(v, str))}"


def _compound(p: Condition, multiple: Collection[str]) -> bool:
    """Whether ``p`` turns into an and/or expression in REDCap (needs parentheses)."""
    text = to_redcap(p, multiple=multiple)
    return " and " in text or " or " in text


def renamed(cond: Condition, names: dict[str, str]) -> Condition:
    """The condition with item codes replaced by ``names`` (codes not in it stay)."""
    if isinstance(cond, Comparison):
        return Comparison(names.get(cond.code, cond.code), cond.op, cond.value)
    if isinstance(cond, Not):
        return Not(renamed(cond.part, names))
    parts = tuple(renamed(p, names) for p in cond.parts)
    return And(parts) if isinstance(cond, And) else Or(parts)
