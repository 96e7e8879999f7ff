"""The default rules of the notices (issue 11): one active rule per kind, offset 0 ("when it
happens"); staff turn a kind off by making its rule inactive."""

from django.db import migrations

DEFAULTS = {
    "invitation": [0],
    "meeting_changed": [0],
    "decision_adopted": [0],
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
    dependencies = [("reminders", "0004_notice_kinds")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
