"""Celery tasks of the chambers app. Tasks take ids and reload; the broker never carries secrets."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import override

from core.tasks import retry_or_give_up

logger = logging.getLogger(__name__)


#: Retries of a password-reset e-mail while the mail server is unreachable (30 s doubling).
PASSWORD_RESET_RETRIES = 5
PASSWORD_RESET_RETRY_DELAY = 30.0


@shared_task(bind=True, max_retries=None)
def send_password_reset(
    self: Any, user_id: int, domain: str, use_https: bool, language: str
) -> bool | str:
    """Send the password-reset e-mail from the worker, so the page never waits on the mail
    server. The reset token is made here, not carried through the broker. Returns whether a
    message was sent (a user who was deactivated meanwhile gets none)."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    try:
        with override(language):
            PasswordResetForm().send_mail(
                "registration/password_reset_subject.txt",
                "registration/password_reset_email.html",
                context,
                None,
                user.email,
            )
    except (smtplib.SMTPException, OSError) as exc:
        return retry_or_give_up(
            self,
            exc,
            max_retries=PASSWORD_RESET_RETRIES,
            base_delay=PASSWORD_RESET_RETRY_DELAY,
            give_up=lambda: logger.error("Password reset e-mail to user %s not sent.", user_id),
        )
    return True


@shared_task
def refresh_statuses() -> int:
    """Beat, every hour: on the first run of a day every chamber's stored status is brought to
    that day (:func:`chambers.services.current_statuses_refresh`); later runs find the day's
    statuses stored (the services keep them) and do nothing."""
    from django.utils import timezone

    from . import services
    from .models import StatusesAsOf

    if StatusesAsOf.objects.filter(day=timezone.localdate()).exists():
        return 0
    return services.current_statuses_refresh()
