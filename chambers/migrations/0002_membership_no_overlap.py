"""On PostgreSQL, refuse overlapping membership periods of one chamber in the database itself.

An exclusion constraint over ``daterange(start, end, '[]')`` (an empty end is open-ended) catches
even a direct insert and the race of two concurrent writers. SQLite has no such constraint; there
the service's check under the chamber lock is the rule. Kept out of ``Meta.constraints`` because
SQLite's table rebuilds would try to recreate it.
"""

from django.db import migrations

CONSTRAINT = "chambers_membership_period_no_overlap"


def add_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE chambers_membershipperiod ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (chamber_id WITH =, daterange(start, \"end\", '[]') WITH &&)"
    )


def drop_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE chambers_membershipperiod DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
        )


class Migration(migrations.Migration):
    dependencies = [("chambers", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
