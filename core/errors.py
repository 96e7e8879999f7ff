"""The one domain exception family that services raise.

Views, the admin and tasks translate it: the API maps :class:`DomainError` to 400 and
:class:`ConflictError` to 409, forms show it as a form error.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation; nothing was changed."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "detail": [str(self.message)]}


class ConflictError(DomainError):
    """Another writer got there first (a lost race on a constraint); retrying may succeed."""

    status_code = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")


class ForbiddenError(DomainError):
    """The caller may not do this (the API answers 403); views check first, services again."""

    status_code = 403

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="forbidden")
