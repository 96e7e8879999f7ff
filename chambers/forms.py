"""Portal forms. They validate input; the views pass the cleaned data to the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import TranslatedFormMixin
from core.outbox import broker_reachable, enqueue

from .models import Chamber, Contact, ContactRole
from .services import CHAMBER_TRANSLATED, CONTACT_BASE_FIELDS, PROFILE_FIELDS


class ChamberProfileForm(TranslatedFormMixin, forms.ModelForm):
    translated = CHAMBER_TRANSLATED  # each edited in every working language at once
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Chamber
        fields = list(PROFILE_FIELDS)  # what a chamber's editor may change
        widgets = {"founded": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ContactForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("position",)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ContactRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contact
        fields = list(CONTACT_BASE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = self.instance.roles


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes out from a Celery worker.

    The task is published at once (nothing to commit: the form only reads). ``queued`` tells
    the view whether it went out: with the broker unreachable it is False and the page says
    nothing was sent. For an unknown address the broker is tried all the same, so the answer
    never tells which addresses have a login.
    """

    queued: bool = True

    def save(
        self,
        domain_override: str | None = None,
        *args: Any,
        use_https: bool = False,
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        """Django's view passes every option by keyword; the templates and token generator
        are the task's own, so the other options are accepted and not used."""
        from .tasks import send_password_reset

        domain = domain_override or (request.get_host() if request else "localhost")
        language = get_language() or settings.LANGUAGE_CODE
        users = list(self.get_users(self.cleaned_data["email"]))
        if not users:
            self.queued = broker_reachable(send_password_reset)
        for user in users:
            if not enqueue(send_password_reset, user.pk, domain, use_https, language):
                self.queued = False


class ChamberSearchForm(forms.Form):
    """The list of chambers' search and status filter (GET parameters), all optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import FORMER, MembershipStatus

        super().__init__(*args, **kwargs)
        choices = cast(forms.ChoiceField, self.fields["status"])
        choices.choices = [
            ("", _("All")),
            *MembershipStatus.choices,
            (FORMER, _("Former members")),
        ]


class AuditFilterForm(forms.Form):
    """The audit trail's filters (GET parameters), all optional."""

    model = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    user = forms.CharField(label=_("Who (user name or token)"), required=False, max_length=200)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from core.audit import registered_models

        super().__init__(*args, **kwargs)
        choices = cast(forms.ChoiceField, self.fields["model"])
        choices.choices = [("", _("Every record type")), *registered_models()]
