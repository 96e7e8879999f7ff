"""The union's one row of governance rules, with the defaults (quorum 2/3; simple majority for
general and priorities decisions, two thirds for membership and rotation)."""

from django.db import migrations


def create_rules(apps, schema_editor) -> None:
    apps.get_model("meetings", "GovernanceRules").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
