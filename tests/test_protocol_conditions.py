"""The show_if condition language: what parses, what does not (and the message), and a
truth table of evaluation including missing answers and multi-select items."""

from __future__ import annotations

import itertools
import math

import pytest

from mentorwijs.protocol.conditions import (
    And,
    Comparison,
    Not,
    Or,
    codes,
    evaluate,
    parse,
    to_text,
)
from mentorwijs.protocol.errors import InvalidConditionError


@pytest.mark.parametrize(
    ("expr", "tree"),
    [
        ("a = 1", Comparison("a", "=", 1.0)),
        ("a != 'x'", Comparison("a", "!=", "x")),
        ('a <= "2024-01-31"', Comparison("a", "<=", "2024-01-31")),
        ("a >= -2.5", Comparison("a", ">=", -2.5)),
        ("a<3", Comparison("a", "<", 3.0)),
        ("a > 0", Comparison("a", ">", 0.0)),
        ("a = ''", Comparison("a", "=", "")),
        ("a = 'it''", None),  # unbalanced quote: an error, see below
        (
            "a = 1 and b = 2 or c = 3",
            Or(
                (
                    And((Comparison("a", "=", 1.0), Comparison("b", "=", 2.0))),
                    Comparison("c", "=", 3.0),
                )
            ),
        ),
        (
            "a = 1 and (b = 2 or c = 3)",
            And(
                (
                    Comparison("a", "=", 1.0),
                    Or((Comparison("b", "=", 2.0), Comparison("c", "=", 3.0))),
                )
            ),
        ),
        ("not a = 1", Not(Comparison("a", "=", 1.0))),
        ("NOT (a = 1 OR a = 2)", Not(Or((Comparison("a", "=", 1.0), Comparison("a", "=", 2.0))))),
        ("not not a = 1", Not(Not(Comparison("a", "=", 1.0)))),
        ("((a = 1))", Comparison("a", "=", 1.0)),
        (
            "a = 1 and b = 2 and c = 3",
            And(tuple(Comparison(x, "=", float(i)) for i, x in enumerate("abc", 1))),
        ),
    ],
)
def test_valid_expressions_parse_to_their_tree(expr, tree):
    if tree is None:
        with pytest.raises(InvalidConditionError):
            parse(expr)
        return
    assert parse(expr) == tree
    assert parse(to_text(tree)) == tree  # writing back reads back the same


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("", "the condition is empty"),
        ("   ", "the condition is empty"),
        ("a == 1", "expected a number or a quoted text after 'a =', found '='"),
        ("a <> 1", "expected a number or a quoted text after 'a <', found '>'"),
        ("a = 1 and", "the condition ends too early"),
        ("a", "expected one of = != < <= > >= after 'a'"),
        ("a = b", "expected a number or a quoted text after 'a =', found 'b'"),
        ("1 = a", "expected an item code at position 1, found '1'"),
        ("(a = 1", "the '(' at position 1 is not closed"),
        ("a = 1)", "unexpected ')' at position 6"),
        ("a = 1 b = 2", "unexpected 'b' at position 7"),
        ("[a] = '1'", "unexpected '[a] = '1'' at position 1"),
        ("a = 'x", "unexpected ''x' at position 5"),
        ("and = 1", "expected an item code at position 1, found 'and'"),
        ("a = 1; import os", "unexpected '; import o' at position 6"),
        ("__import__('os') = 1", "expected one of = != < <= > >= after '__import__'"),
    ],
)
def test_invalid_expressions_say_where_and_why(expr, reason):
    with pytest.raises(InvalidConditionError) as exc:
        parse(expr)
    assert exc.value.reason == reason
    assert reason in str(exc.value)
    assert exc.value.message_nl.startswith(f"de voorwaarde {expr!r} is niet te lezen: ")


MISSING = [None, float("nan"), "", "  "]


@pytest.mark.parametrize("missing", [*MISSING, "absent"])
@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">="])
def test_a_missing_answer_makes_every_comparison_false_and_not_makes_it_true(missing, op):
    answers = {} if missing == "absent" else {"a": missing}
    assert evaluate(f"a {op} 1", answers) is False
    assert evaluate(f"a {op} 'x'", answers) is False
    assert evaluate(f"not a {op} 1", answers) is True


