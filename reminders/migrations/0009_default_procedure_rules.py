"""The default rules of written procedures: the opening letter and the result are notices (one
rule each, offset 0, "when it happens"); a procedure not yet answered is reminded 3 days and 1
day before its deadline's day. Staff change them in the admin."""

from django.db import migrations

DEFAULTS = {
    "procedure_opened": [0],
    "procedure_closed": [0],
    "procedure_unanswered": [3, 1],
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
    dependencies = [("reminders", "0008_procedure_kinds")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
