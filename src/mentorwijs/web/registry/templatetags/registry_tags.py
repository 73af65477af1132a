"""Template helpers: a field's widget tied to its help text and errors for screen readers."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """The widget with ``aria-describedby`` naming its help text and error message."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def euro(value: object) -> str:
    """An amount as € 1.234,56 (Dutch) — used in both languages for clarity."""
    amount = f"{float(value or 0):,.2f}"  # type: ignore[arg-type]
    return "€ " + amount.replace(",", "_").replace(".", ",").replace("_", ".")


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


@register.filter
def label(code: str, choices: dict[str, str]) -> str:
    """The translated label of a stored code (``{{ c.category|label:categories }}``)."""
    return str(choices.get(code, code))
