"""Base classes of the secretariat's admin.

* Every staff user is the secretariat (as in the API): no per-model permissions to hand out
  for the union's own data. User accounts stay under Django's permissions.
* Saves go through the services; a rule that refuses (a :class:`~core.errors.DomainError`)
  becomes a form error on the page, with everything the save had done rolled back, never a 500.
* Apps above may add actions to another app's admin (:func:`register_action`): the exports
  are the exchange app's, offered on the chamber and meeting registers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import admin
from django.db import router, transaction
from django.db.models import Model
from django.forms import BaseForm, ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from . import audit
from .access import Access, access_for_user
from .errors import DomainError
from .forms import add_domain_error
from .services import watching_stored_files

if TYPE_CHECKING:
    # Generic in django-stubs, not at run time (no django_stubs_ext monkeypatch in production).
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = admin.ModelAdmin

_Form = TypeVar("_Form", bound=BaseForm)

AdminAction = Callable[..., Any]
_actions: dict[str, list[AdminAction]] = {}


def register_action(model_label: str, action: AdminAction) -> None:
    """Offer ``action`` on the admin list of ``model_label`` (``"chambers.chamber"``)."""
    actions = _actions.setdefault(model_label.lower(), [])
    if action not in actions:
        actions.append(action)


def registered_actions(model: type[Model]) -> list[AdminAction]:
    return list(_actions.get(model._meta.label_lower, []))


def _is_secretariat(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff)


class SecretariatInline:
    """Inline edits follow the page's rule: every staff user is the secretariat."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_secretariat(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class RecordInline(SecretariatInline):
    """A record shown on its parent's page and never edited there (a webhook's attempts, the
    versions of the minutes): the secretariat sees it, nobody adds, changes or removes it."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    has_change_permission = has_delete_permission = has_add_permission


class SecretariatAdmin(_ModelAdmin):
    """A register of the union's data, for the secretariat. Saves call the services."""

    #: A filtered list says "N results" without counting the whole table again (a full
    #: count of 100,000 contacts on every page of a search, issue 16).
    show_full_result_count = False

    def _is_secretariat(self, request: HttpRequest) -> bool:
        return _is_secretariat(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_secretariat(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_secretariat(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_secretariat(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_secretariat(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_secretariat(request)

    def actor(self, request: HttpRequest) -> Access:
        """The staff user as the services' caller."""
        return access_for_user(request.user)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        for action in registered_actions(self.model):
            name = action.__name__
            if name not in actions and self._action_allowed(request, action):
                description = getattr(action, "short_description", name.replace("_", " "))
                actions[name] = (action, name, description)
        return actions

    def _action_allowed(self, request: HttpRequest, action: AdminAction) -> bool:
        for permission in getattr(action, "allowed_permissions", ()):
            if not getattr(self, f"has_{permission}_permission")(request):
                return False
        return True

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Save as Django does; if a service refuses, undo the whole save and show the form
        again with the refusal as an error (on its field when the form has it)."""
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with watching_stored_files() as stored:
            try:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    self.lock_first(request)
                    return super().changeform_view(request, object_id, form_url, extra_context)
            except DomainError as exc:
                refusal = exc
        # Undone: the rows by the rollback, the files stored meanwhile here; the uploads are
        # read again by the second pass, which shows the form with the refusal.
        for storage, name in stored:
            storage.delete(name)
        for field in request.FILES:
            for upload in request.FILES.getlist(field):
                upload.seek(0)
        request._union_refusal = refusal  # type: ignore[attr-defined]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The admin's History page, with the audit trail's entries of the object
        (core.audit); a register with a field-by-field history of its own (simple-history's
        admin) keeps its page."""
        entries = audit.entries(model=self.model._meta.label_lower, object_id=str(object_id))
        context = {**(extra_context or {}), "audit_entries": entries[:500]}
        response = super().history_view(request, object_id, extra_context=context)
        if self.object_history_template is None and isinstance(response, TemplateResponse):
            response.template_name = "admin/audit_history.html"
        return response

    def lock_first(self, request: HttpRequest) -> None:
        """Take, before the save begins, the locks that the services it may call take first
        (``docs/locking.md``); a page whose saves span several rules overrides this."""

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal: DomainError | None = getattr(request, "_union_refusal", None)
        if refusal is None:
            return form_class
        return refused_form(form_class, refusal)


def refused_form(form_class: type[_Form], refusal: DomainError) -> type[_Form]:
    """``form_class`` whose validation fails with the service's refusal."""

    class Refused(form_class):  # type: ignore[valid-type, misc]
        def clean(self) -> Any:
            cleaned = super().clean()
            add_domain_error(self, refusal)
            return cleaned

    Refused.__name__ = form_class.__name__
    return Refused
