"""The default reminder rules (DOMAIN.md, "Reminders"); staff change them in the admin."""

from django.db import migrations

DEFAULTS = {
    "approval_due": [120, 60, 30],
    "handover_upcoming": [30, 7],
    "term_started": [0],
    "invitation_unanswered": [14, 3],
    "minutes_unpublished": [14],
    "action_overdue": [1, 14],
}


def create_defaults(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    for kind, offsets in DEFAULTS.items():
        for offset in offsets:
            ReminderRule.objects.get_or_create(kind=kind, offset_days=offset)


def remove_defaults(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    for kind, offsets in DEFAULTS.items():
        ReminderRule.objects.filter(kind=kind, offset_days__in=offsets).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
