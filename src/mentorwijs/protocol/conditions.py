"""The condition language of ``show_if``: small, safe, never ``eval``.

A condition compares an earlier item's answer with a value, ``code op value`` with ``op`` one
of ``= != < <= > >=``; comparisons combine with ``and``, ``or``, ``not`` and parentheses.
Values are numbers (``3``, ``-1.5``) or quoted strings (``'ja'``, ``"2024-01-01"``).

Semantics (see docs/protocol.md):

- A missing answer (absent, ``None``, NaN or an empty string) makes every comparison false,
  ``!=`` included; ``not`` turns that into true. So ``not extra_time = 1`` is shown when
  extra_time is unanswered, and ``extra_time != ''`` means "extra_time is answered".
- When both sides read as numbers they compare as numbers (``'1' = 1``); otherwise as text,
  so ISO 8601 dates compare in time order.
- For a multi-select item, ``code = '2'`` means "2 was chosen"; the protocol allows only
  ``=`` on such items (write ``not code = '2'`` for "2 was not chosen").

Examples
--------
>>> evaluate("extra_time = 1 and extra_hours > 4", {"extra_time": 1, "extra_hours": 6.5})
True
>>> evaluate("not (kn1 < 3 or kn2 < 3)", {"kn1": 4})
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal, Union

from mentorwijs.protocol.errors import InvalidConditionError

Op = Literal["=", "!=", "<", "<=", ">", ">="]
OPS: tuple[Op, ...] = ("=", "!=", "<", "<=", ">", ">=")
KEYWORDS = ("and", "or", "not")


@dataclass(frozen=True)
class Comparison:
    """``code op value``."""

    code: str
    op: Op
    value: float | str


@dataclass(frozen=True)
class And:
    """All parts are true."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    """At least one part is true."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The part is false."""

    part: Condition


Condition = Union[Comparison, And, Or, Not]  # noqa: UP007 (a runtime alias of dataclasses)

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?\d+(?:\.\d+)?)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>)
      | (?P<paren>[()])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


def _tokens(expr: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    text = expr.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            at = len(text) - len(text[pos:].lstrip()) + 1
            bad = text[at - 1 :][:10]
            raise InvalidConditionError(
                expr,
                f"unexpected '{bad}' at position {at}",
                f"onverwacht '{bad}' op positie {at}",
            )
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.toks = _tokens(expr)
        self.i = 0

    def fail(self, en: str, nl: str) -> InvalidConditionError:
        return InvalidConditionError(self.expr, en, nl)

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "word" and tok[1].lower() == word:
            self.i += 1
            return True
        return False

    def parse(self) -> Condition:
        if not self.toks:
            raise self.fail("the condition is empty", "de voorwaarde is leeg")
        cond = self.or_()
        tok = self.peek()
        if tok is not None:
            raise self.fail(
                f"unexpected '{tok[1]}' at position {tok[2]}",
                f"onverwacht '{tok[1]}' op positie {tok[2]}",
            )
        return cond

    def or_(self) -> Condition:
        parts = [self.and_()]
        while self.keyword("or"):
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Condition:
        parts = [self.not_()]
        while self.keyword("and"):
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_(self) -> Condition:
        if self.keyword("not"):
            return Not(self.not_())
        return self.atom()

    def atom(self) -> Condition:
        tok = self.peek()
        if tok is None:
            raise self.fail("the condition ends too early", "de voorwaarde houdt te vroeg op")
        kind, text, at = tok
        if kind == "paren" and text == "(":
            self.i += 1
            inner = self.or_()
            close = self.peek()
            if close is None or close[1] != ")":
                raise self.fail(
                    f"the '(' at position {at} is not closed",
                    f"het '(' op positie {at} wordt niet gesloten",
                )
            self.i += 1
            return inner
        if kind != "word" or text.lower() in KEYWORDS:
            raise self.fail(
                f"expected an item code at position {at}, found '{text}'",
                f"verwachtte een itemcode op positie {at}, vond '{text}'",
            )
        self.i += 1
        op = self.peek()
        if op is None or op[0] != "op":
            raise self.fail(
                f"expected one of {' '.join(OPS)} after '{text}'",
                f"verwachtte een van {' '.join(OPS)} na '{text}'",
            )
        self.i += 1
        val = self.peek()
        if val is None or val[0] not in ("num", "str"):
            found = "the end" if val is None else f"'{val[1]}'"
            found_nl = "het einde" if val is None else f"'{val[1]}'"
            raise self.fail(
                f"expected a number or a quoted text after '{text} {op[1]}', found {found}",
                f"verwachtte een getal of een tekst tussen aanhalingstekens na "
                f"'{text} {op[1]}', vond {found_nl}",
            )
        self.i += 1
        value: float | str = float(val[1]) if val[0] == "num" else val[1][1:-1]
        return Comparison(code=text, op=op[1], value=value)  # type: ignore[arg-type]


def parse(expr: str) -> Condition:
    """Parse a ``show_if`` expression.

    Parameters
    ----------
    expr
        The expression, e.g. ``"extra_time = 1 and not (work_ability < 5)"``.

    Returns
    -------
    Condition
        A tree of :class:`Comparison`, :class:`And`, :class:`Or` and :class:`Not`.

    Raises
    ------
    InvalidConditionError
        The expression is not in the condition language; the message says where and why.
    """
    return _Parser(expr).parse()


def codes(condition: Condition) -> list[str]:
    """The item codes a condition refers to, in order of first appearance."""
    if isinstance(condition, Comparison):
        return [condition.code]
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    out: list[str] = []
    for p in parts:
        out += [c for c in codes(p) if c not in out]
    return out


def comparisons(condition: Condition) -> list[Comparison]:
    """Every comparison in a condition, left to right."""
    if isinstance(condition, Comparison):
        return [condition]
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    return [c for p in parts for c in comparisons(p)]


def _number(x: object) -> float | None:
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, int | float):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.strip())
        except ValueError:
            return None
    return None


