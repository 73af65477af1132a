"""Template helpers of the interviews: a code's name and definition in the page's language."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def codename(code: Any, lang: str) -> str:
    """``{{ code|codename:lang }}``: the English name on English pages when there is one."""
    return str(code.name(lang)) if code is not None else ""


@register.filter
def codedef(code: Any, lang: str) -> str:
    """``{{ code|codedef:lang }}``: the definition in the page's language."""
    return str(code.definition(lang)) if code is not None else ""
