"""Helpers shared by the answering tests: valid answers for a page, walking a questionnaire."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from mentorwijs.protocol import Item
from mentorwijs.web.survey.plan import Page, Plan

#: A protocol with every item type, a multi-select with a condition on it, and validations.
ALL_TYPES = Path(__file__).parent / "data" / "survey_all_types.yaml"


def valid_value(item: Item, plan: Plan) -> list[str]:
    """A valid posted answer for an item (the same every time)."""
    if item.answer_scale is not None:
        values = plan.protocol.answer_scales[item.answer_scale].values
        if item.multiple:
            return [str(values[0]), str(values[-1])]
        return [str(values[len(values) // 2])]
    if item.validation is not None:
        return [{"email": "a@b.nl", "phone": "0612345678", "postcode": "1234 AB"}[item.validation]]
    return {
        "integer": ["3"],
        "number": ["2,5"],
        "date": ["2026-01-31"],
        "long_text": ["Het ging goed."],
        "text": ["ja"],
    }.get(item.type or "text", [])


def page_data(page: Page, plan: Plan, **overrides: object) -> dict[str, object]:
    """POST data answering every item of a page validly (overrides per item code)."""
    data: dict[str, object] = {}
    for it in page.items:
        if it.has_answer:
            data[it.code] = valid_value(it, plan)
    data.update(overrides)
    return data


def answer_everything(client: Client, token: str, plan: Plan) -> int:
    """Walk from the start page to the finish page answering each shown page; pages posted."""
    url = client.get(f"/v/{token}/")["Location"]
    posted = 0
    while not url.endswith("/einde/"):
        number = int(url.rstrip("/").rsplit("/", 1)[1])
        page = plan.page(number)
        assert page is not None
        response = client.post(url, page_data(page, plan))
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
        posted += 1
    return posted
