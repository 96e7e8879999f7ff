"""On PostgreSQL, approved terms of a rotation never overlap: an exclusion constraint refuses a
direct insert and the second of two concurrent approvals (which the API answers 409). On SQLite
the service's check, with writers serialised, is the rule."""

from django.db import migrations

CONSTRAINT = "rotation_approved_terms_no_overlap"


def add_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE rotation_term ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(rotation_id WITH =, daterange(start, \"end\", '[]') WITH &&) WHERE (state = 'approved')"
    )


def drop_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE rotation_term DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


def create_rotation(apps, schema_editor) -> None:
    apps.get_model("rotation", "Rotation").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("rotation", "0001_initial")]
    operations = [
        migrations.RunPython(add_constraint, drop_constraint),
        migrations.RunPython(create_rotation, migrations.RunPython.noop),
    ]
