"""What opskit's compiled schema validators raise.

fastjsonschema's generated code names its exception classes and `Decimal`; the cached
modules import them from here instead, so a run whose validators are cached loads
neither the schema compiler nor `decimal`.
"""

from __future__ import annotations

from typing import Any


class SchemaFailure(ValueError):
    """A document does not match its schema; jsonschema then explains why."""


class JsonSchemaValueException(SchemaFailure):  # the generated code's name and signature
    def __init__(
        self,
        message: str,
        value: Any = None,
        name: str | None = None,
        definition: Any = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.value, self.name = message, value, name
        self.definition, self.rule = definition, rule


class JsonSchemaValuesException(SchemaFailure):  # raised only when fast_fail is off
    def __init__(self, errors: list[JsonSchemaValueException]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class NotADecimal:
    """Stands for `decimal.Decimal` in the validators' `isinstance` number checks: policy
    data comes from YAML, which never makes a Decimal, so nothing is one."""