# Truth table of the comparisons: answer, op, value, expected. Numbers compare as numbers
# when both sides read as numbers ('1' = 1, '10' > '9'); otherwise as text, so ISO dates
# compare in time order.
TABLE = [
    (1, "=", "1", True),
    (1.0, "=", "1", True),
    ("1", "=", "1", True),
    (" 1 ", "=", "1", True),
    (2, "=", "1", False),
    (2, "!=", "1", True),
    (1, "!=", "1", False),
    (0, "<", "1", True),
    (1, "<", "1", False),
    (1, "<=", "1", True),
    (2, ">", "1", True),
    (1, ">", "1", False),
    (1, ">=", "1", True),
    ("10", ">", "9", True),  # numeric, not text order
    ("ja", "=", "'ja'", True),
    ("Ja", "=", "'ja'", False),  # text comparison is exact
    ("nee", "!=", "'ja'", True),
    ("2024-03-01", ">=", "'2024-01-01'", True),
    ("2023-12-31", ">=", "'2024-01-01'", False),
    ("abc", "<", "5", False),  # "abc" < "5" as text is False
    (True, "=", "1", True),
    (False, "=", "0", True),
]


@pytest.mark.parametrize(("answer", "op", "value", "expected"), TABLE)
def test_comparison_truth_table(answer, op, value, expected):
    assert evaluate(f"a {op} {value}", {"a": answer}) is expected


def test_and_or_not_truth_table():
    for a, b in itertools.product([1, 0, None], repeat=2):
        answers = {"a": a, "b": b}
        pa, pb = a == 1, b == 1  # "x = 1" is False when x is missing
        assert evaluate("a = 1 and b = 1", answers) is (pa and pb)
        assert evaluate("a = 1 or b = 1", answers) is (pa or pb)
        assert evaluate("not a = 1", answers) is (not pa)
        assert evaluate("not (a = 1 or b = 1)", answers) is (not (pa or pb))
        assert evaluate("not a = 1 and b = 1", answers) is ((not pa) and pb)  # not binds tightest
        assert evaluate("a = 1 or b = 1 and a = 0", answers) is (pa or (pb and a == 0))


def test_answered_is_written_as_not_equal_to_empty():
    assert evaluate("a != ''", {"a": 3}) is True
    assert evaluate("a != ''", {"a": None}) is False
    assert evaluate("not a != ''", {}) is True  # "a is blank"


def test_multi_select_equals_means_chosen():
    for stored, chosen in [("1;2", True), ("2", True), ("1;3", False), ("12", False)]:
        assert evaluate("m = '2'", {"m": stored}, multiple=["m"]) is chosen
        assert evaluate("m = 2", {"m": stored}, multiple=["m"]) is chosen
        assert evaluate("not m = '2'", {"m": stored}, multiple=["m"]) is (not chosen)
    assert evaluate("m = 2", {"m": [1, 2]}) is True  # a collection is a multi-select answer
    assert evaluate("m = 2", {"m": frozenset()}) is False  # nothing chosen is missing
    assert evaluate("m = 2", {"m": "1;2"}) is False  # without `multiple` it is a text
    assert evaluate("m > 1", {"m": [1, 2]}) is False


def test_evaluate_takes_a_parsed_condition_and_does_not_change_the_answers():
    answers = {"a": 1, "b": math.nan}
    cond = parse("a = 1 and not b = 1")
    assert evaluate(cond, answers) is True
    assert answers == {"a": 1, "b": answers["b"]}
    assert math.isnan(answers["b"])


def test_codes_lists_each_item_once_in_order():
    assert codes(parse("b = 1 and (a = 2 or not b = 3) or c != ''")) == ["b", "a", "c"]


def test_the_shipped_condition_reads():
    assert evaluate("extra_time = 1", {"extra_time": 1}) is True
    assert evaluate("extra_time = 1", {"extra_time": 0}) is False
