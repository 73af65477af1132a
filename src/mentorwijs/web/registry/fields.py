"""Model fields whose values are encrypted at rest with the identity key (``crypto``).

The database holds a Fernet token; Python code sees the clear value. Such a field cannot be
searched or sorted in the database: an exact lookup goes through a digest field
(``crypto.lookup_digest``), any other lookup is refused rather than silently finding
nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.validators import MaxLengthValidator
from django.db import models

from mentorwijs.web.registry import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; ``max_length`` limits the clear text, not the token."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length:
            self.validators.append(MaxLengthValidator(self.max_length))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted and cannot be searched with '{lookup_name}'; "
                "compare its digest instead"
            )
        return super().get_lookup(lookup_name)


class EncryptedJSONField(models.TextField):
    """A JSON value encrypted at rest (e.g. the rows of an uploaded file)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted and cannot be searched")
        return super().get_lookup(lookup_name)