def _missing(x: object) -> bool:
    if x is None:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    if isinstance(x, str) and x.strip() == "":
        return True
    return isinstance(x, Collection) and not isinstance(x, str) and len(x) == 0


def _same(a: object, b: float | str) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return str(a).strip() == str(b)


def _compare(answer: object, op: str, value: float | str) -> bool:
    na, nv = _number(answer), _number(value)
    left: float | str
    right: float | str
    if na is not None and nv is not None:
        left, right = na, nv
    else:
        left, right = str(answer).strip(), str(value)
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def _chosen(answer: object) -> list[object]:
    if isinstance(answer, str):
        return [p for p in answer.split(";") if p.strip()]
    return list(answer)  # type: ignore[call-overload]


def _holds(cond: Condition, answers: Mapping[str, object], multiple: Collection[str]) -> bool:
    if isinstance(cond, And):
        return all(_holds(p, answers, multiple) for p in cond.parts)
    if isinstance(cond, Or):
        return any(_holds(p, answers, multiple) for p in cond.parts)
    if isinstance(cond, Not):
        return not _holds(cond.part, answers, multiple)
    answer = answers.get(cond.code)
    if _missing(answer):
        return False
    is_set = cond.code in multiple or (
        isinstance(answer, Collection) and not isinstance(answer, str)
    )
    if is_set:
        chosen = _chosen(answer)
        found = any(_same(c, cond.value) for c in chosen)
        if cond.op == "=":
            return found
        if cond.op == "!=":
            return not found
        return False
    return _compare(answer, cond.op, cond.value)


def evaluate(
    condition: str | Condition,
    answers: Mapping[str, object],
    *,
    multiple: Collection[str] = (),
) -> bool:
    """Whether a condition holds for the answers given so far.

    Parameters
    ----------
    condition
        An expression (parsed first) or a parsed :data:`Condition`.
    answers
        Item code → answer: a number, a text, ``None`` (not answered), or for a multi-select
        item the chosen values as a collection or as the stored ``"1;3"`` text.
    multiple
        Codes of multi-select items whose answers are given as ``"1;3"`` texts.

    Returns
    -------
    bool
        True when the condition holds. Missing answers make comparisons false.

    Raises
    ------
    InvalidConditionError
        ``condition`` is a text that does not parse.
    """
    cond = parse(condition) if isinstance(condition, str) else condition
    return _holds(cond, answers, multiple)


def to_text(condition: Condition) -> str:
    """Write a condition back in the condition language (``parse(to_text(c)) == c``)."""
    if isinstance(condition, Comparison):
        v = condition.value
        if isinstance(v, str):
            value = f'"{v}"' if "'" in v else f"'{v}'"
        else:
            value = str(int(v)) if float(v).is_integer() else repr(v)
        return f"{condition.code} {condition.op} {value}"
    if isinstance(condition, Not):
        inner = to_text(condition.part)
        return f"not {inner}" if isinstance(condition.part, Comparison | Not) else f"not ({inner})"
    word = " and " if isinstance(condition, And) else " or "
    return word.join(
        f"({to_text(p)})" if isinstance(p, And | Or) else to_text(p) for p in condition.parts
    )
