"""The pages of a questionnaire: which items a respondent sees on which page.

A *plan* splits the instruments of one wave for one role into pages. It depends only on the
protocol, the role, the wave and the mode, so it is made once per process and cached:

- normal mode: per instrument, blocks of up to :data:`ITEMS_PER_PAGE` items; an item whose
  ``show_if`` refers to an item of the block so far starts a new page, so every condition is
  evaluated on answers that are already saved (server-side, without JavaScript);
- easy-read mode: one item per page.

Which pages are *visible* depends on the answers: a page whose items are all hidden by their
``show_if`` is skipped. Page numbers in URLs are positions in the plan (stable), not in the
visible list.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from mentorwijs.protocol import Item, Protocol, conditions, load_protocol

#: Largest number of items on one page in normal mode.
ITEMS_PER_PAGE = 8

#: Answers as the conditions read them: per instrument, item code → value (number or text).
ConditionAnswers = Mapping[str, Mapping[str, object]]


def survey_protocol() -> Protocol:
    """The protocol the site asks questions from (cached by :func:`load_protocol`).

    The shipped Mentorwijs protocol, or the file named by the Django setting
    ``MENTORWIJS_PROTOCOL_FILE`` when it is set (tests use it for a protocol with every item
    type).
    """
    return load_protocol(getattr(settings, "MENTORWIJS_PROTOCOL_FILE", None))


@dataclass(frozen=True)
class Page:
    """One page: items of one instrument, in protocol order."""

    number: int
    instrument: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Plan:
    """The pages of one wave for one role in one mode (or of one instrument, for previews)."""

    protocol: Protocol
    wave: str
    instruments: tuple[str, ...]
    easy: bool
    pages: tuple[Page, ...]

    @functools.cached_property
    def conditional(self) -> bool:
        """Whether any item has a ``show_if`` (else every page is always shown)."""
        return any(it.show_if is not None for p in self.pages for it in p.items)

    def page(self, number: int) -> Page | None:
        """The page with ``number`` (1-based), or None when there is no such page."""
        if 1 <= number <= len(self.pages):
            return self.pages[number - 1]
        return None

    def page_of(self, instrument: str, code: str) -> int:
        """Number of the page that holds an item (1 when the item is not in the plan)."""
        for page in self.pages:
            if page.instrument == instrument and any(it.code == code for it in page.items):
                return page.number
        return 1

    def shown(self, instrument: str, item: Item, answers: ConditionAnswers) -> bool:
        """Whether ``item`` is asked, given the saved answers (its ``show_if``)."""
        if item.show_if is None:
            return True
        return self.protocol.instruments[instrument].is_shown(
            item.code, answers.get(instrument, {})
        )

    def page_visible(self, page: Page, answers: ConditionAnswers) -> bool:
        """A page is shown when at least one of its items is."""
        return any(self.shown(page.instrument, it, answers) for it in page.items)

    def visible_numbers(self, answers: ConditionAnswers) -> list[int]:
        """Numbers of the pages shown, given the saved answers."""
        return [p.number for p in self.pages if self.page_visible(p, answers)]

    def hidden_items(self, answers: ConditionAnswers) -> list[tuple[str, str]]:
        """(instrument, item) of every item not asked, given the answers.

        One pass in protocol order over answers with the hidden ones taken out as it goes:
        a condition may refer only to earlier items, so a hidden item's stale answer can
        never keep a later item shown.
        """
        left = {ins: dict(values) for ins, values in answers.items()}
        hidden = []
        for page in self.pages:
            for it in page.items:
                if not self.shown(page.instrument, it, left):
                    hidden.append((page.instrument, it.code))
                    left.get(page.instrument, {}).pop(it.code, None)
        return hidden


def _split(items: tuple[Item, ...], easy: bool) -> list[tuple[Item, ...]]:
    if easy:
        return [(it,) for it in items]
    blocks: list[list[Item]] = []
    block: list[Item] = []
    for it in items:
        refers = set()
        if it.show_if is not None:
            refers = set(conditions.codes(conditions.parse(it.show_if)))
        if block and (len(block) >= ITEMS_PER_PAGE or refers & {b.code for b in block}):
            blocks.append(block)
            block = []
        block.append(it)
    if block:
        blocks.append(block)
    return [tuple(b) for b in blocks]


def _make(protocol: Protocol, wave: str, instruments: tuple[str, ...], easy: bool) -> Plan:
    pages: list[Page] = []
    for code in instruments:
        for block in _split(protocol.instruments[code].items, easy):
            pages.append(Page(number=len(pages) + 1, instrument=code, items=block))
    return Plan(
        protocol=protocol, wave=wave, instruments=instruments, easy=easy, pages=tuple(pages)
    )


_cache: dict[tuple[int, str, str, tuple[str, ...], bool], Plan] = {}
_lock = threading.Lock()


def _cached(protocol: Protocol, wave: str, instruments: tuple[str, ...], easy: bool) -> Plan:
    key = (id(protocol), protocol.version, wave, instruments, easy)
    plan = _cache.get(key)
    if plan is None or plan.protocol is not protocol:
        plan = _make(protocol, wave, instruments, easy)
        with _lock:
            _cache[key] = plan
    return plan


def instruments_for(protocol: Protocol, *, role: str, wave: str) -> tuple[str, ...]:
    """Codes of the instruments a role answers at a wave, in protocol order."""
    return tuple(
        code for code, ins in protocol.instruments.items() if ins.role == role and wave in ins.waves
    )


def wave_plan(*, role: str, wave: str, easy: bool, protocol: Protocol | None = None) -> Plan:
    """The pages a respondent of ``role`` answers at ``wave`` (cached per process)."""
    protocol = protocol or survey_protocol()
    return _cached(protocol, wave, instruments_for(protocol, role=role, wave=wave), easy)


def warm_up() -> int:
    """Load the protocol and build the plan of every role, wave and mode now, so that a server
    process answers its first respondent as fast as its thousandth (called by the WSGI entry
    point; loading the protocol takes about a second). The number of plans built."""
    protocol = survey_protocol()
    built = 0
    for role in sorted({ins.role for ins in protocol.instruments.values()}):
        for wave in protocol.waves:
            if instruments_for(protocol, role=role, wave=wave):
                for easy in (False, True):
                    wave_plan(role=role, wave=wave, easy=easy, protocol=protocol)
                    built += 1
    return built


def instrument_plan(
    *, instrument: str, wave: str, easy: bool, protocol: Protocol | None = None
) -> Plan:
    """The pages of one instrument, for the staff preview (cached per process)."""
    protocol = protocol or survey_protocol()
    return _cached(protocol, wave, (instrument,), easy)
