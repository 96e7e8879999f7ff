"""Forms of the second factor: a code (enrolment, verification) and the password reset's last
step, which asks for the code too when the login has a second factor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from . import mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class AuthenticatorCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        help_text=_("The six digits your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorSetPasswordForm(SetPasswordForm):
    """Django's new-password form of the reset link. A login with a second factor must give a
    code as well; a superuser without one cannot reset by e-mail while the secretariat must use
    a second factor (another administrator sets the password, or ``manage.py
    changepassword``)."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.needs_code = mfa.has_device(user)
        if self.needs_code:
            self.fields["code"] = CodeForm.base_fields["code"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if mfa.must_use_second_factor(self.user) and self.user.is_superuser and not self.needs_code:
            raise forms.ValidationError(
                _(
                    "A superuser without a second factor cannot reset the password by e-mail: "
                    "ask another administrator to set it."
                ),
                code="second_factor_missing",
            )
        code = cleaned.get("code", "")
        if self.needs_code and not self.errors and mfa.match_code(self.user, code) is None:
            self.add_error("code", _("This code is not right (or was used already)."))
        return cleaned
