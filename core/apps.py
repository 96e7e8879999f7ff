from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing (and the audit trail's one model). Listed first so every app may
    register into it."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  registers the secrets check
        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="core.sessions.stamp_login")
        # What a Celery task changes is recorded as the task's (core.audit).
        from celery.signals import task_postrun, task_prerun

        from . import audit

        task_prerun.connect(audit.task_started, dispatch_uid="core.audit.task_started")
        task_postrun.connect(audit.task_finished, dispatch_uid="core.audit.task_finished")
        # Sorting as each working language reads (core.collation), in SQLite and in Python.
        from django.db.backends.signals import connection_created

        from . import collation

        connection_created.connect(collation.register_sqlite, dispatch_uid="core.collation")
        collation.patch_countries()
