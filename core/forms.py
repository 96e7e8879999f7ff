"""Forms and domain errors: a service's refusal shown where the person looks."""

from __future__ import annotations

from django.forms import BaseForm

from .errors import DomainError


def add_domain_error(form: BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else at the
    top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
